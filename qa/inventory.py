"""What was read: every indexed document with its kind, encoding and metadata, and every file not indexed with why.

The CLI's `corpus report` prints it; the app can call `corpus_inventory(index)` for its document list.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from qa.corpus import Document, SkippedFile, document_kind, read_document
from qa.errors import CorpusError
from qa.index import SentenceIndex
from qa.syndication import carried_by


@dataclass(frozen=True)
class DocumentEntry:
    """One indexed document as the report shows it."""

    doc_id: str
    kind: str
    encoding: str | None
    title: str
    outlet: str | None
    author: str | None
    date: str | None
    date_kind: str | None
    url: str | None
    sentences: int
    dropped_lines: int | None  # None: the reader does not work by lines (web pages)
    carried_by: tuple[str, ...]  # outlets carrying the same story, when it has syndicated copies


@dataclass(frozen=True)
class Inventory:
    """The documents of an index and the files of its corpus that were not indexed."""

    corpus: str
    documents: tuple[DocumentEntry, ...]
    skipped: tuple[SkippedFile, ...]

    def to_json(self) -> dict:
        return {
            "corpus": self.corpus,
            "documents": [{**asdict(entry), "carried_by": list(entry.carried_by)} for entry in self.documents],
            "skipped": [{"name": item.name, "reason": item.reason} for item in self.skipped],
        }


def corpus_inventory(index: SentenceIndex) -> Inventory:
    """Every document of the index with its metadata and sentence count, and the skipped files with reasons."""
    entries = []
    for document in index.documents:
        entries.append(
            DocumentEntry(
                doc_id=document["doc_id"],
                kind=document.get("kind", "text"),
                encoding=document.get("encoding"),
                title=document["title"],
                outlet=document.get("outlet"),
                author=document.get("author"),
                date=document.get("date"),
                date_kind=document.get("date_kind"),
                url=document.get("url"),
                sentences=len(index.document_rows(document["doc_id"])),
                dropped_lines=document.get("dropped_lines"),
                carried_by=carried_by(index.documents.same_story(document), document),
            )
        )
    skipped = tuple(SkippedFile(item["name"], item["reason"]) for item in index.manifest.get("skipped", []))
    return Inventory(str(index.manifest.get("corpus", "")), tuple(entries), skipped)


def read_corpus_document(corpus_dir: Path, name: str) -> Document:
    """One corpus file read as the build reads it (for showing what was dropped); CorpusError when it cannot be."""
    corpus_dir = Path(corpus_dir).resolve()
    path = (corpus_dir / name).resolve()
    if not path.is_relative_to(corpus_dir) or not path.is_file():
        raise CorpusError(f"no file {name} in the corpus {corpus_dir}")
    if document_kind(path.name) is None:
        raise CorpusError(f"{name} is not a kind of document that is read")
    try:
        return read_document(path, path.relative_to(corpus_dir).as_posix())
    except (ValueError, OSError) as error:
        raise CorpusError(f"{name} is not indexed: {error}") from None


def format_inventory(inventory: Inventory) -> str:
    """The report as text: one block per document, then the files not indexed."""
    lines = [f"{len(inventory.documents)} documents from {inventory.corpus}"]
    for entry in inventory.documents:
        dropped = "unknown" if entry.dropped_lines is None else str(entry.dropped_lines)
        date = f"{entry.date} ({entry.date_kind})" if entry.date else "no date"
        lines.append(f"\n{entry.doc_id}  [{entry.kind}, {entry.encoding or '?'}]")
        lines.append(f"  title:     {entry.title}")
        lines.append(f"  outlet:    {entry.outlet or '-'}    author: {entry.author or '-'}    date: {date}")
        if entry.url:
            lines.append(f"  from:      {entry.url}")
        lines.append(f"  sentences: {entry.sentences}    lines dropped as furniture: {dropped}")
        if entry.carried_by:
            lines.append(f"  same story carried by: {', '.join(entry.carried_by)}")
    if inventory.skipped:
        lines.append(f"\n{len(inventory.skipped)} file(s) not indexed:")
        lines += [f"  {item.name}: {item.reason}" for item in inventory.skipped]
    return "\n".join(lines)
