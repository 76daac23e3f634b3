"""Untyped answer phrases: what a sentence says that its question does not."""

import pytest

from qa.spans import phrase_candidates, phrases, question_stems


def _texts(sentence: str, question: str) -> list[str]:
    return [phrase.text for phrase in phrases(sentence, question)]


def test_question_stems_ignore_stopwords_and_inflection():
    assert question_stems("What did the engineers design?") == {"engin", "design"}


def test_phrases_skip_the_question_words_and_trim_function_words():
    texts = _texts("The lighthouse keepers burned whale oil in the lamp until 1870.", "What did the lighthouse keepers burn in the lamp?")
    assert "whale oil" in texts
    assert not any("lighthouse" in text or "lamp" in text for text in texts)


def test_phrases_break_at_punctuation_and_clause_words():
    texts = _texts("The bridge, which has nine arches, was designed by Clara Voss.", "Who designed the bridge?")
    assert "nine arches" in texts
    assert "Clara Voss" in texts
    assert not any("which" in text.split() or "," in text for text in texts)


def test_numbers_with_thousands_separators_stay_one_word():
    assert "412,000 people" in _texts("The valley is home to 412,000 people.", "How many live in the valley?")


@pytest.mark.parametrize(
    "wants, expected",
    [("NAME", "Clara Voss"), ("NUMBER", "12")],
    ids=["a-name-for-who", "a-count-for-how-many"],
)
def test_the_wanted_shape_ranks_first(wants, expected):
    sentence = "In 1821 the old tower was rebuilt by Clara Voss with 12 masons."
    candidates = phrase_candidates(sentence, "Who rebuilt the old tower?" if wants == "NAME" else "How many masons rebuilt the old tower?", wants)
    assert candidates[0].text == expected
    assert candidates[0].kind == "PHRASE"
    assert sentence[candidates[0].start : candidates[0].end] == expected


def test_a_year_is_not_a_count():
    candidates = phrase_candidates("The old tower has been rebuilt since 1821.", "How many times was the old tower rebuilt?", "NUMBER")
    year = next(candidate for candidate in candidates if candidate.text == "1821")
    assert year.strength < 0.5


def test_a_phrase_next_to_the_question_words_beats_a_distant_one():
    sentence = "Farmers in the northern valley mostly grow barley, and the southern towns trade in copper and salt."
    candidates = phrase_candidates(sentence, "What do farmers in the northern valley grow?")
    assert candidates[0].text == "barley"


def test_no_phrases_in_a_sentence_made_of_the_question_words():
    assert phrases("The bridge was designed.", "Was the bridge designed?") == []
