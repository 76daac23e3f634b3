"""Readers' verdicts: stored beside the conversations, exported as canned cases the evaluation accepts."""

from __future__ import annotations

import json

import pytest
from test_conversations import made_up_answer

from qa.cli import main
from qa.evaluate import check_case, load_cases
from qa.feedback import all_feedback, export_cases, feedback_stats, record_feedback
from qa.results import Answer


def test_verdicts_become_cases_in_the_canned_format(tmp_path, capsys):
    database = tmp_path / "qa.sqlite3"
    right = made_up_answer()
    record_feedback(database, right, "right", history=["Where is Port Elm?"])
    record_feedback(database, right, "wrong_answer", correct_answer="  Tuesday ")
    record_feedback(database, right, "wrong_answer")  # nothing to test against
    record_feedback(database, right, "wrong_source")
    assert [item.verdict for item in all_feedback(database)] == ["right", "wrong_answer", "wrong_answer", "wrong_source"]
    exported, left_out = export_cases(database)
    assert left_out == 1
    cases = exported["cases"]
    assert [case["id"] for case in cases] == ["feedback-1", "feedback-2", "feedback-4"]
    assert cases[0]["after"] == ["Where is Port Elm?"] and cases[0]["docs"] == ["harbour.txt"]
    assert cases[1]["answers"] == ["Tuesday"] and "Monday" in cases[1]["note"]
    assert "harbour.txt" in cases[2]["note"]

    output = tmp_path / "cases.json"
    assert main(["feedback", "export", "--database", str(database), "--output", str(output)]) == 0
    loaded = load_cases(output)  # the evaluation reads the file as it reads tests/canned_questions.json
    assert check_case(loaded[0], right).answer_correct and check_case(loaded[0], right).citation_correct
    assert not check_case(loaded[1], right).answer_correct  # the reader's failure is a failing case until fixed
    fixed = Answer(**{**right.__dict__, "answer": "Tuesday"})
    assert check_case(loaded[1], fixed).answer_correct


def test_a_declined_answer_judged_right_becomes_a_decline_case(tmp_path):
    database = tmp_path / "qa.sqlite3"
    declined = Answer("Who painted the lighthouse?", None, "PERSON", "The articles do not answer this question.", (), 0.1)
    record_feedback(database, declined, "right")
    [case] = export_cases(database)[0]["cases"]
    assert case["decline"] is True and "answers" not in case


def test_stats_count_verdicts_and_the_cli_prints_them(tmp_path, capsys):
    database = tmp_path / "qa.sqlite3"
    assert main(["feedback", "stats", "--database", str(database)]) == 0
    assert "No feedback yet" in capsys.readouterr().out
    for verdict in ("right", "right", "wrong_source"):
        record_feedback(database, made_up_answer(), verdict)
    stats = feedback_stats(database)
    assert stats["total"] == 3 and stats["by_verdict"] == {"right": 2, "wrong_answer": 0, "wrong_source": 1}
    assert stats["right_share"] == pytest.approx(2 / 3, abs=1e-3)
    assert stats["most_reported_wrong"] == [{"question": "When did the harbour reopen?", "reports": 1}]
    assert main(["feedback", "stats", "--database", str(database), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 3


def test_an_unknown_verdict_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown verdict"):
        record_feedback(tmp_path / "qa.sqlite3", made_up_answer(), "maybe")
