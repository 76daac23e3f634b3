"""Finding and normalising absolute dates in text ("5 November 2023", "March 26, 2024", "2023-11-11")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
MONTH_NAMES = [
    "", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

Precision = Literal["day", "month", "year"]

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:" + "|".join(WEEKDAYS) + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s*)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)"

_PATTERNS = [
    # 2023-11-11, 2023/11/11
    re.compile(r"\b(?P<year>(?:1[5-9]|20)\d\d)[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)\b"),
    # Sunday 5 November 2023, 5 Nov. 2023, 5th of November, 2023
    re.compile(rf"\b{_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    # Sunday, November 5, 2023 / March 26, 2024
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    # November 2023
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    # 5 November / November 5 (year unknown)
    re.compile(rf"\b{_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH}\b", re.IGNORECASE),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?\d)", re.IGNORECASE),
]

_ANY_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")


@dataclass(frozen=True)
class DateMention:
    """An absolute date found in a text, with its span and how precise it is."""

    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None

    @property
    def precision(self) -> Precision | None:
        if self.day and self.month:
            return "day"
        if self.month:
            return "month"
        return "year" if self.year else None

    def iso(self) -> str | None:
        """ISO form for the precision known: 2023-11-05, 2023-11 or 2023."""
        return iso_date(self.year, self.month, self.day)


def iso_date(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO 8601 string of a possibly partial date, or None without a year."""
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def human_date(iso: str) -> str:
    """'2023-11-05' -> '5 November 2023'; '2023-11' -> 'November 2023'; '2023' -> '2023'."""
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {MONTH_NAMES[parts[1]]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTH_NAMES[parts[1]]} {parts[0]}"
    return str(parts[0])


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        try:
            dt.date(year or 2000, month or 1, day)
        except ValueError:
            return False
    return True


def find_dates(text: str) -> list[DateMention]:
    """Every absolute date in `text`, longest match first at each place, in text order."""
    return _find_dates(text, _PATTERNS)


def _find_dates(text: str, patterns: list[re.Pattern]) -> list[DateMention]:
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            groups = match.groupdict()
            month_text = groups.get("month")
            month = int(month_text) if month_text and month_text.isdigit() else MONTHS.get((month_text or "").lower().rstrip("."))
            year = int(groups["year"]) if groups.get("year") else None
            day = int(groups["day"]) if groups.get("day") else None
            if month_text and not month_text.isdigit() and not month_text[0].isupper():
                continue  # "may", "march" as verbs
            if not _valid(year, month, day):
                continue
            taken.append((start, end))
            mentions.append(DateMention(start, end, text[start:end], year, month, day))
    return sorted(mentions, key=lambda mention: mention.start)


def first_full_date(text: str) -> DateMention | None:
    """The first date in `text` with a year, month and day.

    Only the first three patterns give a day, month and year, and later patterns
    never displace them, so the others are not run (this is on the corpus build's hot path).
    """
    if not _ANY_YEAR.search(text):
        return None
    for mention in _find_dates(text, _PATTERNS[:3]):
        if mention.precision == "day" and mention.year:
            return mention
    return None
