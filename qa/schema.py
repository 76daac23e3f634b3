"""The versioned JSON form of a reply, shared by `ask --json`, `chat --json` and the HTTP API.

`qa/reply.schema.json` describes it (JSON Schema 2020-12); tests validate real replies
against it. Change the schema and SCHEMA_VERSION together when a field changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from qa.index import SentenceIndex
from qa.results import Answer

SCHEMA_VERSION = "1"
SCHEMA_PATH = Path(__file__).resolve().parent / "reply.schema.json"


def reply_json(result: Answer) -> dict:
    """The reply as the JSON object the schema describes: `Answer.to_json`, the schema version and the model's trace."""
    return {"schema_version": SCHEMA_VERSION, **result.to_json(), "why": result.extra.get("why")}


def reply_schema() -> dict:
    """The reply's JSON Schema (for validators and the API's documentation)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def search_json(index: SentenceIndex, query: str, k: int, allowed: np.ndarray | None = None) -> list[dict]:
    """The top k sentences for a query (among the `allowed` rows) as `search --json` and GET /search give them."""
    results = []
    for hit in index.search(query, k, allowed):
        sentence = index.sentence(hit.row)
        results.append({"doc": sentence.doc_id, "sentence_index": sentence.sentence_index, "sentence": sentence.text, "score": round(hit.score, 6)})
    return results
