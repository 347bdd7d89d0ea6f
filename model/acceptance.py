"""Who accepts whose credentials: the acceptance kernel (docs/ODD.md 7.1).

A trip from i to j carries i's credential c. It is accepted when the destination accepts the
standard c (`accepts[j, c]`: j issues c, a bridge joins c to j's standard, j verifies c under a
deal, or j is a member of a platform hosting c), or when j accepts i's credentials whatever they
are (a pair in `pairs`: a mutual recognition deal, a standard deal, an accession, or two members
of the same platform). The trip counts with its effective weight

    E[i, j] = travel[i, j] * openness[j] * gate[i, j]

where `gate[i, j]` is the share of i's travellers holding vaccines j recognises. Then

    accepted[i, c] = sum_j E[i, j] * max(accepts[j, c], pair[i, j])
                   = (E @ accepts)[i, c] + sum_{j paired with i} E[i, j] * (1 - accepts[j, c])

and the kernel keeps both parts up to date incrementally: a change of one destination's row of
`accepts` touches only the countries travelling there and its pair partners. Pairs are symmetric:
every deal that makes j accept i's credentials also makes i accept j's.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .pairs import PairSet, lookup, pair_keys
from .world import World


def vaccine_gate(holding: np.ndarray, approves: np.ndarray, rows=None, cols=None) -> np.ndarray:
    """Share of trips i -> j whose traveller holds a vaccine j recognises.

    `holding[i, v]`: share of i's travellers holding a vaccine of gated group v (groups exclusive,
    rows sum to at most 1); `approves[j, v]`: j recognises group v. Dense (n x n) when rows and cols
    are None, else one value per (rows[k], cols[k]).
    """
    refused = ~approves
    if rows is None:
        return 1.0 - holding @ refused.T.astype(float)
    return 1.0 - (holding[rows] * refused[cols]).sum(axis=1)


class Acceptance:
    """Effective travel, the accepts matrix and pair acceptance, with the derived shares."""

    def __init__(self, world: World, options: int) -> None:
        self.world = world
        self.n, self.k = world.n, options
        self.pairs = PairSet.for_world(self.n, world.is_sparse)  # (a, b): b accepts a's credentials
        self.accepts = np.zeros((self.n, options))

    # ------------------------------------------------------------------ building

    def set_travel(self, openness: np.ndarray, gate_entries) -> None:
        """Rebuild effective travel from destination openness and a gate function, then acceptance.

        `gate_entries(rows, cols)` gives the vaccine gate per trip (None: no gate)."""
        travel, n = self.world.travel, self.n
        if sparse.issparse(travel):
            open_travel = sparse.csr_matrix(travel @ sparse.diags(openness))
            open_travel.sort_indices()
            rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(open_travel.indptr))
            self._open_total = np.asarray(open_travel.sum(axis=1)).ravel()
            if gate_entries is not None:
                open_travel.data = open_travel.data * gate_entries(rows, open_travel.indices)
            self.effective = open_travel
            self._keys = pair_keys(rows, open_travel.indices, n)
            self._columns = open_travel.tocsc()
        else:
            open_travel = travel * openness[None, :]
            self._open_total = open_travel.sum(axis=1)
            self.effective = open_travel * gate_entries(None, None) if gate_entries is not None else open_travel
        self.origin_weight = self.world.travel_weight * openness  # each country's share of world travel now
        self.potential = float(self.origin_weight @ self._open_total)  # world open trips (gated or not)
        self.rebuild()

    def rebuild(self) -> None:
        """Both parts of `accepted` from scratch (after travel, bridges or many rows changed)."""
        self._accepted = np.asarray(self.effective @ self.accepts)
        self._recognised = np.zeros_like(self._accepted)
        self._credit(*self.pairs.pairs())

    # ------------------------------------------------------------------ queries

    def trips(self, rows, cols) -> np.ndarray:
        """Effective trip shares rows[k] -> cols[k], elementwise (ints or arrays)."""
        if not sparse.issparse(self.effective):
            return self.effective[rows, cols]
        pos, found = lookup(self._keys, pair_keys(rows, cols, self.n))
        return np.where(found, self.effective.data[pos], 0.0)

    def column(self, j: int) -> tuple[np.ndarray | slice, np.ndarray]:
        """Origins with trips to j and their effective shares."""
        if sparse.issparse(self.effective):
            cols = self._columns
            lo, hi = cols.indptr[j], cols.indptr[j + 1]
            return cols.indices[lo:hi], cols.data[lo:hi]
        return slice(None), self.effective[:, j]

    def accepted(self, idx, option: int | None = None) -> np.ndarray:
        """Share of each country's travel whose destination accepts each option from it."""
        if option is not None:
            return self._accepted[idx, option] + self._recognised[idx, option]
        return self._accepted[idx] + self._recognised[idx]

    def accepted_parts(self, i: int) -> tuple[list[float], list[float]]:
        """The two parts of one country's row, as plain floats (the per-decision fast path)."""
        return self._accepted[i].tolist(), self._recognised[i].tolist()

    def reference(self, i: int) -> np.ndarray:
        """`accepted(i)` by a plain loop over destinations: the per-agent reference path."""
        out = np.zeros(self.k)
        eff = self.effective
        if sparse.issparse(eff):
            lo, hi = eff.indptr[i], eff.indptr[i + 1]
            trips = zip(eff.indices[lo:hi].tolist(), eff.data[lo:hi].tolist(), strict=True)
        else:
            trips = ((j, eff[i, j]) for j in range(self.n) if eff[i, j] > 0)
        paired = set(self.pairs.row(i).tolist())
        for j, share in trips:
            for c in range(self.k):
                if j in paired or self.accepts[j, c] > 0:
                    out[c] += share
        return out

    def unaccepted_at(self, origins: np.ndarray, destinations: np.ndarray, options: np.ndarray) -> np.ndarray:
        """For each origin i: its trips to `destinations` that do not yet accept its option options[i]."""
        if len(destinations) == 0 or len(origins) == 0:
            return np.zeros(len(origins))
        eff = self.effective[origins][:, destinations]
        eff = eff.toarray() if sparse.issparse(eff) else eff
        refused = 1.0 - self.accepts[np.ix_(destinations, options)].T  # (origins, destinations)
        paired = self.pairs.contains(origins[:, None], destinations[None, :])
        return (eff * refused * ~paired).sum(axis=1)

    def reach(self) -> np.ndarray:
        """Per option: the share of world trips whose destination accepts that standard from anyone
        (issuing it, a bridge, a verification deal or a platform); bilateral pairs do not count."""
        return (self.origin_weight @ self._accepted) / self.potential if self.potential > 0 else np.zeros(self.k)

    def interoperability(self, state: np.ndarray) -> float:
        """Share of world trips whose traveller's credential (or paper, under a pair deal) is accepted."""
        rows = np.arange(self.n)
        ok = self._accepted[rows, state] + self._recognised[rows, state]
        return float(self.origin_weight @ ok) / self.potential if self.potential > 0 else 0.0

    def fragmentation(self, state: np.ndarray) -> float:
        """Share of world trips whose traveller carries a digital credential the destination does not
        accept (interoperability + fragmentation + unaccepted paper trips = 1)."""
        rows = np.arange(self.n)
        refused = (self._open_total - self._accepted[rows, state] - self._recognised[rows, state]) * (state != 0)
        return float(self.origin_weight @ refused) / self.potential if self.potential > 0 else 0.0

    # ------------------------------------------------------------------ updates

    def set_rows(self, idx: np.ndarray, rows: np.ndarray) -> None:
        """Destinations idx (distinct) now accept `rows` (len(idx) x options): update incrementally."""
        idx = np.asarray(idx, dtype=np.int64)
        delta = rows - self.accepts[idx]
        changed = np.flatnonzero(np.any(delta != 0, axis=1))
        if len(changed) == 0:
            return
        idx, delta = idx[changed], delta[changed]
        self.accepts[idx] += delta
        if len(idx) == 1:
            origins, shares = self.column(int(idx[0]))
            self._accepted[origins] += shares[:, None] * delta[0]
        else:
            eff = self._columns if sparse.issparse(self.effective) else self.effective
            self._accepted += eff[:, idx] @ delta
        if len(self.pairs):  # partners accepted idx's credentials whatever; part of that is now standard-level
            owner, partners = self.pairs.rows_of(idx)
            if len(partners):
                shares = self.trips(partners, idx[owner])
                np.add.at(self._recognised, partners, -shares[:, None] * delta[owner])

    def add_pairs(self, a: np.ndarray, b: np.ndarray) -> int:
        """Mutual acceptance a[k] <-> b[k] whatever the credentials; returns how many pairs were new."""
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        keep = (a != b) & ~self.pairs.contains(a, b)
        a, b = a[keep], b[keep]
        if len(a) == 0:
            return 0
        keys = np.unique(pair_keys(np.minimum(a, b), np.maximum(a, b), self.n))  # each unordered pair once
        lo, hi = np.divmod(keys, self.n)
        rows, cols = np.concatenate([lo, hi]), np.concatenate([hi, lo])
        self.pairs.add(rows, cols)
        self._credit(rows, cols)
        return len(keys)

    def _credit(self, rows: np.ndarray, cols: np.ndarray) -> None:
        """cols[k] accepts rows[k]'s credentials whatever: add what its standard did not already give."""
        if len(rows) == 0:
            return
        shares = self.trips(rows, cols)
        np.add.at(self._recognised, rows, shares[:, None] * (1.0 - self.accepts[cols]))
