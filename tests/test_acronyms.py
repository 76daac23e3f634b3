"""Acronyms of a question spelled out as the articles name the thing (qa.acronyms), and retrieval with them."""

from dataclasses import replace

import pytest

from qa.acronyms import acronyms, spell_out, spellings
from qa.index import SentenceIndex, build_index
from qa.matching import coverage, sentence_tokens
from qa.pipeline import answer, gather
from qa.question import analyze_question

TEXT = (
    "Singers played at the Harbour Music Awards on Sunday. The HMAs drew a crowd. "
    "The Royal Society for the Protection of Owls counted birds. In March, Pacific Gull and Eel Company said so."
)


def test_acronyms_of_a_question_drop_plural_and_possessive_endings():
    assert acronyms("When are the HMAs? Did the RSPO's count and PG&E's work start? Is the ID. Vizion cheap?") == ["HMA", "RSPO", "PG&E"]
    assert acronyms("Who won?") == []


@pytest.mark.parametrize(
    ("acronym", "spelled"),
    [("HMA", "Harbour Music Awards"), ("RSPO", "Royal Society for the Protection of Owls"), ("PGEC", "Pacific Gull and Eel Company")],
)
def test_an_acronym_is_the_initials_of_capitalised_words_with_joining_words_between(acronym, spelled):
    assert spellings(acronym, TEXT) == {spelled: 1}


def test_words_that_open_sentences_or_an_acronym_itself_are_no_spelling():
    assert not spellings("IM", "In March the council met.")
    assert not spellings("HMA", "The HMA report came out.")


def test_the_question_is_asked_with_the_spelling_beside_the_acronym():
    assert spell_out("When are the HMAs?", [[TEXT]]) == ("When are the Harbour Music Awards (HMAs)?", {"HMAs": "Harbour Music Awards"})
    assert spell_out("When are the Harbour Music Awards (HMAs)?", [[TEXT]]) == ("When are the Harbour Music Awards (HMAs)?", {})


def test_a_possessive_ending_stays_after_the_acronym():
    text = "Pacific Gull and Eel said so. PG&E shares fell."
    assert spell_out("Who leads PG&E's board?", [[text]])[0] == "Who leads Pacific Gull and Eel (PG&E)'s board?"


def test_two_spellings_as_frequent_leave_the_question_unchanged():
    assert spell_out("When are the HMAs?", [["The Harbour Music Awards met.", "The Hill Mining Association met."]]) == ("When are the HMAs?", {})


def test_a_two_letter_acronym_is_spelled_out_only_from_an_article_that_uses_it():
    assert spell_out("What did GL say?", [["Gull Lines said so. Great Lakes are wide."]]) == ("What did GL say?", {})
    assert spell_out("What did GL say?", [["Gull Lines said so. GL shares rose."]])[0] == "What did Gull Lines (GL) say?"


def test_an_acronym_and_its_spelling_are_one_name_to_the_matching():
    question = replace(analyze_question("When are the Harbour Music Awards (HMAs)?"), spellings=((("hmas",), ("harbour", "music", "award")),))
    weights = dict.fromkeys(question.terms, 1.0)
    for sentence in ("The HMAs drew a crowd.", "The Harbour Music Awards drew a crowd."):
        assert coverage(question, weights, {stem for _, _, stem in sentence_tokens(sentence)})[0] == 1.0
    assert coverage(question, weights, {stem for _, _, stem in sentence_tokens("Harbour music drew a crowd.")})[0] == 0.5


def test_the_sentence_naming_the_thing_in_full_answers_a_question_with_its_acronym(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "awards.txt").write_text(
        "Band cleared to play at the HMAs\n\nPublished: 19 November 2019\n\n"
        "The band will be allowed to play its old songs at the Harbour Music Awards on Sunday.\n\n"
        "The HMAs drew a record crowd last year, organisers said on Monday.\n",
        encoding="utf-8",
    )
    build_index(corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    gathered = gather("When are the HMAs?", index)
    assert gathered.resolved == "When are the Harbour Music Awards (HMAs)?"
    assert any("Harbour Music Awards on Sunday" in sentence.text for sentence in gathered.sentences)
    reply = answer("When are the HMAs?", index)
    assert reply.answer == "24 November 2019"
    assert "Harbour Music Awards on Sunday" in reply.citations[0].sentence
