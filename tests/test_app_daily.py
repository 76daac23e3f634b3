"""The app as analysts use it every day (AppTest): queued questions, saved conversations, reading the
reply, feedback, export, scope, the document list and the timeline's filters and links."""

from __future__ import annotations

import pytest
from conftest import REPOSITORY, SEEDS
from streamlit.testing.v1 import AppTest
from test_app import ask, start, texts

from qa import conversations as store
from qa.feedback import all_feedback


@pytest.fixture
def database(tmp_path):
    return tmp_path / "data" / "qa.sqlite3"


@pytest.fixture
def environment(monkeypatch, seed_index_dir, tmp_path, database):
    monkeypatch.setenv("QA_CORPUS", str(SEEDS))
    monkeypatch.setenv("QA_INDEX", str(seed_index_dir))
    monkeypatch.setenv("QA_USER_CORPUS", str(tmp_path / "user-corpus"))
    monkeypatch.setenv("QA_DATABASE", str(database))


def open_app(conversation: str | None = None, **parameters) -> AppTest:
    at = AppTest.from_file(str(REPOSITORY / "app.py"), default_timeout=60)
    if conversation:
        at.query_params["conversation"] = conversation
    for key, value in parameters.items():
        at.query_params[key] = value
    return start(at)


def button(block, label: str):
    return next(element for element in block.button if element.label == label)


def test_questions_queued_meanwhile_are_all_answered_in_order(environment, database):
    # Two questions stored while nothing answered them yet (sent during another answer, or just before a reload).
    conversation = store.create_conversation(database)
    store.add_question(database, conversation, "Where was Haniyeh based?")
    store.add_question(database, conversation, "When did he meet Khamenei?")
    at = open_app(conversation)
    questions = [texts(message)[0] for message in at.chat_message[::2]]
    assert questions == ["Where was Haniyeh based?", "When did he meet Khamenei?"]
    assert all(texts(reply)[0].startswith("### ") for reply in at.chat_message[1::2])
    assert "Understood as: When did Haniyeh meet Khamenei?" in [caption.value for caption in at.chat_message[3].caption]
    assert not any(turn.pending for turn in store.conversation_turns(database, conversation))
    assert not at.status  # the "Looking through the articles…" status is gone once answered


def test_a_conversation_survives_a_reload_and_is_listed_renamed_and_deleted(environment, database):
    at = open_app()
    ask(at, "Where was Haniyeh based?")
    conversation = at.query_params["conversation"]
    conversation = conversation[0] if isinstance(conversation, list) else conversation
    reloaded = open_app(conversation)  # a new session: what a reload or a dropped connection gives
    assert texts(reloaded.chat_message[0]) == ["Where was Haniyeh based?"]
    assert "Doha" in texts(reloaded.chat_message[1])[0]
    assert "Where was Haniyeh based?" in [element.label for element in reloaded.sidebar.button]
    reloaded.sidebar.text_input(key=f"title-{conversation}").set_value("Where Hamas leaders live").run()
    button(reloaded.sidebar, "Rename").click().run()
    assert store.get_conversation(database, conversation).title == "Where Hamas leaders live"
    assert "Where Hamas leaders live" in [element.label for element in reloaded.sidebar.button]
    fresh = open_app()
    button(fresh.sidebar, "Where Hamas leaders live").click().run()  # open a past conversation
    assert texts(fresh.chat_message[0]) == ["Where was Haniyeh based?"]
    button(fresh.sidebar, "Delete").click().run()
    assert not fresh.exception and not fresh.chat_message
    assert store.list_conversations(database) == []


def test_the_reply_shows_confidence_in_words_and_labels_several_events_as_events(environment):
    at = open_app()
    ask(at, "When did Khamenei meet Haniyeh?")
    reply = at.chat_message[1]
    lines = texts(reply)
    assert "##### The sources report two events" in lines and not any("disagree" in line for line in lines)
    assert any(caption.value.split(":")[0] in {"Very sure", "Fairly sure", "Unsure", "Doubtful"} and "likely right" in caption.value for caption in reply.caption)


def test_why_this_answer_is_shown_when_the_answerer_gives_it(environment):
    at = open_app()
    ask(at, "Where was Haniyeh based?")
    why = next(expander for expander in at.chat_message[1].expander if expander.label == "Why this answer")
    text = " ".join(element.value for element in why.markdown)
    assert "probability right" in text and "won by" in text  # the answer model's trace: what decided, and how sure


def test_feedback_buttons_store_verdicts_with_the_correct_answer(environment, database):
    at = open_app()
    ask(at, "Where was Haniyeh based?")
    ask(at, "When did he meet Khamenei?")
    turns = store.conversation_turns(database, at.query_params["conversation"][0] if isinstance(at.query_params["conversation"], list) else at.query_params["conversation"])
    at.button(key=f"right-{turns[0].id}").click().run()
    at.text_input(key=f"wrong_answer-correct-{turns[1].id}").set_value("in March 2024")
    at.button(key=f"wrong_answer-send-{turns[1].id}").click().run()
    assert not at.exception
    verdicts = [(item.verdict, item.question, item.correct_answer, item.history) for item in all_feedback(database)]
    assert verdicts == [
        ("right", "Where was Haniyeh based?", None, ()),
        ("wrong_answer", "When did he meet Khamenei?", "in March 2024", ("Where was Haniyeh based?",)),
    ]
    assert "Your verdict: right" in [caption.value for caption in at.chat_message[1].caption]


def test_a_question_scoped_to_one_outlet_cites_only_that_outlet(environment):
    at = open_app()
    at.sidebar.multiselect(key="scope_outlets").set_value(["WAI"]).run()
    assert any("1 of 5 documents" in caption.value for caption in at.sidebar.caption)
    ask(at, "When did Khamenei meet Haniyeh?")
    assert "Asked of outlet WAI" in [caption.value for caption in at.chat_message[0].caption]
    cited = [caption.value for caption in at.chat_message[1].caption if " · " in caption.value]
    assert cited and all("WAI" in caption for caption in cited)
    assert "##### The sources report two events" not in texts(at.chat_message[1])


def test_document_list_searches_and_opens_a_sentence_in_context(environment, seed_index):
    at = open_app()
    at.session_state["view"] = "Documents"
    at.run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["title", "outlet", "date", "kind", "sentences", "file"]
    assert len(table) == 5 and table["sentences"].sum() == seed_index.manifest["sentences"]
    at.text_input(key="document_search").set_value("afghan voice").run()
    assert list(at.dataframe[0].value["outlet"]) == ["Afghan voice Agency (AVA)"]
    linked = open_app(doc="003_ce45d80c013bad2b.txt", sentence="3")  # where a timeline point leads
    context = [element.value for element in linked.markdown if element.value.startswith(":orange-background[")]
    assert context and "Qatari capital of Doha" in context[0]


def test_timeline_takes_the_scope_and_links_each_point_to_its_sentence(environment):
    at = open_app()
    at.sidebar.date_input(key="scope_since").set_value(__import__("datetime").date(2024, 1, 1)).run()
    at.session_state["view"] = "Timeline"
    at.run()
    table = at.dataframe[0].value
    assert set(table["file"]) == {"004_87a3ca3de848e26a.txt"}
    assert all(link.startswith("?") and "doc=004_87a3ca3de848e26a.txt" in link and "sentence=" in link for link in table["link"])
