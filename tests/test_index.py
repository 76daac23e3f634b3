"""The index on disk: manifest, validation on load, rebuilds when stale or corrupt, atomic builds."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from conftest import REPOSITORY, SEEDS
from made_up_corpus import write_articles
from rank_bm25 import BM25Okapi

import qa.index
from qa.corpus import CLEANING_VERSION
from qa.errors import CorpusError, IndexCorrupt, IndexNotFound
from qa.index import (
    FORMAT_VERSION,
    INDEX_MARKER,
    LOCK_FILE,
    MANIFEST,
    SentenceIndex,
    build_index,
    corpus_fingerprint,
    ensure_index,
    read_manifest,
)
from qa.text import ANALYZER_VERSION, analyze

NEW_ARTICLE = (
    "Harbour bridge reopens\n"
    "The harbour bridge reopened on Friday after two years of repairs. Engineers replaced forty cables.\n"
    "Traffic returned to normal within hours.\n"
)


def _results(index: SentenceIndex, query: str = "Haniyeh based") -> list[tuple[str, int, float]]:
    return [(index.sentence(hit.row).doc_id, index.sentence(hit.row).sentence_index, hit.score) for hit in index.search(query, 5)]


def _generation(index_dir) -> str:
    return json.loads((index_dir / MANIFEST).read_text())["generation"]


def _leftovers(index_dir) -> list[str]:
    """Hidden files in an index folder other than its marker and lock: what a build left behind."""
    return [path.name for path in index_dir.iterdir() if path.name.startswith(".") and path.name not in {INDEX_MARKER, LOCK_FILE}]


# ---------------------------------------------------------------- build and load


def test_build_then_load(tmp_path):
    report = build_index(SEEDS, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    assert report.documents == len(index.documents) == 5
    assert report.sentences == len(index) == index.manifest["sentences"]
    assert report.skipped == []
    assert report.index_dir == (tmp_path / "index").resolve()
    first = index.sentence(0)
    assert first.doc_id == "000_0e8cd08fd7a0e557.txt"
    assert first.sentence_index == 0
    assert first.text.startswith("In a significant development")
    rows = index.document_rows("003_ce45d80c013bad2b.txt")
    assert [index.sentence(row).sentence_index for row in rows] == list(range(len(rows)))


def test_manifest_records_how_and_from_what_the_index_was_built(seed_index_dir, seed_index):
    manifest = read_manifest(seed_index_dir)
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["analyzer_version"] == ANALYZER_VERSION
    assert manifest["cleaning_version"] == CLEANING_VERSION
    assert "punkt" in manifest["sentence_splitter"]
    assert manifest["parameters"]["model"] == "BM25Okapi"
    assert (manifest["parameters"]["k1"], manifest["parameters"]["b"], manifest["parameters"]["epsilon"]) == (1.5, 0.75, 0.25)
    assert manifest["corpus"] == str(SEEDS)
    assert manifest["corpus_fingerprint"] == corpus_fingerprint(SEEDS)
    assert len(manifest["corpus_fingerprint"]) == 64
    assert manifest["documents"] == 5
    assert manifest["sentences"] == len(seed_index) > 50
    assert manifest["terms"] == len(seed_index.retriever.vocabulary)
    assert manifest["skipped"] == []
    assert datetime.fromisoformat(manifest["built_at"]).tzinfo is not None
    assert manifest["build_seconds"] >= 0


def test_scores_are_rank_bm25_scores(seed_index):
    sentences = [analyze(seed_index.sentence(row).text) for row in range(len(seed_index))]
    reference = BM25Okapi(sentences)
    for query in ["Haniyeh based", "Khamenei meeting Tehran", "children killed Gaza"]:
        terms = analyze(query)
        assert np.allclose(seed_index.retriever.scores(terms), reference.get_scores(terms), rtol=0, atol=1e-12)


TIED_QUERIES = ["harbour reopened", "library of Northvale", "said Lena Marsh", "ferry pier painted on day 3", "tram"]


@pytest.mark.parametrize("segment_postings", [1, 37, 500])
def test_a_build_in_small_segments_writes_the_very_index_of_a_one_segment_build(tmp_path, segment_postings):
    """Segments written mid-corpus and merged term range by term range: every file byte for byte, every score and tie."""
    write_articles(tmp_path / "corpus", 60)  # made-up articles repeating sentences, so many scores tie
    whole, segmented = tmp_path / "whole", tmp_path / "segmented"
    build_index(tmp_path / "corpus", whole, use_cache=False)
    build_index(tmp_path / "corpus", segmented, use_cache=False, segment_postings=segment_postings)
    whole_files, segmented_files = (sorted((folder / _generation(folder)).iterdir()) for folder in (whole, segmented))
    assert [path.name for path in whole_files] == [path.name for path in segmented_files]
    assert "postings_rows.npy" in [path.name for path in whole_files] and qa.index.SEGMENTS_FOLDER not in [path.name for path in segmented_files]
    for left, right in zip(whole_files, segmented_files):
        assert left.read_bytes() == right.read_bytes(), left.name
    one, many = SentenceIndex.load(whole), SentenceIndex.load(segmented)
    assert len(many) > 300
    reference = BM25Okapi([analyze(many.sentence_text(row)) for row in range(len(many))])
    for query in TIED_QUERIES:
        hits = many.search(query, k=2000)  # more than match: every matching row, ties in row order
        assert hits == one.search(query, k=2000)
        assert len({hit.score for hit in hits}) < len(hits)  # the query has ties
        assert hits == many.retriever.search_terms_exhaustive(analyze(query), 2000)
        assert np.array_equal(many.retriever.scores(analyze(query)), reference.get_scores(analyze(query)))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda folder: (folder / "000_0e8cd08fd7a0e557.txt").write_bytes(b"Changed text. Entirely new."), id="content"),
        pytest.param(lambda folder: (folder / "new.txt").write_text(NEW_ARTICLE), id="file-added"),
        pytest.param(lambda folder: (folder / "002_fc334fc79f7154fc.txt").unlink(), id="file-removed"),
        pytest.param(
            lambda folder: (folder / "002_fc334fc79f7154fc.txt").rename(folder / "renamed.txt"),
            id="file-renamed",
        ),
    ],
)
def test_corpus_fingerprint_follows_names_and_bytes(corpus_copy, change):
    before = corpus_fingerprint(corpus_copy)
    change(corpus_copy)
    assert corpus_fingerprint(corpus_copy) != before


def test_corpus_fingerprint_ignores_timestamps_and_other_files(corpus_copy):
    before = corpus_fingerprint(corpus_copy)
    os.utime(corpus_copy / "000_0e8cd08fd7a0e557.txt", (1, 1))
    (corpus_copy / "notes.docx").write_bytes(b"PK\x03\x04")
    assert corpus_fingerprint(corpus_copy) == before


# ---------------------------------------------------------------- ensure_index: missing, current, stale


def test_missing_index_is_built_with_a_message(tmp_path, corpus_copy):
    messages = []
    with pytest.raises(IndexNotFound):
        SentenceIndex.load(tmp_path / "index")
    index = ensure_index(corpus_copy, tmp_path / "index", notify=messages.append)
    assert len(index) > 50
    assert len(messages) == 1 and "no index" in messages[0]


def test_current_index_is_loaded_without_rebuilding(corpus_copy, index_copy):
    messages = []
    generation = _generation(index_copy)
    ensure_index(corpus_copy, index_copy, notify=messages.append)
    ensure_index(None, index_copy, notify=messages.append)
    assert messages == []
    assert _generation(index_copy) == generation


def test_changed_corpus_makes_the_index_stale_and_it_is_rebuilt(corpus_copy, index_copy):
    (corpus_copy / "bridge.txt").write_text(NEW_ARTICLE)
    messages = []
    index = ensure_index(corpus_copy, index_copy, notify=messages.append)
    assert len(messages) == 1 and "stale" in messages[0] and "corpus changed" in messages[0]
    assert len(index.documents) == 6
    assert index.sentence(index.search("harbour bridge cables", 1)[0].row).doc_id == "bridge.txt"


@pytest.mark.parametrize(
    ("attribute", "words"),
    [
        pytest.param("ANALYZER_VERSION", "analyzer version", id="analyzer-version"),
        pytest.param("CLEANING_VERSION", "cleaning rules version", id="cleaning-version"),
        pytest.param("FORMAT_VERSION", "index format", id="format-version"),
    ],
)
def test_index_built_by_other_rules_is_stale_and_rebuilt(tmp_path, corpus_copy, monkeypatch, attribute, words):
    with monkeypatch.context() as patch:
        patch.setattr(qa.index, attribute, "old-version")
        build_index(corpus_copy, tmp_path / "index")
    assert read_manifest(tmp_path / "index")[attribute.lower()] == "old-version"
    messages = []
    index = ensure_index(corpus_copy, tmp_path / "index", notify=messages.append)
    assert len(messages) == 1 and "stale" in messages[0] and words in messages[0]
    assert index.manifest[attribute.lower()] == getattr(qa.index, attribute)


def test_index_of_another_corpus_is_not_rebuilt_from_the_seeds(corpus_copy, index_copy):
    (corpus_copy / "bridge.txt").write_text(NEW_ARTICLE)
    build_index(corpus_copy, index_copy)
    messages = []
    index = ensure_index(None, index_copy, notify=messages.append)
    assert messages == []
    assert len(index.documents) == 6


def test_index_whose_corpus_is_gone_is_still_usable(corpus_copy, index_copy):
    shutil.rmtree(corpus_copy)
    index = ensure_index(None, index_copy)
    assert _results(index)[0][0] == "003_ce45d80c013bad2b.txt"
    with pytest.raises(CorpusError, match="not found"):
        ensure_index(corpus_copy, index_copy)


# ---------------------------------------------------------------- corrupt indexes


def _truncate(path):
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def _manifest_with(index_dir, **changes):
    manifest = json.loads((index_dir / MANIFEST).read_text())
    manifest.update(changes)
    (index_dir / MANIFEST).write_text(json.dumps(manifest))


CORRUPTIONS = [
    pytest.param(lambda index, generation: (index / MANIFEST).write_bytes(b"\x00{garbage"), id="garbage-manifest"),
    pytest.param(lambda index, generation: (index / MANIFEST).write_text(""), id="empty-manifest"),
    pytest.param(lambda index, generation: (index / MANIFEST).write_text("[1, 2, 3]"), id="manifest-not-an-object"),
    pytest.param(lambda index, generation: (index / MANIFEST).write_bytes(b"\xff\xfe\x00"), id="manifest-not-utf8"),
    pytest.param(lambda index, generation: _manifest_with(index, generation="../elsewhere"), id="manifest-path-escape"),
    pytest.param(lambda index, generation: _manifest_with(index, sentences="many"), id="manifest-count-not-a-number"),
    pytest.param(lambda index, generation: _manifest_with(index, sentences=3), id="manifest-count-wrong"),
    pytest.param(lambda index, generation: _truncate(generation / "postings_rows.npy"), id="truncated-postings"),
    pytest.param(lambda index, generation: (generation / "sentence_start.npy").write_bytes(b"\x93NUMPY"), id="truncated-npy-header"),
    pytest.param(lambda index, generation: (generation / "postings_weights.npy").unlink(), id="deleted-npy"),
    pytest.param(lambda index, generation: _truncate(generation / "sentence_text.bin"), id="truncated-sentence-text"),
    pytest.param(lambda index, generation: (generation / "documents.jsonl").write_text("{not json"), id="garbage-documents"),
    pytest.param(lambda index, generation: _truncate(generation / "documents.jsonl"), id="truncated-documents"),
    pytest.param(lambda index, generation: np.save(generation / "document_offsets.npy", np.arange(6) * 7), id="document-offsets-wrong"),
    pytest.param(lambda index, generation: np.save(generation / "document_group.npy", np.full(5, 9, np.int32)), id="document-group-beyond-documents"),
    pytest.param(lambda index, generation: (generation / "document_ids.json").unlink(), id="deleted-document-ids"),
    pytest.param(lambda index, generation: (generation / "documents.jsonl").unlink(), id="deleted-documents"),
    pytest.param(lambda index, generation: (generation / "vocabulary.json").unlink(), id="deleted-vocabulary"),
    pytest.param(
        lambda index, generation: np.save(generation / "postings_rows.npy", np.zeros(len(np.load(generation / "postings_rows.npy")))),
        id="array-wrong-type",
    ),
    pytest.param(lambda index, generation: shutil.rmtree(generation), id="deleted-generation-folder"),
    pytest.param(lambda index, generation: _truncate(generation / "block_maxima.npy"), id="truncated-block-maxima"),
    pytest.param(
        lambda index, generation: np.save(generation / "term_max_weights.npy", np.load(generation / "term_max_weights.npy")[:-1]),
        id="term-maxima-too-short",
    ),
    pytest.param(
        lambda index, generation: np.save(generation / "block_maxima_terms.npy", np.array([10**9], dtype=np.int64)),
        id="block-maxima-of-unknown-term",
    ),
    pytest.param(lambda index, generation: _manifest_with(index, block_shift=-1), id="manifest-block-shift-invalid"),
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_corrupt_index_gives_index_corrupt_and_is_rebuilt(corpus_copy, index_copy, corrupt):
    expected = _results(SentenceIndex.load(index_copy))
    corrupt(index_copy, index_copy / _generation(index_copy))
    with pytest.raises(IndexCorrupt):
        SentenceIndex.load(index_copy)
    messages = []
    index = ensure_index(corpus_copy, index_copy, notify=messages.append)
    assert len(messages) == 1 and "rebuilding" in messages[0]
    assert _results(index) == expected


# ---------------------------------------------------------------- atomic builds


def _fail_when(predicate, error: BaseException, original):
    """`original`, except that the call whose first argument satisfies `predicate` raises `error`."""

    def failing(*arguments, **keywords):
        first = arguments[0]
        if predicate(Path(first) if isinstance(first, str | os.PathLike) else first):
            raise error
        return original(*arguments, **keywords)

    return failing


def _progress_failing_at(number: int, error: BaseException):
    def progress(done: int, total: int) -> None:
        if done == number:
            raise error

    return progress


FAILURES = [
    pytest.param("progress", lambda: _progress_failing_at(3, RuntimeError("boom")), RuntimeError, id="error-mid-corpus"),
    pytest.param("progress", lambda: _progress_failing_at(3, KeyboardInterrupt()), KeyboardInterrupt, id="ctrl-c-mid-corpus"),
    pytest.param(
        "np.save",
        lambda: _fail_when(lambda path: path.name == "rows.npy", OSError(28, "No space left on device"), np.save),
        OSError,
        id="disk-full-writing-a-segment",
    ),
    pytest.param(
        "ArrayFile.append",
        lambda: _fail_when(
            lambda file: file.path.name == "postings_rows.npy", OSError(28, "No space left on device"), qa.index.ArrayFile.append
        ),
        OSError,
        id="disk-full-merging-segments",
    ),
    pytest.param(
        "_write_json",
        lambda: _fail_when(lambda path: path.name.startswith(f".{MANIFEST}"), KeyboardInterrupt(), qa.index._write_json),
        KeyboardInterrupt,
        id="ctrl-c-writing-manifest",
    ),
    pytest.param(
        "os.replace",
        lambda: _fail_when(lambda path: path.name.startswith(f".{MANIFEST}"), OSError("rename failed"), os.replace),
        OSError,
        id="manifest-switch-fails",
    ),
]


@pytest.mark.parametrize(("target", "make_failure", "error"), FAILURES)
def test_failed_build_leaves_the_previous_index_loadable(monkeypatch, corpus_copy, index_copy, target, make_failure, error):
    before = _results(SentenceIndex.load(index_copy))
    generation = _generation(index_copy)
    (corpus_copy / "bridge.txt").write_text(NEW_ARTICLE)
    failure = make_failure()
    progress = None
    with monkeypatch.context() as patch:
        if target == "progress":
            progress = failure
        elif target == "np.save":
            patch.setattr(qa.index.np, "save", failure)
        elif target == "os.replace":
            patch.setattr(qa.index.os, "replace", failure)
        elif target == "ArrayFile.append":
            patch.setattr(qa.index.ArrayFile, "append", failure)
        else:
            patch.setattr(qa.index, target, failure)
        with pytest.raises(error):
            build_index(corpus_copy, index_copy, progress=progress)
    assert _generation(index_copy) == generation
    assert _results(SentenceIndex.load(index_copy)) == before
    assert _leftovers(index_copy) == []
    # The next build succeeds and switches to the new corpus.
    build_index(corpus_copy, index_copy)
    assert len(SentenceIndex.load(index_copy).documents) == 6


KILLED_BUILD = """
import sys, time
from pathlib import Path
import qa.index

original = qa.index._write_json
def write_then_hang(path, value, indent=None):
    original(path, value, indent)
    if path.name.startswith(sys.argv[3]):
        Path(sys.argv[4]).write_text("ready")
        time.sleep(120)
qa.index._write_json = write_then_hang
qa.index.build_index(Path(sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.mark.parametrize(
    "hang_after",
    [
        pytest.param("vocabulary.json", id="killed-with-new-arrays-written"),
        pytest.param(".manifest.json", id="killed-with-new-manifest-half-switched"),
    ],
)
def test_build_killed_mid_write_leaves_the_previous_index_loadable(tmp_path, corpus_copy, index_copy, hang_after):
    before = _results(SentenceIndex.load(index_copy))
    generation = _generation(index_copy)
    (corpus_copy / "bridge.txt").write_text(NEW_ARTICLE)
    ready = tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_BUILD, str(corpus_copy), str(index_copy), hang_after, str(ready)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    try:
        for _ in range(600):  # waits for the child to reach the write, not a timing assertion
            if ready.exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), "the build never reached the write"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert _generation(index_copy) == generation
    assert _results(SentenceIndex.load(index_copy)) == before
    messages = []
    index = ensure_index(corpus_copy, index_copy, notify=messages.append)
    assert "stale" in messages[0]
    assert len(index.documents) == 6
    assert _leftovers(index_copy) == []


def test_build_keeps_the_readme_of_the_index_folder(tmp_path):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    readme = "# index/\n\nGenerated files only.\n"
    (index_dir / "README.md").write_text(readme)
    for _ in range(3):
        build_index(SEEDS, index_dir)
    assert (index_dir / "README.md").read_text() == readme
    names = sorted(path.name for path in index_dir.iterdir())
    assert {"README.md", MANIFEST, INDEX_MARKER} <= set(names)
    assert len([name for name in names if name.startswith("generation-")]) == 2  # the current one and the previous one
    assert _leftovers(index_dir) == []
    assert len(SentenceIndex.load(index_dir)) > 50


def test_repository_index_folder_is_git_ignored_except_its_readme():
    ignore = (REPOSITORY / ".gitignore").read_text().splitlines()
    assert "index/*" in ignore and "!index/README.md" in ignore
    assert (REPOSITORY / "index" / "README.md").is_file()


def test_progress_callback_counts_every_file(corpus_copy, tmp_path):
    calls = []
    build_index(corpus_copy, tmp_path / "index", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(number, 5) for number in range(1, 6)]
