"""Reading a corpus folder: documents, boilerplate removal, metadata, sentences with spans.

Every rule here is about the shape of news pages in general (what a line is, see
qa.cleaning; date lines, bylines and datelines, see qa.metadata), never about particular
articles. Original files are only read. Every sentence keeps its character span in the
document's text: the decoded file for a text file, the extracted text for a web page
(qa.webpage) or a PDF (qa.pdf).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import itertools
import operator
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from qa.cleaning import AGENCY_DATELINE, classify_lines
from qa.dates import find_dates, first_full_date
from qa.encoding import decode_text
from qa.errors import CorpusError
from qa.headline import headline_above_metadata, headline_in_address, is_breadcrumb
from qa.metadata import (
    WIRE_SERVICES,
    copyright_holder,
    dates_something_else,
    email_domains,
    is_date_line,
    is_name_line,
    is_update_line,
    line_date,
    line_instant,
    line_month_day,
    month_day_only,
    name_for_domain,
    names_and_outlet,
    originally_published,
    outlet_key,
    page_year,
    published_part,
    read_byline,
    reads_like_a_sentence,
    registered_domain,
    repeated_site_domain,
    site_credit,
    site_phrase,
    source_label,
    spells_abbreviation,
    staff_byline,
    without_legal_form,
    without_role,
)
from qa.text import remove_invisible, split_sentences
from qa.title_model import choose_title

DocumentKind = Literal["text", "web page", "PDF"]
# File name endings of each kind of document (lower case; a compound ending is matched before ".gz" alone).
KIND_SUFFIXES: dict[str, DocumentKind] = {
    ".txt": "text",
    ".md": "text",
    ".html": "web page",
    ".htm": "web page",
    ".html.gz": "web page",
    ".htm.gz": "web page",
    ".pdf": "PDF",
}
DOCUMENT_SUFFIXES = tuple(KIND_SUFFIXES)
# Bump when cleaning or metadata rules change: an index built with other rules is stale.
CLEANING_VERSION = "16"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

DateKind = Literal["published", "dateline", "event"]


@dataclass(frozen=True)
class Document:
    """One article: id (file name), metadata read from its text, and its content spans."""

    doc_id: str
    title: str
    outlet: str | None
    date: str | None
    date_kind: DateKind | None
    date_text: str | None
    content_hash: str
    paragraphs: tuple[tuple[int, int], ...] = field(repr=False)
    text: str = field(repr=False, compare=False)  # what spans point into: the decoded file, or the extracted text
    kind: DocumentKind = "text"
    encoding: str = "utf-8"
    author: str | None = None
    url: str | None = None  # where a saved page says it came from
    published_at: str | None = None  # the publication instant, when a date line gives the time and its zone
    dropped: tuple[str, ...] | None = field(default=None, repr=False, compare=False)  # furniture lines; None when not known
    # Whether the title is a line of the document (a headline) rather than its first sentence shortened: a
    # plain text whose first line is prose has no title line, and its lead sentence is no headline.
    title_line: bool = False

    def metadata(self) -> dict:
        """What the index stores about the document (no text)."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date,
            "date_kind": self.date_kind,
            "date_text": self.date_text,
            "content_hash": self.content_hash,
            "kind": self.kind,
            "encoding": self.encoding,
            "author": self.author,
            "url": self.url,
            "published_at": self.published_at,
            "dropped_lines": None if self.dropped is None else len(self.dropped),
            "title_line": self.title_line,
        }


@dataclass(frozen=True)
class Sentence:
    """One indexed chunk: a sentence with its place in the document and the original file."""

    doc_id: str
    sentence_index: int
    paragraph: int
    start: int
    end: int
    text: str

    @property
    def sentence_id(self) -> str:
        return f"{self.doc_id}#{self.sentence_index}"


@dataclass(frozen=True)
class SkippedFile:
    """A corpus file that was not indexed, and why."""

    name: str
    reason: str


# ---------------------------------------------------------------- reading

def decode_document(data: bytes) -> str:
    """The text of a text file in whatever encoding it is (qa.encoding); raises ValueError if not text."""
    return decode_text(data).text


def document_kind(name: str) -> DocumentKind | None:
    """The kind of document a file name says it is, or None when it is not a document."""
    lower = name.lower()
    for suffix in sorted(KIND_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return KIND_SUFFIXES[suffix]
    return None


@dataclass(frozen=True)
class CorpusListing:
    """The usable document files of a corpus folder, and the ones left out with why."""

    files: list[Path]
    skipped: list[SkippedFile]


OTHER_KIND = "not a kind of document that is read ({suffix}; read are .txt, .md, .html, .htm, .html.gz, .htm.gz, .pdf)"
OUTSIDE_LINK = "a symbolic link to a file outside the corpus (not followed)"
BAD_NAME = "the file name is not valid UTF-8"


def printable_name(path: Path, folder: Path) -> str:
    """A relative path that can always be printed and stored: undecodable bytes shown as \\xNN."""
    return os.fsencode(path.relative_to(folder)).decode("utf-8", "backslashreplace")


def scan_corpus(folder: Path) -> CorpusListing:
    """The document files of a corpus folder (stable order), and those that cannot be used or are of another kind.

    A file is left out, with its reason, when its name is not UTF-8 (it could not be
    stored or shown), when it is a symbolic link to a file outside the folder (a link
    must not pull private files into the index), or when it cannot even be looked at
    (a path longer than the system allows, a folder that cannot be listed). Links to
    folders are not followed. Hidden files are ignored.
    """
    if not folder.exists():
        raise CorpusError(f"corpus folder not found: {folder}")
    if not folder.is_dir():
        raise CorpusError(f"corpus path is not a folder: {folder}")
    root = folder.resolve()
    files: list[Path] = []
    skipped: list[SkippedFile] = []
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as entries:
                found = list(entries)
        except OSError as error:
            if directory != folder:
                skipped.append(SkippedFile(printable_name(directory, folder), _reason(error)))
                continue
            raise CorpusError(f"cannot read the corpus folder {folder}: {_reason(error)}") from None
        for entry in found:
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    continue
                if entry.name.startswith("."):
                    continue
                if not entry.is_file():
                    continue  # a dangling link, a device, a link to a folder
                if document_kind(entry.name) is None:
                    skipped.append(SkippedFile(printable_name(path, folder), OTHER_KIND.format(suffix=path.suffix.lower() or "no extension")))
                    continue
                if entry.is_symlink() and not path.resolve().is_relative_to(root):
                    skipped.append(SkippedFile(printable_name(path, folder), OUTSIDE_LINK))
                    continue
            except OSError as error:
                skipped.append(SkippedFile(printable_name(path, folder), _reason(error)))
                continue
            try:
                os.fsencode(path.relative_to(folder)).decode("utf-8")
            except UnicodeDecodeError:
                skipped.append(SkippedFile(printable_name(path, folder), BAD_NAME))
                continue
            files.append(path)
    return CorpusListing(sorted(files), sorted(skipped, key=lambda item: item.name))


def _reason(error: OSError) -> str:
    if error.errno == errno.ENAMETOOLONG:
        return "the path is too long for this system"
    return error.strerror or str(error)


def corpus_files(folder: Path) -> list[Path]:
    """The usable document files (text, web pages, PDFs) of a corpus folder, in a stable order (see `scan_corpus`)."""
    return scan_corpus(folder).files



def document_id(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def read_document(path: Path, doc_id: str) -> Document:
    """Read and clean one file; raises ValueError with a readable reason when it cannot be used."""
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise ValueError(f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB)")
    data = path.read_bytes()
    return parse_document(data, doc_id)


def parse_document(data: bytes, doc_id: str) -> Document:
    """Read one document's bytes by its kind (from the name), clean it and read its metadata; ValueError when unusable."""
    if not data.strip():
        raise ValueError("empty file")
    content_hash = hashlib.sha256(data).hexdigest()
    kind = document_kind(doc_id) or "text"
    if kind == "web page":
        return _web_page_document(data, doc_id, content_hash)
    if kind == "PDF":
        return _pdf_document(data, doc_id, content_hash)
    decoded = decode_text(data)
    if not decoded.text.strip():
        raise ValueError("empty file")
    document = _clean(decoded.text, doc_id, content_hash)
    return dataclasses.replace(document, encoding=decoded.encoding, dropped=dropped_lines(document))


def dropped_lines(document: Document) -> tuple[str, ...]:
    """The lines of a document's text that no paragraph keeps (boilerplate, metadata lines), with letters."""
    kept = sorted(document.paragraphs)
    dropped, position = [], 0
    for start, end in _lines(document.text):
        start, end = _trim(document.text, start, end)
        while position < len(kept) and kept[position][1] <= start:
            position += 1
        overlaps = position < len(kept) and kept[position][0] < end
        if end > start and not overlaps and _LETTER.search(document.text[start:end]):
            dropped.append(document.text[start:end])
    return tuple(dropped)


def dropped_with_reasons(document: Document) -> list[tuple[str, str]]:
    """Each dropped line of a cleaned text (a web copy, a PDF's text) with why: the cleaner's verdict on it
    ("byline", "list of headlines", ...), or "metadata" for a line kept as text but read as the page's date,
    address or credit. The verdicts are recomputed from the text, as the build made them."""
    spans = line_spans(document.text)
    verdicts = classify_lines([document.text[start:end] for start, end in spans])
    reasons: dict[str, str] = {}
    for (start, end), verdict in zip(spans, verdicts, strict=True):
        if not verdict.keep:
            reasons.setdefault(" ".join(document.text[start:end].split()), verdict.reason or verdict.kind)
    return [(line, reasons.get(" ".join(line.split()), "metadata")) for line in document.dropped or ()]


def _web_page_document(data: bytes, doc_id: str, content_hash: str) -> Document:
    """A saved page as a document: its headline, then trafilatura's main text, one paragraph per block."""
    from qa.webpage import read_webpage

    page = read_webpage(data)
    blocks = list(page.blocks)
    if page.title:
        title = page.title
        if blocks[0].casefold() == title.casefold():
            blocks = blocks[1:]  # the main text sometimes starts with the headline itself
        blocks = [title, *blocks]
    else:
        spans = split_sentences(blocks[0])
        title = blocks[0][spans[0][0]:spans[0][1]] if spans else blocks[0]
        title = title if len(title) <= 90 else title[:87].rsplit(" ", 1)[0] + "…"
    text, paragraphs = _joined(blocks)
    return Document(
        doc_id=doc_id,
        title=" ".join(title.split()),
        outlet=page.outlet,
        date=page.date,
        date_kind="published" if page.date else None,
        date_text=page.date,
        content_hash=content_hash,
        paragraphs=paragraphs,
        text=text,
        kind="web page",
        encoding=page.encoding,
        author=page.author,
        url=page.url,
        dropped=None,  # trafilatura decides on markup blocks, not lines: what it left out is not a list of lines
        title_line=bool(page.title),
    )


def _joined(blocks: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Blocks joined by blank lines, and the span of each in the joined text."""
    spans, position = [], 0
    for block in blocks:
        spans.append((position, position + len(block)))
        position += len(block) + 2
    return "\n\n".join(blocks), tuple(spans)


def _pdf_document(data: bytes, doc_id: str, content_hash: str) -> Document:
    """A PDF as a document: its reflowed text cleaned like a web copy (headline, byline), furniture recorded."""
    from qa.pdf import read_pdf

    pdf = read_pdf(data)
    document = _clean(pdf.text, doc_id, content_hash)
    return dataclasses.replace(
        document,
        title=pdf.title or document.title,
        # a title from the PDF's metadata is a title line only when the text prints it as a line
        title_line=document.title_line if not pdf.title or pdf.title == document.title else _prints_line(pdf.text, pdf.title),
        date=document.date or pdf.date,
        date_kind=document.date_kind or ("published" if pdf.date else None),
        date_text=document.date_text or pdf.date,
        kind="PDF",
        encoding="PDF text layer",
        author=pdf.author,
        dropped=pdf.furniture + dropped_lines(document),
    )


def iter_corpus(folder: Path) -> Iterator[Document | SkippedFile]:
    """Documents of a folder, one at a time (streaming), with skipped files reported in place."""
    for path in corpus_files(folder):
        doc_id = document_id(path, folder)
        try:
            yield read_document(path, doc_id)
        except (ValueError, OSError) as error:
            yield SkippedFile(doc_id, str(error))


# ---------------------------------------------------------------- cleaning rules

_URL_ONLY = re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_DATE_LABEL = re.compile(
    r"^\s*(?:publish(?:ed)?\s*(?:date|on)?|date\s*published|posted(?:\s+on)?|updated(?:\s+on)?|last\s+updated|date[d]?)"
    r"\s*[:\-]?\s*",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w'.\-]*(?:[ \-][A-Z][\w'.\-]*){0,3}),?\s+(?P<date>[^():\n]{6,40}?)\s*"
    r"(?:\((?P<agency>[^)]{1,40})\))?\s*[:\-\u2013\u2014]+\s+"
)
_CREDIT_PREFIX = re.compile(r"^(?P<agency>[A-Z][\w .&']{2,60}?\((?P<abbreviation>[A-Z]{2,8})\))\s*[\-\u2013]?\s*[\w ]{0,20}:\s+")
_SOURCE_SUFFIX = re.compile(r"(?<=[.!?\"\u201d'])\s*/\s*(?P<source>[A-Z][\w .]{1,30}?)\s*$")
_TERMINAL = re.compile(r"[.!?\"\u201d'\u2019)]\s*$")
# Markdown and plain-text line markers that are layout, not words: headings, quotes, bullets, emphasis.
_LINE_MARKUP = re.compile(r"(?:#{1,6}\s+|>\s*|[-*+\u2022\u25aa]\s+|\d{1,3}[.)]\s+(?=\D)|[*_]{1,3}(?=\w))+")
# "19. November 2019": a day written with a full stop (German, Scandinavian), not a list item's number.
_DAY_WITH_FULL_STOP = re.compile(r"[0-3]?\d\.\s+[^\W\d_]+\.?\s+(?:19|20)\d\d\b")


def is_boilerplate(line: str) -> bool:
    """Web furniture by the line's own shape (no context): widgets, bylines, date lines, forms, counters."""
    (verdict,) = classify_lines([line.strip()])
    return not verdict.keep and verdict.reason not in {"short line outside prose", ""}


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break (Unix, Windows or old Mac endings)."""
    if "\r" in text:
        return list(_lines_any_ending(text))
    # Unix endings only: the lines' lengths give their spans by C loops, not Python code per line.
    lengths = list(map(len, text.split("\n")))
    starts = list(itertools.accumulate(map(operator.add, lengths, itertools.repeat(1)), initial=0))
    return list(zip(starts, map(operator.add, starts, lengths)))


def _lines_any_ending(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    for line_break in _LINE_BREAK.finditer(text):
        yield position, line_break.start()
        position = line_break.end()
    yield position, len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _headline_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 25 and not re.search(r"[.!]\s*$", line)


def _title_case(line: str) -> bool:
    words = [word for word in re.findall(r"[^\W\d_]+", line) if len(word) > 3]
    return bool(words) and all(word[0].isupper() for word in words)


@dataclass
class _Metadata:
    """What the furniture lines of one document say about it, gathered while cleaning."""

    date: str | None = None
    date_kind: DateKind | None = None
    date_text: str | None = None
    header_date: str | None = None  # a page date line above the article's prose
    # A page date line between the headline and the prose: it dates the article, where a date line above the
    # headline may be the site's "today" in its masthead.
    below_headline_date: str | None = None
    page_date: str | None = None  # a page date line elsewhere, or one that says when the page was updated
    page_date_text: str | None = None  # the page date as the page writes it, when read from a labelled line
    near_headline_date: str | None = None  # a date on a furniture line by the headline that is not only a date line
    month_day: tuple[int, int] | None = None  # a page date line by the headline that gives no year ("Posted Nov 19")
    # Days of the date lines away from the headline and the header (below the article, in lists), and whether
    # the page date is one of them: several different days there date a list of other stories, not the page.
    later_days: list[str] = field(default_factory=list)
    page_date_later: bool = False
    instants: dict[str, str] = field(default_factory=dict)  # day -> instant, from date lines that give time and zone
    author: str | None = None
    outlets: list[tuple[int, str]] = field(default_factory=list)  # (priority, name): lower number wins

    def note_instant(self, line: str, day: str) -> None:
        instant = line_instant(line)
        if instant and instant.startswith(day):
            self.instants.setdefault(day, instant)

    def note_published(self, day: str, text: str, line: str) -> None:
        """The page's publication date, from the first line labelled as saying it ("Published: Nov 19, 2019")."""
        if self.date_kind != "published":
            self.date, self.date_kind, self.date_text = day, "published", text
            self.note_instant(line, day)

    def read_furniture(self, line: str, in_header: bool, near_headline: bool = False, below_headline: bool = False) -> None:
        """Date, author and outlet from a dropped line (date line, byline, credit, copyright)."""
        byline = read_byline(line)
        if byline:
            if self.author is None:
                self.author = byline.authors
            if byline.rest and not is_date_line(byline.rest):
                self.outlets.append((2, without_role(byline.rest)))
        other_date = dates_something_else(line)  # "Deadline: March 3, 2020", "FILE PHOTO: ... March 3, 2018"
        if (is_date_line(line) or byline) and not other_date:
            published = published_part(line)  # "Updated Nov 20 | Published Nov 19": the publication's part
            day = line_date(published)
            if day and in_header and below_headline and not is_update_line(line) and self.below_headline_date is None:
                self.below_headline_date = day.isoformat()
            if day and (in_header and not is_update_line(line)) and self.header_date is None:
                self.header_date = day.isoformat()
            elif day and self.page_date is None:
                self.page_date = day.isoformat()
                self.page_date_later = not (in_header or near_headline)
            if day and not (in_header or near_headline) and not is_update_line(line):
                self.later_days.append(day.isoformat())
            if day:
                self.note_instant(published, day.isoformat())
            elif (in_header or near_headline) and self.month_day is None and not is_update_line(line):
                self.month_day = line_month_day(published)  # "Updated Nov 20; Posted Nov 19": the posting
        elif (
            near_headline
            and self.near_headline_date is None
            and _metadata_sized(line)
            and not is_update_line(line)
            and not other_date
            and not reads_like_a_sentence(line)  # a standfirst's "vote on March 3" is an event, not the page's date
        ):
            # "Jane Roe 19/11/2019 2 comments", "by Example Office / 2019.11.19": a byline or meta line by the
            # headline that carries more than a date; only a furniture line, never running prose, is read.
            day = line_date(published_part(line))
            if day:
                self.near_headline_date = day.isoformat()
        holder = copyright_holder(line)
        if holder:
            self.outlets.append((3, holder))
        self.read_outlet_labels(line, in_header)
        if near_headline or in_header:
            staff = staff_byline(line)
            if staff:
                self.outlets.append((2, staff))  # "Example Weekly Editorial Staff": the outlet's byline

    def read_outlet_labels(self, line: str, in_header: bool) -> None:
        """The source a metadata line names: "Updated Nov 20, 2019 | Source: Example.com"."""
        source = source_label(line)
        # In the page's header, or on a date line whose source stands in a part of its own.
        if source and (in_header or ("|" in line and is_date_line(line.split("|")[0]))):
            self.outlets.append((2, source))

    def read_any(self, line: str) -> None:
        """An outlet named anywhere in the copy: "Originally published on X"."""
        origin = originally_published(line)
        if origin:
            self.outlets.append((2, origin))
        if "@" in line:
            self.outlets.extend((5, domain) for domain in email_domains(line))  # "Contact: news@example.org"
        site = site_phrase(line)
        if site:
            self.outlets.append((4, site))  # "More from Example News", "Search Example"


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's words: surrounding spaces and layout markers (headings, bullets) left out."""
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text):
        start, end = _trim(text, line_start, line_end)
        markup = _LINE_MARKUP.match(text, start, end)
        if markup and text[start].isdigit():
            day = _DAY_WITH_FULL_STOP.match(text, start, end)
            if day and line_date(day.group()):
                markup = None
        spans.append((markup.end() if markup else start, end))
    return spans


def _clean(text: str, doc_id: str, content_hash: str) -> Document:
    spans = line_spans(text)
    verdicts = classify_lines([text[start:end] for start, end in spans])
    first_prose = next((i for i, verdict in enumerate(verdicts) if verdict.kind == "prose"), len(verdicts))
    headline = next((i for i, verdict in enumerate(verdicts) if verdict.kind == "headline"), None)
    found = _Metadata()
    content: list[tuple[int, int]] = []
    non_blank = _non_blank_counts(spans)

    for number, ((start, end), verdict) in enumerate(zip(spans, verdicts, strict=True)):
        line = text[start:end]
        if not line:
            content.append((start, start))  # blank line: paragraph break marker
            continue
        found.read_any(line)
        url = _URL_ONLY.match(line)
        if url:
            host = urlparse(line if "://" in line else "http://" + line).hostname or ""
            if host:
                found.outlets.append((5, registered_domain(host)))
            if not verdict.keep:
                continue
        label = _DATE_LABEL.match(line)
        published = published_part(line) if label else line
        if published != line and is_date_line(line):
            # "Updated: Nov 20, 2019 / Published: Nov 19, 2019": a metadata line whose publication part is read
            day = line_date(published)
            if day and found.date_kind != "published":
                mention = first_full_date(published)
                found.note_published(day.isoformat(), mention.text if mention else day.isoformat(), published)
            if day:
                found.read_outlet_labels(line, number < first_prose)
                continue
        if label:
            mention = first_full_date(line[label.end():][:60])
            if mention and line[label.end():].find(mention.text) <= 12:
                if is_update_line(line):
                    if found.page_date is None:  # used only when no line says when the page was published
                        found.page_date, found.page_date_text = mention.iso(), mention.text
                    found.note_instant(line, mention.iso())
                else:
                    found.note_published(mention.iso(), mention.text, line)
                rest_start = label.end() + line[label.end():].find(mention.text) + len(mention.text)
                remainder = " ".join(re.sub(r"[*_|,\u2022\u00b7\-\u2013\u2014]", " ", line[rest_start:]).split())
                if not _LETTER.search(remainder) or re.match(r"^\d{1,2}:\d\d", remainder) or read_byline(remainder):
                    found.read_outlet_labels(line, number < first_prose)
                    continue  # a metadata line: "Publish date Sunday 5 November 2023 - 14:45"
                start, end = _trim(text, start + rest_start, end)
                line = text[start:end]
        if not verdict.keep:
            found.read_furniture(
                line, number < first_prose, _near_headline(non_blank, number, headline, first_prose), headline is not None and number > headline
            )
            if found.author is None and is_name_line(line) and _next_to_date_line(spans, text, number):
                found.author, outlet = names_and_outlet(line)  # a byline without "By", beside the page's date line
                if outlet:
                    found.outlets.append((2, outlet))  # "Jane Roe EXAMPLE NEWS": the writer's outlet in capitals
            continue
        if verdict.kind == "context" and _below_headline(non_blank, number, headline):
            # "Text: Jane Roe · 24 September 2018" kept between the standfirst and the prose: a short line by
            # the headline that is not running prose is the page's metadata, read like a dropped one.
            found.read_furniture(line, number < first_prose, True)
        dateline = _DATELINE.match(line)
        mention = first_full_date(dateline.group("date")) if dateline else None
        if dateline and mention and mention.text.strip() == dateline.group("date").strip(" ,"):
            if found.date_kind is None:
                found.date, found.date_kind, found.date_text = mention.iso(), "dateline", mention.text
            if dateline.group("agency"):
                found.outlets.append((1, _wire_service(dateline.group("agency"))))
            start, end = _trim(text, start + dateline.end(), end)
            line = text[start:end]
        elif dateline and dateline.group("agency") and month_day_only(dateline.group("date")):
            # "LONDON, Nov 19 (Reuters) -": a wire dateline gives the day without the year, read from the page
            if found.month_day is None:
                found.month_day = month_day_only(dateline.group("date"))
            found.outlets.append((1, _wire_service(dateline.group("agency"))))
            start, end = _trim(text, start + dateline.end(), end)
            line = text[start:end]
        else:
            agency = AGENCY_DATELINE.match(line)
            if agency and (agency.group("agency") or number > (headline if headline is not None else -1)):
                if agency.group("agency"):
                    found.outlets.append((1, _wire_service(agency.group("agency"))))
                start, end = _trim(text, start + agency.end(), end)
                line = text[start:end]
        site = site_credit(line)
        if site:
            found.outlets.append((2, site))  # "Example.net - The council voted ...": the site credits its own story
        credit = _CREDIT_PREFIX.match(line)
        if credit and spells_abbreviation(credit.group("agency").rsplit("(", 1)[0], credit.group("abbreviation")):
            found.outlets.append((2, credit.group("agency").strip()))
            start, end = _trim(text, start + credit.end(), end)
            line = text[start:end]
        source = _SOURCE_SUFFIX.search(line) if "/" in line else None  # the suffix is "/ Source": no slash, no search
        if source and len(line) > len(source.group(0)) + 20:
            found.outlets.append((3, source.group("source").strip()))
            start, end = _trim(text, start, start + source.start())
        if end > start:
            content.append((start, end))

    lines = [(s, e) for s, e in content if e > s]
    if not lines:
        raise ValueError("no article text (only boilerplate or metadata)")

    title = None
    first, second = text[lines[0][0]:lines[0][1]], (text[lines[1][0]:lines[1][1]] if len(lines) > 1 else "")
    opening = [i for i, (start, end) in enumerate(spans) if end > start]
    if headline is not None:
        title = text[spans[headline][0]:spans[headline][1]].rstrip(" :")
        above = [i for i in opening if i < headline]
        if len(above) == 1 and _headline_like(text[spans[above[0]][0]:spans[above[0]][1]]):
            masthead = text[spans[above[0]][0]:spans[above[0]][1]]
            if 2 <= len(masthead.split()) <= 7 and _title_case(masthead) and not find_dates(masthead):
                found.outlets.append((4, masthead.rstrip(" :")))  # a masthead line opening the file
    elif (
        len(lines) > 2
        and _headline_like(first)
        and _headline_like(second)
        and len(first.split()) <= 7
        and _title_case(first)
        and not find_dates(first)
    ):
        found.outlets.append((4, first.rstrip(" :")))  # a masthead line above the headline
        content.remove(lines[0])
        lines = lines[1:]
        first = second
    title = _title_by_metadata_block(text, spans, title, headline) or title
    chosen = choose_title([text[start:end] for start, end in spans], [verdict.kind == "prose" for verdict in verdicts])
    # The fitted scorer decides among the lines above the prose; when it picks the first prose line itself, the
    # copy has no headline line of its own and the title stays the rules' (a headline they found, else the
    # first sentence shortened).
    if chosen is not None and chosen != first_prose:
        title = text[spans[chosen][0]:spans[chosen][1]].rstrip(" :")
    if title is None and len(lines) > 1 and _headline_like(first):
        title = first.rstrip(" :")
    addressed = headline_in_address([text[start:end] for start, end in spans], title)
    if addressed is not None:
        title = text[spans[addressed][0]:spans[addressed][1]].rstrip(" :")  # the line the copy's own address spells
    title_line = title is not None  # else the title is made from the first sentence: no line of the text is a headline
    if title is None:
        spans_of_first = split_sentences(first)
        first_sentence = first[spans_of_first[0][0]:spans_of_first[0][1]] if spans_of_first else first
        title = first_sentence if len(first_sentence) <= 90 else first_sentence[:87].rsplit(" ", 1)[0] + "…"

    if found.page_date_later and len(set(found.later_days)) > 1:
        found.page_date = None  # "Other story / Oct 30, 2019 / Another story / Oct 28, 2019": a list's dates
    if found.date_kind is None:
        page_date = found.below_headline_date or found.header_date or found.near_headline_date or found.page_date
        if page_date:
            text_of_date = found.page_date_text if page_date == found.page_date and found.page_date_text else page_date
            found.date, found.date_kind, found.date_text = page_date, "published", text_of_date
    if found.date is None and found.month_day:
        # The year from the page's furniture (copyright, date lines), never from a date the story mentions.
        year = page_year([text[start:end] for (start, end), verdict in zip(spans, verdicts, strict=True) if verdict.kind != "prose"])
        try:
            day = dt.date(year, *found.month_day) if year else None
        except ValueError:
            day = None
        if day:
            found.date, found.date_kind, found.date_text = day.isoformat(), "published", day.isoformat()
    if found.date is None:
        for start, end in lines:
            mention = first_full_date(text[start:end])
            if mention:
                found.date, found.date_kind, found.date_text = mention.iso(), "event", mention.text
                break

    repeated = repeated_site_domain(text)
    if repeated:
        found.outlets.append((5, repeated))  # "... told Example.info": a site written as a domain again and again
    outlet = _chosen_outlet(found.outlets, text, found.author)
    return Document(
        doc_id=doc_id,
        title=" ".join(title.split()),
        outlet=outlet,
        date=found.date,
        date_kind=found.date_kind,
        date_text=found.date_text,
        content_hash=content_hash,
        paragraphs=tuple(_paragraphs(text, content)),
        text=text,
        author=found.author,
        published_at=found.instants.get(found.date) if found.date and found.date_kind == "published" else None,
        title_line=title_line,
    )


def _prints_line(text: str, title: str) -> bool:
    """Whether a line of `text` says `title` (spacing aside)."""
    wanted = " ".join(title.split()).casefold()
    return any(" ".join(line.split()).casefold() == wanted for line in text.splitlines())


def _chosen_outlet(outlets: list[tuple[int, str]], text: str, author: str | None = None) -> str | None:
    """The outlet named by the surest kind of line (the first such line); a domain is read as the name the
    page spells for it. A name that is the page's author ("© Jane Roe" on a personal blog) is a person, not an outlet."""
    outlets = [item for item in outlets if not author or outlet_key(item[1]) != outlet_key(author)]
    if not outlets:
        return None
    surest = min(outlets, key=lambda item: item[0])[1]
    outlet = without_legal_form(surest) or surest  # "© 2019 Example News Ltd." names Example News
    if " " not in outlet and "." in outlet:
        outlet = name_for_domain(outlet, text)  # "exampletimes.com" -> "Example Times" when the page spells it so
    return outlet


def _title_by_metadata_block(text: str, spans: list[tuple[int, int]], title: str | None, headline: int | None) -> str | None:
    """The headline by the byline and date lines, where it is a better title than the line classifier's:
    the classifier found none, found a navigation trail, found a line well below the block (a subhead),
    or found a section label that the line above the block begins with ("Daily Brief" / "Daily Brief 11.18")."""
    found = headline_above_metadata([text[start:end] for start, end in spans])
    if found is None:
        return None

    def line(number: int | None) -> str | None:
        return None if number is None else " ".join(text[spans[number][0]:spans[number][1]].split())

    above, below = line(found.above), line(found.below)
    if title is None:
        return above or below
    if is_breadcrumb(title):
        return below or above
    if headline is not None and headline > found.block_end and headline != found.below:
        return above
    if above and above.startswith(title + " "):
        return above
    return None


# How many non-blank lines below the headline (or above the first prose line) a page's date and byline sit.
NEAR_HEADLINE_LINES = 4


# A furniture line by the headline is read for a date when it has at most this many words, or is made of parts
# between bars of at most METADATA_PART_WORDS each ("By Jane Roe | jroe@example.org | Example Herald | Published: ...").
METADATA_LINE_WORDS = 16
METADATA_PART_WORDS = 10


def _metadata_sized(line: str) -> bool:
    """Whether a line is short, or made of short parts between bars, as a byline or meta line is (prose is neither)."""
    if len(line.split()) <= METADATA_LINE_WORDS:
        return True
    parts = line.split("|")
    return len(parts) >= 3 and all(len(part.split()) <= METADATA_PART_WORDS for part in parts)


def _near_headline(non_blank: list[int], number: int, headline: int | None, first_prose: int) -> bool:
    """Whether line `number` sits within a few non-blank lines below the headline (a standfirst may come
    between), or in the header just above the first line of prose."""
    if headline is not None and headline < number and _non_blank_between(non_blank, headline, number) < NEAR_HEADLINE_LINES:
        return True
    return number < first_prose and _non_blank_between(non_blank, number, first_prose) < NEAR_HEADLINE_LINES


def _below_headline(non_blank: list[int], number: int, headline: int | None) -> bool:
    """Whether line `number` sits within a few non-blank lines below the headline: the page's own metadata block."""
    return headline is not None and headline < number and _non_blank_between(non_blank, headline, number) < NEAR_HEADLINE_LINES


def _non_blank_counts(spans: list[tuple[int, int]]) -> list[int]:
    """For each line number i (and len(spans)), how many of the lines before it are not blank: counting the lines
    between two is then one subtraction (counting them line by line made every dropped line cost the page's length)."""
    counts = [0]
    for start, end in spans:
        counts.append(counts[-1] + (end > start))
    return counts


def _non_blank_between(non_blank: list[int], first: int, last: int) -> int:
    """How many non-blank lines lie strictly between lines `first` and `last`."""
    return max(0, non_blank[last] - non_blank[min(first + 1, last)])


def _wire_service(name: str) -> str:
    name = name.strip()
    return WIRE_SERVICES.get(name, name)


def _next_to_date_line(spans: list[tuple[int, int]], text: str, number: int) -> bool:
    """Whether the nearest non-blank line above or below is a page date line."""
    for step in (-1, 1):
        i = number + step
        while 0 <= i < len(spans) and spans[i][0] == spans[i][1]:
            i += step
        if 0 <= i < len(spans) and is_date_line(text[spans[i][0]:spans[i][1]].lstrip("-\u2013\u2014 ")):
            return True
    return False


def _paragraphs(text: str, content: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Join content lines into paragraphs: a line wrapped mid-sentence continues the paragraph."""
    current: tuple[int, int] | None = None
    for start, end in content:
        if start == end:
            if current:
                yield current
            current = None
            continue
        line = text[start:end]
        # Only the paragraph's last characters decide whether it ends a sentence (a long run stays linear).
        if current and not _TERMINAL.search(text[max(current[0], current[1] - 8) : current[1]]) and line[:1].islower():
            current = (current[0], end)
            continue
        if current:
            yield current
        current = (start, end)
    if current:
        yield current


def split_document(document: Document) -> list[Sentence]:
    """The sentences of a document, numbered, with paragraph numbers and original spans."""
    return [Sentence(document.doc_id, number, *row) for number, row in enumerate(sentence_rows(document))]


def sentence_rows(document: Document) -> list[tuple[int, int, int, str]]:
    """`split_document`'s sentences as (paragraph number, start, end, text) rows: what the build keeps of each,
    without making a Sentence object apiece (a fifth of the build's splitting time)."""
    rows = []
    text = document.text
    for paragraph_number, (start, end) in enumerate(document.paragraphs):
        for sentence_start, sentence_end in split_sentences(text[start:end], start):
            # The text is the original's, whitespace aside: a citation shows exactly what the file says.
            # Soft hyphens and zero-width characters are dropped, as the analyzer drops them.
            body = " ".join(remove_invisible(text[sentence_start:sentence_end]).split())
            if body[:1].isalpha() or _LETTER.search(body):  # a letter first (most sentences) spares the search
                rows.append((paragraph_number, sentence_start, sentence_end, body))
    return rows
