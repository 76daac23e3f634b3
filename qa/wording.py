"""How a reply is worded for readers: confidence in words, and what several answers mean."""

from __future__ import annotations

from qa.answer_model import confidence_words as probability_words
from qa.answerability import load_answerability
from qa.results import Answer

_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def confidence_words(answer: Answer) -> str:
    """'Fairly sure: 72% likely right' — the answer model's calibrated probability, in words and as a number."""
    if answer.declined:
        # the threshold the reply was decided with (a caller may set its own), else the app's
        why = answer.extra.get("why") or {}
        threshold = why["threshold"] if "threshold" in why else load_answerability().threshold
        return f"Not answered: {answer.confidence:.0%} likely right is below the answer threshold of {threshold:.0%}"
    return f"{probability_words(answer.confidence).capitalize()}: {answer.confidence:.0%} likely right"


def several_answers_heading(answer: Answer) -> str | None:
    """A heading for an answer with several options, or None for one answer.

    Dates from different articles are different events the sources report (two meetings on two
    days), not a contradiction; several places, people or numbers for one question are a
    disagreement between sources. The answerer may say which in `extra["options_kind"]`.
    """
    count = len(answer.options)
    if count < 2:
        return None
    kind = answer.extra.get("options_kind") or ("events" if answer.answer_type == "DATE" else "disagreement")
    number = _NUMBER_WORDS.get(count, str(count))
    if kind == "events":
        return f"The sources report {number} events"
    return f"The sources disagree: {number} answers"
