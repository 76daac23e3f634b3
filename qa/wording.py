"""How a reply is worded for readers: confidence in words, and what several answers mean."""

from __future__ import annotations

from qa.answerer import DEFAULT_THRESHOLD
from qa.results import Answer

# Confidence bands shown with an answer. Answers below DEFAULT_THRESHOLD are withheld, so the lowest
# band starts there; 0.5 and 0.75 split the rest into thirds of roughly equal width. They only word the
# score for readers and decide nothing.
MEDIUM_CONFIDENCE = 0.5
HIGH_CONFIDENCE = 0.75
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def confidence_words(answer: Answer) -> str:
    """'High confidence (0.82)' and the like; the score is the answerer's, between 0 and 1."""
    if answer.declined:
        return f"Below the answer threshold ({answer.confidence:.2f} < {DEFAULT_THRESHOLD:.2f})"
    if answer.confidence >= HIGH_CONFIDENCE:
        band = "High"
    elif answer.confidence >= MEDIUM_CONFIDENCE:
        band = "Medium"
    else:
        band = "Low"
    return f"{band} confidence ({answer.confidence:.2f})"


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
