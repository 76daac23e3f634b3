"""The kind of amount a question asks for and a number states (qa.amounts), and the features it feeds."""

import pytest

from qa.amounts import amount_agreement, stated_amount, wanted_amount
from qa.extract import find_numbers
from qa.features import cue_features
from qa.question import analyze_question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many branches does Orvale Bank run?", "count"),
        ("How much was the Tamsin club fined?", "money"),
        ("How much did the new bridge cost?", "money"),
        ("What is Dana Velk's salary?", "money"),
        ("What did Orvale Bank earn per share?", "money"),
        ("How old is Dana Velk?", "age"),
        ("At what age did Dana Velk retire?", "age"),
        ("What percentage of the vote did the party win?", "percent"),
        ("How tall is the Merrow tower?", "measure"),
        ("How many years did the Merrow siege last?", "duration"),
        ("How many square miles does Merrow cover?", "measure"),
        ("How many dollars did the Merrow fair raise?", "money"),
        ("What is the population of Merrow?", "count"),
        ("How much rain fell in Merrow?", None),
        ("What was sold at the Merrow fair?", None),
        ("Who founded Orvale Bank?", None),
    ],
)
def test_the_question_says_what_amount_it_wants(question, kind):
    assert wanted_amount(question) == kind


@pytest.mark.parametrize(
    ("sentence", "number", "kind"),
    [
        ("Dana Velk, 58, said the bank would grow.", "58", "age"),
        ("A 58-year-old man was arrested in Merrow.", "58", "age"),
        ("She retired aged 58 after a long career.", "58", "age"),
        ("Shares closed at $12.40 on Friday.", "$12.40", "money"),
        ("The club was fined 40,000 euros.", "40,000", "money"),
        ("Turnout rose to 61% this year.", "61", "percent"),
        ("Turnout rose 4 percentage points.", "4", "percent"),
        ("The tower is 210 metres tall.", "210", "measure"),
        ("Gates open at 9 a.m. on Saturday.", "9", "time"),
        ("The bank runs 120 branches.", "120", "count"),
        ("In 2020, 40 people attended.", "40", "count"),
        ("They met one day after the vote.", "one", "duration"),
        ("The siege lasted three full weeks.", "three", "duration"),
    ],
)
def test_a_number_states_its_kind_by_its_surroundings(sentence, number, kind):
    start = sentence.index(number)
    assert stated_amount(sentence, start, start + len(number)) == kind


def test_agreement_between_what_is_asked_and_what_is_stated():
    assert amount_agreement("count", "count") == "match"
    assert amount_agreement("count", "money") == "conflict"
    assert amount_agreement("money", "count") == "unmarked"
    assert amount_agreement("age", "time") == "conflict"
    assert amount_agreement(None, "money") is None


def test_money_questions_are_number_questions():
    assert analyze_question("What is Dana Velk's salary?").answer_type == "NUMBER"
    assert analyze_question("Which company paid the fine?").answer_type == "ORGANIZATION"


def test_the_cue_features_mark_a_price_given_for_a_count():
    sentence = "Orvale Bank earned $2.10 a share and runs 120 branches."
    question = analyze_question("How many branches does Orvale Bank run?")
    by_text = {candidate.text: cue_features(candidate, sentence, question) for candidate in find_numbers(sentence)}
    price = next(features for text, features in by_text.items() if "2.10" in text)
    count = next(features for text, features in by_text.items() if "120" in text)
    assert price.get("amount_conflict") == 1.0 and "amount_match" not in price
    assert count.get("amount_match") == 1.0 and "amount_conflict" not in count


def test_the_number_finder_and_the_amount_kinds_share_one_vocabulary():
    """A clock time, a unit or a currency sign the finder keeps in a number's span is the kind the amounts read."""
    sentence = "Doors open at 10 a.m., the hall is 3 square miles and the entry fee is NZ$12 for 2 nights."
    spans = {candidate.text: candidate for candidate in find_numbers(sentence)}
    assert {"10 a.m.", "3 square miles", "NZ$12"} <= set(spans)
    kinds = {text: stated_amount(sentence, spans[text].start, spans[text].end) for text in ("10 a.m.", "3 square miles", "NZ$12")}
    assert kinds == {"10 a.m.": "time", "3 square miles": "measure", "NZ$12": "money"}
    assert stated_amount(sentence, sentence.index("2 nights"), sentence.index("2 nights") + 1) == "duration"
