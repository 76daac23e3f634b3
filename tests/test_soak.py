"""Memory in a long-running process: `qa soak` prints figures, and per-index caches go with their index."""

from __future__ import annotations

import gc
import json
import shutil

from conftest import SEEDS

import qa.pipeline
from qa.cli import main
from qa.index import SentenceIndex, build_index


def test_soak_prints_memory_at_intervals(seed_index_dir, capsys):
    assert main(["soak", "--questions", "5", "--every", "2", "--index", str(seed_index_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("5 questions over ")
    measured = [line.split()[0] for line in lines[1:]]
    assert measured == ["0", "2", "4", "5"]
    assert all("heap" in line and "RSS" in line for line in lines[1:])
    assert main(["soak", "--questions", "3", "--every", "3", "--json", "--no-tracemalloc", "--index", str(seed_index_dir)]) == 0
    points = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [point["questions"] for point in points] == [0, 3]
    assert all(point["rss_mb"] > 0 and point["traced_mb"] is None for point in points)


def test_the_document_names_cache_goes_with_its_index(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    index_dir = tmp_path / "index"
    before = set(qa.pipeline._document_names)  # indexes other tests still hold
    for rebuild in range(30):
        (corpus / "extra.txt").write_text(f"Extra news\n\nThe ferry of Redwater sailed on day {rebuild}.\n", encoding="utf-8")
        build_index(corpus, index_dir)
        index = SentenceIndex.load(index_dir)
        for document in index.documents:
            qa.pipeline.document_names(index, document["doc_id"])
        del index
        gc.collect()
    assert not set(qa.pipeline._document_names) - before  # was one entry per document per rebuild: 180 here
