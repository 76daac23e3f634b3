"""BM25 sentence retrieval: rank-bm25's BM25Okapi scores, served from a postings index.

`BM25Okapi` is the definition of the scores (idf with its epsilon floor, k1, b,
average length). Scoring every sentence with `get_scores` is too slow on large
corpora, so the build derives per-posting score contributions with the very
expression `get_scores` uses, and a query only sums the postings of its terms.
The scores are identical (tests compare them with `np.array_equal`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from qa.errors import EmptyQuestion

K1 = 1.5
B = 0.75
EPSILON = 0.25


@dataclass(frozen=True)
class Hit:
    """A retrieved sentence: its row in the index and its BM25 score."""

    row: int
    score: float


def okapi_idf(document_frequencies: dict[str, int], sentence_count: int, epsilon: float = EPSILON) -> dict[str, float]:
    """BM25Okapi's own idf (with its epsilon floor) for terms given in first-appearance order.

    Runs rank-bm25's `_calc_idf` rather than a copy of it, so the floor and the
    order of the floating-point sum are the library's.
    """
    model = BM25Okapi.__new__(BM25Okapi)
    model.k1, model.b, model.epsilon = K1, B, epsilon
    model.corpus_size = sentence_count
    model.idf = {}
    model._calc_idf(document_frequencies)
    return model.idf


def posting_scores(
    idf: np.ndarray, term_frequency: np.ndarray, sentence_length: np.ndarray, average_length: float
) -> np.ndarray:
    """Each posting's contribution, written exactly as `BM25Okapi.get_scores` computes it."""
    q_freq, doc_len = term_frequency.astype(np.int64), sentence_length.astype(np.int64)
    return idf * (q_freq * (K1 + 1) / (q_freq + K1 * (1 - B + B * doc_len / average_length)))


class Retriever:
    """Postings of every term: the sentences containing it and their score contributions."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        offsets: np.ndarray,
        posting_rows: np.ndarray,
        posting_weights: np.ndarray,
        sentence_count: int,
    ):
        self.vocabulary = vocabulary
        self.offsets = offsets
        self.posting_rows = posting_rows
        self.posting_weights = posting_weights
        self.sentence_count = sentence_count

    def sentences_containing(self, term: str, first_row: int, end_row: int) -> int:
        """How many sentences in rows [first_row, end_row) contain an analysed term (postings are row-sorted)."""
        term_id = self.vocabulary.get(term)
        if term_id is None:
            return 0
        rows = self.posting_rows[int(self.offsets[term_id]) : int(self.offsets[term_id + 1])]
        return int(np.searchsorted(rows, end_row) - np.searchsorted(rows, first_row))

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25Okapi scores of every sentence for analysed query terms (duplicates count twice)."""
        rows, weights = self._postings(terms)
        return np.bincount(rows, weights=weights, minlength=self.sentence_count).astype(np.float64)

    def _postings(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        slices = []
        for term in terms:
            term_id = self.vocabulary.get(term)
            if term_id is not None:
                slices.append(slice(int(self.offsets[term_id]), int(self.offsets[term_id + 1])))
        if not slices:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        rows = np.concatenate([self.posting_rows[part] for part in slices])
        weights = np.concatenate([self.posting_weights[part] for part in slices])
        return rows, weights

    def search_terms(self, terms: list[str], k: int = 10, allowed: np.ndarray | None = None) -> list[Hit]:
        """Top k sentences sharing a query term, by score, ties broken by sentence row.

        `allowed`, a boolean mask over rows, limits the search to those rows (a scoped question):
        the top k are taken among them, not filtered out of the unscoped top k."""
        if not terms:
            raise EmptyQuestion("the query has no searchable words (only stopwords or punctuation)")
        rows, weights = self._postings(terms)
        if len(rows) == 0 or k <= 0:
            return []
        scores = np.bincount(rows, weights=weights, minlength=self.sentence_count)
        matched = np.zeros(self.sentence_count, dtype=bool)
        matched[rows] = True
        if allowed is not None:
            matched &= allowed
        candidates = np.flatnonzero(matched)
        candidate_scores = scores[candidates]
        if len(candidates) > k:
            threshold = np.partition(candidate_scores, len(candidates) - k)[len(candidates) - k]
            keep = candidate_scores >= threshold
            candidates, candidate_scores = candidates[keep], candidate_scores[keep]
        order = np.lexsort((candidates, -candidate_scores))[:k]
        return [Hit(int(candidates[i]), float(candidate_scores[i])) for i in order]
