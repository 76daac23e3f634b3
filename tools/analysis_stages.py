"""CPU seconds of each stage of the build's analysis over a corpus folder, in one process, without a cache.

The stages are those of `qa.analysis.analyse_document`: reading, cleaning and metadata (`parse_document`),
sentence splitting, terms (`analyze_texts`), the MinHash signature and the postings. `--code` runs another
checkout's `qa` package (e.g. main's, from `git archive`), so two versions can be timed in turn in one run
on a shared machine, where only such side-by-side figures compare:

    git archive main qa | tar -x -C /tmp/main-code
    python tools/analysis_stages.py FOLDER --code /tmp/main-code
    python tools/analysis_stages.py FOLDER
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

STAGES = ("cleaning", "splitting", "terms", "minhash", "postings")


def stage_seconds(folder: Path) -> dict[str, float]:
    """CPU seconds per stage (and in all) over every document of the folder; the sentence count too."""
    import numpy as np

    import qa.corpus
    import qa.syndication
    from qa.analysis import _postings
    from qa.text import analyze_texts

    files = [(path.read_bytes(), qa.corpus.document_id(path, folder)) for path in qa.corpus.scan_corpus(folder).files]
    clock = time.process_time
    totals = dict.fromkeys(STAGES, 0.0)
    sentence_count = 0
    started = clock()
    for data, doc_id in files:
        before = clock()
        try:
            document = qa.corpus.parse_document(data, doc_id)
        except ValueError:
            totals["cleaning"] += clock() - before
            continue
        cleaned = clock()
        if hasattr(qa.corpus, "sentence_rows"):
            rows = qa.corpus.sentence_rows(document)
            split = clock()
        else:  # code from before sentence_rows: the Sentence objects are what its analysis made
            sentences = qa.corpus.split_document(document)
            split = clock()
            rows = [(sentence.paragraph, sentence.start, sentence.end, sentence.text) for sentence in sentences]
        texts = [row[3] for row in rows]
        before_terms = clock()
        all_terms, counts = analyze_texts(texts)
        analysed = clock()
        columns = np.array([(paragraph, start, end, count) for (paragraph, start, end, _), count in zip(rows, counts, strict=True)], dtype=np.int64)
        if hasattr(qa.syndication, "terms_signature"):  # the signature from the postings' terms
            local, term_ids, _ = _postings(all_terms, columns.reshape(len(rows), 4)[:, 3])
            posted = clock()
            qa.syndication.terms_signature(local, term_ids)
            signed = clock()
            posting_seconds, signature_seconds = posted - analysed, signed - posted
        else:  # code from before: the signature read the sentences' words again
            qa.syndication.signature(" ".join(texts))
            signed = clock()
            _postings(all_terms, columns.reshape(len(rows), 4)[:, 3])
            posting_seconds, signature_seconds = clock() - signed, signed - analysed
        totals["cleaning"] += cleaned - before
        totals["splitting"] += split - cleaned
        totals["terms"] += analysed - before_terms
        totals["minhash"] += signature_seconds
        totals["postings"] += posting_seconds
        sentence_count += len(rows)
    return {**{name: round(value, 3) for name, value in totals.items()}, "all": round(clock() - started, 3), "sentences": sentence_count}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("folder", type=Path, help="corpus folder (e.g. a qa bench sample)")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent, help="folder holding the qa package to time (default: this checkout)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    arguments = parser.parse_args()
    if not (arguments.code / "qa" / "__init__.py").is_file():
        print(f"error: no qa package in {arguments.code}", file=sys.stderr)
        return 2
    if not arguments.folder.is_dir():
        print(f"error: not a folder: {arguments.folder}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(arguments.code.resolve()))
    figures = stage_seconds(arguments.folder)
    if arguments.json:
        print(json.dumps(figures))
    else:
        print(f"{figures['sentences']} sentences, CPU s: " + ", ".join(f"{name} {figures[name]:.2f}" for name in (*STAGES, "all")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
