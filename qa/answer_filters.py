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

Measured on the fit data when it was introduced (see the README's section on answer filters).
"""

from __future__ import annotations

from qa.amounts import stated_amount, wanted_amount
from qa.extract import Candidate
from qa.question import Question
from qa.results import RetrievedSentence

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


def ruled_out(question: Question, sentence: RetrievedSentence, candidate: Candidate) -> str | None:
    """The name of the hard condition that rules the candidate out, or None when it may answer."""
    if amount_of_another_kind(question, sentence, candidate):
        return "amount_of_another_kind"
    return None
