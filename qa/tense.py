"""Which weekdays and months of a parsed sentence belong to a verb in the present tense.

News states scheduled events in the present: "The company reports earnings Wednesday", "The
trial begins Monday", "The board is meeting on Friday", "The vote is Thursday". Past events are
in the past tense ("reported", "has met"). `qa.dates` resolves a weekday or a month backward
from the article's date unless its clause speaks of the future; this module finds, from spaCy's
tags and parse (`qa.annotation`), the date words whose own verb is in the present simple, the
present progressive or the present passive, so that they resolve forward.

Only a date word attached to the verb itself counts (its adverbial: "begins Monday", "meets on
Friday", "is Thursday"): one that describes a noun ("the testimony Tuesday of four officials",
"Saturday night's captures", "a late October harvest") takes no tense from the sentence's verb.
"""

from __future__ import annotations

from qa.annotation import Annotation, Token
from qa.dates import MONTH_NAMES, WEEKDAYS

DATE_WORDS = frozenset([day.capitalize() for day in WEEKDAYS] + [name for name in MONTH_NAMES if name])
# How a date word (or the phrase it heads) hangs on its verb: "begins Monday" (npadvmod), "is
# Thursday" (attr), "on Friday" (pobj, then the preposition's prep), "Monday and Tuesday" (conj).
_ATTACHMENTS = frozenset({"npadvmod", "attr", "advmod"})
# "Tuesday night": the weekday is a compound of these words, which carry the attachment.
_TIMES_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})
# Verbs of saying: "the minister says Monday it will …" dates the statement, which news reports
# in the present ("says") after it was made.
_SPEECH_VERBS = frozenset({"say", "tell", "add", "state", "claim", "announce", "confirm", "note", "write", "warn", "insist", "argue"})
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})


def scheduled_offsets(annotation: Annotation) -> frozenset[int]:
    """Character offsets of the weekday and month words whose verb is in the present tense."""
    tokens = annotation.tokens
    offsets = set()
    for position, token in enumerate(tokens):
        if token.text in DATE_WORDS and token.tag == "NNP":
            verb = _governing_verb(tokens, position)
            if verb is not None and speaks_of_schedule(tokens, verb):
                offsets.add(token.start)
    return frozenset(offsets)


def _governing_verb(tokens: tuple[Token, ...], position: int) -> int | None:
    """The verb a date word is an adverbial of, or None when it describes a noun (or the parse is unclear)."""
    token = tokens[position]
    while token.dep == "conj" and token.head != position:  # "Monday and Tuesday": the first carries the role
        position, token = token.head, tokens[token.head]
    if token.dep == "compound" and tokens[token.head].text.lower() in _TIMES_OF_DAY:
        position, token = token.head, tokens[token.head]
    if token.dep == "pobj":
        preposition = tokens[token.head]
        if preposition.dep != "prep":
            return None
        head = preposition.head
    elif token.dep in _ATTACHMENTS:
        head = token.head
    else:
        return None
    return head if tokens[head].pos in {"VERB", "AUX"} else None


def speaks_of_schedule(tokens: tuple[Token, ...], verb: int) -> bool:
    """Whether a verb is in the present simple ("reports", "does not play"), present progressive
    ("is meeting") or present passive ("is held"), and not a verb of saying."""
    token = tokens[verb]
    if token.lemma.lower() in _SPEECH_VERBS:
        return False
    auxiliaries = [other for other in tokens if other.head == verb and other.dep in {"aux", "auxpass"} and other is not token]
    if any(other.tag == "MD" or other.lemma == "have" for other in auxiliaries):
        return False  # "would meet", "has met": the marker rule and the past decide
    present_auxiliary = any(other.tag in _PRESENT_TAGS for other in auxiliaries)
    if not auxiliaries:
        return token.tag in _PRESENT_TAGS
    if token.tag == "VB":
        return present_auxiliary and all(other.lemma == "do" for other in auxiliaries)  # "does not play Saturday"
    if token.tag in {"VBG", "VBN"}:
        return present_auxiliary and all(other.lemma == "be" for other in auxiliaries)  # "is meeting", "is held"
    return False
