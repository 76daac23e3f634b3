"""BM25 sentence retrieval: rank-bm25's BM25Okapi scores, served from a postings index.

`BM25Okapi` is the definition of the scores (idf with its epsilon floor, k1, b,
average length). Scoring every sentence with `get_scores` is too slow on large
corpora, so the build derives per-posting score contributions with the very
expression `get_scores` uses, and a query only sums the postings of its terms.
The scores are identical (tests compare them with `np.array_equal`).

Top k without touching the whole corpus: MaxScore dynamic pruning (Turtle and Flood,
as in Lucene and PISA). A few likely rows are scored first; the k-th best of them is
a threshold no answer can fall below. Terms whose summed upper bounds stay under it
are non-essential: a row that has only those terms cannot reach the top k, so their
postings are never scanned, only probed for the surviving candidates. Postings of the
essential terms whose score bound cannot reach the threshold are dropped too. The
survivors get their final scores summed term by term in query order, exactly as
`np.bincount` over the concatenated postings (and `get_scores`) sums them, so the
floats are the same bit for bit. `search_terms_exhaustive` is the simple reference.
"""

from __future__ import annotations

import mmap
import threading
from collections import OrderedDict
from dataclasses import dataclass
from math import inf

import numpy as np
from rank_bm25 import BM25Okapi

from qa.errors import EmptyQuestion, IndexCorrupt

K1 = 1.5
B = 0.75
EPSILON = 0.25
# Seed rows scored first to set the pruning threshold: every row of the shortest
# lists, or the heaviest postings of a longer one (the rows most likely to score high).
SEED_POSTINGS = 1024
# Upper bounds are widened by this relative margin before a row is pruned, so the
# rounding of a float sum (about 1e-16 per term) can never prune a row that belongs.
BOUND_MARGIN = 1e-9
# Below this many postings in a query's lists, summing them all (in a scratch array,
# not one as long as the corpus) is cheaper than the bookkeeping of pruning.
PRUNE_FROM_POSTINGS = 20_000
# Block-max bounds: the rows are cut into about this many blocks of equal power-of-two length, and
# each term's largest weight in each block bounds what the term adds to any row of that block.
# Finer blocks bound more tightly; each query term costs one array of this length.
TARGET_BLOCKS = 2048
# Terms whose block maxima are kept in memory (computed from a term's postings on first use).
CACHED_BLOCK_TERMS = 4096
# Top k of thousands of scores: their maxima in groups of this many give a floor under the
# k-th best (see `_floor_of_kth_largest`), used once there are this many groups per wanted value.
FLOOR_GROUP_SIZE = 16
FLOOR_FROM_GROUPS_PER_K = 4


def checked_mask(allowed: np.ndarray | None, sentence_count: int) -> np.ndarray | None:
    """`allowed` (a scope's rows) as a boolean array, refused with ValueError unless it has one entry per row."""
    if allowed is None:
        return None
    allowed = np.asarray(allowed)
    if allowed.dtype != np.bool_ or allowed.shape != (sentence_count,):
        raise ValueError(f"allowed must be a boolean array of {sentence_count} rows, not {allowed.dtype} {allowed.shape}")
    return allowed


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


def block_shift_for(sentence_count: int) -> int:
    """Rows per block are 2**shift: about TARGET_BLOCKS blocks over the corpus."""
    return max(0, (max(sentence_count - 1, 1) // TARGET_BLOCKS).bit_length())


@dataclass(frozen=True)
class StoredBounds:
    """Score bounds the build computed and the index stores, so a query does not compute them.

    Every term's largest posting weight; and, for the terms with at least as many postings as
    there are blocks (the long lists pruning is for), the largest weight in each block of
    2**block_shift rows (0.0 where the term has none). Shorter lists' block maxima cost a query
    one pass over a few postings, less than storing them would cost the index.
    """

    term_max_weights: np.ndarray  # float64, one per term
    block_terms: np.ndarray  # int, sorted term ids that have stored block maxima
    block_maxima: np.ndarray  # float64, (len(block_terms), blocks) row-major, flattened in the index files
    block_shift: int

    def block_row(self, term_id: int) -> np.ndarray | None:
        position = int(np.searchsorted(self.block_terms, term_id))
        if position < len(self.block_terms) and int(self.block_terms[position]) == term_id:
            return self.block_maxima[position]
        return None


def compute_bounds(offsets: np.ndarray, rows: np.ndarray, weights: np.ndarray, sentence_count: int) -> StoredBounds:
    """The bounds a build stores (see StoredBounds): maxima are exact, so the pruning they drive is unchanged."""
    shift = block_shift_for(sentence_count)
    block_count = (sentence_count >> shift) + 1
    lengths = np.diff(offsets)
    present = lengths > 0
    term_max_weights = np.zeros(len(lengths), dtype=np.float64)
    if present.any():
        term_max_weights[present] = np.maximum.reduceat(weights, offsets[:-1][present])
    block_terms = np.flatnonzero(lengths >= block_count)
    block_maxima = np.zeros((len(block_terms), block_count), dtype=np.float64)
    for position, term_id in enumerate(block_terms.tolist()):
        start, end = int(offsets[term_id]), int(offsets[term_id + 1])
        _fill_block_maxima(block_maxima[position], rows[start:end], weights[start:end], shift)
    return StoredBounds(term_max_weights, block_terms, block_maxima, shift)


def _fill_block_maxima(maxima: np.ndarray, rows: np.ndarray, weights: np.ndarray, shift: int) -> None:
    """Each block's largest weight into `maxima`, from one term's row-sorted postings (one pass over them)."""
    if len(rows) == 0:
        return
    blocks = rows >> shift
    starts = np.flatnonzero(np.concatenate(([True], blocks[1:] != blocks[:-1])))
    maxima[blocks[starts]] = np.maximum.reduceat(weights, starts)


@dataclass(frozen=True)
class _TermPostings:
    """One distinct query term: its postings (row-sorted views), how often the query repeats it, its largest weight."""

    rows: np.ndarray
    weights: np.ndarray
    count: int
    max_weight: float
    term_id: int

    @property
    def bound(self) -> float:
        return self.count * self.max_weight

    def weights_at(self, candidates: np.ndarray) -> np.ndarray:
        """This term's weight in each (sorted) candidate row, 0.0 where the row lacks the term."""
        positions = np.searchsorted(self.rows, candidates)
        np.minimum(positions, len(self.rows) - 1, out=positions)
        return np.where(self.rows[positions] == candidates, self.weights[positions], 0.0)


def largest_unsigned(values: np.ndarray) -> int:
    """The largest value read as unsigned: one pass that also catches negative values (they read as huge)."""
    return int(values.view(np.dtype(f"u{values.dtype.itemsize}")).max())


class Retriever:
    """Postings of every term: the sentences containing it and their score contributions."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        offsets: np.ndarray,
        posting_rows: np.ndarray,
        posting_weights: np.ndarray,
        sentence_count: int,
        bounds: StoredBounds | None = None,
        source: str = "the index",
    ):
        self.vocabulary = vocabulary
        self.source = source  # named in the error when a term's postings turn out damaged
        # Plain ndarray views of the (memory-mapped) arrays: same pages, but slicing a
        # np.memmap costs microseconds of Python per slice, a noticeable part of a query.
        self.offsets = _plain(offsets)
        self.posting_rows = _plain(posting_rows)
        self.posting_weights = _plain(posting_weights)
        self.sentence_count = sentence_count
        # Each term's largest posting weight, read from the bounds the index stores, or (an index
        # without them) computed the first time a query uses the term: one pass over its postings.
        self._max_weights: dict[int, float] = {}
        self.block_shift = block_shift_for(sentence_count)  # rows per block: 2**shift
        self.block_count = (sentence_count >> self.block_shift) + 1
        if bounds is not None and bounds.block_shift != self.block_shift:
            bounds = StoredBounds(bounds.term_max_weights, bounds.block_terms[:0], bounds.block_maxima[:0], self.block_shift)
        self.bounds = bounds
        self._block_maxima: OrderedDict[int, np.ndarray] = OrderedDict()
        self._block_lock = threading.Lock()
        # Terms whose postings were checked (see `_span`): the check is one pass over a list,
        # made on the term's first use rather than over every list when the index opens.
        self._checked_terms: set[int] = set()
        self._all_checked = False  # set by `warm`, which checks every list at once

    def _span(self, term_id: int) -> tuple[int, int]:
        """Where a term's postings are, checked on the term's first use: every row must name a sentence.

        A damaged row would otherwise index past the scores (IndexError) or, negative, wrap
        around to another sentence (a wrong answer). Checking here costs one pass over a term's
        list on its first use, instead of a pass over all the postings at every load (452 MB
        at ten million sentences). The offsets themselves were checked at load.
        """
        start, end = int(self.offsets[term_id]), int(self.offsets[term_id + 1])
        if not self._all_checked and term_id not in self._checked_terms:
            rows = self.posting_rows[start:end]
            if end > start and largest_unsigned(rows) >= self.sentence_count:
                raise IndexCorrupt(f"{self.source} is damaged: a posting of term #{term_id} names a sentence that does not exist (rebuild the index)")
            self._checked_terms.add(term_id)
        return start, end

    def check_postings(self) -> None:
        """Every posting's row at once (`qa index check`): IndexCorrupt as `_span` gives for one term on its first use."""
        rows = self.posting_rows
        if len(rows) and largest_unsigned(rows) >= self.sentence_count:
            raise IndexCorrupt(f"{self.source} is damaged: a posting names a sentence that does not exist (rebuild the index)")

    def warm(self) -> None:
        """Check every posting and fault the mapped postings and bounds in, so queries do neither.

        A query otherwise pays, on each term's first use, the term's row check (see `_span`) and
        the page faults of reading mapped memory for the first time: about a tenth of a query's CPU
        at a million sentences, until every term was used once. A server calls this before serving
        (one pass over the rows, one read per page of the rest: about 0.03 CPU s at a million sentences).
        """
        if self._all_checked:
            return  # warmed already (the API warms each index it loads, then its start-up warms again)
        self.check_postings()
        self._all_checked = True
        arrays = [self.offsets, self.posting_weights]
        if self.bounds is not None:
            arrays += [self.bounds.term_max_weights, self.bounds.block_maxima]
        for values in arrays:
            flat = np.ravel(values)
            if len(flat):
                float(flat[:: max(1, mmap.PAGESIZE // flat.itemsize)].sum())  # one read per page maps it

    def sentences_containing(self, term: str, first_row: int, end_row: int) -> int:
        """How many sentences in rows [first_row, end_row) contain an analysed term (postings are row-sorted)."""
        term_id = self.vocabulary.get(term)
        if term_id is None:
            return 0
        start, end = self._span(term_id)
        rows = self.posting_rows[start:end]
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
                slices.append(slice(*self._span(term_id)))
        if not slices:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        rows = np.concatenate([self.posting_rows[part] for part in slices])
        weights = np.concatenate([self.posting_weights[part] for part in slices])
        return rows, weights

    def search_terms(self, terms: list[str], k: int = 10, allowed: np.ndarray | None = None) -> list[Hit]:
        """Top k sentences sharing a query term, by score, ties broken by sentence row.

        Exactly the top k of `search_terms_exhaustive` (same rows, same float scores), found
        by MaxScore pruning. `allowed`, a boolean mask over the rows, limits the search to the
        rows it marks (a scoped question): the top k are taken among them, not filtered out of
        the unscoped top k.
        """
        if not terms:
            raise EmptyQuestion("the query has no searchable words (only stopwords or punctuation)")
        allowed = self._checked_mask(allowed)
        if k <= 0:
            return []
        postings, sequence = self._query_postings(terms)
        if not postings:
            return []
        if any(term.max_weight < 0 for term in postings):
            # A negative weight (BM25Okapi's idf of a term in over half of a tiny corpus, when
            # the epsilon floor itself is negative) breaks the bounds: score everything.
            return self.search_terms_exhaustive(terms, k, allowed)
        if sum(len(term.rows) for term in postings) <= PRUNE_FROM_POSTINGS:
            return self._search_compact(postings, sequence, k, allowed)
        threshold = self._seed_threshold(postings, sequence, k, allowed)
        candidates = self._candidates(postings, sequence, k, threshold, allowed)
        return _top_k(candidates, _exact_scores(candidates, postings, sequence), k)

    def search_terms_exhaustive(self, terms: list[str], k: int = 10, allowed: np.ndarray | None = None) -> list[Hit]:
        """The reference top k: every matching sentence scored with one `np.bincount` over the corpus."""
        if not terms:
            raise EmptyQuestion("the query has no searchable words (only stopwords or punctuation)")
        allowed = self._checked_mask(allowed)
        rows, weights = self._postings(terms)
        if len(rows) == 0 or k <= 0:
            return []
        scores = np.bincount(rows, weights=weights, minlength=self.sentence_count)
        matched = np.zeros(self.sentence_count, dtype=bool)
        matched[rows] = True
        if allowed is not None:
            matched &= allowed
        candidates = np.flatnonzero(matched)
        return _top_k(candidates, scores[candidates], k)

    # -- the pruned path

    def _checked_mask(self, allowed: np.ndarray | None) -> np.ndarray | None:
        return checked_mask(allowed, self.sentence_count)

    def _query_postings(self, terms: list[str]) -> tuple[list[_TermPostings], list[int]]:
        """The distinct known terms' postings, and the query as positions in that list (in query order)."""
        positions: dict[int, int] = {}
        sequence: list[int] = []
        for term in terms:
            term_id = self.vocabulary.get(term)
            if term_id is not None:
                sequence.append(positions.setdefault(term_id, len(positions)))
        postings = []
        for term_id, position in positions.items():
            start, end = self._span(term_id)
            weights = self.posting_weights[start:end]
            if self.bounds is not None:
                max_weight = float(self.bounds.term_max_weights[term_id])
            else:
                max_weight = self._max_weights.get(term_id)
                if max_weight is None:
                    max_weight = self._max_weights[term_id] = float(weights.max())
            postings.append(_TermPostings(self.posting_rows[start:end], weights, sequence.count(position), max_weight, term_id))
        return postings, sequence

    def block_maxima(self, term: _TermPostings) -> np.ndarray:
        """The term's largest weight in each block of 2**block_shift rows (0.0 where it has no posting).

        Read from the index's stored bounds for long lists; otherwise one pass over the term's
        postings on first use, then kept (the CACHED_BLOCK_TERMS most recent terms).
        """
        if self.bounds is not None:
            stored = self.bounds.block_row(term.term_id)
            if stored is not None:
                return stored
        with self._block_lock:
            maxima = self._block_maxima.get(term.term_id)
            if maxima is not None:
                self._block_maxima.move_to_end(term.term_id)
                return maxima
        maxima = np.zeros(self.block_count, dtype=np.float64)
        if len(term.rows) < self.block_count and term.max_weight >= 0:
            np.maximum.at(maxima, term.rows >> self.block_shift, term.weights)  # a short list: one pass (weights >= 0, so 0.0 elsewhere)
        elif len(term.rows) < self.block_count:
            _fill_block_maxima(maxima, term.rows, term.weights, self.block_shift)
        elif len(term.rows):
            first = np.searchsorted(term.rows, np.arange(self.block_count, dtype=np.int64) << self.block_shift)
            present = np.diff(first, append=len(term.rows)) > 0
            maxima[present] = np.maximum.reduceat(term.weights, first[present])
        with self._block_lock:
            self._block_maxima[term.term_id] = maxima
            while len(self._block_maxima) > CACHED_BLOCK_TERMS:
                self._block_maxima.popitem(last=False)
        return maxima

    def _search_compact(self, postings: list[_TermPostings], sequence: list[int], k: int, allowed: np.ndarray | None) -> list[Hit]:
        """Every matching row scored: its postings summed in query order, as `np.bincount` sums them."""
        if allowed is not None:
            postings = [
                _TermPostings(term.rows[allowed[term.rows]], term.weights[allowed[term.rows]], term.count, term.max_weight, term.term_id)
                for term in postings
            ]
        if len(postings) == 1:  # every row has the term: 0.0 + its weight, once per repeat (no look-ups)
            scores = np.zeros(len(postings[0].rows), dtype=np.float64)
            for _ in sequence:
                scores += postings[0].weights
            return _top_k(postings[0].rows, scores, k)
        in_query_order = [postings[position] for position in sequence]
        rows = np.concatenate([term.rows for term in in_query_order])
        weights = np.concatenate([term.weights for term in in_query_order])
        if len(rows) == 0:
            return []
        # A stable sort by row keeps each row's postings in query order; adding the j-th posting of
        # every row that has one, for j = 0, 1, ..., is then the order in which np.bincount adds them.
        order = np.argsort(rows, kind="stable")
        rows, weights = rows[order], weights[order]
        starts = _run_starts(rows)
        sizes = np.empty_like(starts)
        np.subtract(starts[1:], starts[:-1], out=sizes[:-1])
        sizes[-1] = len(rows) - starts[-1]
        scores = weights[starts] + 0.0  # 0.0 + the first posting, as np.bincount starts from zero
        for j in range(1, int(sizes.max())):
            more = np.flatnonzero(sizes > j)
            scores[more] += weights[starts[more] + j]
        return _top_k(rows[starts], scores, k)

    def _seed_threshold(self, postings: list[_TermPostings], sequence: list[int], k: int, allowed: np.ndarray | None) -> float:
        """The k-th best exact score among a few likely rows: no row of the top k scores lower (-inf: too few seeds)."""
        seeds: list[np.ndarray] = []
        found = 0
        for term in sorted(postings, key=lambda term: len(term.rows)):
            rows = term.rows
            if len(rows) > SEED_POSTINGS:
                rows = rows[np.argpartition(term.weights, len(rows) - SEED_POSTINGS)[-SEED_POSTINGS:]]
            if allowed is not None:
                rows = rows[allowed[rows]]
            seeds.append(rows)
            found += len(rows)
            if found >= k:
                break
        if found < k:
            return -inf
        seed_rows = _distinct_sorted(np.concatenate(seeds)) if len(seeds) > 1 else np.sort(seeds[0])
        if len(seed_rows) < k:
            return -inf
        return _kth_largest(_exact_scores(seed_rows, postings, sequence), k)

    def _candidates(self, postings: list[_TermPostings], sequence: list[int], k: int, threshold: float, allowed: np.ndarray | None) -> np.ndarray:
        """Sorted rows that may score at least `threshold`: every such row is among them.

        MaxScore with block-max bounds: the terms with the smallest bounds, together below
        the threshold, are non-essential, since a row holding only those cannot reach it.
        The essential terms' postings are scanned, and a posting is dropped when its weight
        plus the other terms' largest weights in its block of rows falls short (so whole
        blocks where the terms together cannot reach the threshold drop out); the rest are
        summed per row; the best of those rows are scored exactly to raise the threshold;
        then each non-essential term, largest bound first, is looked up only for the rows
        still able to reach the threshold.
        """
        if threshold <= 0:
            essential, non_essential = postings, []
        else:
            by_bound = sorted(postings, key=lambda term: term.bound)
            reachable = np.cumsum([term.bound for term in by_bound]) * (1 + BOUND_MARGIN)
            split = int(np.searchsorted(reachable, threshold * (1 - BOUND_MARGIN), side="left"))
            essential, non_essential = by_bound[split:], by_bound[:split]
        shift = self.block_shift
        if threshold > 0:
            block_bounds = {id(term): self.block_maxima(term) if term.count == 1 else term.count * self.block_maxima(term) for term in postings}
            # What a row must get from one term in each block: threshold - the others' bounds (with margins).
            short_of_all = threshold * (1 - BOUND_MARGIN) - sum(block_bounds.values()) * (1 + BOUND_MARGIN)
        rows_kept, weights_kept = [], []
        for term in essential:
            rows, weights = term.rows, term.weights
            if threshold > 0:
                needed = short_of_all + block_bounds[id(term)] * (1 + BOUND_MARGIN)
                if term.count > 1:
                    needed /= term.count
                if needed.max() > 0.0:  # else every posting passes (weights are not negative here): skip the pass
                    rows, weights = _kept(weights >= needed.take(rows >> shift), rows, weights)
            if allowed is not None:
                keep = allowed[rows]
                rows, weights = rows[keep], weights[keep]
            rows_kept.append(rows)
            weights_kept.append(weights * term.count if term.count > 1 else weights)
        rows, partial = self._sum_by_row(rows_kept, weights_kept)
        # A row whose posting was dropped above cannot reach the threshold, so a partial
        # sum missing that posting only prunes a row that is out anyway.
        # A row stays while partial + remaining[block] * (1 + margin) >= threshold * (1 - margin), tested as
        # partial >= the block's shortfall (computed once per block, not once per row).
        if threshold > 0:
            remaining = sum((block_bounds[id(term)] for term in non_essential), np.zeros(self.block_count))
            if len(rows) > k:
                shortfall = threshold * (1 - BOUND_MARGIN) - remaining * (1 + BOUND_MARGIN)
                rows, partial = _kept(partial >= shortfall.take(rows >> shift), rows, partial)
        if non_essential and len(rows) > k:
            threshold = max(threshold, self._refined_threshold(rows, partial, postings, sequence, k))
        for term in sorted(non_essential, key=lambda term: -term.bound):
            if len(rows) <= k:
                break
            partial = partial + term.count * term.weights_at(rows)
            remaining = remaining - block_bounds[id(term)]
            shortfall = threshold * (1 - BOUND_MARGIN) - remaining * (1 + BOUND_MARGIN)
            rows, partial = _kept(partial >= shortfall.take(rows >> shift), rows, partial)
        return np.sort(rows)

    def _refined_threshold(self, rows: np.ndarray, partial: np.ndarray, postings: list[_TermPostings], sequence: list[int], k: int) -> float:
        """The k-th best exact score among the rows with the largest partial sums (real rows: a valid threshold)."""
        count = min(len(rows), max(4 * k, 64))
        partial, rows = _reaching_floor(partial, count, rows)
        best = rows[np.argpartition(partial, len(rows) - count)[len(rows) - count :]] if count < len(rows) else rows
        return _kth_largest(_exact_scores(np.sort(best), postings, sequence), k)

    def _sum_by_row(self, rows_by_term: list[np.ndarray], weights_by_term: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Distinct rows of several row-sorted lists and each row's summed weight (used for bounds, not final scores).

        A stable sort of the concatenated lists (a merge of sorted runs) and a sum per run of
        equal rows: sequential memory access, where adding into an array as long as the
        corpus touched it at random.
        """
        if len(rows_by_term) == 1:
            return rows_by_term[0], np.asarray(weights_by_term[0], dtype=np.float64)
        rows, weights = np.concatenate(rows_by_term), np.concatenate(weights_by_term)
        if len(rows) == 0:
            return rows, weights.astype(np.float64)
        order = np.argsort(rows, kind="stable")
        rows = rows[order]
        starts = _run_starts(rows)
        return rows[starts], np.add.reduceat(weights[order], starts).astype(np.float64, copy=False)


def _kept(keep: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each array's entries where `keep` is True: positions found once, then taken (faster than a mask per array)."""
    positions = np.flatnonzero(keep)
    return tuple(values.take(positions) for values in arrays)


def _run_starts(rows: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in sorted, non-empty `rows` (one pass, no temporary list)."""
    new_row = np.empty(len(rows), dtype=bool)
    new_row[0] = True
    np.not_equal(rows[1:], rows[:-1], out=new_row[1:])
    return np.flatnonzero(new_row)


def _distinct_sorted(rows: np.ndarray) -> np.ndarray:
    """np.unique for a few thousand rows, without its hashing set-up (milliseconds per call)."""
    rows = np.sort(rows)
    return rows[_run_starts(rows)] if len(rows) else rows


def _plain(values: np.ndarray) -> np.ndarray:
    return values.view(np.ndarray) if isinstance(values, np.memmap) else values


def _exact_scores(candidates: np.ndarray, postings: list[_TermPostings], sequence: list[int]) -> np.ndarray:
    """Scores of sorted candidate rows, summed term by term in query order as `np.bincount` sums the postings.

    A row lacking a term adds 0.0, which leaves a float sum unchanged, so each score is
    the same float the exhaustive path computes.
    """
    weights = [term.weights_at(candidates) for term in postings]
    scores = np.zeros(len(candidates), dtype=np.float64)
    for position in sequence:
        scores += weights[position]
    return scores


def _floor_of_kth_largest(values: np.ndarray, k: int) -> float:
    """A value no larger than the k-th largest of `values`, that few values reach (-inf: too few values to bother).

    The values are dealt into groups and the k-th largest of the groups' maxima taken: k groups
    hold a value at least that large, so the k-th largest value is too. Keeping the values at
    or above it before an exact `np.partition` partitions tens of values instead of thousands
    (np.partition costs about 10 ns a value; the group maxima one pass).
    """
    groups = len(values) // FLOOR_GROUP_SIZE
    if groups < FLOOR_FROM_GROUPS_PER_K * k:
        return -inf
    maxima = values[: groups * FLOOR_GROUP_SIZE].reshape(FLOOR_GROUP_SIZE, groups).max(axis=0)
    return float(np.partition(maxima, groups - k)[groups - k])


def _reaching_floor(values: np.ndarray, k: int, *beside: np.ndarray) -> tuple[np.ndarray, ...]:
    """`values` and the arrays `beside` them, cut to the entries whose value reaches the floor under the
    k-th largest (`_floor_of_kth_largest`); all of them when there are too few values for a floor."""
    floor = _floor_of_kth_largest(values, k)
    if floor == -inf:
        return (values, *beside)
    keep = values >= floor
    return (values[keep], *(other[keep] for other in beside))


def _kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest of `values` (1 <= k <= len(values)), exactly `np.partition`'s."""
    (values,) = _reaching_floor(values, k)
    return float(np.partition(values, len(values) - k)[len(values) - k])


def _top_k(candidates: np.ndarray, candidate_scores: np.ndarray, k: int) -> list[Hit]:
    """The k best candidates by score, ties broken by the lower row."""
    candidate_scores, candidates = _reaching_floor(candidate_scores, k, candidates)
    if len(candidates) > k:
        threshold = np.partition(candidate_scores, len(candidates) - k)[len(candidates) - k]
        keep = candidate_scores >= threshold
        candidates, candidate_scores = candidates[keep], candidate_scores[keep]
    order = np.lexsort((candidates, -candidate_scores))[:k]
    # tolist() gives Python ints and floats (the same values) in one call instead of 2k scalar reads.
    return [Hit(row, score) for row, score in zip(candidates[order].tolist(), candidate_scores[order].tolist())]
