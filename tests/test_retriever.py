"""The postings index gives exactly rank-bm25's BM25Okapi scores and ranking, through the real build."""

import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qa.index import SentenceIndex, build_index
from qa.text import analyze

SEED = 20261124
DOCUMENTS = 60
COMMON_WORD = "harbour"  # put in about 60% of sentences, so its idf gets BM25Okapi's epsilon floor
UNKNOWN_WORDS = ["zzyzzq", "qqxqqz"]


def _vocabulary(generator: random.Random, size: int) -> list[str]:
    syllables = [consonant + vowel for consonant in "bdfgklmnprstvz" for vowel in "aeiou"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(generator.choice(syllables) for _ in range(3)))
    return sorted(words)


def _zipf_sentence(generator: random.Random, words: list[str], weights: list[float]) -> str:
    chosen = generator.choices(words, weights=weights, k=generator.randint(3, 14))
    if generator.random() < 0.6:
        chosen.insert(generator.randrange(len(chosen) + 1), COMMON_WORD)
    if generator.random() < 0.1:
        chosen += chosen[:2]  # a term repeated within a sentence
    return " ".join(chosen).capitalize() + "."


def _write_corpus(folder: Path) -> list[str]:
    generator = random.Random(SEED)
    words = _vocabulary(generator, 1500)
    weights = [1.0 / rank for rank in range(1, len(words) + 1)]
    for number in range(DOCUMENTS):
        paragraphs = [f"Report {number} on {' '.join(generator.sample(words[:50], 3))}"]
        for _ in range(generator.randint(4, 12)):
            paragraphs.append(" ".join(_zipf_sentence(generator, words, weights) for _ in range(generator.randint(1, 9))))
        if number % 7 == 0:
            paragraphs.append("It is what it is.")  # a sentence with no terms: length 0
        (folder / f"{number:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return words


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("synthetic-corpus")
    words = _write_corpus(corpus)
    index_dir = tmp_path_factory.mktemp("synthetic-index")
    build_index(corpus, index_dir)
    index = SentenceIndex.load(index_dir)
    token_lists = [analyze(index.sentence(row).text) for row in range(len(index))]
    return index, BM25Okapi(token_lists), token_lists, words


def _queries(words: list[str]) -> list[list[str]]:
    generator = random.Random(SEED + 1)
    weights = [1.0 / rank for rank in range(1, len(words) + 1)]
    queries = []
    for number in range(300):
        terms = [analyze(word)[0] for word in generator.choices(words, weights=weights, k=generator.randint(1, 5))]
        if number % 5 == 0:
            terms.append(terms[0])  # repeated query term: BM25Okapi counts it twice
        if number % 7 == 0:
            terms.insert(generator.randrange(len(terms) + 1), generator.choice(UNKNOWN_WORDS))
        if number % 3 == 0:
            terms.append(analyze(COMMON_WORD)[0])
        queries.append(terms)
    queries += [[analyze(COMMON_WORD)[0]], UNKNOWN_WORDS, [analyze(words[-1])[0]] * 3]
    return queries


def test_synthetic_corpus_has_the_edge_cases(synthetic):
    index, model, token_lists, _ = synthetic
    common = analyze(COMMON_WORD)[0]
    assert len(index) > 2000
    assert sum(common in tokens for tokens in token_lists) > len(token_lists) / 2
    assert model.idf[common] == pytest.approx(model.epsilon * model.average_idf)
    assert any(len(tokens) == 0 for tokens in token_lists)


def test_scores_are_identical_to_bm25okapi(synthetic):
    index, model, _, words = synthetic
    for terms in _queries(words):
        expected = model.get_scores(terms)
        assert np.array_equal(index.retriever.scores(terms), expected), terms


@pytest.mark.parametrize("k", [1, 10, 50])
def test_top_k_is_bm25okapi_ranking_with_ties_broken_by_row(synthetic, k):
    index, model, token_lists, words = synthetic
    for terms in _queries(words):
        scores = model.get_scores(terms)
        query = set(terms)
        matched = [row for row, tokens in enumerate(token_lists) if query.intersection(tokens)]
        expected = sorted(matched, key=lambda row: (-scores[row], row))[:k]
        hits = index.retriever.search_terms(terms, k)
        assert [hit.row for hit in hits] == expected, terms
        assert [hit.score for hit in hits] == [scores[row] for row in expected]
        assert all(hit.score > 0 for hit in hits)


def test_search_analyses_the_text_like_the_build(synthetic):
    index, model, _, words = synthetic
    text = f"What about the {words[3].upper()}s and {words[10]}, {words[3]}?"
    hits = index.search(text, 5)
    scores = model.get_scores(analyze(text))
    assert [hit.score for hit in hits] == sorted(scores, reverse=True)[:5]


def test_query_of_unknown_terms_matches_nothing(synthetic):
    index, _, _, _ = synthetic
    assert index.retriever.search_terms(UNKNOWN_WORDS, 10) == []
    assert not index.retriever.scores(UNKNOWN_WORDS).any()
