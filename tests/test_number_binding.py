"""Numbers are proposed for a count, amount, age or share question only where the parse binds them to what is asked."""

import pytest

from qa import number_binding
from qa.annotation import annotate
from qa.answerer import answer_from_sentences, measure_candidates
from qa.extract import find_numbers
from qa.number_binding import UNBOUND, asked_amount, binding_strength
from qa.question import analyze_question
from qa.results import RetrievedSentence
from qa.syntax import question_syntax
from qa.text import analyze

MUSEUM = "The museum opened at 10 a.m. on Saturday, and tickets sold out by noon."


def _sentence(row, text, doc="a.txt", date="2024-05-12", score=5.0):
    return RetrievedSentence(row, score, text, doc, doc.upper(), None, date, row, 0, 0, len(text))


def _ask(question, texts, **options):
    analysis = analyze_question(question)
    weights = {term: 1.0 + (len(term) % 3) for term in analyze(question)}
    return answer_from_sentences(analysis, [_sentence(row, text) for row, text in enumerate(texts)], weights, **options)


def _bound_numbers(question, sentence):
    asked = asked_amount(question, question_syntax(question, "NUMBER"))
    annotation = annotate([sentence])[0]
    return {candidate.text for candidate in find_numbers(sentence) if binding_strength(annotation, candidate.start, candidate.end, asked) > UNBOUND}


def test_a_clock_time_is_not_a_ticket_price_so_the_question_declines_with_the_closest_sentence():
    reply = _ask("How much did a ticket cost?", [MUSEUM])
    assert reply.declined and reply.answer is None
    assert any("museum" in item.sentence for item in reply.related)


def test_a_price_the_sentence_gives_for_the_ticket_is_still_answered():
    reply = _ask("How much did a ticket cost?", [MUSEUM, "Tickets for the opening cost $25 each, the museum said."])
    assert not reply.declined and reply.answer is not None and "25" in reply.answer


@pytest.mark.parametrize(
    ("question", "sentence", "bound"),
    [
        ("How many people were killed?", "At least 12 people were killed and 30 others were injured in the blast.", {"12"}),
        ("What was the death toll?", "The toll rose to 14 on Monday, two days after 40 homes burned.", {"14"}),
        ("How many passengers died?", "The number of passengers who died climbed to 9 by the evening.", {"9"}),
        ("How many seats does the older jet have?", "The older jet has 180 seats and flies at 900 km/h.", {"180"}),
        ("What percentage of members backed the plan?", "Some 55% of members backed the plan, up from 40 last year.", {"55%"}),
        ("How old is Dana Whitlow?", "Dana Whitlow, 41, paid $300 for the painting.", {"41"}),
        ("How old is the woman who founded the bakery?", "Mira Olsen, 62, of Northvale, founded the bakery with 3 friends.", {"62"}),
        ("How much was each club fined?", "Both clubs received $40,000 fines after 2 players were sent off.", {"$40,000"}),
        ("How many megawatts did the operator promise?", "The operator promised a 40 megawatt plant staffed by 12 engineers.", {"40"}),
        ("How old is Dana Whitlow?", "Whitlow is one of the first two women elected to the board.", set()),
        ("How old is Dana Whitlow?", "Whitlow is 41 and one of the first two women elected to the board.", {"41"}),
        ("How old is Dana Whitlow?", "The former sprinter, 41, was voted off the show on Monday.", {"41"}),
        ("How old is Dana Whitlow?", "The 41 year old was one of the guests at the opening.", {"41"}),
        ("How old is Dana Whitlow?", "Her coach, Ivo Marsh, 58, was voted off the show on Monday.", set()),
        ("How old is Dana Whitlow?", "The former sprinter, 41, was voted off the show after a race against Dana Whitlow.", set()),
        ("How many laps can the car drive?", "The car can drive laps at 300 km/h on the new track.", set()),
        ("How many laps can the car drive?", "The car can drive 40 laps at full speed.", {"40"}),
    ],
)
def test_only_the_number_bound_to_the_asked_noun_or_verb_is_proposed(question, sentence, bound):
    assert _bound_numbers(question, sentence) == bound


def test_a_question_that_asks_no_amount_is_left_alone():
    assert asked_amount("How far is the harbour from the station?", question_syntax("How far is the harbour from the station?", "NUMBER")) is None


def test_the_switch_turns_the_rule_off(monkeypatch):
    monkeypatch.setattr(number_binding, "BIND_NUMBERS", False)
    reply = _ask("How much did a ticket cost?", [MUSEUM])
    assert reply.answer is not None  # the old behaviour: the clock time's number is proposed and may win


def test_a_sum_bound_by_the_asked_noun_outranks_one_a_money_verb_takes_in_the_same_sentence():
    sentence = "The bakery chain earned $4.1 million, or $1.25 a share, as revenue climbed 6 percent to $88 million."
    question = analyze_question("How much revenue did the bakery chain take in?")
    weights = {term: 1.0 for term in analyze(question.text)}
    measured = measure_candidates(question, [_sentence(0, sentence)], weights, weights)
    proposed = {item.candidate.text for item in measured.evidence}
    assert "$88 million" in proposed and not proposed & {"$4.1 million", "$1.25"}
    assert _ask("How much revenue did the bakery chain take in?", [sentence]).answer == "$88 million"


def test_a_period_is_not_what_a_sum_was_paid_for():
    assert _bound_numbers("How much revenue did the chain bring in during the quarter?", "The chain reported $1.25 in per-share earnings for the third quarter.") == set()
