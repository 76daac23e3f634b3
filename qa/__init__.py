"""Question answering over news articles: BM25 sentence retrieval and a rule-based answerer."""

from qa.corpus import Document, Sentence
from qa.errors import QAError
from qa.index import SentenceIndex, build_index, ensure_index

__all__ = ["Document", "QAError", "Sentence", "SentenceIndex", "build_index", "ensure_index"]
