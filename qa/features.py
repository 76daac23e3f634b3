"""Features of answer candidates and of questions: the evidence the answer model weighs.

The rules of the answerer propose candidates; this module describes each one with named
numbers (how well its sentence matches the question, how close it sits to the question's
main word, which local cue patterns hold around it, how many documents agree on it …), and
each question with numbers about its best candidates (score, margin, coverage, missing
words). `qa.answer_model` weighs them with fitted weights. The names are stable: they are
the keys of the weights file `qa/data/answer_model.json`.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence

from qa.amounts import amount_agreement, stated_amount, wanted_amount
from qa.extract import Candidate
from qa.matching import alternatives, entity_stems, entity_tokens, share_of, term_credits
from qa.question import AUXILIARIES, Question
from qa.syntax import FEATURES as SYNTAX_DESCRIPTIONS
from qa.text import stem, tokenize

# A share enters as a logarithm with this floor, so that zero stays finite.
SHARE_FLOOR = 0.05

# Words either side of a candidate whose question terms `alignment_features` counts (the "sliding window"
# of the SQuAD baseline), and how near a question word must stand to count as the candidate's neighbour.
WINDOW = 5
NEIGHBOUR_REACH = 3
WH_WORDS = frozenset("who whom whose what which when where why how".split())
PERFECT_PASSIVE_AUXILIARIES = frozenset("is are was were has have had been".split())

# Question words asking for the first or the last year of a span ("born", "founded"; "died", "ended").
STARTING_STEMS = frozenset(stem(word) for word in "begin began start started found founded born birth establish established open opened create created launch launched first".split())
ENDING_STEMS = frozenset(stem(word) for word in "end ended die died death fall fell finish finished complete completed close closed dissolve dissolved collapse collapsed last".split())
SPEECH_WORDS = frozenset(stem(word) for word in "say said tell told state declare warn call called describe".split())

# Syntax features that say something else of an untyped phrase (qa.spans) than of a typed candidate: a
# phrase that is exactly a noun chunk, or the object of the question's verb, is a whole answer, while
# a typed candidate has its shape from its finder. A linear model cannot form these pairs by itself.
PHRASE_CONJUNCTIONS = (
    "noun_chunk_exact", "entity_exact", "role_matches_wh", "subject_of_question_verb", "object_of_question_verb",
    "oblique_of_question_verb", "asked_noun_describes_candidate",
)  # fmt: skip

# The per-candidate features, in the order of the weights file.
CUE_FEATURES = (
    "place_after_in_at_near",  # "in X", "at X": where something happened
    "place_after_from_to_of",
    "place_possessive",  # "X's leader": an owner, not a place where something happened
    "place_based_cue",  # "based in X", "X-based <the question's name>"
    "place_based_other",  # the sentence's "-based" describes something else
    "place_wrong_kind",  # a city for "which country", a country for "which city"
    "date_range_for_one_end",  # "when did X end?" asks for one end of "1450–1620"
    "date_range_side_asked",  # the asked end of a span of years
    "date_since_not_asked",  # "since 2019" for a question not asking when something started
    "date_since_asked",
    "date_imprecise_for_year",
    "number_counts_asked_noun",  # "three children" for "how many children"
    "number_asked_noun_before",
    "number_asked_noun_absent",
    "number_counts_question_word",  # "made three saves" for "… make saves?"
    "amount_match",  # the number states the kind of amount asked for (qa.amounts): "$5" for "how much did it cost"
    "amount_conflict",  # … another kind: "$2.53" for "how many stores", "10 a.m." for "what did a ticket cost"
    "amount_unmarked",  # a bare count where money, a share, a measure or an age is asked
    "duration_for_start",
    "person_role_apposition",  # "X, the head of Y" for "Who heads Y?"
    "person_subject_of_main_word",  # "X, …, said" for "Who said …?"
    "quote_for_speech",  # a quotation for "what did X say"
    "other_for_speech",
    "answer_noun_in_candidate",  # "the Treaty of X" for "which treaty"
    "answer_noun_not_in_candidate",
)
CANDIDATE_FEATURES = (
    "strength",  # the extractor's confidence that the span has the expected type
    "phrase",  # an untyped phrase (qa.spans), not a typed extractor's candidate
    "coverage",  # weighted share of the question's terms in the sentence
    "log_coverage",
    "proximity",  # closeness to the question's main word
    "names",  # share of the question's names the sentence (or its context) mentions
    "description",  # share of the question's words right around a name ("the chief justice, X")
    "retrieval",  # BM25 relative to the best retrieved sentence
    "rank_gap",  # the sentence's rank score minus the best sentence's (qa.ranking; for dates the best of
    # its own article: two articles, two events), 0 at best
    "rank_gap_across_documents",  # … minus the best sentence's of all articles
    "top_sentence",  # the best-ranked sentence
    "overlaps_question",  # share of the candidate's words that are the question's
    "log_words",  # log of the candidate's length in words
    "window_share",  # weighted share of the question's terms within WINDOW words either side of the candidate (`alignment_features`)
    "question_next_follows",  # the question's first word after its wh-phrase ("Who *founded* …") follows the candidate closely
    "question_last_precedes",  # the question's last content word ("… known *as*?" → "known") precedes the candidate closely
    "headline",  # the document's title line (a document whose first line is prose has none)
    "documents_agreeing",  # log(1 + other documents giving the same normalised answer)
    "sentences_agreeing",  # log of the sentences giving it per agreeing document
    *CUE_FEATURES,
    "annotated",  # the sentence is among the best-ranked ones parsed by spaCy (qa.annotation)
    *(f"syntax_{name}" for name in SYNTAX_DESCRIPTIONS),  # qa.syntax.FEATURES: entity label, edges, dependency role, parse path
    *(f"phrase_{name}" for name in PHRASE_CONJUNCTIONS),  # an untyped phrase with a syntax feature (`phrase_conjunctions`)
)
QUESTION_FEATURES = (
    "top_logit",  # the chosen answer's candidate score (the answer model's logit)
    "margin",  # … minus the runner-up's (0 without a runner-up)
    "log_candidates",
    "top_coverage",  # the chosen answer's sentence's coverage
    "best_coverage",  # the best coverage among the retrieved sentences
    "missing_words",  # question words no retrieved sentence mentions
    "only_names_match",  # the articles match the question's names and none of its other words
    "top_names",
    "top_unmatched_weight",  # the largest share of the question's weight its sentence leaves unmatched (one word)
    "top_unmatched_words",  # how many question terms the chosen answer's sentence leaves unmatched
    "top_misses_answer_noun",  # the question names what it asks for ("population") and the answer's sentence does not
    "top_misses_main_word",  # … nor the question's main word (its verb, usually)
    "top_rank_gap",  # the chosen answer's sentence rank minus the best sentence's
    "top_proximity",
    "top_label_exact",  # the chosen answer's entity label names the expected type (qa.syntax)
    "top_same_clause",  # … it sits in the clause of a question word
    "top_role_matches_wh",  # … it has the role the question's wh-word has
    "top_probability",  # the chosen answer's share of the candidate scorer's probability (softmax over answers)
    "phrase_answer",
    "type_date", "type_number", "type_person", "type_place", "type_organization", "type_other", "type_description", "type_duration",
)  # fmt: skip


def proximity(candidate: Candidate, text: str, tokens: Sequence[tuple[int, int, str]], matched: set[str], name_stems: set[str], main_words: set[str]) -> float:
    """1 when the candidate sits next to the question's main word (its verb, usually), else next to
    its other non-entity words, falling with distance."""
    positions = [i for i, (start, _, _) in enumerate(tokens) if candidate.start <= start < candidate.end]
    if not positions:
        return 0.5
    anchors = [i for i, (_, _, token) in enumerate(tokens) if token in main_words and not candidate.start <= tokens[i][0] < candidate.end]
    # a main word next to another question word ("head … of the agency") beats one standing alone
    related = [i for i in anchors if any(tokens[j][2] in matched and tokens[j][2] not in main_words for j in range(max(0, i - 6), min(len(tokens), i + 7)))]
    anchors = related or anchors
    anchors = anchors or [i for i, (_, _, token) in enumerate(tokens) if token in matched and token not in name_stems]
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


def alignment_features(candidate: Candidate, tokens: Sequence[tuple[int, int, str]], question: Question, weights: dict[str, float]) -> dict[str, float]:
    """How the question's words stand around the candidate. A declarative sentence answering a question puts
    the answer where the wh-phrase was: "Who founded the firm?" — "X founded the firm"; "What was it
    known as?" — "it was known as X". Proximity measures the distance to one main word; these say which
    question words flank the candidate, and on which side."""
    positions = [i for i, (start, _, _) in enumerate(tokens) if candidate.start <= start < candidate.end]
    if not positions:
        return {}
    first, last = positions[0], positions[-1]
    before = {token for _, _, token in tokens[max(0, first - WINDOW) : first]}
    after = {token for _, _, token in tokens[last + 1 : last + 1 + WINDOW]}
    credits, _ = term_credits(question, weights, before | after)
    values = {"window_share": share_of(credits, weights)} if credits else {}
    next_word, last_word = question_neighbours(question)
    near_before = {token for _, _, token in tokens[max(0, first - NEIGHBOUR_REACH) : first]}
    near_after = {token for _, _, token in tokens[last + 1 : last + 1 + NEIGHBOUR_REACH]}
    if next_word and term_credits(question, {next_word: 1.0}, near_after)[0]:
        values["question_next_follows"] = 1.0
    if last_word and term_credits(question, {last_word: 1.0}, near_before)[0]:
        values["question_last_precedes"] = 1.0
    return values


@functools.lru_cache(maxsize=256)
def question_neighbours(question: Question) -> tuple[str | None, str | None]:
    """The stems of the question's first term after its wh-phrase (a be/have auxiliary skipped; none when another
    auxiliary comes first) and of its last term, names of the question left out. Cached: every candidate of a
    question asks for them."""
    words = tokenize(question.text)
    terms = set(question.terms) - entity_stems(question)  # a name is the question's topic, not the answer's neighbour
    wh = next((i for i, word in enumerate(words) if word in WH_WORDS), None)
    last_word = next((stem(word) for word in reversed(words) if stem(word) in terms), None)
    if wh is None:
        return None, last_word
    position = wh + 1
    if words[wh] == "how" and position < len(words) and words[position] not in AUXILIARIES:
        position += 1  # "how many", "how long": one wh-phrase
    if question.answer_noun and question.answer_noun in words[position : position + 3]:
        position = words.index(question.answer_noun, position) + 1  # "which NFL team": past the asked noun
    while position < len(words) and words[position] in PERFECT_PASSIVE_AUXILIARIES:
        position += 1  # "Who has won …", "What was founded …": the verb after be/have (after "did" comes the subject)
    next_word = None
    if position < len(words) and stem(words[position]) in terms:
        next_word = stem(words[position])
    return next_word, last_word


_CLAUSE_BREAK = re.compile(r"[;:()\"“”]|,(?!\s*$)")  # a comma just before the name is an apposition, not a break
_APPOSITION_AFTER = re.compile(r",\s+([^,;:()]{1,60})")


def description_share(candidate: Candidate, sentence: str, weights: dict[str, float]) -> float:
    """The share of the question's words right around a name that describe it: "the country's
    chief justice, Carl Holm" or "Carl Holm, the country's chief justice" for "Who is the
    country's chief justice?"."""
    before = _CLAUSE_BREAK.split(sentence[max(0, candidate.start - 60) : candidate.start])[-1]
    after = _APPOSITION_AFTER.match(sentence[candidate.end :])
    words = tokenize(before)[-5:] + (tokenize(after.group(1))[:6] if after else [])
    described = {stem(word) for word in words}
    return share_of({term: 1.0 for term in weights if term in described}, weights)


def cue_features(candidate: Candidate, sentence: str, question: Question) -> dict[str, float]:
    """Local patterns around the span that say whether it answers this kind of question (1 when present)."""
    before = sentence[max(0, candidate.start - 40) : candidate.start].lower()
    cues: dict[str, float] = {}
    if candidate.kind == "PLACE":
        if re.search(r"\b(?:in|at|near)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", before):
            cues["place_after_in_at_near"] = 1.0
        elif re.search(r"\b(?:from|to|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", before):
            cues["place_after_from_to_of"] = 1.0
        after = sentence[candidate.end : candidate.end + 60]
        if re.match(r"(?:’s|'s|’)\s", after):
            cues["place_possessive"] = 1.0
        if "base" in question.expanded_terms and after.startswith("-based"):
            # "the Paris-based TV channel X" says where X is based, not anything else in the sentence
            described = set(tokenize(" ".join(after.split()[:6])))
            cues["place_based_cue" if described & entity_tokens(question) else "place_based_other"] = 1.0
        elif "base" in question.expanded_terms and (re.search(r"\bbased in\b", before) or re.match(r",?\s+where\b[^.]{0,40}\bbased\b", after)):
            cues["place_based_cue"] = 1.0
        elif "base" in question.expanded_terms and "-based" in sentence and not re.search(r"(?<![-\w])based\b", sentence):
            cues["place_based_other"] = 1.0  # the sentence's only "based" is another thing's ("a Paris-based channel")
        if question.answer_noun in {"country", "countries", "nation"} and candidate.note not in {"country", None}:
            cues["place_wrong_kind"] = 1.0
        if question.answer_noun in {"city", "cities", "town", "capital"} and candidate.note == "country":
            cues["place_wrong_kind"] = 1.0
    if candidate.kind == "DATE":
        starting = {"begin", "began", "start", "first"} & set(question.content_words)
        asks_end = bool(ENDING_STEMS & set(question.terms))
        asks_start = bool(STARTING_STEMS & set(question.terms))
        if candidate.precision == "range" and (asks_end or asks_start):
            cues["date_range_for_one_end"] = 1.0
        elif (candidate.note == "range end" and asks_end) or (candidate.note == "range start" and asks_start):
            cues["date_range_side_asked"] = 1.0
        if re.search(r"\bsince\s*$", before) and question.wants_start:
            cues["date_since_asked"] = 1.0
        elif re.search(r"\bsince\s*$", before) and not starting:
            cues["date_since_not_asked"] = 1.0
        if question.wants_year and candidate.precision not in {"year", "month", "day"}:
            cues["date_imprecise_for_year"] = 1.0
    if candidate.kind == "NUMBER":
        wanted = alternatives(stem(question.answer_noun)) if question.answer_noun else set()
        if wanted:
            counted = {stem(token) for token in tokenize(candidate.counted or "")}
            earlier = {stem(token) for token in tokenize(sentence[max(0, candidate.start - 90) : candidate.start])}
            cues["number_counts_asked_noun" if counted & wanted else "number_asked_noun_before" if earlier & wanted else "number_asked_noun_absent"] = 1.0
        # the words right after a number are what it counts: "made three saves" answers
        # "How many times did … make saves?" even though the noun after "how many" is "times"
        others = set(question.terms) - wanted - entity_stems(question)
        following = {stem(token) for token in tokenize(" ".join((candidate.counted or "").split()[:2]))}
        if following & others:
            cues["number_counts_question_word"] = 1.0
        agreement = amount_agreement(wanted_amount(question.text), stated_amount(sentence, candidate.start, candidate.end))
        if agreement:
            cues[f"amount_{agreement}"] = 1.0
    if candidate.kind != "NUMBER" and wanted_amount(question.text) in {"money", "percent", "age"} and not re.search(r"\d", candidate.text):
        cues["amount_conflict"] = 1.0  # a name, or a phrase without a number, where only a number can answer
    if candidate.kind == "DURATION" and question.wants_start:
        cues["duration_for_start"] = 1.0
    if candidate.kind == "PERSON" and question.main_word:
        # "X, the head of Y": a person defined by the question's role word in an apposition
        role = re.match(r",\s+(?:the|a|an|its|his|her)\s+(?:[\w-]+\s+){0,2}?([\w-]+)", sentence[candidate.end :])
        if role and stem(role.group(1).lower()) in alternatives(question.main_word):
            cues["person_role_apposition"] = 1.0
        # the subject of the question's verb: "X, <apposition>, said …"
        rest = re.sub(r"^,[^,]{0,120},", "", sentence[candidate.end :]).lower()
        verb = re.match(r"\s*(?:had\s+|has\s+|have\s+|was\s+|were\s+|is\s+)?([\w’']+)", rest)
        if verb and stem(verb.group(1)) in alternatives(question.main_word):
            cues["person_subject_of_main_word"] = 1.0
    if candidate.kind == "OTHER" and question.main_word in SPEECH_WORDS:
        cues["quote_for_speech" if candidate.strength >= 0.9 else "other_for_speech"] = 1.0
    if candidate.kind == "OTHER" and question.answer_noun:
        named = stem(question.answer_noun) in {stem(token) for token in tokenize(candidate.text)}
        cues["answer_noun_in_candidate" if named else "answer_noun_not_in_candidate"] = 1.0
    return cues


def phrase_conjunctions(values: dict[str, float]) -> dict[str, float]:
    """The `PHRASE_CONJUNCTIONS` of a candidate's features: each syntax feature again, for untyped phrases only."""
    if not values.get("phrase"):
        return {}
    return {f"phrase_{name}": values[f"syntax_{name}"] for name in PHRASE_CONJUNCTIONS if values.get(f"syntax_{name}")}


def log_share(share: float) -> float:
    return math.log(share + SHARE_FLOOR)


def overlap_with_question(candidate: Candidate, question: Question) -> float:
    """The share of the candidate's words that are the question's own."""
    words = tokenize(candidate.text)
    if not words:
        return 1.0
    question_words = set(tokenize(question.text))
    return sum(word in question_words for word in words) / len(words)


def question_features(
    question: Question,
    logits: Sequence[float],
    top_coverage: float,
    best_coverage: float,
    missing: int,
    only_names: bool,
    top_names: float,
    phrase_answer: bool,
    top_features: dict[str, float],
    unmatched_weights: Sequence[float],
    misses_answer_noun: bool = False,
    misses_main_word: bool = False,
) -> dict[str, float]:
    """What the calibration weighs to say how likely the chosen answer is right: its score, its
    lead over the runner-up, and how well the articles cover the question."""
    top = logits[0] if logits else -10.0
    features = {
        "top_logit": top,
        "margin": min(top - logits[1], 10.0) if len(logits) > 1 else 10.0,
        "log_candidates": math.log(1 + len(logits)),
        "top_coverage": top_coverage,
        "best_coverage": best_coverage,
        "missing_words": float(missing),
        "only_names_match": float(only_names),
        "top_names": top_names,
        "phrase_answer": float(phrase_answer),
        "top_unmatched_weight": max(unmatched_weights, default=0.0),
        "top_unmatched_words": float(len(unmatched_weights)),
        "top_misses_answer_noun": float(misses_answer_noun),
        "top_misses_main_word": float(misses_main_word),
        "top_rank_gap": top_features.get("rank_gap", 0.0),
        "top_proximity": top_features.get("proximity", 0.0),
        "top_label_exact": top_features.get("syntax_label_exact", 0.0),
        "top_same_clause": top_features.get("syntax_same_clause_as_match", 0.0),
        "top_role_matches_wh": top_features.get("syntax_role_matches_wh", 0.0),
        "top_probability": 1.0 / sum(math.exp(logit - top) for logit in logits) if logits else 0.0,
    }
    kind = question.answer_type.lower()
    if f"type_{kind}" in QUESTION_FEATURES:
        features[f"type_{kind}"] = 1.0
    return features
