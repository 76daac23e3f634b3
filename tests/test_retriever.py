"""The postings index gives exactly rank-bm25's BM25Okapi scores and ranking, through the real build.

The pruned top k (`search_terms`) and the exhaustive reference (`search_terms_exhaustive`)
are both held to BM25Okapi's `get_scores`: same rows, same float scores, ties by row.
"""

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qa import retriever as retriever_module
from qa.index import SentenceIndex, build_index, stale_reason
from qa.retriever import Retriever, compute_bounds, okapi_idf, posting_scores
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


def _expected_top_k(scores: np.ndarray, token_lists: list[list[str]], terms: list[str], k: int, allowed=None) -> list[int]:
    query = set(terms)
    matched = [row for row, tokens in enumerate(token_lists) if query.intersection(tokens) and (allowed is None or allowed[row])]
    return sorted(matched, key=lambda row: (-scores[row], row))[:k]


# The pruned path (MaxScore), the compact path it takes for short postings lists, and the reference.
SEARCHES = ["pruned", "compact", "exhaustive"]


@pytest.fixture
def searcher(monkeypatch):
    """search(retriever, name) -> the search function of that path."""

    def search(retriever: Retriever, name: str):
        monkeypatch.setattr(retriever_module, "PRUNE_FROM_POSTINGS", {"pruned": -1, "compact": 10**12}.get(name, 0))
        return retriever.search_terms_exhaustive if name == "exhaustive" else retriever.search_terms

    return search


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("k", [1, 10, 50, 100_000])
def test_top_k_is_bm25okapi_ranking_with_ties_broken_by_row(synthetic, searcher, search, k):
    index, model, token_lists, words = synthetic
    for terms in _queries(words):
        scores = model.get_scores(terms)
        expected = _expected_top_k(scores, token_lists, terms, k)
        hits = searcher(index.retriever, search)(terms, k)
        assert [hit.row for hit in hits] == expected, terms
        assert [hit.score for hit in hits] == [scores[row] for row in expected]
        assert all(hit.score > 0 for hit in hits)


def test_queries_cover_ties_at_the_kth_place_and_fewer_matches_than_k(synthetic):
    index, model, token_lists, words = synthetic
    tie_at_kth = fewer_than_k = single_term = 0
    for terms in _queries(words):
        scores = model.get_scores(terms)
        ranked = _expected_top_k(scores, token_lists, terms, 100_000)
        if len(ranked) > 10 and scores[ranked[9]] == scores[ranked[10]]:
            tie_at_kth += 1
        fewer_than_k += 0 < len(ranked) < 50
        single_term += len(set(terms)) == 1
    assert tie_at_kth >= 20 and fewer_than_k >= 20 and single_term >= 2


@pytest.mark.parametrize("search", SEARCHES)
def test_allowed_rows_limit_the_search(synthetic, searcher, search):
    index, model, token_lists, words = synthetic
    generator = np.random.default_rng(SEED)
    for number, terms in enumerate(_queries(words)[:120]):
        allowed = generator.random(len(index)) < (0.05, 0.5, 0.95)[number % 3]
        scores = model.get_scores(terms)
        for k in (1, 10, 40):
            hits = searcher(index.retriever, search)(terms, k, allowed=allowed)
            expected = _expected_top_k(scores, token_lists, terms, k, allowed)
            assert [hit.row for hit in hits] == expected, terms
            assert [hit.score for hit in hits] == [scores[row] for row in expected]


def test_a_bad_row_mask_is_refused(synthetic):
    index, _, _, words = synthetic
    terms = [analyze(words[0])[0]]
    with pytest.raises(ValueError, match="boolean array"):
        index.retriever.search_terms(terms, 10, allowed=np.ones(len(index) - 1, dtype=bool))
    with pytest.raises(ValueError, match="boolean array"):
        index.retriever.search_terms(terms, 10, allowed=np.ones(len(index), dtype=np.int8))


def test_pruning_leaves_out_rows_that_cannot_reach_the_top(synthetic):
    index, _, token_lists, words = synthetic
    common = analyze(COMMON_WORD)[0]
    rare = next(analyze(word)[0] for word in words[200:] if 5 <= sum(analyze(word)[0] in tokens for tokens in token_lists) <= 30)
    retriever = index.retriever
    postings, sequence = retriever._query_postings([common, rare])
    threshold = retriever._seed_threshold(postings, sequence, 3, None)
    candidates = retriever._candidates(postings, sequence, 3, threshold, None)
    matched = sum(common in tokens or rare in tokens for tokens in token_lists)
    assert threshold > 0
    assert len(candidates) <= 30 < matched / 10  # the common word's postings are only probed


# ---------------------------------------------------------------- random corpora


def _retriever_from_tokens(token_lists: list[list[str]], stored_bounds: bool = False) -> Retriever:
    """A retriever built the way the index builds one: idf in first-appearance order, `posting_scores` per posting."""
    vocabulary: dict[str, int] = {}
    frequencies: dict[str, int] = {}
    postings: dict[str, list[tuple[int, int]]] = {}
    for row, tokens in enumerate(token_lists):
        for term in tokens:
            vocabulary.setdefault(term, len(vocabulary))
        for term in dict.fromkeys(tokens):
            frequencies[term] = frequencies.get(term, 0) + 1
            postings.setdefault(term, []).append((row, tokens.count(term)))
    idf = okapi_idf(frequencies, len(token_lists))
    lengths = np.array([len(tokens) for tokens in token_lists])
    average_length = int(lengths.sum()) / len(token_lists)
    offsets, rows, weights = [0], [], []
    for term in vocabulary:
        term_rows = np.array([row for row, _ in postings[term]])
        term_frequencies = np.array([count for _, count in postings[term]])
        rows.append(term_rows.astype(np.int32))
        weights.append(posting_scores(np.float64(idf[term]), term_frequencies, lengths[term_rows], average_length))
        offsets.append(offsets[-1] + len(term_rows))
    offsets, rows, weights = np.array(offsets, dtype=np.int64), np.concatenate(rows), np.concatenate(weights)
    bounds = compute_bounds(offsets, rows, weights, len(token_lists)) if stored_bounds else None
    return Retriever(vocabulary, offsets, rows, weights, len(token_lists), bounds)


@pytest.mark.parametrize("stored_bounds", [False, True], ids=["bounds-at-query-time", "bounds-stored"])
@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("corpus_seed", range(12))
def test_random_corpora_pruned_equals_get_scores(corpus_seed, searcher, search, stored_bounds, monkeypatch):
    if stored_bounds:
        monkeypatch.setattr(retriever_module, "TARGET_BLOCKS", 16)  # small corpora get long lists too: blocks are stored
    generator = random.Random(corpus_seed)
    vocabulary = [f"w{number}" for number in range(generator.choice([3, 8, 40, 400]))]
    weights = [1.0 / (rank + 1) ** generator.choice([0.5, 1.0, 1.5]) for rank in range(len(vocabulary))]
    token_lists = []
    for _ in range(generator.choice([5, 60, 800, 3000])):
        tokens = generator.choices(vocabulary, weights=weights, k=generator.randint(0, 12))
        if generator.random() < 0.3:  # identical sentences: ties in score
            tokens = list(token_lists[-1]) if token_lists else tokens
        token_lists.append(tokens)
    if not any(token_lists):
        token_lists[0] = [vocabulary[0]]
    retriever, model = _retriever_from_tokens(token_lists, stored_bounds), BM25Okapi(token_lists)
    if corpus_seed % 2:
        retriever.warm()  # a server's start: every list checked and mapped at once, the same hits after
    rows = len(token_lists)
    for _ in range(60):
        terms = generator.choices(vocabulary, k=generator.randint(1, 6)) + (["unseen"] if generator.random() < 0.2 else [])
        if generator.random() < 0.3:
            terms.append(terms[0])
        k = generator.choice([1, 2, 5, 10, 40, rows + 1])
        allowed = np.array([generator.random() < 0.5 for _ in range(rows)]) if generator.random() < 0.3 else None
        scores = model.get_scores(terms)
        expected = _expected_top_k(scores, token_lists, terms, k, allowed)
        hits = searcher(retriever, search)(terms, k, allowed=allowed)
        assert [hit.row for hit in hits] == expected, (terms, k)
        assert [hit.score for hit in hits] == [scores[row] for row in expected], (terms, k)


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


# ---------------------------------------------------------------- block-max bounds


def test_block_maxima_are_each_blocks_largest_weight(synthetic):
    index, _, _, words = synthetic
    retriever = index.retriever
    assert retriever.block_count > 100  # small corpora get small blocks, so the tests prune by blocks too
    postings, _ = retriever._query_postings([analyze(COMMON_WORD)[0], analyze(words[3])[0], analyze(words[700])[0]])
    for term in postings:
        maxima = retriever.block_maxima(term)
        expected = np.zeros(retriever.block_count)
        np.maximum.at(expected, term.rows >> retriever.block_shift, term.weights)
        assert np.array_equal(maxima, expected)


def test_build_stores_exact_bounds_and_search_uses_them(synthetic, monkeypatch):
    index, _, _, _ = synthetic
    retriever = index.retriever
    bounds = retriever.bounds
    assert bounds is not None and bounds.block_shift == retriever.block_shift and len(bounds.block_terms) > 0
    offsets = retriever.offsets
    for term_id in range(len(offsets) - 1):
        assert bounds.term_max_weights[term_id] == retriever.posting_weights[offsets[term_id] : offsets[term_id + 1]].max()
    lengths = np.diff(offsets)
    assert set(bounds.block_terms.tolist()) == set(np.flatnonzero(lengths >= retriever.block_count).tolist())
    for position, term_id in enumerate(bounds.block_terms.tolist()):
        rows = retriever.posting_rows[offsets[term_id] : offsets[term_id + 1]]
        expected = np.zeros(retriever.block_count)
        np.maximum.at(expected, rows >> retriever.block_shift, retriever.posting_weights[offsets[term_id] : offsets[term_id + 1]])
        assert np.array_equal(bounds.block_maxima[position], expected)

    def not_computed(*arguments):
        raise AssertionError("a stored bound was computed at query time")

    monkeypatch.setattr(retriever_module, "_fill_block_maxima", not_computed)
    monkeypatch.setattr(retriever, "_max_weights", None)  # the per-query cache of largest weights is not used either
    common = analyze(COMMON_WORD)[0]
    assert int(retriever.vocabulary[common]) in set(bounds.block_terms.tolist())
    postings, _ = retriever._query_postings([common])
    assert np.array_equal(retriever.block_maxima(postings[0]), bounds.block_maxima[list(bounds.block_terms).index(retriever.vocabulary[common])])


def test_index_without_stored_bounds_still_loads_and_ranks_the_same(synthetic, tmp_path):
    index, _, _, words = synthetic
    old = tmp_path / "old-format"
    shutil.copytree(index.index_dir, old)
    manifest = json.loads((old / "manifest.json").read_text())
    for name in ("term_max_weights", "block_maxima_terms", "block_maxima"):
        (old / manifest["generation"] / f"{name}.npy").unlink()
    manifest["format_version"] = 2
    del manifest["block_shift"]
    (old / "manifest.json").write_text(json.dumps(manifest))
    loaded = SentenceIndex.load(old)
    assert loaded.retriever.bounds is None
    assert "index format 2" in stale_reason(loaded.manifest)
    for terms in _queries(words)[:80]:
        assert loaded.retriever.search_terms(terms, 10) == index.retriever.search_terms(terms, 10)


@pytest.mark.parametrize("target_blocks", [1, 3, 64])
@pytest.mark.parametrize("corpus_seed", range(4))
def test_coarse_and_fine_blocks_give_the_same_top_k(monkeypatch, corpus_seed, target_blocks):
    monkeypatch.setattr(retriever_module, "PRUNE_FROM_POSTINGS", -1)
    monkeypatch.setattr(retriever_module, "TARGET_BLOCKS", target_blocks)
    generator = random.Random(corpus_seed)
    vocabulary = [f"w{number}" for number in range(60)]
    token_lists = [generator.choices(vocabulary, weights=[1 / (rank + 1) for rank in range(60)], k=generator.randint(1, 10)) for _ in range(1500)]
    retriever, model = _retriever_from_tokens(token_lists), BM25Okapi(token_lists)
    assert retriever.block_count == (1499 >> retriever.block_shift) + 1
    for _ in range(40):
        terms = generator.choices(vocabulary, k=generator.randint(2, 5))
        k = generator.choice([1, 10, 40, 2000])
        scores = model.get_scores(terms)
        expected = _expected_top_k(scores, token_lists, terms, k)
        hits = retriever.search_terms(terms, k)
        assert [hit.row for hit in hits] == expected and [hit.score for hit in hits] == [scores[row] for row in expected]


def test_block_bounds_drop_postings_the_term_bounds_keep(synthetic, monkeypatch):
    index, _, _, words = synthetic
    common, rare = analyze(COMMON_WORD)[0], analyze(words[5])[0]
    summed: list[int] = []
    original = Retriever._sum_by_row

    def counting(self, rows_by_term, weights_by_term):
        summed.append(sum(len(rows) for rows in rows_by_term))
        return original(self, rows_by_term, weights_by_term)

    monkeypatch.setattr(Retriever, "_sum_by_row", counting)
    fine = index.retriever
    monkeypatch.setattr(retriever_module, "TARGET_BLOCKS", 1)
    one_block = Retriever(fine.vocabulary, fine.offsets, fine.posting_rows, fine.posting_weights, fine.sentence_count)
    for retriever in (fine, one_block):
        postings, sequence = retriever._query_postings([common, rare, common])
        threshold = retriever._seed_threshold(postings, sequence, 5, None)
        retriever._candidates(postings, sequence, 5, threshold, None)
    assert one_block.block_count <= 2 and summed[0] < summed[1]


@pytest.mark.parametrize("seed", range(6))
def test_top_k_of_thousands_of_scores_with_ties_matches_a_full_sort(seed):
    """The group-maxima floor in front of np.partition must not lose a tied or best score."""
    generator = np.random.default_rng(seed)
    size = int(generator.integers(1, 6000))
    scores = np.round(generator.random(size) * 5, int(generator.integers(0, 3)))  # 0 decimals: heavy ties
    if seed % 2:
        scores = np.sort(scores)  # the best scores all in one group of the floor
    rows = np.sort(generator.choice(10 * size, size, replace=False)).astype(np.int32)
    for k in (1, 3, 10, 50, size, size + 5):
        order = np.lexsort((rows, -scores))[:k]
        expected = [(int(rows[i]), float(scores[i])) for i in order]
        assert [(hit.row, hit.score) for hit in retriever_module._top_k(rows, scores, k)] == expected
        if k <= size:
            assert retriever_module._kth_largest(scores, k) == np.sort(scores)[size - k]
