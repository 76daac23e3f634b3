"""Conversations kept in SQLite: questions, their answers (as JSON), titles; survives reloads and restarts.

One database file (default `data/qa.sqlite3` next to the index folder) holds the conversations and the
feedback on their answers (qa.feedback). Plain functions taking the database path, so the app, the CLI
and an HTTP API can share them; every call opens its own short connection, which is safe across the
threads of a Streamlit server.

A question is stored as soon as it is asked, with no answer yet: the unanswered turns of a conversation
are its queue, answered in order, so a question asked while another is computed (or just before a
reload) is never lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qa.results import Answer, AnswerOption, Citation

DATABASE_NAME = "qa.sqlite3"
TITLE_CHARACTERS = 80  # a new conversation is titled with its first question, shortened to this
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer_json TEXT,
    error TEXT,
    scope_json TEXT,
    asked_at TEXT NOT NULL,
    answered_at TEXT
);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns(conversation_id, id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    turn_id INTEGER REFERENCES turns(id) ON DELETE SET NULL,
    question TEXT NOT NULL,
    history_json TEXT NOT NULL,
    verdict TEXT NOT NULL,
    correct_answer TEXT,
    answer_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Conversation:
    """A conversation's id (in the page address), its title and when it last changed."""

    id: str
    title: str
    created_at: str
    updated_at: str
    turns: int = 0


@dataclass(frozen=True)
class Turn:
    """One question and what came of it: an answer, an error, or nothing yet (still queued)."""

    id: int
    conversation_id: str
    question: str
    answer: Answer | None
    error: str | None
    scope: dict | None
    asked_at: str
    answered_at: str | None

    @property
    def pending(self) -> bool:
        return self.answer is None and self.error is None


def default_database(index_dir: Path) -> Path:
    """`data/qa.sqlite3` in the folder that holds the index folder, unless QA_DATABASE names another file."""
    configured = os.environ.get("QA_DATABASE")
    return Path(configured).resolve() if configured else Path(index_dir).resolve().parent / "data" / DATABASE_NAME


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def connect(database: Path) -> Iterator[sqlite3.Connection]:
    """A connection with the schema in place, committed on success and closed after."""
    database = Path(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(database, timeout=30)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = WAL")  # readers (the app, the API) do not wait for a writer
        connection.executescript(_SCHEMA)
        with connection:
            yield connection
    finally:
        connection.close()


# ---------------------------------------------------------------- answers as JSON


def answer_to_json(answer: Answer) -> str:
    """The answer's public JSON, plus its `extra` fields (e.g. the "why" trace) when they are JSON."""
    value = answer.to_json()
    try:
        json.dumps(answer.extra)
        value["extra"] = answer.extra
    except (TypeError, ValueError):
        value["extra"] = {}
    return json.dumps(value, ensure_ascii=False)


def answer_from_json(text: str) -> Answer:
    """The Answer that `answer_to_json` wrote."""
    value = json.loads(text)
    citation_fields = Citation.__dataclass_fields__

    def citation(item: dict) -> Citation:
        fields = {key: item[key] for key in citation_fields if key in item}
        if isinstance(fields.get("carried_by"), list):
            fields["carried_by"] = tuple(fields["carried_by"])  # JSON has no tuples
        return Citation(**fields)

    return Answer(
        question=value["question"],
        answer=value["answer"],
        answer_type=value["answer_type"],
        text=value["text"],
        citations=tuple(citation(item) for item in value.get("citations", ())),
        confidence=float(value.get("confidence", 0.0)),
        options=tuple(
            AnswerOption(item["answer"], item["normalized"], tuple(item["citation_numbers"]), item.get("note"), item.get("score", 0.0))
            for item in value.get("options", ())
        ),
        related=tuple(citation(item) for item in value.get("related", ())),
        focus=value.get("focus"),
        resolved_question=value.get("resolved_question"),
        extra=value.get("extra") or {},
    )


# ---------------------------------------------------------------- conversations


def create_conversation(database: Path, title: str = "New conversation") -> str:
    """A new empty conversation; returns its id."""
    conversation_id = uuid.uuid4().hex[:12]
    stamp = now()
    with connect(database) as connection:
        connection.execute("INSERT INTO conversations VALUES (?, ?, ?, ?)", (conversation_id, title, stamp, stamp))
    return conversation_id


def get_conversation(database: Path, conversation_id: str) -> Conversation | None:
    with connect(database) as connection:
        row = connection.execute(
            "SELECT c.*, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS turns FROM conversations c WHERE c.id = ?",
            (conversation_id,),
        ).fetchone()
    return Conversation(**dict(row)) if row else None


def list_conversations(database: Path, limit: int = 200) -> list[Conversation]:
    """Conversations with at least one question, the most recently changed first."""
    with connect(database) as connection:
        rows = connection.execute(
            "SELECT c.*, COUNT(t.id) AS turns FROM conversations c JOIN turns t ON t.conversation_id = c.id "
            "GROUP BY c.id ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [Conversation(**dict(row)) for row in rows]


def rename_conversation(database: Path, conversation_id: str, title: str) -> None:
    """Give a conversation a new title (blank titles are refused with ValueError)."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("the title is empty")
    with connect(database) as connection:
        connection.execute("UPDATE conversations SET title = ? WHERE id = ?", (title[:200], conversation_id))


def delete_conversation(database: Path, conversation_id: str) -> None:
    """Remove a conversation and its turns (feedback on them stays, detached, for the test cases)."""
    with connect(database) as connection:
        connection.execute("DELETE FROM turns WHERE conversation_id = ?", (conversation_id,))
        connection.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))


# ---------------------------------------------------------------- turns


def add_question(database: Path, conversation_id: str, question: str, scope: dict | None = None) -> int:
    """Queue a question in a conversation (created if unknown); returns the turn id.

    The first question also becomes the conversation's title, unless it was renamed.
    """
    stamp = now()
    with connect(database) as connection:
        connection.execute(
            "INSERT OR IGNORE INTO conversations VALUES (?, ?, ?, ?)", (conversation_id, "New conversation", stamp, stamp)
        )
        cursor = connection.execute(
            "INSERT INTO turns (conversation_id, question, scope_json, asked_at) VALUES (?, ?, ?, ?)",
            (conversation_id, question, json.dumps(scope) if scope else None, stamp),
        )
        short = question if len(question) <= TITLE_CHARACTERS else question[: TITLE_CHARACTERS - 1].rstrip() + "…"
        connection.execute(
            "UPDATE conversations SET updated_at = ?, title = CASE WHEN title = 'New conversation' THEN ? ELSE title END WHERE id = ?",
            (stamp, short, conversation_id),
        )
        return int(cursor.lastrowid)


def save_answer(database: Path, turn_id: int, answer: Answer | None = None, error: str | None = None) -> None:
    """Store what a queued question got: an answer or a one-line error."""
    with connect(database) as connection:
        connection.execute(
            "UPDATE turns SET answer_json = ?, error = ?, answered_at = ? WHERE id = ?",
            (answer_to_json(answer) if answer is not None else None, error, now(), turn_id),
        )


def _turn(row: sqlite3.Row) -> Turn:
    return Turn(
        row["id"],
        row["conversation_id"],
        row["question"],
        answer_from_json(row["answer_json"]) if row["answer_json"] else None,
        row["error"],
        json.loads(row["scope_json"]) if row["scope_json"] else None,
        row["asked_at"],
        row["answered_at"],
    )


def conversation_turns(database: Path, conversation_id: str) -> list[Turn]:
    """The turns of a conversation in the order asked (answered and queued)."""
    with connect(database) as connection:
        rows = connection.execute("SELECT * FROM turns WHERE conversation_id = ? ORDER BY id", (conversation_id,)).fetchall()
    return [_turn(row) for row in rows]


def get_turn(database: Path, turn_id: int) -> Turn | None:
    with connect(database) as connection:
        row = connection.execute("SELECT * FROM turns WHERE id = ?", (turn_id,)).fetchone()
    return _turn(row) if row else None
