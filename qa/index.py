"""Building, saving, loading and validating the sentence index, with atomic builds.

Layout of an index folder:
    manifest.json            written last, atomically: names the current generation
    <generation>/            plain arrays (.npy, no pickle), documents.json, vocabulary.json
A build writes a new generation folder, then replaces the manifest in one rename,
so an interrupted build leaves the previous index loadable. Older generations
are removed after the switch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from qa.analysis import analyse_files, cache_folder, prune_cache
from qa.corpora import CorpusSpec, corpus_folders, corpus_listing, describe
from qa.corpus import CLEANING_VERSION, Sentence, SkippedFile, corpus_files
from qa.errors import CorpusError, IndexCorrupt, IndexNotFound
from qa.retriever import EPSILON, K1, B, Hit, Retriever, okapi_idf, posting_scores
from qa.text import ANALYZER_VERSION, analyze, sentence_splitter_name

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_GENERATION_NAME = re.compile(r"generation-[\w\-]+")
PROGRESS_THRESHOLD = 50  # documents; smaller builds finish before a bar is worth drawing

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


def corpus_fingerprint(corpus_dir: CorpusSpec) -> str:
    """Content hash of every corpus file (ids and bytes), over all folders: any change makes the index stale."""
    digest = hashlib.sha256()
    for path, doc_id in corpus_listing(corpus_dir):
        digest.update(doc_id.encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# ---------------------------------------------------------------- build

def build_index(
    corpus_dir: CorpusSpec = DEFAULT_CORPUS,
    index_dir: Path = DEFAULT_INDEX,
    progress: Progress | None = None,
    show_progress_bar: bool = False,
    workers: int | None = None,
    use_cache: bool = True,
) -> BuildReport:
    """Build the index of a corpus folder (or of several: see qa.corpora) into `index_dir`, atomically.

    Documents stream through the analysis (two worker processes on large corpora,
    results in corpus order); each document's analysis is cached by content hash
    under `index_dir/cache/`, so rebuilding after a few changes analyses only those.
    """
    started = time.perf_counter()
    folders, index_dir = corpus_folders(corpus_dir), Path(index_dir).resolve()
    corpus_dir = describe(folders)
    named_files = corpus_listing(folders)
    files = [path for path, _ in named_files]
    if not files:
        raise CorpusError(f"no .txt or .md documents in {corpus_dir}")
    cache_dir = cache_folder(index_dir) if use_cache else None

    documents: list[dict] = []
    skipped: list[SkippedFile] = []
    vocabulary: dict[str, int] = {}
    fingerprint = hashlib.sha256()
    used_hashes: set[str] = set()
    chunks: dict[str, list[np.ndarray]] = {name: [] for name in ("doc", "number", "columns", "offsets", "terms", "rows", "frequencies")}
    texts: list[bytes] = []
    sentence_count = text_length = 0

    bar = None
    if show_progress_bar and len(files) >= PROGRESS_THRESHOLD:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="doc", desc="indexing", file=sys.stderr)
    for position, item in enumerate(analyse_files(named_files, cache_dir, workers), start=1):
        if item.content_hash is not None:
            fingerprint.update(item.doc_id.encode() + b"\0" + bytes.fromhex(item.content_hash))
            used_hashes.add(item.content_hash)
        if item.skipped is not None:
            skipped.append(item.skipped)
        else:
            analysis = item.analysis
            count = len(analysis.columns)
            new_terms = [term for term in analysis.terms if term not in vocabulary]  # distinct, in first-appearance order
            vocabulary.update(zip(new_terms, range(len(vocabulary), len(vocabulary) + len(new_terms))))
            term_ids = np.array(list(map(vocabulary.__getitem__, analysis.terms)), dtype=np.int32)
            chunks["doc"].append(np.full(count, len(documents), dtype=np.int32))
            chunks["number"].append(np.arange(count, dtype=np.int32))
            chunks["columns"].append(analysis.columns)
            chunks["offsets"].append(analysis.text_offsets[1:] + text_length)
            chunks["terms"].append(term_ids[analysis.postings[:, 1]])
            chunks["rows"].append(analysis.postings[:, 0] + sentence_count)
            chunks["frequencies"].append(analysis.postings[:, 2])
            texts.append(analysis.text)
            documents.append(analysis.metadata)
            sentence_count += count
            text_length += len(analysis.text)
        if bar:
            bar.update(1)
        if progress:
            progress(position, len(files))
    if bar:
        bar.close()
    if not documents:
        reasons = "; ".join(f"{item.name}: {item.reason}" for item in skipped[:5])
        raise CorpusError(f"no readable documents in {corpus_dir} ({reasons})")
    if sentence_count == 0:
        raise CorpusError(f"no sentences found in {corpus_dir}")
    if cache_dir is not None:
        prune_cache(cache_dir, used_hashes)

    columns = np.concatenate(chunks["columns"])
    lengths = columns[:, 3]
    average_length = int(lengths.sum()) / sentence_count
    terms, rows, frequencies = _postings_by_term(
        np.concatenate(chunks["terms"]), np.concatenate(chunks["rows"]), np.concatenate(chunks["frequencies"]), sentence_count
    )
    del chunks["terms"], chunks["rows"], chunks["frequencies"]
    document_frequency = np.bincount(terms, minlength=len(vocabulary))
    idf_by_term = okapi_idf(dict(zip(vocabulary, document_frequency.tolist())), sentence_count)
    idf = np.fromiter(idf_by_term.values(), dtype=np.float64, count=len(idf_by_term))
    weights = _posting_weights(idf, terms, frequencies, lengths[rows], average_length)
    del terms, frequencies
    postings_offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(document_frequency, out=postings_offsets[1:])
    text_offsets = np.zeros(sentence_count + 1, dtype=np.int64)
    np.concatenate(chunks["offsets"], out=text_offsets[1:])

    arrays = {
        "sentence_doc": np.concatenate(chunks["doc"]),
        "sentence_number": np.concatenate(chunks["number"]),
        "sentence_paragraph": columns[:, 0].astype(np.int32),
        "sentence_start": np.ascontiguousarray(columns[:, 1]),
        "sentence_end": np.ascontiguousarray(columns[:, 2]),
        "sentence_length": lengths.astype(np.int32),
        "sentence_text_offsets": text_offsets,
        "postings_offsets": postings_offsets,
        "postings_rows": rows,
        "postings_weights": weights,
    }
    del rows, weights
    manifest = {
        "format_version": FORMAT_VERSION,
        "analyzer_version": ANALYZER_VERSION,
        "sentence_splitter": sentence_splitter_name(),
        "cleaning_version": CLEANING_VERSION,
        "parameters": {"model": "BM25Okapi", "k1": K1, "b": B, "epsilon": EPSILON, "average_length": average_length},
        "corpus": str(folders[0]),
        "corpora": [str(folder) for folder in folders],
        "corpus_fingerprint": fingerprint.hexdigest(),
        "documents": len(documents),
        "sentences": sentence_count,
        "terms": len(vocabulary),
        "postings": int(len(arrays["postings_rows"])),
        "skipped": [{"name": item.name, "reason": item.reason} for item in skipped],
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    manifest["build_seconds"] = round(time.perf_counter() - started, 3)
    _write_generation(index_dir, manifest, arrays, documents, list(vocabulary), texts)
    return BuildReport(len(documents), sentence_count, len(vocabulary), skipped, time.perf_counter() - started, index_dir)


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


def _write_generation(index_dir: Path, manifest: dict, arrays: dict, documents: list, vocabulary: list, texts: list[bytes]) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    generation = f"generation-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    staging = index_dir / f".{generation}.partial"
    temporary_manifest = index_dir / f".{MANIFEST}.{os.getpid()}.tmp"
    staging.mkdir()
    try:
        for name, values in arrays.items():
            np.save(staging / f"{name}.npy", values, allow_pickle=False)
        with open(staging / "sentence_text.bin", "wb") as handle:
            handle.writelines(texts)
        _write_json(staging / "documents.json", documents)
        _write_json(staging / "vocabulary.json", vocabulary)
        manifest = dict(manifest, generation=generation)
        _fsync_folder(staging)
        staging.rename(index_dir / generation)
        _write_json(temporary_manifest, manifest, indent=2)
        os.replace(temporary_manifest, index_dir / MANIFEST)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        temporary_manifest.unlink(missing_ok=True)
        raise
    _remove_old_generations(index_dir, keep=generation)


def _write_json(path: Path, value, indent: int | None = None) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, indent=indent, sort_keys=isinstance(value, dict))
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def _remove_old_generations(index_dir: Path, keep: str) -> None:
    """Remove superseded generations and what killed builds left behind (partial folders, manifest drafts)."""
    for path in index_dir.iterdir():
        if path.is_dir() and path.name != keep and (path.name.startswith("generation-") or path.name.endswith(".partial")):
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.name.startswith(f".{MANIFEST}.") and path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)


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


def stale_reason(manifest: dict, corpus_dir: CorpusSpec | None = None) -> str | None:
    """Why an index no longer matches this code or this corpus, or None when it is current."""
    if manifest.get("format_version") != FORMAT_VERSION:
        return f"index format {manifest.get('format_version')} is not the current {FORMAT_VERSION}"
    if manifest.get("analyzer_version") != ANALYZER_VERSION:
        return f"analyzer version {manifest.get('analyzer_version')} is not the current {ANALYZER_VERSION}"
    if manifest.get("sentence_splitter") != sentence_splitter_name():
        return "the sentence splitter changed"
    if manifest.get("cleaning_version") != CLEANING_VERSION:
        return f"cleaning rules version {manifest.get('cleaning_version')} is not the current {CLEANING_VERSION}"
    if corpus_dir is not None:
        first = corpus_folders(corpus_dir)[0]
        if manifest.get("corpus") != str(first):
            return f"it was built from {manifest.get('corpus')}, not {first}"
        if manifest.get("corpus_fingerprint") != corpus_fingerprint(corpus_dir):
            return "the corpus changed since the index was built"
    return None


@dataclass
class SentenceIndex:
    """A loaded index: documents, sentences (memory-mapped) and the retriever."""

    index_dir: Path
    manifest: dict
    documents: list[dict]
    retriever: Retriever
    arrays: dict[str, np.ndarray] = field(repr=False)
    text_blob: np.ndarray = field(repr=False)
    _rows_by_doc: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, index_dir: Path = DEFAULT_INDEX) -> SentenceIndex:
        """Open an index (arrays memory-mapped, so large indexes open fast and share pages)."""
        index_dir = Path(index_dir)
        manifest = read_manifest(index_dir)
        folder = index_dir / str(manifest["generation"])
        try:
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
            documents = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
            terms = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
            blob_path = folder / "sentence_text.bin"
            text_blob = np.memmap(blob_path, dtype=np.uint8, mode="r") if blob_path.stat().st_size else np.zeros(0, np.uint8)
        except (OSError, ValueError, json.JSONDecodeError) as error:
            raise IndexCorrupt(f"index in {index_dir} is damaged: {error}") from None
        sentences = manifest.get("sentences")
        checks = [
            isinstance(documents, list) and all(isinstance(document, dict) and "doc_id" in document for document in documents),
            isinstance(terms, list) and all(isinstance(term, str) for term in terms),
            all(np.issubdtype(arrays[name].dtype, np.integer) for name in _ARRAYS if name != "postings_weights"),
            np.issubdtype(arrays["postings_weights"].dtype, np.floating),
            len(documents) == manifest.get("documents"),
            len(terms) == manifest.get("terms"),
            all(len(arrays[name]) == sentences for name in _ARRAYS if name.startswith("sentence_") and name != "sentence_text_offsets"),
            len(arrays["sentence_text_offsets"]) == (sentences or 0) + 1,
            len(arrays["postings_offsets"]) == len(terms) + 1,
            len(arrays["postings_rows"]) == len(arrays["postings_weights"]) == manifest.get("postings"),
            int(arrays["sentence_text_offsets"][-1]) == len(text_blob) if sentences else False,
        ]
        if not all(checks):
            raise IndexCorrupt(f"index in {index_dir} is inconsistent with its manifest")
        retriever = Retriever(
            {term: position for position, term in enumerate(terms)},
            arrays["postings_offsets"],
            arrays["postings_rows"],
            arrays["postings_weights"],
            int(sentences),
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
            doc_id=self.documents[int(self.arrays["sentence_doc"][row])]["doc_id"],
            sentence_index=int(self.arrays["sentence_number"][row]),
            paragraph=int(self.arrays["sentence_paragraph"][row]),
            start=int(self.arrays["sentence_start"][row]),
            end=int(self.arrays["sentence_end"][row]),
            text=text,
        )

    def document_of(self, row: int) -> dict:
        """Metadata of the document a sentence row belongs to."""
        return self.documents[int(self.arrays["sentence_doc"][row])]

    def document(self, doc_id: str) -> dict | None:
        return next((document for document in self.documents if document["doc_id"] == doc_id), None)

    def document_rows(self, doc_id: str) -> range:
        """Rows of one document's sentences (they are stored contiguously)."""
        if not self._rows_by_doc:
            doc_numbers = np.asarray(self.arrays["sentence_doc"])
            boundaries = np.flatnonzero(np.diff(doc_numbers)) + 1
            starts = np.concatenate([[0], boundaries])
            ends = np.concatenate([boundaries, [len(doc_numbers)]])
            for start, end in zip(starts.tolist(), ends.tolist()):
                self._rows_by_doc[self.documents[int(doc_numbers[start])]["doc_id"]] = (start, end)
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
    """Load the index, building or rebuilding it (with a message) when missing, stale or corrupt.

    `corpus_dir=None` means the corpus the index was built from (the seeds when there is
    no index), so opening an index of another corpus never rebuilds it from the seeds.
    """
    if corpus_dir is not None and not corpus_folders(corpus_dir)[0].is_dir():
        corpus_files(corpus_folders(corpus_dir)[0])  # raises the CorpusError that names the problem
    reason = None
    try:
        index = SentenceIndex.load(index_dir)
        if corpus_dir is None:
            corpus_dir = [Path(folder) for folder in index.manifest.get("corpora") or [index.manifest.get("corpus") or DEFAULT_CORPUS]]
            if not corpus_dir[0].is_dir():
                reason = stale_reason(index.manifest)
                if reason is None:
                    return index  # its corpus is gone, but the index itself is current and usable
                raise CorpusError(f"the index in {index_dir} is stale ({reason}) and its corpus {corpus_dir[0]} is gone; rebuild it with --corpus")
        reason = stale_reason(index.manifest, corpus_dir)
        if reason is None:
            return index
        reason = f"index is stale ({reason}); rebuilding"
    except IndexNotFound:
        corpus_dir = corpus_dir or DEFAULT_CORPUS
        reason = f"no index in {index_dir}; building it from {describe(corpus_dir)}"
    except IndexCorrupt as error:
        corpus_dir = corpus_dir or DEFAULT_CORPUS
        reason = f"{error}; rebuilding from {describe(corpus_dir)}"
    if notify:
        notify(reason)
    build_index(corpus_dir, index_dir, progress=progress, show_progress_bar=show_progress_bar)
    return SentenceIndex.load(index_dir)
