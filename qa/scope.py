"""Limiting a question to some outlets and a date range: a row mask applied inside retrieval.

The mask is built from document metadata and handed to the retriever, so the top sentences are
taken among the allowed ones (not filtered out of the unscoped top 40 afterwards, which could
leave nothing). A document's date is its publication date, or its dateline's or first full date
when none is stated; a document without any date is left out as soon as a date bound is set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np

from qa.documents import outlet_of
from qa.errors import QAError
from qa.index import SentenceIndex


class ScopeError(QAError):
    """A scope that cannot be applied: a malformed date, an unknown outlet, nothing left to search."""


@dataclass(frozen=True)
class Scope:
    """Outlets to keep (all when empty) and inclusive first and last days (open when None)."""

    outlets: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def is_everything(self) -> bool:
        return not self.outlets and self.since is None and self.until is None

    def describe(self) -> str:
        """'outlets A, B; from 1 May 2024; until 31 May 2024' — for captions and notes."""
        parts = []
        if self.outlets:
            parts.append(("outlet " if len(self.outlets) == 1 else "outlets ") + ", ".join(self.outlets))
        if self.since:
            parts.append(f"from {self.since:%-d %b %Y}")
        if self.until:
            parts.append(f"until {self.until:%-d %b %Y}")
        return "; ".join(parts) or "all documents"

    def to_json(self) -> dict:
        value = asdict(self)
        value["outlets"] = list(self.outlets)
        value["since"] = self.since.isoformat() if self.since else None
        value["until"] = self.until.isoformat() if self.until else None
        return value

    @classmethod
    def from_json(cls, value: dict | None) -> Scope:
        value = value or {}
        return cls(
            tuple(value.get("outlets") or ()),
            dt.date.fromisoformat(value["since"]) if value.get("since") else None,
            dt.date.fromisoformat(value["until"]) if value.get("until") else None,
        )


def parse_day(text: str, last: bool = False) -> dt.date:
    """A date bound from YYYY-MM-DD, YYYY-MM or YYYY: the first day of the period, or its last with `last`."""
    parts = text.strip().split("-")
    try:
        if len(parts) == 3:
            return dt.date.fromisoformat(text.strip())
        year = int(parts[0])
        if len(parts) == 2:
            month = int(parts[1])
            start = dt.date(year, month, 1)
            end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        elif len(parts) == 1:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        else:
            raise ValueError
    except ValueError:
        raise ScopeError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") from None
    return end if last else start


def document_day(document: dict) -> dt.date | None:
    """The first day of a document's date, or None when it has none (or an unreadable one)."""
    iso = document.get("date")
    if not iso:
        return None
    try:
        return parse_day(iso[:10])
    except ScopeError:
        return None


def document_allowed(document: dict, scope: Scope) -> bool:
    """Whether a document is in scope; outlet names compare without regard to case."""
    if scope.outlets and outlet_of(document).casefold() not in {outlet.casefold() for outlet in scope.outlets}:
        return False
    if scope.since is None and scope.until is None:
        return True
    day = document_day(document)
    if day is None:
        return False
    return (scope.since is None or day >= scope.since) and (scope.until is None or day <= scope.until)


def allowed_documents(index: SentenceIndex, scope: Scope) -> set[str]:
    """Ids of the documents inside the scope."""
    return {document["doc_id"] for document in index.documents if document_allowed(document, scope)}


def check_scope(index: SentenceIndex, scope: Scope) -> None:
    """Raise ScopeError for an unknown outlet, reversed dates, or a scope no document is in."""
    known = {outlet_of(document) for document in index.documents}
    folded = {outlet.casefold() for outlet in known}
    unknown = [outlet for outlet in scope.outlets if outlet.casefold() not in folded]
    if unknown:
        raise ScopeError(f"no document is from {', '.join(repr(name) for name in unknown)}; outlets: {', '.join(sorted(known))}")
    if scope.since and scope.until and scope.since > scope.until:
        raise ScopeError(f"the first day {scope.since} is after the last day {scope.until}")
    if not allowed_documents(index, scope):
        raise ScopeError(f"no document is in the scope ({scope.describe()})")


def allowed_rows(index: SentenceIndex, scope: Scope | None) -> np.ndarray | None:
    """A boolean mask over the index's sentence rows (True = may be retrieved), or None for everything."""
    if scope is None or scope.is_everything:
        return None
    check_scope(index, scope)
    keep = np.array([document_allowed(document, scope) for document in index.documents], dtype=bool)
    return keep[np.asarray(index.arrays["sentence_doc"])]
