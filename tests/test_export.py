"""Conversation export: Markdown readable as plain text, JSON and CSV with full citations."""

from __future__ import annotations

import csv
import io
import json

from test_conversations import made_up_answer

from qa.conversations import Turn
from qa.export import conversation_csv, conversation_json, conversation_markdown, markdown_text
from qa.results import Answer, Citation


def turns() -> list[Turn]:
    tricky = Citation(1, "004_old_pier.txt", "The pier's *new* lights", None, None, "The keeper's note said <b>closed</b> [see](javascript:x) and 1_000 boats.", 3, 1, 40, 0, 70, 2.0)
    declined = Answer("Who built the pier?", None, "PERSON", "The articles do not answer this question.", (), 0.1, related=(tricky,))
    return [
        Turn(1, "c", "When did the harbour reopen?", made_up_answer(), None, None, "2024-03-05T10:00:00+00:00", None),
        Turn(2, "c", "Who built the pier?", declined, None, None, "2024-03-05T10:01:00+00:00", None),
        Turn(3, "c", "", None, "the question is empty", None, "2024-03-05T10:02:00+00:00", None),
    ]


def test_markdown_escapes_only_what_markdown_needs():
    assert markdown_text("The article's file 004_87a3.txt costs 5.00 (about) #3") == "The article's file 004_87a3.txt costs 5.00 (about) #3"
    assert markdown_text("*bold* _it_ `code` <b> [x](javascript:y) &amp;") == "\\*bold\\* \\_it\\_ \\`code\\` \\<b> [x\\](javascript:y) \\&amp;"
    assert markdown_text("# not a heading") == "\\# not a heading"
    assert markdown_text("1. not a list") == "1\\. not a list"


def test_markdown_has_numbered_sources_with_document_and_sentence_number():
    text = conversation_markdown(turns(), "Harbour questions")
    assert text.startswith("# Harbour questions\n")
    assert "## When did the harbour reopen?" in text and "**Monday**" in text
    assert "1. The harbour reopened on Monday.  \n   Harbour reopens, Coast Post, 4 March 2024 — `harbour.txt#0`" in text
    assert "**No answer in the articles.**" in text and "Related reading:" in text
    assert "The keeper's note said \\<b>closed\\</b> [see\\](javascript:x) and 1_000 boats." in text
    assert "`004_old_pier.txt#3`" in text and "\\'" not in text
    assert "*the question is empty*" in text


def test_json_and_csv_carry_each_citation():
    value = json.loads(conversation_json(turns(), "Harbour questions"))
    assert value["title"] == "Harbour questions" and len(value["turns"]) == 3
    assert value["turns"][0]["answer"]["citations"][0]["sentence_index"] == 0
    assert value["turns"][2]["answer"] is None and value["turns"][2]["error"] == "the question is empty"
    rows = list(csv.DictReader(io.StringIO(conversation_csv(turns()))))
    assert [row["turn"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["document"] == "harbour.txt" and rows[0]["sentence_number"] == "0" and rows[0]["outlet"] == "Coast Post"
    assert rows[0]["date"] == "2024-03-04" and rows[0]["confidence"] == "0.81"
    assert rows[1]["declined"] == "True" and rows[1]["document"] == "004_old_pier.txt"
    assert rows[2]["citation"] == ""
