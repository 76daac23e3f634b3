"""Reading PDF files with a text layer (pypdf): running text reflowed into paragraphs, page furniture removed.

Page furniture is what repeats at the top or bottom of the pages (running headers and
footers, page numbers); it is recorded as dropped, not indexed. A PDF without a text
layer (a scan) is refused with that reason: there is no OCR.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # warnings about odd files; unusable ones are reported by reason

# Fewer letters than this over the whole file means no text layer (a scanned page has none, or a few stray ones).
MIN_TEXT_LETTERS = 40
# How many lines at each end of a page can be a running header or footer.
EDGE_LINES = 2
# A line at a page edge is furniture when it repeats (digits aside) on at least this share of the pages.
REPEATED_SHARE = 0.5
# A line shorter than this share of the page's usual line length ends its paragraph (the rest of it is blank).
SHORT_LINE_SHARE = 0.75

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-\u2013\u2014(\[]?\s*\d{1,4}\s*[-\u2013\u2014)\]]?(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?:\"\u201d'\u2019)]\s*$")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class ExtractedPdf:
    """A PDF's running text (paragraphs separated by blank lines), its information fields and the furniture removed."""

    text: str
    title: str | None
    author: str | None
    date: str | None  # ISO day the file was created, when its information dictionary says
    furniture: tuple[str, ...]
    pages: int


def read_pdf(data: bytes) -> ExtractedPdf:
    """Extract the text of a PDF; raises ValueError when it is damaged, encrypted or has no text layer."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("encrypted PDF (needs a password)")
        pages = [page.extract_text() or "" for page in reader.pages]
        information = reader.metadata or {}
    except ValueError:
        raise
    except (PyPdfError, OSError, KeyError, TypeError, AttributeError, IndexError):
        raise ValueError("not a readable PDF (damaged or truncated)") from None
    if sum(len(_LETTER.findall(page)) for page in pages) < MIN_TEXT_LETTERS:
        raise ValueError("PDF without a text layer (a scan?); OCR is not supported")
    page_lines = [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in pages]
    kept, furniture = remove_furniture(page_lines)
    return ExtractedPdf(
        text=reflow([line for lines in kept for line in lines]),
        title=_information_title(information.get("/Title")),
        author=_text(information.get("/Author")),
        date=_pdf_date(information.get("/CreationDate")),
        furniture=tuple(furniture),
        pages=len(pages),
    )


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def remove_furniture(pages: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Pages without their running headers, footers and page numbers, and the lines removed."""
    edge_shapes: Counter[str] = Counter()
    for lines in pages:
        edges = set(lines[:EDGE_LINES]) | set(lines[-EDGE_LINES:])
        edge_shapes.update({_shape(line) for line in edges})
    repeated = {shape for shape, count in edge_shapes.items() if len(pages) >= 2 and count >= max(2, REPEATED_SHARE * len(pages))}
    kept_pages, removed = [], []
    for lines in pages:
        edge = set(range(min(EDGE_LINES, len(lines)))) | set(range(max(0, len(lines) - EDGE_LINES), len(lines)))
        kept = []
        for number, line in enumerate(lines):
            if number in edge and (_shape(line) in repeated or _PAGE_NUMBER.match(line)):
                removed.append(line)
            else:
                kept.append(line)
        kept_pages.append(kept)
    return kept_pages, removed


def reflow(lines: list[str]) -> str:
    """A page's lines as paragraphs: a wrapped line joins the next one; a short line or a heading ends a paragraph."""
    if not lines:
        return ""
    usual = sorted(len(line) for line in lines)[len(lines) * 3 // 4]  # the length of a full line of running text
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current.endswith("-") and line[:1].islower() and current[-2:-1].isalpha():
            current = current[:-1] + line  # a word hyphenated at the line end
        else:
            current = f"{current} {line}" if current else line
        if len(line) < SHORT_LINE_SHARE * usual or (_TERMINAL.search(line) and len(line) < 0.9 * usual):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _text(value) -> str | None:
    text = " ".join(str(value or "").split())
    return text or None


def _information_title(value) -> str | None:
    """The information dictionary's title, unless it is a file name or a placeholder ("Microsoft Word - x.docx")."""
    title = _text(value)
    if not title or re.search(r"\.\w{2,4}$|^untitled|^microsoft\s+\w+\s+-", title, re.IGNORECASE):
        return None
    return title


def _pdf_date(value) -> str | None:
    """The ISO day of a PDF date string ("D:20191119…")."""
    match = re.match(r"^(?:D:)?(\d{4})(\d\d)(\d\d)", str(value or ""))
    if not match:
        return None
    try:
        return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3))).date().isoformat()
    except ValueError:
        return None
