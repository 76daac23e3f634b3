"""Question answering over news articles: BM25 sentence retrieval and a rule-based answerer.

Library use:  index = open_index();  reply = answer("Who …?", index);  reply.answer, reply.citations
"""

from pathlib import Path

from qa.corpus import Document, Sentence
from qa.errors import QAError
from qa.index import DEFAULT_INDEX, SentenceIndex, build_index, ensure_index
from qa.pipeline import answer
from qa.results import Answer, Citation
from qa.schema import SCHEMA_VERSION, reply_json
from qa.scope import Scope, allowed_rows


def open_index(index_dir: Path | str = DEFAULT_INDEX, corpus_dir: Path | str | None = None) -> SentenceIndex:
    """The index at `index_dir`, built first when missing or stale (from `corpus_dir`, by default
    the corpus it was built from, or the repository's seeds when there is no index yet)."""
    return ensure_index(Path(corpus_dir) if corpus_dir else None, Path(index_dir))


__all__ = [
    "SCHEMA_VERSION",
    "Answer",
    "Citation",
    "Document",
    "QAError",
    "Scope",
    "Sentence",
    "SentenceIndex",
    "answer",
    "build_index",
    "ensure_index",
    "open_index",
    "reply_json",
    "allowed_rows",
]
