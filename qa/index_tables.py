"""The index's documents' metadata and vocabulary, read on first use rather than when the index opens.

At ten million sentences (74,650 documents, 228,000 terms) turning `documents.json` into
Python objects and the vocabulary into a dictionary were most of a load. So (index format 4)
the documents are stored one JSON object per line (`documents.jsonl`) with their byte offsets
(`document_offsets.npy`), their ids (`document_ids.json`) and their syndication groups
(`document_group.npy`) beside them: a document is parsed when it is first asked for, the ids
when a document is first looked up by id, the vocabulary's dictionary on the first query.

Damage is still found, at load where cheap (the offsets' order and bounds against the file's
size, the groups' bounds, the files' presence), otherwise on first use: a line that is not a
document, or ids that do not match, is `IndexCorrupt` naming the index, never a wrong document.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from qa.errors import IndexCorrupt

DOCUMENTS_FILE = "documents.jsonl"
OFFSETS_FILE = "document_offsets.npy"
IDS_FILE = "document_ids.json"
GROUPS_FILE = "document_group.npy"
VOCABULARY_FILE = "vocabulary.json"
NO_GROUP = -1  # document_group's value for a document with no syndicated copy


def write_documents(folder: Path, documents: list[dict], write_text) -> None:
    """Write the documents' four files (`write_text(path, text)` writes and syncs one file)."""
    lines = [json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" for document in documents]
    offsets = np.zeros(len(lines) + 1, dtype=np.int64)
    np.cumsum([len(line) for line in lines], out=offsets[1:])
    groups = _syndication_groups(documents)
    write_text(folder / DOCUMENTS_FILE, b"".join(lines).decode("utf-8"))
    np.save(folder / OFFSETS_FILE, offsets, allow_pickle=False)
    np.save(folder / GROUPS_FILE, groups, allow_pickle=False)
    write_text(folder / IDS_FILE, json.dumps([document["doc_id"] for document in documents], ensure_ascii=False))


def _syndication_groups(documents: list[dict]) -> np.ndarray:
    """Each document's syndication group as the number of the document that names it (NO_GROUP: none)."""
    number_of = {document["doc_id"]: number for number, document in enumerate(documents)}
    return np.array([number_of.get(document.get("syndication_group"), NO_GROUP) for document in documents], dtype=np.int32)


def map_file(path: Path) -> np.ndarray:
    """A file's bytes, mapped at load and read on first use.

    Builds keep only the current and the previous generation, so a long-running reader's generation
    can be removed under it; a mapping (like an open file) keeps the removed file's bytes readable,
    where opening it by name on first use would fail."""
    return np.memmap(path, dtype=np.uint8, mode="r") if path.stat().st_size else np.zeros(0, np.uint8)


class DocumentTable(Sequence):
    """The documents' metadata as a read-only sequence of dicts, each parsed on first use and kept.

    The same dict comes back for the same document every time. An index of format 3 or
    older (one `documents.json`) is read whole at load and served through the same methods.
    """

    def __init__(self, count: int, source: str, lines: np.ndarray | None = None, offsets: np.ndarray | None = None,
                 groups: np.ndarray | None = None, ids_file: np.ndarray | None = None, parsed: list[dict] | None = None) -> None:
        self._count = count
        self._source = source  # "the index in DIR", named in errors
        self._lines, self._offsets, self._groups, self._ids_file = lines, offsets, groups, ids_file
        self._parsed: list[dict | None] = parsed if parsed is not None else [None] * count
        self._ids: list[str] | None = [document["doc_id"] for document in parsed] if parsed is not None else None
        self._numbers: dict[str, int] | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: Path, count: int, source: str) -> DocumentTable:
        """Map a format-4 generation's documents; IndexCorrupt (or FileNotFoundError) when the cheap checks fail."""
        size = (folder / DOCUMENTS_FILE).stat().st_size
        offsets = np.load(folder / OFFSETS_FILE, mmap_mode="r", allow_pickle=False)
        groups = np.load(folder / GROUPS_FILE, mmap_mode="r", allow_pickle=False)
        if offsets.ndim != 1 or offsets.dtype.kind != "i" or len(offsets) != count + 1 or groups.ndim != 1 or groups.dtype.kind != "i" or len(groups) != count:
            raise IndexCorrupt(f"{source} is damaged: the documents' offsets or groups have the wrong shape or type")
        offsets, groups = np.asarray(offsets), np.asarray(groups)
        if int(offsets[0]) != 0 or int(offsets[-1]) != size or bool((offsets[1:] <= offsets[:-1]).any()):
            raise IndexCorrupt(f"{source} is damaged: the documents' offsets do not match {DOCUMENTS_FILE}")
        if count and (int(groups.min()) < NO_GROUP or int(groups.max()) >= count):
            raise IndexCorrupt(f"{source} is damaged: a document's syndication group names a document that does not exist")
        return cls(count, source, map_file(folder / DOCUMENTS_FILE), offsets, groups, map_file(folder / IDS_FILE))

    @classmethod
    def from_list(cls, documents: list[dict], source: str) -> DocumentTable:
        """An older index's documents, already parsed (their syndication groups found by id)."""
        return cls(len(documents), source, groups=_syndication_groups(documents), parsed=documents)

    def _damaged(self, what: str) -> IndexCorrupt:
        return IndexCorrupt(f"{self._source} is damaged: {what} (rebuild the index)")

    # -- the sequence

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, number):
        if isinstance(number, slice):
            return [self[position] for position in range(*number.indices(self._count))]
        position = int(number) + (self._count if number < 0 else 0)
        if not 0 <= position < self._count:
            raise IndexError("document number out of range")
        document = self._parsed[position]
        if document is None:
            document = self._parse(position)
        return document

    def __iter__(self) -> Iterator[dict]:
        return (self[position] for position in range(self._count))

    def _parse(self, position: int) -> dict:
        start, end = int(self._offsets[position]), int(self._offsets[position + 1])
        try:
            document = json.loads(bytes(self._lines[start:end]).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            document = None
        if not (isinstance(document, dict) and document.get("doc_id") == self.doc_id(position)):
            raise self._damaged(f"document #{position} in {DOCUMENTS_FILE} is not the document its id names")
        with self._lock:  # two threads parsing the same document keep the first dict, so identity holds
            if self._parsed[position] is None:
                self._parsed[position] = document
            return self._parsed[position]

    # -- ids and groups

    def doc_id(self, number: int) -> str:
        """A document's id, without parsing its metadata."""
        return self._document_ids()[number]

    def number_of(self, doc_id: str) -> int | None:
        """A document's number from its id, or None."""
        if self._numbers is None:
            ids = self._document_ids()
            self._numbers = dict(zip(ids, range(len(ids))))
        return self._numbers.get(doc_id)

    def by_id(self, doc_id: str) -> dict | None:
        number = self.number_of(doc_id)
        return None if number is None else self[number]

    def same_story(self, document: dict) -> list[dict]:
        """The documents in `document`'s syndication group, in index order (itself among them); [] when it has none.

        Read from the groups column, so only the copies are parsed (not every document, as a
        scan of the metadata would)."""
        number = self.number_of(document["doc_id"])
        if number is None or int(self._groups[number]) == NO_GROUP:
            return []
        return [self[int(other)] for other in np.flatnonzero(self._groups == self._groups[number])]

    def _document_ids(self) -> list[str]:
        if self._ids is None:
            try:
                ids = json.loads(self._ids_file.tobytes())
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise self._damaged(f"{IDS_FILE} is unreadable ({error})") from None
            if not (isinstance(ids, list) and len(ids) == self._count and all(type(item) is str for item in ids)):
                raise self._damaged(f"{IDS_FILE} is not the list of the index's documents")
            self._ids = ids
        return self._ids

    def check(self) -> None:
        """Parse every document now (`qa index check`): IndexCorrupt as first use would give."""
        for _ in self:
            pass


class Vocabulary(Mapping):
    """The term-to-id dictionary, parsed from `vocabulary.json` (mapped at load) on the first query rather than at load.

    Building it is about 0.04 CPU s for the 228,000 terms of the Wikipedia bench (the same at
    1M and 10M sentences); a load only checks that the file is there."""

    def __init__(self, mapped: np.ndarray, count: int, source: str) -> None:
        self._mapped, self._count, self._source = mapped, count, source
        self._terms: dict[str, int] | None = None
        self._lock = threading.Lock()

    def _dictionary(self) -> dict[str, int]:
        if self._terms is None:
            with self._lock:
                if self._terms is None:
                    try:
                        terms = json.loads(self._mapped.tobytes())
                    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                        raise IndexCorrupt(f"{self._source} is damaged: {VOCABULARY_FILE} is unreadable ({error}) (rebuild the index)") from None
                    if not (isinstance(terms, list) and len(terms) == self._count and all(type(term) is str for term in terms)):
                        raise IndexCorrupt(f"{self._source} is damaged: {VOCABULARY_FILE} is not the index's {self._count} terms (rebuild the index)")
                    self._terms = dict(zip(terms, range(len(terms))))
        return self._terms

    def __getitem__(self, term: str) -> int:
        return self._dictionary()[term]

    def get(self, term, default=None):
        return self._dictionary().get(term, default)

    def __contains__(self, term) -> bool:
        return term in self._dictionary()

    def __iter__(self) -> Iterator[str]:
        return iter(self._dictionary())

    def __len__(self) -> int:
        return self._count
