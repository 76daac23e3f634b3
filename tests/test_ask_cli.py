"""`python -m qa ask`, `chat` and `eval` in-process: JSON contract, follow-ups, clean errors."""

import json

from qa.cli import main

CONTRACT = {"question", "answer", "answer_type", "text", "citations", "confidence"}
CITATION_FIELDS = {"doc", "title", "date", "sentence", "sentence_index", "start", "end", "score"}


def _ask_json(capsys, seed_index_dir, question):
    assert main(["ask", "--json", "--index", str(seed_index_dir), question]) == 0
    return json.loads(capsys.readouterr().out)


def test_meeting_dates_name_both_meetings_with_their_articles(capsys, seed_index_dir):
    reply = _ask_json(capsys, seed_index_dir, "When did Khamenei meet Haniyeh?")
    assert CONTRACT <= set(reply)
    assert "26 March 2024" in reply["answer"] and "November 2023" in reply["answer"]
    cited = {citation["doc"] for citation in reply["citations"]}
    assert "004_87a3ca3de848e26a.txt" in cited
    assert {"001_5260309de2f31b0e.txt", "003_ce45d80c013bad2b.txt"} & cited
    assert all(CITATION_FIELDS <= set(citation) for citation in reply["citations"])
    assert 0 < reply["confidence"] <= 1


def test_where_based_answers_the_city_not_the_person(capsys, seed_index_dir):
    reply = _ask_json(capsys, seed_index_dir, "Where was Haniyeh based?")
    assert reply["answer"] in {"Doha", "Qatar"}
    first = reply["citations"][0]
    assert "based in" in first["sentence"] and reply["answer"] in first["sentence"]
    assert first["sentence"][first["answer_start"] : first["answer_end"]] == reply["answer"]


def test_question_outside_the_articles_declines_with_closest_sentences(capsys, seed_index_dir):
    reply = _ask_json(capsys, seed_index_dir, "What is the population of Gaza?")
    assert reply["answer"] is None and reply["declined"] and reply["citations"] == []
    assert reply["related"] and "do not answer" in reply["text"]


def test_questions_file_answers_each_line(tmp_path, capsys, seed_index_dir):
    questions = tmp_path / "questions.txt"
    questions.write_text("Where was Haniyeh based?\n\nWho is the head of Hamas?\n", encoding="utf-8")
    assert main(["ask", "--json", "--index", str(seed_index_dir), "--questions", str(questions)]) == 0
    lines = capsys.readouterr().out.splitlines()
    replies = [json.loads(line) for line in lines]  # JSON Lines: one compact object per line
    assert [reply["question"] for reply in replies] == ["Where was Haniyeh based?", "Who is the head of Hamas?"]


def test_chat_json_prints_one_object_per_line(monkeypatch, capsys, seed_index_dir):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Who is the head of Hamas?\nWhere was he based?\n"))
    assert main(["chat", "--json", "--index", str(seed_index_dir)]) == 0
    replies = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [reply["resolved_question"] for reply in replies] == [None, "Where was Ismail Haniyeh based?"]


def test_chat_resolves_a_pronoun_against_the_previous_turn(monkeypatch, capsys, seed_index_dir):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Who is the head of Hamas?\nWhere was he based?\n"))
    assert main(["chat", "--index", str(seed_index_dir)]) == 0
    output = capsys.readouterr().out
    assert "understood as: Where was Ismail Haniyeh based?" in output
    assert "A: Doha" in output


def test_empty_question_is_one_clean_error_line(capsys, seed_index_dir):
    assert main(["ask", "--index", str(seed_index_dir), "   "]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error:") and "Traceback" not in error and error.count("\n") == 1


def test_ask_without_a_question_is_a_clean_error(capsys, seed_index_dir):
    assert main(["ask", "--index", str(seed_index_dir)]) == 1
    assert "give a question" in capsys.readouterr().err
