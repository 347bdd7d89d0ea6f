"""Country-to-country deals (docs/ODD.md 7.6): mutual recognition, or a deal on one side's standard.

Each month every strongly tied pair negotiates with probability `pair_deals.rate`. A pair in
talks weighs the kinds of deal open to it, each side's gain measured by its own utility:

- mutual recognition: each accepts the other's credentials whatever they are (the Israel-Greece
  pattern). Side i gains the trips to j newly accepted, and pays the privacy cost of verifying j's
  credential if j's standard is verified online (each check reports the traveller to j's issuer).
- a deal on i's standard: j adopts i's standard and both recognise each other (Israel issuing on
  the EU model; Israel's talks on China's). j gains its utility difference plus the deal's
  alignment with the standard's sponsor; i gains its trips to j newly accepted. j is locked in for
  `pair_deals.duration` months. This kind spreads a standard without its sponsor.

A deal is signed when both sides gain; among the kinds both gain from, the pair takes the one with
the largest total gain. Gains are computed on the state at the start of the phase; deals are then
signed strongest tie first, at most `max_per_month`, and a country switches standard at most once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from .model import CredentialModel


def candidate_pairs(travel, min_travel: float) -> tuple[np.ndarray, np.ndarray]:
    """Country pairs (i < j) with mutual travel at least `min_travel`, strongest tie first."""
    mutual = (travel + travel.T) / 2
    if sparse.issparse(mutual):
        mutual = sparse.triu(mutual, k=1).tocoo()
        keep = mutual.data >= min_travel
        i, j, w = mutual.row[keep], mutual.col[keep], mutual.data[keep]
    else:
        i, j = np.nonzero(np.triu(mutual >= min_travel, k=1))
        w = mutual[i, j]
    order = np.lexsort((j, i, -w))  # strongest ties first, ties in index order
    return i[order].astype(np.int64), j[order].astype(np.int64)


def _recognition_gain(model: CredentialModel, a: np.ndarray, b: np.ndarray, value: np.ndarray) -> np.ndarray:
    """What a gains from b accepting a's credential whatever it is, net of verifying b's credential."""
    sa, sb = model.state[a], model.state[b]
    gain = value * (1.0 - model.acceptance.accepts[b, sa])
    gain -= model.verification_cost(a, sb)
    return gain


def _standard_gain(model: CredentialModel, partner: np.ndarray, anchor_standard: np.ndarray, utility: np.ndarray,
                   row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(whether the deal is open, the partner's gain) for partners adopting the anchors' standards."""
    d = model.params.decision
    current = model.state[partner]
    open_ = ((anchor_standard != 0) & (anchor_standard != current) & (model.locked_until[partner] <= model.month)
             & model.available[partner, anchor_standard])
    gain = utility[row, anchor_standard] - utility[row, current]
    gain += d.alignment_weight * d.deal_alignment * model.sponsored[anchor_standard]
    return open_, gain


def sign_pair_deals(model: CredentialModel) -> None:
    """This month's country-to-country deals."""
    pd = model.params.pair_deals
    first, second = model.pairs
    if not pd.enabled or pd.rate <= 0 or pd.max_per_month <= 0 or len(first) == 0 or not pd.kinds:
        return
    talks = np.flatnonzero(model.rng.random(len(first)) < pd.rate)
    if len(talks) == 0:
        return
    i, j = first[talks], second[talks]
    fresh = ~model.acceptance.pairs.contains(i, j)
    value = model.params.decision.network_weight * model.demand
    value_i, value_j = value * model.pair_reach[0][talks], value * model.pair_reach[1][talks]
    best = np.full(len(i), -np.inf)
    kind = np.zeros(len(i), dtype=np.int64)  # 0 none, 1 mutual, 2 j adopts s_i, 3 i adopts s_j
    if "mutual" in pd.kinds:
        gi, gj = _recognition_gain(model, i, j, value_i), _recognition_gain(model, j, i, value_j)
        ok = fresh & (gi > 0) & (gj > 0)
        total = np.where(ok, gi + gj, -np.inf)
        kind[total > best] = 1
        best = np.maximum(best, total)
    if "standard" in pd.kinds:
        countries, where = np.unique(np.concatenate([i, j]), return_inverse=True)
        utility = model.utilities(countries)
        row_i, row_j = where[: len(i)], where[len(i):]
        si, sj = model.state[i], model.state[j]
        for partner, s_anchor, row_partner, value_anchor, code in ((j, si, row_j, value_i, 2),
                                                                   (i, sj, row_i, value_j, 3)):
            open_, g_partner = _standard_gain(model, partner, s_anchor, utility, row_partner)
            g_anchor = value_anchor * (1.0 - model.acceptance.accepts[partner, s_anchor])
            ok = open_ & (g_partner > 0) & (g_anchor > 0)
            total = np.where(ok, g_partner + g_anchor, -np.inf)
            better = total > best
            kind[better] = code
            best = np.where(better, total, best)
    signed, switched = 0, set()
    for k in np.flatnonzero(kind).tolist():  # strongest ties first
        a, b, what = int(i[k]), int(j[k]), int(kind[k])
        if what == 1:
            if model.acceptance.pairs.contains(a, b):
                continue
            model.add_recognition(a, b)
            model.log_deal("mutual", 0, a, b)
        else:
            anchor, partner = (a, b) if what == 2 else (b, a)
            if partner in switched or anchor in switched:
                continue
            standard = int(model.state[anchor])
            model.set_state(partner, standard)
            model.locked_until[partner] = max(int(model.locked_until[partner]), model.month + pd.duration)
            model.add_recognition(anchor, partner)
            if model.sponsored[standard]:
                model.alignment[partner, standard] += model.params.decision.deal_alignment
            model.log_deal("standard", standard, anchor, partner)
            switched.add(partner)
        signed += 1
        if signed >= pd.max_per_month:
            break
