"""Which line of a saved web copy is its headline: a small fitted scorer over the lines above the prose.

Hand rules for the headline were tuned until they fitted the development pages and then
missed a quarter of unseen ones. Here the rules only propose and describe: every short
line above the article's first prose (and that line itself) is a candidate, described by
general signals (how many of its words the article uses, and that share against the best
candidate's, length, final punctuation, capitals, page interface words, a byline or date line just below, a trail or a label shape, its repetition inside a share widget's line). A linear
model decides; its weights are fitted on the development half of a news-dev folder by
`python -m qa train-title NEWS_DEV` and stored in qa/data/title_model.json, so they can
be read and refitted. Nothing here names an outlet or a page.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.cleaning import INTERFACE_WORDS
from qa.headline import is_breadcrumb, is_metadata_line
from qa.metadata import is_name_line, line_date, staff_byline
from qa.text import analyze, distinct_terms
from qa.weights_file import ModelFileError, read_weights_file

DEFAULT_TITLE_MODEL = Path(__file__).resolve().parent / "data" / "title_model.json"
# Candidates are the non-blank lines this far above the first prose line (and that line itself).
SEARCH_LINES = 40
# A headline is at most this many words.
MAX_WORDS = 30
# Content words of a line below this count weigh less in its share of words the article uses
# (a section label of one or two words shares them by chance).
FULL_WORDS = 4
# The distance to the prose counts up to this many lines: a headline sits a few lines above the prose (a
# byline, a standfirst, share buttons between), and further up only navigation is further away.
HEADER_LINES = 6
# The article's words are read from its first prose lines (a headline's words come early; a long copy stays cheap).
PROSE_LINES = 40
# A line counts as printed again (a share widget's "Share this: <headline>") when it is at least this long.
REPEAT_MIN_CHARACTERS = 12
# How far (non-blank lines) a repetition or a byline / date line is looked for.
REPEAT_SEARCH_LINES = 400
NEIGHBOUR_LINES = 3

FEATURES = (
    "prose_word_share",
    "log_words",
    "at_most_two_words",
    "ends_like_a_sentence",
    "ends_with_colon",
    "all_capitals",
    "title_case_share",
    "metadata_below",
    "metadata_above",
    "is_metadata",
    "log_lines_to_prose",
    "printed_again_within",
    "breadcrumb",
    "has_date",
    "interface_word_share",
    "is_first_prose",
    "separator_marks",
    "share_against_best",
    "names_people_or_staff",
    "log_rank_by_share",
)


@dataclass(frozen=True)
class TitleCandidate:
    """A line that may be the headline: its line number, its text and its features (in FEATURES order)."""

    line_number: int
    text: str
    features: tuple[float, ...]


def _content_words(line: str) -> list[str]:
    return [term for term in analyze(line) if len(term) > 2 and not term.isdigit()]


def title_candidates(lines: Sequence[str], prose: Sequence[bool]) -> list[TitleCandidate]:
    """The candidate headline lines of a copy, with features; `prose[i]` says whether line i was judged prose."""
    non_blank = [number for number, line in enumerate(lines) if line.strip()]
    if not non_blank:
        return []
    position = {number: rank for rank, number in enumerate(non_blank)}
    first_prose = next((number for number in non_blank if prose[number]), non_blank[min(len(non_blank) - 1, SEARCH_LINES)])
    last = position[first_prose]
    if last <= 1:
        return []  # at most one line above the prose (a plain "Title\n\nText" file): nothing to choose between
    prose_lines = [lines[number] for number in non_blank if number >= first_prose and prose[number]][:PROSE_LINES]
    prose_terms = {term for term in distinct_terms(prose_lines) if len(term) > 2 and not term.isdigit()}
    window = non_blank[max(0, last - SEARCH_LINES - NEIGHBOUR_LINES) : last + NEIGHBOUR_LINES + 1]
    metadata = {number: is_metadata_line(" ".join(lines[number].split())) for number in window}
    nearby = [" ".join(lines[number].split()).casefold() for number in non_blank[: last + REPEAT_SEARCH_LINES]]
    rows: list[tuple[int, str, list[float]]] = []
    for number in non_blank[max(0, last - SEARCH_LINES) : last + 1]:
        line = " ".join(lines[number].split())
        words = line.split()
        if len(words) > MAX_WORDS:
            continue
        terms = _content_words(line)
        share = sum(term in prose_terms for term in terms) / len(terms) * min(1.0, len(terms) / FULL_WORDS) if terms else 0.0
        rank = position[number]
        below = non_blank[rank + 1 : rank + 1 + NEIGHBOUR_LINES]
        above = non_blank[max(0, rank - NEIGHBOUR_LINES) : rank]
        long_words = [word for word in re.findall(r"[^\W\d_]+", line) if len(word) > 3]
        key = line.casefold()
        # Printed again inside a longer line ("Share this on: <headline>"), not as a line of its own: a standfirst
        # is often printed again whole as the article's lead.
        printed_within = len(key) >= REPEAT_MIN_CHARACTERS and any(key in other and key != other for other in nearby)
        rows.append((number, line, [
            share,
            math.log1p(len(words)),
            float(len(words) <= 2),
            float(bool(re.search(r"(?<!\.\.)[.!]\s*$", line))),
            float(line.endswith(":")),
            float(line.isupper()),
            sum(word[0].isupper() for word in long_words) / len(long_words) if long_words else 0.0,
            float(any(metadata.get(other, False) for other in below)),
            float(any(metadata.get(other, False) for other in above)),
            float(metadata.get(number, False)),
            math.log1p(min(last - rank, HEADER_LINES)),
            float(printed_within),
            float(is_breadcrumb(line)),
            float(line_date(line) is not None),
            _interface_share(line),
            float(number == first_prose),
            float(bool(re.search(r"[|\u00bb>]", line))),
        ]))  # fmt: skip
    best = max((features[0] for _, _, features in rows), default=0.0) or 1.0
    by_share = sorted(range(len(rows)), key=lambda index: -rows[index][2][0])
    rank_by_share = {index: place for place, index in enumerate(by_share)}
    candidates = []
    for index, (number, line, features) in enumerate(rows):
        features += [
            features[0] / best,
            float(is_name_line(line) or staff_byline(line) is not None),
            math.log1p(rank_by_share[index]),
        ]
        candidates.append(TitleCandidate(number, line, tuple(features)))
    return candidates


def _interface_share(line: str) -> float:
    """The share of a line's words that name parts of a web page ("Share this on ...", "Sign in")."""
    words = [word.lower() for word in re.findall(r"[^\W\d_]+", line)]
    return sum(word in INTERFACE_WORDS for word in words) / len(words) if words else 0.0


@dataclass(frozen=True)
class TitleModel:
    """Weights of the headline scorer, one per feature."""

    weights: tuple[float, ...]

    def score(self, candidate: TitleCandidate) -> float:
        return sum(weight * value for weight, value in zip(self.weights, candidate.features, strict=True))


class TitleModelError(ModelFileError):
    """The title model's weights file is missing, unreadable or for other features (not a bad document: a
    ValueError from reading a document means the document is unusable)."""


@functools.lru_cache(maxsize=4)
def load_title_model(path: Path = DEFAULT_TITLE_MODEL) -> TitleModel:
    """The title model of a weights file (cached: read once)."""
    data = read_weights_file(path, "title model", TitleModelError)
    if tuple(data.get("features", ())) != FEATURES:
        raise TitleModelError(f"the title model {path} was fitted on other features; refit it with `python -m qa train-title`")
    return TitleModel(tuple(float(data["weights"][name]) for name in FEATURES))


def choose_title(lines: Sequence[str], prose: Sequence[bool], model: TitleModel | None = None) -> int | None:
    """The line number of the headline by the fitted scorer, or None when the copy has no candidate."""
    candidates = title_candidates(lines, prose)
    if not candidates:
        return None
    model = model or load_title_model()
    return max(candidates, key=model.score).line_number
