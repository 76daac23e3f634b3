"""Building, saving, loading and validating the sentence index, with atomic builds.

Layout of an index folder:
    manifest.json            written last, atomically: names the current generation
    <generation>/            plain arrays (.npy, no pickle), documents.jsonl (+ offsets, ids, groups: qa.index_tables), vocabulary.json
    .news-qa-index           the marker: this folder belongs to the index; names the generations it wrote
    .news-qa-index.lock      the writers' lock (fcntl.flock), held for a whole build
    cache/                   per-document analyses (qa.analysis), with a marker of its own
A build writes a new generation folder, then replaces the manifest in one rename,
so an interrupted build leaves the previous index loadable. It streams: sentences and
texts go to the generation's files as documents arrive, postings are written in sorted
segments of bounded size (under <generation>/segments/) and merged term range by term
range at the end, so its memory does not grow with the postings, and the files are byte
for byte those of a build holding everything at once. The build deletes only
what it can prove it wrote: generations its marker names (all but the current and
the previous one, which readers that opened it a moment earlier may still be
loading), and cached analyses in its own marked cache folder. It refuses a folder
that holds other files, lies inside the corpus or holds the corpus.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from qa.analysis import CACHE_FOLDER, SIGNATURE_KEY, analyse_files, cache_folder, prune_cache
from qa.corpora import CorpusSpec, corpus_folders, describe, scan_corpora
from qa.corpus import CLEANING_VERSION, Sentence, SkippedFile, scan_corpus
from qa.errors import CorpusError, IndexBusy, IndexCorrupt, IndexFolderRefused, IndexNotFound, QAError
from qa.index_tables import VOCABULARY_FILE, DocumentTable, Vocabulary, map_file, write_documents
from qa.retriever import (
    EPSILON,
    K1,
    B,
    Hit,
    Retriever,
    StoredBounds,
    block_shift_for,
    compute_bounds,
    largest_unsigned,
    okapi_idf,
    posting_scores,
)
from qa.syndication import copy_groups
from qa.text import ANALYZER_VERSION, analyze, sentence_splitter_name

# 2: documents carry kind, encoding, author, url, dropped_lines, syndication_group;
# 3: score bounds stored (each term's largest weight, long lists' block maxima), so search does not compute them;
# 4: documents one JSON object a line with offsets, ids and syndication groups beside them, parsed on first use (qa.index_tables)
FORMAT_VERSION = 4
MANIFEST = "manifest.json"
OLD_DOCUMENTS_FILE = "documents.json"  # formats 1-3: every document's metadata in one list, read whole at load
_GENERATION_NAME = re.compile(r"generation-[\w\-]+")
# The names this code gives generations (a UTC time, the process id, a counter): only
# such names are ever deleted, and only when the marker records them.
_OWN_GENERATION = re.compile(r"generation-\d{8}T\d{6}-\d+-\d+")
INDEX_MARKER = ".news-qa-index"
MARKER_FORMAT = "news-qa-index"
LOCK_FILE = ".news-qa-index.lock"
# Files that may already be in a folder that becomes an index folder: the README the
# repository keeps in index/ (tracked by git, so a fresh clone has it).
KNOWN_REPOSITORY_FILES = frozenset({"README.md"})
LOCK_TIMEOUT_SECONDS = 600.0  # how long a build waits for another build of the same index
REBUILD_COMMAND = "python -m qa index build --corpus DIR --index {index}"
PROGRESS_THRESHOLD = 50  # documents; smaller builds finish before a bar is worth drawing
# Postings a build holds before writing them as a segment, and a merge step's postings: about
# 40 bytes each while a segment is sorted or a term range weighed, so a build's arrays stay
# under half a gigabyte at any corpus size (the vocabulary and documents' metadata come on top).
SEGMENT_POSTINGS = 8_000_000
SEGMENTS_FOLDER = "segments"  # inside the generation being written; removed before it is switched to

Progress = Callable[[int, int], None]

_ARRAYS = (
    "sentence_doc",
    "sentence_number",
    "sentence_paragraph",
    "sentence_start",
    "sentence_end",
    "sentence_length",
    "sentence_text_offsets",
    "postings_offsets",
    "postings_rows",
    "postings_weights",
)
# Format 3's score bounds (qa.retriever.StoredBounds); an index of format 2 loads without them
# (search computes them) and is rebuilt by ensure_index, as for any older format.
_BOUND_ARRAYS = ("term_max_weights", "block_maxima_terms", "block_maxima")


MAX_PARAGRAPH_ROWS = 30  # sentences on each side of a row that count as its paragraph


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, skipped files with reasons, and time."""

    documents: int
    sentences: int
    terms: int
    skipped: list[SkippedFile]
    seconds: float
    index_dir: Path


def repository_root() -> Path:
    return Path(__file__).resolve().parent.parent


DEFAULT_CORPUS = repository_root() / "seeds"
DEFAULT_INDEX = repository_root() / "index"


def corpus_fingerprint(corpus_dir: CorpusSpec, unusable: list[SkippedFile] | None = None) -> str:
    """Content hash of every usable corpus file (ids and bytes, over all folders): any change makes the index stale.

    Files the build cannot use (unreadable, a name that is not UTF-8, a link out of the
    corpus) are left out here as the build leaves them out, and added to `unusable`:
    one bad file never makes the staleness check, or the index, unusable.
    """
    digest = hashlib.sha256()
    listing = scan_corpora(corpus_dir)
    if unusable is not None:
        unusable.extend(listing.skipped)
    for path, doc_id in listing.files:
        try:
            data = path.read_bytes()
        except OSError as error:
            if unusable is not None:
                unusable.append(SkippedFile(doc_id, str(error)))
            continue
        digest.update(doc_id.encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


# ---------------------------------------------------------------- the index folder: ownership and lock

_MARKER_TEMPORARY = re.compile(re.escape(INDEX_MARKER) + r"\.\d+\.tmp")
_OLD_MANIFEST_TEMPORARY = re.compile(re.escape(f".{MANIFEST}.") + r"\d+\.tmp")


def claim_index_folder(index_dir: Path, corpus_dir: CorpusSpec) -> None:
    """Make sure a build in `index_dir` can only ever delete the index's own files, and mark the folder.

    Refused: an index folder inside the corpus (or the corpus itself), a corpus inside
    the index folder, and a folder that already holds files an index did not write.
    Allowed: a new or empty folder, one holding only the repository's README.md, one
    this code marked, and an index folder written before the marker existed (adopted).
    """
    index_dir = Path(index_dir).resolve()
    for corpus_folder in corpus_folders(corpus_dir):
        if index_dir.is_relative_to(corpus_folder):
            where = "is the corpus folder itself" if index_dir == corpus_folder else f"is inside the corpus {corpus_folder}"
            raise IndexFolderRefused(f"the index folder {index_dir} {where}; choose an index folder outside the corpus (never inside the corpus)")
        if corpus_folder.is_relative_to(index_dir):
            raise IndexFolderRefused(
                f"the corpus {corpus_folder} is inside the index folder {index_dir}; choose an index folder that does not hold the corpus"
            )
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexFolderRefused(f"the index path {index_dir} is not a folder")
    index_dir.mkdir(parents=True, exist_ok=True)
    if (index_dir / INDEX_MARKER).exists():
        return
    others = {
        path.name for path in index_dir.iterdir() if path.name not in KNOWN_REPOSITORY_FILES | {LOCK_FILE} and not _MARKER_TEMPORARY.fullmatch(path.name)
    }
    generations = _unmarked_index_generations(index_dir, others) if others else []
    if generations is None:
        shown = ", ".join(sorted(others)[:3]) + (", …" if len(others) > 3 else "")
        raise IndexFolderRefused(
            f"the index folder {index_dir} already holds files that are not an index ({shown}), and a build could "
            f"delete some of them; use an empty or new folder for --index"
        )
    temporary = index_dir / f"{INDEX_MARKER}.{os.getpid()}.tmp"
    _write_json(temporary, {"format": MARKER_FORMAT, "version": 1, "generations": generations})
    try:
        os.link(temporary, index_dir / INDEX_MARKER)  # never replaces a marker another build just wrote
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


def _unmarked_index_generations(index_dir: Path, names: set[str]) -> list[str] | None:
    """The generations of an index written before the marker existed, or None when the folder is not one.

    Only a folder holding a readable manifest and nothing but the names that code wrote
    qualifies; only generations with this code's exact naming are then taken as the index's.
    """
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(manifest, dict) or not {"format_version", "corpus_fingerprint", "generation"} <= set(manifest):
        return None
    generations = []
    for name in names:
        partial = name.startswith(".") and name.endswith(".partial") and _OWN_GENERATION.fullmatch(name[1 : -len(".partial")])
        if _OWN_GENERATION.fullmatch(name) or partial:
            generations.append(name[1 : -len(".partial")] if partial else name)
        elif name not in {MANIFEST, CACHE_FOLDER} and not _OLD_MANIFEST_TEMPORARY.fullmatch(name):
            return None
    return sorted(set(generations))


def _read_marker(index_dir: Path) -> dict:
    try:
        marker = json.loads((index_dir / INDEX_MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        marker = None
    if not isinstance(marker, dict) or marker.get("format") != MARKER_FORMAT or not isinstance(marker.get("generations"), list):
        raise IndexFolderRefused(f"{index_dir / INDEX_MARKER} was not written by this program; use an empty or new folder for --index")
    return marker


def _write_marker(index_dir: Path, marker: dict) -> None:
    temporary = index_dir / f"{INDEX_MARKER}.{os.getpid()}.tmp"
    _write_json(temporary, marker)
    os.replace(temporary, index_dir / INDEX_MARKER)


@contextmanager
def index_lock(index_dir: Path, notify: Callable[[str], None] | None = None, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """The writers' lock of an index folder (fcntl.flock), released on any exit and when the process dies.

    A second writer waits for the first (saying so) up to `timeout` seconds, then gives up with IndexBusy.
    """
    with open(Path(index_dir) / LOCK_FILE, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notify:
                notify(f"another build of the index in {index_dir} is running; waiting for it to finish")
            deadline = time.monotonic() + timeout
            while True:
                time.sleep(0.05)
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(
                            f"another build of the index in {index_dir} has held its lock for over {timeout:g} s; "
                            f"try again when it has finished"
                        ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------- build

def build_index(
    corpus_dir: CorpusSpec = DEFAULT_CORPUS,
    index_dir: Path = DEFAULT_INDEX,
    progress: Progress | None = None,
    show_progress_bar: bool = False,
    workers: int | None = None,
    use_cache: bool = True,
    notify: Callable[[str], None] | None = None,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
    segment_postings: int = SEGMENT_POSTINGS,
) -> BuildReport:
    """Build the index of a corpus folder (or of several: see qa.corpora) into `index_dir`, atomically, holding the index's lock.

    Documents stream through the analysis (two worker processes on large corpora,
    results in corpus order); each document's analysis is cached by content hash
    under `index_dir/cache/`, so rebuilding after a few changes analyses only those.
    """
    folders, index_dir = corpus_folders(corpus_dir), Path(index_dir).resolve()
    _check_listing(scan_corpora(folders), describe(folders))
    claim_index_folder(index_dir, folders)
    with index_lock(index_dir, notify, lock_timeout):
        return _build_locked(folders, index_dir, progress, show_progress_bar, workers, use_cache, segment_postings)


def _check_listing(listing, corpus_dir: str) -> None:
    if not listing.files and not listing.skipped:
        raise CorpusError(f"no documents (.txt, .md, .html, .htm, .pdf) in {corpus_dir}")
    if not listing.files:
        reasons = "; ".join(f"{item.name}: {item.reason}" for item in listing.skipped[:5])
        raise CorpusError(f"no readable documents in {corpus_dir} ({reasons})")


def _build_locked(
    folders: list[Path],
    index_dir: Path,
    progress: Progress | None,
    show_progress_bar: bool,
    workers: int | None,
    use_cache: bool,
    segment_postings: int = SEGMENT_POSTINGS,
) -> BuildReport:
    """Stream the corpus into a new generation folder, then switch the manifest to it (see the module's docstring).

    Sentences and their texts go to disk as they come; postings are held for one segment
    (`segment_postings` of them), sorted by term and written as a segment; at the end the
    segments are merged term range by term range into the final arrays. Memory stays
    bounded by the segment size, the vocabulary and the documents' metadata, and the
    arrays are the same, value for value, as a build holding everything at once.
    """
    started = time.perf_counter()
    corpus_dir = describe(folders)
    listing = scan_corpora(folders)  # again: the corpus may have changed while this build waited for the lock
    _check_listing(listing, corpus_dir)
    generation, staging = _start_generation(index_dir)
    try:
        manifest, counts, skipped = _write_arrays(folders, index_dir, listing, staging, progress, show_progress_bar, workers, use_cache, segment_postings)
        manifest["build_seconds"] = round(time.perf_counter() - started, 3)
        _switch_generation(index_dir, generation, staging, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        (index_dir / f".{MANIFEST}.{generation}.tmp").unlink(missing_ok=True)
        raise
    documents, sentence_count, term_count = counts
    return BuildReport(documents, sentence_count, term_count, skipped, time.perf_counter() - started, index_dir)


def _write_arrays(
    folders: list[Path],
    index_dir: Path,
    listing,
    staging: Path,
    progress: Progress | None,
    show_progress_bar: bool,
    workers: int | None,
    use_cache: bool,
    segment_postings: int,
) -> tuple[dict, tuple[int, int, int], list[SkippedFile]]:
    """Every file of the generation but the manifest; returns the manifest (without its generation), the counts and the skipped files."""
    corpus_dir = describe(folders)
    named_files = listing.files
    cache_dir = cache_folder(index_dir) if use_cache else None
    documents: list[dict] = []
    skipped: list[SkippedFile] = list(listing.skipped)
    vocabulary: dict[str, int] = {}
    fingerprint = hashlib.sha256()
    used_hashes: set[str] = set()
    signatures: list[np.ndarray | None] = []  # MinHash signatures as arrays: an eighth of a list of Python ints
    work = staging / SEGMENTS_FOLDER
    work.mkdir()
    sentences = _SentenceWriter(staging, work)
    postings = _SegmentWriter(work, segment_postings)

    bar = None
    if show_progress_bar and len(named_files) >= PROGRESS_THRESHOLD:
        from tqdm import tqdm

        bar = tqdm(total=len(named_files), unit="doc", desc="indexing", file=sys.stderr)
    try:
        for position, item in enumerate(analyse_files(named_files, cache_dir, workers), start=1):
            if item.content_hash is not None:
                fingerprint.update(item.doc_id.encode() + b"\0" + bytes.fromhex(item.content_hash))
                used_hashes.add(item.content_hash)
            if item.skipped is not None:
                skipped.append(item.skipped)
            else:
                analysis = item.analysis
                new_terms = list(itertools.filterfalse(vocabulary.__contains__, analysis.terms))  # distinct, in first-appearance order
                vocabulary.update(zip(new_terms, range(len(vocabulary), len(vocabulary) + len(new_terms))))
                term_ids = np.fromiter(map(vocabulary.__getitem__, analysis.terms), dtype=np.int32, count=len(analysis.terms))
                first_row = sentences.count
                sentences.add(len(documents), analysis)
                postings.add(term_ids[analysis.postings[:, 1]], analysis.postings[:, 0] + first_row, analysis.postings[:, 2], len(vocabulary), sentences.count)
                found = analysis.metadata.get(SIGNATURE_KEY)
                signatures.append(None if found is None else np.asarray(found, dtype=np.uint64))
                documents.append({key: value for key, value in analysis.metadata.items() if key != SIGNATURE_KEY})
            if bar:
                bar.update(1)
            if progress:
                progress(position, len(named_files))
    finally:
        if bar:
            bar.close()
        sentences.close()
    skipped.sort(key=lambda item: item.name)
    if not documents:
        reasons = "; ".join(f"{item.name}: {item.reason}" for item in skipped[:5])
        raise CorpusError(f"no readable documents in {corpus_dir} ({reasons})")
    sentence_count = sentences.count
    if sentence_count == 0:
        raise CorpusError(f"no sentences found in {corpus_dir}")
    if cache_dir is not None:
        prune_cache(cache_dir, used_hashes)
    for document, group in zip(documents, copy_groups(signatures)):
        document["syndication_group"] = None if group is None else documents[group]["doc_id"]
    del signatures

    postings.flush()
    sentences.finish()
    average_length = sentences.total_length / sentence_count
    document_frequency = postings.document_frequency(len(vocabulary))
    idf_by_term = okapi_idf(dict(zip(vocabulary, document_frequency.tolist())), sentence_count)
    idf = np.fromiter(idf_by_term.values(), dtype=np.float64, count=len(idf_by_term))
    del idf_by_term
    postings_offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(document_frequency, out=postings_offsets[1:])
    np.save(staging / "postings_offsets.npy", postings_offsets, allow_pickle=False)
    lengths = np.load(staging / "sentence_length.npy", allow_pickle=False)
    block_shift = _merge_segments(postings.segments, staging, postings_offsets, idf, lengths, average_length, sentence_count, segment_postings)
    postings.segments.clear()  # closes the segments' memory maps before their files go
    shutil.rmtree(work)
    write_documents(staging, documents, _write_text)
    _write_json(staging / VOCABULARY_FILE, list(vocabulary))
    manifest = {
        "format_version": FORMAT_VERSION,
        "analyzer_version": ANALYZER_VERSION,
        "sentence_splitter": sentence_splitter_name(),
        "cleaning_version": CLEANING_VERSION,
        "parameters": {"model": "BM25Okapi", "k1": K1, "b": B, "epsilon": EPSILON, "average_length": average_length},
        "block_shift": block_shift,
        "corpus": str(folders[0]),
        "corpora": [str(folder) for folder in folders],
        "corpus_fingerprint": fingerprint.hexdigest(),
        "documents": len(documents),
        "sentences": sentence_count,
        "terms": len(vocabulary),
        "postings": int(postings_offsets[-1]),
        "skipped": [{"name": item.name, "reason": item.reason} for item in skipped],
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return manifest, (len(documents), sentence_count, len(vocabulary)), skipped


class ArrayFile:
    """A one-dimensional .npy file written in pieces: the header names the final length up front,
    so the file is byte for byte what `np.save` writes for the whole array, without holding it."""

    def __init__(self, path: Path, dtype, length: int) -> None:
        self.path, self.dtype, self.length, self.written = path, np.dtype(dtype), int(length), 0
        self.handle = open(path, "wb")
        header = {"descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False, "shape": (self.length,)}
        np.lib.format.write_array_header_1_0(self.handle, header)

    def append(self, values: np.ndarray) -> None:
        values = np.ascontiguousarray(values, dtype=self.dtype)
        self.written += len(values)
        if self.written > self.length:
            raise ValueError(f"{self.path.name}: more than the {self.length} values announced")
        self.handle.write(values.data)

    def close(self) -> None:
        self.handle.close()
        if self.written != self.length:
            raise ValueError(f"{self.path.name}: {self.written} values written, {self.length} announced")


class _SentenceWriter:
    """Each sentence's columns and text, appended to files as documents arrive (no sentence is held in memory)."""

    # name: dtype, as a build holding everything wrote them
    COLUMNS = {
        "sentence_doc": np.int32,
        "sentence_number": np.int32,
        "sentence_paragraph": np.int32,
        "sentence_start": np.int64,
        "sentence_end": np.int64,
        "sentence_length": np.int32,
        "sentence_text_offsets": np.int64,
    }

    def __init__(self, staging: Path, work: Path) -> None:
        self.staging, self.work = staging, work
        self.count = self.text_length = self.total_length = 0
        self.text = open(staging / "sentence_text.bin", "wb")
        self.raw = {name: open(work / f"{name}.raw", "wb") for name in self.COLUMNS}
        self.raw["sentence_text_offsets"].write(np.zeros(1, dtype=np.int64).data)

    def add(self, document_number: int, analysis) -> None:
        count, columns = len(analysis.columns), analysis.columns
        values = {
            "sentence_doc": np.full(count, document_number),
            "sentence_number": np.arange(count),
            "sentence_paragraph": columns[:, 0],
            "sentence_start": columns[:, 1],
            "sentence_end": columns[:, 2],
            "sentence_length": columns[:, 3],
            "sentence_text_offsets": analysis.text_offsets[1:] + self.text_length,
        }
        for name, dtype in self.COLUMNS.items():
            self.raw[name].write(np.ascontiguousarray(values[name], dtype=dtype).data)
        self.text.write(analysis.text)
        self.count += count
        self.text_length += len(analysis.text)
        self.total_length += int(columns[:, 3].sum())

    def close(self) -> None:
        for handle in [self.text, *self.raw.values()]:
            handle.close()

    def finish(self) -> None:
        """Turn the raw column files into .npy arrays of the generation."""
        for name, dtype in self.COLUMNS.items():
            raw = self.work / f"{name}.raw"
            target = ArrayFile(self.staging / f"{name}.npy", dtype, raw.stat().st_size // np.dtype(dtype).itemsize)
            try:
                with open(raw, "rb") as source:
                    shutil.copyfileobj(source, target.handle, 2**22)
                target.written = target.length
            finally:
                target.close()
            raw.unlink()


@dataclass(frozen=True)
class _Segment:
    """One written segment: its distinct terms (sorted), where each term's postings start, and the postings (term, then row order)."""

    term_ids: np.ndarray
    term_starts: np.ndarray
    rows: np.ndarray
    frequencies: np.ndarray


class _SegmentWriter:
    """Postings held until a segment's worth, then sorted by term and written; document frequencies kept as they go."""

    def __init__(self, work: Path, segment_postings: int) -> None:
        self.work, self.limit = work, max(1, segment_postings)
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.held = self.sentence_count = 0
        self.frequencies = np.zeros(0, dtype=np.int64)
        self.segments: list[_Segment] = []

    def add(self, terms: np.ndarray, rows: np.ndarray, frequencies: np.ndarray, vocabulary_size: int, sentence_count: int) -> None:
        self.parts.append((terms, rows, frequencies))
        self.held += len(terms)
        self.sentence_count = sentence_count
        if vocabulary_size > len(self.frequencies):
            self.frequencies = np.concatenate([self.frequencies, np.zeros(max(vocabulary_size - len(self.frequencies), len(self.frequencies)), np.int64)])
        if self.held >= self.limit:
            self.flush()

    def flush(self) -> None:
        if not self.parts:
            return
        terms = np.concatenate([part[0] for part in self.parts])
        rows = np.concatenate([part[1] for part in self.parts])
        frequencies = np.concatenate([part[2] for part in self.parts])
        self.parts, self.held = [], 0
        terms, rows, frequencies = _postings_by_term(terms, rows, frequencies, self.sentence_count)
        term_ids, starts, counts = np.unique(terms, return_index=True, return_counts=True)
        del terms
        self.frequencies[term_ids] += counts
        folder = self.work / f"segment-{len(self.segments):05d}"
        folder.mkdir()
        arrays = {
            "term_ids": term_ids.astype(np.int32),
            "term_starts": np.append(starts, len(rows)).astype(np.int64),
            "rows": rows,
            "frequencies": frequencies,
        }
        for name, values in arrays.items():
            np.save(folder / f"{name}.npy", values, allow_pickle=False)
        del arrays, rows, frequencies
        self.segments.append(_Segment(*(np.load(folder / f"{name}.npy", mmap_mode="r") for name in ("term_ids", "term_starts", "rows", "frequencies"))))

    def document_frequency(self, vocabulary_size: int) -> np.ndarray:
        return self.frequencies[:vocabulary_size].copy()


def _merge_segments(
    segments: list[_Segment],
    staging: Path,
    postings_offsets: np.ndarray,
    idf: np.ndarray,
    lengths: np.ndarray,
    average_length: float,
    sentence_count: int,
    range_postings: int,
) -> int:
    """Write the postings (rows, weights) and score bounds from the segments, one range of terms at a time.

    A range's postings come from every segment (a slice of each, memory-mapped), in segment
    order, which is row order: a stable sort by term gives the (term, row) order of the
    whole. Weights and bounds are element-wise or per term, so computing them range by
    range gives the very values of one pass. Returns the block shift.
    """
    term_count, total = len(postings_offsets) - 1, int(postings_offsets[-1])
    shift = block_shift_for(sentence_count)
    block_count = (sentence_count >> shift) + 1
    document_frequency = np.diff(postings_offsets)
    block_term_count = int((document_frequency >= block_count).sum())
    files = {
        "postings_rows": ArrayFile(staging / "postings_rows.npy", segments[0].rows.dtype if segments else np.int32, total),
        "postings_weights": ArrayFile(staging / "postings_weights.npy", np.float64, total),
        "term_max_weights": ArrayFile(staging / "term_max_weights.npy", np.float64, term_count),
        "block_maxima_terms": ArrayFile(staging / "block_maxima_terms.npy", np.int64, block_term_count),
        "block_maxima": ArrayFile(staging / "block_maxima.npy", np.float64, block_term_count * block_count),
    }
    try:
        first = 0
        while first < term_count:
            end = int(np.searchsorted(postings_offsets, postings_offsets[first] + range_postings, side="right")) - 1
            end = min(max(end, first + 1), term_count)
            terms, rows, frequencies = _range_postings(segments, first, end)
            weights = _posting_weights(idf, terms, frequencies, lengths[rows], average_length)
            del terms, frequencies
            bounds = compute_bounds(postings_offsets[first : end + 1] - postings_offsets[first], rows, weights, sentence_count)
            files["postings_rows"].append(rows)
            files["postings_weights"].append(weights)
            files["term_max_weights"].append(bounds.term_max_weights)
            files["block_maxima_terms"].append(bounds.block_terms + first)
            files["block_maxima"].append(bounds.block_maxima.reshape(-1))
            first = end
    finally:
        for file in files.values():
            file.handle.close()
    for file in files.values():
        file.close()
    return shift


def _range_postings(segments: list[_Segment], first: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(terms, rows, frequencies) of the terms first..end-1 from every segment, in (term, row) order."""
    parts = []
    for segment in segments:
        low, high = np.searchsorted(segment.term_ids, [first, end])
        starts = np.asarray(segment.term_starts[low : high + 1])
        if high > low and starts[-1] > starts[0]:
            terms = np.repeat(np.asarray(segment.term_ids[low:high]), np.diff(starts))
            parts.append((terms, np.asarray(segment.rows[starts[0] : starts[-1]]), np.asarray(segment.frequencies[starts[0] : starts[-1]])))
    if not parts:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int32)
    if len(parts) == 1:
        return parts[0]
    terms = np.concatenate([part[0] for part in parts])
    order = np.argsort(terms, kind="stable")  # segments are in row order, so ties keep rows ascending
    return terms[order], np.concatenate([part[1] for part in parts])[order], np.concatenate([part[2] for part in parts])[order]


def _postings_by_term(terms: np.ndarray, rows: np.ndarray, frequencies: np.ndarray, sentence_count: int):
    """Postings ordered by term, then by sentence row (the order they arrive in).

    Packing (term, row, frequency) into one int64 and sorting it is several times
    faster than a stable argsort and the gathers after it; huge or odd corpora fall back.
    """
    row_bits, frequency_bits = max(1, int(sentence_count).bit_length()), 12
    fits = len(terms) == 0 or (
        int(frequencies.max()) < 2**frequency_bits and int(terms.max()).bit_length() + row_bits + frequency_bits <= 62
    )
    if not fits:
        order = np.argsort(terms, kind="stable")
        return terms[order], rows[order], frequencies[order]
    packed = terms.astype(np.int64) << (row_bits + frequency_bits)
    packed |= rows.astype(np.int64) << frequency_bits
    packed |= frequencies
    packed.sort()
    sorted_terms = (packed >> (row_bits + frequency_bits)).astype(np.int32)
    sorted_rows = ((packed >> frequency_bits) & ((1 << row_bits) - 1)).astype(np.int32)
    sorted_frequencies = (packed & ((1 << frequency_bits) - 1)).astype(np.int32)
    return sorted_terms, sorted_rows, sorted_frequencies


def _posting_weights(idf: np.ndarray, terms: np.ndarray, frequencies: np.ndarray, lengths: np.ndarray, average_length: float) -> np.ndarray:
    """`posting_scores` for every posting, via a table over the few (frequency, length) pairs.

    The table holds `posting_scores` with idf 1.0 (exactly the bracketed factor), so
    idf * table entry is the very product `get_scores` computes, only done once per pair.
    """
    if len(terms) == 0:
        return np.zeros(0, dtype=np.float64)
    frequency_limit, length_limit = int(frequencies.max()) + 1, int(lengths.max()) + 1
    if frequency_limit * length_limit > 20_000_000:
        return posting_scores(idf[terms], frequencies, lengths, average_length)
    grid_frequencies, grid_lengths = np.meshgrid(np.arange(frequency_limit), np.arange(length_limit), indexing="ij")
    table = posting_scores(np.float64(1.0), grid_frequencies, grid_lengths, average_length)
    return idf[terms] * table[frequencies, lengths]


def _start_generation(index_dir: Path) -> tuple[str, Path]:
    """Name a new generation, record it in the marker, and create its staging folder.

    The marker records the generation's name before anything is written, so even a
    killed build's leftovers are known to be the index's and removed by the next build.
    """
    generation = f"generation-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    marker = _read_marker(index_dir)
    _write_marker(index_dir, dict(marker, generations=[*marker["generations"], generation]))
    staging = index_dir / f".{generation}.partial"
    staging.mkdir()
    return generation, staging


def _switch_generation(index_dir: Path, generation: str, staging: Path, manifest: dict) -> None:
    """Make a written staging folder the current generation (one rename of the manifest), then remove generations older than the previous one."""
    previous = _current_generation(index_dir)
    temporary_manifest = index_dir / f".{MANIFEST}.{generation}.tmp"
    manifest = dict(manifest, generation=generation)
    _fsync_folder(staging)
    staging.rename(index_dir / generation)
    _write_json(temporary_manifest, manifest, indent=2)
    os.replace(temporary_manifest, index_dir / MANIFEST)
    _remove_old_generations(index_dir, keep={generation, previous})


def _current_generation(index_dir: Path) -> str | None:
    try:
        return str(json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))["generation"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        return None


def _write_json(path: Path, value, indent: int | None = None) -> None:
    # json.dumps, not json.dump: streaming to a file always takes json's pure-Python encoder, dumps its C one
    # (without indent): the same text (the documents and vocabulary of the 1M bench index: 0.14 -> 0.06 CPU s).
    _write_text(path, json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=isinstance(value, dict)))


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:  # newline="": documents.jsonl's offsets count "\n" as one byte
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def _remove_old_generations(index_dir: Path, keep: set[str | None]) -> None:
    """Remove the generations the marker records, but those in `keep`, with what killed builds left of them.

    Only names the marker recorded and that have this code's exact generation naming
    are touched: a folder or file someone else put here is never deleted.
    """
    marker = _read_marker(index_dir)
    remaining = []
    for name in marker["generations"]:
        if not isinstance(name, str) or not _OWN_GENERATION.fullmatch(name):
            continue
        if name in keep:
            remaining.append(name)
            continue
        shutil.rmtree(index_dir / name, ignore_errors=True)
        shutil.rmtree(index_dir / f".{name}.partial", ignore_errors=True)
        (index_dir / f".{MANIFEST}.{name}.tmp").unlink(missing_ok=True)
        if (index_dir / name).exists() or (index_dir / f".{name}.partial").exists():
            remaining.append(name)  # could not be removed now: still the index's, removed next time
    _write_marker(index_dir, dict(marker, generations=remaining))


# ---------------------------------------------------------------- load

def read_manifest(index_dir: Path = DEFAULT_INDEX) -> dict:
    """The manifest of an index folder; IndexNotFound or IndexCorrupt when it cannot be used."""
    path = Path(index_dir) / MANIFEST
    if not path.exists():
        raise IndexNotFound(f"no index in {index_dir} (run: python -m qa index build)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexCorrupt(f"index manifest {path} is unreadable: {error}") from None
    if not isinstance(manifest, dict) or not _GENERATION_NAME.fullmatch(str(manifest.get("generation", ""))):
        raise IndexCorrupt(f"index manifest {path} is incomplete")
    if not all(type(manifest.get(key)) is int and manifest[key] >= 0 for key in ("documents", "sentences", "terms", "postings")):
        raise IndexCorrupt(f"index manifest {path} has no valid counts")
    return manifest


def stale_reason(manifest: dict, corpus_dir: CorpusSpec | None = None, warn: Callable[[str], None] | None = None) -> str | None:
    """Why an index no longer matches this code or this corpus, or None when it is current.

    Corpus files that cannot be used are left out of the comparison (as the build left
    them out); those the index does not already list as skipped are reported to `warn`.
    """
    if manifest.get("format_version") != FORMAT_VERSION:
        return f"index format {manifest.get('format_version')} is not the current {FORMAT_VERSION}"
    if manifest.get("analyzer_version") != ANALYZER_VERSION:
        return f"analyzer version {manifest.get('analyzer_version')} is not the current {ANALYZER_VERSION}"
    if manifest.get("sentence_splitter") != sentence_splitter_name():
        return "the sentence splitter changed"
    if manifest.get("cleaning_version") != CLEANING_VERSION:
        return f"cleaning rules version {manifest.get('cleaning_version')} is not the current {CLEANING_VERSION}"
    if corpus_dir is not None:
        folders = corpus_folders(corpus_dir)
        if manifest.get("corpus") != str(folders[0]):
            return f"it was built from {manifest.get('corpus')}, not {folders[0]}"
        unusable: list[SkippedFile] = []
        fingerprint = corpus_fingerprint(corpus_dir, unusable)
        if warn:
            known = {item.get("name") for item in manifest.get("skipped", []) if isinstance(item, dict)}
            for item in unusable:
                if item.name not in known:
                    warn(f"warning: {item.name} is left out of the index: {item.reason}")
        if manifest.get("corpus_fingerprint") != fingerprint:
            return "the corpus changed since the index was built"
    return None


def _listing_inconsistency(manifest: dict, documents, terms) -> str | None:
    """What is wrong with an index of format 3 or older's documents.json and vocabulary (read whole), or None."""
    if not (isinstance(documents, list) and all(isinstance(document, dict) and isinstance(document.get("doc_id"), str) for document in documents)):
        return "documents.json is not a list of documents"
    if not (isinstance(terms, list) and set(map(type, terms)) <= {str}):
        return "vocabulary.json is not a list of terms"
    if len(documents) != manifest["documents"] or len(terms) != manifest["terms"]:
        return "the document or term count differs from the manifest"
    return None


def _array_inconsistency(manifest: dict, arrays: dict[str, np.ndarray], text_length: int) -> str | None:
    """What is wrong with a generation's arrays, or None: shapes, types, order and every bound an index is used by.

    Every value later used as a position is checked (document numbers, text offsets,
    postings offsets), so damaged arrays give IndexCorrupt rather than a wrong answer,
    an IndexError or a huge allocation at search time. These are vectorised passes over
    arrays of one value per sentence or per term: milliseconds per million sentences.
    The postings' rows (ten per sentence) are checked term by term on first use instead
    (`Retriever._span`), so opening an index does not read every posting.
    """
    sentences, documents, terms = manifest["sentences"], manifest["documents"], manifest["terms"]
    for name, values in arrays.items():
        kind = "f" if name in {"postings_weights", "term_max_weights", "block_maxima"} else "i"
        if values.ndim != 1 or values.dtype.kind != kind:
            return f"{name} has the wrong shape or type"
    expected_lengths = {name: sentences for name in _ARRAYS if name.startswith("sentence_")}
    expected_lengths.update(
        sentence_text_offsets=sentences + 1,
        postings_offsets=terms + 1,
        postings_rows=manifest["postings"],
        postings_weights=manifest["postings"],
    )
    for name, length in expected_lengths.items():
        if len(arrays[name]) != length:
            return f"{name} has {len(arrays[name])} values, not {length}"
    if sentences == 0:
        return "the index has no sentences"
    text_offsets, postings_offsets = arrays["sentence_text_offsets"], arrays["postings_offsets"]
    if int(text_offsets[0]) != 0 or int(text_offsets[-1]) != text_length or _decreases(text_offsets):
        return "sentence text offsets are out of order or out of bounds"
    if int(postings_offsets[0]) != 0 or int(postings_offsets[-1]) != manifest["postings"] or _decreases(postings_offsets):
        return "postings offsets are out of order or out of bounds"
    if largest_unsigned(arrays["sentence_doc"]) >= documents:
        return "a sentence names a document that does not exist"
    if "term_max_weights" in arrays:
        return _bounds_inconsistency(manifest, arrays)
    return None


def _stores_bounds(manifest: dict) -> bool:
    """Whether the index stores score bounds (format 3 on); older indexes load without them."""
    return isinstance(manifest.get("format_version"), int) and manifest["format_version"] >= 3


def _bounds_inconsistency(manifest: dict, arrays: dict[str, np.ndarray]) -> str | None:
    """What is wrong with the stored score bounds (shapes, term ids, block count), or None."""
    shift = manifest.get("block_shift")
    if type(shift) is not int or not 0 <= shift < 63:
        return "the manifest has no valid block_shift"
    block_terms, maxima = arrays["block_maxima_terms"], arrays["block_maxima"]
    if len(arrays["term_max_weights"]) != manifest["terms"]:
        return f"term_max_weights has {len(arrays['term_max_weights'])} values, not {manifest['terms']}"
    if len(block_terms) and (largest_unsigned(block_terms) >= manifest["terms"] or bool((np.diff(block_terms) <= 0).any())):
        return "block maxima name terms that do not exist or are out of order"
    blocks = (manifest["sentences"] >> shift) + 1
    if len(maxima) != len(block_terms) * blocks:
        return f"block_maxima has {len(maxima)} values, not {len(block_terms) * blocks}"
    return None


def _decreases(values: np.ndarray) -> bool:
    """Whether any value is below the one before (a comparison of neighbours: a sixth of `np.diff`'s time, no int64 copy)."""
    return bool((values[1:] < values[:-1]).any())


@dataclass
class SentenceIndex:
    """A loaded index: documents, sentences (memory-mapped) and the retriever."""

    index_dir: Path
    manifest: dict
    documents: DocumentTable  # a read-only sequence of dicts, each parsed on first use
    retriever: Retriever
    arrays: dict[str, np.ndarray] = field(repr=False)
    text_blob: np.ndarray = field(repr=False)
    _rows_by_doc: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, index_dir: Path = DEFAULT_INDEX) -> SentenceIndex:
        """Open an index (arrays memory-mapped, so large indexes open fast and share pages).

        The manifest is read once and names the generation to open. A build that switches
        the manifest meanwhile keeps the previous generation, and a generation that is
        gone anyway (two builds in between) is retried once with the fresh manifest, so a
        build in progress is never taken for damage.
        """
        index_dir = Path(index_dir)
        manifest = read_manifest(index_dir)
        for attempt in range(2):
            try:
                return cls._open(index_dir, manifest)
            except FileNotFoundError as error:
                fresh = read_manifest(index_dir)
                if attempt or fresh.get("generation") == manifest.get("generation"):
                    raise IndexCorrupt(f"index in {index_dir} is damaged: {error}") from None
                manifest = fresh
        raise AssertionError("unreachable")

    @classmethod
    def _open(cls, index_dir: Path, manifest: dict) -> SentenceIndex:
        folder = index_dir / str(manifest["generation"])
        names = _ARRAYS + (_BOUND_ARRAYS if _stores_bounds(manifest) else ())
        source = f"the index in {index_dir}"
        lazy = not (folder / OLD_DOCUMENTS_FILE).exists()  # format 4 on: documents one a line, read on first use
        try:
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in names}
            if lazy:  # metadata and vocabulary read on first use; here only what is cheap to check
                documents = DocumentTable.open(folder, manifest["documents"], source)
                vocabulary = Vocabulary(map_file(folder / VOCABULARY_FILE), manifest["terms"], source)
            else:
                listed = json.loads((folder / OLD_DOCUMENTS_FILE).read_text(encoding="utf-8"))
                terms = json.loads((folder / VOCABULARY_FILE).read_text(encoding="utf-8"))
            text_blob = map_file(folder / "sentence_text.bin")
        except FileNotFoundError:
            raise
        except (OSError, ValueError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise IndexCorrupt(f"index in {index_dir} is damaged: {error or type(error).__name__}") from None
        problem = (None if lazy else _listing_inconsistency(manifest, listed, terms)) or _array_inconsistency(manifest, arrays, len(text_blob))
        if problem:
            raise IndexCorrupt(f"index in {index_dir} is damaged: {problem}")
        if not lazy:
            documents = DocumentTable.from_list(listed, source)
            vocabulary = dict(zip(terms, range(len(terms))))
        bounds = None
        if _stores_bounds(manifest):
            block_terms = arrays["block_maxima_terms"]
            bounds = StoredBounds(
                arrays["term_max_weights"].view(np.ndarray),
                block_terms.view(np.ndarray),
                arrays["block_maxima"].view(np.ndarray).reshape(len(block_terms), -1) if len(block_terms) else np.zeros((0, 1)),
                int(manifest["block_shift"]),
            )
        retriever = Retriever(
            vocabulary,
            arrays["postings_offsets"],
            arrays["postings_rows"],
            arrays["postings_weights"],
            int(manifest["sentences"]),
            bounds,
            source=source,
        )
        return cls(index_dir, manifest, documents, retriever, arrays, text_blob)

    # -- sentences

    def __len__(self) -> int:
        return int(self.manifest["sentences"])

    def sentence_text(self, row: int) -> str:
        """The text of the sentence stored at a row (cheaper than `sentence` when only the text is needed)."""
        offsets = self.arrays["sentence_text_offsets"]
        return bytes(self.text_blob[int(offsets[row]) : int(offsets[row + 1])]).decode("utf-8")

    def sentence(self, row: int) -> Sentence:
        """The sentence stored at a row."""
        text = self.sentence_text(row)
        return Sentence(
            doc_id=self.doc_id_of(row),
            sentence_index=int(self.arrays["sentence_number"][row]),
            paragraph=int(self.arrays["sentence_paragraph"][row]),
            start=int(self.arrays["sentence_start"][row]),
            end=int(self.arrays["sentence_end"][row]),
            text=text,
        )

    def doc_id_of(self, row: int) -> str:
        """The id of the document a sentence row belongs to (without reading its text or metadata)."""
        return self.documents.doc_id(int(self.arrays["sentence_doc"][row]))

    def document_of(self, row: int) -> dict:
        """Metadata of the document a sentence row belongs to."""
        return self.documents[int(self.arrays["sentence_doc"][row])]

    def document(self, doc_id: str) -> dict | None:
        return self.documents.by_id(doc_id)

    def document_rows(self, doc_id: str) -> range:
        """Rows of one document's sentences (they are stored contiguously)."""
        if not self._rows_by_doc:
            doc_numbers = np.asarray(self.arrays["sentence_doc"])
            boundaries = np.flatnonzero(np.diff(doc_numbers)) + 1
            starts = np.concatenate([[0], boundaries])
            ends = np.concatenate([boundaries, [len(doc_numbers)]])
            for start, end in zip(starts.tolist(), ends.tolist()):
                self._rows_by_doc[self.documents.doc_id(int(doc_numbers[start]))] = (start, end)
        start, end = self._rows_by_doc.get(doc_id, (0, 0))
        return range(start, end)

    def paragraph_rows(self, row: int, limit: int = MAX_PARAGRAPH_ROWS) -> list[int]:
        """Rows of the sentences in the same paragraph as `row`, at most `limit` on each side
        (context for a citation and for ranking; a document without blank lines is one paragraph)."""
        documents, paragraphs = self.arrays["sentence_doc"], self.arrays["sentence_paragraph"]
        document, paragraph = documents[row], paragraphs[row]
        first = row
        while first > 0 and row - first < limit and documents[first - 1] == document and paragraphs[first - 1] == paragraph:
            first -= 1
        last = row
        while last + 1 < len(self) and last - row < limit and documents[last + 1] == document and paragraphs[last + 1] == paragraph:
            last += 1
        return list(range(first, last + 1))

    # -- search

    def warm(self) -> None:
        """Ready the search for serving: every posting checked and its pages mapped (`Retriever.warm`)."""
        self.retriever.warm()

    def search(self, text: str, k: int = 10, allowed: np.ndarray | None = None) -> list[Hit]:
        """Top k sentences for a free-text query (among the `allowed` rows when a mask is given)."""
        return self.retriever.search_terms(analyze(text), k, allowed)


def ensure_index(
    corpus_dir: CorpusSpec | None = DEFAULT_CORPUS,
    index_dir: Path = DEFAULT_INDEX,
    notify: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    show_progress_bar: bool = False,
) -> SentenceIndex:
    """Load the index, building or rebuilding it (with a message) when missing, stale or damaged.

    `corpus_dir=None` means the corpus the index records: a stale or damaged index is
    rebuilt from that corpus only, and when the index no longer says which corpus it
    was built from (its manifest is lost) this stops with an error saying how to rebuild
    it, rather than guessing. Only an index folder with no index at all is built from
    the seeds when no corpus is given.
    """
    if corpus_dir is not None and not corpus_folders(corpus_dir)[0].is_dir():
        scan_corpus(corpus_folders(corpus_dir)[0])  # raises the CorpusError that names the problem
    index, problem = _load_or_problem(index_dir)
    if index is None and (Path(index_dir) / INDEX_MARKER).is_file():
        # A build may be in progress (the first one has no manifest yet): wait for it, then look again.
        with index_lock(Path(index_dir), notify):
            pass
        index, problem = _load_or_problem(index_dir)
    if index is not None:
        source = corpus_dir or recorded_corpora(index.manifest)
        if corpus_dir is None and not corpus_folders(source)[0].is_dir():
            reason = stale_reason(index.manifest)
            if reason is None:
                return index  # its corpus is gone, but the index itself is current and usable
            raise CorpusError(f"the index in {index_dir} is stale ({reason}) and its corpus {describe(source)} is gone; rebuild it with --corpus")
        try:
            reason = stale_reason(index.manifest, source, warn=notify)
        except CorpusError as error:  # the corpus folder cannot be listed: the index still answers
            if notify:
                notify(f"warning: cannot check whether the corpus changed ({error}); using the index as it is")
            return index
        if reason is None:
            return index
        message = f"index is stale ({reason}); rebuilding"
    elif corpus_dir is not None:
        source = corpus_dir
        message = f"no index in {index_dir}; building it from {describe(source)}" if isinstance(problem, IndexNotFound) else f"{problem}; rebuilding from {describe(source)}"
    elif isinstance(problem, IndexNotFound) and not _has_built(Path(index_dir)):
        source = DEFAULT_CORPUS
        message = f"no index in {index_dir}; building it from {source}"
    else:
        source = _recorded_corpus(Path(index_dir), problem)
        message = f"{problem}; rebuilding from {describe(source)}"
    return _rebuild(source, Path(index_dir), message, notify, progress, show_progress_bar)


def _load_or_problem(index_dir: Path) -> tuple[SentenceIndex | None, QAError | None]:
    try:
        return SentenceIndex.load(index_dir), None
    except (IndexNotFound, IndexCorrupt) as error:
        return None, error


def _has_built(index_dir: Path) -> bool:
    """Whether a build ever finished writing a generation here (so a missing manifest is damage, not absence)."""
    return index_dir.is_dir() and any(_OWN_GENERATION.fullmatch(path.name) and path.is_dir() for path in index_dir.iterdir())


def recorded_corpora(manifest: dict) -> list[Path]:
    """The corpus folders a manifest records (older manifests name one folder)."""
    return [Path(folder) for folder in manifest.get("corpora") or [manifest.get("corpus") or DEFAULT_CORPUS]]


def _recorded_corpus(index_dir: Path, problem: Exception) -> list[Path]:
    """The corpus a damaged index was built from, as its manifest records it; IndexCorrupt saying how to rebuild when unknown."""
    how = f"rebuild it with: {REBUILD_COMMAND.format(index=index_dir)}"
    if isinstance(problem, IndexNotFound):
        problem = IndexCorrupt(f"the index in {index_dir} has lost its manifest")
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        corpus = manifest.get("corpus")
        folders = [Path(folder) for folder in manifest.get("corpora") or [corpus] if isinstance(folder, str) and folder]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError, TypeError):
        corpus, folders = None, []
    if not isinstance(corpus, str) or not corpus or not folders:
        raise IndexCorrupt(f"{problem}, and it no longer says which corpus it was built from; {how}")
    if not folders[0].is_dir():
        raise IndexCorrupt(f"{problem}, and its corpus {corpus} is gone; {how}")
    return folders


def _rebuild(
    corpus_dir: CorpusSpec, index_dir: Path, message: str, notify: Callable[[str], None] | None, progress: Progress | None, show_progress_bar: bool
) -> SentenceIndex:
    """Build under the writers' lock; first look again, since a build that held the lock may have just made the index current."""
    folders, folder = corpus_folders(corpus_dir), index_dir.resolve()
    _check_listing(scan_corpora(folders), describe(folders))
    claim_index_folder(folder, folders)
    with index_lock(folder, notify):
        try:
            index = SentenceIndex.load(index_dir)
            if stale_reason(index.manifest, folders) is None:
                return index
        except (IndexNotFound, IndexCorrupt):
            pass
        if notify:
            notify(message)
        _build_locked(folders, folder, progress, show_progress_bar, None, True)
    return SentenceIndex.load(index_dir)
