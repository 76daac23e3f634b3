"""Streamlit chat over the news corpus: renders what `qa` returns, nothing more.

Run with `streamlit run app.py`. The corpus folder is seeds/ and the index folder index/
next to this file, unless the QA_CORPUS and QA_INDEX environment variables name others.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from qa.answer_model import confidence_words, explain
from qa.corpus import MAX_DOCUMENT_BYTES
from qa.errors import QAError
from qa.index import SentenceIndex, build_index, ensure_index, stale_reason
from qa.markdown import citation_line, citation_source, conversation_markdown, escape_markdown, paragraph_markdown
from qa.pipeline import answer as answer_question
from qa.results import Answer, Citation
from qa.timeline import TimelineEvent, timeline_events
from qa.uploads import save_uploads

ROOT = Path(__file__).resolve().parent
CORPUS = Path(os.environ.get("QA_CORPUS") or ROOT / "seeds").resolve()
INDEX = Path(os.environ.get("QA_INDEX") or ROOT / "index").resolve()
# Example questions are about the bundled seed articles, so they live beside the docs and
# are shown only with that corpus.
SEED_EXAMPLES_FILE = ROOT / "docs" / "seed-example-questions.txt"
EXAMPLE_QUESTIONS = (
    tuple(line.strip() for line in SEED_EXAMPLES_FILE.read_text(encoding="utf-8").splitlines() if line.strip())
    if CORPUS == ROOT / "seeds" and SEED_EXAMPLES_FILE.is_file()
    else ()
)


@st.cache_resource(show_spinner=False)
def process_state(corpus: str, index_dir: str) -> dict:
    """State shared by every session of this process: the loaded index and a lock for rebuilding it."""
    return {"index": None, "lock": threading.Lock()}


def build_with_progress(label: str, build) -> SentenceIndex | None:
    """Run `build(notify, progress)` in a status box with a progress bar; None after an error.

    The box stays (collapsed) when something was built, and disappears when the index only had to be opened.
    """
    slot = st.empty()
    shown = {"percent": -1, "built": False}
    with slot.status(label, expanded=True) as status:
        note = st.empty()
        bar = st.progress(0.0, text="Reading documents…")

        def notify(message: str) -> None:
            shown["built"] = True
            status.update(label="Building the index…", expanded=True, state="running")
            note.markdown(escape_markdown(message[:1].upper() + message[1:]))

        def progress(done: int, total: int) -> None:
            shown["built"] = True
            percent = done * 100 // max(total, 1)
            if percent != shown["percent"]:  # one update per percent: large corpora have many thousand documents
                shown["percent"] = percent
                bar.progress(percent / 100, text=f"Indexed {done:,} of {total:,} documents")

        try:
            index = build(notify, progress)
        except QAError as error:
            status.update(label=f"Could not build the index: {escape_markdown(str(error))}", state="error")
            return None
        status.update(label="Index ready", state="complete", expanded=False)
    if not shown["built"]:
        slot.empty()
    return index


def current_index() -> SentenceIndex:
    """The index, loaded once per process; built with visible progress when missing or stale."""
    state = process_state(str(CORPUS), str(INDEX))
    if state["index"] is None:
        with state["lock"]:
            if state["index"] is None:
                state["index"] = build_with_progress(
                    "Opening the index…",
                    lambda notify, progress: ensure_index(CORPUS, INDEX, notify=notify, progress=progress),
                )
    if state["index"] is None:
        st.error(f"No index: add .txt or .md articles to {escape_markdown(str(CORPUS))} and press “Rebuild index”.")
        sidebar_corpus(None)
        st.stop()
    return state["index"]


def rebuild_index() -> SentenceIndex | None:
    """Build the index again from the corpus folder and make every session use it."""
    state = process_state(str(CORPUS), str(INDEX))
    with state["lock"]:

        def build(notify, progress):
            build_index(CORPUS, INDEX, progress=progress)
            return SentenceIndex.load(INDEX)

        index = build_with_progress("Rebuilding the index…", build)
        if index is not None:
            state["index"] = index
            st.toast(f"Index rebuilt: {index.manifest['documents']:,} documents, {index.manifest['sentences']:,} sentences")
    return index


@st.cache_data(ttl=30, show_spinner=False)
def corpus_change(manifest: dict, corpus: str) -> str | None:
    """Why the loaded index no longer matches the corpus folder (checked at most every 30 s), or None."""
    return stale_reason(manifest, Path(corpus))


# ---------------------------------------------------------------- sidebar


def built_at(manifest: dict) -> str:
    """'24 Nov 2026, 02:04 UTC' from the manifest's ISO time stamp."""
    try:
        return datetime.fromisoformat(manifest["built_at"]).astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")
    except (KeyError, TypeError, ValueError):
        return "at an unknown time"


def sidebar_corpus(index: SentenceIndex | None) -> None:
    """Index figures, the rebuild button and article uploads."""
    with st.sidebar:
        st.header("Corpus")
        if index is not None:
            manifest = index.manifest
            documents, sentences = st.columns(2)
            documents.metric("Documents", f"{manifest['documents']:,}")
            sentences.metric("Sentences", f"{manifest['sentences']:,}")
            st.caption(f"Index built {built_at(manifest)}")
            change = corpus_change(manifest, str(CORPUS))
            if change:
                st.warning(f"The index is out of date: {escape_markdown(change)}. Press “Rebuild index”.", icon=":material/sync_problem:")
        if st.button("Rebuild index", icon=":material/refresh:", width="stretch"):
            rebuild_index()
            st.rerun()

        st.subheader("Add articles")
        uploads = st.file_uploader(
            "Upload .txt or .md articles",
            type=["txt", "md"],
            accept_multiple_files=True,
            max_upload_size=MAX_DOCUMENT_BYTES // (1024 * 1024),
            key=f"uploads-{st.session_state.get('upload_round', 0)}",
            help="UTF-8 text, one article per file. Files are added to the corpus folder and indexed.",
        )
        if uploads:
            results = save_uploads([(upload.name, upload.getvalue()) for upload in uploads], CORPUS)
            st.session_state.upload_results = results
            st.session_state.upload_round = st.session_state.get("upload_round", 0) + 1  # empties the uploader
            if any(result.accepted for result in results):
                rebuild_index()
            st.rerun()
        for result in st.session_state.get("upload_results", ()):
            if result.accepted:
                st.success(f"Added {escape_markdown(result.name)} as {escape_markdown(result.saved_as)}", icon=":material/check:")
            else:
                st.error(f"Rejected {escape_markdown(result.name)}: {escape_markdown(result.reason)}", icon=":material/block:")


# ---------------------------------------------------------------- chat


def show_citations(citations: tuple[Citation, ...], index: SentenceIndex) -> None:
    """Each cited sentence with its document, and the paragraph around it on demand."""
    for citation in citations:
        with st.container(border=True):
            st.markdown(citation_line(citation))
            source = citation_source(citation)
            if source:
                st.caption(source)
            with st.expander("Show the paragraph"):
                st.markdown(paragraph_markdown(index, citation) or "*This sentence is no longer in the index.*")
                st.caption(f"Document {escape_markdown(citation.doc)}, sentence {citation.sentence_index}")


def show_answer(answer: Answer, index: SentenceIndex) -> None:
    """One reply: short answer first, the explanation with [n] markers, then its sources."""
    if answer.resolved_question and answer.resolved_question != answer.question:
        st.caption(f"Understood as: {escape_markdown(answer.resolved_question)}")
    if answer.declined:
        st.markdown("**No answer found in the articles.**")
        st.markdown(escape_markdown(answer.text))
        if answer.related:
            st.markdown("##### Related reading")
            show_citations(answer.related, index)
        return
    st.markdown(f"### {escape_markdown(answer.answer or '')}")
    st.markdown(escape_markdown(answer.text))
    st.caption(f"{confidence_words(answer.confidence).capitalize()} ({answer.confidence:.0%} likely right)")
    if answer.extra.get("why"):
        with st.expander("Why this answer"):
            st.markdown(escape_markdown(explain(answer.extra["why"])))
    by_number = {citation.number: citation for citation in answer.citations}
    if len(answer.options) > 1:
        st.markdown("##### The sources differ")
        for option in answer.options:
            st.markdown(f"**{escape_markdown(option.answer)}**")
            if option.note:
                st.caption(escape_markdown(option.note))
            cited = tuple(by_number[number] for number in option.citation_numbers if number in by_number)
            show_citations(cited, index)
        return
    st.markdown("##### Sources")
    show_citations(answer.citations, index)


def ask(question: str, index: SentenceIndex) -> None:
    """Answer a question with the conversation so far as context, and keep it in the history."""
    history = [turn["answer"] for turn in st.session_state.turns if turn.get("answer")]
    try:
        reply = answer_question(question, index, history=history)
        st.session_state.turns.append({"question": question, "answer": reply})
    except QAError as error:
        st.session_state.turns.append({"question": question, "error": str(error)})


def show_turn(turn: dict, index: SentenceIndex) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(turn["question"]))
    with st.chat_message("assistant"):
        if "error" in turn:
            st.warning(escape_markdown(turn["error"]))
        else:
            show_answer(turn["answer"], index)


def chat(index: SentenceIndex) -> str | None:
    """The conversation so far, or example questions on an empty chat; returns a clicked example."""
    turns = st.session_state.turns
    example = None
    if not turns:
        st.markdown("Ask about the articles in the corpus. Every answer cites the sentences it comes from.")
        if EXAMPLE_QUESTIONS:
            st.markdown("**Try one of these:**")
        examples = st.container(horizontal=True)
        for position, text in enumerate(EXAMPLE_QUESTIONS):
            if examples.button(text, key=f"example-{position}", icon=":material/help:"):
                example = text
        return example
    for turn in turns:
        show_turn(turn, index)
    controls = st.container(horizontal=True)
    if controls.button("Clear conversation", icon=":material/delete:"):
        st.session_state.turns = []
        st.rerun()
    answers = [turn["answer"] for turn in turns if turn.get("answer")]
    controls.download_button(
        "Download as Markdown",
        conversation_markdown(answers),
        file_name="conversation.md",
        mime="text/markdown",
        icon=":material/download:",
    )
    return None


# ---------------------------------------------------------------- timeline


@st.cache_data(show_spinner="Collecting dated events…", max_entries=4)
def cached_timeline(_index: SentenceIndex, generation: str) -> list[TimelineEvent]:
    """Events of one index generation (a rebuild makes a new generation, so a new entry)."""
    return timeline_events(_index)


def timeline(index: SentenceIndex) -> None:
    """Dated events on a time axis, one row per outlet, with the sentences they come from."""
    events = cached_timeline(index, str(index.manifest.get("generation")))
    st.markdown(
        "Dates the articles report, resolved against each article's own date, "
        "and the dates the articles were published. Hover a point for its sentence; drag to pan, scroll to zoom."
    )
    published, vague = st.columns(2)
    show_published = published.toggle("Show publication dates", value=True)
    show_vague = vague.toggle(
        "Show years and decades", value=False, help="Dates such as “since 2019” or “the 1990s”, which stretch the axis"
    )
    events = [
        event
        for event in events
        if (show_published or event.kind != "published") and (show_vague or event.precision not in ("year", "decade"))
    ]
    if not events:
        st.info("No dated events found in the corpus.")
        return
    frame = pd.DataFrame(
        {
            "date": [event.day for event in events],
            "when": [event.label for event in events],
            "outlet": [event.outlet for event in events],
            "kind": ["published" if event.kind == "published" else "reported" for event in events],
            "sentence": [event.sentence for event in events],
            "document": [event.title for event in events],
            "file": [event.doc for event in events],
            "note": [event.note or "" for event in events],
        }
    )
    years = (frame["date"].max() - frame["date"].min()).days / 365
    axis = alt.Axis(format="%b %Y", tickCount="month", labelAngle=0) if years < 3 else alt.Axis(format="%Y", labelAngle=0)
    chart = (
        alt.Chart(frame)
        .mark_point(filled=True, size=170, opacity=0.85)
        .encode(
            x=alt.X("date:T", title=None, scale=alt.Scale(padding=24), axis=axis),
            y=alt.Y("outlet:N", title=None, axis=alt.Axis(labelLimit=240)),
            yOffset=alt.YOffset("kind:N"),
            color=alt.Color("outlet:N", legend=None, scale=alt.Scale(scheme="tableau10")),
            shape=alt.Shape(
                "kind:N",
                title=None,
                legend=alt.Legend(orient="top", labelExpr="datum.label == 'published' ? 'publication date' : 'date reported in the text'"),
                scale=alt.Scale(domain=["published", "reported"], range=["circle", "diamond"]),
            ),
            tooltip=[
                alt.Tooltip("when", title="Date"),
                alt.Tooltip("outlet", title="Outlet"),
                alt.Tooltip("kind", title="Kind"),
                alt.Tooltip("document", title="Document"),
                alt.Tooltip("sentence", title="Sentence"),
            ],
        )
        .properties(height=max(180, 56 * frame["outlet"].nunique()))
        .interactive(bind_y=False)
    )
    st.altair_chart(chart, width="stretch", alt="Dated events on a time axis, one row per outlet")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_order=["when", "outlet", "kind", "sentence", "document"],
        column_config={
            "when": st.column_config.TextColumn("Date", width="medium"),
            "outlet": st.column_config.TextColumn("Outlet"),
            "kind": st.column_config.TextColumn("Kind", width="small"),
            "sentence": st.column_config.TextColumn("Sentence", width="large"),
            "document": st.column_config.TextColumn("Document"),
        },
    )


# ---------------------------------------------------------------- page

# The timeline's chart and table need the width; the chat reads better in a column.
layout = "wide" if st.session_state.get("view") == "Timeline" else "centered"
st.set_page_config(page_title="News QA", page_icon=":material/newspaper:", layout=layout)
st.session_state.setdefault("turns", [])
st.title("News QA")
index = current_index()
sidebar_corpus(index)
chat_tab, timeline_tab = st.tabs(["Chat", "Timeline"], key="view", on_change="rerun")
if timeline_tab.open:
    with timeline_tab:
        timeline(index)
else:
    with chat_tab:
        example = chat(index)
    question = st.chat_input("Ask a question about the news articles", max_chars=1000) or example
    if question:
        with st.spinner("Looking through the articles…"):
            ask(question, index)
        st.rerun()
