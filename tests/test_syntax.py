"""Syntax features over made-up sentences: the decisive ones separate the asked phrase from its neighbours."""

import re

import pytest

from qa.annotation import annotate
from qa.syntax import FEATURES, candidate_syntax, entity_candidates, question_syntax, span_tokens


def features(question: str, expected_type: str, sentence: str, candidate: str, matched_words: list[str]) -> dict[str, float]:
    """Features of the first occurrence of `candidate`, with `matched_words` as the question's matches."""
    (annotated,) = annotate([sentence])
    matches = [match.span() for word in matched_words for match in re.finditer(rf"\b{re.escape(word)}\b", sentence)]
    start = sentence.index(candidate)
    return candidate_syntax(annotated, start, start + len(candidate), matches, question_syntax(question, expected_type))


@pytest.mark.parametrize(
    ("question", "wh_word", "wh_role", "verb", "asked_noun"),
    [
        ("Who founded the bakery?", "who", "subject", "found", ""),
        ("What did the company buy in 2010?", "what", "object", "buy", ""),
        ("Which company bought the mill?", "which", "subject", "buy", "company"),
        ("How many people were killed in the fire?", "how", "object", "kill", "people"),
        ("Who is the spokesman of the city council?", "who", "copula", "", "spokesman"),
        ("When did the strike begin?", "when", "adverbial", "begin", ""),
    ],
    ids=["active-subject", "object", "which-noun", "how-many-passive", "copula", "when"],
)
def test_question_syntax(question, wh_word, wh_role, verb, asked_noun):
    parsed = question_syntax(question)
    assert (parsed.wh_word, parsed.wh_role, parsed.main_verb_lemma, parsed.asked_noun_lemma) == (wh_word, wh_role, verb, asked_noun)


def test_every_feature_is_a_documented_float():
    found = features("Who founded the bakery?", "PERSON", "Anna Berg founded the bakery in 1990.", "Anna Berg", ["founded", "bakery"])
    assert set(found) == set(FEATURES)
    assert all(isinstance(value, float) for value in found.values())


def test_subject_of_the_questions_verb_beats_another_name():
    sentence = "The bakery was founded by Anna Berg, whose cousin Tomas Lind ran a mill."
    founder = features("Who founded the bakery?", "PERSON", sentence, "Anna Berg", ["bakery", "founded"])
    cousin = features("Who founded the bakery?", "PERSON", sentence, "Tomas Lind", ["bakery", "founded"])
    assert founder["subject_of_question_verb"] == founder["role_matches_wh"] == 1.0  # "by" agent = logical subject
    assert cousin["subject_of_question_verb"] == cousin["role_matches_wh"] == 0.0
    assert founder["path_to_match"] < cousin["path_to_match"]
    assert founder["label_exact"] == cousin["label_exact"] == 1.0  # the type alone does not decide


def test_object_role_follows_the_wh_word():
    sentence = "Lena Moss bought the old mill from the town."
    buyer = features("What did Lena Moss buy?", "OTHER", sentence, "the old mill", ["Lena", "Moss", "bought"])
    town = features("What did Lena Moss buy?", "OTHER", sentence, "the town", ["Lena", "Moss", "bought"])
    assert buyer["object_of_question_verb"] == buyer["role_matches_wh"] == 1.0
    assert town["role_matches_wh"] == 0.0 and town["oblique_of_question_verb"] == 1.0


def test_capital_in_apposition_is_not_where_it_happened():
    sentence = "The flood hit villages in Varno province, south of the capital Brenvik."
    province = features("Where did the flood happen?", "PLACE", sentence, "Varno", ["flood"])
    capital = features("Where did the flood happen?", "PLACE", sentence, "Brenvik", ["flood"])
    assert province["previous_is_place_preposition"] == 1.0 and capital["previous_is_place_preposition"] == 0.0
    assert province["path_to_match"] < capital["path_to_match"]
    assert capital["role_appositive"] == 1.0 and capital["governed_by_unmatched_noun"] == 1.0


def test_capital_asked_for_is_described_by_the_asked_noun():
    sentence = "Norland's capital, Brenvik, lies on the coast."
    capital = features("What is the capital of Norland?", "PLACE", sentence, "Brenvik", ["capital", "Norland"])
    country = features("What is the capital of Norland?", "PLACE", sentence, "Norland", ["capital", "Norland"])
    assert capital["asked_noun_describes_candidate"] == 1.0 and capital["appositive_of_match"] == 1.0
    assert capital["overlaps_question_match"] == 0.0
    assert country["overlaps_question_match"] == 1.0 and country["in_possessive"] == 1.0
    assert country["asked_noun_describes_candidate"] == 0.0


def test_the_person_holding_the_asked_role_not_the_organisation_modifying_it():
    sentence = "Council spokesman Peter Olsen said the vote would wait, and the mayor Eva Holm agreed."
    question = "Who is the spokesman of the city council?"
    person = features(question, "PERSON", sentence, "Peter Olsen", ["spokesman", "Council"])
    other = features(question, "PERSON", sentence, "Eva Holm", ["spokesman", "Council"])
    group = features(question, "PERSON", sentence, "Council", ["spokesman", "Council"])
    assert person["asked_noun_describes_candidate"] == 1.0 and other["asked_noun_describes_candidate"] == 0.0
    assert group["candidate_modifies_asked_noun"] == 1.0 and group["asked_noun_describes_candidate"] == 0.0
    assert group["label_compatible"] == 1.0 and person["label_exact"] == 1.0


def test_number_killed_not_number_injured():
    sentence = "Twelve people were killed and 30 were injured in the fire."
    question = "How many people were killed in the fire?"
    killed = features(question, "NUMBER", sentence, "Twelve", ["people", "killed", "fire"])
    injured = features(question, "NUMBER", sentence, "30", ["people", "killed", "fire"])
    assert killed["candidate_modifies_asked_noun"] == 1.0 and injured["candidate_modifies_asked_noun"] == 0.0
    assert killed["same_clause_as_match"] == 1.0 and injured["same_clause_as_match"] == 0.0


def test_date_after_since_and_a_date_in_another_clause():
    sentence = "Workers have been on strike since March 2019, the union said on Monday."
    started = features("When did the strike begin?", "DATE", sentence, "March 2019", ["strike"])
    said = features("When did the strike begin?", "DATE", sentence, "Monday", ["strike"])
    assert started["previous_is_time_preposition"] == 1.0 and started["label_exact"] == 1.0
    assert started["same_clause_as_match"] == 1.0 and said["same_clause_as_match"] == 0.0
    assert started["path_to_match"] < said["path_to_match"]


@pytest.mark.parametrize(
    ("candidate", "feature"),
    [
        ("Anna Berg", "entity_exact"),
        ("Berg", "entity_inside"),
        ("Berg founded", "entity_crosses"),
        ("the baker Anna Berg", "entity_contains"),
    ],
    ids=["exact", "inside", "crosses", "contains"],
)
def test_relation_to_entities(candidate, feature):
    found = features(
        "Who founded the bakery?", "PERSON", "In 1990 the baker Anna Berg founded the bakery.", candidate, ["founded", "bakery"]
    )
    relations = {name for name in ("entity_exact", "entity_inside", "entity_crosses", "entity_contains") if found[name]}
    assert relations == {feature}


def test_bad_edges_and_conflicting_label():
    sentence = "The ferry left Oslo on Friday with 40 passengers."
    broken = features("Where did the ferry go?", "PLACE", sentence, "left Oslo on", ["ferry"])
    assert broken["ends_with_preposition"] == 1.0 and broken["noun_chunk_exact"] == 0.0
    date = features("Where did the ferry go?", "PLACE", sentence, "Friday", ["ferry"])
    assert date["label_conflicting"] == 1.0 and date["label_exact"] == 0.0
    chunk = features("How many passengers?", "NUMBER", sentence, "40 passengers", ["passengers"])
    assert chunk["noun_chunk_exact"] == 1.0 and chunk["length_tokens"] == 2.0


def test_entity_candidates_by_type():
    sentence = "The talks in Geneva lasted three weeks and ended on 4 June 2022, said Mira Stone."
    (annotated,) = annotate([sentence])

    def texts(expected_type: str, **options) -> dict[str, str]:
        return {sentence[start:end]: label for start, end, label in entity_candidates(annotated, expected_type, **options)}

    assert texts("DURATION")["three weeks"] == "DURATION"
    assert "4 June 2022" in texts("DATE") and "Mira Stone" not in texts("DATE")
    assert texts("PLACE", noun_chunks=False) == {"Geneva": "GPE"}
    assert texts("PERSON", noun_chunks=False) == {"Mira Stone": "PERSON", "Geneva": "GPE"}
    assert "The talks" in texts("OTHER")


def test_span_tokens_are_the_overlapping_tokens():
    (annotated,) = annotate(["Anna Berg founded it."])
    assert [annotated.tokens[index].text for index in span_tokens(annotated, 2, 12)] == ["Anna", "Berg", "founded"]


def test_the_asked_noun_itself_is_a_repeat_and_its_instance_is_described():
    sentence = "The lab found a new element, which the team named veltium."
    repeat = features("What element did the lab find?", "OTHER", sentence, "a new element", ["lab", "found"])
    named = features("What element did the lab find?", "OTHER", sentence, "veltium", ["lab", "found"])
    assert repeat["head_is_asked_noun"] == 1.0
    assert named["head_is_asked_noun"] == 0.0


def test_the_entity_label_is_crossed_with_the_expected_type():
    sentence = "Mara Quist wrote the song for the Velder Festival."
    person = features("Who wrote the song?", "PERSON", sentence, "Mara Quist", ["wrote", "song"])
    crossed = [name for name, value in person.items() if name.startswith("type_label_") and value]
    assert crossed == ["type_label_PERSON_PERSON"]
    other = features("What did Mara Quist write?", "OTHER", sentence, "Mara Quist", ["wrote"])
    assert [name for name, value in other.items() if name.startswith("type_label_") and value] == ["type_label_OTHER_PERSON"]


def test_a_candidate_that_only_holds_an_entity_gets_no_label_pair():
    sentence = "The council rejected the appeal of the Velder Festival committee on Monday."
    held = features("What did the council reject?", "OTHER", sentence, "the appeal of the Velder Festival committee", ["council", "rejected"])
    assert held["entity_contains"] == 1.0
    assert not [name for name, value in held.items() if name.startswith("type_label_") and value]


def test_the_value_before_a_change_is_marked_as_its_start():
    sentence = "The league moved the final from 4:25 p.m. to 1 p.m. on Sunday."
    before = features("What time will the final start?", "NUMBER", sentence, "4:25 p.m.", ["final"])
    after = features("What time will the final start?", "NUMBER", sentence, "1 p.m.", ["final"])
    assert before["starting_value_of_change"] == 1.0 and after["starting_value_of_change"] == 0.0


def test_the_candidate_in_the_wh_phrases_slot_shares_its_preposition_and_governor():
    # "known as what": the answer is the object of "as" under "known", not another phrase near the question's words
    question = "What was the old mill later known as?"
    sentence = "After the flood in Varnley the old mill was later known as the Copper House."
    house = features(question, "OTHER", sentence, "the Copper House", ["old", "mill", "later", "known"])
    town = features(question, "OTHER", sentence, "Varnley", ["old", "mill", "later", "known"])
    assert house["same_preposition_as_wh"] == 1.0 and house["governor_is_wh_governor"] == 1.0
    assert town["same_preposition_as_wh"] == 0.0 and town["governor_is_wh_governor"] == 0.0
    # "in which year … open": "in 1990" under "opened", not "in 1985" under "built"
    question = "In which year did the glass museum open?"
    sentence = "The glass museum, built in 1985, opened in 1990."
    opened = features(question, "DATE", sentence, "1990", ["glass", "museum", "opened"])
    built = features(question, "DATE", sentence, "1985", ["glass", "museum", "opened"])
    assert opened["same_preposition_as_wh"] == 1.0 and opened["governor_is_wh_governor"] == 1.0
    assert built["governor_is_wh_governor"] == 0.0
