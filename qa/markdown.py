"""Markdown for showing corpus and user text literally: escaping, highlights, the conversation transcript."""

from __future__ import annotations

import re

from qa.dates import human_date
from qa.index import SentenceIndex
from qa.results import Citation
from qa.syndication import carried_by_text

# Every ASCII punctuation mark that Markdown, GitHub extensions or Streamlit directives
# (`:red[…]`, `:emoji:`, `$math$`) give a meaning; CommonMark lets a backslash escape any of them.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&^\"'@%])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows exactly as written: no HTML, links, emphasis, lists or math."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def emphasize(text: str, start: int | None, end: int | None) -> str:
    """Escaped `text` with the characters start:end in bold (e.g. the answer inside its sentence)."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return escape_markdown(text)
    inner = text[start:end].strip()
    if not inner:
        return escape_markdown(text)
    before, after = text[:start], text[end:]
    # Bold needs word boundaries outside the asterisks to be recognised next to letters.
    left = escape_markdown(before) + (" " if before[-1:].isspace() else "")
    right = (" " if after[:1].isspace() else "") + escape_markdown(after)
    return f"{left}**{escape_markdown(inner)}**{right}"


def highlight(text: str) -> str:
    """Escaped text on a coloured background (the cited sentence inside its paragraph)."""
    return f":orange-background[{escape_markdown(text)}]"


def citation_source(citation: Citation) -> str:
    """Where a cited sentence comes from, as escaped Markdown: title, outlet, date."""
    date = human_date(citation.date) if citation.date else None
    title = [] if citation.title == citation.sentence else [f"*{escape_markdown(citation.title)}*"]  # a cited headline
    parts = title + [escape_markdown(part) for part in (citation.outlet, date, carried_by_text(citation.carried_by)) if part]
    return " · ".join(parts)


def citation_line(citation: Citation) -> str:
    """A cited sentence as Markdown: its [n] marker, then the sentence with the answer in bold."""
    return f"\\[{citation.number}\\] " + emphasize(citation.sentence, citation.answer_start, citation.answer_end)


def paragraph_markdown(index: SentenceIndex, citation: Citation) -> str | None:
    """The paragraph around a cited sentence, escaped, with the sentence highlighted.

    The sentence is found by document and sentence number, not by row, so a citation from
    before a rebuild still finds its paragraph; None when that sentence is no longer indexed.
    """
    rows = index.document_rows(citation.doc)
    row = rows.start + citation.sentence_index
    if row not in rows or index.sentence(row).text != citation.sentence:
        return None
    parts = []
    for other in index.paragraph_rows(row):
        text = index.sentence(other).text
        parts.append(highlight(text) if other == row else escape_markdown(text))
    return " ".join(parts)
