"""The cluster backend against real Sphinx `searchd` processes on loopback: exact equality with the embedded index.

Skips when searchd is not installed, unless QA_REQUIRE_SPHINX=1 (set by .ci/run), where a
missing binary fails.
"""

import json
import os
import shutil
import signal
from pathlib import Path

import numpy as np
import pytest

from qa.bench import make_queries, write_corpus
from qa.cluster import ClusterError, encode_term, export, running_pids, shard_dictionary, shard_of, start, stop
from qa.evaluate import load_cases
from qa.index import SentenceIndex, build_index
from qa.pipeline import RETRIEVED, answer
from qa.sphinxql import open_cluster
from qa.text import analyze

REPOSITORY = Path(__file__).resolve().parent.parent
SEEDS = REPOSITORY / "seeds"
WIKIPEDIA = REPOSITORY.parent / "shared" / "bench" / "wikipedia-10k-articles.jsonl.xz"
WIKIPEDIA_SENTENCES = 3000
CASES = load_cases(Path(__file__).resolve().parent / "canned_questions.json")

if not all(shutil.which(name) for name in ("searchd", "indexer", "indextool")):
    if os.environ.get("QA_REQUIRE_SPHINX") == "1":
        pytest.fail("QA_REQUIRE_SPHINX=1 but searchd/indexer/indextool are not installed (apt-get install sphinxsearch)", pytrace=False)
    pytest.skip("Sphinx (searchd, indexer, indextool) is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two shards of the seeds (and some Wikipedia sentences when ../shared is there), served by two searchd processes."""
    root = tmp_path_factory.mktemp("cluster")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    if WIKIPEDIA.exists():
        write_corpus(WIKIPEDIA, WIKIPEDIA_SENTENCES, corpus / "wikipedia")
    build_index(corpus, root / "index")
    export(root / "index", 2, root / "export")
    address = start(root / "export", agent_query_timeout_ms=1500)
    pids = running_pids(root / "export")
    assert len(pids) == 2
    try:
        yield {"root": root, "index_dir": root / "index", "export": root / "export", "address": address}
    finally:
        stop(root / "export")
        assert running_pids(root / "export") == []


@pytest.fixture(scope="module")
def embedded(cluster):
    return SentenceIndex.load(cluster["index_dir"])


@pytest.fixture(scope="module")
def through_cluster(cluster):
    index = open_cluster(cluster["address"])
    yield index
    index.retriever.close()


def test_each_shard_dictionary_is_the_vocabulary_of_its_documents(cluster, embedded):
    vocabulary = json.loads((embedded.index_dir / embedded.manifest["generation"] / "vocabulary.json").read_text(encoding="utf-8"))
    offsets, rows = np.asarray(embedded.arrays["postings_offsets"]), np.asarray(embedded.arrays["postings_rows"])
    row_shard = np.array([shard_of(document["doc_id"], 2) for document in embedded.documents])[np.asarray(embedded.arrays["sentence_doc"])]
    for shard in range(2):
        expected = {}
        for number, term in enumerate(vocabulary):
            count = int((row_shard[rows[offsets[number] : offsets[number + 1]]] == shard).sum())
            if count:
                expected[encode_term(term)] = count
        assert shard_dictionary(cluster["export"], shard) == expected
    assert len({encode_term(term) for term in vocabulary}) == len(vocabulary)


def test_terms_the_engine_charset_cannot_hold_are_encoded_without_collisions():
    words = ["kyiv", "münchen", "zürich", "x" * 60, "_x41", "3.5", "o'neil"]
    encoded = [encode_term(word) for word in words]
    assert encoded[0] == "kyiv"
    assert all(len(word) <= 42 and set(word) <= set("abcdefghijklmnopqrstuvwxyz0123456789_") for word in encoded)
    assert len(set(encoded)) == len(encoded)


def test_exact_mode_equals_the_embedded_rows_and_scores(embedded, through_cluster):
    queries = make_queries(embedded, 60) + ["the the said said", "a word nobody wrote zqxjv"]
    rounds, by_bound = [], []
    for query in queries:
        terms = analyze(query)
        if not terms:
            continue
        for k in (RETRIEVED, 10, 1):
            assert through_cluster.retriever.search_terms(terms, k) == embedded.retriever.search_terms(terms, k), query
            statistics = through_cluster.retriever.last
            rounds.append(statistics.rounds)
            if statistics.certified_by == "bound":
                by_bound.append(statistics)
    assert by_bound, "no query needed the bound: the test does not exercise it"
    assert all(statistics.offset_confirmed for statistics in by_bound)  # bm25a has the form the bound relies on
    print(f"rounds: mean {sum(rounds) / len(rounds):.2f}, max {max(rounds)}; {len(by_bound)} certified by the bound")
    assert sum(rounds) / len(rounds) < 1.5  # the first depth usually suffices


def test_an_engine_weight_of_another_form_still_gives_exact_results(embedded, through_cluster, monkeypatch):
    """When the rows do not match bm25a's known form, the bound takes the whole weight: more rounds, same hits."""
    import qa.sphinxql

    monkeypatch.setattr(qa.sphinxql, "BM25A_OFFSET", 0.25)
    for query in make_queries(embedded, 20):
        terms = analyze(query)
        if terms:
            assert through_cluster.retriever.search_terms(terms, RETRIEVED) == embedded.retriever.search_terms(terms, RETRIEVED), query
            assert not through_cluster.retriever.last.offset_confirmed or through_cluster.retriever.last.certified_by != "bound"


def test_sentences_containing_matches_the_embedded_counts(embedded, through_cluster):
    for term in analyze("government said people year first city war"):
        for first, end in ((0, len(embedded)), (10, 200), (len(embedded) // 2, len(embedded))):
            assert through_cluster.retriever.sentences_containing(term, first, end) == embedded.retriever.sentences_containing(term, first, end)


def test_canned_questions_give_the_same_replies(embedded, through_cluster):
    for case in CASES:
        history_embedded, history_cluster = [], []
        for earlier in case.get("after", []):
            history_embedded.append(answer(earlier, embedded, history_embedded))
            history_cluster.append(answer(earlier, through_cluster, history_cluster))
        expected = answer(case["question"], embedded, history_embedded or None)
        got = answer(case["question"], through_cluster, history_cluster or None)
        assert got.to_json() == expected.to_json(), case["id"]


def test_scoped_searches_equal_the_embedded_ones(embedded, through_cluster):
    """A scope is a mask of rows: a few documents apart, every other document, one row, none."""
    document_of_row = np.asarray(embedded.arrays["sentence_doc"])
    documents = len(embedded.documents)
    masks = {
        "every other document": (document_of_row % 2) == 0,
        "the first and the last document": np.isin(document_of_row, [0, documents - 1]),
        "one row": np.arange(len(embedded)) == len(embedded) // 3,
    }
    queries = make_queries(embedded, 25)
    for name, mask in masks.items():
        for query in queries:
            terms = analyze(query)
            if terms:
                for k in (RETRIEVED, 5):
                    expected = embedded.retriever.search_terms(terms, k, mask)
                    assert through_cluster.retriever.search_terms(terms, k, mask) == expected, (name, query)
                    assert all(mask[hit.row] for hit in expected)
    assert through_cluster.retriever.search_terms(analyze(queries[0]), 10, np.zeros(len(embedded), dtype=bool)) == []


def test_a_question_limited_to_one_outlet_gets_the_embedded_reply(embedded, through_cluster):
    from qa.scope import Scope, outlet_of

    outlet = sorted({outlet_of(document) for document in embedded.documents})[0]
    for case in CASES[:10]:
        scope = Scope((outlet,), None, None)
        expected = answer(case["question"], embedded, None, scope=scope)
        assert answer(case["question"], through_cluster, None, scope=scope).to_json() == expected.to_json(), case["id"]


def test_the_cli_asks_through_the_cluster(cluster, capsys):
    from qa.cli import main

    question = CASES[0]["question"]
    assert main(["ask", "--index", str(cluster["index_dir"]), "--json", question]) == 0
    embedded_output = capsys.readouterr().out
    assert main(["ask", "--index", cluster["address"], "--json", question]) == 0
    assert capsys.readouterr().out == embedded_output


def test_a_stale_manifest_is_refused(cluster, tmp_path):
    manifest_path = cluster["export"] / "cluster.json"
    original = manifest_path.read_text(encoding="utf-8")
    manifest = json.loads(original)
    try:
        manifest["shards"][1]["stamp"] += 1
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(ClusterError, match="does not match its manifest"):
            open_cluster(cluster["address"])
        manifest = json.loads(original)
        manifest["shards"][0]["sentences"] += 1
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(ClusterError, match="sentence counts"):
            open_cluster(cluster["address"])
    finally:
        manifest_path.write_text(original, encoding="utf-8")


def test_a_frozen_then_stopped_shard_makes_queries_fail(cluster, embedded):
    """Last in the file: it stops a shard (the fixture then stops the rest)."""
    index = open_cluster(cluster["address"])
    terms = analyze("government said people")
    assert index.retriever.search_terms(terms, 10) == embedded.retriever.search_terms(terms, 10)
    processes = json.loads((cluster["export"] / "run" / "pids.json").read_text(encoding="utf-8"))
    second = processes[1]["pid"]
    os.kill(second, signal.SIGSTOP)
    try:
        with pytest.raises(ClusterError, match="a shard is down, frozen or missing"):
            index.retriever.search_terms(terms, 10)
    finally:
        os.kill(second, signal.SIGCONT)
    os.kill(second, signal.SIGTERM)
    os.waitpid(second, 0)
    with pytest.raises(ClusterError, match="a shard is down, frozen or missing"):
        index.retriever.search_terms(terms, 10)
    with pytest.raises(ClusterError):
        index.retriever.sentences_containing(terms[0], 0, len(embedded))
    with pytest.raises(ClusterError):
        open_cluster(cluster["address"])
