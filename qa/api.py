"""The HTTP JSON API (`python -m qa serve`): FastAPI on uvicorn, OpenAPI docs at /docs.

One index is loaded at start-up and shared by every request. A request takes the current
index once and uses it to the end, so a rebuild (after an upload, or POST /index/rebuild)
never changes an index under a running request: the new index is built into the index
folder (a new generation; memory-mapped files of the old one stay readable), loaded, and
swapped in with one assignment. Rebuilds and uploads are serialised by a lock.
"""

from __future__ import annotations

import copy
import threading
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, File, HTTPException, Query, UploadFile
from pydantic import BaseModel, Field

from qa import conversations
from qa.corpora import CorpusSpec, corpus_folders, user_corpus_folder
from qa.corpus import MAX_DOCUMENT_BYTES
from qa.errors import QAError
from qa.index import BuildReport, SentenceIndex, build_index, ensure_index, recorded_corpora
from qa.pipeline import MAX_QUESTION_CHARACTERS, answer, warm_up
from qa.schema import SCHEMA_VERSION, reply_json, reply_schema, search_json
from qa.scope import Scope, allowed_rows
from qa.uploads import save_uploads

MAX_TURNS = 10  # earlier turns a follow-up is read against (it only looks at the last one or two)
MAX_SEARCH_RESULTS = 100
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"


def _warm(index: SentenceIndex) -> SentenceIndex:
    """Fill the index's lazily built lookups before it is shared between threads."""
    if index.documents:
        index.document_rows(index.documents[0]["doc_id"])
    index.warm()  # every posting checked and mapped now, not on each term's first query
    return index


class IndexHolder:
    """The served index and its corpus; `index` is replaced atomically by `rebuild`."""

    def __init__(self, index_dir: Path, corpus_dir: CorpusSpec | None = None, notify=None):
        self.index_dir = Path(index_dir)
        index = ensure_index(corpus_dir, self.index_dir, notify=notify)
        folders = corpus_folders(corpus_dir or recorded_corpora(index.manifest))
        # uploads go into the user folder beside the first corpus folder (as in the app), never into the shipped seeds
        self.upload_folder = user_corpus_folder(folders[0])
        self.corpus = list(dict.fromkeys([*folders, self.upload_folder]))
        self.index = _warm(index)
        self._lock = threading.Lock()

    def rebuild(self) -> BuildReport:
        with self._lock:
            return self._rebuild()

    def _rebuild(self) -> BuildReport:
        # One analysis worker: forking a process that runs server threads can deadlock; the analysis
        # cache keeps a rebuild after an upload to the new files' analysis anyway.
        report = build_index(corpus_folders(self.corpus), self.index_dir, workers=1)
        self.index = _warm(SentenceIndex.load(self.index_dir))
        return report

    def add_documents(self, files: list[tuple[str, bytes]]):
        """Save acceptable uploads into the user corpus folder (the app's checks) and rebuild when any was accepted."""
        with self._lock:
            results = save_uploads(files, self.upload_folder, corpus_folders(self.corpus))
            report = self._rebuild() if any(result.accepted for result in results) else None
        return results, report


class AskRequest(BaseModel):
    """A question, optionally a turn of a conversation and limited to some outlets and dates."""

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARACTERS, examples=["Who met whom, and when?"])
    conversation_id: str | None = Field(
        None, pattern=CONVERSATION_ID_PATTERN, description="Send the id a previous reply returned to ask a follow-up; omit to start a new conversation."
    )
    outlets: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=50, description="Only documents of these outlets (case-insensitive); none means every outlet."
    )
    date_from: date | None = Field(None, description="Only documents dated on or after this day (ISO date).")
    date_to: date | None = Field(None, description="Only documents dated on or before this day (ISO date).")


def _openapi_schema(schema: dict) -> dict:
    """The reply schema with its local $refs inlined and its JSON Schema header dropped, for the OpenAPI document."""
    definitions = schema.get("$defs", {})

    def inline(value):
        if isinstance(value, dict):
            if "$ref" in value:
                return inline(copy.deepcopy(definitions[value["$ref"].rsplit("/", 1)[-1]]))
            return {key: inline(item) for key, item in value.items() if key not in {"$schema", "$id", "$defs"}}
        if isinstance(value, list):
            return [inline(item) for item in value]
        return value

    return inline(schema)


def _scope(outlets: list[str], date_from: date | None, date_to: date | None) -> Scope:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(status_code=422, detail=f"date_from {date_from} is after date_to {date_to}")
    return Scope(tuple(outlets), date_from, date_to)


def _user_error(error: QAError) -> HTTPException:
    return HTTPException(status_code=400, detail=str(error))


def create_app(holder: IndexHolder) -> FastAPI:
    """The API over one shared index holder (tests and `serve` build theirs)."""
    app = FastAPI(
        title="News QA",
        version=SCHEMA_VERSION,
        description="Answers questions about a folder of news articles with cited sentences (BM25 + rules). "
        "Replies follow the versioned schema in qa/reply.schema.json.",
    )
    database = conversations.default_database(holder.index_dir)
    reply_response = {200: {"description": "The reply", "content": {"application/json": {"schema": _openapi_schema(reply_schema())}}}}

    @app.post("/ask", responses=reply_response, summary="Answer a question with cited sentences")
    def ask(request: AskRequest) -> dict:
        scope = _scope(request.outlets, request.date_from, request.date_to)
        conversation_id = request.conversation_id or uuid.uuid4().hex[:12]
        # The app's store: a conversation survives restarts, and the app lists it with its own.
        history = [turn.answer for turn in conversations.conversation_turns(database, conversation_id) if turn.answer][-MAX_TURNS:]
        turn_id = conversations.add_question(database, conversation_id, request.question, scope.to_json() if not scope.is_everything else None)
        try:
            result = answer(request.question, holder.index, history or None, scope=scope)
        except QAError as error:
            conversations.save_answer(database, turn_id, error=str(error))
            raise _user_error(error) from None
        conversations.save_answer(database, turn_id, answer=result)
        return {**reply_json(result), "conversation_id": conversation_id}

    @app.get("/search", summary="Rank sentences for a query with BM25")
    def search(
        q: Annotated[str, Query(min_length=1, max_length=2000, description="words to search for")],
        k: Annotated[int, Query(ge=1, le=MAX_SEARCH_RESULTS, description="number of sentences")] = 10,
        outlets: Annotated[list[str], Query(description="only documents of these outlets")] = [],  # noqa: B006 (FastAPI copies defaults)
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> list[dict]:
        scope = _scope(outlets, date_from, date_to)
        try:
            index = holder.index
            return search_json(index, q, k, allowed_rows(index, scope))
        except QAError as error:
            raise _user_error(error) from None

    @app.get("/documents", summary="The documents in the index with their metadata")
    def documents() -> dict:
        index = holder.index
        return {
            "documents": [
                {
                    "doc_id": document["doc_id"],
                    "title": document.get("title"),
                    "outlet": document.get("outlet"),
                    "date": document.get("date"),
                    "date_kind": document.get("date_kind"),
                    "sentences": len(index.document_rows(document["doc_id"])),
                }
                for document in index.documents
            ]
        }

    @app.post("/documents", summary="Add articles (.txt, .md, .html, .htm, .html.gz, .pdf) to the corpus and rebuild the index")
    def upload(files: Annotated[list[UploadFile], File(description=".txt, .md, .html, .htm, .html.gz or .pdf files, at most 20 MB each")]) -> dict:
        received = []
        for upload_file in files:
            data = upload_file.file.read(MAX_DOCUMENT_BYTES + 1)  # one byte over the limit is enough to refuse it
            received.append((upload_file.filename or "", data))
        try:
            results, report = holder.add_documents(received)
        except QAError as error:
            raise _user_error(error) from None
        return {
            "results": [{"name": item.name, "accepted": item.accepted, "saved_as": item.saved_as, "reason": item.reason} for item in results],
            "rebuilt": report is not None,
            **_index_figures(holder.index),
        }

    @app.post("/index/rebuild", summary="Rebuild the index from the corpus folder (e.g. after files were added by hand)")
    def rebuild() -> dict:
        try:
            report = holder.rebuild()
        except QAError as error:
            raise _user_error(error) from None
        return {"skipped": [{"name": item.name, "reason": item.reason} for item in report.skipped], "seconds": round(report.seconds, 3), **_index_figures(holder.index)}

    @app.get("/health", summary="Liveness and what the served index holds")
    def health() -> dict:
        return {"status": "ok", "schema_version": SCHEMA_VERSION, **_index_figures(holder.index)}

    return app


def _index_figures(index: SentenceIndex) -> dict:
    manifest = index.manifest
    return {
        "documents": manifest["documents"],
        "sentences": manifest["sentences"],
        "generation": manifest["generation"],
        "built_at": manifest.get("built_at"),
        "analyzer_version": manifest.get("analyzer_version"),
    }


def serve(host: str, port: int, index_dir: Path, corpus_dir: CorpusSpec | None, notify=None) -> None:
    """Load (or build) the index, warm the answer path once, and serve until interrupted."""
    import uvicorn

    holder = IndexHolder(index_dir, corpus_dir, notify=notify)
    warm_up(holder.index)  # the model and lookups loaded, the start-up objects out of the collector's full passes
    uvicorn.run(create_app(holder), host=host, port=port, access_log=False, log_level="info")
