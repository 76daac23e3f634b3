"""Sentence ranking and question-word matching on hand-made sentences: each feature moves the order."""

from dataclasses import replace

import pytest

from qa.answerer import answer_from_sentences
from qa.extract import is_city_in
from qa.matching import share_of, term_credits, term_weights
from qa.question import analyze_question
from qa.ranking import sentence_scores
from qa.results import RetrievedSentence
from qa.text import analyze


def _sentence(row, text, doc="a.txt", score=5.0, paragraph=0, neighbours="", paragraph_text=""):
    return RetrievedSentence(
        row, score, text, doc, doc.upper(), None, "2024-05-12", row, paragraph, 0, len(text), neighbours=neighbours, paragraph_text=paragraph_text or text
    )


def _idf(question):
    return {term: 1.0 + (len(term) % 3) for term in analyze(question)}


def _scores(question, sentences, strengths=None):
    analysis = analyze_question(question)
    idf = _idf(question)
    return sentence_scores(analysis, sentences, term_weights(analysis, idf), idf, strengths or [0.0] * len(sentences))


def test_exact_words_rank_above_the_same_stems_in_other_forms():
    exact = _sentence(0, "The committee approved the budget in the spring.")
    inflected = _sentence(1, "The committees approving budgets met in the spring.", doc="b.txt")
    first, second = _scores("Which committee approved the budget?", [exact, inflected])
    assert first > second


def test_a_sentence_with_a_candidate_of_the_expected_type_ranks_higher():
    sentences = [_sentence(0, "The bridge was opened to traffic."), _sentence(1, "The bridge was opened to traffic in 1932.", doc="b.txt")]
    without, with_year = _scores("When was the bridge opened?", sentences, strengths=[0.0, 1.0])
    assert with_year > without


def test_the_paragraph_around_a_sentence_counts():
    # the same sentence twice: only one sits in a paragraph about the question's other words
    text = "It was completed in 1889."
    about_tower = _sentence(0, text, paragraph=1, neighbours="The Eiffel tower was designed by engineers.", paragraph_text="The Eiffel tower was designed by engineers. " + text)
    elsewhere = _sentence(1, text, doc="b.txt", paragraph=4, neighbours="The railway reached the coast.", paragraph_text="The railway reached the coast. " + text)
    tower, railway = _scores("When was the Eiffel tower completed?", [about_tower, elsewhere])
    assert tower > railway


def test_question_words_side_by_side_rank_higher():
    together = _sentence(0, "The central bank raised interest rates on Monday.")
    apart = _sentence(1, "Rates at the bank, which is central to interest groups, rose on Monday.", doc="b.txt")
    first, second = _scores("When did the central bank raise interest rates?", [together, apart])
    assert first > second


def test_term_credits_exact_derived_and_synonym():
    question = analyze_question("Which Kenyan runner won the marathon in Italy after the meeting?")
    weights = {term: 1.0 for term in question.terms}
    credits, matched = term_credits(question, weights, {"kenyan", "italian", "talk", "marathon"})
    assert credits["kenyan"] == 1.0 and credits["marathon"] == 1.0
    assert credits["itali"] == 0.8 and "italian" in matched  # a derived form
    assert credits["meet"] == 0.8 and "talk" in matched  # a synonym
    assert "runner" not in credits
    assert 0 < share_of(credits, weights) < 1


def test_term_credits_a_shorter_form_of_a_question_word():
    question = analyze_question("How did the Italian economy grow?")
    weights = {term: 1.0 for term in question.terms}
    credits, matched = term_credits(question, weights, set(analyze("Italy's economic growth was slow.")))
    assert credits["italian"] == 0.8 and "itali" in matched
    assert credits["economi"] == 0.8 and "econom" in matched
    short, _ = term_credits(question, weights, set(analyze("The Ital team won.")))
    assert "italian" not in short  # more than two letters shorter is another word


def _ask(question, sentences, **options):
    analysis = analyze_question(question)
    return answer_from_sentences(analysis, sentences, {term: 1.0 for term in analysis.terms} | _idf(question), **options)


@pytest.mark.xfail(strict=True, reason="the answer model gives the country about twice the city's share, under CITY_OVER_COUNTRY_SHARE; it passed only while the country's sentence was penalised as a headline for sitting at index 0")
def test_a_city_in_the_country_the_sentences_name_is_the_answer():
    sentences = [
        _sentence(0, "The two ministers met in France last week, officials said."),
        _sentence(1, "The two ministers met in Lyon on Tuesday.", doc="b.txt"),
    ]
    reply = _ask("Where did the two ministers meet?", sentences)
    assert reply.answer == "Lyon"
    assert reply.citations[0].doc == "b.txt"


def test_a_country_question_keeps_the_country():
    sentences = [
        _sentence(0, "The two ministers met in France last week, officials said."),
        _sentence(1, "The two ministers met in Lyon on Tuesday.", doc="b.txt"),
    ]
    assert _ask("In which country did the two ministers meet?", sentences).answer == "France"


def test_is_city_in_uses_the_gazetteer():
    assert is_city_in("Lyon", "France")
    assert not is_city_in("Lyon", "Peru")


@pytest.mark.xfail(strict=True, reason="the answer model: the small parser reads the apposed name as an adverbial noun, which outweighs its description")
def test_the_name_described_by_the_questions_words_is_the_answer():
    sentence = _sentence(0, "Party leader Anna Berg met the country's chief justice, Carl Holm, in the capital.")
    assert _ask("Who is the country's chief justice?", [sentence]).answer == "Carl Holm"
    sentence = _sentence(0, "Party leader Anna Berg met Carl Holm, the country's chief justice, in the capital.")
    assert _ask("Who is the country's chief justice?", [sentence]).answer == "Carl Holm"


def test_a_question_matching_only_names_declines_and_says_which_word_is_missing():
    sentences = [
        _sentence(0, "Maria Lopez met the mayor on March 3, 2024."),
        _sentence(1, "Maria Lopez visited Lisbon in 2023.", doc="b.txt"),
    ]
    reply = _ask("When was Maria Lopez born?", sentences, threshold=0.0)
    assert reply.declined
    assert "born" in reply.text


def test_a_declined_reply_shows_the_best_ranked_sentences_first():
    sentences = [
        _sentence(0, "Geneva hosted a summit on trade.", score=9.0),
        _sentence(1, "The summit on climate finance opened in Geneva with ministers.", doc="b.txt", score=4.0),
    ]
    reply = _ask("Which minister chaired the summit on climate finance?", sentences, threshold=0.99)
    assert reply.declined
    assert reply.related[0].doc == "b.txt"


def test_ranking_keeps_a_sentence_without_neighbours_usable():
    alone = replace(_sentence(0, "The river floods every spring."), paragraph_text="")
    assert len(_scores("When does the river flood?", [alone])) == 1


def test_retrieved_sentences_carry_their_paragraph_and_neighbours(seed_index):
    from qa.pipeline import retrieved_sentence

    row = next(row for row in range(len(seed_index)) if len(seed_index.paragraph_rows(row)) >= 3 and seed_index.paragraph_rows(row)[1] == row)
    rows = seed_index.paragraph_rows(row)
    sentence = retrieved_sentence(seed_index, row, 1.0)
    assert sentence.neighbours == f"{seed_index.sentence(row - 1).text} {seed_index.sentence(row + 1).text}"
    assert all(seed_index.sentence(other).text in sentence.paragraph_text for other in rows)
    assert seed_index.paragraph_rows(row, limit=1) == [row - 1, row, row + 1]
    assert seed_index.paragraph_rows(row, limit=0) == [row]


def test_words_rare_in_the_sentences_own_article_weigh_more():
    # both sentences name the article's topic; only one has the question's other word
    common = {"river": 0.05, "flood": 2.0}
    topic_only = _sentence(0, "The river is long and the river is wide.", score=6.0)
    asked = _sentence(1, "Each spring the floods come down the valley.", score=4.0)
    plain = _scores("When does the river flood?", [topic_only, asked])
    local = _scores("When does the river flood?", [replace(topic_only, document_idf=common), replace(asked, document_idf=common)])
    assert local[1] - local[0] > plain[1] - plain[0]
    assert local[1] > local[0]


def test_sentences_containing_counts_a_terms_sentences_in_a_row_range(seed_index):
    retriever = seed_index.retriever
    term = next(iter(retriever.vocabulary))
    everywhere = retriever.sentences_containing(term, 0, len(seed_index))
    assert everywhere == int(retriever.offsets[retriever.vocabulary[term] + 1] - retriever.offsets[retriever.vocabulary[term]])
    halves = retriever.sentences_containing(term, 0, 30) + retriever.sentences_containing(term, 30, len(seed_index))
    assert halves == everywhere
    assert retriever.sentences_containing("notaword", 0, len(seed_index)) == 0



def test_weighted_shares_do_not_depend_on_the_order_of_the_credits():
    """Credits are built from sets, whose order changes with Python's hash seed: a plain float sum
    would then differ in the last bits between runs and flip ties between equal sentences."""
    weights = {"alpha": 0.1, "beta": 0.2, "gamma": 0.3, "delta": 1.0}
    forward = {"alpha": 1.0, "beta": 1.0, "gamma": 1.0}
    backward = dict(reversed(list(forward.items())))
    assert (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3)  # the case a plain sum gets wrong
    assert share_of(forward, weights) == share_of(backward, weights)
