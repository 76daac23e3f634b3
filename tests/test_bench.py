"""The bench command: its sizes, its queries and its JSON contract (figures are measured, never asserted)."""

import json
import lzma
from pathlib import Path

import pytest

from qa.bench import estimate_sentences, make_queries, parse_sizes, replicate_corpus, write_corpus
from qa.cli import main
from qa.errors import QAError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
KEYS = {
    "sentences", "build_s", "build_peak_rss_mb", "serve_rss_mb", "index_mb", "load_s", "search_p50_ms", "search_p95_ms",
    "answer_p50_ms", "answer_p95_ms", "baseline_p50_ms", "speedup", "rebuild_one_s", "warm_s",
}  # fmt: skip


def test_bench_json_prints_one_object_per_size_with_the_documented_keys(capsys):
    assert main(["bench", "--corpus", str(SEEDS), "--sizes", "20,100000", "--json", "--replicate", "3"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    results = [json.loads(line) for line in lines]
    assert len(results) == 2
    assert all(KEYS <= set(result) for result in results)
    small, everything = results
    assert small["sentences"] < everything["sentences"]
    assert everything["documents"] == len(list(SEEDS.glob("*.txt")))
    assert all(result["scores_identical"] for result in results)
    assert all(result["replicated"]["sentences"] == 3 * result["sentences"] for result in results)
    assert all(result["replicated"]["documents"] == 3 * result["documents"] for result in results)
    assert all(result["replicated"]["same_top10_as_exhaustive"] and result["replicated"]["search_p50_ms"] > 0 for result in results)
    assert all(result["replicated"]["build_peak_rss_mb"] > 0 and result["replicated"]["load_s"] > 0 for result in results)
    assert all(result["warm_s"] >= 0 and result["replicated"]["warm_s"] >= 0 for result in results)


def test_articles_are_taken_in_file_order_until_the_size(tmp_path):
    source = tmp_path / "articles.jsonl.xz"
    articles = [{"id": str(number), "title": f"Title {number}", "text": "One sentence here. Another one there.\n\nA third."} for number in range(10)]
    with lzma.open(source, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(article) + "\n" for article in articles)
    count, next_article = write_corpus(source, 7, tmp_path / "corpus")
    assert count == 2  # each article: a title paragraph and three sentences, counted a little under 4
    assert sorted(path.name for path in (tmp_path / "corpus").iterdir()) == ["000000.txt", "000001.txt"]
    assert next_article[0] == "000002.txt"
    assert estimate_sentences("Title\n\nOne here. Two there! Three?\n\nFour.") == 5


def test_queries_are_question_like_many_and_the_same_every_time(seed_index):
    queries = make_queries(seed_index)
    assert len(queries) >= 200
    assert queries == make_queries(seed_index)
    assert all(query.endswith("?") and query.split()[0] in {"What", "When", "Who", "Where", "How"} for query in queries)


def test_replicated_corpus_is_every_file_once_per_copy_under_distinct_ids(tmp_path):
    source = tmp_path / "corpus"
    (source / "inner").mkdir(parents=True)
    (source / "a.txt").write_text("First made-up article.\n")
    (source / "inner" / "b.txt").write_text("Second made-up article.\n")
    assert replicate_corpus(source, 3, tmp_path / "copies") == 6
    found = sorted(path.relative_to(tmp_path / "copies").as_posix() for path in (tmp_path / "copies").rglob("*.txt"))
    assert found == [f"copy-0{copy}/{name}" for copy in (1, 2, 3) for name in ("a.txt", "inner/b.txt")]
    assert (tmp_path / "copies" / "copy-02" / "inner" / "b.txt").read_text() == "Second made-up article.\n"


@pytest.mark.parametrize("text", ["", "ten", "10,-5", "0"])
def test_bad_sizes_are_one_line_errors(text, capsys):
    assert main(["bench", "--corpus", str(SEEDS), "--sizes", text]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    with pytest.raises(QAError):
        parse_sizes(text)


def test_peers_missing_is_a_one_line_error_naming_the_requirements_file(monkeypatch, capsys):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *rest: None if name == "tantivy" else real_find_spec(name, *rest))
    assert main(["bench", "--corpus", str(SEEDS), "--sizes", "20", "--peers"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "tantivy" in error and "requirements-bench.txt" in error


def test_peers_are_measured_beside_the_project_with_their_agreement(capsys):
    for module in ("tantivy", "bm25s", "numba"):
        pytest.importorskip(module)  # benchmark-only packages (requirements-bench.txt)
    assert main(["bench", "--corpus", str(SEEDS), "--sizes", "100000", "--json", "--peers"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    engines = {figures["engine"]: figures for figures in result["peers"]}
    assert set(engines) == {"project", "tantivy", "bm25s"}
    assert engines["project"]["top10_overlap"] == 1.0 and engines["project"]["same_ranking"] == 1.0
    for figures in engines.values():
        assert figures["search_p50_ms"] > 0 and 0 < figures["top10_overlap"] <= 1
