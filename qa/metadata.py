"""Metadata lines of web copies: page date lines, bylines and the outlet's name in credit lines.

A page date line is a line that is nothing but a date, a time and a label
("Nov. 20, 2019 6:02 AM EST", "Published: 19/11/2019", "Posted 7:07 PM EST Nov 19, 2019",
"2019-11-19T10:00:00Z"); a byline names the writers ("By Jane Doe and Li Wei | Example
News"). Both are read for the document's date, author and outlet and then dropped from
the text. Dates in the story's sentences are events, never read here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qa.dates import MONTHS, WEEKDAYS, first_full_date
from qa.text import STOPWORDS

# Words that may stand around a date on a page date line, besides the date and time.
_DATE_LINE_WORDS = frozenset(
    """
    published publish posted updated update last modified date dated on at in first
    am pm a.m p.m est edt cst cdt mst mdt pst pdt et ct mt pt gmt bst cet cest ist utc jst kst aest hkt sgt wib z
    hours hour minutes minute days day ago de às
    publicado publicada em atualizado atualizada actualizado pubblicato aggiornato il ore alle veröffentlicht aktualisiert
    um uhr publié mis à jour le diterbitkan diperbarui pada pukul created data datum fecha tanggal дата erstellt stand
    в г года опубликовано обновлено 更新 公開 配信
    """.split()
) | frozenset(WEEKDAYS) | frozenset(day[:3] for day in WEEKDAYS) | frozenset({"tues", "thur", "thurs"})
# Month names of other languages, for page date lines only ("22 de outubro de 2010", "02 Ago 2017",
# "24 сентября 2018", "Maret 30, 2015"): running prose is never read with them.
_OTHER_MONTHS = {
    1: "janeiro enero janvier januar gennaio januari janvier janv jänner января январь ene gen",
    2: "fevereiro febrero février fevrier februar febbraio februari февраля февраль fev fév févr",
    3: "março marco marzo mars märz maret марта март mär",
    4: "abril avril aprile april апреля апрель abr avr",
    5: "maio mayo mai maggio mei мая май mag",
    6: "junho junio juin juni giugno juni июня июнь jun juin",
    7: "julho julio juillet juli luglio juli июля июль juil lug",
    8: "agosto août aout august agustus августа август ago ags",
    9: "setembro septiembre septembre september settembre сентября сентябрь set",
    10: "outubro octubre octobre oktober ottobre октября октябрь out okt ott",
    11: "novembro noviembre novembre november nopember ноября ноябрь",
    12: "dezembro diciembre décembre decembre dezember dicembre desember декабря декабрь dez dic déc",
}
OTHER_MONTHS = {word: month for month, words in _OTHER_MONTHS.items() for word in words.split()}
_OTHER_MONTH = r"(?P<month>" + "|".join(sorted(OTHER_MONTHS, key=len, reverse=True)) + r")\.?"
_OTHER_MONTH_START = re.compile(_OTHER_MONTH + r"\b", re.IGNORECASE)
_OTHER_DATES = [
    # 22 de outubro de 2010, 02 Ago 2017, 24 сентября 2018, 3. März 2019
    re.compile(rf"\b(?P<day>[0-3]?\d)\.?\s+(?:de\s+)?{_OTHER_MONTH}\s+(?:de\s+)?(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    # Maret 30, 2015
    re.compile(rf"\b{_OTHER_MONTH}\s+(?P<day>[0-3]?\d),?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
]
_UPDATED = re.compile(
    r"\b(?:updated|modified|last\s+update|atualizad[oa]|actualizad[oa]|aggiornat[oa]|aktualisiert|mis\s+à\s+jour|diperbarui"
    r"|обновлено)\b|수정|更新",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?\b")
_NUMERIC_DATE = re.compile(
    r"\b(?P<first>[0-3]?\d)(?P<separator>[/.\-])(?P<second>[0-3]?\d)(?P=separator)(?P<year>(?:19|20)\d\d)\b"
    # "11/19/19": a two-digit year after slashes only ("19.11.19" may as well be 2019 November 19 read the other way)
    r"|\b(?P<short_first>[0-3]?\d)/(?P<short_second>[0-3]?\d)/(?P<short_year>\d\d)\b(?![/.\-]?\d)"
)
TWO_DIGIT_YEAR_BASE = 2000  # "11/19/19" is 2019: pages with two-digit years are of this century
# Chinese, Japanese and Korean dates: 2019年11月19日, 2019년 11월 19일.
_CJK_DATE = re.compile(r"(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<month>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)\s*[日일]?")
# A month and day without the year ("Posted Nov 19", "19 November"): the year is read from the rest of the page.
_MONTH_NAME = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH_DAY = [
    re.compile(rf"\b{_MONTH_NAME}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*,?\s*(?:19|20)\d\d\b)", re.IGNORECASE),
    re.compile(rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}\b(?!\s*,?\s*(?:19|20)\d\d\b)", re.IGNORECASE),
]
_TIME = re.compile(
    r"\b\d{1,2}[:.h]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?|\d{1,2}\s*[時시]\s*(?:\d{1,2}\s*[分분])?", re.IGNORECASE
)
_MONTH_WORD = re.compile(r"^(?:" + "|".join(list(MONTHS) + list(OTHER_MONTHS)) + r")\.?$", re.IGNORECASE)
_RELATIVE_AGE = re.compile(r"\b(?:\d+|an?)\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b", re.IGNORECASE)
# "5 min read", "3-minute read": a reading time shown beside a page's date, not a word of the line's own.
_READING_TIME = re.compile(r"\b\d{1,3}\s*[-\u2013]?\s*min(?:ute)?s?\.?\s+read\b", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
_ORDINAL_NUMBER = re.compile(r"^\d{1,4}(?:st|nd|rd|th)?$", re.IGNORECASE)

_CALENDAR_WORD = r"(?!(?:" + "|".join(list(MONTHS) + WEEKDAYS) + r")\b)"
_NAME_WORD = rf"(?:(?i:{_CALENDAR_WORD})[A-Z][\w'\u2019.\-]*|[A-Z]\.|(?:de|da|van|von|der|del|la|le|bin|al|el)(?=\s))"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?:,?\s+and\s+{_NAME})?"
_BYLINE = re.compile(
    rf"^(?:[-\u2013\u2014]\s*)?(?i:by|written\s+by|reporting\s+by|words\s+by|text\s+by|story\s+by|posted\s+by|author)\s*:?\s+"
    rf"(?P<names>{_NAMES})\s*(?P<rest>(?:[|,\u2022\u00b7\-\u2013\u2014]\s*.{{0,60}}|\s+(?:on|at)?\s*\S.{{0,60}})?)$"
)
_NAME_LINE = re.compile(rf"^(?P<names>{_NAMES})$")


def _date_parts_removed(line: str) -> str:
    """The line with its dates, times and relative ages blanked out (dates first: "2019.11.19" is no time "11.19")."""
    for pattern in (_ISO_DATE, _NUMERIC_DATE, _CJK_DATE):
        line = pattern.sub(" ", line)
    mention = first_full_date(line)
    while mention:
        line = line[: mention.start] + " " + line[mention.end :]
        mention = first_full_date(line)
    for pattern in (_RELATIVE_AGE, _READING_TIME, _TIME, *_OTHER_DATES):
        line = pattern.sub(" ", line)
    return line


# A month and a day without a year, either way round (compiled once: this runs on every short line of a page).
_MONTH_THEN_DAY = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?\b", re.IGNORECASE)
_DAY_THEN_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_DATE_LINE_WORD = re.compile(r"[^\W_]+(?:[.'\u2019][^\W_]+)*\.?")


def _has_date(line: str) -> bool:
    # Every form below holds a digit: a line without one (most short lines of a page) is spared the eight searches.
    return _DIGIT.search(line) is not None and bool(
        _ISO_DATE.search(line)
        or _NUMERIC_DATE.search(line)
        or _CJK_DATE.search(line)
        or _RELATIVE_AGE.search(line)
        or first_full_date(line)
        or _other_language_date(line)
        or _MONTH_THEN_DAY.search(line)
        or _DAY_THEN_MONTH.search(line)
    )


def is_date_line(line: str) -> bool:
    """A line that is only a date (and time, time zone, label, maybe the writer's name): page furniture that dates the page."""
    if len(line) > 100 or not _has_date(line) or "(@" in line:
        return False  # "— Jane Roe (@janeroe) November 1, 2019" signs an embedded post, it does not date the page
    rest = _HANDLE.sub(" ", _date_parts_removed(line))
    kept = []
    for word in _DATE_LINE_WORD.findall(rest):
        lowered = word.lower().rstrip(".")
        if lowered in _DATE_LINE_WORDS or _MONTH_WORD.match(word) or _ORDINAL_NUMBER.match(word):
            continue
        kept.append(word)
    if not kept:
        return True
    # "November 12, 2018 | By: Jane Doe", "Jane Doe - Nov 19, 2019, 8:15 pm CST": the writer beside the date
    names = " ".join(word for word in kept if word.lower() not in {"by", "author", "written"})
    return bool(names) and len(names.split()) <= 5 and _NAME_LINE.match(names) is not None


# A label that opens a line, up to three words and a colon ("Deadline:", "Event date:", "Publish date:").
_LEADING_LABEL = re.compile(r"^\W*(?P<label>[^\W\d_]+(?:\s+[^\W\d_]+){0,2})\s*:\s*")
_ABOUT_A_PICTURE = re.compile(r"^\W*(?:file\s+)?(?:image|photo|photograph|picture|video)s?\b", re.IGNORECASE)
_CALENDAR_START = re.compile(r"(?:" + "|".join(list(MONTHS) + WEEKDAYS) + r")\b", re.IGNORECASE)


def dates_something_else(line: str) -> bool:
    """Whether a line's date belongs to something other than the page: a label that is not date-line
    vocabulary right before the date ("When: March 3, 2020", "Deadline: ...", "Video: Nov 18, 2019"), or a
    picture the line is about ("FILE PHOTO: The old pier on March 3, 2018")."""
    if _ABOUT_A_PICTURE.match(line):
        return True
    label = _LEADING_LABEL.match(line)
    if not label or all(word.lower() in _DATE_LINE_WORDS for word in label.group("label").split()):
        return False
    rest = line[label.end() :]
    return rest[:1].isdigit() or _CALENDAR_START.match(rest) is not None or _OTHER_MONTH_START.match(rest) is not None


# A line with this many function words besides its date, time and date-line words is a sentence.
SENTENCE_FUNCTION_WORDS = 2


def reads_like_a_sentence(line: str) -> bool:
    """Whether a short line with a date is a sentence ("The vote on March 3, 2020 will settle the cost"), whose
    date is an event, rather than a meta line ("Jane Roe 19/11/2019 2 comments", "by Example Office / 2019.11.19")."""
    words = [word.lower() for word in re.findall(r"[^\W\d_]+", _date_parts_removed(line))]
    function_words = [word for word in words if word in STOPWORDS and word not in _DATE_LINE_WORDS and word != "by"]
    return len(function_words) >= SENTENCE_FUNCTION_WORDS


@dataclass(frozen=True)
class Byline:
    """The writers a byline names and what follows them on the line (an outlet, a date)."""

    authors: str
    rest: str


def read_byline(line: str) -> Byline | None:
    """The names of a "By …" line and the words after them ("| Fox News", a date), or None."""
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names = match.group("names").strip(" ,")
    rest = match.group("rest").strip(" |,\u2022\u00b7-\u2013\u2014")
    if rest and not (is_date_line(rest) or _outlet_words(rest)):
        return None
    return Byline(_tidy_names(names), rest)


def _outlet_words(text: str) -> bool:
    """A few capitalised words, like an outlet's name ("Fox News", "The Example Times")."""
    words = text.split()
    return len(words) <= 6 and all(word[0].isupper() or word.lower() in {"of", "the", "and", "&", "for"} for word in words)


def is_byline(line: str) -> bool:
    """A "By Jane Doe" line (names only, maybe followed by an outlet or a date)."""
    return len(line) <= 120 and read_byline(line) is not None


def is_name_line(line: str) -> bool:
    """A line of two to five capitalised words and nothing else: a byline without "By" when it sits by a date line."""
    stripped = line.strip()
    return bool(_NAME_LINE.match(stripped)) and 2 <= len(stripped.split()) <= 8 and not _has_date(stripped)


# Writers' names followed by the outlet in capitals, on a byline without "By": "Jane Roe and Li Wei EXAMPLE NEWS".
_NAMES_THEN_CAPITALS = re.compile(r"^(?P<names>.*[a-z].*?)\s+(?P<outlet>[A-Z0-9][A-Z0-9&'\u2019.\-]+(?:\s+[A-Z0-9&][A-Z0-9&'\u2019.\-]*){0,3})$")


def names_and_outlet(line: str) -> tuple[str, str | None]:
    """A name line split into its writers and the outlet written in capitals after them ("Jane Roe EXAMPLE NEWS" ->
    ("Jane Roe", "EXAMPLE NEWS")); a line without such a tail is all names."""
    stripped = line.strip()
    match = _NAMES_THEN_CAPITALS.match(stripped)
    if match and len(match.group("outlet")) >= 3 and _NAME_LINE.match(match.group("names")) and not any(
        word.isupper() and len(word) > 1 for word in match.group("names").split()
    ):
        return match.group("names"), match.group("outlet")
    return stripped, None


def _tidy_names(names: str) -> str:
    """All-capitals names in title case ("JANE DOE" -> "Jane Doe")."""
    return " ".join(word.title() if word.isupper() and len(word) > 1 else word for word in names.split())


def line_date(line: str) -> dt.date | None:
    """The calendar date a date line or byline gives, in any common form, or None."""
    iso = _ISO_DATE.search(line)
    if iso:
        return _date(int(iso.group("year")), int(iso.group("month")), int(iso.group("day")))
    mention = first_full_date(line)
    if mention:
        return _date(mention.year, mention.month, mention.day)
    numeric = _NUMERIC_DATE.search(line)
    if numeric:
        if numeric.group("year"):
            first, second, year = int(numeric.group("first")), int(numeric.group("second")), int(numeric.group("year"))
        else:
            first, second = int(numeric.group("short_first")), int(numeric.group("short_second"))
            year = TWO_DIGIT_YEAR_BASE + int(numeric.group("short_year"))
        if first > 12 >= second:
            return _date(year, second, first)  # 19/11/2019
        if second > 12 >= first:
            return _date(year, first, second)  # 11/19/2019
        return None  # 05/11/2019 could be either: no date rather than a wrong one
    cjk = _CJK_DATE.search(line)
    if cjk:
        return _date(int(cjk.group("year")), int(cjk.group("month")), int(cjk.group("day")))
    return _other_language_date(line)


def line_month_day(line: str) -> tuple[int, int] | None:
    """The month and day of a date line that gives no year ("Posted Nov 19" -> (11, 19)), or None."""
    for pattern in _MONTH_DAY:
        match = pattern.search(line)
        if match and 1 <= int(match.group("day")) <= 31:
            return MONTHS[match.group("month").lower()], int(match.group("day"))
    return None


def _other_language_date(line: str) -> dt.date | None:
    """A date written with a month name of another language ("22 de outubro de 2010"), or None."""
    if not re.search(r"\d", line):
        return None
    for pattern in _OTHER_DATES:
        match = pattern.search(line)
        if match:
            month = OTHER_MONTHS.get(match.group("month").lower().rstrip("."))
            found = _date(int(match.group("year")), month, int(match.group("day")))
            if found:
                return found
    return None


def _date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(year, month, day) if year and month and day else None
    except ValueError:
        return None


# Time zones a page date line names. Fixed abbreviations have one offset; the generic North American
# ones ("ET", "PT") follow daylight saving time, so they are read through the zone database.
_ZONE_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "WIB": 420, "AEST": 600, "AEDT": 660,
}  # fmt: skip
_GENERIC_ZONES = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}
_CLOCK = re.compile(
    r"\b(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?::[0-5]\d)?\s*(?P<half>[ap])?\.?(?:m\b\.?)?"
    r"\s*,?\s*(?P<zone>" + "|".join(sorted(list(_ZONE_OFFSETS) + list(_GENERIC_ZONES), key=len, reverse=True)) + r")?\b",
    re.IGNORECASE,
)
_ISO_INSTANT = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-][01]\d:?[0-5]\d)\b")


def line_instant(line: str) -> str | None:
    """The instant a date line gives when it says the time and its zone ("Nov 19, 2019, 8:15 pm CST" ->
    "2019-11-19T20:15:00-06:00"), so that the publication day can be told in any zone; else None."""
    iso = _ISO_INSTANT.search(line)
    if iso:
        try:
            return dt.datetime.fromisoformat(iso.group().replace("Z", "+00:00")).isoformat()
        except ValueError:
            return None
    day = line_date(line)
    if day is None:
        return None
    for clock in _CLOCK.finditer(line):
        zone = clock.group("zone")
        if not zone or (zone.isalpha() and not zone.isupper()):
            continue  # a zone is written in capitals; "at 5 pm in Paris" names none
        hour, minute = int(clock.group("hour")), int(clock.group("minute"))
        half = (clock.group("half") or "").lower()
        if half and not 1 <= hour <= 12 or hour > 23:
            continue
        if half:
            hour = hour % 12 + (12 if half == "p" else 0)
        local = dt.datetime(day.year, day.month, day.day, hour, minute)
        if zone in _GENERIC_ZONES:
            try:
                return local.replace(tzinfo=ZoneInfo(_GENERIC_ZONES[zone])).isoformat()
            except ZoneInfoNotFoundError:
                return None  # no zone database here: no instant rather than a guessed offset
        return local.replace(tzinfo=dt.timezone(dt.timedelta(minutes=_ZONE_OFFSETS[zone]))).isoformat()
    return None


def is_update_line(line: str) -> bool:
    """A date line that says when the page was changed, not published."""
    return bool(_UPDATED.search(line)) and not _PUBLISHED.search(line)


_PUBLISHED = re.compile(
    r"\b(?:published|posted|publicad[oa]|pubblicat[oa]|veröffentlicht|publié|diterbitkan|опубликовано)\b|입력|公開|配信", re.IGNORECASE
)


def published_part(line: str) -> str:
    """The part of a date line that says when the page was published, where the line also says when it was
    updated, in either order ("Updated: Nov 20, 2019 / Published: Nov 19, 2019" -> "Published: Nov 19, 2019");
    any other line whole. The update's date is not the publication's, whichever comes first."""
    published = _PUBLISHED.search(line)
    updated = _UPDATED.search(line)
    if not published or not updated:
        return line
    if updated.start() > published.start():
        return line[published.start() : updated.start()]
    later_update = _UPDATED.search(line, published.end())
    return line[published.start() : later_update.start() if later_update else len(line)]


# A dateline's date that gives a month and a day only ("LONDON, Nov 19 (Reuters) -").
_MONTH_DAY_ONLY = [
    re.compile(rf"{_MONTH_NAME}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?", re.IGNORECASE),
    re.compile(rf"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}", re.IGNORECASE),
]


def month_day_only(text: str) -> tuple[int, int] | None:
    """(month, day) when `text` is nothing but a month name and a day ("Nov 19", "19 November"), else None."""
    for pattern in _MONTH_DAY_ONLY:
        match = pattern.fullmatch(text.strip(" ,"))
        if match and _date(2000, MONTHS[match.group("month").lower()], int(match.group("day"))):
            return MONTHS[match.group("month").lower()], int(match.group("day"))
    return None


# Wire services named by their dateline abbreviation: "LONDON (AP) —" names the Associated Press.
WIRE_SERVICES = {
    "AP": "Associated Press",
    "AFP": "AFP",
    "Reuters": "Reuters",
    "UPI": "UPI",
    "PTI": "PTI",
    "IANS": "IANS",
    "dpa": "dpa",
}
_ORIGINALLY = re.compile(
    r"\b(?i:originally\s+(?:published|appeared)|first\s+(?:published|appeared)|appeared\s+first|republished|reprinted)"
    r"\s+(?i:on|in|at|by|with\s+permission\s+(?:from|of))\s+(?i:the\s+website\s+of\s+)?(?P<outlet>[A-Z0-9][\w.&'\u2019\- ]{1,50}?)"
    r"\s*(?:[.,;(]|\s+on\s|\s+and\s|$)",
)
_COPYRIGHT_OUTLET = re.compile(
    r"(?:\u00a9|\u24d2|\(c\)|\bcopyright\b)(?:\s*(?:\u00a9|\u24d2|@|\(c\)|\bcopyright\b))*\s*(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?)?\s*,?\s*"
    r"(?P<outlet>[A-Z][\w.&'\u2019\- ]{1,50}?)\s*(?:\s\d{4}\b|[.,|;]|\ball rights\b|$)",
    re.IGNORECASE,
)


def originally_published(line: str) -> str | None:
    """The outlet of an "Originally published on X" / "This article first appeared in X" line."""
    lowered = line.lower()
    if "publish" not in lowered and "appear" not in lowered and "reprint" not in lowered:
        return None  # most lines: skip the pattern (it runs on every line of every document)
    match = _ORIGINALLY.search(line)
    return match.group("outlet").strip() if match and _LETTERS.search(match.group("outlet")) else None


_NOTICE_WORDS = re.compile(r"(?i)(?:copyright|all\s+rights(?:\s+reserved)?)\.?$")  # a copyright notice's own words, not a holder


def copyright_holder(line: str) -> str | None:
    """The holder named by a short copyright line ("© 2019 Example Media. All rights reserved.")."""
    if len(line.split()) > 16:
        return None
    match = _COPYRIGHT_OUTLET.search(line)
    if match and re.match(r"\d{4}\b", match.group("outlet")):
        return None
    if not match:
        return None
    if _PICTURE_CREDIT.search(line):
        return None  # "Image copyright Getty Images" credits a photo, not the page
    holder = match.group("outlet").strip()
    if _NOTICE_WORDS.match(holder):
        return None  # "© 2019 Copyright", "© All rights reserved": the notice names no holder
    return holder if holder.lower() not in {"all", "the"} and _LETTERS.search(holder) else None


_PICTURE_CREDIT = re.compile(r"\b(?:image|images|photo|photos|photograph|picture|pictures|video)\b", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]{2}")
_SOURCE_LABEL = re.compile(r"\b(?i:source)\s*:\s*(?P<outlet>[A-Z][\w.&'\u2019\- ]{1,40}?)\s*(?:[|,;]|$)")


def source_label(line: str) -> str | None:
    """The outlet a metadata line names as its source ("Last Updated: Nov 20, 2019 | Source: Example.com"). A source
    dated after its name ("Source: Example Ministry, March 3, 2019") cites where a quoted claim was made, not the page."""
    match = _SOURCE_LABEL.search(line)
    if not match:
        return None
    rest = line[match.end("outlet"):].lstrip()
    if rest.startswith(",") and line_date(rest[1:].split("|")[0]):
        return None
    return match.group("outlet").strip()


# The site's own name in its page furniture: "More from Example News", "Search Example", "More Great EXAMPLE Stories".
_SITE_PHRASE = re.compile(
    r"^(?i:more\s+from|search|latest\s+from|more\s+great|more\s+on|subscribe\s+to)\s+(?:the\s+)?"
    r"(?P<site>[A-Z][\w.&'\u2019\-]*(?:\s+[A-Z][\w.&'\u2019\-]*){0,3}?)(?:\s+(?i:stories|news|articles|videos))?\s*[.!]?$"
)
# Words after a byline's names that say what the writer is, not where: "Example News Contributor" names Example News.
_ROLE = re.compile(
    r"\s*(?:[-,|]\s*)?\b(?i:senior\s+|chief\s+|staff\s+|contributing\s+|editorial\s+)*"
    r"(?i:contributor|correspondent|reporter|writer|editor|columnist|staff|team)s?\s*$"
)
_EMAIL_DOMAIN = re.compile(r"\b[\w.+\-]+@(?P<domain>[\w\-]+(?:\.[\w\-]+)+)")
_DOMAIN_NAME = re.compile(r"^(?:www\.)?(?P<core>[^\W_][\w\-]*)(?:\.[a-z]{2,6}){1,3}$", re.IGNORECASE)


def site_phrase(line: str) -> str | None:
    """The site named by a furniture phrase ("More from Example News" names Example News), or None."""
    if len(line) > 60:
        return None
    match = _SITE_PHRASE.match(line.strip())
    return match.group("site").strip() if match else None


# A company's legal form after its name ("Example Media GmbH", "Example Inc."): the outlet is the name before it.
_LEGAL_FORM = re.compile(r"(?:,?\s+(?:GmbH|AG|Inc\.?|Ltd\.?|LLC|S\.?A\.?|B\.?V\.?|Co\.|Corp\.?|plc))+\s*$")


def without_legal_form(name: str) -> str:
    """A company's name without its legal form: "Example Media Ltd." -> "Example Media"."""
    return _LEGAL_FORM.sub("", name).strip(" ,")


def without_role(name: str) -> str:
    """An outlet named before a writer's role: "Example News Contributor" -> "Example News"."""
    return _ROLE.sub("", name).strip(" -,|") or name


def email_domains(line: str) -> list[str]:
    """The domains of the e-mail addresses on a line ("news@example.org" -> "example.org")."""
    return [match.group("domain").lower() for match in _EMAIL_DOMAIN.finditer(line)]


def name_for_domain(domain: str, text: str) -> str:
    """The site's name for a domain, as the text spells it: the capitalised words that spell the domain's
    name ("exampletimes.com" -> "Example Times", the most often written spelling), else words whose
    initials spell it ("etn.com" -> "Example Times News"), else the domain itself without "www."
    (no guessed spelling)."""
    match = _DOMAIN_NAME.match(domain.strip())
    if not match:
        return domain
    letters = re.sub(r"[^a-z0-9]", "", match.group("core").lower())
    spellings: list[str] = []
    by_initials: list[str] = []
    for words in re.finditer(r"\b[A-Z0-9][\w'\u2019&\-]*(?:[ \t]+[A-Z0-9][\w'\u2019&\-]*){0,5}", text):
        tokens = words.group().split()
        for first in range(len(tokens)):
            for size in range(len(tokens) - first, 0, -1):
                candidate = tokens[first : first + size]
                if re.sub(r"[^a-z0-9]", "", "".join(candidate).lower()) == letters:
                    the = first > 0 and tokens[first - 1] == "The"  # "The Example Times" for exampletimes.com
                    spellings.append(" ".join(tokens[first - 1 : first + size] if the else candidate))
                    break
                if spells_initials(candidate, letters):
                    by_initials.append(" ".join(candidate))
                    break
    found = spellings or by_initials
    if not found:
        return domain.strip().removeprefix("www.")
    return max(found, key=lambda spelling: (found.count(spelling), -found.index(spelling)))


_NAME_JOINERS = {"of", "the", "and", "&", "for", "de", "do", "da", "del", "la", "le"}


def spells_initials(tokens: list[str], letters: str) -> bool:
    """Whether two words or more spell a domain's name by their initials ("The Example Times" for et)."""
    initials = "".join(token[0].lower() for token in tokens if token.lower() not in _NAME_JOINERS)
    return len(tokens) >= 2 and len(letters) >= 2 and initials == letters and tokens[-1].lower() not in _NAME_JOINERS


# A byline that names no person but the outlet's staff: "Example Weekly Editorial Staff", "By Example News Staff".
_STAFF_BYLINE = re.compile(
    r"^(?i:by\s+)?(?P<outlet>[A-Z0-9][\w.&'\u2019\-]*(?:\s+(?:[A-Z0-9&][\w.&'\u2019\-]*|of|the|and|for)){0,4})\s+"
    r"(?i:(?:staff|editors|team|desk|newsroom)(?:\s+reports?)?)$"
)


def staff_byline(line: str) -> str | None:
    """The outlet named by a staff byline ("Example Weekly Editorial Staff" -> "Example Weekly"), or None."""
    if len(line) > 80:
        return None
    match = _STAFF_BYLINE.match(line.strip())
    if not match:
        return None
    outlet = re.sub(r"\s+(?i:editorial)$", "", match.group("outlet"))
    if outlet.lower() in {"the", "our", "editorial", "news"} or outlet.split()[-1].lower() in _NAME_JOINERS:
        return None
    return outlet


_COPYRIGHT_YEAR = re.compile(r"(?:\u00a9|\(c\)|\bcopyright\b)\D{0,12}(?:(?:19|20)\d\d\s*[-\u2013]\s*)?(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)


def page_year(lines: list[str]) -> int | None:
    """The year a page is from, for a date line that gives none: its copyright year ("\u00a9 2019 Example Media"),
    else the year of the latest full date the page mentions."""
    years = [int(match.group("year")) for line in lines for match in [_COPYRIGHT_YEAR.search(line)] if match]
    if years:
        return max(years)
    days = [day for line in lines for day in [line_date(line)] if day]
    return max(days).year if days else None


# Labels that stand between a registered name and the country code ("example.co.uk", "example.com.br",
# "city.sc.gov.br"): a domain's own name is the label before them.
_GENERIC_SECOND_LEVEL = frozenset("co com net org gov edu ac or ne go mil nic info biz".split())


def registered_domain(host: str) -> str:
    """The name a site registered, without subdomains: "news.example.co.uk" -> "example.co.uk",
    "hosted.example.org" -> "example.org" (no public-suffix list: under a country code, generic and
    two-letter labels count as suffix)."""
    labels = [label for label in host.strip().strip(".").lower().split(".") if label]
    if len(labels) < 2:
        return ".".join(labels)
    position = len(labels) - 1  # the top-level label
    while len(labels[-1]) == 2 and position > 1 and (labels[position - 1] in _GENERIC_SECOND_LEVEL or len(labels[position - 1]) == 2):
        position -= 1  # under a country code only: "example.com.br", "city.sc.gov.br"; "hosted.ex.org" is ex.org
    return ".".join(labels[position - 1 :])


def domain_name_label(host: str) -> str:
    """The registered name's own label: "www.example-news.com" -> "example-news"."""
    return registered_domain(host).split(".")[0]


# A site written as its domain ("Example.com", "ExampleNews.net"), as outlets often name themselves in a copy.
_SITE_DOMAIN = re.compile(r"(?<![\w@/.\-])(?P<site>[^\W_][\w\-]*\.(?:[a-z]{2,3}\.)?[a-zA-Z]{2,4})(?![\w/@\-]|\.\w)")
# A site credited at the start of an article's first paragraph: "Example.net - The council voted ...".
_SITE_CREDIT = re.compile(r"^(?P<site>[^\W_][\w\-]*\.[A-Za-z]{2,4})\s+[-\u2013\u2014]\s+(?=\S)")
MIN_SITE_MENTIONS = 2  # a domain written once is a source the story cites; written again and again, it is the site itself


def site_credit(line: str) -> str | None:
    """The site named at the head of a paragraph ("Example.net - The council ..." -> "Example.net"), or None."""
    match = _SITE_CREDIT.match(line)
    return match.group("site") if match and any(character.isupper() for character in match.group("site")) else None


_DOT_LETTER = re.compile(r"\.[A-Za-z]")  # every domain holds one; a literal start, so the search skips ahead quickly


def _site_domains(text: str) -> Iterator[re.Match]:
    """`_SITE_DOMAIN.finditer(text)`'s matches, except some without a capital (which do not count): looked for only
    in the runs between spaces and newlines that hold a dot before a letter and a capital: a domain holds no space or newline, so such a run
    starts and ends where a scan of the whole text would (the expression tried at every position of a long
    text cost 0.45 of the 100k bench sample's 8 CPU s of analysis)."""
    end = 0
    for hit in _DOT_LETTER.finditer(text):
        if hit.start() < end:
            continue  # in the run just searched
        start = max(text.rfind(" ", 0, hit.start()), text.rfind("\n", 0, hit.start())) + 1
        ends = [position for position in (text.find(" ", hit.end()), text.find("\n", hit.end())) if position >= 0]
        end = min(ends) if ends else len(text)
        if not text[start:end].islower():  # all cased characters lower-case: no capital to count
            yield from _SITE_DOMAIN.finditer(text, start, end)


def repeated_site_domain(text: str) -> str | None:
    """The site a copy names as a domain at least MIN_SITE_MENTIONS times ("... told Example.info ..."), the most
    often named (first named on a tie); a domain written with a capital only, since prose writes sites' names so
    and link texts and addresses are lower-case."""
    counts: dict[str, int] = {}
    for match in _site_domains(text):
        site = match.group("site")
        if any(character.isupper() for character in site) and re.search(r"[^\W\d_]{2}", site.split(".")[0]):
            counts[site] = counts.get(site, 0) + 1
    site, mentions = max(counts.items(), key=lambda item: item[1], default=(None, 0))
    return site if mentions >= MIN_SITE_MENTIONS else None


def spells_abbreviation(name: str, abbreviation: str) -> bool:
    """Whether an agency's name is what its abbreviation stands for ("Example News Agency (ENA)": the initials,
    or the abbreviation written in the name), so that "Visitors (NR): 7 saves" is not read as an agency's credit."""
    initials = "".join(word[0] for word in re.findall(r"[^\W\d_][\w'\u2019\-]*", name) if word.lower() not in _NAME_JOINERS)
    letters = abbreviation.upper()
    return initials.upper() == letters or initials.upper().endswith(letters) or letters.casefold() in name.casefold()


def outlet_key(name: str | None) -> str:
    """An outlet's name reduced to what identifies it, to tell whether two spellings name one outlet: letters and
    digits in lower case, without a leading "The" or a trailing domain ending ("The Example Times",
    "example times" and "ExampleTimes.com" agree; "Example Times Media" does not)."""
    text = unicodedata.normalize("NFKC", name or "").casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"\.(?:[a-z]{2,3}\.)?[a-z]{2,4}$", "", text)
    return re.sub(r"[\W_]+", "", text)
