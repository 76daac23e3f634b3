"""Syndicated copies: the same story carried by several outlets, found by MinHash over word shingles.

Two documents whose sets of 5-word shingles overlap by at least SYNDICATED_JACCARD
(estimated from MinHash signatures, candidates found by banding) are copies of one
story. The build records each group in the documents' metadata, so agreement between
sources can count independent stories, and a reply can say "carried by A and B".
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from qa.text import analyze_texts

SHINGLE_WORDS = 5
# Jaccard similarity of shingle sets from which two documents are copies of one story: the same wire
# text with its own headline, trims and boilerplate stays well above; separate reports of one event,
# which share names and a quote or two, stay far below.
SYNDICATED_JACCARD = 0.5
SIGNATURE_SIZE = 128
BAND_ROWS = 4  # 32 bands of 4: a pair at the threshold shares a band with probability 0.87, at 0.7 with 0.9999
MIN_SHINGLES = 8  # a text shorter than this says too little to call another one its copy
# MinHash by multiply-add on 64-bit words (wrapping): for 32-bit keys x and odd multipliers a, the
# order of a*x + b mod 2^64 is set by its high bits, a multiply-shift hash, so each of the
# SIGNATURE_SIZE functions orders the shingles independently. Modulo a prime took 4 times as long.
_random = np.random.RandomState(20191119)
_MULTIPLIERS = _random.randint(0, 1 << 62, size=SIGNATURE_SIZE, dtype=np.int64).astype(np.uint64) * np.uint64(2) + np.uint64(1)
_OFFSETS = _random.randint(0, 1 << 62, size=SIGNATURE_SIZE, dtype=np.int64).astype(np.uint64)
_SHINGLE_STEP = np.uint64(0x9E3779B97F4A7C15)  # combines the words' hashes of a shingle (odd: no word is lost)
_CHUNK = 256  # shingles per step of the MinHash: a step's table (256 x 128 words) stays in the CPU cache (25% faster than 4096)


def signature(text: str) -> list[int] | None:
    """The MinHash signature of a text's term shingles, or None for a text too short to compare."""
    terms, _ = analyze_texts([text])
    distinct = list(dict.fromkeys(terms))
    positions = {term: position for position, term in enumerate(distinct)}
    return terms_signature(distinct, np.fromiter(map(positions.__getitem__, terms), dtype=np.int64, count=len(terms)))


def terms_signature(distinct: Sequence[str], term_ids: np.ndarray) -> list[int] | None:
    """`signature` of a text whose terms (the index's analysis: stemmed, stopwords out) are `distinct[term_ids]`.

    The build has both from the postings, so the text is not read a second time for its words: shingles of
    SHINGLE_WORDS consecutive terms (stopwords left out, as the index leaves them out) stand for the text."""
    count = len(term_ids) - SHINGLE_WORDS + 1
    if count < MIN_SHINGLES:
        return None
    try:
        codes = np.fromiter(map(_CODES.__getitem__, distinct), dtype=np.uint64, count=len(distinct))
    except KeyError:  # only the terms not seen before get Python code
        codes = np.fromiter(map(_term_code, distinct), dtype=np.uint64, count=len(distinct))
    word_hashes = codes[term_ids]
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE_WORDS):  # each shingle's hash from its terms' hashes, in order
        combined = combined * _SHINGLE_STEP + word_hashes[offset : offset + count]
    hashes = np.sort(combined >> np.uint64(32))  # 32-bit keys, one per distinct shingle (np.unique's hashing costs more)
    hashes = hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]
    if len(hashes) < MIN_SHINGLES:
        return None
    minimum = np.full(SIGNATURE_SIZE, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(hashes), _CHUNK):  # in chunks: a long text's full table would not fit in memory
        values = hashes[start : start + _CHUNK, None] * _MULTIPLIERS[None, :]
        values += _OFFSETS[None, :]
        np.minimum(minimum, values.min(axis=0), out=minimum)
    return minimum.tolist()


_CODES: dict[str, int] = {}  # a term's CRC-32, remembered across documents (bounded)
_MAX_CODES = 500_000


def _term_code(term: str) -> int:
    code = _CODES.get(term)
    if code is None:
        if len(_CODES) >= _MAX_CODES:
            _CODES.clear()
        code = _CODES[term] = zlib.crc32(term.encode("utf-8"))
    return code


def copy_groups(signatures: Sequence[Sequence[int] | None]) -> list[int | None]:
    """For each document, the position of the first document of its group of copies (None when it has no copy)."""
    parent = list(range(len(signatures)))

    def root(position: int) -> int:
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    positions = [position for position, values in enumerate(signatures) if values is not None]
    # One row per signature: each band's keys come from one slice of all rows (not a slice per document).
    matrix = np.vstack([np.asarray(signatures[position], dtype=np.uint64) for position in positions]) if positions else np.zeros((0, SIGNATURE_SIZE), dtype=np.uint64)
    arrays = dict(zip(positions, matrix, strict=True))
    checked: set[tuple[int, int]] = set()
    for members in _shared_band_keys(matrix, np.array(positions, dtype=np.int64)):
        for left_number, left in enumerate(members):
            for right in members[left_number + 1 :]:
                if (left, right) in checked or root(left) == root(right):
                    continue
                checked.add((left, right))
                if float(np.mean(arrays[left] == arrays[right])) >= SYNDICATED_JACCARD:
                    parent[max(root(left), root(right))] = min(root(left), root(right))
    roots = [root(position) for position in range(len(signatures))]
    sizes: dict[int, int] = {}
    for value in roots:
        sizes[value] = sizes.get(value, 0) + 1
    return [value if sizes[value] > 1 else None for value in roots]


def _shared_band_keys(matrix: np.ndarray, positions: np.ndarray) -> Iterator[list[int]]:
    """For each band of BAND_ROWS hashes, the positions (in increasing order) of each group of two or more
    signatures with the same keys in it: one sort per band, no Python code per signature (nearly every
    signature is alone in its bucket)."""
    if len(positions) < 2:
        return
    for band in range(0, SIGNATURE_SIZE, BAND_ROWS):
        keys = matrix[:, band : band + BAND_ROWS]
        order = np.lexsort(keys.T[::-1])  # by the band's first hash, then the next...; stable: ties keep position order
        ordered = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], np.any(ordered[1:] != ordered[:-1], axis=1))))
        lengths = np.diff(np.append(starts, len(order)))
        for start, length in zip(starts[lengths > 1].tolist(), lengths[lengths > 1].tolist(), strict=True):
            yield positions[order[start : start + length]].tolist()


def independent_source(document: dict) -> str:
    """What counts as one source when sources agree: the story's group of copies, else the document."""
    return document.get("syndication_group") or document["doc_id"]


def carried_by(documents: Iterable[dict], document: dict) -> tuple[str, ...]:
    """The outlets (or, without one, the file names) carrying the same story as `document`, itself first;
    empty when it has no copy."""
    group = document.get("syndication_group")
    if not group:
        return ()
    names = [document.get("outlet") or document["doc_id"]]
    for other in documents:
        if other.get("syndication_group") == group and other is not document:
            names.append(other.get("outlet") or other["doc_id"])
    return tuple(dict.fromkeys(names))


def carried_by_text(names: Sequence[str]) -> str:
    """'carried by A and B' / 'carried by A, B and C'."""
    if len(names) < 2:
        return ""
    return "carried by " + ", ".join(names[:-1]) + " and " + names[-1]
