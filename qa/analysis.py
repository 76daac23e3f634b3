"""One document's analysis (sentences and their terms) as arrays, cached on disk by content hash.

The build spends nearly all its time cleaning, splitting and analysing text, so
each document's result is saved under the index folder keyed by the SHA-256 of
its bytes: a rebuild after adding or changing a few files analyses only those.
The cache is plain binary arrays with a JSON header (no pickle); its folder name is a hash of the
analysing code, so any change to cleaning, splitting or analysis starts a new cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nltk
import numpy as np

from qa.corpus import MAX_DOCUMENT_BYTES, SkippedFile, parse_document, sentence_rows
from qa.syndication import terms_signature
from qa.text import ANALYZER_VERSION, analyze_texts, sentence_splitter_name
from qa.workers import Task, WorkerPool

CACHE_FOLDER = "cache"
PARALLEL_THRESHOLD = 200  # documents; below this, starting worker processes costs more than it saves
_AHEAD = 32  # documents handed out ahead per worker: keeps both busy while bounding memory
SIGNATURE_KEY = "shingle_signature"  # in an analysis' metadata only: the build takes it out of documents.json


@dataclass(frozen=True)
class DocumentAnalysis:
    """A document's metadata, sentences (columns and texts) and term postings, as arrays.

    `terms` lists the document's distinct terms in order of first appearance;
    postings are (sentence number, position in `terms`, frequency) rows.
    """

    doc_id: str
    content_hash: str
    metadata: dict
    columns: np.ndarray  # int64 (sentences, 4): paragraph, start, end, length in terms
    text: bytes  # the sentences' UTF-8 texts, concatenated
    text_offsets: np.ndarray  # int64 (sentences + 1,)
    terms: list[str]
    postings: np.ndarray  # int32 (postings, 3)

    def __reduce__(self):
        # Pickled from the build's workers to its main process: the terms go as one string (a term never holds a
        # line break, as in the cache), which pickles in a quarter of the time of a list of strings.
        fields = (self.doc_id, self.content_hash, self.metadata, self.columns, self.text, self.text_offsets)
        return (_unpickled_analysis, (*fields, "\n".join(self.terms), self.postings))


def _unpickled_analysis(
    doc_id: str, content_hash: str, metadata: dict, columns: np.ndarray, text: bytes, text_offsets: np.ndarray, terms: str, postings: np.ndarray
) -> DocumentAnalysis:
    return DocumentAnalysis(doc_id, content_hash, metadata, columns, text, text_offsets, terms.split("\n") if terms else [], postings)


@dataclass(frozen=True)
class AnalysedFile:
    """What the build gets back for one corpus file: its content hash and analysis, or why it was skipped."""

    doc_id: str
    content_hash: str | None
    analysis: DocumentAnalysis | None
    skipped: SkippedFile | None
    from_cache: bool


def analyse_document(data: bytes, doc_id: str) -> DocumentAnalysis:
    """Clean, split and analyse one document's bytes; raises ValueError when unusable."""
    document = parse_document(data, doc_id)
    sentences = sentence_rows(document)  # (paragraph, start, end, text): split_document's sentences
    sentence_texts = [row[3] for row in sentences]
    all_terms, counts = analyze_texts(sentence_texts)
    rows = [(paragraph, start, end, count) for (paragraph, start, end, _), count in zip(sentences, counts, strict=True)]
    texts = [text.encode("utf-8") for text in sentence_texts]
    columns = np.array(rows, dtype=np.int64).reshape(len(sentences), 4)
    local, term_ids, postings = _postings(all_terms, columns[:, 3])
    text_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(text) for text in texts], out=text_offsets[1:])
    metadata = document.metadata()
    metadata[SIGNATURE_KEY] = terms_signature(local, term_ids)  # for finding copies at build time
    return DocumentAnalysis(
        doc_id=doc_id,
        content_hash=document.content_hash,
        metadata=metadata,
        columns=columns,
        text=b"".join(texts),
        text_offsets=text_offsets,
        terms=local,
        postings=postings,
    )


def _postings(all_terms: list[str], lengths: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The document's distinct terms in first-appearance order, each term's position among them (the MinHash
    signature's input), and its (sentence number, term, frequency)
    postings: for each sentence, its distinct terms in the order they first appear in it (as BM25Okapi's
    idf sum needs), found for the whole document at once rather than counted sentence by sentence."""
    local = list(dict.fromkeys(all_terms))
    if not all_terms:
        return local, np.zeros(0, dtype=np.int64), np.zeros((0, 3), dtype=np.int32)
    positions = {term: position for position, term in enumerate(local)}
    term_ids = np.fromiter(map(positions.__getitem__, all_terms), dtype=np.int64, count=len(all_terms))
    sentence_numbers = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    keys = sentence_numbers * len(local) + term_ids
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")  # each (sentence, term) pair where it first appears
    first = first[order]
    postings = np.empty((len(first), 3), dtype=np.int32)
    postings[:, 0] = sentence_numbers[first]
    postings[:, 1] = term_ids[first]
    postings[:, 2] = counts[order]
    return local, term_ids, postings


# Every file whose change can change a document's analysis: a cached analysis made by other code is stale.
ANALYSING_FILES = (
    "analysis.py", "corpus.py", "cleaning.py", "metadata.py", "headline.py", "title_model.py", "weights_file.py",
    "data/title_model.json",
    "dates.py", "text.py", "encoding.py", "webpage.py", "pdf.py", "syndication.py",
)


def cache_key() -> str:
    """Names the analysing code: the source of the modules that clean, split and analyse, and their versions."""
    from importlib.metadata import version

    readers = "\0".join(version(name) for name in ("trafilatura", "pypdf", "charset-normalizer"))
    digest = hashlib.sha256(f"{ANALYZER_VERSION}\0{sentence_splitter_name()}\0{nltk.__version__}\0{readers}\0".encode())
    package = Path(__file__).resolve().parent
    for name in ANALYSING_FILES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:20]


# A cache file: 8-byte little-endian header length, a JSON header (metadata, array
# shapes), then the raw bytes of columns, text offsets, postings, sentence texts
# and "\n"-joined terms. One read and a few `frombuffer` views load it: much
# faster than `.npz`, whose zip and per-array headers dominated cached rebuilds.
_CACHE_SUFFIX = ".analysis"


def _save(path: Path, analysis: DocumentAnalysis) -> None:
    metadata = {key: value for key, value in analysis.metadata.items() if key != "doc_id"}  # keeps key order
    terms = "\n".join(analysis.terms).encode("utf-8")
    parts = [
        np.ascontiguousarray(analysis.columns, dtype="<i8").tobytes(),
        np.ascontiguousarray(analysis.text_offsets, dtype="<i8").tobytes(),
        np.ascontiguousarray(analysis.postings, dtype="<i4").tobytes(),
        analysis.text,
        terms,
    ]
    header = json.dumps(
        {"metadata": metadata, "sentences": len(analysis.columns), "postings": len(analysis.postings), "sizes": [len(part) for part in parts]}
    ).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(len(header).to_bytes(8, "little"))
        handle.write(header)
        handle.writelines(parts)
    os.replace(temporary, path)


def _load(path: Path, doc_id: str, content_hash: str) -> DocumentAnalysis | None:
    try:
        data = path.read_bytes()
        header_length = int.from_bytes(data[:8], "little")
        header = json.loads(data[8 : 8 + header_length].decode("utf-8"))
        sentences, postings = header["sentences"], header["postings"]
        views, position = [], 8 + header_length
        for size in header["sizes"]:
            views.append(data[position : position + size])
            position += size
        if position != len(data) or len(views) != 5:
            return None
        columns, offsets, posting_bytes, text, terms = views
        return DocumentAnalysis(
            doc_id=doc_id,
            content_hash=content_hash,
            metadata={"doc_id": doc_id, **header["metadata"]},
            columns=np.frombuffer(columns, dtype="<i8").reshape(sentences, 4),
            text=text,
            text_offsets=np.frombuffer(offsets, dtype="<i8"),
            terms=terms.decode("utf-8").split("\n") if terms else [],
            postings=np.frombuffer(posting_bytes, dtype="<i4").reshape(postings, 3),
        )
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None  # missing or damaged: analyse again


def _cache_path(cache_dir: Path, content_hash: str) -> Path:
    return cache_dir / content_hash[:2] / f"{content_hash}{_CACHE_SUFFIX}"


def _read(path: Path, doc_id: str) -> tuple[bytes | None, str | None, SkippedFile | None]:
    """A file's bytes and SHA-256 (of every file, as the corpus fingerprint needs), or why it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, None, SkippedFile(doc_id, str(error))
    content_hash = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_DOCUMENT_BYTES:
        mb = 1024 * 1024
        return None, content_hash, SkippedFile(doc_id, f"too large ({len(data) // mb} MB; the limit is {MAX_DOCUMENT_BYTES // mb} MB)")
    return data, content_hash, None


def _analyse_and_save(data: bytes, doc_id: str, content_hash: str, cached_path: Path | None) -> AnalysedFile:
    try:
        analysis = analyse_document(data, doc_id)
    except ValueError as error:
        return AnalysedFile(doc_id, content_hash, None, SkippedFile(doc_id, str(error)), False)
    except Exception as error:  # noqa: BLE001 - one document that breaks the analysis must not fail the build
        return AnalysedFile(doc_id, content_hash, None, SkippedFile(doc_id, f"could not be analysed ({_short(error)})"), False)
    if cached_path is not None:
        try:
            _save(cached_path, analysis)
        except OSError:
            pass  # a read-only or full disk only costs speed next time
    return AnalysedFile(doc_id, content_hash, analysis, None, False)


def _short(error: BaseException, limit: int = 160) -> str:
    """An exception as one short line: its type and the start of its message."""
    message = " ".join(str(error).split())
    message = message if len(message) <= limit else message[: limit - 1] + "…"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _from_cache_or_read(path: Path, doc_id: str, cache_dir: Path | None) -> AnalysedFile | tuple[bytes, str, Path | None]:
    """The file's cached analysis (or why it is skipped), else what analysing it needs."""
    data, content_hash, skipped = _read(path, doc_id)
    if skipped is not None:
        return AnalysedFile(doc_id, content_hash, None, skipped, False)
    cached_path = _cache_path(cache_dir, content_hash) if cache_dir is not None else None
    if cached_path is not None:
        analysis = _load(cached_path, doc_id, content_hash)
        if analysis is not None:
            return AnalysedFile(doc_id, content_hash, analysis, None, True)
    return data, content_hash, cached_path


def analyse_file(path: Path, doc_id: str, cache_dir: Path | None) -> AnalysedFile:
    """Read one corpus file and analyse it, or take its analysis from the cache."""
    found = _from_cache_or_read(path, doc_id, cache_dir)
    if isinstance(found, AnalysedFile):
        return found
    return _analyse_and_save(found[0], doc_id, found[1], found[2])


def analyse_files(files: list[tuple[Path, str]], cache_dir: Path | None, workers: int | None = None) -> Iterator[AnalysedFile]:
    """Every file's analysis in corpus order.

    Cached analyses are read here; on large corpora the others are analysed by
    worker processes (`qa.workers`: fresh interpreters, never forked from a possibly threaded
    server), a bounded number ahead, so memory stays bounded. A document whose analysis does
    not come back within DOCUMENT_TIMEOUT_SECONDS (a hung or crashed worker) is skipped with
    that reason and its worker replaced; the workers end with the build, whatever ends it.
    """
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        for path, doc_id in files:
            yield analyse_file(path, doc_id, cache_dir)
        return
    pool: WorkerPool | None = None
    analysed_here = 0
    try:
        pending: deque[AnalysedFile | Task] = deque()
        for path, doc_id in files:
            found = _from_cache_or_read(path, doc_id, cache_dir)
            if not isinstance(found, AnalysedFile):
                if pool is None and analysed_here < POOL_START_DOCUMENTS:
                    analysed_here += 1  # a rebuild after a few new files starts no worker
                    found = _analyse_and_save(found[0], doc_id, found[1], found[2])
                else:
                    if pool is None:
                        pool = WorkerPool(workers, DOCUMENT_TIMEOUT_SECONDS, WORKER_START_TIMEOUT_SECONDS)
                    found = pool.submit(_analyse_and_save, (found[0], doc_id, found[1], found[2]))
            pending.append(found)
            if pool is not None:
                pool.poll()
            while len(pending) > _AHEAD * workers or (pending and _ready(pending[0])):
                yield _result(pending.popleft(), pool)
        while pending:
            yield _result(pending.popleft(), pool)
    finally:
        if pool is not None:
            pool.close()


DOCUMENT_TIMEOUT_SECONDS = 300.0  # far above the slowest document (the 20 MB limit, on a busy machine)
WORKER_START_TIMEOUT_SECONDS = 600.0  # starting a worker imports the analyser: seconds, minutes on a swamped machine
POOL_START_DOCUMENTS = 8  # documents analysed here before starting workers


def _ready(item: AnalysedFile | Task) -> bool:
    return isinstance(item, AnalysedFile) or item.done


def _result(item: AnalysedFile | Task, pool: WorkerPool | None) -> AnalysedFile:
    """The item's analysis; a task whose worker hung or died is a skipped document, with the reason."""
    if isinstance(item, AnalysedFile):
        return item
    pool.wait(item)
    if item.error is None:
        return item.result
    _, doc_id, content_hash, _ = item.arguments
    return AnalysedFile(doc_id, content_hash, None, SkippedFile(doc_id, str(item.error)), False)


# The cache folder is the index's only when it holds this marker (written when the
# build created the folder); in it, only files and folders with the cache's own
# naming are ever deleted, so anything else put there is left alone.
CACHE_MARKER = ".news-qa-cache"
_KEY_NAME = re.compile(r"[0-9a-f]{20}")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}")
_ENTRY_NAME = re.compile(r"\.?[0-9a-f]{64}" + re.escape(_CACHE_SUFFIX) + r"(\.\d+\.tmp)?")


def cache_folder(index_dir: Path) -> Path | None:
    """This code's cache folder under an index folder (caches of other code versions are removed),
    or None when `index_dir/cache` exists but is not the index's (the build then runs without a cache)."""
    root = index_dir / CACHE_FOLDER
    if not (root / CACHE_MARKER).is_file():
        if root.exists() and not (root.is_dir() and _only_cache_entries(root)):
            return None
        root.mkdir(exist_ok=True)
        (root / CACHE_MARKER).touch()
    key = cache_key()
    for other in root.iterdir():
        if other.name != key and _KEY_NAME.fullmatch(other.name) and other.is_dir() and not other.is_symlink():
            _remove_entries(other, keep=set())
    return root / key


def _only_cache_entries(root: Path) -> bool:
    """Whether a cache folder without a marker (written before the marker existed) holds only the cache's own files."""
    for key in root.iterdir():
        if not (_KEY_NAME.fullmatch(key.name) and key.is_dir() and not key.is_symlink()):
            return False
        for shard in key.iterdir():
            if not (_SHARD_NAME.fullmatch(shard.name) and shard.is_dir() and not shard.is_symlink()):
                return False
            if not all(_ENTRY_NAME.fullmatch(path.name) and path.is_file() for path in shard.iterdir()):
                return False
    return True


def _remove_entries(key_folder: Path, keep: set[str]) -> None:
    """Remove the cached analyses (and interrupted writes of them) not in `keep`; then the folders left empty."""
    for shard in key_folder.iterdir():
        if not (_SHARD_NAME.fullmatch(shard.name) and shard.is_dir() and not shard.is_symlink()):
            continue
        for path in shard.iterdir():
            if _ENTRY_NAME.fullmatch(path.name) and path.name.removesuffix(_CACHE_SUFFIX) not in keep and not path.is_dir():
                path.unlink(missing_ok=True)
        _remove_if_empty(shard)
    if not keep:
        _remove_if_empty(key_folder)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: it holds something the cache did not write


def prune_cache(cache_dir: Path, used: set[str]) -> None:
    """Remove cached analyses of documents no longer in the corpus, so the cache stays the corpus's size."""
    if cache_dir.is_dir():
        _remove_entries(cache_dir, keep=used)
