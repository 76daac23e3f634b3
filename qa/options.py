"""Options: which answers a reply shows beside the best one.

Two articles reporting two meetings, or two sources that disagree, should both be shown, each with its
own citations. Whether another answer was shown hung on its share of the candidate scorer's softmax
(at least 0.45 of the best's); the softmax splits a question's probability among all its answers by
amounts every refit reshapes, so one refit showed the seeds' two meetings and the next did not.

Another answer is now shown when two things hold, neither of them a share of that softmax:

1. **That source, asked on its own, answers with it confidently.** For each other source (a
   syndicated copy counts with its source), its evidence alone is ranked again as if the corpus were
   that source (`alone`: the features comparing a sentence with the best retrieved one are taken
   against the source's own best), and the answerer's own decision is taken on it: its best answer, the
   calibrated answerability probability (qa.answerability) at least the reply's decline threshold, no
   rule declining. The answer is that source's own best, not whichever answer comes second overall.
2. **Its sentence is as much about what is asked** (`may_show`), by the sentence ranking of
   qa.ranking, whose weights no refit of the answer model changes: for a date, within
   OPTION_RANK_MARGIN of the best sentence (another account of the event asked about, not a date of
   something else beside the same names); for another answer, ranked at least as high as the best
   answer's sentence (sources that say the same and disagree, not a weaker sentence's phrase of the
   right type). It must also be a new answer (`new_answer`), from another document.

Measured (README, "Several answers"): the source-alone probability by itself does not tell a right
second answer from a wrong one (a lone "since 2019" beside the asked names scores 0.43, one source
having few candidates to share its probability with), hence the second condition. Inference stays dot
products over features already measured: a source's answer is judged only when its sentence was one
the answerer parsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from qa.extract import is_city_in
from qa.question import Question
from qa.results import RetrievedSentence
from qa.text import tokenize

if TYPE_CHECKING:  # the answerer's dataclasses; the answerer imports this module
    from qa.answerer import Group, Measured

# Another article's date is another account of the event asked about when its sentence ranks (qa.ranking,
# whose weights no refit of the answer model changes) within OPTION_RANK_MARGIN of the best sentence: a
# date another article gives in a sentence about something else is not, even beside the same names
# ("… who has lived in Vienna since 2019, met …").
OPTION_RANK_MARGIN = 1.0
MAX_OPTIONS = 3
# The answer types whose replies may show several answers (a description, a reason or a yes/no has one).
TYPES_WITH_OPTIONS = frozenset({"DATE", "PLACE", "PERSON", "ORGANIZATION", "NUMBER"})


def source_of(sentence: RetrievedSentence) -> str:
    """The independent source a sentence counts as: its story's source for a syndicated copy, else its document."""
    return sentence.source or sentence.doc


def alone(measured: Measured, source: str, missing_words: Callable[[Question, Sequence[RetrievedSentence]], list[str]]) -> Measured:
    """The question's measured candidates as if the corpus were one source: its sentences and evidence only,
    with the features that compare a sentence with the best one (rank gap, top sentence, BM25 share)
    taken against the source's own best sentence. Dates already compare with their own article's best."""
    sentences = [sentence for sentence in measured.sentences if source_of(sentence) == source]
    rows = {sentence.row for sentence in sentences}
    best_rank = max((rank for row, rank in measured.ranks.items() if row in rows), default=0.0)
    best_retrieval = max((sentence.score for sentence in sentences), default=1.0) or 1.0
    dates = measured.question.answer_type in {"DATE", "DURATION"}
    evidence = []
    for item in measured.evidence:
        if item.sentence.row not in rows:
            continue
        gap = min(0.0, item.rank - best_rank)
        features = item.features | {
            "rank_gap_across_documents": gap,
            "top_sentence": float(item.rank >= best_rank),
            "retrieval": item.sentence.score / best_retrieval,
        }
        if not dates:
            features["rank_gap"] = gap
        evidence.append(replace(item, features=features))
    return replace(
        measured,
        sentences=sentences,
        evidence=evidence,
        coverages={row: share for row, share in measured.coverages.items() if row in rows},
        ranks={row: rank for row, rank in measured.ranks.items() if row in rows},
        matched={row: words for row, words in measured.matched.items() if row in rows},
        missing=missing_words(measured.question, sentences),
    )


def other_sources(measured: Measured, best: Group) -> list[str]:
    """The sources with a parsed candidate (a sentence among the best-ranked ones), best-ranked first,
    other than the source of the best answer's first sentence."""
    first = source_of(best.evidence[0].sentence)
    ranks: dict[str, float] = {}
    for item in measured.evidence:
        source = source_of(item.sentence)
        if item.features.get("annotated") and source != first:
            ranks[source] = max(item.rank, ranks.get(source, item.rank))
    return sorted(ranks, key=lambda source: -ranks[source])


def same_event(group: Group, best_rank: float) -> bool:
    """Whether another article's date is likely its account of the event asked about: its sentence ranks
    near the best sentence (the rank is evidence about the question, not a fitted weight)."""
    return max(item.rank for item in group.evidence) >= best_rank - OPTION_RANK_MARGIN


def may_show(question: Question, group: Group, best: Group, best_rank: float) -> bool:
    """The structural conditions for showing `group` beside `best`: it comes from another document, and
    its sentence is as much about what is asked. A date (another event, or sources that disagree on the
    day) must not come only from the best answer's sentences and must sit in a likely account of the
    event asked about (`same_event`); another answer must share no sentence with the best one and its
    sentence must rank (qa.ranking) at least as high as the best answer's: a disagreement between sources
    that say the same about the question, not a weaker sentence's phrase of the right type."""
    if question.answer_type not in TYPES_WITH_OPTIONS:
        return False
    rows = {item.sentence.row for item in group.evidence}
    best_rows = {item.sentence.row for item in best.evidence}
    if not {item.sentence.doc for item in group.evidence} - {item.sentence.doc for item in best.evidence}:
        return False
    if question.answer_type == "DATE":
        return not rows <= best_rows and same_event(group, best_rank)
    return not rows & best_rows and max(item.rank for item in group.evidence) >= best.evidence[0].rank


def period(iso: str) -> tuple[dt.date, dt.date]:
    """The first and last day an ISO date of any precision covers: a day, a week ("2024-W09"), a month,
    a year, a decade ("1990s") or a span of years ("1450/1620")."""
    if "/" in iso:
        first, last = (int(part) for part in iso.split("/"))
        return dt.date(max(1, first), 1, 1), dt.date(max(1, last), 12, 31)
    if iso.endswith("s"):
        return dt.date(int(iso[:4]), 1, 1), dt.date(int(iso[:4]) + 9, 12, 31)
    if "-W" in iso:
        year, week = iso.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1), dt.date.fromisocalendar(int(year), int(week), 7)
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 3:
        return dt.date(*parts), dt.date(*parts)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return dt.date(parts[0], parts[1], 1), following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _span(group: Group) -> tuple[dt.date, dt.date]:
    periods = [period(item.candidate.normalized) for item in group.evidence]
    return min(start for start, _ in periods), max(end for _, end in periods)


def new_answer(question: Question, group: Group, shown: Sequence[Group]) -> bool:
    """Whether `group` says something the shown answers do not. A date whose days overlap a shown one's
    is the same account told more or less precisely ("5 November 2023" beside "early November 2023"; two
    different days are two events, or sources that disagree); another answer whose words hold a shown
    one's, or are held by them ("Jane Roe" and "Ms Jane Roe said"), or a place a shown place lies in or
    holds ("Lyon" and "France"), names the same thing."""
    if any(group is other for other in shown):
        return False
    if question.answer_type == "DATE":
        start, end = _span(group)
        return all(end < other_start or other_end < start for other_start, other_end in map(_span, shown))
    words = set(tokenize(group.label))
    for other in shown:
        other_words = set(tokenize(other.label))
        if words <= other_words or other_words <= words or is_city_in(group.label, other.label) or is_city_in(other.label, group.label):
            return False
    return True


def options_to_show(question: Question, groups: list[Group], alternatives: Sequence[Group]) -> list[Group]:
    """The best group, then the `alternatives` (the answers other sources give confidently on their own,
    among the question's groups, most confident first) that are new answers and that `may_show` allows,
    up to MAX_OPTIONS."""
    best = groups[0]
    shown = [best]
    best_rank = max(item.rank for group in groups for item in group.evidence)
    for group in alternatives:
        if len(shown) >= MAX_OPTIONS:
            break
        if new_answer(question, group, shown) and may_show(question, group, best, best_rank):
            shown.append(group)
    return shown
