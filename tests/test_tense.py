"""Weekdays and months under a present-tense verb resolve forward from the article's date (qa.tense).

Sentences are made up. TUESDAY is the article's date: "Wednesday" is the next day in a sentence
about what is scheduled, the Wednesday six days earlier in one about what happened.
"""

import pytest

from qa.annotation import annotate
from qa.answerer import answer_from_sentences, measure_candidates
from qa.dates import resolve_dates
from qa.question import analyze_question
from qa.results import RetrievedSentence
from qa.tense import scheduled_offsets
from qa.text import analyze

TUESDAY = "2019-11-19"


def _resolved_with_parse(text: str, expression: str) -> str:
    scheduled = scheduled_offsets(annotate([text])[0])
    return {item.text: item.iso for item in resolve_dates(text, TUESDAY, scheduled) if item.relative}[expression]


@pytest.mark.parametrize(
    ("text", "expression", "iso"),
    [
        pytest.param("Brightwater Foods reports earnings Wednesday.", "Wednesday", "2019-11-20", id="present-simple-forward"),
        pytest.param("Brightwater Foods reported earnings Wednesday.", "Wednesday", "2019-11-13", id="past-backward"),
        pytest.param("The harbour board is meeting on Friday.", "on Friday", "2019-11-22", id="present-progressive-forward"),
        pytest.param("The harbour board has met on Friday.", "on Friday", "2019-11-15", id="present-perfect-backward"),
        pytest.param("The trial begins Monday in the county court.", "Monday", "2019-11-25", id="begins-forward"),
        pytest.param("The vote is Thursday.", "Thursday", "2019-11-21", id="copula-forward"),
        pytest.param("The new line opens in March.", "in March", "2020-03", id="month-forward"),
        pytest.param("The Ravens do not play Saturday.", "Saturday", "2019-11-23", id="negated-present-forward"),
    ],
)
def test_a_date_resolves_by_the_tense_of_its_own_verb(text, expression, iso):
    assert _resolved_with_parse(text, expression) == iso


@pytest.mark.parametrize(
    ("text", "expression", "iso"),
    [
        # the weekday describes a noun, not the present verb: the testimony was given before the article
        pytest.param("The hearing follows the testimony Monday of two officials.", "Monday", "2019-11-18", id="date-of-a-noun"),
        pytest.param("Saturday night's recordings are sharp.", "Saturday", "2019-11-16", id="possessive-date"),
        # news reports a statement in the present after it was made
        pytest.param("The mayor says Monday that the bridge is safe.", "Monday", "2019-11-18", id="verb-of-saying"),
        # "beat" is spelled alike in both tenses: the tagger reads a result with a weekday as past (VBD)
        pytest.param("The Ravens beat the Hawks on Sunday.", "on Sunday", "2019-11-17", id="same-form-past"),
    ],
)
def test_a_date_the_present_verb_does_not_govern_stays_in_the_past(text, expression, iso):
    assert _resolved_with_parse(text, expression) == iso


def test_without_a_parse_the_present_simple_keeps_the_backward_resolution():
    """Only the tagger can tell "reports" the verb from "reports" the noun: the unparsed resolution stays backward."""
    found = {item.text: item.iso for item in resolve_dates("Brightwater Foods reports earnings Wednesday.", TUESDAY) if item.relative}
    assert found["Wednesday"] == "2019-11-13"


def _sentence(text: str, headline: bool = False) -> RetrievedSentence:
    return RetrievedSentence(0, 5.0, text, "a.txt", "A", None, TUESDAY, 0, 0, 0, len(text), headline=headline)


def _date_candidates(question: str, sentence: RetrievedSentence) -> dict[str, str]:
    analysis = analyze_question(question)
    weights = {term: 1.0 for term in analyze(question)}
    measured = measure_candidates(analysis, [sentence], weights, weights)
    return {item.candidate.text: item.candidate.normalized for item in measured.evidence if item.candidate.kind == "DATE"}


def test_the_answerer_resolves_a_scheduled_date_of_a_parsed_sentence_forward():
    question = "When does Brightwater Foods report earnings?"
    sentence = _sentence("Brightwater Foods reports quarterly earnings Wednesday, with sales expected to rise.")
    assert _date_candidates(question, sentence)["Wednesday"] == "2019-11-20"
    reply = answer_from_sentences(analyze_question(question), [sentence], {term: 1.0 for term in analyze(question)})
    assert reply.answer == "20 November 2019" and "after the article's date" in reply.text


def test_a_headline_in_the_present_keeps_the_backward_resolution():
    """Headlines put past events in the present ("Firm cuts jobs"): theirs are not resolved forward."""
    sentence = _sentence("Brightwater Foods reports earnings Wednesday", headline=True)
    assert _date_candidates("When does Brightwater Foods report earnings?", sentence)["Wednesday"] == "2019-11-13"
