"""Hard answer conditions (qa.answer_filters): what can be an answer at all. Made-up names and sentences."""

from qa import answerer
from qa.answer_filters import amount_of_another_kind, ruled_out
from qa.extract import Candidate
from qa.question import analyze_question
from qa.results import RetrievedSentence


def _sentence(text):
    return RetrievedSentence(1, 5.0, text, "a.txt", "A", None, "2024-05-12", 1, 0, 0, len(text))


def _number(sentence, text):
    start = sentence.index(text)
    return Candidate("NUMBER", text, start, start + len(text), text)


def test_an_amount_of_another_marked_kind_is_no_answer():
    age = analyze_question("How old is Ora Quist?")
    text = "Ora Quist, who is worth $3 million, is 52 years old."
    assert amount_of_another_kind(age, _sentence(text), _number(text, "$3 million"))
    assert not amount_of_another_kind(age, _sentence(text), _number(text, "52"))
    price = analyze_question("How much did a ticket to the Brisco fair cost?")
    text = "The fair opens at 10 a.m. and a ticket costs $12."
    assert amount_of_another_kind(price, _sentence(text), _number(text, "10 a.m."))
    assert not amount_of_another_kind(price, _sentence(text), _number(text, "$12"))


def test_a_count_question_keeps_a_share_for_the_model_to_weigh():
    count = analyze_question("How many voters backed the Brisco plan?")
    text = "About 40% of voters backed the Brisco plan."
    assert not amount_of_another_kind(count, _sentence(text), _number(text, "40%"))
    assert ruled_out(count, _sentence(text), _number(text, "40%")) is None


def test_a_sum_of_money_is_not_proposed_for_an_age_even_where_no_parse_binds_numbers(monkeypatch):
    # beyond the best-ranked sentences the answerer parses, no parse binds a number to what is asked
    monkeypatch.setattr(answerer, "ANNOTATED_SENTENCES", 0)
    question = analyze_question("How old is Ora Quist?")
    text = "Ora Quist, 52, paid $3 million for the farm."
    measured = answerer.measure(question, [_sentence(text)], {})
    numbers = {item.candidate.text for item in measured.evidence if item.candidate.kind == "NUMBER"}
    assert numbers == {"52"}
