"""The app's "Rebuild index" on a corpus of hundreds of documents: worker processes started from the
threaded server (fresh interpreters, never forked), the rebuild finishes, and the next one works too."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from conftest import REPOSITORY
from made_up_corpus import write_articles
from streamlit.testing.v1 import AppTest
from test_build_workers import _children


def _rebuild(at: AppTest) -> AppTest:
    next(button for button in at.sidebar.button if button.label == "Rebuild index").click().run()
    assert not at.exception
    return at


def _documents(at: AppTest) -> str:
    return {metric.label: metric.value for metric in at.sidebar.metric}["Documents"]


def test_rebuilding_hundreds_of_documents_from_the_app_finishes_twice(monkeypatch, tmp_path):
    def no_fork():
        raise AssertionError("forked from the app's threads")

    monkeypatch.setattr(os, "fork", no_fork)
    corpus = tmp_path / "corpus"
    write_articles(corpus, 100)
    monkeypatch.setenv("QA_CORPUS", str(corpus))
    monkeypatch.setenv("QA_INDEX", str(tmp_path / "index"))
    at = AppTest.from_file(str(REPOSITORY / "app.py"), default_timeout=600)
    at.run()
    assert not at.exception and _documents(at) == "100"
    # New articles take the corpus past the size built with worker processes, twice.
    for first, count in ((100, 150), (250, 60)):
        write_articles(corpus, count, first=first)
        st.cache_data.clear()
        _rebuild(at)
        assert _documents(at) == str(first + count)
    assert not [pid for pid in _children(os.getpid()) if b"qa.workers" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    at.chat_input[0].set_value("Who said the tram line of Lowmere was inspected?").run()
    assert not at.exception and at.chat_message
