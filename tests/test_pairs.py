"""The two stores of recognition pairs answer every question alike."""

import numpy as np
import pytest

from model.pairs import DensePairs, KeyedPairs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dense_and_keyed_pair_sets_agree(seed):
    rng = np.random.default_rng(seed)
    n = 30
    dense, keyed, truth = DensePairs(n), KeyedPairs(n), set()
    for _ in range(15):
        rows, cols = rng.integers(0, n, 8), rng.integers(0, n, 8)
        new = {(int(r), int(c)) for r, c in zip(rows, cols, strict=True)} - truth
        if new:
            r, c = (np.array(x) for x in zip(*sorted(new), strict=True))
            dense.add(r, c)
            keyed.add(r, c)
            truth |= new
        qr, qc = rng.integers(0, n, 50), rng.integers(0, n, 50)
        expected = [(int(a), int(b)) in truth for a, b in zip(qr, qc, strict=True)]
        assert dense.contains(qr, qc).tolist() == expected == keyed.contains(qr, qc).tolist()
        assert len(dense) == len(keyed) == len(truth)
        for i in range(n):
            assert dense.row(i).tolist() == keyed.row(i).tolist() == sorted(b for a, b in truth if a == i)
        idx = rng.choice(n, 5, replace=False)
        expected_rows = [(p, b) for p, i in enumerate(idx.tolist()) for b in sorted(b for a, b in truth if a == i)]
        for store in (dense, keyed):
            owner, cols = store.rows_of(idx)
            assert list(zip(owner.tolist(), cols.tolist(), strict=True)) == expected_rows
            rows, cols = store.pairs()
            assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == sorted(truth)


def test_an_empty_keyed_set_contains_nothing():
    keyed = KeyedPairs(5)
    assert keyed.contains(np.array([0, 1]), np.array([1, 0])).tolist() == [False, False]
    assert keyed.row(3).tolist() == [] and len(keyed) == 0
