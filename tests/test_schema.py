"""The reply's JSON Schema (qa/reply.schema.json): a valid schema that real replies satisfy and wrong ones fail."""

import json

import jsonschema
import pytest

from qa.cli import main
from qa.pipeline import answer
from qa.schema import SCHEMA_VERSION, reply_json, reply_schema

VALIDATOR = jsonschema.Draft202012Validator(reply_schema())


def test_the_schema_is_valid_json_schema_and_names_its_version():
    jsonschema.Draft202012Validator.check_schema(reply_schema())
    assert reply_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_every_canned_reply_matches_the_schema(canned_replies):
    """Answers, declines, several events and follow-ups: every shape a reply takes."""
    seen = set()
    for case_id, reply in canned_replies.items():
        errors = [error.message for error in VALIDATOR.iter_errors(reply)]
        assert not errors, (case_id, errors)
        seen |= {"declined" if reply["declined"] else "answered", "options" if len(reply["options"]) > 1 else "one", "resolved" if reply["resolved_question"] else "plain"}
    assert seen == {"declined", "answered", "options", "one", "resolved", "plain"}


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda reply: reply.update(unknown_field=1), "top-level field the schema does not know"),
        (lambda reply: reply.pop("confidence"), "missing confidence"),
        (lambda reply: reply.update(schema_version="0"), "another schema version"),
        (lambda reply: reply["citations"][0].update(date="5 November 2023"), "a date that is not ISO"),
        (lambda reply: reply["citations"][0].pop("doc"), "a citation without its document"),
        (lambda reply: reply["options"][0].update(citation_numbers=[]), "an option without citations"),
    ],
    ids=["unknown-field", "missing-field", "version", "date-format", "citation-doc", "option-citations"],
)
def test_wrong_replies_fail_the_schema(seed_index, change, path):
    reply = json.loads(json.dumps(reply_json(answer("Where was Haniyeh based?", seed_index))))
    assert VALIDATOR.is_valid(reply)
    change(reply)
    assert not VALIDATOR.is_valid(reply), path


def test_ask_questions_json_is_json_lines_matching_the_schema(tmp_path, capsys, seed_index_dir):
    questions = tmp_path / "questions.txt"
    questions.write_text("Where was Haniyeh based?\nWhat is the population of Tehran?\nWhen did Khamenei meet Haniyeh?\n", encoding="utf-8")
    assert main(["ask", "--json", "--index", str(seed_index_dir), "--questions", str(questions)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for line in lines:
        reply = json.loads(line)
        assert VALIDATOR.is_valid(reply) and "\n" not in line


def test_one_question_json_is_one_pretty_object(capsys, seed_index_dir):
    assert main(["ask", "--json", "--index", str(seed_index_dir), "Where was Haniyeh based?"]) == 0
    output = capsys.readouterr().out
    assert output.count("\n") > 5 and VALIDATOR.is_valid(json.loads(output))
