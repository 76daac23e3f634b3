"""copy_groups against a plain reference: every pair sharing a band's keys, joined when their signatures agree enough."""

import numpy as np
import pytest

from qa.syndication import BAND_ROWS, SIGNATURE_SIZE, SYNDICATED_JACCARD, copy_groups


def _reference_groups(signatures):
    count = len(signatures)
    component = list(range(count))

    def find(position):
        while component[position] != position:
            position = component[position]
        return position

    for left in range(count):
        for right in range(left + 1, count):
            a, b = signatures[left], signatures[right]
            if a is None or b is None:
                continue
            a, b = np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)
            shares_a_band = any(np.array_equal(a[band : band + BAND_ROWS], b[band : band + BAND_ROWS]) for band in range(0, SIGNATURE_SIZE, BAND_ROWS))
            if shares_a_band and float(np.mean(a == b)) >= SYNDICATED_JACCARD:
                low, high = sorted((find(left), find(right)))
                component[high] = low
    roots = [find(position) for position in range(count)]
    return [root if roots.count(root) > 1 else None for root in roots]


@pytest.mark.parametrize("seed", range(6))
def test_copy_groups_match_the_reference_on_random_signatures(seed):
    chooser = np.random.default_rng(seed)
    signatures = []
    for _ in range(60):
        kind = chooser.integers(0, 4)
        if kind == 0 or not signatures:
            signatures.append(None if chooser.random() < 0.1 else chooser.integers(0, 50, SIGNATURE_SIZE, dtype=np.uint64).tolist())
            continue
        base = signatures[chooser.integers(0, len(signatures))]
        if base is None:
            signatures.append(None)
            continue
        copy = np.array(base, dtype=np.uint64)
        changed = chooser.random(SIGNATURE_SIZE) < chooser.choice([0.2, 0.45, 0.55, 0.8, 0.97])  # near and far copies, some sharing only a band
        copy[changed] = chooser.integers(1000, 2000, int(changed.sum()), dtype=np.uint64)
        signatures.append(copy.tolist())
    groups = copy_groups(signatures)
    assert groups == _reference_groups(signatures)
    assert any(group is not None for group in groups)


def test_copy_groups_of_none_one_and_no_signature():
    assert copy_groups([]) == []
    assert copy_groups([None, None]) == [None, None]
    assert copy_groups([[1] * SIGNATURE_SIZE]) == [None]
    assert copy_groups([[1] * SIGNATURE_SIZE, None, [1] * SIGNATURE_SIZE]) == [0, None, 0]
