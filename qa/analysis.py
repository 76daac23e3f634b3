"""One document's analysis (sentences and their terms) as arrays, cached on disk by content hash.

The build spends nearly all its time cleaning, splitting and analysing text, so
each document's result is saved under the index folder keyed by the SHA-256 of
its bytes: a rebuild after adding or changing a few files analyses only those.
The cache is plain `.npz` arrays (no pickle); its folder name is a hash of the
analysing code, so any change to cleaning, splitting or analysis starts a new cache.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nltk
import numpy as np

from qa.corpus import MAX_DOCUMENT_BYTES, SkippedFile, parse_document, split_document
from qa.text import ANALYZER_VERSION, analyze, sentence_splitter_name

CACHE_FOLDER = "cache"
PARALLEL_THRESHOLD = 200  # documents; below this, starting worker processes costs more than it saves


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
    sentences = split_document(document)
    columns = np.zeros((len(sentences), 4), dtype=np.int64)
    local: dict[str, int] = {}
    postings: list[int] = []
    texts = []
    for number, sentence in enumerate(sentences):
        terms = analyze(sentence.text)
        counts: dict[int, int] = {}
        for term in terms:
            term_id = local.setdefault(term, len(local))
            counts[term_id] = counts.get(term_id, 0) + 1
        for term_id, count in counts.items():
            postings += (number, term_id, count)
        columns[number] = (sentence.paragraph, sentence.start, sentence.end, len(terms))
        texts.append(sentence.text.encode("utf-8"))
    text_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(text) for text in texts], out=text_offsets[1:])
    metadata = document.metadata()
    return DocumentAnalysis(
        doc_id=doc_id,
        content_hash=document.content_hash,
        metadata=metadata,
        columns=columns,
        text=b"".join(texts),
        text_offsets=text_offsets,
        terms=list(local),
        postings=np.array(postings, dtype=np.int32).reshape(-1, 3),
    )


def cache_key() -> str:
    """Names the analysing code: the source of the modules that clean, split and analyse, and their versions."""
    digest = hashlib.sha256(f"{ANALYZER_VERSION}\0{sentence_splitter_name()}\0{nltk.__version__}\0".encode())
    package = Path(__file__).resolve().parent
    for name in ("analysis.py", "corpus.py", "dates.py", "text.py"):
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:20]


def _save(path: Path, analysis: DocumentAnalysis) -> None:
    metadata = {key: value for key, value in analysis.metadata.items() if key != "doc_id"}
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        temporary,
        metadata=np.frombuffer(json.dumps(metadata).encode("utf-8"), dtype=np.uint8),  # keeps key order
        columns=analysis.columns,
        text=np.frombuffer(analysis.text, dtype=np.uint8),
        text_offsets=analysis.text_offsets,
        terms=np.frombuffer("\n".join(analysis.terms).encode("utf-8"), dtype=np.uint8),
        postings=analysis.postings,
    )
    os.replace(temporary, path)


def _load(path: Path, doc_id: str, content_hash: str) -> DocumentAnalysis | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            metadata = json.loads(stored["metadata"].tobytes().decode("utf-8"))
            terms = stored["terms"].tobytes().decode("utf-8")
            return DocumentAnalysis(
                doc_id=doc_id,
                content_hash=content_hash,
                metadata={"doc_id": doc_id, **metadata},
                columns=stored["columns"],
                text=stored["text"].tobytes(),
                text_offsets=stored["text_offsets"],
                terms=terms.split("\n") if terms else [],
                postings=stored["postings"],
            )
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return None  # missing or damaged: analyse again


def analyse_file(path: Path, doc_id: str, cache_dir: Path | None) -> AnalysedFile:
    """Read one corpus file and analyse it, or take its analysis from the cache."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return AnalysedFile(doc_id, None, None, SkippedFile(doc_id, str(error)), False)
    content_hash = hashlib.sha256(data).hexdigest()  # of every file, as the corpus fingerprint needs
    if len(data) > MAX_DOCUMENT_BYTES:
        mb = 1024 * 1024
        reason = f"too large ({len(data) // mb} MB; the limit is {MAX_DOCUMENT_BYTES // mb} MB)"
        return AnalysedFile(doc_id, content_hash, None, SkippedFile(doc_id, reason), False)
    cached_path = cache_dir / content_hash[:2] / f"{content_hash}.npz" if cache_dir else None
    if cached_path is not None and cached_path.exists():
        analysis = _load(cached_path, doc_id, content_hash)
        if analysis is not None:
            return AnalysedFile(doc_id, content_hash, analysis, None, True)
    try:
        analysis = analyse_document(data, doc_id)
    except ValueError as error:
        return AnalysedFile(doc_id, content_hash, None, SkippedFile(doc_id, str(error)), False)
    if cached_path is not None:
        try:
            _save(cached_path, analysis)
        except OSError:
            pass  # a read-only or full disk only costs speed next time
    return AnalysedFile(doc_id, content_hash, analysis, None, False)


def _analyse_task(task: tuple[Path, str, Path | None]) -> AnalysedFile:
    return analyse_file(*task)


def analyse_files(files: list[tuple[Path, str]], cache_dir: Path | None, workers: int | None = None) -> Iterator[AnalysedFile]:
    """Every file's analysis in corpus order, using worker processes for large corpora."""
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    tasks = [(path, doc_id, cache_dir) for path, doc_id in files]
    if workers <= 1 or len(tasks) < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_analyse_task, tasks)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_analyse_task, tasks, chunksize=4)


def cache_folder(index_dir: Path) -> Path:
    """This code's cache folder under an index folder; caches of other code versions are removed."""
    root = index_dir / CACHE_FOLDER
    key = cache_key()
    if root.is_dir():
        for other in root.iterdir():
            if other.name != key:
                shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)
    return root / key


def prune_cache(cache_dir: Path, used: set[str]) -> None:
    """Remove cached analyses of documents no longer in the corpus, so the cache stays the corpus's size."""
    if not cache_dir.is_dir():
        return
    for shard in cache_dir.iterdir():
        if shard.is_dir():
            for path in shard.iterdir():
                if path.name.removesuffix(".npz") not in used:
                    path.unlink(missing_ok=True)
