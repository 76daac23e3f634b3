"""Reading a corpus folder: documents, boilerplate removal, metadata, sentences with spans.

Every rule here is about the shape of news pages in general (widget vocabulary,
line shapes, datelines), never about particular articles. Original files are only
read. Every sentence keeps its character span in the document's text: the decoded
file for a text file, the extracted text for a web page (qa.webpage) or a PDF (qa.pdf).
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from qa.dates import find_dates, first_full_date
from qa.encoding import decode_text
from qa.errors import CorpusError
from qa.text import remove_invisible, split_sentences

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
    text: str = field(repr=False, compare=False)  # what spans point into: the decoded file, or the extracted text
    kind: DocumentKind = "text"
    encoding: str = "utf-8"
    author: str | None = None
    url: str | None = None  # where a saved page says it came from
    dropped: tuple[str, ...] | None = field(default=None, repr=False, compare=False)  # furniture lines; None when not known

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
            "dropped_lines": None if self.dropped is None else len(self.dropped),
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
