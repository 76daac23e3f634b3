"""Relative dates whose resolution depends on tense, on the news-dev DEV pages only.

Lists every weekday or month expression of the first half of news-dev's pages (qa.cleaning_eval.split_halves;
the held-out half is never read) that resolves to another day or month forward than backward from its
article's date, with what decides it: the future markers of qa.dates before this work ("main"), qa.dates'
rule without a parse ("form": markers, a present progressive or copula before the date), and that rule
with the parse (qa.tense, as the answerer applies it: not in headlines). Counts how many each rule turns
forward; --show prints the sentences for checking by hand.

    python tools/tense_survey.py [--corpus ../shared/news-dev] [--show]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import dates  # noqa: E402
from qa.annotation import annotate  # noqa: E402
from qa.cleaning_eval import split_halves  # noqa: E402
from qa.evaluate import evaluation_index_folder  # noqa: E402
from qa.index import ensure_index  # noqa: E402
from qa.tense import scheduled_offsets  # noqa: E402

# qa.dates' future markers before relative dates were read by tense (main at da08549), for the comparison
MAIN_MARKER = re.compile(
    r"\b(?:will|shall|won't|going\s+to|(?:is|are|was|were)\s+(?:due|set|scheduled|expected|slated|planned|poised)"
    r"|scheduled\s+(?:to|for)|plans?\s+to|upcoming|coming)\b|\w'll\b",
    re.IGNORECASE,
)


def main_rule(text: str, position: int) -> bool:
    clause_start = 0
    for boundary in dates._CLAUSE_START.finditer(text, 0, position):
        clause_start = boundary.end()
    return MAIN_MARKER.search(text, clause_start, position) is not None


def resolutions(text: str, date: str, future: bool) -> dict[tuple[int, int], tuple[str, str | None]]:
    with mock.patch.object(dates, "is_future", lambda _text, _position: future):
        return {(item.start, item.end): (item.text, item.iso) for item in dates.resolve_dates(text, date) if item.relative}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/news-dev"), help="news-dev folder (text/ and truth/)")
    parser.add_argument("--show", action="store_true", help="print each expression with its sentence")
    arguments = parser.parse_args()
    text_folder = arguments.corpus / "text"
    paths = [path for path in sorted(text_folder.glob("*.txt")) if (arguments.corpus / "truth" / f"{path.stem}.json").exists()]
    dev = {name for name, half in split_halves([path.stem for path in paths]).items() if half == "dev"}
    index = ensure_index(text_folder, evaluation_index_folder(text_folder))
    found = []
    for row in range(len(index)):
        sentence = index.sentence(row)
        document = index.document_of(row)
        if sentence.doc_id.removesuffix(".txt") not in dev or not document.get("date"):
            continue
        backward = resolutions(sentence.text, document["date"], False)
        forward = resolutions(sentence.text, document["date"], True)
        for span, (expression, iso) in backward.items():
            if forward[span][1] != iso:
                headline = sentence.text.strip() == (document.get("title") or "").strip()
                found.append((sentence.doc_id, sentence.text, span, expression, document["date"], iso, forward[span][1], headline))
    annotations = annotate([item[1] for item in found])
    counts = {"main": 0, "form": 0, "parse": 0}
    for (doc, text, (start, end), expression, date, backward_iso, forward_iso, headline), annotation in zip(found, annotations):
        decisions = {
            "main": main_rule(text, start),
            "form": dates.is_future(text, start),
            "parse": dates.is_future(text, start) or (not headline and any(start <= offset < end for offset in scheduled_offsets(annotation))),
        }
        for rule, forward in decisions.items():
            counts[rule] += forward
        if arguments.show:
            marks = " ".join(rule for rule, forward in decisions.items() if forward) or "-"
            print(f"{doc} ({date}) {expression!r}: back {backward_iso}, forward {forward_iso}; forward by: {marks}{' [headline]' if headline else ''}")
            print(f"    {text}")
    print(f"{len(found)} expressions resolve differently forward and backward on {len(dev)} dev pages; turned forward by:")
    for rule, count in counts.items():
        print(f"  {rule:<6} {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
