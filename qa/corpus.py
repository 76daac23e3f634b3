"""Reading a corpus folder: documents, boilerplate removal, metadata, sentences with spans.

Every rule here is about the shape of news pages in general (widget vocabulary,
line shapes, datelines), never about particular articles. Original files are only
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

from qa.dates import find_dates, first_full_date
from qa.errors import CorpusError
from qa.text import remove_invisible, split_sentences

DOCUMENT_SUFFIXES = (".txt", ".md")
# Bump when cleaning or metadata rules change: an index built with other rules is stale.
CLEANING_VERSION = "2"
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
    if b"\x00" in data:  # anywhere: text after a NUL byte hidden deep in a file must not be indexed
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

# Phrases that open a widget line and hardly ever open a sentence of news.
_WIDGET_START = re.compile(
    r"^(posted\s+(by|in)|spread\s+the\s+love|share\s+(this|on|via)\b|verified\s+by|also\s+read|read\s+(more|also|next)\b"
    r"|see\s+also\s*:|click\s+here|learn\s+more|subscribe\s+to\s+(our|the)|sign\s+up\s+(for|to)|follow\s+us|post\s+a\s+comment"
    r"|leave\s+a\s+(comment|reply)|your\s+(name|e-?mail)|e-?mail\s+address|name\s*\*|story\s+code|news\s+code|news\s+id"
    r"|tags?\s*:|keywords?\s*:|copyright\s*(\u00a9|\(c\)|\d{4})|\u00a9|previous\s+(article|post)|next\s+(article|post)"
    r"|listen\s+to\s+this|skip\s+to|back\s+to\s+top|(photo|image|source)\s*:|we\s+use\s+cookies|download\s+(the|our)\s+app"
    r"|powered\s+by|required\s+fields|filed\s+under|this\s+entry\s+was\s+posted|related\s+(articles?|posts?|news|stories))",
    re.IGNORECASE,
)
# Words that are widgets only on a very short line ("Print", "Translate >>", "Comments (12)"), since
# they also open ordinary sentences ("Print media declined", "Related talks begin Monday").
_WIDGET_WORD_START = re.compile(
    r"^(tweet|whatsapp|print|e-?mail|translate|related|subscribe|sign\s+up|log\s*in|advertisement|sponsored|comments?"
    r"|cookies?|accept|loading|join\s+(our|us)|like\s+us|posted\s+on|share)\b",
    re.IGNORECASE,
)
# Lines made only of sharing/comment widget words: "Share this:", "Facebook", "Cancel reply", "Like Loading...".
_WIDGET_WORDS = frozenset(
    """
    share shares sharing this on via with to facebook twitter x whatsapp telegram linkedin reddit pinterest tumblr
    pocket messenger skype viber vk weibo wechat instagram youtube tiktok threads bluesky mastodon flipboard email
    e-mail mail print copy link url tweet retweet like likes loading follow us comment comments reply cancel post
    website save bookmark menu search home close more open in new window tab
    """.split()
)
_BYLINE = re.compile(r"^(?i:by|written\s+by|reporting\s+by)\s+[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3}$")
_FORM_FIELD = re.compile(r"^[^\W\d_][\w ]{0,24}\*\s*$")
_COUNTER = re.compile(
    r"^[\d.,]+\s*[km]?\+?\s*(?:views?|shares?|comments?|likes?|reads?|reactions?|votes?)?\s*/?\s*$", re.IGNORECASE
)
_WIDGET_ANYWHERE = re.compile(
    r"privacy\s+policy|cookie\s+policy|save\s+my\s+name|all\s+rights\s+reserved|terms\s+of\s+(use|service)|display\s+content\s+from|enable\s+javascript"
    r"|(>>|<<|\u00bb\u00bb)\s*$",
    re.IGNORECASE,
)
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
_AGENCY_DATELINE = re.compile(r"^[A-Z][A-Z .,\-]{1,40}\s*\((?P<agency>[^)]{1,40})\)\s*[:\-\u2013\u2014]+\s+")
_CREDIT_PREFIX = re.compile(r"^(?P<agency>[A-Z][\w .&']{2,60}?\((?P<abbreviation>[A-Z]{2,8})\))\s*[\-\u2013]?\s*[\w ]{0,20}:\s+")
_SOURCE_SUFFIX = re.compile(r"(?<=[.!?\"\u201d'])\s*/\s*(?P<source>[A-Z][\w .]{1,30}?)\s*$")
_TERMINAL = re.compile(r"[.!?\"\u201d'\u2019)]\s*$")
# Markdown and plain-text line markers that are layout, not words: headings, quotes, bullets, emphasis.
_LINE_MARKUP = re.compile(r"(?:#{1,6}\s+|>\s*|[-*+\u2022\u25aa]\s+|\d{1,3}[.)]\s+(?=\D)|[*_]{1,3}(?=\w))+")


def is_boilerplate(line: str) -> bool:
    """Web furniture rather than content: widgets, embed notices, forms, counters, stray punctuation."""
    stripped = line.strip()
    if not _LETTER.search(stripped):
        return True  # ", ,", "700 /", "***"
    words = stripped.split()
    if _URL_ONLY.match(stripped):
        return True
    if len(words) <= 12 and _WIDGET_START.match(stripped):
        return True
    if len(words) <= 4 and _WIDGET_WORD_START.match(stripped):
        return True
    if len(words) <= 20 and _WIDGET_ANYWHERE.search(stripped):
        return True
    if len(words) <= 8 and all(word in _WIDGET_WORDS for word in re.findall(r"[^\W\d_][\w\-]*", stripped.lower())):
        return True
    unmarked = stripped.replace("*", "").replace("_", "").strip()
    return bool(_COUNTER.match(stripped) or _FORM_FIELD.match(stripped) or (len(words) <= 6 and _BYLINE.match(unmarked)))


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


def _clean(text: str, doc_id: str, content_hash: str) -> Document:
    date: str | None = None
    date_kind: DateKind | None = None
    date_text: str | None = None
    outlets: list[tuple[int, str]] = []  # (priority, name): lower priority number wins
    content: list[tuple[int, int]] = []

    for line_start, line_end in _lines(text):
        start, end = _trim(text, line_start, line_end)
        markup = _LINE_MARKUP.match(text, start, end)
        if markup:
            start = markup.end()
        line = text[start:end]
        if not line:
            content.append((start, start))  # blank line: paragraph break marker
            continue
        url = _URL_ONLY.match(line)
        if url:
            host = urlparse(line if "://" in line else "http://" + line).hostname or ""
            if host:
                outlets.append((5, host.removeprefix("www.")))
            continue
        label = _DATE_LABEL.match(line)
        if label:
            mention = first_full_date(line[label.end():][:60])
            if mention and line[label.end():].find(mention.text) <= 12:
                if date_kind != "published":
                    date, date_kind, date_text = mention.iso(), "published", mention.text
                rest_start = label.end() + line[label.end():].find(mention.text) + len(mention.text)
                remainder = " ".join(re.sub(r"[*_|,\u2022\u00b7\-\u2013\u2014]", " ", line[rest_start:]).split())
                if not _LETTER.search(remainder) or re.match(r"^\d{1,2}:\d\d", remainder) or _BYLINE.match(remainder):
                    continue  # a metadata line: "Publish date Sunday 5 November 2023 - 14:45"
                start, end = _trim(text, start + rest_start, end)
                line = text[start:end]
        if is_boilerplate(line):
            continue
        dateline = _DATELINE.match(line)
        if dateline:
            mention = first_full_date(dateline.group("date"))
            if mention and mention.text.strip() == dateline.group("date").strip(" ,"):
                if date_kind is None:
                    date, date_kind, date_text = mention.iso(), "dateline", mention.text
                if dateline.group("agency"):
                    outlets.append((1, dateline.group("agency").strip()))
                start, end = _trim(text, start + dateline.end(), end)
                line = text[start:end]
        else:
            agency = _AGENCY_DATELINE.match(line)
            if agency:
                outlets.append((1, agency.group("agency").strip()))
                start, end = _trim(text, start + agency.end(), end)
                line = text[start:end]
        credit = _CREDIT_PREFIX.match(line)
        if credit:
            outlets.append((2, credit.group("agency").strip()))
            start, end = _trim(text, start + credit.end(), end)
            line = text[start:end]
        source = _SOURCE_SUFFIX.search(line)
        if source and len(line) > len(source.group(0)) + 20:
            outlets.append((3, source.group("source").strip()))
            start, end = _trim(text, start, start + source.start())
        if end > start:
            content.append((start, end))

    lines = [(s, e) for s, e in content if e > s]
    if not lines:
        raise ValueError("no article text (only boilerplate or metadata)")

    title = None
    first, second = text[lines[0][0]:lines[0][1]], (text[lines[1][0]:lines[1][1]] if len(lines) > 1 else "")
    if (
        len(lines) > 2
        and _headline_like(first)
        and _headline_like(second)
        and len(first.split()) <= 7
        and _title_case(first)
        and not find_dates(first)
    ):
        outlets.append((4, first.rstrip(" :")))  # a masthead line above the headline
        content.remove(lines[0])
        lines = lines[1:]
        first = second
    if len(lines) > 1 and _headline_like(first):
        title = first.rstrip(" :")
    if title is None:
        spans = split_sentences(first)
        first_sentence = first[spans[0][0]:spans[0][1]] if spans else first
        title = first_sentence if len(first_sentence) <= 90 else first_sentence[:87].rsplit(" ", 1)[0] + "…"

    if date is None:
        for start, end in lines:
            mention = first_full_date(text[start:end])
            if mention:
                date, date_kind, date_text = mention.iso(), "event", mention.text
                break

    outlet = min(outlets, key=lambda item: item[0])[1] if outlets else None
    return Document(
        doc_id=doc_id,
        title=" ".join(title.split()),
        outlet=outlet,
        date=date,
        date_kind=date_kind,
        date_text=date_text,
        content_hash=content_hash,
        paragraphs=tuple(_paragraphs(text, content)),
        text=text,
    )


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
        if current and not _TERMINAL.search(text[current[0]:current[1]]) and line[:1].islower():
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
            # Soft hyphens and zero-width characters are dropped, as the analyzer drops them.
            body = " ".join(remove_invisible(document.text[sentence_start:sentence_end]).split())
            if not _LETTER.search(body):
                continue
            sentences.append(Sentence(document.doc_id, len(sentences), paragraph_number, sentence_start, sentence_end, body))
    return sentences
