"""Limiting a question to some documents: by outlet and by a range of document dates.

Retrieval has no filter of its own yet, so `scoped_index` wraps an index in a view whose
retriever only returns sentences of documents in scope (the BM25 scores and the
corpus-wide idf are unchanged). `document_in_scope` is the one rule; it can move into
retrieval (a row mask built once per scope) without changing callers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import numpy as np

from qa.errors import QAError
from qa.index import SentenceIndex
from qa.retriever import Retriever


class EmptyScope(QAError):
    """No document of the index matches the scope."""


@dataclass(frozen=True)
class Scope:
    """Outlets (any of them, compared case-insensitively) and an inclusive range of document dates.

    A document without an outlet is outside a scope that names outlets; one without a date
    is outside a scope with a date bound. The document date is the article's own
    (published, dateline, or its first full date: see the README's metadata rules).
    """

    outlets: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QAError(f"date_from {self.date_from} is after date_to {self.date_to}")

    @property
    def unrestricted(self) -> bool:
        return not self.outlets and self.date_from is None and self.date_to is None

    def describe(self) -> str:
        parts = []
        if self.outlets:
            parts.append("outlet " + " or ".join(self.outlets))
        if self.date_from or self.date_to:
            parts.append(f"dates {self.date_from or '…'} to {self.date_to or '…'}")
        return ", ".join(parts) or "all documents"


def document_in_scope(document: dict, scope: Scope) -> bool:
    """Whether a document's metadata (`outlet`, ISO `date`) falls inside the scope."""
    if scope.outlets:
        outlet = (document.get("outlet") or "").casefold()
        if outlet not in {name.casefold() for name in scope.outlets}:
            return False
    if scope.date_from or scope.date_to:
        try:
            document_date = date.fromisoformat(document.get("date") or "")
        except ValueError:
            return False
        if (scope.date_from and document_date < scope.date_from) or (scope.date_to and document_date > scope.date_to):
            return False
    return True


class _ScopedRetriever(Retriever):
    """The same postings, with the sentences of documents out of scope left out of every search."""

    def __init__(self, retriever: Retriever, allowed_rows: np.ndarray):
        super().__init__(retriever.vocabulary, retriever.offsets, retriever.posting_rows, retriever.posting_weights, retriever.sentence_count)
        self.allowed_rows = allowed_rows

    def _postings(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        rows, weights = super()._postings(terms)
        keep = self.allowed_rows[rows]
        return rows[keep], weights[keep]


def scoped_index(index: SentenceIndex, scope: Scope) -> SentenceIndex:
    """The index itself when the scope is unrestricted, else a view that retrieves only documents in scope.

    Raises EmptyScope when no document matches, so a caller gets a clear error instead of a decline.
    """
    if scope.unrestricted:
        return index
    allowed_documents = np.array([document_in_scope(document, scope) for document in index.documents], dtype=bool)
    if not allowed_documents.any():
        raise EmptyScope(f"no document matches the scope ({scope.describe()})")
    allowed_rows = allowed_documents[np.asarray(index.arrays["sentence_doc"])]
    return dataclasses.replace(index, retriever=_ScopedRetriever(index.retriever, allowed_rows))
