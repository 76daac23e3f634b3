"""Reading a corpus folder: documents, boilerplate removal, metadata, sentences with spans.

Every rule here is about the shape of news pages in general (what a line is, see
qa.cleaning; date lines, bylines and datelines, see qa.metadata), never about particular articles. Original files are only
read; every sentence keeps its character span in the decoded original text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from qa.cleaning import classify_lines
from qa.dates import find_dates, first_full_date
from qa.errors import CorpusError
from qa.metadata import (
    WIRE_SERVICES,
    copyright_holder,
    is_date_line,
    is_name_line,
    is_update_line,
    line_date,
    originally_published,
    read_byline,
    source_label,
)
from qa.text import split_sentences

DOCUMENT_SUFFIXES = (".txt", ".md")
# Bump when cleaning or metadata rules change: an index built with other rules is stale.
CLEANING_VERSION = "3"
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
    text: str = field(repr=False, compare=False)
    author: str | None = None

    def metadata(self) -> dict:
        """What the index stores about the document (no text)."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date,
            "date_kind": self.date_kind,
            "date_text": self.date_text,
            "author": self.author,
            "content_hash": self.content_hash,
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
    """UTF-8 text of a file, same length as the original characters; raises ValueError if not text."""
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (invalid byte at position {error.start})") from None
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # keep offsets: the BOM becomes a blank
    return text


def corpus_files(folder: Path) -> list[Path]:
    """The `.txt`/`.md` files of a corpus folder, in a stable order."""
    if not folder.exists():
        raise CorpusError(f"corpus folder not found: {folder}")
    if not folder.is_dir():
        raise CorpusError(f"corpus path is not a folder: {folder}")
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES and not path.name.startswith(".")
    )


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
    """Clean one document's bytes and read its metadata; raises ValueError when unusable."""
    text = decode_document(data)
    if not text.strip():
        raise ValueError("empty file")
    content_hash = hashlib.sha256(data).hexdigest()
    return _clean(text, doc_id, content_hash)


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
    r"^\s*(?:publish(?:ed)?\s*(?:date|on)?|date\s*published|posted\s+on|updated(?:\s+on)?|last\s+updated|date[d]?)"
    r"\s*[:\-]?\s*",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w'.\-]*(?:[ \-][A-Z][\w'.\-]*){0,3}),?\s+(?P<date>[^():\n]{6,40}?)\s*"
    r"(?:\((?P<agency>[^)]{1,40})\))?\s*[:\-\u2013\u2014]+\s+"
)
# "LONDON (AP) —", "ST. JOSEPH, Mich. (Reuters) -", "WASHINGTON —": a place in capitals (and a state), maybe an agency.
_AGENCY_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'\-]{1,40}(?:,\s*[A-Z][a-z]{1,5}\.(?:\s*[A-Z][a-z]?\.)?)?\s*(?:\((?P<agency>[^)]{1,40})\))?\s*[:\-\u2013\u2014]+\s+(?=\S)"
)
_CREDIT_PREFIX = re.compile(r"^(?P<agency>[A-Z][\w .&']{2,60}?\((?P<abbreviation>[A-Z]{2,8})\))\s*[\-\u2013]?\s*[\w ]{0,20}:\s+")
_SOURCE_SUFFIX = re.compile(r"(?<=[.!?\"\u201d'])\s*/\s*(?P<source>[A-Z][\w .]{1,30}?)\s*$")
_TERMINAL = re.compile(r"[.!?\"\u201d'\u2019)]\s*$")
# Markdown and plain-text line markers that are layout, not words: headings, quotes, bullets, emphasis.
_LINE_MARKUP = re.compile(r"(?:#{1,6}\s+|>\s*|[-*+\u2022\u25aa]\s+|\d{1,3}[.)]\s+(?=\D)|[*_]{1,3}(?=\w))+")


def is_boilerplate(line: str) -> bool:
    """Web furniture by the line's own shape (no context): widgets, bylines, date lines, forms, counters."""
    (verdict,) = classify_lines([line.strip()])
    return not verdict.keep and verdict.reason not in {"short line outside prose", ""}


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its line break (Unix, Windows or old Mac endings)."""
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
    page_date: str | None = None  # a page date line elsewhere, or one that says when the page was updated
    author: str | None = None
    outlets: list[tuple[int, str]] = field(default_factory=list)  # (priority, name): lower number wins

    def read_furniture(self, line: str, in_header: bool) -> None:
        """Date, author and outlet from a dropped line (date line, byline, credit, copyright)."""
        byline = read_byline(line)
        if byline:
            if self.author is None:
                self.author = byline.authors
            if byline.rest and not is_date_line(byline.rest):
                self.outlets.append((2, byline.rest))
        if is_date_line(line) or byline:
            day = line_date(line)
            if day and (in_header and not is_update_line(line)) and self.header_date is None:
                self.header_date = day.isoformat()
            elif day and self.page_date is None:
                self.page_date = day.isoformat()
        holder = copyright_holder(line)
        if holder:
            self.outlets.append((3, holder))
        source = source_label(line)
        if source and (in_header or is_date_line(line.split("|")[0])):
            self.outlets.append((2, source))

    def read_any(self, line: str) -> None:
        """An outlet named anywhere in the copy: "Originally published on X"."""
        origin = originally_published(line)
        if origin:
            self.outlets.append((2, origin))


def _clean(text: str, doc_id: str, content_hash: str) -> Document:
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text):
        start, end = _trim(text, line_start, line_end)
        markup = _LINE_MARKUP.match(text, start, end)
        spans.append((markup.end() if markup else start, end))
    verdicts = classify_lines([text[start:end] for start, end in spans])
    first_prose = next((i for i, verdict in enumerate(verdicts) if verdict.kind == "prose"), len(verdicts))
    headline = next((i for i, verdict in enumerate(verdicts) if verdict.kind == "headline"), None)
    found = _Metadata()
    content: list[tuple[int, int]] = []

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
                found.outlets.append((5, host.removeprefix("www.")))
            continue
        label = _DATE_LABEL.match(line)
        if label:
            mention = first_full_date(line[label.end():][:60])
            if mention and line[label.end():].find(mention.text) <= 12:
                if found.date_kind != "published":
                    found.date, found.date_kind, found.date_text = mention.iso(), "published", mention.text
                rest_start = label.end() + line[label.end():].find(mention.text) + len(mention.text)
                remainder = " ".join(re.sub(r"[*_|,\u2022\u00b7\-\u2013\u2014]", " ", line[rest_start:]).split())
                if not _LETTER.search(remainder) or re.match(r"^\d{1,2}:\d\d", remainder) or read_byline(remainder):
                    continue  # a metadata line: "Publish date Sunday 5 November 2023 - 14:45"
                start, end = _trim(text, start + rest_start, end)
                line = text[start:end]
        if not verdict.keep:
            found.read_furniture(line, number < first_prose)
            if found.author is None and is_name_line(line) and _next_to_date_line(spans, text, number):
                found.author = line.strip()  # a byline without "By", beside the page's date line
            continue
        dateline = _DATELINE.match(line)
        mention = first_full_date(dateline.group("date")) if dateline else None
        if dateline and mention and mention.text.strip() == dateline.group("date").strip(" ,"):
            if found.date_kind is None:
                found.date, found.date_kind, found.date_text = mention.iso(), "dateline", mention.text
            if dateline.group("agency"):
                found.outlets.append((1, _wire_service(dateline.group("agency"))))
            start, end = _trim(text, start + dateline.end(), end)
            line = text[start:end]
        else:
            agency = _AGENCY_DATELINE.match(line)
            if agency and (agency.group("agency") or number > (headline if headline is not None else -1)):
                if agency.group("agency"):
                    found.outlets.append((1, _wire_service(agency.group("agency"))))
                start, end = _trim(text, start + agency.end(), end)
                line = text[start:end]
        credit = _CREDIT_PREFIX.match(line)
        if credit:
            found.outlets.append((2, credit.group("agency").strip()))
            start, end = _trim(text, start + credit.end(), end)
            line = text[start:end]
        source = _SOURCE_SUFFIX.search(line)
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
    if title is None and len(lines) > 1 and _headline_like(first):
        title = first.rstrip(" :")
    if title is None:
        spans_of_first = split_sentences(first)
        first_sentence = first[spans_of_first[0][0]:spans_of_first[0][1]] if spans_of_first else first
        title = first_sentence if len(first_sentence) <= 90 else first_sentence[:87].rsplit(" ", 1)[0] + "…"

    if found.date_kind is None:
        page_date = found.header_date or found.page_date
        if page_date:
            found.date, found.date_kind, found.date_text = page_date, "published", page_date
    if found.date is None:
        for start, end in lines:
            mention = first_full_date(text[start:end])
            if mention:
                found.date, found.date_kind, found.date_text = mention.iso(), "event", mention.text
                break

    outlet = min(found.outlets, key=lambda item: item[0])[1] if found.outlets else None
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
    )


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
    sentences = []
    for paragraph_number, (start, end) in enumerate(document.paragraphs):
        for sentence_start, sentence_end in split_sentences(document.text[start:end], start):
            # The text is the original's, whitespace aside: a citation shows exactly what the file says.
            body = " ".join(document.text[sentence_start:sentence_end].split())
            if not _LETTER.search(body):
                continue
            sentences.append(Sentence(document.doc_id, len(sentences), paragraph_number, sentence_start, sentence_end, body))
    return sentences
