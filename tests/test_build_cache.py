"""Rebuilds take each unchanged document's analysis from the cache, and give the same index as a fresh build."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import qa.analysis
from qa.index import MANIFEST, SentenceIndex, build_index, stale_reason

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NEW_ARTICLE = """Harbour Works Reopen

The old harbour reopened on Monday after two years of repairs, the port authority said.
Ferries to the islands will run twice a day from next week.
"""


def _index_files(index_dir: Path) -> dict[str, bytes]:
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    generation = index_dir / manifest["generation"]
    return {path.name: path.read_bytes() for path in sorted(generation.iterdir())}


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def analysed(monkeypatch) -> list[str]:
    """The ids of the documents analysed (not taken from the cache) from now on."""
    calls: list[str] = []
    original = qa.analysis.analyse_document

    def counting(data: bytes, doc_id: str):
        calls.append(doc_id)
        return original(data, doc_id)

    monkeypatch.setattr(qa.analysis, "analyse_document", counting)
    return calls


def test_adding_one_document_analyses_only_that_document(corpus, tmp_path, analysed):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    assert len(analysed) == len(list(SEEDS.glob("*.txt")))
    (corpus / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    analysed.clear()
    build_index(corpus, index_dir)
    assert analysed == ["zz_new.txt"]

    fresh = tmp_path / "fresh"
    build_index(corpus, fresh, use_cache=False)
    assert _index_files(index_dir) == _index_files(fresh)
    assert stale_reason(SentenceIndex.load(index_dir).manifest, corpus) is None


def test_changing_one_document_analyses_only_that_document_and_drops_its_old_analysis(corpus, tmp_path, analysed):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    changed = sorted(corpus.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe harbour reopened on Monday.\n", encoding="utf-8")
    analysed.clear()
    build_index(corpus, index_dir)
    assert analysed == [changed.name]
    cached = list((index_dir / "cache").rglob("*.analysis"))
    assert len(cached) == len(list(corpus.glob("*.txt")))

    fresh = tmp_path / "fresh"
    build_index(corpus, fresh, use_cache=False)
    assert _index_files(index_dir) == _index_files(fresh)
    hits = SentenceIndex.load(index_dir).search("harbour reopened", 1)
    assert SentenceIndex.load(index_dir).sentence(hits[0].row).doc_id == changed.name


def test_parallel_build_equals_the_in_process_build(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(12):
        (corpus / f"{number:02d}.txt").write_text(f"Report {number}\n\n{NEW_ARTICLE}\nThe count was {number} ships.\n", encoding="utf-8")
    monkeypatch.setattr(qa.analysis, "PARALLEL_THRESHOLD", 4)
    build_index(corpus, tmp_path / "parallel", workers=2)
    build_index(corpus, tmp_path / "serial", workers=1)
    assert _index_files(tmp_path / "parallel") == _index_files(tmp_path / "serial")
    index = SentenceIndex.load(tmp_path / "parallel")
    assert [index.documents[number]["doc_id"] for number in range(12)] == [f"{number:02d}.txt" for number in range(12)]
    assert np.array_equal(np.asarray(index.arrays["sentence_doc"]), np.repeat(np.arange(12), len(index) // 12))


def test_postings_are_ordered_by_term_then_row_on_both_sorting_paths():
    from qa.index import _postings_by_term

    generator = np.random.default_rng(7)
    pairs = np.unique(generator.integers(0, 40 * 500, 3000))  # distinct (row, term) pairs, in row order
    rows, terms = (pairs // 40).astype(np.int32), (pairs % 40).astype(np.int32)
    frequencies = generator.integers(1, 5, len(pairs)).astype(np.int32)
    order = np.lexsort((rows, terms))
    for largest in (4, 5000):  # 5000 is too large to pack: the argsort path
        frequencies[0] = largest
        result = _postings_by_term(terms, rows, frequencies, 500)
        assert all(np.array_equal(got, expected[order]) for got, expected in zip(result, (terms, rows, frequencies)))


def _qa_modules_imported_by(module: str) -> set[str]:
    source = (Path(qa.analysis.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    return set(re.findall(r"^\s*from qa\.(\w+) import", source, flags=re.MULTILINE))


def test_every_module_the_analysis_reaches_names_the_cache():
    """A change to any module that reads, cleans or splits a document must make cached analyses stale."""
    not_shaping_output = {"workers", "errors"}  # run the analysis / name its failures; what it produces is elsewhere
    reached, waiting = set(), ["analysis"]
    while waiting:
        module = waiting.pop()
        if module in reached:
            continue
        reached.add(module)
        waiting.extend(_qa_modules_imported_by(module) - not_shaping_output)
    assert {f"{module}.py" for module in reached} <= set(qa.analysis.ANALYSING_FILES)


def test_an_analysis_crosses_from_a_worker_unchanged():
    # The workers pickle analyses with their terms joined into one string; every field comes back as it was.
    import dataclasses
    import pickle

    text = b"The ferry to the island sails twice a day. Its captain has sailed it for thirty years.\n"
    analysis = qa.analysis.analyse_document(text, "ferry.txt")
    for sent in (analysis, dataclasses.replace(analysis, terms=[])):
        back = pickle.loads(pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL))
        assert back.terms == sent.terms and back.metadata == sent.metadata and back.text == sent.text
        assert (back.doc_id, back.content_hash) == (sent.doc_id, sent.content_hash)
        for name in ("columns", "text_offsets", "postings"):
            assert np.array_equal(getattr(back, name), getattr(sent, name)) and getattr(back, name).dtype == getattr(sent, name).dtype
    assert len(analysis.terms) > 5
