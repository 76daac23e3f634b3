"""Adding uploaded articles to a corpus folder: validation, safe names, never overwriting."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa.corpora import CorpusSpec, corpus_listing
from qa.corpus import DOCUMENT_SUFFIXES, MAX_DOCUMENT_BYTES, decode_document, parse_document

MAX_NAME_CHARACTERS = 100
_UNSAFE_CHARACTERS = re.compile(r"[^\w.\- ]+")
_SEPARATORS = ("/", "\\", "\x00")
# Every kind of document the corpus reads can be uploaded: text copies, saved web pages (also gzip-compressed), PDFs.
UPLOAD_SUFFIXES = DOCUMENT_SUFFIXES
# Device names Windows reserves in any folder, with any suffix: a corpus copied there would break.
WINDOWS_RESERVED_NAMES = frozenset(["CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))])


@dataclass(frozen=True)
class UploadResult:
    """What happened to one uploaded file: saved under `saved_as`, or rejected with `reason`."""

    name: str
    saved_as: str | None = None
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        return self.saved_as is not None


def upload_types() -> list[str]:
    """The last parts of the accepted suffixes, for a file picker ("gz" for ".html.gz": the name is checked again on upload)."""
    return sorted({suffix.rsplit(".", 1)[-1] for suffix in UPLOAD_SUFFIXES})


def safe_file_name(name: str) -> str:
    """A plain file name for an upload; raises ValueError for paths, traversal or a wrong suffix."""
    if any(separator in name for separator in _SEPARATORS) or name.strip() in ("", ".", ".."):
        raise ValueError("the file name must be a plain name, without folders")
    stripped = name.strip()
    # The longest suffix first: "page.html.gz" keeps ".html.gz", not just ".gz".
    suffix = next((suffix for suffix in sorted(UPLOAD_SUFFIXES, key=len, reverse=True) if stripped.lower().endswith(suffix)), "")
    if not suffix:
        raise ValueError(f"only {', '.join(UPLOAD_SUFFIXES[:-1])} and {UPLOAD_SUFFIXES[-1]} files are accepted")
    stem = stripped[: len(stripped) - len(suffix)]
    stem = _UNSAFE_CHARACTERS.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .-_")  # a leading dot would hide the file from the corpus
    stem = stem[: MAX_NAME_CHARACTERS - len(suffix)].rstrip(" .") or "document"
    first, dot, rest = stem.partition(".")
    if first.rstrip(" ").upper() in WINDOWS_RESERVED_NAMES:
        stem = f"{first}_{dot}{rest}"  # "CON.txt" (or "con.tar.txt") cannot be opened on Windows
    return stem + suffix


def content_fingerprints(data: bytes) -> tuple[str, str]:
    """Hashes of the raw bytes and of the whitespace-normalised text: either match means a duplicate."""
    raw = hashlib.sha256(data).hexdigest()
    from qa.webpage import decompress, is_compressed  # lxml only when an upload is fingerprinted, as in qa.corpus

    try:
        if is_compressed(data):
            data = decompress(data)  # a compressed copy of a page is the same page
        words = " ".join(decode_document(data).split())
    except ValueError:
        return raw, raw
    return raw, hashlib.sha256(words.encode("utf-8")).hexdigest()


def corpus_fingerprints(corpus_dir: CorpusSpec) -> dict[str, str]:
    """Fingerprint -> document id of every document already in the corpus (all its folders)."""
    known: dict[str, str] = {}
    for path, doc_id in corpus_listing(corpus_dir):
        for fingerprint in content_fingerprints(path.read_bytes()):
            known.setdefault(fingerprint, doc_id)
    return known


def validate_upload(name: str, data: bytes, known: dict[str, str]) -> str:
    """The safe file name for an acceptable upload; raises ValueError saying why it is refused."""
    file_name = safe_file_name(name)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"too large ({len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB)")
    if not data.strip():
        raise ValueError("the file is empty")
    try:
        parse_document(data, file_name)  # not text, not UTF-8, or nothing but boilerplate
    except ValueError:
        raise
    except Exception as error:  # noqa: BLE001 - whatever else goes wrong is one short line, not a raw message
        raise ValueError(f"the file could not be read as an article ({type(error).__name__})") from None
    for fingerprint in content_fingerprints(data):
        if fingerprint in known:
            raise ValueError(f"the same text is already in the corpus as {known[fingerprint]}")
    return file_name


def _write_new_file(folder: Path, file_name: str, data: bytes) -> str:
    """Write under `file_name`, or `stem-2.suffix`, … if taken: linking a finished temporary file never overwrites."""
    stem, suffix = os.path.splitext(file_name)
    temporary = folder / f".upload-{uuid.uuid4().hex}.tmp"  # hidden: not part of the corpus while written
    with open(temporary, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        for attempt in range(1, 10_000):
            candidate = file_name if attempt == 1 else f"{stem}-{attempt}{suffix}"
            if any(path.name.lower() == candidate.lower() for path in folder.iterdir()):
                continue  # also avoid names differing only in case
            try:
                os.link(temporary, folder / candidate)
            except FileExistsError:
                continue
            return candidate
        raise ValueError("no free file name left")
    finally:
        temporary.unlink(missing_ok=True)


def save_uploads(files: Iterable[tuple[str, bytes]], corpus_dir: Path, whole_corpus: CorpusSpec | None = None) -> list[UploadResult]:
    """Validate and save uploaded (name, bytes) pairs into a folder (created when missing); one result per file.

    Duplicates are looked for in `whole_corpus` (e.g. the seeds and the user folder), by default the folder itself."""
    corpus_dir = Path(corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    known = corpus_fingerprints(whole_corpus if whole_corpus is not None else corpus_dir)
    results = []
    for name, data in files:
        try:
            file_name = validate_upload(name, data, known)
            saved_as = _write_new_file(corpus_dir, file_name, data)
        except (ValueError, OSError) as error:
            results.append(UploadResult(name, reason=str(error)))
            continue
        for fingerprint in content_fingerprints(data):
            known.setdefault(fingerprint, saved_as)
        results.append(UploadResult(name, saved_as=saved_as))
    return results
