"""Answerability: the probability that the chosen answer is right, from question-level evidence.

The candidate scorer (qa.answer_model) says which candidate is the best answer; this module says
whether the articles answer the question at all. Questions written to look answerable but that
the articles do not answer (SQuAD 2.0's unanswerable ones, or "how much did the ticket cost?"
over a story that gives no price) usually leave a trace in the best sentence: the question's
verb or asked noun is not there, one of its names or numbers is missing, the sentence negates
what is asked, or the best candidate does not have the role the question asks for.

`answerability_features` measures that evidence as named numbers; a small logistic regression
(weights in qa/data/answerability.json, written by `python -m qa train`, see
`qa.answerability_training`) turns them into the probability that the reply's answer is right.
That probability is the reply's confidence; below the file's threshold the reply declines.
Inference is a dot product: no fitting library at run time.

The file holds two thresholds, each chosen by the same rule on its own kind of fit questions (the
most unanswerable ones declined while at most 20% of answerable ones are): `threshold`, the app's,
on news, and `encyclopedia_threshold`, on SQuAD 2.0's encyclopedia paragraphs, which the SQuAD
evaluation uses.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from qa.annotation import Annotation, annotate
from qa.answer_kind import KIND_FEATURES, answer_kind, kind_agreement
from qa.answer_model import LinearModel
from qa.matching import alternatives, entity_stems
from qa.syntax import question_syntax
from qa.text import analyze, stem, tokenize
from qa.weights_file import ModelFileError, read_weights_file, write_weights_file

DEFAULT_ANSWERABILITY = Path(__file__).resolve().parent / "data" / "answerability.json"
TextKind = Literal["news", "encyclopedia"]  # the kinds of text with a threshold of their own
FORMAT_VERSION = 2  # 2: a second threshold, for encyclopedia text (the SQuAD evaluation)

NEGATION_WORDS = frozenset("not no never n't nt none nobody nothing neither nor without".split())
# Parts of speech whose lemmas carry what a question asks about (not its function words).
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
_NUMBER = re.compile(r"\d[\d,.]*")
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "last": -1, "final": -1,
}  # fmt: skip
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
# Prefixes that turn a word into its opposite ("unestablished", "non-violent", "disagree"): a question
# word made of one of these and a word of the sentence asks the opposite of what the sentence says.
NEGATIVE_PREFIXES = ("non-", "non", "un", "dis", "in", "im", "il", "ir", "anti-", "anti")

ANSWERABILITY_FEATURES = (
    # what the answer model says about its own choice
    "answer_share",  # the chosen answer's share of the candidate scorer's probability (softmax over answers)
    "answer_margin",  # its logit minus the runner-up's (capped at 10; 10 without a runner-up)
    "answer_logit",  # its logit
    "answer_label_exact",  # its entity label names the expected type (qa.syntax)
    "answer_role_matches_wh",  # it has the role the question's wh-word has (subject, object, oblique)
    "answer_same_clause",  # it sits in the clause of a question word
    "answer_near_match",  # 1 / (1 + parse edges to the nearest question word)
    "answer_amount_match",  # it states the kind of amount asked for (qa.amounts)
    "answer_amount_conflict",  # … another kind ("$2.53" for "how many stores")
    "answer_amount_unmarked",  # a bare count where money, a share, a measure or an age is asked
    "answer_counts_another_noun",  # "how many ferries …" answered by a number whose sentence never names ferries
    *KIND_FEATURES,  # its kind (a number, a name, a common noun) against the kind asked for (qa.answer_kind)
    # how well the chosen answer's sentence holds what is asked
    "sentence_coverage",  # weighted share of the question's terms the sentence matches
    "best_coverage",  # the best coverage of any retrieved sentence
    "sentence_rank_gap",  # the sentence's rank score minus the best sentence's (0 at best)
    "sentence_retrieval",  # its BM25 relative to the best retrieved sentence
    "largest_unmatched_weight",  # the largest share of the question's weight one unmatched term carries
    "unmatched_terms",  # how many question terms the sentence does not match
    "verb_in_sentence",  # the question's verb (by lemma, or a synonym's stem) is in the sentence
    "verb_in_parsed_sentences",  # … in one of the best-ranked parsed sentences
    "asked_noun_in_sentence",  # the noun the question asks about ("which treaty") is in the sentence
    "content_lemmas_missing",  # share of the question's content lemmas missing from the sentence and its neighbours
    "only_names_in_sentence",  # the sentence matches the question's names and none of its other words
    "names_missing_sentence",  # share of the question's names none of whose words the sentence (or its context) mentions
    "names_missing_paragraph",  # … its paragraph and title do not mention
    "name_words_missing_paragraph",  # share of the words of the question's names its paragraph and title do not mention
    "numbers_missing_sentence",  # share of the question's numbers the sentence does not state
    "question_negated_only",  # the question is negated ("who did not …"), the sentence is not
    "sentence_negated_only",  # the sentence is negated, the question is not
    "opposite_word",  # a question word is a sentence word with a negative prefix ("unestablished" for "established")
    "ordinal_missing_sentence",  # the question's ordinal or count word ("second", "five") is not the sentence's
    # how well the articles cover the question at all
    "words_missing_everywhere",  # question words no retrieved sentence mentions
    "no_verb",  # the question has no verb besides "be" (the verb features are then 0)
    "no_asked_noun",  # the question names no asked noun
    "no_names",  # the question has no names
)


@dataclass(frozen=True)
class Answerability:
    """The fitted answerability model and its decline thresholds."""

    model: LinearModel
    threshold: float  # the app's: chosen on news questions
    encyclopedia_threshold: float  # chosen on SQuAD 2.0's encyclopedia questions, for the SQuAD evaluation
    training: dict

    def probability(self, values: dict[str, float]) -> float:
        return self.model.probability(values)

    def threshold_for(self, text_kind: TextKind) -> float:
        return self.encyclopedia_threshold if text_kind == "encyclopedia" else self.threshold

    def to_json(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "threshold": round(self.threshold, 4),
            "encyclopedia_threshold": round(self.encyclopedia_threshold, 4),
            "model": self.model.to_json(),
            "training": self.training,
        }

    def save(self, path: Path) -> None:
        write_weights_file(path, self.to_json())


def parse_answerability(data: dict) -> Answerability:
    """An answerability model from its file's JSON, checked against `ANSWERABILITY_FEATURES`."""
    try:
        if data.get("format") != FORMAT_VERSION:
            raise ModelFileError(f"the answerability file has format {data.get('format')!r}, expected {FORMAT_VERSION}")
        return Answerability(
            LinearModel.from_json(data["model"], ANSWERABILITY_FEATURES, "answerability"),
            float(data["threshold"]),
            float(data["encyclopedia_threshold"]),
            dict(data.get("training") or {}),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelFileError(f"the answerability file is malformed ({type(error).__name__}: {error})") from None


@functools.lru_cache(maxsize=4)
def load_answerability(path: Path = DEFAULT_ANSWERABILITY) -> Answerability:
    """The answerability model of a weights file (cached: read once at start-up)."""
    return parse_answerability(read_weights_file(path, "answerability model"))


# ---------------------------------------------------------------- evidence


def _lemmas(annotation: Annotation) -> set[str]:
    return {token.lemma.lower() for token in annotation.tokens} | {token.text.lower() for token in annotation.tokens}


def _stems(text: str) -> set[str]:
    return {stem(token) for token in tokenize(text)}


def _has(lemma: str, lemmas: set[str], stems: set[str]) -> bool:
    """A question lemma is in a sentence: the same lemma, or its stem or a synonym's stem."""
    return lemma in lemmas or bool(alternatives(stem(lemma)) & stems)


def _share_missing(items: Sequence[str], present) -> float:
    return sum(not present(item) for item in items) / len(items) if items else 0.0


def _named_in_full(name: Sequence[str], document_terms: frozenset[str] | None) -> bool:
    """Whether a document uses every word of a name (`document_terms`: the question's name terms it uses,
    qa.pipeline.with_document_idf)."""
    return bool(document_terms) and all(set(analyze(word)) <= document_terms for word in name)


def _negated(words: set[str]) -> bool:
    return bool(words & NEGATION_WORDS)


def _numbers(text: str) -> set[str]:
    return {match.group(0).rstrip(".,").replace(",", "") for match in _NUMBER.finditer(text)}


def _counts(words: Sequence[str]) -> set[int]:
    """The ordinals and small counts a text names in words ("second", "2nd", "III", "five")."""
    from qa.extract import NUMBER_WORDS

    found = set()
    for word in words:
        lowered = word.lower()
        digits = _ORDINAL_DIGITS.match(lowered)
        if lowered in ORDINAL_WORDS:
            found.add(ORDINAL_WORDS[lowered])
        elif lowered in NUMBER_WORDS and NUMBER_WORDS[lowered] <= 20:
            found.add(NUMBER_WORDS[lowered])
        elif digits:
            found.add(int(digits.group(1)))
        elif word.isupper() and lowered in _ROMAN and len(word) > 1:
            found.add(_ROMAN[lowered])
    return found


def _opposite(word: str, stems: set[str]) -> bool:
    """Whether `word` is a sentence word with a negative prefix ("unestablished", "non-imperialistic")."""
    for prefix in NEGATIVE_PREFIXES:
        rest = word[len(prefix) :].lstrip("-")
        if word.startswith(prefix) and len(rest) >= 4 and stem(rest) in stems and stem(word) not in stems:
            return True
    return False


def question_evidence(question_text: str, expected_type: str) -> dict:
    """What the question's parse says it asks about: its verb, asked noun, content lemmas, numbers, negation."""
    syntax = question_syntax(question_text, expected_type)
    tokens = syntax.annotation.tokens
    wh = {token.lemma.lower() for token in tokens if token.tag in {"WDT", "WP", "WP$", "WRB"}}
    content = sorted({
        token.lemma.lower() for token in tokens
        if token.pos in CONTENT_POS and token.lemma.lower() not in wh and token.lemma.lower() not in {"be", "do", "have"} and len(token.text) > 1
    })  # fmt: skip
    verb = syntax.main_verb_lemma if syntax.main_verb_lemma not in {"be", "do", "have", ""} else ""
    return {
        "verb": verb,
        "asked_noun": syntax.asked_noun_lemma,
        "content": content,
        "numbers": sorted(_numbers(question_text)),
        "counts": sorted(_counts([token.text for token in tokens if token.tag != "WRB"])),
        # with hyphenated words joined again: the parser splits "non-violent" into "non", "-", "violent"
        "words": [token.text.lower() for token in tokens if token.pos in CONTENT_POS]
        + [
            f"{tokens[index].text}-{tokens[index + 2].text}".lower() for index in range(len(tokens) - 2)
            if tokens[index + 1].text == "-" and tokens[index + 1].start == tokens[index].end and tokens[index + 2].start == tokens[index + 1].end
        ],  # fmt: skip
        "negated": _negated({token.text.lower() for token in tokens}),
    }


def answerability_features(measured, groups: Sequence) -> dict[str, float]:
    """The `ANSWERABILITY_FEATURES` of a question's chosen answer (`groups[0]`, from qa.answerer.rank_groups).

    `measured` is the question's qa.answerer.Measured; the sentences the answerer parsed (the
    best-ranked ones holding candidates) are searched for the question's verb."""
    question = measured.question
    asked = question_evidence(question.text, question.answer_type)
    names = [tokens for tokens in (tuple(tokenize(entity)) for entity in question.entities) if tokens]
    features = dict.fromkeys(ANSWERABILITY_FEATURES, 0.0)
    features["no_verb"] = float(not asked["verb"])
    features["no_asked_noun"] = float(not asked["asked_noun"])
    features["no_names"] = float(not names)
    features["words_missing_everywhere"] = float(len(measured.missing))
    features["best_coverage"] = max(measured.coverages.values(), default=0.0)
    if not groups:
        features["answer_logit"] = -10.0
        return features
    top = groups[0]
    logits = [group.logit for group in groups]
    features["answer_share"] = top.score
    features["answer_logit"] = top.logit
    features["answer_margin"] = min(logits[0] - logits[1], 10.0) if len(logits) > 1 else 10.0
    values = top.features
    features["answer_label_exact"] = values.get("syntax_label_exact", 0.0)
    features["answer_role_matches_wh"] = values.get("syntax_role_matches_wh", 0.0)
    features["answer_same_clause"] = values.get("syntax_same_clause_as_match", 0.0)
    features["answer_near_match"] = values.get("syntax_near_match", 0.0)
    features["answer_counts_another_noun"] = values.get("number_asked_noun_absent", 0.0)
    for agreement in ("match", "conflict", "unmarked"):
        features[f"answer_amount_{agreement}"] = values.get(f"amount_{agreement}", 0.0)
    features["sentence_rank_gap"] = values.get("rank_gap_across_documents", 0.0)
    features["sentence_retrieval"] = values.get("retrieval", 0.0)

    sentence = top.evidence[0].sentence
    row = sentence.row
    features["sentence_coverage"] = measured.coverages.get(row, 0.0)
    matched = measured.matched.get(row, set())
    total = sum(measured.weights.values()) or 1.0
    unmatched = [weight / total for term, weight in measured.weights.items() if term not in matched and not alternatives(term) & matched]
    features["largest_unmatched_weight"] = max(unmatched, default=0.0)
    name_stems = entity_stems(question)
    features["only_names_in_sentence"] = float(
        bool(matched) and matched <= name_stems and any(term not in name_stems for term in measured.weights)
    )  # "What is X's salary?" over "X has a net worth of $5 million": about X, not about what is asked
    features["unmatched_terms"] = float(len(unmatched))

    parsed = {
        item.sentence.row: item.sentence.text for item in measured.evidence if item.features.get("annotated") and item.sentence.row != row
    }
    parsed_texts = list(parsed.values())
    annotations = annotate([sentence.text, *parsed_texts])
    lemmas = _lemmas(annotations[0])
    candidate = top.evidence[0].candidate
    kind = answer_kind(annotations[0], candidate.start, candidate.end)
    features.update(kind_agreement(kind, question.answer_type))
    nearby = sentence.text + " " + sentence.context + " " + sentence.neighbours
    stems = _stems(nearby)
    if asked["verb"]:
        features["verb_in_sentence"] = float(_has(asked["verb"], lemmas, _stems(sentence.text)))
        features["verb_in_parsed_sentences"] = float(
            features["verb_in_sentence"] > 0
            or any(_has(asked["verb"], _lemmas(annotation), _stems(annotation.text)) for annotation in annotations[1:])
        )
    if asked["asked_noun"]:
        features["asked_noun_in_sentence"] = float(_has(asked["asked_noun"], lemmas, stems))
    features["content_lemmas_missing"] = _share_missing(asked["content"], lambda lemma: _has(lemma, lemmas, stems))
    sentence_tokens = set(tokenize(sentence.text + " " + sentence.context + " " + sentence.title))
    paragraph_tokens = sentence_tokens | set(tokenize(sentence.paragraph_text + " " + sentence.neighbours))
    # a name is mentioned when one of its words is ("Brannock" for "Edda Brannock")
    features["names_missing_sentence"] = _share_missing(names, lambda name: bool(set(name) & sentence_tokens))
    features["names_missing_paragraph"] = _share_missing(names, lambda name: bool(set(name) & paragraph_tokens))
    # news gives a name in full once, then its surname: a name the document uses in full and the paragraph in
    # part counts as a whole ("Brannock, who …" after "Edda Brannock" further up)
    in_full = {word for name in names if set(name) & paragraph_tokens and _named_in_full(name, sentence.document_name_terms) for word in name}
    features["name_words_missing_paragraph"] = _share_missing(
        sorted({word for name in names for word in name}), lambda word: word in paragraph_tokens or word in in_full
    )
    # a year is stated also by a date the sentence resolves to it ("on Sunday" in an article of that year)
    stated = _numbers(sentence.text) | matched
    features["numbers_missing_sentence"] = _share_missing(asked["numbers"], lambda number: number in stated or stem(number) in stated)
    sentence_words = {token.text.lower() for token in annotations[0].tokens}
    sentence_negated = _negated(sentence_words)
    features["question_negated_only"] = float(asked["negated"] and not sentence_negated)
    features["sentence_negated_only"] = float(sentence_negated and not asked["negated"])
    features["opposite_word"] = float(any(_opposite(word, stems) for word in asked["words"]))
    if asked["counts"]:
        stated_counts = _counts([token.text for token in annotations[0].tokens])
        features["ordinal_missing_sentence"] = _share_missing(asked["counts"], lambda count: count in stated_counts)
    return features


def decisive_features(answerability: Answerability, values: dict[str, float], count: int = 5) -> list[dict]:
    """The features that moved the probability most, for the reply's trace."""
    return [{"feature": name, "contribution": round(value, 3)} for name, value in answerability.model.contributions(values)[:count]]
