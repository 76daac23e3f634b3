"""What kind of thing an answer is (a number, a name, a common noun), and whether that is the kind asked for.

A "who" question answered by a score ("61-21"), a "where" question by a quantity ("three cups of
sugar"), a "which company" question by a common noun ("gas"): when the articles hold no answer of
the asked kind, the best candidate of another kind still wins the softmax, and its probability
share says nothing about the mismatch. The answer's kind is read from the spaCy annotation of its
sentence (qa.annotation): its tokens' parts of speech and the entities it overlaps, never from
word lists. The answerability model (qa.answerability) weighs the agreement as features; the
fitted weights decide what a conflict is worth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.annotation import Annotation
from qa.syntax import entity_type, span_tokens

# OntoNotes labels of entities that are amounts, dates or positions (a number, in words or digits).
NUMERIC_LABELS = frozenset({"DATE", "DURATION", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
# Answer types asking for a named thing: a person, a place or an organisation.
NAME_TYPES = frozenset({"PERSON", "PLACE", "ORGANIZATION"})
# Answer types asking for a number: an amount, a date, a length of time.
NUMBER_TYPES = frozenset({"NUMBER", "DATE", "DURATION"})
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class AnswerKind:
    """The kind of an answer span, from its sentence's annotation."""

    number: bool  # it holds a number: a digit, a token tagged NUM, or an amount / date entity
    name: bool  # it holds a proper noun outside a date or an amount, or overlaps a named entity that is neither


def answer_kind(annotation: Annotation, start: int, end: int) -> AnswerKind:
    """The `AnswerKind` of the characters [start, end) of an annotated sentence."""
    indices = span_tokens(annotation, start, end)
    tokens = [annotation.tokens[index] for index in indices]
    entities = [
        (entity_start, entity_end, entity_type(annotation, entity_start, entity_end, label))
        for entity_start, entity_end, label in annotation.entities
        if entity_start < end and entity_end > start
    ]
    labels = {label for _, _, label in entities}
    # a proper noun inside a date or an amount ("Friday", "May") is not a name
    in_numeric = [any(s <= token.start < e for s, e, label in entities if label in NUMERIC_LABELS) for token in tokens]
    number = any(token.pos == "NUM" or _DIGIT.search(token.text) for token in tokens) or bool(labels & NUMERIC_LABELS)
    name = any(token.pos == "PROPN" and not numeric for token, numeric in zip(tokens, in_numeric)) or bool(labels - NUMERIC_LABELS)
    return AnswerKind(number=number, name=name)


KIND_FEATURES = (
    "answer_number_for_name",  # a number, score or date and no name where a person, place or organisation is asked ("61-21" for "who")
    "answer_common_noun_for_name",  # no name and no number where a person, place or organisation is asked ("incubator" for "who")
    "answer_no_number_for_number",  # no number (in digits, words or a date) where an amount, a date or a length of time is asked
)


def kind_agreement(kind: AnswerKind, expected_type: str) -> dict[str, float]:
    """The `KIND_FEATURES` of an answer of this kind to a question of this answer type (1 when a conflict holds)."""
    features = dict.fromkeys(KIND_FEATURES, 0.0)
    if expected_type in NAME_TYPES:
        features["answer_number_for_name"] = float(kind.number and not kind.name)
        features["answer_common_noun_for_name"] = float(not kind.number and not kind.name)
    elif expected_type in NUMBER_TYPES:
        features["answer_no_number_for_number"] = float(not kind.number)
    return features
