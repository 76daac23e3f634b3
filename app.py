"""Streamlit chat over the news corpus: renders what `qa` returns, nothing more.

Run with `streamlit run app.py`. The corpus is seeds/ plus the user folder of uploaded articles
(user-corpus/, not tracked by git), the index folder is index/ and conversations and feedback live in
data/qa.sqlite3, all next to this file, unless QA_CORPUS, QA_USER_CORPUS, QA_INDEX and QA_DATABASE
name others.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st

from qa import conversations as store
from qa.answer_model import explain
from qa.corpora import corpus_folders, user_corpus_folder
from qa.corpus import MAX_DOCUMENT_BYTES
from qa.documents import document_list, outlets, search_documents
from qa.errors import QAError
from qa.export import conversation_csv, conversation_json, conversation_markdown
from qa.feedback import VERDICT_LABELS, feedback_for_turns, record_feedback
from qa.index import SentenceIndex, build_index, ensure_index, stale_reason
from qa.markdown import citation_line, citation_source, escape_markdown, highlight, paragraph_markdown
from qa.pipeline import answer as answer_question
from qa.results import Answer, Citation
from qa.scope import Scope, allowed_documents, check_scope
from qa.timeline import TimelineEvent, timeline_events
from qa.uploads import save_uploads, upload_types
from qa.wording import confidence_words, several_answers_heading

ROOT = Path(__file__).resolve().parent
CORPUS = Path(os.environ.get("QA_CORPUS") or ROOT / "seeds").resolve()
USER_CORPUS = user_corpus_folder(CORPUS)
INDEX = Path(os.environ.get("QA_INDEX") or ROOT / "index").resolve()
DATABASE = store.default_database(INDEX)
# Example questions are about the bundled seed articles, so they live beside the docs and
# are shown only with that corpus.
SEED_EXAMPLES_FILE = ROOT / "docs" / "seed-example-questions.txt"
EXAMPLE_QUESTIONS = (
    tuple(line.strip() for line in SEED_EXAMPLES_FILE.read_text(encoding="utf-8").splitlines() if line.strip())
    if CORPUS == ROOT / "seeds" and SEED_EXAMPLES_FILE.is_file()
    else ()
)


def corpora() -> list[Path]:
    """The corpus folders as they are now (the user folder counts once it exists)."""
    return corpus_folders([CORPUS, USER_CORPUS])


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
                    lambda notify, progress: ensure_index(corpora(), INDEX, notify=notify, progress=progress),
                )
    if state["index"] is None:
        st.error(f"No index: add articles (.txt, .md, .html, .pdf) to {escape_markdown(str(CORPUS))} and press “Rebuild index”.")
        sidebar_corpus(None)
        st.stop()
    return state["index"]


def rebuild_index() -> SentenceIndex | None:
    """Build the index again from the corpus folders and make every session use it."""
    state = process_state(str(CORPUS), str(INDEX))
    with state["lock"]:

        def build(notify, progress):
            build_index(corpora(), INDEX, progress=progress)
            return SentenceIndex.load(INDEX)

        index = build_with_progress("Rebuilding the index…", build)
        if index is not None:
            state["index"] = index
            st.toast(f"Index rebuilt: {index.manifest['documents']:,} documents, {index.manifest['sentences']:,} sentences")
    return index


@st.cache_data(ttl=30, show_spinner=False)
def corpus_change(manifest: dict, folders: tuple[str, ...]) -> str | None:
    """Why the loaded index no longer matches the corpus folders (checked at most every 30 s), or None."""
    return stale_reason(manifest, [Path(folder) for folder in folders])


# ---------------------------------------------------------------- conversation state
# The conversation id is in the page address (?conversation=…), so a reload or a dropped
# connection reopens it; its questions and answers are in the SQLite database.


def conversation_id() -> str | None:
    return st.query_params.get("conversation")


def open_conversation(identifier: str | None) -> None:
    if identifier:
        st.query_params["conversation"] = identifier
    else:
        st.query_params.pop("conversation", None)
    for key in ("doc", "sentence"):
        st.query_params.pop(key, None)


def current_scope() -> Scope:
    """The scope chosen in the sidebar (outlets, first and last day)."""
    return Scope(
        tuple(st.session_state.get("scope_outlets") or ()),
        st.session_state.get("scope_since"),
        st.session_state.get("scope_until"),
    )


def queue_question(text: str | None = None) -> None:
    """Store a question (from the chat input, or an example button) at once: it is answered in turn,
    even when another question is being answered or the page is reloaded meanwhile."""
    question = (text if text is not None else st.session_state.get("question") or "").strip()
    if not question:
        return
    identifier = conversation_id() or store.create_conversation(DATABASE)
    scope = current_scope()
    store.add_question(DATABASE, identifier, question, None if scope.is_everything else scope.to_json())
    open_conversation(identifier)


# ---------------------------------------------------------------- sidebar


def built_at(manifest: dict) -> str:
    """'24 Nov 2026, 02:04 UTC' from the manifest's ISO time stamp."""
    try:
        return datetime.fromisoformat(manifest["built_at"]).astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")
    except (KeyError, TypeError, ValueError):
        return "at an unknown time"


def sidebar_conversations() -> None:
    """Past conversations: open one, start a new one, rename or delete the open one."""
    with st.sidebar:
        st.header("Conversations")
        current = conversation_id()
        if st.button("New conversation", icon=":material/add_comment:", width="stretch", disabled=current is None):
            open_conversation(None)
            st.rerun()
        for conversation in store.list_conversations(DATABASE, limit=30):
            is_current = conversation.id == current
            if st.button(
                conversation.title,
                key=f"open-{conversation.id}",
                type="primary" if is_current else "tertiary",
                icon=":material/chat:",
                help=f"{conversation.turns} question(s), last {conversation.updated_at[:16].replace('T', ' ')} UTC",
            ):
                open_conversation(conversation.id)
                st.rerun()
        if current and store.get_conversation(DATABASE, current):
            with st.expander("Rename or delete this conversation"):
                title = st.text_input("Title", value=store.get_conversation(DATABASE, current).title, key=f"title-{current}")
                rename, delete = st.columns(2)
                if rename.button("Rename", icon=":material/edit:", width="stretch"):
                    try:
                        store.rename_conversation(DATABASE, current, title)
                    except ValueError as error:
                        st.error(escape_markdown(str(error)))
                    else:
                        st.rerun()
                if delete.button("Delete", icon=":material/delete:", width="stretch"):
                    store.delete_conversation(DATABASE, current)
                    open_conversation(None)
                    st.rerun()


def sidebar_scope(index: SentenceIndex) -> None:
    """Which documents questions and the timeline look at: outlets and a publication date range."""
    with st.sidebar:
        st.header("Scope")
        st.multiselect("Outlets", outlets(index), key="scope_outlets", placeholder="All outlets")
        since, until = st.columns(2)
        since.date_input("From", value=None, key="scope_since", format="YYYY-MM-DD")
        until.date_input("Until", value=None, key="scope_until", format="YYYY-MM-DD")
        scope = current_scope()
        if not scope.is_everything:
            try:
                check_scope(index, scope)
                count = len(allowed_documents(index, scope))
                st.caption(f"Questions and the timeline use {count} of {len(index.documents)} documents ({escape_markdown(scope.describe())}). Documents without a date are left out when a date is set.")
            except QAError as error:
                st.warning(escape_markdown(str(error)))


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
            change = corpus_change(manifest, tuple(str(folder) for folder in corpora()))
            if change:
                st.warning(f"The index is out of date: {escape_markdown(change)}. Press “Rebuild index”.", icon=":material/sync_problem:")
        if st.button("Rebuild index", icon=":material/refresh:", width="stretch"):
            rebuild_index()
            st.rerun()

        st.subheader("Add articles")
        uploads = st.file_uploader(
            "Upload articles (.txt, .md, .html, .htm, .pdf)",
            type=upload_types(),
            accept_multiple_files=True,
            max_upload_size=MAX_DOCUMENT_BYTES // (1024 * 1024),
            key=f"uploads-{st.session_state.get('upload_round', 0)}",
            help=f"One article per file: text copies in any common encoding, saved web pages (also .html.gz), PDFs with a text layer. Files are saved in {USER_CORPUS} (not in the shipped seeds) and indexed.",
        )
        if uploads:
            results = save_uploads([(upload.name, upload.getvalue()) for upload in uploads], USER_CORPUS, [CORPUS, USER_CORPUS])
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


def show_why(answer: Answer) -> None:
    """The answerer's trace of how it chose the answer, when it gives one (`extra["why"]`)."""
    why = answer.extra.get("why")
    if not why:
        return
    with st.expander("Why this answer"):
        st.markdown(escape_markdown(explain(why) if isinstance(why, dict) else str(why)))


def show_answer(answer: Answer, index: SentenceIndex) -> None:
    """One reply: short answer and confidence first, the explanation with [n] markers, then its sources."""
    if answer.resolved_question and answer.resolved_question != answer.question:
        st.caption(f"Understood as: {escape_markdown(answer.resolved_question)}")
    if answer.declined:
        st.markdown("**No answer found in the articles.**")
        st.markdown(escape_markdown(answer.text))
        show_why(answer)
        if answer.related:
            st.markdown("##### Related reading")
            show_citations(answer.related, index)
        return
    st.markdown(f"### {escape_markdown(answer.answer or '')}")
    st.caption(confidence_words(answer))
    st.markdown(escape_markdown(answer.text))
    show_why(answer)
    by_number = {citation.number: citation for citation in answer.citations}
    heading = several_answers_heading(answer)
    if heading:
        st.markdown(f"##### {heading}")  # our own wording, no corpus text
        for option in answer.options:
            st.markdown(f"**{escape_markdown(option.answer)}**")
            if option.note:
                st.caption(escape_markdown(option.note))
            cited = tuple(by_number[number] for number in option.citation_numbers if number in by_number)
            show_citations(cited, index)
        return
    st.markdown("##### Sources")
    show_citations(answer.citations, index)


def send_feedback(turn: store.Turn, verdict: str, history: list[str], correct_key: str | None = None) -> None:
    correct = st.session_state.get(correct_key) if correct_key else None
    record_feedback(DATABASE, turn.answer, verdict, history, correct, turn.id)
    st.toast(f"Thank you: recorded as “{VERDICT_LABELS[verdict]}”.")


def feedback_buttons(turn: store.Turn, history: list[str], given: str | None) -> None:
    """Right / wrong answer / wrong source, with an optional correct answer: readers' failures become test cases."""
    row = st.container(horizontal=True, key=f"feedback-{turn.id}")
    row.button("Right", key=f"right-{turn.id}", icon=":material/thumb_up:", on_click=send_feedback, args=(turn, "right", history))
    for verdict, label, icon in (("wrong_answer", "Wrong answer", ":material/thumb_down:"), ("wrong_source", "Wrong source", ":material/link_off:")):
        with row.popover(label, icon=icon, key=f"{verdict}-menu-{turn.id}"):
            correct_key = f"{verdict}-correct-{turn.id}"
            st.text_input("Correct answer (optional)", key=correct_key)
            st.button("Send", key=f"{verdict}-send-{turn.id}", on_click=send_feedback, args=(turn, verdict, history, correct_key))
    if given:
        row.caption(f"Your verdict: {VERDICT_LABELS[given]}")


def show_question(turn: store.Turn) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(turn.question))
        if turn.scope:
            st.caption(f"Asked of {escape_markdown(Scope.from_json(turn.scope).describe())}")


def show_turn(turn: store.Turn, index: SentenceIndex, history: list[str], given: str | None) -> None:
    with st.container(key=f"turn-{turn.id}"):
        show_question(turn)
        with st.chat_message("assistant"):
            if turn.error:
                st.warning(escape_markdown(turn.error))
            elif turn.answer:
                show_answer(turn.answer, index)
                feedback_buttons(turn, history, given)


def answer_pending(turn: store.Turn, earlier: list[Answer], index: SentenceIndex) -> store.Turn:
    """Answer a queued question under a visible status, store the result, and return the answered turn.

    The answer is stored before anything is drawn: a rerun (another question sent) interrupts the script
    only at its next drawing call, so a computed answer is never thrown away."""
    with st.container(key=f"turn-{turn.id}"):
        show_question(turn)
        with st.chat_message("assistant"):
            st.status("Looking through the articles…", state="running")
            try:
                scope = Scope.from_json(turn.scope) if turn.scope else None
                store.save_answer(DATABASE, turn.id, answer=answer_question(turn.question, index, history=earlier, scope=scope))
            except QAError as error:
                store.save_answer(DATABASE, turn.id, error=str(error))
    return store.get_turn(DATABASE, turn.id)


def scroll_to_turn(turn_id: int) -> None:
    """Bring a reply's question to the top of the view: the chat would otherwise stay scrolled to its
    bottom, hiding the short answer under the sources."""
    # Waits until the page stops growing (the reply's parts arrive one by one), then scrolls. Streamlit's
    # stick-to-bottom takes a scroll that coincides with the page growing for its own and returns to the
    # bottom, so the question is held in place for the next 30 seconds (a loaded machine may redraw the
    # page seconds later); any wheel, touch, key or click of the reader's ends this at once.
    st.html(
        f"""<script>(() => {{
        let last = -1, stable = 0, anchor = null, reader = false;
        const release = () => {{ reader = true; }};
        for (const kind of ['wheel', 'touchstart', 'keydown', 'mousedown']) document.addEventListener(kind, release, {{capture: true, once: true}});
        const timer = setInterval(() => {{
            const main = document.querySelector('.stMain'), target = document.querySelector('.st-key-turn-{turn_id}');
            if (reader) {{ clearInterval(timer); return; }}
            if (!main || !target) return;
            if (anchor === null) {{
                stable = main.scrollHeight === last ? stable + 1 : 0;
                last = main.scrollHeight;
                if (stable >= 3) {{ target.scrollIntoView({{block: 'start'}}); anchor = target.getBoundingClientRect().top; }}
                return;
            }}
            if (Math.abs(target.getBoundingClientRect().top - anchor) > 2) target.scrollIntoView({{block: 'start'}});
        }}, 100);
        if (window.qaHeldTurn) clearInterval(window.qaHeldTurn);  // a newer reply takes over from an older one
        window.qaHeldTurn = timer;
        setTimeout(() => clearInterval(timer), 30000);
        }})();</script>""",
        unsafe_allow_javascript=True,
        width="content",
    )


def export_buttons(identifier: str, turns: list[store.Turn]) -> None:
    title = (store.get_conversation(DATABASE, identifier) or store.Conversation(identifier, "Conversation", "", "")).title
    controls = st.container(horizontal=True)
    controls.download_button("Markdown", conversation_markdown(turns, title), file_name="conversation.md", mime="text/markdown", icon=":material/download:")
    controls.download_button("JSON", conversation_json(turns, title), file_name="conversation.json", mime="application/json", icon=":material/download:")
    controls.download_button("CSV", conversation_csv(turns), file_name="conversation.csv", mime="text/csv", icon=":material/download:")


def chat(index: SentenceIndex) -> None:
    """The conversation so far; queued questions are answered in order, each under a status."""
    identifier = conversation_id()
    turns = store.conversation_turns(DATABASE, identifier) if identifier else []
    if not turns:
        st.markdown("Ask about the articles in the corpus. Every answer cites the sentences it comes from.")
        if EXAMPLE_QUESTIONS:
            st.markdown("**Try one of these:**")
        examples = st.container(horizontal=True)
        for position, text in enumerate(EXAMPLE_QUESTIONS):
            examples.button(text, key=f"example-{position}", icon=":material/help:", on_click=queue_question, args=(text,))
        return
    verdicts = feedback_for_turns(DATABASE, [turn.id for turn in turns])
    earlier: list[Answer] = []
    answered_now = None
    for position, turn in enumerate(turns):
        if turn.pending:
            turn = answer_pending(turn, earlier, index)
            turns[position] = turn
            answered_now = turn.id
        else:
            show_turn(turn, index, [other.question for other in turns[:position]], verdicts.get(turn.id))
        if turn.answer:
            earlier.append(turn.answer)
    if answered_now is not None:
        st.session_state.scroll_to = answered_now
        st.rerun()  # draw the answers with their buttons
    export_buttons(identifier, turns)
    if st.session_state.pop("scroll_to", None) is not None:
        scroll_to_turn(turns[-1].id)


# ---------------------------------------------------------------- documents


def sentence_link(doc: str, sentence: int) -> str:
    """A page address that opens the Documents tab on one sentence in its paragraph."""
    parameters = {"doc": doc, "sentence": sentence}
    if conversation_id():
        parameters["conversation"] = conversation_id()
    return "?" + urlencode(parameters)


def sentence_in_context(index: SentenceIndex, doc: str, sentence: str | None) -> None:
    """The paragraph around a sentence (opened from a timeline point), the sentence highlighted."""
    document = index.document(doc)
    rows = index.document_rows(doc)
    try:
        row = rows.start + int(sentence or 0)
    except ValueError:
        row = -1
    if document is None or row not in rows:
        st.warning(f"{escape_markdown(doc)}, sentence {escape_markdown(str(sentence))} is not in the index.")
        return
    with st.container(border=True, key="sentence-in-context"):
        st.markdown(f"**{escape_markdown(document.get('title') or doc)}**")
        st.caption(" · ".join(escape_markdown(part) for part in (document.get("outlet"), document.get("date"), f"{doc}, sentence {row - rows.start}") if part))
        st.markdown(" ".join(highlight(index.sentence_text(other)) if other == row else escape_markdown(index.sentence_text(other)) for other in index.paragraph_rows(row)))


def documents(index: SentenceIndex) -> None:
    """Every document of the corpus, searchable; and the sentence a timeline point links to."""
    if st.query_params.get("doc"):
        sentence_in_context(index, st.query_params["doc"], st.query_params.get("sentence"))
    query = st.text_input("Search the documents", placeholder="Words of a title, an outlet, a file name or a date", key="document_search")
    rows = search_documents(document_list(index), query)
    st.caption(f"{len(rows)} of {len(index.documents)} documents")
    frame = pd.DataFrame(
        {
            "title": [row.title for row in rows],
            "outlet": [row.outlet for row in rows],
            "date": [row.date or "" for row in rows],
            "kind": [row.kind for row in rows],
            "sentences": [row.sentences for row in rows],
            "file": [row.doc_id for row in rows],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "title": st.column_config.TextColumn("Title", width="large"),
            "outlet": st.column_config.TextColumn("Outlet"),
            "date": st.column_config.TextColumn("Date", help="Publication date, or the dateline's or first full date when none is stated"),
            "kind": st.column_config.TextColumn("Kind", width="small"),
            "sentences": st.column_config.NumberColumn("Sentences", width="small"),
            "file": st.column_config.TextColumn("File"),
        },
    )


# ---------------------------------------------------------------- timeline


@st.cache_data(show_spinner="Collecting dated events…", max_entries=4)
def cached_timeline(_index: SentenceIndex, generation: str) -> list[TimelineEvent]:
    """Events of one index generation (a rebuild makes a new generation, so a new entry)."""
    return timeline_events(_index)


def time_axis(first, last) -> alt.Axis:
    """Month labels for a short span, one label per year for a long one (never the same year twice)."""
    years = (last - first).days / 365
    if years < 3:
        return alt.Axis(format="%b %Y", tickCount="month", labelAngle=0, labelOverlap=True)
    return alt.Axis(format="%Y", tickCount={"interval": "year", "step": max(1, round(years / 8))}, labelAngle=0, labelOverlap=True)


def timeline(index: SentenceIndex) -> None:
    """Dated events on a time axis, one row per outlet, with the sentences they come from."""
    events = cached_timeline(index, str(index.manifest.get("generation")))
    scope = current_scope()
    if not scope.is_everything:
        try:
            check_scope(index, scope)
        except QAError as error:
            st.warning(escape_markdown(str(error)))
            return
        allowed = allowed_documents(index, scope)
        events = [event for event in events if event.doc in allowed]
        st.caption(f"Documents: {escape_markdown(scope.describe())} (the scope in the sidebar)")
    st.markdown(
        "Dates the articles report, resolved against each article's own date, and the dates the articles were "
        "published. Hover a point for its sentence, click it to read the sentence in its paragraph; drag to pan, scroll to zoom."
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
        st.info("No dated events found in these documents.")
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
            "link": [sentence_link(event.doc, event.row - index.document_rows(event.doc).start) for event in events],
        }
    )
    chart = (
        alt.Chart(frame)
        .mark_point(filled=True, size=170, opacity=0.85, cursor="pointer")
        .encode(
            x=alt.X("date:T", title=None, scale=alt.Scale(padding=24), axis=time_axis(frame["date"].min(), frame["date"].max())),
            # Short outlet labels leave the width to the dates on a phone; the tooltip has the full name.
            y=alt.Y("outlet:N", title=None, axis=alt.Axis(labelLimit=110)),
            yOffset=alt.YOffset("kind:N"),
            color=alt.Color("outlet:N", legend=None, scale=alt.Scale(scheme="tableau10")),
            shape=alt.Shape(
                "kind:N",
                title=None,
                legend=alt.Legend(orient="top", labelExpr="datum.label == 'published' ? 'publication date' : 'date reported in the text'"),
                scale=alt.Scale(domain=["published", "reported"], range=["circle", "diamond"]),
            ),
            href="link:N",
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
        column_order=["when", "outlet", "kind", "sentence", "document", "link"],
        column_config={
            "when": st.column_config.TextColumn("Date", width="medium"),
            "outlet": st.column_config.TextColumn("Outlet"),
            "kind": st.column_config.TextColumn("Kind", width="small"),
            "sentence": st.column_config.TextColumn("Sentence", width="large"),
            "document": st.column_config.TextColumn("Document"),
            "link": st.column_config.LinkColumn("In context", display_text="Open", width="small"),
        },
    )


# ---------------------------------------------------------------- page

if st.query_params.get("doc") and "view" not in st.session_state:
    st.session_state.view = "Documents"  # a link to a sentence in context opens the document view
# The timeline's chart and the document table need the width; the chat reads better in a column.
layout = "wide" if st.session_state.get("view") in ("Timeline", "Documents") else "centered"
# An emoji icon: Streamlit draws it in the page itself, where a Material icon is fetched from the
# web (fonts.gstatic.com) and the app must run offline.
st.set_page_config(page_title="News QA", page_icon="📰", layout=layout)
st.title("News QA")
index = current_index()
sidebar_conversations()
sidebar_scope(index)
sidebar_corpus(index)
chat_tab, documents_tab, timeline_tab = st.tabs(["Chat", "Documents", "Timeline"], key="view", on_change="rerun")
if timeline_tab.open:
    with timeline_tab:
        timeline(index)
elif documents_tab.open:
    with documents_tab:
        documents(index)
else:
    with chat_tab:
        chat(index)
    # "disable": the input is disabled from Enter until the reply is drawn, so a second question cannot
    # overwrite the first before the server has read it (each stored question is then answered in order).
    st.chat_input("Ask a question about the news articles", max_chars=1000, key="question", on_submit=queue_question, submit_mode="disable")
