"""Scoring, aggregation, conflicts and abstention: retrieved sentences + a question -> an Answer.

Pure: no index, no I/O. Each answer keeps the sentences that support it, and the
first citation of a typed answer is a sentence in which the answer's words appear
(with their offsets), so a citation cannot fail to support its answer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.dates import MONTH_NAMES, human_date
from qa.extract import Candidate, extract, is_city_in
from qa.matching import (
    alternatives,
    capitalised_words,
    coverage,
    entity_factor,
    entity_stems,
    entity_tokens,
    sentence_tokens,
    share_of,
    term_weights,
)
from qa.question import FRAME_WORDS, Question
from qa.ranking import sentence_scores
from qa.results import Answer, AnswerOption, Citation, RetrievedSentence
from qa.spans import phrase_candidates
from qa.text import stem, tokenize

# Below this confidence the answerer declines (tuned on tests/canned_questions.json; see README).
DEFAULT_THRESHOLD = 0.3
# Candidates from a sentence are scaled by exp(this * (its rank score - the best sentence's)), see
# qa.ranking; a date's sentence is compared with the best date sentence of its own article.
RANK_SHARPNESS = 1.3
# Untyped phrases (qa.spans) join the candidates of these answer types with this strength, and the
# shape they should have; dates and durations have their own extractors, descriptions theirs.
PHRASE_STRENGTH = {"OTHER": 0.9, "PERSON": 0.45, "PLACE": 0.7, "ORGANIZATION": 0.45, "NUMBER": 0.45}
# Phrases are looked for only in sentences matching the question nearly as well as the best one
# (fast, and a phrase from a weaker sentence could not win anyway).
PHRASE_MIN_RANK_FACTOR = 0.1
PHRASE_SHAPES = {"PERSON": "NAME", "PLACE": "NAME", "ORGANIZATION": "NAME", "NUMBER": "NUMBER"}
# The pipeline's threshold, as a share of the default, for questions whose words all occur in the
# retrieved sentences (SQuAD: 17% declined instead of 36%; the canned declines stay declined).
COVERED_THRESHOLD_SHARE = 0.6
# An alternative answer is shown beside the best one when it scores at least this share of it.
OPTION_SHARE = 0.45
# Another article's date is another account of the event when its sentence ranks (qa.ranking) within
# OPTION_RANK_MARGIN of the best sentence or shares SAME_EVENT_SHARED_NAMES capitalised names with it:
# a date another article gives in a sentence about something else is not (dates are ranked per article)
OPTION_RANK_MARGIN = 1.0
SAME_EVENT_SHARED_NAMES = 2
# A city replaces the country it is in as the answer when it scores at least this share of it.
CITY_OVER_COUNTRY_SHARE = 0.5
MAX_OPTIONS = 3
RELATED = 3

NEGATIONS = frozenset("not no never n't denies denied deny refused refuses rejects rejected declined without nor neither".split())
SPEECH_WORDS = frozenset(stem(word) for word in "say said tell told state declare warn call called describe".split())
PLAIN_NEGATIONS = frozenset("not no never nt n't didnt doesnt dont isnt wasnt werent arent hasnt havent hadnt".split())
# Question words asking for the first or the last year of a span ("born", "founded"; "died", "ended").
STARTING_STEMS = frozenset(stem(word) for word in "begin began start started found founded born birth establish established open opened create created launch launched first".split())
ENDING_STEMS = frozenset(stem(word) for word in "end ended die died death fall fell finish finished complete completed close closed dissolve dissolved collapse collapsed last".split())
PARTS_OF_YEAR = frozenset("early mid late end beginning start middle spring summer autumn winter".split())
TYPE_WORDS = {
    "DATE": "date", "PLACE": "place", "PERSON": "person", "ORGANIZATION": "organisation", "NUMBER": "number",
    "DURATION": "length of time", "DESCRIPTION": "description", "REASON": "reason", "YESNO": "statement", "OTHER": "answer",
}  # fmt: skip
REASON_CUES = re.compile(
    r"\b(?:because(?: of)?|due to|in order to|so as to|so that|aimed to|aiming to|aims to|in response to|as a result of|to (?=[a-z]+\b))\s*",
)


@dataclass(frozen=True)
class Evidence:
    """One sentence supporting a candidate, with the candidate's span in it and its score."""

    sentence: RetrievedSentence
    candidate: Candidate
    score: float
    rank: float = 0.0  # the sentence's rank score (qa.ranking): the first citation is the best-ranked


@dataclass(frozen=True)
class Group:
    """Candidates that are the same answer (same normalised form, or dates of one event)."""

    label: str
    normalized: str
    score: float
    evidence: tuple[Evidence, ...]
    note: str | None = None


# ---------------------------------------------------------------- matching


def _repeats_question(candidate: Candidate, question: Question) -> bool:
    """True when the candidate is (part of) the question's own words: never an answer."""
    question_tokens = set(tokenize(question.text))
    candidate_tokens = [token for token in tokenize(candidate.text) if token not in {"the", "of", "al"}]
    if not candidate_tokens:
        return True
    if candidate.kind in {"PLACE", "PERSON", "ORGANIZATION"}:
        return any(token in question_tokens for token in candidate_tokens)
    if candidate.kind == "OTHER":
        return sum(token in question_tokens for token in candidate_tokens) * 2 > len(candidate_tokens)
    if candidate.kind == "DATE":
        return candidate.text.lower() in question.text.lower()
    if candidate.kind == "NUMBER":
        return all(token in question_tokens for token in candidate_tokens)  # "in 9 matches" of the question
    return False


def _proximity(candidate: Candidate, text: str, tokens: Sequence[tuple[int, int, str]], matched: set[str], entity_stems: set[str], main_words: set[str]) -> float:
    """1 when the candidate sits next to the question's main word (its verb, usually), else next to
    its other non-entity words, falling with distance."""
    positions = [i for i, (start, _, _) in enumerate(tokens) if candidate.start <= start < candidate.end]
    if not positions:
        return 0.5
    anchors = [i for i, (_, _, token) in enumerate(tokens) if token in main_words and not candidate.start <= tokens[i][0] < candidate.end]
    # a main word next to another question word ("head … of the agency") beats one standing alone
    related = [i for i in anchors if any(tokens[j][2] in matched and tokens[j][2] not in main_words for j in range(max(0, i - 6), min(len(tokens), i + 7)))]
    anchors = related or anchors
    anchors = anchors or [i for i, (_, _, token) in enumerate(tokens) if token in matched and token not in entity_stems]
    anchors = anchors or [i for i, (_, _, token) in enumerate(tokens) if token in matched]
    if not anchors:
        return 0.3
    # an answer after the verb ("met … in Geneva") is a little closer than one before it
    # and one in another clause (across a comma) is further than its word count says
    def distance(position: int, anchor: int) -> float:
        low, high = sorted((position, anchor))
        between = text[tokens[low][1] : tokens[high][0]]
        # an apposition ("leader, Sheikh X") is not a clause break; ", had met" is
        words = re.findall(r"[\w’'-]+", between)
        apposition = all(word[0].isupper() or word.lower() in {"the", "a", "an", "of"} for word in words)
        clauses = 0 if apposition else between.count(",") + between.count(";")
        return (abs(position - anchor) + 3 * clauses) * (0.8 if anchor < position else 1.0)

    nearest = min(distance(position, anchor) for position in positions for anchor in anchors)
    return 1.0 / (1.0 + nearest / 5.0)


_CLAUSE_BREAK = re.compile(r"[;:()\"“”]|,(?!\s*$)")  # a comma just before the name is an apposition, not a break
_APPOSITION_AFTER = re.compile(r",\s+([^,;:()]{1,60})")


def _description_factor(candidate: Candidate, sentence: str, weights: dict[str, float]) -> float:
    """Up to 2 when the words right around a name describe it with the question's words:
    "the country's chief justice, Carl Holm" or "Carl Holm, the country's chief justice" for
    "Who is the country's chief justice?"."""
    before = _CLAUSE_BREAK.split(sentence[max(0, candidate.start - 60) : candidate.start])[-1]
    after = _APPOSITION_AFTER.match(sentence[candidate.end :])
    words = tokenize(before)[-5:] + (tokenize(after.group(1))[:6] if after else [])
    described = {stem(word) for word in words}
    return 1.0 + share_of({term: 1.0 for term in weights if term in described}, weights)


def _cue_factor(candidate: Candidate, sentence: str, question: Question) -> float:
    """Local evidence that the span answers this kind of question ("based in X", "since 2019")."""
    before = sentence[max(0, candidate.start - 40) : candidate.start].lower()
    factor = 1.0
    if candidate.kind == "PLACE":
        if re.search(r"\b(?:in|at|near)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", before):
            factor *= 1.15
        elif re.search(r"\b(?:from|to|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", before):
            factor *= 1.05
        after = sentence[candidate.end : candidate.end + 60]
        if re.match(r"(?:’s|'s|’)\s", after):
            factor *= 0.6  # "France's leader": a possessive names an owner, not where something happened
        if "base" in question.expanded_terms and after.startswith("-based"):
            # "the Paris-based TV channel X" says where X is based, not anything else in the sentence
            described = set(tokenize(" ".join(after.split()[:6])))
            factor *= 1.4 if described & entity_tokens(question) else 0.7
        elif "base" in question.expanded_terms and (re.search(r"\bbased in\b", before) or re.match(r",?\s+where\b[^.]{0,40}\bbased\b", after)):
            factor *= 1.4
        elif "base" in question.expanded_terms and "-based" in sentence and not re.search(r"(?<![-\w])based\b", sentence):
            factor *= 0.7  # the sentence's only "based" is another thing's ("a Paris-based channel")
        if question.answer_noun in {"country", "countries", "nation"} and candidate.note not in {"country", None}:
            factor *= 0.6
        if question.answer_noun in {"city", "cities", "town", "capital"} and candidate.note == "country":
            factor *= 0.6
    if candidate.kind == "DATE":
        starting = {"begin", "began", "start", "first"} & set(question.content_words)
        asks_end = bool(ENDING_STEMS & set(question.terms))
        asks_start = bool(STARTING_STEMS & set(question.terms))
        if candidate.precision == "range" and (asks_end or asks_start):
            factor *= 0.5  # "when did X end?" asks for one end of "1450–1620", not the span
        elif candidate.note == "range end":
            factor *= 1.3 if asks_end else 1.0
        elif candidate.note == "range start":
            factor *= 1.3 if asks_start else 1.0
        if re.search(r"\bsince\s*$", before) and not question.wants_start and not starting:
            factor *= 0.3
        elif re.search(r"\bsince\s*$", before) and question.wants_start:
            factor *= 1.5
        if question.wants_year and candidate.precision not in {"year", "month", "day"}:
            factor *= 0.7
    if candidate.kind == "NUMBER":
        wanted = alternatives(stem(question.answer_noun)) if question.answer_noun else set()
        if wanted:
            counted = {stem(token) for token in tokenize(candidate.counted or "")}
            earlier = {stem(token) for token in tokenize(sentence[max(0, candidate.start - 90) : candidate.start])}
            factor *= 1.5 if counted & wanted else 1.1 if earlier & wanted else 0.5
        # the words right after a number are what it counts: "made three saves" answers
        # "How many times did … make saves?" even though the noun after "how many" is "times"
        others = set(question.terms) - wanted - entity_stems(question)
        following = {stem(token) for token in tokenize(" ".join((candidate.counted or "").split()[:2]))}
        factor *= 1.4 if following & others else 1.0
    if candidate.kind == "DURATION" and question.wants_start:
        factor *= 0.5
    if candidate.kind == "PERSON" and question.main_word:
        # "X, the head of Y": a person defined by the question's role word in an apposition
        role = re.match(r",\s+(?:the|a|an|its|his|her)\s+(?:[\w-]+\s+){0,2}?([\w-]+)", sentence[candidate.end :])
        if role and stem(role.group(1).lower()) in alternatives(question.main_word):
            factor *= 1.4
        # the subject of the question's verb: "X, <apposition>, said …"
        rest = re.sub(r"^,[^,]{0,120},", "", sentence[candidate.end :]).lower()
        verb = re.match(r"\s*(?:had\s+|has\s+|have\s+|was\s+|were\s+|is\s+)?([\w’']+)", rest)
        if verb and stem(verb.group(1)) in alternatives(question.main_word):
            factor *= 1.4
    if candidate.kind == "OTHER" and question.main_word in SPEECH_WORDS:
        factor *= 1.5 if candidate.strength >= 0.9 else 0.5  # quotes answer "what did X say"
    if candidate.kind == "OTHER" and question.answer_noun:
        factor *= 1.3 if stem(question.answer_noun) in {stem(token) for token in tokenize(candidate.text)} else 0.8
    return factor


def _fits_date_constraints(candidate: Candidate, question: Question) -> bool:
    """A year or month named in the question ("in 2024", "in June") must be the answer's."""
    if candidate.kind != "DATE":
        return True
    middle = _midpoint(candidate.normalized)
    if question.years and middle.year not in question.years and not candidate.normalized.startswith(tuple(str(year) for year in question.years)):
        return False
    return not (question.months and candidate.precision != "year" and middle.month not in question.months)


# ---------------------------------------------------------------- candidates


def _candidates(question: Question, sentence: RetrievedSentence, known_surnames: frozenset[str], known_organizations: frozenset[str] = frozenset()) -> list[Candidate]:
    kinds = [question.answer_type]
    if question.answer_type == "DURATION" and question.wants_start:
        kinds = ["DATE", "DURATION"]
    found = []
    for kind in kinds:
        for candidate in extract(kind, sentence.text, sentence.date, question.focus, known_surnames, known_organizations):
            found.append(candidate)
    if question.answer_type == "PERSON":
        # "who" also asks for agents that are organisations or countries ("Who supports X?")
        for kind, strength in (("ORGANIZATION", 0.6), ("PLACE", 0.5)):
            for candidate in extract(kind, sentence.text, sentence.date, None, known_surnames, known_organizations):
                if kind == "ORGANIZATION" or candidate.note == "country":
                    found.append(replace(candidate, kind="PERSON", strength=candidate.strength * strength))
    if question.answer_type == "OTHER":
        if question.answer_noun:
            found.extend(extract("OTHER_NOUN", sentence.text, None, question.answer_noun))
        last = _last_content_stem(question)
        if last:
            found.extend(extract("OTHER_OBJECT", sentence.text, None, last))
    if question.answer_type == "DURATION" and question.wants_start:
        found = [candidate for candidate in found if candidate.kind == "DURATION" or re.search(r"\bsince\s*$", sentence.text[: candidate.start])]
    return found


def _phrases(question: Question, sentence: RetrievedSentence) -> list[Candidate]:
    """Untyped phrases: the answer when no extractor knows its type, weaker than a typed candidate."""
    if question.answer_type not in PHRASE_STRENGTH:
        return []
    return phrase_candidates(sentence.text, question.text, PHRASE_SHAPES.get(question.answer_type), PHRASE_STRENGTH[question.answer_type])


def _last_content_stem(question: Question) -> str | None:
    """The question's last content word outside names: the verb of "What did X surpass?"."""
    entity_words = entity_tokens(question)
    words = [word for word in question.content_words if word not in entity_words and word != question.answer_noun]
    return stem(words[-1]) if words else None


def _date_words(question: Question, sentence: RetrievedSentence) -> set[str]:
    """Year and month words of the dates a sentence states, resolved ("on Sunday" -> 2023, november),
    so that a question naming a month or year matches a sentence that says it another way."""
    if not (question.years or question.months):
        return set()
    words = set()
    for candidate in extract("DATE", sentence.text, sentence.date):
        middle = _midpoint(candidate.normalized)
        words.add(str(middle.year))
        if candidate.precision in {"day", "week", "month"}:
            words.add(stem(MONTH_NAMES[middle.month].lower()))
    return words


def _known_surnames(sentences: Sequence[RetrievedSentence]) -> frozenset[str]:
    """Last words of multi-word person names seen in the retrieved sentences ("Merkel")."""
    surnames = set()
    for sentence in sentences:
        for candidate in extract("PERSON", sentence.text):
            words = candidate.text.split()
            if len(words) >= 2:
                surnames.add(words[-1])
    return frozenset(surnames)


@dataclass(frozen=True)
class _MeasuredSentence:
    """How a retrieved sentence matches the question, and its typed candidates."""

    sentence: RetrievedSentence
    tokens: tuple[tuple[int, int, str], ...]
    share: float  # weighted coverage of the question's terms
    matched: set[str]
    retrieval: float  # 0.75 to 1, by BM25 relative to the best sentence
    names: float  # qa.matching.entity_factor
    candidates: list[Candidate]
    date_words: set[str]


def score_candidates(
    question: Question,
    sentences: Sequence[RetrievedSentence],
    weights: dict[str, float],
    idf: dict[str, float],
    known_names: frozenset[str] = frozenset(),
    known_organizations: frozenset[str] = frozenset(),
) -> tuple[list[Evidence], dict[int, float], dict[int, float]]:
    """Every typed candidate in the retrieved sentences with its score; each sentence's coverage and rank score (by row)."""
    best_retrieval = max((sentence.score for sentence in sentences), default=1.0) or 1.0
    name_stems = entity_stems(question)
    main_word = question.main_word or (stem(question.answer_noun) if question.answer_noun else None)
    main_words = alternatives(main_word) if main_word else set()
    surnames = (_known_surnames(sentences[:10]) | known_names) if question.answer_type in {"PERSON", "OTHER"} else frozenset()
    coverages = {}
    measured: list[_MeasuredSentence] = []
    for sentence in sentences:
        tokens = sentence_tokens(sentence.text)
        context = {token for _, _, token in sentence_tokens(sentence.context)} | {token for _, _, token in sentence_tokens(sentence.title)}
        date_words = _date_words(question, sentence)
        share, matched = coverage(question, weights, {token for _, _, token in tokens} | date_words, context)
        coverages[sentence.row] = share
        if share <= 0:
            continue
        candidates = [
            candidate
            for candidate in _candidates(question, sentence, surnames, known_organizations)
            if not _repeats_question(candidate, question) and _fits_date_constraints(candidate, question)
        ]
        measured.append(
            _MeasuredSentence(
                sentence, tokens, share, matched,
                retrieval=0.75 + 0.25 * sentence.score / best_retrieval,
                names=entity_factor(question, set(tokenize(sentence.text)), set(tokenize(sentence.context)) | set(tokenize(sentence.title))),
                candidates=candidates,
                date_words=date_words,
            )
        )  # fmt: skip
    # A candidate in a sentence that matches the question much worse than the best sentence
    # rarely answers it: scale by the sentence's rank score relative to the best one.
    ranks = sentence_scores(
        question,
        [item.sentence for item in measured],
        weights,
        idf,
        [max((candidate.strength for candidate in item.candidates), default=0.0) for item in measured],
        [item.names for item in measured],
        [item.date_words for item in measured],
    )
    best_rank = max(ranks, default=0.0)
    # Dates are compared with the best sentence of their own article that states a date: two
    # meetings reported by two articles are both answers.
    best_in_document: dict[str, float] = {}
    for item, rank in zip(measured, ranks):
        if item.candidates:
            best_in_document[item.sentence.doc] = max(rank, best_in_document.get(item.sentence.doc, -math.inf))
    dates = question.answer_type in {"DATE", "DURATION"}
    scored = []
    for item, rank in zip(measured, ranks):
        sentence, candidates = item.sentence, item.candidates
        best = best_in_document.get(sentence.doc, rank) if dates else best_rank
        rank_factor = math.exp(RANK_SHARPNESS * min(0.0, rank - best))
        if rank_factor >= PHRASE_MIN_RANK_FACTOR:
            candidates = candidates + [candidate for candidate in _phrases(question, sentence) if not _repeats_question(candidate, question)]
        for candidate in candidates:
            proximity = _proximity(candidate, sentence.text, item.tokens, item.matched, name_stems, main_words)
            score = item.share**1.5 * (0.55 + 0.45 * proximity) * candidate.strength * item.retrieval * item.names * _cue_factor(candidate, sentence.text, question)
            if question.answer_type == "PERSON":
                score *= _description_factor(candidate, sentence.text, weights)
            scored.append(Evidence(sentence, candidate, score * rank_factor, rank))
    return scored, coverages, {item.sentence.row: rank for item, rank in zip(measured, ranks)}


# ---------------------------------------------------------------- grouping


def _midpoint(iso: str) -> dt.date:
    if "/" in iso:  # an ISO 8601 interval of years: a century or a span of years
        first, last = (int(part) for part in iso.split("/"))
        return dt.date(max(1, (first + last) // 2), 7, 1)
    if iso.endswith("s"):
        return dt.date(int(iso[:4]) + 5, 1, 1)
    if "-W" in iso:
        year, week = iso.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 4)
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(parts[0], 7, 1)


def _date_event_key(candidate: Candidate) -> str:
    """Dates of one event share a key: the month of their midpoint (years stay apart)."""
    if candidate.precision in {"year", "decade", "century", "range"}:
        return candidate.normalized
    middle = _midpoint(candidate.normalized)
    return f"{middle.year:04d}-{middle.month:02d}"


def _date_label(evidence: list[Evidence]) -> tuple[str, str]:
    """A readable date for an event's candidates, at the precision they agree on."""
    candidates = [item.candidate for item in evidence]
    days = {candidate.normalized for candidate in candidates if candidate.precision == "day"}
    if len(days) == 1 and all(candidate.precision == "day" for candidate in candidates):
        day = days.pop()
        return human_date(day), day
    top = candidates[0]
    if top.precision in {"year", "month"} and not top.relative and top.note in PARTS_OF_YEAR:
        return top.text, top.normalized  # "late 1987", "the spring of 1712": as written
    if top.precision == "year":
        return top.normalized, top.normalized
    if top.precision == "decade":
        part = next((item.candidate.note for item in evidence if item.candidate.note), None)
        return (f"{part} {top.normalized}" if part else f"the {top.normalized}"), top.normalized
    if top.precision in {"century", "range"}:
        return top.text, top.normalized
    middles = [_midpoint(candidate.normalized) for candidate in candidates if candidate.precision in {"day", "week"}]
    month_key = _date_event_key(top)
    year, month = (int(part) for part in month_key.split("-"))
    if len(days) == 1 and not middles[1:]:
        day = days.pop()
        return human_date(day), day
    if middles and max(middles) - min(middles) > dt.timedelta(days=10):
        return f"{MONTH_NAMES[month]} {year}", month_key
    if middles:
        mean_day = sum(middle.day for middle in middles) / len(middles)
        part = "early" if mean_day <= 10 else "mid" if mean_day <= 20 else "late"
        return f"{part} {MONTH_NAMES[month]} {year}", month_key
    qualifiers = {item.candidate.note.split(" — ")[1].split(",")[0].split()[0] for item in evidence if item.candidate.note and " — " in item.candidate.note}
    qualifier = next((word for word in qualifiers if word in {"early", "mid", "late", "end", "beginning", "start"}), None)
    label = f"{MONTH_NAMES[month]} {year}"
    return (f"{qualifier} {label}" if qualifier else label), month_key


def group_candidates(question: Question, evidence: list[Evidence]) -> list[Group]:
    """Merge candidates naming the same answer; several documents agreeing make it stronger."""
    buckets: dict[str, list[Evidence]] = {}
    for item in sorted(evidence, key=lambda item: -item.score):
        if item.candidate.kind == "DATE" and question.wants_day and item.candidate.precision == "day":
            key = item.candidate.normalized
        elif item.candidate.kind == "DATE":
            key = _date_event_key(item.candidate)
        else:
            key = item.candidate.normalized
        buckets.setdefault(key, []).append(item)
    groups = []
    for key, items in buckets.items():
        best_by_document: dict[str, float] = {}
        for item in items:
            source = item.sentence.source or item.sentence.doc  # copies of one story count as one source
            best_by_document[source] = max(best_by_document.get(source, 0.0), item.score)
        ranked = sorted(best_by_document.values(), reverse=True)
        score = ranked[0] + 0.25 * sum(ranked[1:3])
        unique, rows = [], set()
        for item in items:
            if item.sentence.row not in rows:
                rows.add(item.sentence.row)
                unique.append(item)
        unique.sort(key=lambda item: -item.rank)
        if items[0].candidate.kind == "DATE":
            label, normalized = _date_label(unique)
            if question.wants_year and items[0].candidate.precision in {"day", "week", "month", "year"}:
                label = str(_midpoint(normalized).year)  # "what year": the year, not the day it happened
            notes = [item.candidate.note for item in _diverse(unique) if item.candidate.relative and item.candidate.note]
            groups.append(Group(label, normalized, score, tuple(unique), "; ".join(dict.fromkeys(notes)) or None))
        else:
            groups.append(Group(items[0].candidate.text, key, score, tuple(unique)))
    return sorted(groups, key=lambda group: -group.score)


def prefer_cities(question: Question, groups: list[Group]) -> list[Group]:
    """A city answer replaces the country it is in when both are well supported ("in France" and
    "in Lyon": Lyon is the more precise answer), unless the question asks for a country."""
    if len(groups) < 2 or question.answer_noun in {"country", "countries", "nation"}:
        return groups
    top = groups[0]
    if top.evidence[0].candidate.note != "country":
        return groups
    for group in groups[1:]:
        if group.score < CITY_OVER_COUNTRY_SHARE * top.score:
            break
        if group.evidence[0].candidate.note == "city" and is_city_in(group.label, top.label):
            city = replace(group, score=top.score)
            return [city] + [other for other in groups if other is not top and other is not group]
    return groups


# ---------------------------------------------------------------- replies


def confidence_of(score: float) -> float:
    """Map a raw group score to 0-1 (scores above ~1.2 are as sure as the rules get)."""
    return max(0.0, min(1.0, 1 - math.exp(-1.6 * score)))


def citation_of(sentence: RetrievedSentence, number: int, answer_span: tuple[int, int] | None = None) -> Citation:
    """The citation `[number]` of a retrieved sentence, pointing at the answer's span when given."""
    return Citation(
        number=number,
        doc=sentence.doc,
        title=sentence.title,
        outlet=sentence.outlet,
        date=sentence.date,
        sentence=sentence.text,
        sentence_index=sentence.sentence_index,
        paragraph=sentence.paragraph,
        row=sentence.row,
        start=sentence.start,
        end=sentence.end,
        score=round(sentence.score, 6),
        answer_start=answer_span[0] if answer_span else None,
        answer_end=answer_span[1] if answer_span else None,
        carried_by=sentence.carried_by,
    )


def decline(question: Question, sentences: Sequence[RetrievedSentence], reason: str | None, resolved: str | None = None) -> Answer:
    """A reply that says the articles do not answer, why when known, and the closest sentences."""
    related = tuple(citation_of(sentence, number) for number, sentence in enumerate(sentences[:RELATED], start=1))
    text = "The articles do not answer this question"
    text += f": {reason}." if reason else "."
    if related:
        text += " Closest sentences: " + " ".join(f"[{citation.number}]" for citation in related)
    return Answer(question.text, None, question.answer_type, text, (), 0.0, related=related, focus=question.focus, resolved_question=resolved, extra={"reason": reason})


def missing_words(question: Question, sentences: Sequence[RetrievedSentence]) -> list[str]:
    """The question's content words that no retrieved sentence mentions (nor a synonym or longer form)."""
    seen = {stem(token) for sentence in sentences for token in tokenize(sentence.text)}
    return [
        word
        for word in question.content_words
        if word != question.answer_noun
        and not (alternatives(stem(word)) & seen)
        and not (len(stem(word)) >= 4 and any(token.startswith(stem(word)) for token in seen))
    ]


def _only_names_match(question: Question, missing: list[str]) -> bool:
    """True when the articles mention the question's names but none of its other words: they
    talk about the subject, not about what is asked ("When was X born?" with no birth in them)."""
    names = entity_tokens(question)
    asked = [word for word in question.content_words if word not in names and word != question.answer_noun and word not in FRAME_WORDS]
    return bool(asked) and all(word in missing for word in asked)


def _decline_reason(question: Question, groups: list[Group], coverages: dict[int, float], sentences: Sequence[RetrievedSentence]) -> str | None:
    missing = missing_words(question, sentences)
    if missing:
        return "no article mentions " + ", ".join(f"“{word}”" for word in missing[:3])
    if question.wants_day and groups:
        top = groups[0].evidence[0].candidate
        if top.precision in {"month", "year", "week"}:
            return f"the articles mention “{top.text}” but give no day"
    best = max(coverages.values(), default=0.0)
    if best >= 0.6:
        subject = f" {question.focus}" if question.focus else ""
        return f"the closest sentences mention{subject} but give no {TYPE_WORDS[question.answer_type]}"
    if best < 0.6:
        return "no sentence matches enough of the question's words"
    return "no candidate is supported strongly enough"


def _numbered(groups: list[Group]) -> tuple[list[Citation], list[AnswerOption]]:
    citations: list[Citation] = []
    by_row: dict[int, int] = {}
    options = []
    for group in groups:
        numbers = []
        for item in _diverse(group.evidence):
            if item.sentence.row not in by_row:
                by_row[item.sentence.row] = len(citations) + 1
                citations.append(citation_of(item.sentence, len(citations) + 1, (item.candidate.start, item.candidate.end)))
            numbers.append(by_row[item.sentence.row])
        options.append(AnswerOption(group.label, group.normalized, tuple(numbers), group.note, round(group.score, 4)))
    return citations, options


def _diverse(evidence: Sequence[Evidence], limit: int = 3) -> list[Evidence]:
    """The best evidence first, then the best of each other document, then the rest, up to `limit`."""
    chosen: list[Evidence] = []
    for item in evidence:
        if len(chosen) < limit and item.sentence.doc not in {other.sentence.doc for other in chosen}:
            chosen.append(item)
    for item in evidence:
        if len(chosen) < limit and item not in chosen:
            chosen.append(item)
    return chosen


def _markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{number}]" for number in numbers)


def _same_event(group: Group, best: Group, best_rank: float) -> bool:
    """Whether another article's date is likely its account of the best answer's event."""
    if max(item.rank for item in group.evidence) >= best_rank - OPTION_RANK_MARGIN:
        return True
    shared = capitalised_words(group.evidence[0].sentence.text) & capitalised_words(best.evidence[0].sentence.text)
    return len(shared) >= SAME_EVENT_SHARED_NAMES


def _options_to_show(question: Question, groups: list[Group]) -> list[Group]:
    """The best group, plus alternatives strong enough to show as a conflict or another event."""
    best = groups[0]
    shown = [best]
    best_rows = {item.sentence.row for item in best.evidence}
    best_rank = max(item.rank for group in groups for item in group.evidence)
    for group in groups[1:]:
        if len(shown) >= MAX_OPTIONS or group.score < OPTION_SHARE * best.score:
            break
        other_docs = {item.sentence.doc for item in group.evidence} - {item.sentence.doc for item in best.evidence}
        rows = {item.sentence.row for item in group.evidence}
        if question.answer_type == "DATE" and other_docs and not (rows <= best_rows) and _same_event(group, best, best_rank):
            shown.append(group)  # another source's event
        elif question.answer_type in {"PLACE", "PERSON", "ORGANIZATION", "NUMBER"} and other_docs and not rows & best_rows and group.score >= 0.8 * best.score:
            shown.append(group)
    if question.answer_type == "DATE":
        shown.sort(key=lambda group: _midpoint(group.evidence[0].candidate.normalized), reverse=True)
    return shown


def typed_answer(
    question: Question,
    sentences: Sequence[RetrievedSentence],
    weights: dict[str, float],
    idf: dict[str, float],
    threshold: float,
    resolved: str | None = None,
    known_names: frozenset[str] = frozenset(),
    known_organizations: frozenset[str] = frozenset(),
    covered_threshold: float | None = None,
) -> Answer:
    """Answer a question whose answer is a typed span (date, place, person, …).

    `covered_threshold`, when given, replaces a higher `threshold` for questions whose words all
    occur in the retrieved sentences."""
    evidence, coverages, ranks = score_candidates(question, sentences, weights, idf, known_names, known_organizations)
    groups = group_candidates(question, evidence)
    if question.answer_type == "PLACE":
        groups = prefer_cities(question, groups)
    if question.answer_type == "DATE" and question.wants_day:
        groups = [group for group in groups if group.evidence[0].candidate.precision == "day"] or groups
    confidence = confidence_of(groups[0].score) if groups else 0.0
    wants_day_but_month = question.wants_day and groups and groups[0].evidence[0].candidate.precision != "day"
    missing = missing_words(question, sentences)
    if covered_threshold is not None and groups and not missing:
        # every word of the question is in the retrieved text: the question is about something the
        # articles cover, so a weaker best candidate is still worth giving
        threshold = min(threshold, covered_threshold)
    if not groups or confidence < threshold or wants_day_but_month or _only_names_match(question, missing):
        closest = sorted(sentences, key=lambda sentence: -ranks.get(sentence.row, -math.inf))
        return decline(question, closest, _decline_reason(question, groups, coverages, sentences), resolved)
    shown = _options_to_show(question, groups)
    citations, options = _numbered(shown)
    if len(options) == 1:
        option = options[0]
        text = f"{option.answer} {_markers(option.citation_numbers)}."
        if option.note:
            text += f" ({option.note})"
    else:
        noun = "events" if question.answer_type == "DATE" else "answers"
        parts = [f"{option.answer} {_markers(option.citation_numbers)}" for option in options]
        text = f"The sources give {len(options)} {noun}: " + "; ".join(parts) + "."
        notes = [option.note for option in options if option.note]
        if notes:
            text += " (" + "; ".join(notes) + ")"
    primary = shown[0] if question.answer_type != "DATE" else max(shown, key=lambda group: group.score)
    answer_text = " and ".join(option.answer for option in options) if question.answer_type == "DATE" else primary.label
    return Answer(
        question.text, answer_text, question.answer_type, text, tuple(citations), confidence,
        options=tuple(options), focus=question.focus, resolved_question=resolved,
        extra={"primary": primary.label},
    )  # fmt: skip


def _best_sentences(question: Question, sentences: Sequence[RetrievedSentence], weights: dict[str, float]) -> list[tuple[float, RetrievedSentence, set[str]]]:
    best_retrieval = max((sentence.score for sentence in sentences), default=1.0) or 1.0
    ranked = []
    for sentence in sentences:
        share, matched = coverage(question, weights, {token for _, _, token in sentence_tokens(sentence.text)})
        ranked.append((share * (0.75 + 0.25 * sentence.score / best_retrieval), sentence, matched))
    return sorted(ranked, key=lambda item: -item[0])


def yes_no_answer(question: Question, sentences: Sequence[RetrievedSentence], weights: dict[str, float], threshold: float, resolved: str | None = None) -> Answer:
    """Yes when a sentence states what the question asks, No when it states it negated."""
    ranked = _best_sentences(question, sentences, weights)
    if not ranked or ranked[0][0] < 0.7:
        return decline(question, sentences, "no sentence states this", resolved)
    score, sentence, matched = ranked[0]
    question_tokens = set(tokenize(question.text))
    question_stems = {stem(token) for token in question_tokens}
    words = set(tokenize(sentence.text.replace("n’t", " n't").replace("n't", " n't")))
    negated_sentence = any(token in NEGATIONS and stem(token) not in question_stems for token in words)
    negated_question = bool(question_tokens & PLAIN_NEGATIONS)
    reply = "No" if negated_sentence != negated_question else "Yes"
    tokens = sentence_tokens(sentence.text)
    spans = [(start, end) for start, end, token in tokens if token in matched]
    span = (spans[0][0], spans[-1][1]) if spans else None
    citation = citation_of(sentence, 1, span)
    confidence = confidence_of(score * 0.9)
    if confidence < threshold:
        return decline(question, sentences, "no sentence states this", resolved)
    option = AnswerOption(reply, reply.lower(), (1,), None, round(score, 4))
    return Answer(question.text, reply, "YESNO", f"{reply} [1]: “{sentence.text}”", (citation,), confidence, options=(option,), focus=question.focus, resolved_question=resolved)


def reason_answer(question: Question, sentences: Sequence[RetrievedSentence], weights: dict[str, float], threshold: float, resolved: str | None = None) -> Answer:
    """A reason: the clause after a causal or purpose cue in a sentence that matches the question."""
    for score, sentence, _ in _best_sentences(question, sentences, weights)[:5]:
        if score < 0.5:
            break
        for match in REASON_CUES.finditer(sentence.text):
            start = match.start()
            clause = re.match(r"[^,;.“\"]{8,200}", sentence.text[start:])
            if not clause:
                continue
            end = start + len(clause.group(0).rstrip())
            phrase = sentence.text[start:end]
            if set(tokenize(phrase)) <= set(tokenize(question.text)) | {"to", "the", "of", "and"}:
                continue
            confidence = confidence_of(score)
            if confidence < threshold:
                break
            citation = citation_of(sentence, 1, (start, end))
            option = AnswerOption(phrase, phrase.lower(), (1,), None, round(score, 4))
            return Answer(question.text, phrase, "REASON", f"{phrase[0].upper() + phrase[1:]} [1].", (citation,), confidence, options=(option,), focus=question.focus, resolved_question=resolved)
    return decline(question, sentences, "no matching sentence gives a reason", resolved)


def answer_from_sentences(
    question: Question,
    sentences: Sequence[RetrievedSentence],
    idf: dict[str, float],
    threshold: float = DEFAULT_THRESHOLD,
    resolved: str | None = None,
    known_names: frozenset[str] = frozenset(),
    known_organizations: frozenset[str] = frozenset(),
    covered_threshold: float | None = None,
) -> Answer:
    """The answer to an analysed question from its retrieved sentences (best first).

    `known_names` are surnames the documents use in full names elsewhere, so that a bare
    "Merkel" can be recognised as a person.
    """
    if not sentences:
        return decline(question, sentences, "no sentence shares a word with the question", resolved)
    weights = term_weights(question, idf)
    if question.answer_type in {"YESNO", "REASON"}:
        ranks = sentence_scores(question, sentences, weights, idf, [0.0] * len(sentences))
        sentences = [sentence for _, sentence in sorted(zip(ranks, sentences), key=lambda pair: -pair[0])]
    if question.answer_type == "YESNO":
        return yes_no_answer(question, sentences, weights, threshold, resolved)
    if question.answer_type == "REASON":
        return reason_answer(question, sentences, weights, threshold, resolved)
    if question.answer_type == "DESCRIPTION" and question.focus:
        focus_terms = {stem(token) for token in tokenize(question.focus)}
        description_question = replace(question, terms=tuple(term for term in question.terms if term in focus_terms) or question.terms)
        return typed_answer(description_question, sentences, term_weights(description_question, idf), idf, threshold, resolved, covered_threshold=covered_threshold)
    return typed_answer(question, sentences, weights, idf, threshold, resolved, known_names, known_organizations, covered_threshold)
