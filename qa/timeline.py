"""The dated events a corpus reports: every resolvable date in its sentences, with provenance."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from qa.dates import MONTH_NAMES, WEEKDAYS, human_date, resolve_dates
from qa.index import SentenceIndex

EventKind = Literal["mentioned", "published"]
NO_OUTLET = "Outlet not stated"

# Every date expression has a digit, a month or weekday name, a named day, or a unit of time
# ("a month ago", "last week", "in recent days"): a cheap test that halves the work on large corpora.
_MAY_HOLD_A_DATE = re.compile(
    r"\d|\b(?:"
    + "|".join([name for name in MONTH_NAMES if name] + WEEKDAYS + ["yesterday", "today", "tomorrow", "weekend"])
    + r"|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimelineEvent:
    """A date a document reports (or was published on), the sentence saying so, and its document."""

    iso: str
    precision: str
    date_text: str
    sentence: str
    doc: str
    title: str
    outlet: str
    row: int
    kind: EventKind = "mentioned"
    note: str | None = None

    @property
    def day(self) -> dt.date:
        """A point to plot: the first day of the period the date names."""
        return first_day(self.iso)

    @property
    def label(self) -> str:
        """The date for readers: '26 March 2024', 'June 2023', 'week of 30 October 2023', '1890s'."""
        if "W" in self.iso:
            return f"week of {human_date(self.day.isoformat())}"
        if self.iso.endswith("s"):
            return self.iso
        return human_date(self.iso)


def first_day(iso: str) -> dt.date:
    """First day of an ISO date at any precision: 2023, 2023-06, 2023-W44, 2023-11-05, and decades (1890s).

    Raises ValueError for anything else.
    """
    year, _, rest = iso.removesuffix("s").partition("-")
    if rest.startswith("W"):
        return dt.date.fromisocalendar(int(year), int(rest[1:]), 1)
    parts = [int(part) for part in rest.split("-") if part]
    return dt.date(int(year), parts[0] if parts else 1, parts[1] if len(parts) > 1 else 1)


def precision_of(iso: str) -> str:
    """How precise an ISO date string is: day, week, month, year or decade."""
    if iso.endswith("s"):
        return "decade"
    if "W" in iso:
        return "week"
    return {1: "year", 2: "month", 3: "day"}[len(iso.split("-"))]


def _plottable(iso: str) -> bool:
    try:
        first_day(iso)
    except ValueError:
        return False
    return True


def sentence_dates(text: str, reference_date: str | None) -> list[tuple[str, str, str | None]]:
    """(iso, text, note) of every date in a sentence that resolves, relative ones against the article's date."""
    if not _MAY_HOLD_A_DATE.search(text):
        return []
    return [(found.iso, found.text, found.note) for found in resolve_dates(text, reference_date) if found.iso and _plottable(found.iso)]


def timeline_events(index: SentenceIndex, include_published: bool = True) -> list[TimelineEvent]:
    """Every dated event in the index, in date order, plus (optionally) each document's publication date."""
    events: list[TimelineEvent] = []
    for row in range(len(index)):
        sentence = index.sentence(row)
        document = index.document_of(row)
        outlet = document.get("outlet") or NO_OUTLET
        for iso, text, note in sentence_dates(sentence.text, document.get("date")):
            events.append(
                TimelineEvent(
                    iso, precision_of(iso), text, sentence.text, sentence.doc_id, document["title"], outlet, row, "mentioned", note
                )
            )
    if include_published:
        for document in index.documents:
            rows = index.document_rows(document["doc_id"])
            if document.get("date") and _plottable(document["date"]) and len(rows):
                events.append(
                    TimelineEvent(
                        document["date"],
                        precision_of(document["date"]),
                        document.get("date_text") or document["date"],
                        index.sentence(rows[0]).text,
                        document["doc_id"],
                        document["title"],
                        document.get("outlet") or NO_OUTLET,
                        rows[0],
                        "published",
                    )
                )
    return sorted(events, key=lambda event: (event.day, event.doc, event.row, event.kind))
