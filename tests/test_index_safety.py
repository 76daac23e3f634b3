"""The index never deletes what it did not write, never breaks under concurrent builds,
is rebuilt only from the corpus it records, and one bad corpus file never stops it."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import REPOSITORY, SEEDS

import qa.index
from qa.cli import main
from qa.errors import IndexCorrupt, IndexFolderRefused
from qa.index import MANIFEST, SentenceIndex, build_index, ensure_index, read_manifest

ARTICLE = (
    "Valley orchard opens\n"
    "The valley orchard opened its gates to visitors on Sunday after a dry summer. Growers sold forty crates of pears.\n"
    "The orchard will stay open until the first frost.\n"
)


def _files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(part) for part in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------- 1. only what it wrote


def test_an_index_folder_that_is_the_corpus_is_refused_and_nothing_is_deleted(tmp_path, capsys):
    folder = tmp_path / "articles"
    (folder / "cache").mkdir(parents=True)
    for path in sorted(SEEDS.glob("00[34]*.txt")):
        shutil.copy(path, folder / "cache" / path.name)
    before = _files_under(folder)
    code, out, err = _run(["index", "build", "--corpus", folder, "--index", folder], capsys)
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "inside the corpus" in err
    assert _files_under(folder) == before


def test_an_index_folder_inside_the_corpus_is_refused(corpus_copy):
    before = _files_under(corpus_copy)
    with pytest.raises(IndexFolderRefused, match="inside the corpus"):
        build_index(corpus_copy, corpus_copy / "index")
    assert _files_under(corpus_copy) == before
    assert not (corpus_copy / "index").exists()


def test_a_corpus_inside_the_index_folder_is_refused(tmp_path):
    index_dir = tmp_path / "index"
    corpus = index_dir / "generation-z-articles"
    shutil.copytree(SEEDS, corpus)
    before = _files_under(index_dir)
    with pytest.raises(IndexFolderRefused, match="inside the index folder"):
        build_index(corpus, index_dir)
    assert _files_under(index_dir) == before


def test_a_folder_holding_other_files_is_refused_with_what_to_do(tmp_path, corpus_copy):
    index_dir = tmp_path / "mine"
    (index_dir / "cache").mkdir(parents=True)
    (index_dir / "cache" / "notes.txt").write_text("my notes")
    (index_dir / "generation-z-articles").mkdir()
    (index_dir / "generation-z-articles" / "a.txt").write_text("an article")
    (index_dir / f".{MANIFEST}.7.tmp").write_text("mine too")
    before = _files_under(index_dir)
    with pytest.raises(IndexFolderRefused, match="already holds files") as error:
        build_index(corpus_copy, index_dir)
    assert "empty or new folder" in str(error.value)
    assert _files_under(index_dir) == before


def test_rebuilds_delete_only_what_the_index_wrote(tmp_path, corpus_copy):
    index_dir = tmp_path / "index"
    build_index(corpus_copy, index_dir)
    # Files a user put into the index folder after the first build, named like the index's own.
    user_files = {
        "generation-z-articles/a.txt": b"an article",
        ".generation-notes.partial/b.txt": b"a draft",
        f".{MANIFEST}.99.tmp": b"a note",
        "cache/notes.txt": b"cache notes",
        "cache/00/mine.analysis": b"not an analysis",
    }
    for name, data in user_files.items():
        (index_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (index_dir / name).write_bytes(data)
    (corpus_copy / "orchard.txt").write_text(ARTICLE)
    build_index(corpus_copy, index_dir)
    (corpus_copy / "orchard.txt").unlink()  # its cached analysis is pruned
    build_index(corpus_copy, index_dir)
    build_index(corpus_copy, index_dir)
    for name, data in user_files.items():
        assert (index_dir / name).read_bytes() == data, name
    assert len(SentenceIndex.load(index_dir).documents) == 5
    generations = [path.name for path in index_dir.iterdir() if path.name.startswith("generation-2")]
    assert len(generations) == 2  # the current one and the previous one (for readers that opened it)
    assert len(list((index_dir / "cache").rglob("*.analysis"))) == 5 + 1  # the corpus's five and the user's file


def test_an_index_loaded_before_two_rebuilds_still_answers_from_its_own_generation(corpus_copy, index_copy):
    # Two later builds remove the generation a long-running reader opened (the current and the previous are
    # kept): what that reader reads on first use (terms, document ids, metadata) must still be its own.
    reader = SentenceIndex.load(index_copy)
    opened = index_copy / reader.manifest["generation"]
    query = reader.sentence_text(7)  # the text blob is mapped at load, read here
    (corpus_copy / "orchard.txt").write_text(ARTICLE)
    build_index(corpus_copy, index_copy)
    (corpus_copy / "orchard.txt").write_text(ARTICLE.replace("pears", "plums"))
    build_index(corpus_copy, index_copy)
    assert not opened.exists()
    fresh = SentenceIndex.load(index_copy)
    assert fresh.search("orchard pears", 3)  # the new generation has the orchard
    assert reader.search("orchard pears", 3) == []  # the old one, as it was: no orchard, and no error
    hits = reader.search(query, 3)
    assert 7 in [hit.row for hit in hits]
    assert reader.document_of(7) == reader.documents.by_id(reader.document_of(7)["doc_id"])
    assert len(reader.documents) == 5 and all(document["doc_id"] for document in reader.documents)


def test_an_index_from_before_the_marker_is_adopted(tmp_path, corpus_copy):
    index_dir = tmp_path / "index"
    build_index(corpus_copy, index_dir)
    for name in (qa.index.INDEX_MARKER, qa.index.LOCK_FILE):
        (index_dir / name).unlink()
    (index_dir / "cache" / qa.analysis.CACHE_MARKER).unlink()
    old = read_manifest(index_dir)["generation"]
    build_index(corpus_copy, index_dir)
    build_index(corpus_copy, index_dir)
    assert not (index_dir / old).exists()
    assert len(SentenceIndex.load(index_dir)) > 50


# ---------------------------------------------------------------- 4. concurrent builds

CONCURRENT_BUILDER = """
import sys, time
from pathlib import Path
from qa.index import build_index

start = Path(sys.argv[3])
while not start.exists():
    time.sleep(0.005)
for _ in range(int(sys.argv[4])):
    build_index(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_two_concurrent_builds_and_a_reader_all_succeed(tmp_path, corpus_copy, index_copy):
    expected = [(hit.row, hit.score) for hit in SentenceIndex.load(index_copy).search("orchard pears", 3)]
    start = tmp_path / "start"
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    builders = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_BUILDER, str(corpus_copy), str(index_copy), str(start), "4"],
            cwd=tmp_path,
            env=environment,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    failures, loads = [], 0
    try:
        time.sleep(1.0)  # both children have imported qa; start them together
        start.write_text("go")
        deadline = time.monotonic() + 120  # a generous guard against a hang, not a timing assertion
        while any(builder.poll() is None for builder in builders) and time.monotonic() < deadline:
            try:
                index = SentenceIndex.load(index_copy)
                assert [(hit.row, hit.score) for hit in index.search("orchard pears", 3)] == expected
                loads += 1
            except Exception as error:  # noqa: BLE001 - every failure of a reader is what this test counts
                failures.append(repr(error))
    finally:
        for builder in builders:
            if builder.poll() is None:
                builder.kill()
        errors = [builder.communicate()[1].decode() for builder in builders]
    assert [builder.returncode for builder in builders] == [0, 0], errors
    assert failures == []
    assert loads > 0
    index = SentenceIndex.load(index_copy)
    assert [(hit.row, hit.score) for hit in index.search("orchard pears", 3)] == expected
    assert ensure_index(corpus_copy, index_copy).manifest["generation"] == index.manifest["generation"]


def test_a_build_waits_for_the_lock_and_gives_up_with_a_clear_error(tmp_path, corpus_copy, index_copy):
    import fcntl

    messages = []
    with open(index_copy / qa.index.LOCK_FILE, "a+b") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(qa.index.IndexBusy, match="another build"):
            build_index(corpus_copy, index_copy, notify=messages.append, lock_timeout=0.3)
    assert messages and "waiting" in messages[0]
    build_index(corpus_copy, index_copy)  # released: the next build goes ahead


def test_a_failed_build_releases_its_lock(corpus_copy, index_copy):
    def failing(done, total):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        build_index(corpus_copy, index_copy, progress=failing)
    build_index(corpus_copy, index_copy, lock_timeout=0.5)


# ---------------------------------------------------------------- 5. rebuilt only from its own corpus


def test_a_damaged_index_is_rebuilt_from_the_corpus_it_records_not_the_seeds(corpus_copy, index_copy, capsys):
    (corpus_copy / "orchard.txt").write_text(ARTICLE)
    build_index(corpus_copy, index_copy)
    generation = index_copy / read_manifest(index_copy)["generation"]
    with open(generation / "sentence_length.npy", "r+b") as handle:
        handle.truncate(50)
    code, out, err = _run(["search", "orchard pears", "--index", index_copy, "-k", "1", "--json"], capsys)
    assert code == 0, err
    assert "rebuilding from" in err and str(corpus_copy) in err
    assert json.loads(out)[0]["doc"] == "orchard.txt"
    assert len(SentenceIndex.load(index_copy).documents) == 6


@pytest.mark.parametrize("damage", ["deleted", "garbage"])
def test_an_index_whose_manifest_is_lost_stops_with_how_to_rebuild(corpus_copy, index_copy, capsys, damage):
    if damage == "deleted":
        (index_copy / MANIFEST).unlink()
    else:
        (index_copy / MANIFEST).write_text("{broken")
    before = sorted(path.name for path in index_copy.iterdir())
    code, out, err = _run(["search", "orchard pears", "--index", index_copy], capsys)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1
    assert f"python -m qa index build --corpus DIR --index {index_copy}" in err
    assert sorted(path.name for path in index_copy.iterdir()) == before  # nothing was rebuilt from the seeds
    with pytest.raises(IndexCorrupt):
        ensure_index(None, index_copy)


def test_a_damaged_index_whose_corpus_is_gone_stops_with_how_to_rebuild(corpus_copy, index_copy):
    generation = index_copy / read_manifest(index_copy)["generation"]
    (generation / "postings_rows.npy").write_bytes(b"")
    shutil.rmtree(corpus_copy)
    with pytest.raises(IndexCorrupt, match="python -m qa index build --corpus DIR"):
        ensure_index(None, index_copy)


def _rewrite(path: Path, change) -> None:
    values = np.array(np.load(path))
    change(values)
    np.save(path, values)


BOUNDS = [
    pytest.param("postings_offsets.npy", lambda values: values.__setitem__(5, 2**40), id="posting-offset-beyond-postings"),
    pytest.param("postings_offsets.npy", lambda values: values.__setitem__(slice(4, 6), values[4:6][::-1] + [1, 0]), id="posting-offsets-decreasing"),
    pytest.param("sentence_doc.npy", lambda values: values.__setitem__(-1, 99), id="sentence-document-beyond-documents"),
    pytest.param("sentence_text_offsets.npy", lambda values: values.__setitem__(4, 10**9), id="text-offsets-not-monotonic"),
    pytest.param("sentence_length.npy", lambda values: None, id="zero-byte-array"),
]


@pytest.mark.parametrize(("name", "change"), BOUNDS)
def test_arrays_out_of_bounds_are_damage_found_on_load(index_copy, name, change):
    path = index_copy / read_manifest(index_copy)["generation"] / name
    if name == "sentence_length.npy":
        path.write_bytes(b"")
    else:
        _rewrite(path, change)
    with pytest.raises(IndexCorrupt):
        SentenceIndex.load(index_copy)


def _damage_a_term_postings(index_dir: Path, row: int | None) -> tuple[str, str]:
    """Write `row` (None: the sentence count, one past the last row) into the postings of one term, a word
    that analyses to itself so a query can name it; return it and another term whose postings are intact."""
    from qa.text import analyze

    manifest = read_manifest(index_dir)
    generation = index_dir / manifest["generation"]
    terms = json.loads((generation / "vocabulary.json").read_text(encoding="utf-8"))
    offsets = np.load(generation / "postings_offsets.npy")
    usable = [number for number, term in enumerate(terms) if term.isalpha() and analyze(term) == [term] and offsets[number + 1] - offsets[number] >= 2]
    damaged, intact = usable[:2]
    value = manifest["sentences"] if row is None else row
    _rewrite(generation / "postings_rows.npy", lambda values: values.__setitem__(int(offsets[damaged + 1]) - 1, value))
    return terms[damaged], terms[intact]


@pytest.mark.parametrize("row", [None, 2**31 - 1, -1], ids=["one-past-the-last-sentence", "far-beyond", "negative"])
def test_a_posting_row_out_of_range_is_damage_found_on_the_terms_first_use(index_copy, capsys, row):
    # The postings' rows are checked per term on first use, not all at load (a load of ten
    # million sentences would read every posting): the damaged term is refused every time,
    # by the pruned and the exhaustive path alike, and intact terms still answer.
    term, intact = _damage_a_term_postings(index_copy, row)
    index = SentenceIndex.load(index_copy)
    assert index.retriever.search_terms([intact], 3)
    for _attempt in range(2):  # refused again: a failed check does not mark the term checked
        with pytest.raises(IndexCorrupt, match="damaged.*names a sentence that does not exist"):
            index.retriever.search_terms([intact, term, term], 10)
    for use in (
        lambda retriever: retriever.search_terms_exhaustive([term], 10),
        lambda retriever: retriever.sentences_containing(term, 0, 10),
        lambda retriever: retriever.scores([term]),
    ):
        with pytest.raises(IndexCorrupt):
            use(SentenceIndex.load(index_copy).retriever)
    assert index.retriever.search_terms([intact], 3) == index.retriever.search_terms_exhaustive([intact], 3)
    code, out, err = _run(["search", term, "--index", index_copy], capsys)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and str(index_copy) in err and "rebuild" in err
    code, out, err = _run(["index", "check", "--index", index_copy], capsys)  # the whole index at once
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and "damaged" in err and "rebuild" in err
    warmed = SentenceIndex.load(index_copy)
    for _attempt in range(2):  # warming (a server's start) checks every list at once, and marks nothing checked on damage
        with pytest.raises(IndexCorrupt, match="damaged.*names a sentence that does not exist"):
            warmed.warm()
    with pytest.raises(IndexCorrupt):
        warmed.retriever.search_terms([term], 10)


def _replace_document_line(index_dir: Path, number: int, replacement) -> None:
    """Overwrite one line of documents.jsonl in place with bytes of the same length (so the offsets still match)."""
    path = index_dir / read_manifest(index_dir)["generation"] / "documents.jsonl"
    lines = path.read_bytes().split(b"\n")
    lines[number] = replacement(lines[number])
    path.write_bytes(b"\n".join(lines))


@pytest.mark.parametrize(
    "replacement",
    [
        pytest.param(lambda line: b"{" + b"x" * (len(line) - 1), id="not-json"),
        pytest.param(lambda line: b"[" + b" " * (len(line) - 2) + b"]", id="not-a-document"),
        pytest.param(lambda line: line.replace(b'"doc_id": "', b'"doc_id": "~', 1).replace(b".txt", b".tx", 1), id="another-documents-id"),
    ],
)
def test_a_damaged_document_is_damage_found_on_its_first_use(index_copy, capsys, replacement):
    # A load reads no document's metadata (each is parsed on first use): a damaged line of the
    # same length passes the load's checks, then is refused, every time, where it is used.
    _replace_document_line(index_copy, 1, replacement)
    index = SentenceIndex.load(index_copy)
    assert index.documents[0]["doc_id"] and index.documents[2]["doc_id"]  # the others still read
    for _attempt in range(2):
        with pytest.raises(IndexCorrupt, match="damaged.*document #1.*rebuild the index"):
            index.documents[1]
    with pytest.raises(IndexCorrupt):
        list(index.documents)
    code, out, err = _run(["index", "check", "--index", index_copy], capsys)
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and "damaged" in err and "rebuild" in err
    code, out, err = _run(["corpus", "report", "--index", index_copy], capsys)
    assert code == 1 and len(err.splitlines()) == 1 and err.startswith("error: ") and str(index_copy) in err


def test_a_damaged_vocabulary_is_damage_found_on_the_first_query(index_copy, capsys):
    (index_copy / read_manifest(index_copy)["generation"] / "vocabulary.json").write_text('["only", "two"]', encoding="utf-8")
    index = SentenceIndex.load(index_copy)  # the vocabulary is read on the first query, not at load
    with pytest.raises(IndexCorrupt, match="damaged.*vocabulary.json"):
        index.search("orchard")
    code, out, err = _run(["search", "orchard", "--index", index_copy], capsys)
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and err.startswith("error: ") and "rebuild" in err


def test_an_index_of_format_3_still_loads_and_is_rebuilt_as_stale(corpus_copy, index_copy):
    # Format 3 kept every document's metadata in one documents.json, read whole at load.
    index = SentenceIndex.load(index_copy)
    expected = [(hit.row, hit.score) for hit in index.search("orchard visitors", 5)]
    documents = list(index.documents)
    generation = index_copy / read_manifest(index_copy)["generation"]
    (generation / "documents.json").write_text(json.dumps(documents), encoding="utf-8")
    for name in ("documents.jsonl", "document_offsets.npy", "document_ids.json", "document_group.npy"):
        (generation / name).unlink()
    manifest = json.loads((index_copy / MANIFEST).read_text(encoding="utf-8"))
    (index_copy / MANIFEST).write_text(json.dumps(dict(manifest, format_version=3)), encoding="utf-8")
    old = SentenceIndex.load(index_copy)
    assert list(old.documents) == documents and [(hit.row, hit.score) for hit in old.search("orchard visitors", 5)] == expected
    assert old.document(documents[2]["doc_id"]) == documents[2] and old.sentence(0).doc_id == documents[0]["doc_id"]
    messages = []
    rebuilt = ensure_index(corpus_copy, index_copy, notify=messages.append)
    assert len(messages) == 1 and "stale" in messages[0] and "format 3" in messages[0]
    assert list(rebuilt.documents) == documents


def test_index_check_passes_an_intact_index(index_copy, capsys):
    code, out, err = _run(["index", "check", "--index", index_copy, "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    manifest = read_manifest(index_copy)
    assert report["damaged"] is False and report["postings"] == manifest["postings"] > 0 and report["sentences"] == manifest["sentences"]


# ---------------------------------------------------------------- 6, 7. bad corpus files


@pytest.fixture
def unreadable(monkeypatch):
    """Make reading one file name fail with 'Permission denied' (tests run as root, where chmod 000 does not)."""
    original = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_an_unreadable_file_never_makes_the_index_unusable(corpus_copy, tmp_path, capsys, unreadable):
    (corpus_copy / "locked.txt").write_text(ARTICLE)
    index_dir = tmp_path / "index"
    code, out, err = _run(["index", "build", "--corpus", corpus_copy, "--index", index_dir], capsys)
    assert code == 0 and "warning: skipped locked.txt: " in err and "Permission denied" in err
    generation = read_manifest(index_dir)["generation"]
    for argv in (["search", "pears"], ["ask", "What did growers sell?"], ["index", "stats"]):
        code, out, err = _run([*argv, "--index", index_dir], capsys)
        assert code == 0, err
        assert "Traceback" not in err
    assert read_manifest(index_dir)["generation"] == generation  # not rebuilt over and over


def test_a_file_name_that_is_not_utf8_is_skipped_with_its_reason(corpus_copy, tmp_path, capsys):
    descriptor = os.open(os.fsencode(corpus_copy) + b"/bad\xff.txt", os.O_CREAT | os.O_WRONLY)
    os.write(descriptor, ARTICLE.encode())
    os.close(descriptor)
    index_dir = tmp_path / "index"
    code, out, err = _run(["index", "build", "--corpus", corpus_copy, "--index", index_dir], capsys)
    assert code == 0
    assert "warning: skipped bad\\xff.txt: the file name is not valid UTF-8" in err
    assert out.startswith("Indexed 5 documents")
    generation = read_manifest(index_dir)["generation"]
    for argv in (["search", "pears"], ["ask", "Where is Haniyeh based?"], ["index", "stats"]):
        code, out, err = _run([*argv, "--index", index_dir], capsys)
        assert code == 0, err
    assert read_manifest(index_dir)["generation"] == generation


def _deep_file(folder: Path, text: str) -> None:
    """A file whose path is longer than the system's limit (made one folder at a time, relative to the last)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(os.pathconf(folder, "PC_PATH_MAX") // 200 + 2):
            os.mkdir("d" * 200, dir_fd=descriptor)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        handle = os.open("deep.txt", os.O_CREAT | os.O_WRONLY, dir_fd=descriptor)
        os.write(handle, text.encode())
        os.close(handle)
    finally:
        os.close(descriptor)


def test_a_path_longer_than_the_system_limit_is_skipped_not_fatal(corpus_copy, tmp_path):
    _deep_file(corpus_copy, ARTICLE)
    report = build_index(corpus_copy, tmp_path / "index")
    assert report.documents == 5
    assert len(report.skipped) == 1 and "too long" in report.skipped[0].reason.lower()
    assert ensure_index(None, tmp_path / "index").manifest["generation"] == read_manifest(tmp_path / "index")["generation"]


def test_a_symlink_to_a_file_outside_the_corpus_is_not_followed(corpus_copy, tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "orchard.txt").write_text(ARTICLE)
    (corpus_copy / "link.txt").symlink_to(outside / "orchard.txt")
    (corpus_copy / "alias.txt").symlink_to(corpus_copy / "003_ce45d80c013bad2b.txt")  # inside: followed
    report = build_index(corpus_copy, tmp_path / "index")
    assert [(item.name, item.reason) for item in report.skipped] == [
        ("link.txt", "a symbolic link to a file outside the corpus (not followed)")
    ]
    index = SentenceIndex.load(tmp_path / "index")
    assert index.search("orchard pears", 1) == []
    assert "alias.txt" in [document["doc_id"] for document in index.documents]


def test_a_reader_waits_for_a_first_build_in_progress_instead_of_building_another(tmp_path, corpus_copy):
    import fcntl
    import threading

    index_dir = tmp_path / "index"
    qa.index.claim_index_folder(index_dir, corpus_copy)
    messages, opened = [], []
    with open(index_dir / qa.index.LOCK_FILE, "a+b") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)  # a build of corpus_copy holds the lock and has no manifest yet
        reader = threading.Thread(target=lambda: opened.append(ensure_index(None, index_dir, notify=messages.append)))
        reader.start()
        for _ in range(200):  # waits for the reader to reach the lock, not a timing assertion
            if messages:
                break
            time.sleep(0.01)
        qa.index._build_locked([corpus_copy.resolve()], index_dir.resolve(), None, False, None, True)
        generation = read_manifest(index_dir)["generation"]
    reader.join(60)
    assert "waiting" in messages[0]
    assert opened[0].manifest["generation"] == generation  # the build it waited for, not a build from the seeds
    assert opened[0].manifest["corpus"] == str(corpus_copy.resolve())


def test_a_failed_first_build_leaves_no_index_rather_than_a_damaged_one(tmp_path, corpus_copy):
    def failing(done, total):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        build_index(corpus_copy, tmp_path / "index", progress=failing)
    messages = []
    index = ensure_index(None, tmp_path / "index", notify=messages.append)
    assert messages[-1].startswith("no index in ") and len(index.documents) == 5
