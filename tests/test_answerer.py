"""The answerer on hand-made sentences: typed answers, conflicts, abstention, citations by construction."""

import math

import pytest

from qa.answerer import Evidence, Group, answer_from_sentences
from qa.extract import Candidate
from qa.options import OPTION_RANK_MARGIN, options_to_show
from qa.question import analyze_question
from qa.results import RetrievedSentence
from qa.text import analyze


def _sentence(row, text, doc="a.txt", date="2024-05-12", score=5.0):
    return RetrievedSentence(row, score, text, doc, doc.upper(), None, date, row, 0, 0, len(text))


def _idf(question):
    return {term: 1.0 + (len(term) % 3) for term in analyze(question)}


def _ask(question, sentences, **options):
    analysis = analyze_question(question)
    return answer_from_sentences(analysis, sentences, {term: 1.0 for term in analysis.terms} | _idf(question), **options)


def test_place_answer_is_not_the_questions_own_entity():
    reply = _ask("Where is Maria Lopez based?", [_sentence(0, "Maria Lopez, who is based in Madrid, met the mayor in Lisbon.")])
    assert reply.answer == "Madrid"
    citation = reply.citations[0]
    assert citation.sentence[citation.answer_start : citation.answer_end] == "Madrid"


def test_two_dated_events_are_both_shown_with_their_own_citations():
    sentences = [
        _sentence(0, "The ministers met on March 3, 2024, in Geneva.", doc="a.txt"),
        _sentence(1, "The ministers met on Sunday in Vienna.", doc="b.txt", date="2023-11-05"),
    ]
    reply = _ask("When did the ministers meet?", sentences)
    assert [option.answer for option in reply.options] == ["3 March 2024", "5 November 2023"]
    assert [option.citation_numbers for option in reply.options] == [(1,), (2,)]
    assert "[1]" in reply.text and "[2]" in reply.text
    assert "on Sunday — 5 November 2023, the article's date" in reply.text


def test_both_events_are_shown_however_sharp_the_answer_models_softmax():
    """A refit reshapes the softmax over answers: the second event must not hang on its share of it."""
    from dataclasses import replace

    from qa.answer_model import load_model

    model = load_model()
    sentences = [
        _sentence(0, "The ministers met on March 3, 2024, in Geneva.", doc="a.txt"),
        _sentence(1, "The ministers met on Sunday in Vienna.", doc="b.txt", date="2023-11-05"),
    ]
    for factor in (0.5, 1.0, 2.0, 3.0):  # a softer or sharper model orders the same candidates the same way
        candidate = replace(model.candidate, weights=tuple(weight * factor for weight in model.candidate.weights), intercept=model.candidate.intercept * factor)
        reply = _ask("When did the ministers meet?", sentences, model=replace(model, candidate=candidate))
        assert [option.answer for option in reply.options] == ["3 March 2024", "5 November 2023"], factor


def test_a_date_overlapping_the_shown_one_is_the_same_account_not_another_event():
    sentences = [
        _sentence(0, "The ministers met on March 3, 2024, in Geneva.", doc="a.txt"),
        _sentence(1, "The ministers met in Geneva last week.", doc="b.txt", date="2024-03-09"),  # the week holding 3 March
    ]
    reply = _ask("When did the ministers meet?", sentences)
    assert [option.answer for option in reply.options] == ["3 March 2024"]


def test_a_syndicated_copy_is_not_another_source_of_events():
    from dataclasses import replace

    copy = replace(_sentence(1, "The ministers met on Sunday in Vienna.", doc="b.txt", date="2023-11-05"), source="a.txt")
    reply = _ask("When did the ministers meet?", [_sentence(0, "The ministers met on March 3, 2024, in Geneva.", doc="a.txt"), copy])
    assert len(reply.options) == 1


def test_sources_that_say_the_same_about_the_question_but_disagree_on_the_answer_are_both_shown():
    sentences = [_sentence(0, "The ministers met in Geneva on Monday.", doc="a.txt"), _sentence(1, "The ministers met in Vienna on Monday.", doc="b.txt")]
    reply = _ask("Where did the ministers meet?", sentences)
    assert {option.answer for option in reply.options} == {"Geneva", "Vienna"}
    assert "The sources give 2 answers" in reply.text


def test_another_way_of_naming_a_shown_answer_is_not_another_answer():
    def group(doc, label, note=None):
        sentence = _sentence(0 if doc == "a.txt" else 1, f"They said {label} did it.", doc=doc)
        start = sentence.text.index(label)
        evidence = Evidence(sentence, Candidate("NAME", label, start, start + len(label), label.lower(), note=note), 1.0, 3.0)
        return Group(label, label.lower(), 1.0, (evidence,))

    def shown(question, first, second):
        return [group.label for group in options_to_show(analyze_question(question), [first, second], [second])]

    assert shown("Who chairs the board?", group("a.txt", "Jane Roe"), group("b.txt", "Ms Jane Roe")) == ["Jane Roe"]
    assert shown("Who chairs the board?", group("a.txt", "Jane Roe"), group("b.txt", "Ann Poe")) == ["Jane Roe", "Ann Poe"]
    assert shown("Where is the board based?", group("a.txt", "Lyon"), group("b.txt", "France")) == ["Lyon"]


def test_a_source_alone_is_ranked_against_its_own_best_sentence():
    from qa.answerer import measure, missing_words
    from qa.options import alone

    question = analyze_question("When did the ministers meet?")
    sentences = [
        _sentence(0, "The ministers met on March 3, 2024, in Geneva.", doc="a.txt", score=9.0),
        _sentence(1, "The ministers met on 5 November 2023 in Vienna.", doc="b.txt", score=3.0),
    ]
    measured = measure(question, sentences, {term: 1.0 for term in question.terms})
    in_b = [item for item in measured.evidence if item.sentence.doc == "b.txt"]
    assert in_b and all(item.features["retrieval"] < 1.0 for item in in_b)  # beside a.txt's sentence
    only_b = alone(measured, "b.txt", missing_words)
    assert {item.sentence.doc for item in only_b.evidence} == {"b.txt"} and [sentence.doc for sentence in only_b.sentences] == ["b.txt"]
    best = max(only_b.evidence, key=lambda item: item.rank)
    assert best.features["retrieval"] == 1.0 and best.features["top_sentence"] == 1.0 and best.features["rank_gap_across_documents"] == 0.0


def test_another_articles_date_is_an_event_only_from_a_sentence_ranked_near_the_best():
    def group(doc, year, rank, who="The ministers"):
        sentence = _sentence(0 if doc == "a.txt" else 1, f"{who} met in {year}.", doc=doc)
        start = sentence.text.index(year)
        evidence = Evidence(sentence, Candidate("DATE", year, start, start + 4, year, precision="year"), 1.0, rank)
        return Group(year, year, 1.0, (evidence,))

    def shown(groups):  # the second group is what its source, asked alone, answers confidently
        return [group.label for group in options_to_show(analyze_question("When did the ministers meet?"), groups, groups[1:])]

    far = 3.0 - OPTION_RANK_MARGIN * 2
    assert shown([group("a.txt", "2024", 3.0), group("b.txt", "2023", 3.0 - OPTION_RANK_MARGIN / 2)]) == ["2024", "2023"]
    assert shown([group("a.txt", "2024", 3.0), group("b.txt", "2023", far)]) == ["2024"]
    same_people = "Foreign ministers Anna Berg and Luis Soto"  # the same names do not make a far sentence the same event
    assert shown([group("a.txt", "2024", 3.0, same_people), group("b.txt", "2023", far, same_people)]) == ["2024"]


def test_a_year_in_the_question_keeps_only_that_years_event():
    sentences = [
        _sentence(0, "The ministers met on March 3, 2024, in Geneva.", doc="a.txt"),
        _sentence(1, "The ministers met on Sunday in Vienna.", doc="b.txt", date="2023-11-05"),
    ]
    reply = _ask("When did the ministers meet in 2023?", sentences)
    assert reply.answer == "5 November 2023"


def test_agreement_across_documents_raises_confidence():
    one = [_sentence(0, "The ministers met in Geneva.", doc="a.txt")]
    two = one + [_sentence(1, "The ministers met in Geneva, officials said.", doc="b.txt")]
    assert _ask("Where did the ministers meet?", two).confidence > _ask("Where did the ministers meet?", one).confidence


def test_declines_without_sentences_and_when_below_the_threshold():
    assert _ask("Where did the ministers meet?", []).declined
    sentences = [_sentence(0, "The ministers met in Geneva.")]
    assert not _ask("Where did the ministers meet?", sentences).declined
    declined = _ask("Where did the ministers meet?", sentences, threshold=0.999)
    assert declined.declined and declined.answer is None and declined.related and declined.citations == ()


def test_asking_for_a_day_when_only_a_month_is_known_declines_with_the_reason():
    reply = _ask("On what day did the ministers meet in June?", [_sentence(0, "The ministers met in Geneva in late June.")])
    assert reply.declined and "late June" in reply.text and "no day" in reply.text


def test_number_answer_is_the_one_counting_the_asked_noun():
    sentence = _sentence(0, "The storm killed 42 people and destroyed 1,200 homes.")
    assert _ask("How many homes were destroyed?", [sentence]).answer == "1,200"
    assert _ask("How many people did the storm kill?", [sentence]).answer == "42"


def test_yes_no_follows_the_sentences_polarity():
    sentences = [_sentence(0, "The company denied any wrongdoing.")]
    assert _ask("Did the company deny wrongdoing?", sentences).answer == "Yes"
    assert _ask("Did the company not deny any wrongdoing?", sentences).answer == "No"


@pytest.mark.parametrize(
    ("question", "unstated"),
    [
        ("Did the mayor meet the harbour board in Castlebrook?", "Castlebrook"),
        ("Did the mayor meet the harbour board on Friday?", "Friday"),
        ("Did the mayor cancel the meeting with the harbour board?", "cancel"),
    ],
)
def test_a_yes_no_question_with_a_word_the_sentence_does_not_state_is_declined(question, unstated):
    sentences = [_sentence(0, "The mayor met the harbour board in Northvale on Tuesday to discuss the ferry fares.")]
    reply = _ask(question, sentences)
    assert reply.declined and reply.answer is None
    assert unstated in reply.extra["reason"]


def test_a_yes_no_question_the_sentence_states_whole_is_answered_through_its_lemmas():
    sentences = [_sentence(0, "The mayor met the harbour board in Northvale on Tuesday to discuss the ferry fares.")]
    assert _ask("Did the mayor meet the harbour board in Northvale?", sentences).answer == "Yes"  # "met" states "meet"


def test_reason_is_the_clause_after_a_purpose_cue():
    reply = _ask("Why did the envoy visit Rome?", [_sentence(0, "The envoy visited Rome to discuss the grain deal, officials said.")])
    assert reply.answer == "to discuss the grain deal"


def test_an_infinitive_that_is_no_purpose_gives_no_reason():
    """"wants the driver to be fined" says what someone wants, "sent to the council" where: neither says why."""
    sentences = [
        _sentence(0, "While the mayor wants the driver to be fined, the council suspended him for the rest of the season."),
        _sentence(1, "The driver's letter was sent to the council on Monday."),
    ]
    reply = _ask("Why was the driver suspended?", sentences)
    assert reply.declined and reply.answer is None


def test_a_cause_word_gives_the_reason_before_an_infinitive():
    sentences = [_sentence(0, "The station was unable to broadcast the final live due to a power cut at the stadium.")]
    assert _ask("Why was the station unable to broadcast the final?", sentences).answer == "due to a power cut at the stadium"


def test_confidence_is_a_probability():
    reply = _ask("Where did the ministers meet?", [_sentence(0, "The ministers met in Geneva.")])
    assert 0 < reply.confidence <= 1 and not math.isnan(reply.confidence)


def _previous(question, answer, answer_type, focus):
    from qa.results import Answer

    return Answer(question, answer, answer_type, "", (), 0.9, focus=focus)


def test_follow_up_pronoun_takes_the_previous_persons_answer():
    from qa.pipeline import resolve_follow_up

    history = [_previous("Who chairs the board?", "Jane Doe", "PERSON", "board")]
    assert resolve_follow_up("Where was he born?", history) == "Where was Jane Doe born?"
    assert resolve_follow_up("What is his title?", history) == "What is Jane Doe's title?"


def test_follow_up_pronoun_takes_the_previous_focus_otherwise():
    from qa.pipeline import resolve_follow_up

    history = [_previous("When did Acme open?", "1990", "DATE", "Acme")]
    assert resolve_follow_up("Where is it based?", history) == "Where is Acme based?"


def test_elliptical_follow_ups_reuse_the_previous_question():
    from qa.pipeline import resolve_follow_up

    history = [_previous("When did Smith meet Jones?", "2020", "DATE", "Smith")]
    assert resolve_follow_up("And in 2024?", history) == "When did Smith meet Jones in 2024?"
    assert resolve_follow_up("What about Brown?", history) == "When did Brown meet Jones?"
    assert resolve_follow_up("Where is Paris?", history) == "Where is Paris?"
    assert resolve_follow_up("Where was he born?", None) == "Where was he born?"


def test_a_century_is_answered_as_written():
    reply = _ask("When was the abbey built?", [_sentence(0, "The abbey was built in the late 9th century by monks.")])
    assert reply.answer == "the late 9th century"


def test_when_something_ended_is_the_last_year_of_its_span_and_when_it_was_is_the_span():
    sentences = [_sentence(0, "The guild was a trading body that lasted from 1450 to 1620.")]
    assert _ask("When did the guild end?", sentences).answer == "1620"
    assert _ask("When was the guild a trading body?", sentences).answer == "1450 to 1620"


def test_what_year_is_answered_with_the_year_of_a_full_date():
    reply = _ask("In what year did the bridge open?", [_sentence(0, "The bridge opened on 9 April 1996 after delays.")])
    assert reply.answer == "1996"


def test_a_number_the_question_already_states_is_not_the_answer():
    sentence = _sentence(0, "The striker scored six goals in 9 matches this season.")
    assert _ask("How many goals did the striker score in 9 matches?", [sentence]).answer == "six"


def test_how_many_years_is_answered_with_the_count():
    sentence = _sentence(0, "The mayor served four years in office before the election.")
    assert _ask("How many years did the mayor serve in office?", [sentence]).answer == "four"


def test_a_number_followed_by_a_word_of_the_question_answers_it():
    sentence = _sentence(0, "The storm killed 4 and left 300 homeless across 12 towns.")
    assert _ask("How many people did the storm leave homeless?", [sentence]).answer == "300"


def test_part_of_a_year_is_answered_as_written_but_what_year_gets_the_year():
    sentences = [_sentence(0, "The ferry service to the islands ended in late 1987 after losses.")]
    assert _ask("When did the ferry service to the islands end?", sentences).answer == "late 1987"
    assert _ask("In what year did the ferry service to the islands end?", sentences).answer == "1987"


def test_a_weaker_date_from_the_same_article_is_not_shown_as_another_event():
    sentences = [
        _sentence(0, "The council approved the new bridge on 4 March 2019 after a long debate.", doc="a.txt"),
        _sentence(1, "The council first discussed a bridge in 2011.", doc="a.txt"),
    ]
    reply = _ask("When did the council approve the new bridge?", sentences)
    assert reply.answer == "4 March 2019"


def test_dates_from_one_article_give_one_answer_not_a_list_of_events():
    sentences = [
        _sentence(0, "The bridge over the river was opened on March 3, 2021.", doc="a.txt"),
        _sentence(1, "The first bridge over the river was opened in 1911.", doc="a.txt"),
    ]
    reply = _ask("When was the bridge over the river opened?", sentences)
    assert reply.answer == "3 March 2021"
    assert len(reply.options) == 1


def test_two_days_of_one_month_are_two_answers_not_an_average():
    sentences = [
        _sentence(0, "The ministers met on March 3, 2024, in Geneva.", doc="a.txt"),
        _sentence(1, "The ministers met on March 18, 2024, in Vienna.", doc="b.txt"),
    ]
    reply = _ask("When did the ministers meet?", sentences)
    assert not any(part in reply.answer for part in ("early", "mid", "late"))
    shown = reply.options or ()
    assert {option.answer for option in shown} <= {"3 March 2024", "18 March 2024"}
    for option in shown:  # each day cites the sentence that states it
        day = option.answer.split()[0]
        assert all(f"March {day}," in reply.citations[number - 1].sentence for number in option.citation_numbers)


def test_a_clock_question_is_answered_with_the_clock_time_not_the_day():
    sentence = _sentence(0, "On Saturday the ferry will leave the harbour at 6:15 a.m. with 300 passengers.")
    assert _ask("What time will the ferry leave the harbour?", [sentence]).answer == "6:15 a.m."
