"""Sets of ordered country pairs (i, j), stored the way the world stores travel.

A recognition deal between i and j is the two pairs (i, j) and (j, i). In a dense world the set is a
boolean n x n matrix (as small as the travel matrix beside it, and every query is one indexing
operation); in a sparse world it is a sorted array of keys i * n + j, so memory grows with the
deals, not with n squared, and queries are binary searches. Both answer the same questions.
"""

from __future__ import annotations

import numpy as np


class PairSet:
    """Ordered pairs of indices in [0, n); make one with `PairSet.for_world(n, sparse)`."""

    @staticmethod
    def for_world(n: int, sparse: bool) -> PairSet:
        return KeyedPairs(n) if sparse else DensePairs(n)

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        raise NotImplementedError

    def contains(self, rows, cols) -> np.ndarray:
        """Whether each (rows[k], cols[k]) is in the set (ints or arrays, broadcast)."""
        raise NotImplementedError

    def add(self, rows: np.ndarray, cols: np.ndarray) -> None:
        """Add pairs that are not in the set yet, each once."""
        raise NotImplementedError

    def row(self, i: int) -> np.ndarray:
        """The j with (i, j) in the set, in increasing order."""
        raise NotImplementedError

    def rows_of(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For several rows idx: (position in idx, j) for every (idx[p], j) in the set."""
        raise NotImplementedError

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every pair, as (rows, cols) in row-major order."""
        raise NotImplementedError


class DensePairs(PairSet):
    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.member = np.zeros((n, n), dtype=bool)
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def contains(self, rows, cols) -> np.ndarray:
        return self.member[rows, cols]

    def add(self, rows, cols) -> None:
        self.member[rows, cols] = True
        self.count += len(rows)

    def row(self, i: int) -> np.ndarray:
        return np.flatnonzero(self.member[i])

    def rows_of(self, idx):
        return np.nonzero(self.member[idx])

    def pairs(self):
        return np.nonzero(self.member)


class KeyedPairs(PairSet):
    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.keys = np.empty(0, dtype=np.int64)  # sorted, distinct: i * n + j

    def __len__(self) -> int:
        return len(self.keys)

    def contains(self, rows, cols) -> np.ndarray:
        return lookup(self.keys, pair_keys(rows, cols, self.n))[1]

    def add(self, rows, cols) -> None:
        new = np.sort(pair_keys(rows, cols, self.n))
        # merge two sorted arrays: each new key lands after the old keys below it and the new keys before it
        at = np.searchsorted(self.keys, new) + np.arange(len(new))
        merged = np.empty(len(self.keys) + len(new), dtype=np.int64)
        old = np.ones(len(merged), dtype=bool)
        old[at] = False
        merged[at], merged[old] = new, self.keys
        self.keys = merged

    def row(self, i: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.keys, [i * self.n, (i + 1) * self.n])
        return self.keys[lo:hi] - i * self.n

    def rows_of(self, idx):
        idx = np.asarray(idx, dtype=np.int64)
        lo, hi = np.searchsorted(self.keys, idx * self.n), np.searchsorted(self.keys, (idx + 1) * self.n)
        counts = hi - lo
        owner = np.repeat(np.arange(len(idx)), counts)
        pos = np.arange(len(owner)) + np.repeat(lo - (np.cumsum(counts) - counts), counts)
        return owner, self.keys[pos] - idx[owner] * self.n

    def pairs(self):
        return np.divmod(self.keys, self.n)


def pair_keys(rows, cols, n: int) -> np.ndarray:
    """Row-major keys row * n + col of index pairs (ints or arrays): sorted keys are sorted pairs."""
    return np.asarray(rows, dtype=np.int64) * n + np.asarray(cols, dtype=np.int64)


def lookup(keys: np.ndarray, query) -> tuple[np.ndarray, np.ndarray]:
    """Positions of `query` in the sorted array `keys` (clipped to a valid index) and whether found."""
    if len(keys) == 0:
        shape = np.shape(query)
        return np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=bool)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return pos, keys[pos] == query
