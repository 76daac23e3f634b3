"""A conversation as a file to keep: Markdown that reads cleanly as text, JSON, and CSV (one row per citation).

Every citation carries its document, sentence number, outlet and date, so a reader can find the
sentence again (`python -m qa search`, or the document itself).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

from qa.conversations import Turn
from qa.dates import human_date
from qa.results import Answer, Citation

# Only what Markdown would otherwise turn into markup: emphasis and code marks, a '_' at a word's edge
# (one inside a word, as in file names, is literal), link openings, HTML tags and entities, and
# block markers at the start of a line (headings, quotes, lists).
_INLINE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[*`]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|~~|\]\(|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d+)([.)])(?=\s))")


def markdown_text(text: str) -> str:
    """Text escaped only where Markdown needs it: `article's` and `file_name.txt` stay as written."""
    escaped = _INLINE.sub(lambda match: "\\" + match.group(0), " ".join(text.split()))
    return _LINE_START.sub(
        lambda match: match.group(1) + ("\\" + match.group(2) if match.group(2) else match.group(3) + "\\" + match.group(4)), escaped
    )


def citation_reference(citation: Citation) -> str:
    """`doc#n` (the sentence number in its document) — the id `python -m qa search` prints."""
    return f"{citation.doc}#{citation.sentence_index}"


def _source_words(citation: Citation) -> str:
    date = human_date(citation.date) if citation.date else None
    return ", ".join(part for part in (citation.title, citation.outlet, date) if part)


def _turn_sources(answer: Answer) -> tuple[str, tuple[Citation, ...]]:
    return ("Related reading", answer.related) if answer.declined else ("Sources", answer.citations)


def conversation_markdown(turns: Sequence[Turn], title: str = "Conversation") -> str:
    """The conversation as Markdown: each question, the short answer, the explanation, numbered sources."""
    lines = [f"# {markdown_text(title)}", ""]
    for turn in turns:
        lines += [f"## {markdown_text(turn.question)}", ""]
        answer = turn.answer
        if answer is None:
            lines += [f"*{markdown_text(turn.error or 'Not answered yet.')}*", ""]
            continue
        if answer.resolved_question and answer.resolved_question != answer.question:
            lines += [f"Understood as: {markdown_text(answer.resolved_question)}", ""]
        short = "No answer in the articles." if answer.declined else markdown_text(answer.answer or "")
        lines += [f"**{short}**", "", markdown_text(answer.text), ""]
        if len(answer.options) > 1:
            for option in answer.options:
                note = f" ({markdown_text(option.note)})" if option.note else ""
                lines.append(f"- {markdown_text(option.answer)}{note}: " + ", ".join(f"[{number}]" for number in option.citation_numbers))
            lines.append("")
        heading, sources = _turn_sources(answer)
        if sources:
            lines += [f"{heading}:", ""]
            for citation in sources:
                lines.append(f"{citation.number}. {markdown_text(citation.sentence)}  ")
                lines.append(f"   {markdown_text(_source_words(citation))} — `{citation_reference(citation)}`")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def conversation_json(turns: Sequence[Turn], title: str = "Conversation") -> str:
    """The conversation as JSON: each turn's question and the answer's public JSON (or its error)."""
    value = {
        "title": title,
        "turns": [
            {
                "question": turn.question,
                "asked_at": turn.asked_at,
                "answer": turn.answer.to_json() if turn.answer else None,
                "error": turn.error,
            }
            for turn in turns
        ],
    }
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "turn", "question", "answer", "declined", "confidence", "citation", "document", "sentence_number",
    "outlet", "date", "title", "sentence",
)  # fmt: skip


def conversation_csv(turns: Sequence[Turn]) -> str:
    """The conversation as CSV: one row per citation (a turn without any has one row with empty citation columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for number, turn in enumerate(turns, start=1):
        answer = turn.answer
        head = [number, turn.question, (answer.answer or "") if answer else "", answer.declined if answer else "", f"{answer.confidence:.2f}" if answer else ""]
        sources = _turn_sources(answer)[1] if answer else ()
        if not sources:
            writer.writerow(head + [""] * (len(CSV_COLUMNS) - len(head)))
        for citation in sources:
            writer.writerow(
                head + [citation.number, citation.doc, citation.sentence_index, citation.outlet or "", citation.date or "", citation.title, citation.sentence]
            )
    return buffer.getvalue()
