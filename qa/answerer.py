"""Scoring, aggregation, conflicts and abstention: retrieved sentences + a question -> an Answer.

Pure: no index, no I/O. Each answer keeps the sentences that support it, and the
first citation of a typed answer is a sentence in which the answer's words appear
(with their offsets), so a citation cannot fail to support its answer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from qa import number_binding
from qa.annotation import annotate
from qa.answer_filters import ruled_out
from qa.answer_model import AnswerModel, load_model
from qa.answerability import Answerability, TextKind, answerability_features, decisive_features, load_answerability
from qa.dates import MONTH_NAMES, human_date
from qa.extract import NUMBER_WORDS, SCALE_WORDS, Candidate, extract, is_city_in
from qa.features import (
    alignment_features,
    cue_features,
    description_share,
    log_share,
    overlap_with_question,
    phrase_conjunctions,
    proximity,
    question_features,
)
from qa.matching import (
    alternatives,
    coverage,
    entity_factor,
    entity_stems,
    entity_tokens,
    sentence_tokens,
    term_credits,
    term_weights,
)
from qa.number_binding import UNBOUND, AskedAmount, asked_amount, binding_strength
from qa.options import TYPES_WITH_OPTIONS, alone, options_to_show, other_sources
from qa.question import FRAME_WORDS, Question
from qa.ranking import sentence_scores
from qa.results import Answer, AnswerOption, Citation, RetrievedSentence
from qa.spans import phrase_candidates
from qa.syntax import candidate_syntax, question_syntax
from qa.tense import scheduled_offsets
from qa.text import stem, tokenize

# Yes/no and reason replies keep a rule-based confidence (no training data asks them): below
# this they decline. Typed answers decline below the answer model's fitted threshold.
RULE_THRESHOLD = 0.3
# Untyped phrases (qa.spans) join the candidates of these answer types with this strength, and the
# shape they should have; dates and durations have their own extractors, descriptions theirs.
PHRASE_STRENGTH = {"OTHER": 0.9, "PERSON": 0.45, "PLACE": 0.7, "ORGANIZATION": 0.45, "NUMBER": 0.45}
# Phrases are proposed only in sentences ranked (qa.ranking) within this of the best one (fast,
# and a phrase from a much weaker sentence rarely answers).
PHRASE_MAX_RANK_GAP = 1.8
# Only this many best-ranked sentences are parsed (qa.annotation) for the syntax features: parsing
# every retrieved sentence would cost more than the rest of the answer, and the answer is nearly
# always in one of them.
ANNOTATED_SENTENCES = 10
PHRASE_SHAPES = {"PERSON": "NAME", "PLACE": "NAME", "ORGANIZATION": "NAME", "NUMBER": "NUMBER"}
# A city replaces the country it is in as the answer when it scores at least this share of it.
CITY_OVER_COUNTRY_SHARE = 0.5
RELATED = 3

NEGATIONS = frozenset("not no never n't denies denied deny refused refuses rejects rejected declined without nor neither".split())
PLAIN_NEGATIONS = frozenset("not no never nt n't didnt doesnt dont isnt wasnt werent arent hasnt havent hadnt".split())
PARTS_OF_YEAR = frozenset("early mid late end beginning start middle spring summer autumn winter".split())
TYPE_WORDS = {
    "DATE": "date", "PLACE": "place", "PERSON": "person", "ORGANIZATION": "organisation", "NUMBER": "number",
    "DURATION": "length of time", "DESCRIPTION": "description", "REASON": "reason", "YESNO": "statement", "OTHER": "answer",
}  # fmt: skip
# Words that introduce a cause or a purpose; the reason is the clause they open. A bare "to" is no such cue:
# "wants him to be fined" and "sent to the council" give no reason. Only an infinitive the parse makes a
# purpose adjunct of its clause's verb ("arranged to encourage debate") is one (`_purpose_infinitives`).
REASON_CUES = re.compile(
    r"\b(?:because(?: of)?|due to|owing to|in order to|so as to|so that|aimed to|aiming to|aims to|in response to|as a result of)\s*",
)


@dataclass(frozen=True)
class Evidence:
    """One sentence supporting a candidate, with the candidate's span in it and its score."""

    sentence: RetrievedSentence
    candidate: Candidate
    score: float  # the answer model's logit for the candidate (without the agreement of other sources)
    rank: float = 0.0  # the sentence's rank score (qa.ranking): the first citation is the best-ranked
    features: dict[str, float] = field(default_factory=dict, compare=False)  # qa.features.CANDIDATE_FEATURES


@dataclass(frozen=True)
class Group:
    """Candidates that are the same answer (same normalised form, or dates of one event)."""

    label: str
    normalized: str
    score: float  # the answer's share of the candidate scorer's probability (a softmax over the question's answers)
    evidence: tuple[Evidence, ...]
    note: str | None = None
    logit: float = 0.0
    features: dict[str, float] = field(default_factory=dict, compare=False)  # its best evidence's, with the agreement


@dataclass(frozen=True)
class Measured:
    """A question's candidates with their features (before any weighing), and how its sentences match it."""

    question: Question
    weights: dict[str, float]
    sentences: Sequence[RetrievedSentence]
    evidence: list[Evidence]
    coverages: dict[int, float]  # by row
    ranks: dict[int, float]  # by row
    matched: dict[int, set[str]]  # the question's stems each sentence matches, by row
    missing: list[str]  # question words no retrieved sentence mentions


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
    """Untyped phrases: the answer when no extractor knows its type, weaker than a typed candidate.
    A count or an amount holds a number: a phrase without one never answers "how many/much"."""
    if question.answer_type not in PHRASE_STRENGTH:
        return []
    found = phrase_candidates(sentence.text, question.text, PHRASE_SHAPES.get(question.answer_type), PHRASE_STRENGTH[question.answer_type])
    if question.answer_type == "NUMBER":
        found = [candidate for candidate in found if holds_number(candidate.text)]
    return found


_NUMBER_WORD = re.compile(r"\d|\b(?:" + "|".join(NUMBER_WORDS) + "|" + "|".join(SCALE_WORDS) + r")\b", re.IGNORECASE)


def holds_number(text: str) -> bool:
    """Whether a phrase holds a number, in digits or in words."""
    return bool(_NUMBER_WORD.search(text))


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


def _parse_best(question: Question, measured: list[_MeasuredSentence], ranks: Sequence[float]) -> dict:
    """Annotations (qa.annotation) of the best-ranked sentences holding candidates, with the spans of the
    words they share with the question, and the question's own parse: {"question": …, row: (annotation, spans)}."""
    best = sorted(range(len(measured)), key=lambda position: -ranks[position])[:ANNOTATED_SENTENCES]
    if not best:
        return {}
    texts = [measured[position].sentence.text for position in best]
    annotations = annotate(texts)
    parsed: dict = {"question": question_syntax(question.text, question.answer_type)}
    for position, annotation in zip(best, annotations):
        item = measured[position]
        spans = [(start, end) for start, end, token in item.tokens if token in item.matched]
        parsed[item.sentence.row] = (annotation, spans)
    return parsed


def _bound_candidates(candidates: list[Candidate], row: int, parsed: dict, asked: AskedAmount | None) -> list[Candidate]:
    """The candidates that may be proposed (qa.number_binding): all without a parse of their sentence, or
    when the question does not ask a count, amount, age or share; else the numbers bound to what is asked,
    and of those only the most specifically bound (a generic binding yields to a specific one)."""
    if asked is None or row not in parsed:
        return candidates
    annotation, _ = parsed[row]
    strengths = [
        binding_strength(annotation, candidate.start, candidate.end, asked) if candidate.kind == "NUMBER" or holds_number(candidate.text) else None
        for candidate in candidates
    ]
    strongest = max((strength for strength in strengths if strength is not None), default=UNBOUND)
    return [candidate for candidate, strength in zip(candidates, strengths) if strength is None or (strength > UNBOUND and strength == strongest)]


def _dates_by_tense(question: Question, sentence: RetrievedSentence, candidates: list[Candidate], parsed: dict) -> list[Candidate]:
    """Relative dates resolved again where the parse shows their verb in the present tense (qa.tense):
    "The company reports earnings Wednesday" is the Wednesday after the article's date. Headlines put
    past events in the present ("Firm cuts jobs"), so theirs stay as they are, as do unparsed sentences."""
    if sentence.headline or sentence.row not in parsed or not any(candidate.kind == "DATE" and candidate.relative for candidate in candidates):
        return candidates
    scheduled = scheduled_offsets(parsed[sentence.row][0])
    if not scheduled:
        return candidates
    again = {(candidate.start, candidate.end): candidate for candidate in extract("DATE", sentence.text, sentence.date, scheduled=scheduled)}
    kept = []
    for candidate in candidates:
        if candidate.kind == "DATE" and candidate.relative and (candidate.start, candidate.end) in again:
            candidate = again[(candidate.start, candidate.end)]
            if not _fits_date_constraints(candidate, question):
                continue
        kept.append(candidate)
    return kept


def _syntax_of(candidate: Candidate, row: int, parsed: dict) -> dict[str, float]:
    """The syntax features (qa.syntax) of a candidate in an annotated sentence; none elsewhere."""
    if row not in parsed:
        return {}
    annotation, spans = parsed[row]
    values = candidate_syntax(annotation, candidate.start, candidate.end, spans, parsed["question"])
    return {"annotated": 1.0, **{f"syntax_{name}": value for name, value in values.items() if value}}


def measure_candidates(
    question: Question,
    sentences: Sequence[RetrievedSentence],
    weights: dict[str, float],
    idf: dict[str, float],
    known_names: frozenset[str] = frozenset(),
    known_organizations: frozenset[str] = frozenset(),
) -> Measured:
    """Every candidate the rules propose in the retrieved sentences, with its features (qa.features).

    With qa.number_binding.BIND_NUMBERS a count, amount, age or share is proposed only where the parse
    binds it to what is asked."""
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
                retrieval=sentence.score / best_retrieval,
                names=entity_factor(question, set(tokenize(sentence.text)), set(tokenize(sentence.context)) | set(tokenize(sentence.title))),
                candidates=candidates,
                date_words=date_words,
            )
        )  # fmt: skip
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
    # Dates are also compared with the best sentence of their own article that states a date: two
    # meetings reported by two articles are both answers.
    best_in_document: dict[str, float] = {}
    for item, rank in zip(measured, ranks):
        if item.candidates:
            best_in_document[item.sentence.doc] = max(rank, best_in_document.get(item.sentence.doc, -math.inf))
    dates = question.answer_type in {"DATE", "DURATION"}
    parsed = _parse_best(question, measured, ranks)
    asked = None
    if number_binding.BIND_NUMBERS and question.answer_type == "NUMBER" and parsed:
        asked = asked_amount(question.text, parsed["question"], question.answer_noun)
    evidence = []
    for item, rank in zip(measured, ranks):
        sentence, candidates = item.sentence, item.candidates
        best_in_own_document = best_in_document.get(sentence.doc, rank)
        if rank - (best_in_own_document if dates else best_rank) >= -PHRASE_MAX_RANK_GAP:
            # a phrase with a typed candidate's span adds nothing but would escape the typed cues
            typed_spans = {(candidate.start, candidate.end) for candidate in candidates}
            candidates = candidates + [
                candidate for candidate in _phrases(question, sentence)
                if (candidate.start, candidate.end) not in typed_spans and not _repeats_question(candidate, question)
            ]  # fmt: skip
        sentence_features = {
            "coverage": item.share,
            "log_coverage": log_share(item.share),
            "names": item.names,
            "retrieval": item.retrieval,
            # dates are ranked against the best sentence of their own article (two articles, two events)
            "rank_gap": min(0.0, rank - (best_in_own_document if dates else best_rank)),
            "rank_gap_across_documents": min(0.0, rank - best_rank),
            "top_sentence": float(rank >= best_rank),
            "headline": float(sentence.headline),
        }
        candidates = _dates_by_tense(question, sentence, candidates, parsed)
        for candidate in _bound_candidates(candidates, sentence.row, parsed, asked):
            if ruled_out(question, sentence, candidate):
                continue  # a hard condition says it cannot be the answer (qa.answer_filters)
            features = {
                **sentence_features,
                "strength": candidate.strength,
                "phrase": float(candidate.kind == "PHRASE"),
                "proximity": proximity(candidate, sentence.text, item.tokens, item.matched, name_stems, main_words),
                "description": description_share(candidate, sentence.text, weights) if question.answer_type == "PERSON" else 0.0,
                "overlaps_question": overlap_with_question(candidate, question),
                "log_words": math.log(max(1, len(tokenize(candidate.text)))),
                **alignment_features(candidate, item.tokens, question, weights),
                **cue_features(candidate, sentence.text, question),
                **_syntax_of(candidate, sentence.row, parsed),
            }
            features |= phrase_conjunctions(features)
            evidence.append(Evidence(sentence, candidate, 0.0, rank, features))
    return Measured(
        question, weights, sentences, evidence, coverages,
        {item.sentence.row: rank for item, rank in zip(measured, ranks)},
        {item.sentence.row: item.matched for item in measured},
        missing_words(question, sentences),
    )  # fmt: skip


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
    """Dates less precise than a day share a key with the dates of their month (years stay apart)."""
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


def answer_key(question: Question, candidate: Candidate) -> str:
    """Candidates with one key are one answer: the same normalised form, or dates of one event."""
    if candidate.kind == "DATE" and candidate.precision == "day" and not question.wants_year:
        return candidate.normalized  # two days of one month are two events (or a disagreement), not one answer
    if candidate.kind == "DATE":
        return _date_event_key(candidate)
    return candidate.normalized


def agreement_features(items: Sequence[Evidence]) -> dict[str, float]:
    """How many independent sources (syndicated copies counted once) and sentences give one answer (qa.features)."""
    documents = {item.sentence.source or item.sentence.doc for item in items}  # copies of one story count as one source
    rows = {item.sentence.row for item in items}
    # two separate measures: more sources, and more sentences within each (an article repeating itself)
    return {"documents_agreeing": math.log(len(documents)), "sentences_agreeing": math.log(len(rows) / len(documents))}


def group_candidates(question: Question, evidence: list[Evidence], model: AnswerModel) -> list[Group]:
    """Score every candidate with the answer model and merge those naming the same answer; the
    agreement of several documents and sentences is part of the answer's score."""
    scored = [replace(item, score=model.candidate.logit(item.features)) for item in evidence]
    buckets: dict[str, list[Evidence]] = {}
    for item in sorted(scored, key=lambda item: -item.score):
        buckets.setdefault(answer_key(question, item.candidate), []).append(item)
    groups = []
    logits = {key: model.candidate.logit(items[0].features | agreement_features(items)) for key, items in buckets.items()}
    peak = max(logits.values(), default=0.0)
    total = sum(math.exp(logit - peak) for logit in logits.values())
    for key, items in buckets.items():
        features = items[0].features | agreement_features(items)
        logit = logits[key]
        score = math.exp(logit - peak) / total  # the answer's share of the probability (a softmax over answers)
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
            groups.append(Group(label, normalized, score, tuple(unique), "; ".join(dict.fromkeys(notes)) or None, logit, features))
        else:
            groups.append(Group(items[0].candidate.text, key, score, tuple(unique), None, logit, features))
    return sorted(groups, key=lambda group: -group.logit)


def rank_groups(measured: Measured, model: AnswerModel) -> list[Group]:
    """The question's answers, best first: the model's order, then the general rules on places and days."""
    question = measured.question
    groups = group_candidates(question, measured.evidence, model)
    if question.answer_type == "PLACE":
        groups = prefer_cities(question, groups)
    if question.answer_type == "DATE" and question.wants_day:
        groups = [group for group in groups if group.evidence[0].candidate.precision == "day"] or groups
    return groups


def calibrated_features(measured: Measured, groups: list[Group]) -> dict[str, float]:
    """The question-level features of the chosen answer (qa.features.QUESTION_FEATURES)."""
    question = measured.question
    top = groups[0] if groups else None
    top_row = top.evidence[0].sentence.row if top else None
    return question_features(
        measured.question,
        [group.logit for group in groups],
        top_coverage=measured.coverages.get(top_row, 0.0) if top else 0.0,
        best_coverage=max(measured.coverages.values(), default=0.0),
        missing=len(measured.missing),
        only_names=_only_names_match(measured.question, measured.missing),
        top_names=top.features.get("names", 0.0) if top else 0.0,
        phrase_answer=bool(top and top.evidence[0].candidate.kind == "PHRASE"),
        top_features=top.features if top else {},
        unmatched_weights=_unmatched_weights(measured, top_row) if top else [],
        misses_answer_noun=bool(top) and _misses(measured, top_row, stem(question.answer_noun) if question.answer_noun else None),
        misses_main_word=bool(top) and _misses(measured, top_row, question.main_word),
    )


def _misses(measured: Measured, row: int | None, term: str | None) -> bool:
    """Whether the sentence at `row` lacks a question term (nor a synonym, nor in its context)."""
    if not term or row is None:
        return False
    matched = measured.matched.get(row, set())
    return not (alternatives(term) & matched) and not any(token.startswith(term[:5]) for token in matched if len(term) >= 5)


def _unmatched_weights(measured: Measured, row: int) -> list[float]:
    """The share of the question's weight of each term the sentence at `row` does not match (synonyms count)."""
    matched = measured.matched.get(row, set())
    total = sum(measured.weights.values()) or 1.0
    return [weight / total for term, weight in measured.weights.items() if term not in matched and not alternatives(term) & matched]


def rule_declines(measured: Measured, groups: list[Group]) -> bool:
    """General rules that decline whatever the model says: a day asked but only a month known, or
    articles that match the question's names and none of its other words."""
    question = measured.question
    wants_day_but_month = question.wants_day and groups and groups[0].evidence[0].candidate.precision != "day"
    return bool(wants_day_but_month or _only_names_match(question, measured.missing))


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
            city = replace(group, score=top.score, logit=top.logit)
            return [city] + [other for other in groups if other is not top and other is not group]
    return groups


# ---------------------------------------------------------------- replies


def rule_confidence(score: float) -> float:
    """Map a yes/no or reason sentence's match score to 0-1 (not fitted: no training data asks these)."""
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


def _confidence_alone(measured: Measured, model: AnswerModel, answerability: Answerability) -> tuple[float, Group | None]:
    """The best answer of a question's measured candidates and the answerer's confidence in it (0 when a
    rule declines), judged only on a sentence already parsed (no parse is added for an option)."""
    groups = rank_groups(measured, model)
    if not groups or not groups[0].evidence[0].features.get("annotated") or rule_declines(measured, groups):
        return 0.0, None
    return answerability.probability(answerability_features(measured, groups)), groups[0]


def _options_to_show(measured: Measured, groups: list[Group], model: AnswerModel, answerability: Answerability, threshold: float) -> list[Group]:
    """The best group, plus the answers other sources would give confidently on their own (qa.options)."""
    question = measured.question
    if question.answer_type not in TYPES_WITH_OPTIONS:
        return groups[:1]
    by_key = {answer_key(question, group.evidence[0].candidate): group for group in groups}
    judged = []
    for source in other_sources(measured, groups[0]):
        confidence, answer = _confidence_alone(alone(measured, source, missing_words), model, answerability)
        key = answer_key(question, answer.evidence[0].candidate) if answer else None
        if confidence >= threshold and key in by_key:
            judged.append((confidence, by_key[key]))
    judged.sort(key=lambda pair: -pair[0])
    shown = options_to_show(question, groups, [group for _, group in judged])
    if question.answer_type == "DATE":  # events, latest first
        shown.sort(key=lambda group: _midpoint(group.evidence[0].candidate.normalized), reverse=True)
    return shown


def typed_answer(
    measured: Measured, model: AnswerModel, threshold: float | None = None, resolved: str | None = None, text_kind: TextKind = "news"
) -> Answer:
    """Answer a question whose answer is a typed span (date, place, person, …): the model's best
    candidate, with the probability that it is right (qa.answerability) as the confidence; below
    the answerability threshold of the text's kind (or `threshold` when given) the reply declines."""
    question, sentences = measured.question, measured.sentences
    groups = rank_groups(measured, model)
    answerability = load_answerability()
    if threshold is None:
        threshold = answerability.threshold_for(text_kind)
    features = answerability_features(measured, groups)
    confidence = answerability.probability(features) if groups else 0.0
    if not groups or confidence < threshold or rule_declines(measured, groups):
        closest = sorted(sentences, key=lambda sentence: -measured.ranks.get(sentence.row, -math.inf))
        reply = decline(question, closest, _decline_reason(question, groups, measured.coverages, sentences), resolved)
        if groups:
            reply.extra["why"] = _why(measured, groups, features, confidence, model, threshold, answerability)
        return reply
    shown = _options_to_show(measured, groups, model, answerability, threshold)
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
        extra={"primary": primary.label, "why": _why(measured, groups, features, confidence, model, threshold, answerability)},
    )  # fmt: skip


WHY_FEATURES = 5  # the winner's features shown in the trace


def _why(measured: Measured, groups: list[Group], features: dict[str, float], confidence: float, model: AnswerModel, threshold: float, answerability: Answerability) -> dict:
    """The trace of a decision: the question words matched, what made the winner win, the runner-up."""
    question, top = measured.question, groups[0]
    matched = measured.matched.get(top.evidence[0].sentence.row, set())
    words = [word for word in question.content_words if stem(word) in matched or alternatives(stem(word)) & matched]
    runner_up = groups[1] if len(groups) > 1 else None
    return {
        "matched_words": words,
        "answer": top.label,
        "answer_probability": round(top.score, 4),
        "features": [{"feature": name, "contribution": round(value, 3)} for name, value in model.candidate.contributions(top.features)[:WHY_FEATURES]],
        "runner_up": {"answer": runner_up.label, "probability": round(runner_up.score, 4)} if runner_up else None,
        "confidence": round(confidence, 4),
        "confidence_features": decisive_features(answerability, features, WHY_FEATURES),
        "threshold": threshold,
    }


def _best_sentences(question: Question, sentences: Sequence[RetrievedSentence], weights: dict[str, float]) -> list[tuple[float, RetrievedSentence, set[str]]]:
    best_retrieval = max((sentence.score for sentence in sentences), default=1.0) or 1.0
    ranked = []
    for sentence in sentences:
        share, matched = coverage(question, weights, {token for _, _, token in sentence_tokens(sentence.text)})
        ranked.append((share * (0.75 + 0.25 * sentence.score / best_retrieval), sentence, matched))
    return sorted(ranked, key=lambda item: -item[0])


def _unstated_terms(question: Question, sentence: RetrievedSentence, weights: dict[str, float]) -> list[str]:
    """The question's words a sentence states neither itself (by stem, lemma, derived form or synonym) nor in
    what it refers back to. A yes/no question asks whether all of a statement holds: "Did the mayor meet the
    board in Castlebrook?" is not answered yes by "The mayor met the board in Northvale" (nor no: the sentence
    says nothing about Castlebrook), so one word left unstated leaves the question unanswered."""
    stems = {token for _, _, token in sentence_tokens(sentence.text)}
    stems |= {stem(token.lemma.lower()) for token in annotate([sentence.text])[0].tokens}  # "met" states "meet"
    context = {token for _, _, token in sentence_tokens(f"{sentence.context} {sentence.title}")}
    credits, _ = term_credits(question, weights, stems, context)
    words = {stem(word.lower()): word for word in re.findall(r"[^\W_]+", question.text)}
    return [words.get(term, term) for term in weights if not credits.get(term)]


def yes_no_answer(question: Question, sentences: Sequence[RetrievedSentence], weights: dict[str, float], threshold: float, resolved: str | None = None) -> Answer:
    """Yes when a sentence states what the question asks, No when it states it negated."""
    ranked = _best_sentences(question, sentences, weights)
    if not ranked or ranked[0][0] < 0.7:
        return decline(question, sentences, "no sentence states this", resolved)
    score, sentence, matched = ranked[0]
    unstated = _unstated_terms(question, sentence, weights)
    if unstated:
        return decline(question, sentences, f"the closest sentence does not say {', '.join(repr(word) for word in unstated)}", resolved)
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
    confidence = rule_confidence(score * 0.9)
    if confidence < threshold:
        return decline(question, sentences, "no sentence states this", resolved)
    option = AnswerOption(reply, reply.lower(), (1,), None, round(score, 4))
    return Answer(question.text, reply, "YESNO", f"{reply} [1]: “{sentence.text}”", (citation,), confidence, options=(option,), focus=question.focus, resolved_question=resolved)


def _purpose_infinitives(text: str) -> list[int]:
    """Where a purpose infinitive starts ("to encourage" in "seats were arranged to encourage debate"): "to" marking
    a verb that is an adverbial clause of another verb, by the sentence's parse."""
    tokens = annotate([text])[0].tokens
    return [
        token.start for token in tokens
        if token.tag == "TO" and token.dep == "aux" and tokens[token.head].pos in {"VERB", "AUX"} and tokens[token.head].dep == "advcl"
    ]  # fmt: skip


def _reason_starts(text: str) -> Iterator[int]:
    """Where the reasons a sentence may give start: after its cause and purpose words first, in order, then
    its purpose infinitives (a sentence with "because" gives the cause there, not in an infinitive). The
    sentence is parsed only when no cue word gave a reason."""
    for match in REASON_CUES.finditer(text):
        yield match.start()
    yield from _purpose_infinitives(text)


def reason_answer(question: Question, sentences: Sequence[RetrievedSentence], weights: dict[str, float], threshold: float, resolved: str | None = None) -> Answer:
    """A reason: the clause after a causal or purpose cue in a sentence that matches the question."""
    for score, sentence, _ in _best_sentences(question, sentences, weights)[:5]:
        if score < 0.5:
            break
        for start in _reason_starts(sentence.text):
            clause = re.match(r"[^,;.“\"]{8,200}", sentence.text[start:])
            if not clause:
                continue
            end = start + len(clause.group(0).rstrip())
            phrase = sentence.text[start:end]
            if set(tokenize(phrase)) <= set(tokenize(question.text)) | {"to", "the", "of", "and"}:
                continue
            confidence = rule_confidence(score)
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
    threshold: float | None = None,
    resolved: str | None = None,
    known_names: frozenset[str] = frozenset(),
    known_organizations: frozenset[str] = frozenset(),
    model: AnswerModel | None = None,
    text_kind: TextKind = "news",
) -> Answer:
    """The answer to an analysed question from its retrieved sentences (best first).

    `known_names` are surnames the documents use in full names elsewhere, so that a bare
    "Merkel" can be recognised as a person. `threshold` replaces the model's decline threshold
    (and the rule threshold of yes/no and reason questions) when given.
    """
    if not sentences:
        return decline(question, sentences, "no sentence shares a word with the question", resolved)
    weights = term_weights(question, idf)
    if question.answer_type in {"YESNO", "REASON"}:
        ranks = sentence_scores(question, sentences, weights, idf, [0.0] * len(sentences))
        sentences = [sentence for _, sentence in sorted(zip(ranks, sentences), key=lambda pair: -pair[0])]
        rule_threshold = RULE_THRESHOLD if threshold is None else threshold
        if question.answer_type == "YESNO":
            return yes_no_answer(question, sentences, weights, rule_threshold, resolved)
        return reason_answer(question, sentences, weights, rule_threshold, resolved)
    model = model or load_model()
    measured = measure(question, sentences, idf, known_names, known_organizations)
    return typed_answer(measured, model, threshold, resolved, text_kind)


def measure(
    question: Question,
    sentences: Sequence[RetrievedSentence],
    idf: dict[str, float],
    known_names: frozenset[str] = frozenset(),
    known_organizations: frozenset[str] = frozenset(),
) -> Measured:
    """The candidates of a typed question with their features; a description is matched on its focus's words."""
    if question.answer_type == "DESCRIPTION" and question.focus:
        focus_terms = {stem(token) for token in tokenize(question.focus)}
        question = replace(question, terms=tuple(term for term in question.terms if term in focus_terms) or question.terms)
        return measure_candidates(question, sentences, term_weights(question, idf), idf)
    return measure_candidates(question, sentences, term_weights(question, idf), idf, known_names, known_organizations)
