"""Readers' verdicts on answers, kept beside the conversations, and turned into canned test cases.

A verdict is "right", "wrong_answer" or "wrong_source", with an optional correct answer. `export_cases`
writes them in the canned-question format (tests/canned_questions.json), so `python -m qa eval FILE`
replays a reader's failures as regression tests.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qa.conversations import answer_from_json, answer_to_json, connect, now
from qa.results import Answer

VERDICTS = ("right", "wrong_answer", "wrong_source")
VERDICT_LABELS = {"right": "right", "wrong_answer": "wrong answer", "wrong_source": "wrong source"}


@dataclass(frozen=True)
class Feedback:
    """One verdict on one answer, with the question's conversation context."""

    id: int
    turn_id: int | None
    question: str
    history: tuple[str, ...]
    verdict: str
    correct_answer: str | None
    answer: Answer
    created_at: str


def record_feedback(
    database: Path, answer: Answer, verdict: str, history: list[str] | None = None, correct_answer: str | None = None, turn_id: int | None = None
) -> int:
    """Store a verdict on an answer (ValueError for an unknown verdict); returns its id."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; use one of {', '.join(VERDICTS)}")
    correct_answer = " ".join((correct_answer or "").split()) or None
    with connect(database) as connection:
        cursor = connection.execute(
            "INSERT INTO feedback (turn_id, question, history_json, verdict, correct_answer, answer_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (turn_id, answer.question, json.dumps(list(history or [])), verdict, correct_answer, answer_to_json(answer), now()),
        )
        return int(cursor.lastrowid)


def all_feedback(database: Path) -> list[Feedback]:
    """Every verdict, oldest first."""
    if not Path(database).exists():
        return []
    with connect(database) as connection:
        rows = connection.execute("SELECT * FROM feedback ORDER BY id").fetchall()
    return [
        Feedback(
            row["id"], row["turn_id"], row["question"], tuple(json.loads(row["history_json"])), row["verdict"],
            row["correct_answer"], answer_from_json(row["answer_json"]), row["created_at"],
        )  # fmt: skip
        for row in rows
    ]


def feedback_for_turns(database: Path, turn_ids: list[int]) -> dict[int, str]:
    """The latest verdict given to each of these turns."""
    if not turn_ids:
        return {}
    with connect(database) as connection:
        rows = connection.execute(
            f"SELECT turn_id, verdict FROM feedback WHERE turn_id IN ({','.join('?' * len(turn_ids))}) ORDER BY id", turn_ids
        ).fetchall()
    return {row["turn_id"]: row["verdict"] for row in rows}


def _exact(text: str) -> str:
    """A canned-case pattern matching exactly this answer (case-insensitive in the evaluation)."""
    return "^" + re.escape(text) + "$"


def as_case(item: Feedback) -> dict | None:
    """A canned-question case for one verdict, or None when it says too little to test.

    right: the same answer, citing one of the same documents. wrong answer with a correct answer:
    that answer (anywhere in the short answer). wrong source: the same answer; the note names the
    documents the reader rejected. A wrong answer without a correct one cannot be checked.
    """
    answer = item.answer
    cited = list(dict.fromkeys(citation.doc for citation in answer.citations))
    case: dict = {"id": f"feedback-{item.id}", "question": item.question}
    if answer.answer_type:
        case["type"] = answer.answer_type
    if item.history:
        case["after"] = list(item.history)
    if item.verdict == "right":
        if answer.declined:
            case["decline"] = True
        else:
            case["answers"] = [_exact(answer.answer or "")]
            case["docs"] = cited
    elif item.verdict == "wrong_answer":
        if not item.correct_answer:
            return None
        case["answers"] = [re.escape(item.correct_answer)]
        case["note"] = f"reader: the app answered {answer.answer or 'nothing (declined)'!r}"
    else:
        if answer.declined and not item.correct_answer:
            return None
        case["answers"] = [re.escape(item.correct_answer) if item.correct_answer else _exact(answer.answer or "")]
        case["note"] = f"reader: wrong source; the app cited {', '.join(cited) or 'nothing'}"
    case["feedback"] = {"verdict": item.verdict, "given_at": item.created_at}
    return case


def export_cases(database: Path) -> tuple[dict, int]:
    """(canned-question file content, number of verdicts left out because they cannot be tested)."""
    cases, left_out = [], 0
    for item in all_feedback(database):
        case = as_case(item)
        if case is None:
            left_out += 1
        else:
            cases.append(case)
    description = (
        "Cases from readers' feedback in the app (python -m qa feedback export): answers are regexes the short "
        "answer must match; docs: the answer must cite one of them; decline: the answer must decline; after: "
        "earlier questions of the same conversation."
    )
    return {"description": description, "cases": cases}, left_out


def feedback_stats(database: Path) -> dict:
    """Counts by verdict, the share judged right, and the questions most often judged wrong."""
    items = all_feedback(database)
    counts = Counter(item.verdict for item in items)
    wrong = Counter(item.question for item in items if item.verdict != "right")
    return {
        "total": len(items),
        "by_verdict": {verdict: counts.get(verdict, 0) for verdict in VERDICTS},
        "right_share": round(counts.get("right", 0) / len(items), 4) if items else None,
        "with_correct_answer": sum(1 for item in items if item.correct_answer),
        "most_reported_wrong": [{"question": question, "reports": count} for question, count in wrong.most_common(5)],
    }
