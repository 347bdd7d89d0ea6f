"""The utility of each option for a country, as pure functions (docs/ODD.md 7.2).

    U[i, c] =   network_weight * demand * openness_i * accepted[i, c]
              + alignment_weight * alignment[i, c]
              - privacy_weight * concern_i * surveillance_c
              + network_weight * endorsement_value * endorsed_c
              + quality_c
              - adoption_cost * cost[i, c] * [c != s_i]
              - switching_cost * [c != s_i and s_i != none]

`utility_matrix` (many countries, numpy) and `utility_row` (one country, plain floats) apply the
same operations in the same order, so they agree bit for bit (tests/test_dynamics.py); a single
decision is faster in plain floats than through numpy's per-call overhead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .params import DecisionParams, ModelParams, StandardSpec
    from .world import World


def wealth(world: World) -> np.ndarray:
    """Log GDP per capita rescaled to [0, 1] (0 = poorest country of the world, 1 = richest)."""
    log_pc = np.log(world.gdp / world.population)
    span = log_pc.max() - log_pc.min()
    return (log_pc - log_pc.min()) / span if span > 0 else np.zeros(world.n)


def adoption_cost(world: World, specs: list[StandardSpec], d: DecisionParams) -> np.ndarray:
    """Relative cost of setting up each option, in [0, 1]; the utility charges adoption_cost times it.

    cost[i, s] = (1 - openness_discount * openness_s) * (1 - wealth_discount * wealth_i); "none" is 0.
    """
    openness = np.array([s.openness for s in specs])
    by_standard = 1.0 - d.openness_discount * openness
    by_country = 1.0 - d.wealth_discount * wealth(world)
    cost = np.zeros((world.n, len(specs) + 1))
    cost[:, 1:] = by_country[:, None] * by_standard[None, :]
    return cost


def static_alignment(world: World, choices: list[str], p: ModelParams, sponsors: dict) -> np.ndarray:
    """Alignment of each country with each standard's sponsor, before any deal.

    align[i, s] = [i in the sponsor's home] + political_similarity * (1 - |democracy_i - ref_s| / 5)
                  + sum of the sponsor's affinity weights over the blocs i belongs to.
    Standards without a sponsor and "none" have zero alignment.
    """
    align = np.zeros((world.n, len(choices)))
    for s, sponsor in sponsors.items():
        spec = sponsor.spec
        ref = (spec.political_reference if spec.political_reference is not None
               else float(world.democracy[sponsor.home].mean()) if len(sponsor.home) else 5.0)
        column = sponsor.is_home.astype(float)
        # +1 for the same democracy score, 0 five points apart, -1 at the opposite end of the scale
        column += p.decision.political_similarity * (1.0 - np.abs(world.democracy - ref) / 5.0)
        for bloc, weight in spec.affinity.items():
            column[world.resolve([bloc], f"sponsors.{sponsor.key}.affinity")] += weight
        align[:, s] = column
    return align


@dataclass
class Terms:
    """The arrays a utility reads besides acceptance (owned and updated by the model)."""

    alignment: np.ndarray  # (n, options)
    concern: np.ndarray  # (n,) privacy concern
    openness: np.ndarray  # (n,) own border openness
    cost: np.ndarray  # (n, options) relative adoption cost
    surveillance: np.ndarray  # (options,)
    endorsed: np.ndarray  # (options,) bool
    quality: np.ndarray  # (options,)


def utility_matrix(d: DecisionParams, demand: float, t: Terms, idx: np.ndarray, current: np.ndarray,
                   accepted: np.ndarray) -> np.ndarray:
    """Utility of every option (columns, "none" first) for the countries idx (rows)."""
    rows = np.arange(len(idx))
    utility = d.alignment_weight * t.alignment[idx]
    utility -= (d.privacy_weight * t.concern[idx])[:, None] * t.surveillance
    utility += (d.network_weight * d.endorsement_value) * t.endorsed
    utility += t.quality
    utility += (d.network_weight * demand * t.openness[idx])[:, None] * accepted
    # adopting costs the set-up cost (zero for "none" and for the standard in use); leaving costs
    # the switching cost
    cost = d.adoption_cost * t.cost[idx]
    cost[rows, current] = 0.0
    utility -= cost
    leaving = np.zeros_like(utility)
    leaving[current != 0] = d.switching_cost
    leaving[rows, current] = 0.0
    utility -= leaving
    return utility


def utility_row(d: DecisionParams, demand: float, t: Terms, i: int, current: int, accepted: list[float],
                recognised: list[float]) -> list[float]:
    """`utility_matrix` for one country, in plain floats, bit for bit equal (accepted = the two parts
    of the kernel's row, summed here as the matrix path sums them)."""
    privacy = d.privacy_weight * float(t.concern[i])
    endorse = d.network_weight * d.endorsement_value
    reach = d.network_weight * demand * float(t.openness[i])
    leaving = d.switching_cost if current != 0 else 0.0
    columns = zip(t.alignment[i].tolist(), t.surveillance.tolist(), t.endorsed.tolist(), t.quality.tolist(),
                  accepted, recognised, t.cost[i].tolist(), strict=True)
    row = []
    for c, (align, surveillance, endorsed, quality, acc, rec, cost) in enumerate(columns):
        u = d.alignment_weight * align
        u -= privacy * surveillance
        u += endorse * endorsed
        u += quality
        u += reach * (acc + rec)
        if c != current:  # the current option costs nothing to keep
            u -= d.adoption_cost * cost
            u -= leaving
        row.append(u)
    return row
