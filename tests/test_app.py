"""The Streamlit app driven headlessly with AppTest: questions, sources, follow-ups, uploads, timeline."""

from __future__ import annotations

import re
import shutil

import pytest
import streamlit as st
from conftest import REPOSITORY, SEEDS
from streamlit.testing.v1 import AppTest
from test_ingestion import PAGE

import qa.pipeline

ARTICLE = (
    b"Harbour reopens after storm\n\n"
    b"The harbour of Port Elm reopened on Monday, 4 March 2024, after a week of repairs.\n"
    b"Fishing boats returned to the quay the same afternoon.\n"
)
TRICKY_ARTICLE = (
    b"Lighthouse keeper writes a strange note\n\n"
    # One paragraph, so a citation of either sentence shows the other in its paragraph.
    b"The lighthouse keeper wrote <script>alert('x')</script> on the wall of the lighthouse. "
    b"He also left a [prize link](javascript:alert(1)) and **stars** for the lighthouse visitors.\n"
)


def start(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception
    return at


@pytest.fixture(autouse=True)
def private_data(monkeypatch, tmp_path):
    """Each test's own user corpus folder and conversation database (never the repository's)."""
    monkeypatch.setenv("QA_USER_CORPUS", str(tmp_path / "user-corpus"))
    monkeypatch.setenv("QA_DATABASE", str(tmp_path / "data" / "qa.sqlite3"))


@pytest.fixture
def app(monkeypatch, seed_index_dir) -> AppTest:
    """The app on the seeds, with the session's prebuilt seed index."""
    monkeypatch.setenv("QA_CORPUS", str(SEEDS))
    monkeypatch.setenv("QA_INDEX", str(seed_index_dir))
    return start(AppTest.from_file(str(REPOSITORY / "app.py"), default_timeout=60))


@pytest.fixture
def writable_app(monkeypatch, tmp_path) -> AppTest:
    """The app on a copy of the seeds, so uploads can be saved; it builds its own index."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    monkeypatch.setenv("QA_CORPUS", str(corpus))
    monkeypatch.setenv("QA_INDEX", str(tmp_path / "index"))
    return start(AppTest.from_file(str(REPOSITORY / "app.py"), default_timeout=60))


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    return at


def texts(block) -> list[str]:
    return [element.value for element in block.markdown]


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.sidebar.metric}


def test_empty_chat_shows_examples_and_the_index_figures(app, seed_index):
    labels = [button.label for button in app.button]
    assert "Where was Haniyeh based?" in labels and "Rebuild index" in labels
    assert metrics(app) == {"Documents": str(seed_index.manifest["documents"]), "Sentences": str(seed_index.manifest["sentences"])}
    assert not app.chat_message
    assert not app.status  # an up-to-date index opens without a build box


def test_question_shows_the_short_answer_first_then_the_explanation_and_sources(app):
    ask(app, "Where was Haniyeh based?")
    user, reply = app.chat_message
    assert texts(user) == ["Where was Haniyeh based?"]
    lines = texts(reply)
    assert lines[0].startswith("### ") and "Doha" in lines[0]
    assert "[1]" in lines[1].replace("\\", "")
    assert "##### Sources" in lines
    sources = lines[lines.index("##### Sources") + 1 :]
    assert any(line.startswith("\\[1\\]") and "Doha" in line for line in sources)
    labels = [expander.label for expander in reply.expander]
    assert "Show the paragraph" in labels and "Why this answer" in labels
    paragraph = next(expander for expander in reply.expander if expander.label == "Show the paragraph")
    assert any("Qatari capital" in element.value for element in paragraph.markdown)


def test_unanswerable_question_declines_and_shows_related_reading(app):
    ask(app, "What did Khamenei eat for breakfast?")
    lines = texts(app.chat_message[1])
    assert lines[0] == "**No answer found in the articles.**"
    assert "##### Related reading" in lines
    assert any(line.startswith("\\[1\\]") for line in lines)


def test_follow_up_passes_the_earlier_answers_as_history(app, monkeypatch):
    calls = []
    real_answer = qa.pipeline.answer

    def recording_answer(question, index, history=None, scope=None):
        calls.append((question, [turn.question for turn in history or []]))
        return real_answer(question, index, history=history, scope=scope)

    monkeypatch.setattr(qa.pipeline, "answer", recording_answer)
    ask(app, "Where was Haniyeh based?")
    ask(app, "When did he meet Khamenei?")
    assert calls == [("Where was Haniyeh based?", []), ("When did he meet Khamenei?", ["Where was Haniyeh based?"])]
    assert [texts(message)[0] for message in app.chat_message[::2]] == ["Where was Haniyeh based?", "When did he meet Khamenei?"]
    assert len(app.chat_message) == 4
    assert "Understood as: When did Haniyeh meet Khamenei?" in [caption.value for caption in app.chat_message[3].caption]


def test_example_button_asks_its_question(app):
    app.button(key="example-0").click().run()
    assert not app.exception
    assert texts(app.chat_message[0]) == ["Where was Haniyeh based?"]
    assert len(app.chat_message) == 2


def test_new_conversation_empties_the_chat_and_downloads_are_offered(app):
    ask(app, "Where was Haniyeh based?")
    assert [button.label for button in app.download_button] == ["Markdown", "JSON", "CSV"]
    next(button for button in app.sidebar.button if button.label == "New conversation").click().run()
    assert not app.exception
    assert not app.chat_message
    assert "Where was Haniyeh based?" in [button.label for button in app.button]


def test_upload_accepted_and_rejected_with_reasons(writable_app, tmp_path):
    at = writable_app
    assert metrics(at)["Documents"] == "5"
    ask(at, "Where was Haniyeh based?")  # a turn cited from the index before the rebuild
    at.sidebar.file_uploader[0].set_value(
        [
            ("harbour.txt", ARTICLE, "text/plain"),
            ("empty.txt", b"", "text/plain"),
            ("again.txt", (SEEDS / "004_87a3ca3de848e26a.txt").read_bytes(), "text/plain"),
            ("bridge.html", PAGE.encode("utf-8"), "text/html"),
        ]
    ).run()
    assert not at.exception
    assert [element.value for element in at.sidebar.success] == ["Added harbour\\.txt as harbour\\.txt", "Added bridge\\.html as bridge\\.html"]
    errors = [element.value for element in at.sidebar.error]
    assert errors[0].startswith("Rejected empty\\.txt") and "empty" in errors[0]
    assert errors[1].startswith("Rejected again\\.txt") and "already in the corpus" in errors[1]
    assert metrics(at)["Documents"] == "7"
    assert (tmp_path / "user-corpus" / "harbour.txt").read_bytes() == ARTICLE  # uploads never go into the shipped corpus
    assert not (tmp_path / "corpus" / "harbour.txt").exists()
    paragraph = next(expander for expander in at.chat_message[1].expander if expander.label == "Show the paragraph")
    assert any("Qatari capital" in element.value for element in paragraph.markdown)
    ask(at, "When did the harbour of Port Elm reopen?")
    assert any("Port Elm" in line for line in texts(at.chat_message[3]))


def test_article_markup_is_shown_literally(writable_app):
    at = writable_app
    at.sidebar.file_uploader[0].set_value(("tricky.md", TRICKY_ARTICLE, "text/markdown")).run()
    # a question the article does not answer: the reply shows its closest sentences, markup and all
    ask(at, "When did the lighthouse keeper retire?")
    shown = [element.value for element in at.chat_message[1].markdown]
    assert any("\\<script\\>alert\\(\\'x\\'\\)\\</script\\>" in value for value in shown)
    assert any("\\[prize link\\]\\(javascript\\:alert\\(1\\)\\)" in value for value in shown)
    assert not any(re.search(r"(?<!\\)[<\[]", value.replace(":orange-background[", "")) for value in shown)  # the highlight directive is the only markup


def test_timeline_tab_lists_dated_events_with_their_documents(app):
    app.session_state["view"] = "Timeline"
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert {"when", "outlet", "kind", "sentence", "document", "file"} <= set(table.columns)
    outlets_by_month = table.groupby(table["date"].astype(str).str[:7])["outlet"].agg(set)
    assert outlets_by_month["2023-06"] == {"Afghan voice Agency (AVA)"}
    assert {"WAI", "Afghan voice Agency (AVA)"} <= outlets_by_month["2023-11"]
    assert outlets_by_month["2024-03"] == {"The Office of the Supreme Leader"}
    assert "2019" not in set(table["when"])  # year-only dates wait behind their switch
    assert not app.chat_input
    app.toggle[1].set_value(True).run()
    assert "2019" in set(app.dataframe[0].value["when"])


def test_a_missing_index_is_built_with_a_progress_bar_and_rebuilt_on_request(writable_app, tmp_path):
    at = writable_app
    assert [status.label for status in at.status] == ["Index ready"]
    assert at.progress and at.progress[-1].value == 100
    assert any(element.value.startswith("No index in") for element in at.status[0].markdown)
    assert (tmp_path / "index" / "manifest.json").exists()
    assert "Where was Haniyeh based?" not in [button.label for button in at.button]  # seed examples only on the seeds
    next(button for button in at.sidebar.button if button.label == "Rebuild index").click().run()
    assert not at.exception
    assert metrics(at)["Documents"] == "5"


def test_disagreeing_sources_show_each_answer_with_its_own_sources(app, monkeypatch):
    from qa.pipeline import citation_for
    from qa.results import Answer, AnswerOption

    def disagreeing_answer(question, index, history=None, scope=None):
        first, second = (citation_for(index, hit.row, hit.score, number) for number, hit in enumerate(index.search("Haniyeh Tehran", 2), 1))
        options = (AnswerOption("First place", "first", (1,), note="said in one article"), AnswerOption("Second place", "second", (2,)))
        return Answer(
            question, "First place", "LOCATION", "Sources differ: First place [1] or Second place [2].", (first, second), 0.5, options
        )

    monkeypatch.setattr(qa.pipeline, "answer", disagreeing_answer)
    ask(app, "Where did they meet?")
    lines = texts(app.chat_message[1])
    assert lines[0] == "### First place"
    assert "##### The sources disagree: two answers" in lines
    first, second = lines.index("**First place**"), lines.index("**Second place**")
    assert "said in one article" in [caption.value for caption in app.chat_message[1].caption]
    assert first < second
    assert lines[first + 1].startswith("\\[1\\]") and lines[second + 1].startswith("\\[2\\]")


def test_a_corpus_changed_behind_the_app_is_flagged_in_the_sidebar(writable_app, tmp_path):
    at = writable_app
    assert not at.sidebar.warning
    (tmp_path / "corpus" / "harbour.txt").write_bytes(ARTICLE)
    st.cache_data.clear()  # the check is cached for 30 s
    at.run()
    assert "out of date" in at.sidebar.warning[0].value and "changed" in at.sidebar.warning[0].value
    next(button for button in at.sidebar.button if button.label == "Rebuild index").click().run()
    assert not at.sidebar.warning
    assert metrics(at)["Documents"] == "6"


def test_an_empty_corpus_says_so_instead_of_failing(monkeypatch, tmp_path):
    (tmp_path / "corpus").mkdir()
    monkeypatch.setenv("QA_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("QA_INDEX", str(tmp_path / "index"))
    at = start(AppTest.from_file(str(REPOSITORY / "app.py"), default_timeout=60))
    assert at.status[0].label.startswith("Could not build the index: no documents \\(\\.txt, \\.md")
    assert at.error[0].value.startswith("No index: add articles (.txt, .md, .html, .pdf) to ")
    assert "Rebuild index" in [button.label for button in at.sidebar.button]
    assert not at.chat_input
    at.sidebar.file_uploader[0].set_value(("harbour.txt", ARTICLE, "text/plain")).run()
    assert not at.exception
    assert metrics(at)["Documents"] == "1"
    assert at.chat_input
