"""The SQLite conversation store: queued questions, answers round-tripping through JSON, titles, deletion."""

from __future__ import annotations

from qa import conversations as store
from qa.results import Answer, AnswerOption, Citation

CITATION = Citation(1, "harbour.txt", "Harbour reopens", "Coast Post", "2024-03-04", "The harbour reopened on Monday.", 0, 0, 7, 0, 31, 3.5, 20, 26)


def made_up_answer(question: str = "When did the harbour reopen?") -> Answer:
    return Answer(
        question, "Monday", "DATE", "Monday [1].", (CITATION,), 0.81, (AnswerOption("Monday", "monday", (1,), "the article's date"),),
        extra={"why": ["the sentence names the harbour and a day"]},
    )


def test_a_question_is_queued_then_answered_and_the_answer_round_trips(tmp_path):
    database = tmp_path / "data" / "qa.sqlite3"
    conversation = store.create_conversation(database)
    first = store.add_question(database, conversation, "When did the harbour reopen?")
    second = store.add_question(database, conversation, "Who repaired it?", scope={"outlets": ["Coast Post"], "since": None, "until": None})
    pending = [turn.question for turn in store.conversation_turns(database, conversation) if turn.pending]
    assert pending == ["When did the harbour reopen?", "Who repaired it?"]
    store.save_answer(database, first, answer=made_up_answer())
    store.save_answer(database, second, error="the question is empty")
    turns = store.conversation_turns(database, conversation)
    assert turns[0].answer == made_up_answer() and turns[0].answer.extra["why"] == ["the sentence names the harbour and a day"]
    assert turns[1].error == "the question is empty" and turns[1].scope == {"outlets": ["Coast Post"], "since": None, "until": None}
    assert not any(turn.pending for turn in turns)


def test_conversations_are_titled_listed_renamed_and_deleted(tmp_path):
    database = tmp_path / "qa.sqlite3"
    empty = store.create_conversation(database)
    older = store.create_conversation(database)
    store.add_question(database, older, "Where is the lighthouse of Port Elm? " * 5)
    newer = store.create_conversation(database)
    store.add_question(database, newer, "When did the harbour reopen?")
    listed = store.list_conversations(database)
    assert [conversation.id for conversation in listed] == [newer, older]  # empty conversations are not listed
    assert empty not in {conversation.id for conversation in listed}
    assert listed[0].title == "When did the harbour reopen?" and listed[1].title.endswith("…")
    assert len(listed[1].title) == store.TITLE_CHARACTERS
    store.rename_conversation(database, older, "  Lighthouse  questions ")
    assert store.get_conversation(database, older).title == "Lighthouse questions"
    store.add_question(database, older, "Who keeps it?")
    assert store.get_conversation(database, older).title == "Lighthouse questions"  # a renamed title stays
    store.delete_conversation(database, older)
    assert store.get_conversation(database, older) is None and store.conversation_turns(database, older) == []


def test_a_blank_title_is_refused(tmp_path):
    database = tmp_path / "qa.sqlite3"
    conversation = store.create_conversation(database)
    try:
        store.rename_conversation(database, conversation, "   ")
    except ValueError as error:
        assert "empty" in str(error)
    else:
        raise AssertionError("a blank title was accepted")


def test_the_database_sits_in_a_data_folder_next_to_the_index_unless_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("QA_DATABASE", raising=False)
    assert store.default_database(tmp_path / "index") == tmp_path / "data" / "qa.sqlite3"
    monkeypatch.setenv("QA_DATABASE", str(tmp_path / "elsewhere.sqlite3"))
    assert store.default_database(tmp_path / "index") == tmp_path / "elsewhere.sqlite3"
