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

YEAR_NUMBER = re.compile(r"(?:1[5-9]|20)\d\d")  # a number that reads as a year
# What the second and third patterns cannot match without: a month's first three letters, the rest of
# its word, then a number after a space ("Nov. 5", "November, 2023"). Its first letter is a character
# class, which Python's re scans for quickly: a line without it is searched with the first pattern only
# (about a quarter of the cost of the three on long lines holding a year).
_MONTH_THEN_NUMBER = re.compile(r"[adfjmnos](?:an|eb|ar|pr|ay|un|ul|ug|ep|ct|ov|ec)[a-z]*\.?,?\s+\d", re.IGNORECASE)


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


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether the text span [start, end) overlaps any of `spans` (also used by qa.extract)."""
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _find_dates(text: str, patterns: list[re.Pattern]) -> list[DateMention]:
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if overlaps(start, end, taken):
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
    if not YEAR_NUMBER.search(text):
        return None
    patterns = _PATTERNS[:3] if _MONTH_THEN_NUMBER.search(text) else _PATTERNS[:1]
    for mention in _find_dates(text, patterns):
        if mention.precision == "day" and mention.year:
            return mention
    return None


# ---------------------------------------------------------------- relative dates

Resolution = Literal["day", "week", "month", "year", "decade", "century", "range"]

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a few": 3,
    "couple of": 2, "few": 3, "several": 3,
}  # fmt: skip
_AMOUNT = r"(?P<amount>\d+|a couple of|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?P<unit>day|week|month|year)s?"
_WEEKDAY_NAME = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH_NAME = r"(?P<month>" + "|".join(name for name in MONTH_NAMES if name) + r")"

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "twenty-first": 21, "twenty first": 21,
}  # fmt: skip
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + r")"
_CENTURY_PART = r"early|mid|late|(?:the\s+)?(?:first|second|latter)\s+half\s+of\s+the|(?:the\s+)?(?:end|beginning|start|turn|middle)\s+of\s+the"
# "the 9th century", "the late fifteenth century", "the 13th and 14th centuries", "5th to 8th centuries"
_CENTURY = re.compile(
    rf"\b(?:the\s+)?(?:(?P<part>{_CENTURY_PART})[\s-]+)?(?P<first>{_ORDINAL})"
    rf"(?:\s*(?:and|or|to|through|-|–)\s*(?:the\s+)?(?P<last>{_ORDINAL}))?[\s-]+centur(?:y|ies)\b(?!\s+(?:BC|BCE|B\.C\.))",
    re.IGNORECASE,
)
_RANGE_YEAR = r"(?:1\d|20)\d\d"
# "1802–1811", "1738–41", "from 1655 to 1671", "between 1703 and 1708", "the 1870s and 1880s"
_YEAR_RANGES = [
    re.compile(rf"(?<![\w,.-])(?P<start>{_RANGE_YEAR})\s*(?:–|—|-|to|until|till|through)\s*(?P<end>{_RANGE_YEAR}|\d\d)(?!\w|[,.–-]\d)"),
    re.compile(rf"\bbetween\s+(?P<start>{_RANGE_YEAR})\s+and\s+(?P<end>{_RANGE_YEAR})(?!\w|[,.–-]\d)"),
    re.compile(r"\b(?:between\s+)?(?:the\s+)?(?P<start>1\d\d0|20\d0)s\s+(?:and|to|through|until)\s+(?:the\s+)?(?P<end>1\d\d0|20\d0)s\b"),
]

_RELATIVE_PATTERNS = [
    ("ago", re.compile(rf"\b{_AMOUNT}\s+{_UNIT}\s+(?:ago|earlier|before)\b", re.IGNORECASE)),
    ("recent", re.compile(r"\b(?:in|over|during)\s+(?:the\s+)?(?:recent|past|last)\s+(?:few\s+)?days\b", re.IGNORECASE)),
    ("named", re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b", re.IGNORECASE)),
    ("last", re.compile(r"\b(?P<which>last|this|next|past)\s+(?P<unit>week|month|year|weekend)\b", re.IGNORECASE)),
    ("part_of_month", re.compile(rf"\b(?P<part>early|mid|late|the end of|the beginning of|the start of)[\s-]+{_MONTH_NAME}\b(?!\s*,?\s*\d)")),
    ("month", re.compile(rf"\b(?:in|since|during|until|by|last|this)\s+{_MONTH_NAME}\b(?!\s*,?\s*\d)")),
    ("century", _CENTURY),
    ("decade", re.compile(r"\b(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<decade>1\d\d0|20\d0)s\b")),
    ("year", re.compile(r"(?<![\w,.-])(?P<year>(?:1[5-9]|20)\d\d)(?!\w|[,.-]\d)")),
    # years before 1500 only after a word that introduces a year ("in 1066"), not as bare numbers
    ("year", re.compile(r"\b(?:in|In|since|Since|by|until|from|of|year|around)\s+(?P<year>1[0-4]\d\d)(?!\w|[,.-]\d)")),
    ("weekday", re.compile(rf"\b(?P<which>on|last|this|past|next|since|until|by)?\s*{_WEEKDAY_NAME}\b")),
]


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression in a text, absolute or relative, resolved against a reference date.

    `iso` is at the precision known ('2023-11-05', '2023-W44', '2023-06', '2023'), or None when
    a relative expression has no reference date; `note` says how it was resolved.
    """

    start: int
    end: int
    text: str
    iso: str | None
    precision: Resolution | None
    relative: bool
    note: str | None = None
    qualifier: str | None = None  # "early", "late", "about" …

    @property
    def year(self) -> int | None:
        return int(self.iso[:4]) if self.iso else None


def _parse_reference(reference_date: str | None) -> dt.date | None:
    if not reference_date:
        return None
    try:
        return dt.date.fromisoformat(reference_date[:10])
    except ValueError:
        return None


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _shift_months(day: dt.date, months: int) -> tuple[int, int]:
    total = day.year * 12 + (day.month - 1) - months
    return total // 12, total % 12 + 1


def _anchor_words(anchor: dt.date) -> str:
    return f"the article's date ({anchor.day} {MONTH_NAMES[anchor.month]} {anchor.year})"


def _month_year_before(anchor: dt.date, month: int) -> int:
    """The year of the most recent `month` not after the anchor (news reports the past)."""
    return anchor.year if month <= anchor.month else anchor.year - 1


def _month_year_after(anchor: dt.date, month: int) -> int:
    """The year of the next `month` not before the anchor (what a story says will happen)."""
    return anchor.year if month >= anchor.month else anchor.year + 1


# Words that put a clause in the future: "will meet", "is due to", "are scheduled for", "plans to".
# Typographic apostrophes count as well ("won’t", "you’ll"): news copies keep them.
_FUTURE_MARKER = re.compile(
    r"\b(?:will|shall|won['’]t|going\s+to|(?:is|are|was|were)\s+(?:due|set|scheduled|expected|slated|planned|poised)"
    r"|scheduled\s+(?:to|for)|plans?\s+to|upcoming|coming)\b|\w['’]ll\b",
    re.IGNORECASE,
)
# Without a parse, the present tense is recognised only where its form says so right before the date:
# the present progressive ("is meeting on Friday", "are playing the Bears Sunday") and the copula
# ("The vote is Thursday", "the hearing is on Monday"). "reports earnings Wednesday" needs the tagger
# (qa.tense), since "reports" may be a noun.
_PRESENT_BEFORE = re.compile(
    r"\b(?:is|are|am)\s+(?:(?:not\s+)?(?!(?:some|no|any|every)?thing\b|during\b|morning\b|evening\b)[a-z]+ing(?:\s+[\w’'-]+){0,3}\s+)?"
    r"(?:on\s+|this\s+|in\s+)?$",
    re.IGNORECASE,
)
_PRESENT_REACH = 60  # characters before a date searched for a present verb: four words at most
# Where a clause begins: a sentence end, a semicolon or colon, or a conjunction joining two clauses.
_CLAUSE_START = re.compile(r"[.;:!?]\s|,\s+(?:and|but|while|after|before|when)\s|\s(?:and|but|while)\s", re.IGNORECASE)


def is_future(text: str, position: int) -> bool:
    """Whether the clause around `position` speaks of the future: a future marker before it in its
    clause, or a present progressive or copula right before it (`_PRESENT_BEFORE`)."""
    clause_start = 0
    for boundary in _CLAUSE_START.finditer(text, 0, position):
        clause_start = boundary.end()
    if _FUTURE_MARKER.search(text, clause_start, position) is not None:
        return True
    return _PRESENT_BEFORE.search(text[max(clause_start, position - _PRESENT_REACH) : position]) is not None


def _resolve_relative(kind: str, match: re.Match, anchor: dt.date, future: bool = False) -> tuple[str, Resolution, str, str | None] | None:
    """(iso, precision, note, qualifier) for one relative expression, or None to skip it.

    `future` says the clause speaks of what will happen: a weekday or a month then
    resolves forward from the article's date, otherwise backward."""
    groups = {key: value for key, value in match.groupdict().items() if value}
    text = match.group(0).strip()
    if kind == "ago":
        amount = NUMBER_WORDS.get(groups["amount"].lower(), None) or int(groups["amount"])
        unit = groups["unit"].lower()
        qualifier = "about" if groups["amount"].lower() in {"a couple of", "couple of", "a few", "few", "several"} else None
        if unit == "day":
            day = anchor - dt.timedelta(days=amount)
            return day.isoformat(), "day", f"{text} — {human_date(day.isoformat())}, {amount} days before {_anchor_words(anchor)}", qualifier
        if unit == "week":
            day = anchor - dt.timedelta(weeks=amount)
            return _iso_week(day), "week", f"{text} — the week of {human_date(day.isoformat())}, {amount} week(s) before {_anchor_words(anchor)}", qualifier
        if unit == "month":
            year, month = _shift_months(anchor, amount)
            iso = iso_date(year, month)
            return iso, "month", f"{text} — {human_date(iso)}, {amount} month(s) before {_anchor_words(anchor)}", qualifier
        return f"{anchor.year - amount:04d}", "year", f"{text} — {anchor.year - amount}, counted from {_anchor_words(anchor)}", qualifier
    if kind == "recent":
        return _iso_week(anchor), "week", f"{text} — the days before {_anchor_words(anchor)}", "about"
    if kind == "named":
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[groups["word"].lower()]
        day = anchor + dt.timedelta(days=offset)
        return day.isoformat(), "day", f"{text} — {human_date(day.isoformat())}, from {_anchor_words(anchor)}", None
    if kind == "last":
        which, unit = groups["which"].lower(), groups["unit"].lower()
        step = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
        if unit == "weekend":
            saturday = anchor - dt.timedelta(days=(anchor.weekday() - 5) % 7)
            if step > 0:
                saturday += dt.timedelta(weeks=1)
            return saturday.isoformat(), "day", f"{text} — the weekend of {human_date(saturday.isoformat())}, before {_anchor_words(anchor)}", "about"
        if unit == "week":
            day = anchor + dt.timedelta(weeks=step)
            return _iso_week(day), "week", f"{text} — the week of {human_date(day.isoformat())}, from {_anchor_words(anchor)}", None
        if unit == "month":
            year, month = _shift_months(anchor, -step)
            iso = iso_date(year, month)
            return iso, "month", f"{text} — {human_date(iso)}, from {_anchor_words(anchor)}", None
        return f"{anchor.year + step:04d}", "year", f"{text} — {anchor.year + step}, from {_anchor_words(anchor)}", None
    if kind in {"part_of_month", "month"}:
        month = MONTHS[groups["month"].lower()]
        forward = future and not text.lower().startswith(("last", "since"))
        year = _month_year_after(anchor, month) if forward else _month_year_before(anchor, month)
        iso = iso_date(year, month)
        part = groups.get("part", "").lower().replace("the ", "").replace(" of", "") or None
        shown = f"{part} {human_date(iso)}" if part else human_date(iso)
        direction = "after" if forward and year * 12 + month != anchor.year * 12 + anchor.month else "before"
        return iso, "month", f"{text} — {shown}, the {MONTH_NAMES[month]} {direction} {_anchor_words(anchor)}", part
    if kind == "weekday":
        which = (groups.get("which") or "").lower()
        weekday = WEEKDAYS.index(groups["weekday"].lower())
        back = (anchor.weekday() - weekday) % 7
        ahead = (weekday - anchor.weekday()) % 7
        if which == "next":
            day = anchor + dt.timedelta(days=ahead or 7)
        elif which == "this" and not future:
            day = anchor + dt.timedelta(days=weekday - anchor.weekday())  # the one in the article's week
        elif future and which not in {"last", "past", "since"}:
            day = anchor + dt.timedelta(days=ahead)
        else:
            if which == "last" and back == 0:
                back = 7
            day = anchor - dt.timedelta(days=back)
        if day == anchor:
            note = f"{text} — {human_date(day.isoformat())}, the article's date"
        else:
            direction = "after" if day > anchor else "before"
            note = f"{text} — {human_date(day.isoformat())}, the {groups['weekday']} {direction} {_anchor_words(anchor)}"
        return day.isoformat(), "day", note, None
    return None


def resolve_dates(text: str, reference_date: str | None, scheduled: frozenset[int] = frozenset()) -> list[ResolvedDate]:
    """Every date expression in `text`, absolute or relative, in text order.

    Relative expressions ("on Sunday", "a month ago", "late June") are resolved against
    `reference_date` (the article's date, ISO). A weekday or month is the one on or before
    it, since news reports what has happened, unless its clause speaks of the future
    ("will meet on Friday", "is due in March", "is meeting on Friday"; `is_future`) or the
    parse puts it under a verb in the present tense (`scheduled`, character offsets of such
    date words from `qa.tense.scheduled_offsets`: "reports earnings Wednesday"): then it is
    the one on or after it. "this Thursday" is the Thursday of the article's week. Without
    a reference date they keep `iso=None`.
    """
    anchor = _parse_reference(reference_date)
    found: list[ResolvedDate] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not overlaps(start, end, taken)

    for mention in find_dates(text):
        taken.append((mention.start, mention.end))
        if mention.year is None and anchor is not None and mention.month:
            year = _month_year_before(anchor, mention.month)
            iso = iso_date(year, mention.month, mention.day)
            note = f"{mention.text} — {human_date(iso)}, year taken from {_anchor_words(anchor)}"
            found.append(ResolvedDate(mention.start, mention.end, mention.text, iso, mention.precision, True, note))
        else:
            found.append(ResolvedDate(mention.start, mention.end, mention.text, mention.iso(), mention.precision if mention.year else None, mention.year is None))
    for kind, pattern in _RELATIVE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span("year") if kind == "year" else match.span()
            while start < end and text[start].isspace():
                start += 1
            if not free(start, end):
                continue
            taken.append((start, end))
            expression = text[start:end]
            if kind == "decade":
                found.append(ResolvedDate(start, end, expression, f"{match.group('decade')}s", "decade", False, None, match.group("part")))
                continue
            if kind == "year":
                found.append(ResolvedDate(start, end, expression, match.group("year"), "year", False))
                continue
            if kind == "century":
                interval = _century_interval(match)
                if interval:
                    found.append(ResolvedDate(start, end, expression, interval, "century", False, None, match.group("part")))
                continue
            if anchor is None:
                found.append(ResolvedDate(start, end, expression, None, None, True, f"{expression} — the article has no date to count from"))
                continue
            future = any(start <= offset < end for offset in scheduled) or is_future(text, start)
            resolved = _resolve_relative(kind, match, anchor, future)
            if resolved is None:
                continue
            iso, precision, note, qualifier = resolved
            found.append(ResolvedDate(start, end, expression, iso, precision, True, note, qualifier))
    found.extend(_year_ranges(text, taken))
    return sorted((_with_part_of_year(text, item) for item in found), key=lambda item: item.start)


# "early 1994", "the end of March 1961", "the spring of 1712", "autumn 1722"
_PART_OF_YEAR = re.compile(
    r"\b(?:(?P<part>early|mid|late)|(?:the\s+)?(?P<period>end|beginning|start|middle|spring|summer|autumn|winter)\s+of|(?P<season>spring|summer|autumn|winter))[\s-]+$",
    re.IGNORECASE,
)


def _with_part_of_year(text: str, item: ResolvedDate) -> ResolvedDate:
    """A year or month with the part of it that the words before it name, kept in its span and qualifier."""
    if item.relative or item.precision not in {"year", "month"}:
        return item
    match = _PART_OF_YEAR.search(text[max(0, item.start - 30) : item.start])
    if not match:
        return item
    start = max(0, item.start - 30) + match.start()
    qualifier = (match.group("part") or match.group("period") or match.group("season")).lower()
    return ResolvedDate(start, item.end, text[start : item.end], item.iso, item.precision, False, item.note, qualifier)


def _ordinal_value(text: str) -> int | None:
    lowered = text.lower().replace("-", " ")
    if lowered in ORDINAL_WORDS:
        return ORDINAL_WORDS[lowered]
    digits = re.match(r"\d+", lowered)
    return int(digits.group(0)) if digits else None


def _century_interval(match: re.Match) -> str | None:
    """ISO 8601 interval of the centuries a match names: "9th century" -> "0800/0899"."""
    first = _ordinal_value(match.group("first"))
    last = _ordinal_value(match.group("last")) if match.group("last") else first
    if not first or not last or not 1 <= first <= last <= 21:
        return None
    return f"{(first - 1) * 100:04d}/{last * 100 - 1:04d}"


def _year_ranges(text: str, taken: list[tuple[int, int]]) -> list[ResolvedDate]:
    """Spans of years ("1802–1811", "between 1703 and 1708") as ISO intervals ("1802/1811").

    Found besides the years they join: a question about when something ended wants the
    last year, one about when it happened the whole span. A range inside another date
    expression (a century, a full date) is not one."""
    found: list[ResolvedDate] = []
    for pattern in _YEAR_RANGES:
        for match in pattern.finditer(text):
            start, end = match.span()
            first, last = match.group("start"), match.group("end")
            if len(last) == 2:
                last = first[:2] + last
            if int(last) <= int(first) or int(last) - int(first) > 1000:
                continue
            inside_other = any(other_start <= start and end <= other_end and (other_start, other_end) != (start, end) for other_start, other_end in taken)
            if inside_other or overlaps(start, end, [(item.start, item.end) for item in found]):
                continue
            expression = text[start:end]
            decades = expression.rstrip().endswith("s")
            interval = f"{first}/{int(last) + 9}" if decades else f"{first}/{last}"
            found.append(ResolvedDate(start, end, expression, interval, "range", False))
    return found
