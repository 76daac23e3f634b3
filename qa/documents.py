"""The documents of an index as a list for readers: title, outlet, date, kind, sentence count; with search."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from qa.index import SentenceIndex

NO_OUTLET = "Outlet not stated"


@dataclass(frozen=True)
class DocumentRow:
    """One document as listed: where it comes from and how much of it is indexed."""

    doc_id: str
    title: str
    outlet: str
    date: str | None  # ISO; the publication date, or the dateline's or first full date when none is stated
    date_kind: str | None
    kind: str  # what the reader of the corpus reported (text, web page, PDF), else the file suffix
    sentences: int


def outlet_of(document: dict) -> str:
    """The outlet a document states, or a label for documents that state none (so they can be chosen too)."""
    return document.get("outlet") or NO_OUTLET


def document_list(index: SentenceIndex) -> list[DocumentRow]:
    """Every indexed document, in index order."""
    rows = []
    for document in index.documents:
        kind = document.get("kind") or PurePosixPath(document["doc_id"]).suffix.lstrip(".").lower() or "text"
        rows.append(
            DocumentRow(
                document["doc_id"], document.get("title") or document["doc_id"], outlet_of(document), document.get("date"),
                document.get("date_kind"), kind, len(index.document_rows(document["doc_id"])),
            )  # fmt: skip
        )
    return rows


def search_documents(rows: list[DocumentRow], text: str) -> list[DocumentRow]:
    """The rows whose title, outlet, file name or date contain every word of `text` (case-insensitive)."""
    words = text.lower().split()
    if not words:
        return rows
    return [row for row in rows if all(word in f"{row.title} {row.outlet} {row.doc_id} {row.date or ''}".lower() for word in words)]


def outlets(index: SentenceIndex) -> list[str]:
    """The outlets of the corpus, sorted, with the no-outlet label last."""
    names = {outlet_of(document) for document in index.documents}
    return sorted(names - {NO_OUTLET}, key=str.lower) + ([NO_OUTLET] if NO_OUTLET in names else [])
