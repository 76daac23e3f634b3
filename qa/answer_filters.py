"""Hard conditions on what can be an answer at all: the rules that rule a candidate out.

The answer model (qa.answer_model) weighs evidence; some evidence is not a matter of degree. On the
fit data (every candidate of every fit question, `python -m qa train --samples`), a condition that
never holds for a right answer while it does hold for confident wrong ones is not left to a weight:
a softer feature would leave a price as the answer to "how old", whenever nothing better is around,
with a citation that looks convincing.

- `amount_of_another_kind`: the question asks for an age, a sum of money or a clock time, and the
  number states another marked kind of amount (money, a share, a clock time, an age): "$3 million"
  is no answer to "how old is she?", nor "10 a.m." to "what did a ticket cost?". Bare counts and
  measures are left to the model: "how many" is often answered by a share ("40% of voters").
- `document_never_names`: the question names someone or something ("How old is Jane Roe?") and the
  candidate's document never uses any of its names, in any sentence or its title: an article that never
  mentions Roe does not give Roe's age, whatever number it states. A name counts as used when one of
  its words is (a surname alone: "Roe"), its initialism ("UN" for "United Nations"), or for a place
  an adjective made from it ("the Kenyan capital"). Not required,
  because they cannot be checked word for word or do not name what the question is about: a name
  written as an initialism in the question ("NFL", "U.S."), a word that may be a demonym ("Kenyan"), a
  month or a weekday, a single capitalised word opening the question ("Along with …").

Measured on the fit data when it was introduced (see the README's section on answer filters).
"""

from __future__ import annotations

import functools
import re

from qa.amounts import stated_amount, wanted_amount
from qa.dates import MONTH_NAMES, WEEKDAYS
from qa.extract import Candidate, gazetteer
from qa.question import Question
from qa.results import RetrievedSentence
from qa.text import STOPWORDS, analyze, tokenize

# The switch of `document_never_names` (measured on and off in the README's "Answer filters").
NAME_CONDITION = True
# Kinds of amount a question can ask for unmistakably: its answer is a number of exactly that kind.
STRICT_WANTED = frozenset({"age", "money", "time"})
# Kinds of amount a sentence marks unmistakably (a currency, a per cent sign, a clock time, an age's shape).
MARKED_STATED = frozenset({"money", "percent", "time", "age"})


def amount_of_another_kind(question: Question, sentence: RetrievedSentence, candidate: Candidate) -> bool:
    """Whether a number states a marked kind of amount other than the unmistakable kind the question asks for."""
    if candidate.kind != "NUMBER":
        return False
    wanted = wanted_amount(question.text)
    if wanted not in STRICT_WANTED:
        return False
    stated = stated_amount(sentence.text, candidate.start, candidate.end)
    return stated in MARKED_STATED and stated != wanted


# Capitalised question words that are no one's name: a month or a weekday (or their abbreviations) names a
# time, not what is asked about.
CALENDAR_WORDS = frozenset(name.lower() for name in MONTH_NAMES if name) | frozenset(WEEKDAYS)
CALENDAR_WORDS |= frozenset(word[:3] for word in CALENDAR_WORDS) | {"sept", "tues", "thur", "thurs"}


# The endings of a demonym ("Kenyan", "Korean", "Chinese", "Danish", "Iraqi"): a single capitalised word
# ending so, unless the gazetteer knows it as a place ("Oman", "Milan"), may be an adjective of a place
# the article names otherwise ("Kenya"), or a surname; either way it cannot be checked word for word.
_ADJECTIVE_ENDING = re.compile(r"(?:an|ean|ese|ish|i)$")


def _required_name(name: str, question_text: str) -> bool:
    """Whether a question's name must be used by a document that answers it (see the module's docstring)."""
    words = name.split()
    if name.replace(".", "").isupper() or all(word.lower().rstrip(".") in CALENDAR_WORDS for word in words):
        return False
    if len(words) == 1 and question_text.lstrip(" \"'“‘(").startswith(name):
        return False  # a first word is capitalised by its place ("Besides …", "Along with …"), maybe no name
    return not (len(words) == 1 and _ADJECTIVE_ENDING.search(name) and name.lower() not in gazetteer())


# Adjectives of a place the gazetteer knows, made from its name ("Kenyan", "Peruvian", "German",
# "Chinese"): an article that says "the Kenyan capital" names Kenya.
PLACE_ADJECTIVE_ENDINGS = ("i", "n", "an", "ian", "ese", "ish")


def _forms(word: str) -> set[str]:
    """A name's word, and for a place its adjectives."""
    if word not in gazetteer():
        return {word}
    return {word} | {word + ending for ending in PLACE_ADJECTIVE_ENDINGS} | {word[:-1] + ending for ending in ("", *PLACE_ADJECTIVE_ENDINGS) if len(word) > 4}


@functools.lru_cache(maxsize=1024)
def _name_terms(entities: tuple[str, ...], question_text: str) -> frozenset[str]:
    terms: set[str] = set()
    for name in (name for name in entities if _required_name(name, question_text)):
        words = tokenize(name)
        for form in _forms(" ".join(words)) | {form for word in words for form in _forms(word)}:
            terms.update(analyze(form))
        if len(words) >= 2:
            initialism = "".join(word[0] for word in words if word not in STOPWORDS)
            terms.update(analyze(initialism) if len(initialism) >= 2 else ())
    return frozenset(terms)


def name_terms(question: Question) -> frozenset[str]:
    """The index terms (qa.text.analyze) of the words of the question's required names and of their
    initialisms; a document using none of them never names what the question is about."""
    return _name_terms(question.entities, question.text)


def document_never_names(question: Question, sentence: RetrievedSentence) -> bool:
    """Whether the sentence's document (any sentence, or its title) uses none of the question's names."""
    terms = name_terms(question)
    if not terms or sentence.document_name_terms is None or sentence.document_name_terms & terms:
        return False
    return not set(analyze(sentence.title)) & terms


def ruled_out(question: Question, sentence: RetrievedSentence, candidate: Candidate) -> str | None:
    """The name of the hard condition that rules the candidate out, or None when it may answer."""
    if amount_of_another_kind(question, sentence, candidate):
        return "amount_of_another_kind"
    if NAME_CONDITION and document_never_names(question, sentence):
        return "document_never_names"
    return None
