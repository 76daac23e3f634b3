"""Relation features over made-up sentences: a sentence holding the question's words in another relation is told
apart from one that states the asked relation."""

import pytest

from qa.annotation import annotate
from qa.relations import RELATION_FEATURES, question_links, relation_features


def features(question: str, sentence: str, answer: str) -> dict[str, float]:
    parsed_question, parsed_sentence = annotate([question, sentence])
    start = sentence.index(answer)
    return relation_features(parsed_question, parsed_sentence, start, start + len(answer))


def test_every_feature_is_a_documented_float():
    found = features("Who founded the bakery?", "Anna Berg founded the bakery in 1990.", "Anna Berg")
    assert set(found) == set(RELATION_FEATURES)
    assert all(isinstance(value, float) for value in found.values())


def test_question_links_name_subject_and_object():
    (parsed,) = annotate(["When did Corwin Pell found the bakery?"])
    kinds = {(parsed.tokens[link.head].text, parsed.tokens[link.dependent].text, link.kind) for link in question_links(parsed)}
    assert ("found", "Pell", "subject") in kinds
    assert ("found", "bakery", "object") in kinds


def test_question_without_content_links():
    found = features("Who?", "Anna Berg founded the bakery.", "Anna Berg")
    assert found["relations_none"] == 1.0
    assert found["relations_kept_share"] == 0.0


@pytest.mark.parametrize(
    ("stated", "reversed_"),
    [
        (
            ("Who defeated the Velmar army?", "The Orrin rebels defeated the Velmar army in 1802.", "The Orrin rebels"),
            ("Who defeated the Velmar army?", "The Velmar army defeated the Orrin rebels in 1802.", "the Orrin rebels"),
        ),
    ],
)
def test_subject_and_object_swapped(stated, reversed_):
    assert features(*stated)["subject_object_swapped"] == 0.0
    assert features(*reversed_)["subject_object_swapped"] == 1.0


def test_modifier_of_another_noun_is_unlinked():
    """ "the first mayor of Tarnby" is not stated by a sentence where "first" belongs to a railway."""
    stated = features("Who was the first mayor of Tarnby?", "Ilse Varga was the first mayor of Tarnby.", "Ilse Varga")
    elsewhere = features("Who was the first mayor of Tarnby?", "Tarnby's first railway opened under mayor Ilse Varga.", "Ilse Varga")
    assert stated["relations_kept_share"] == 1.0 and stated["relation_unlinked"] == 0.0
    assert elsewhere["modifier_unlinked"] == 1.0
    assert elsewhere["relations_kept_share"] < stated["relations_kept_share"]


def test_verb_with_another_named_subject():
    question = "When did Corwin Pell found the bakery?"
    other = features(question, "Mara Quist founded the bakery in 1990, and Corwin Pell joined later.", "1990")
    same = features(question, "Corwin Pell founded the bakery in 1990.", "1990")
    pronoun = features(question, "He founded the bakery in 1990.", "1990")
    assert other["verb_has_other_subject"] == 1.0
    assert same["verb_has_other_subject"] == 0.0
    assert pronoun["verb_has_other_subject"] == 0.0  # a pronoun may be the question's subject


def test_answer_linked_to_what_the_question_asks_about():
    question = "How many ships did the Dorland fleet lose?"
    linked = features(question, "The Dorland fleet lost 12 ships in the storm.", "12")
    unlinked = features(question, "The Dorland fleet, which had 40 sailors aboard, lost ships in the storm.", "40")
    assert linked["answer_linked_to_asked"] == 1.0
    assert unlinked["answer_linked_to_asked"] == 0.0


@pytest.mark.parametrize(
    ("question", "sentence", "answer", "kind"),
    [
        ("Which meetings are closed to the public?", "Committee meetings are open to the public.", "Committee meetings", "verb"),
        ("What is the official language of Brellia?", "Tarsk is the informal language of Brellia.", "Tarsk", "modifier"),
    ],
    ids=["predicate", "modifier"],
)
def test_word_replaced_in_its_slot(question, sentence, answer, kind):
    replaced = features(question, sentence, answer)
    assert replaced[f"substituted_{kind}"] == 1.0
    assert replaced["substituted_share"] > 0.0


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        ("Which meetings are open to the public?", "Committee meetings are open to the public.", "Committee meetings"),
        ("What is the official language of Brellia?", "Tarsk is the official language of Brellia.", "Tarsk"),
        ("What is the official language of Brellia?", "Tarsk, the official tongue, is spoken across Brellia.", "Tarsk"),
    ],
    ids=["same-predicate", "same-modifier", "modifier-kept-noun-missing"],
)
def test_no_replacement_when_the_sentence_says_the_words(question, sentence, answer):
    found = features(question, sentence, answer)
    assert found["substituted_modifier"] == 0.0 and found["substituted_verb"] == 0.0
