"""Static utility terms and the per-month outcomes, as functions over the model's arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .model import CredentialModel
    from .params import DecisionParams, ModelParams, StandardSpec
    from .world import World


def wealth(world: World) -> np.ndarray:
    """Log GDP per capita rescaled to [0, 1] (0 = poorest country of the world, 1 = richest)."""
    log_pc = np.log(world.gdp / world.population)
    span = log_pc.max() - log_pc.min()
    return (log_pc - log_pc.min()) / span if span > 0 else np.zeros(world.n)


def adoption_cost(world: World, specs: list[StandardSpec], d: DecisionParams) -> np.ndarray:
    """Relative cost of setting up each option: lower for open standards and richer countries.

    cost[i, s] = (1 - openness_discount * openness_s) * (1 - wealth_discount * wealth_i), in [0, 1];
    the "none" column is zero. The utility charges `decision.adoption_cost` times this.
    """
    openness = np.array([s.openness for s in specs])
    by_standard = 1.0 - d.openness_discount * openness
    by_country = 1.0 - d.wealth_discount * wealth(world)
    cost = np.zeros((world.n, len(specs) + 1))
    cost[:, 1:] = by_country[:, None] * by_standard[None, :]
    return cost


def static_alignment(world: World, choices: list[str], p: ModelParams, sponsor_of: dict) -> np.ndarray:
    """Alignment of each country with each standard's sponsor, before any deal.

    align[i, s] = [i in the sponsor's home] + political_similarity * (1 - |democracy_i - ref_s| / 5)
                  + sum of the sponsor's affinity weights over the blocs i belongs to.
    Standards without a sponsor and "none" have zero alignment.
    """
    align = np.zeros((world.n, len(choices)))
    for s, sponsor in sponsor_of.items():
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


class History:
    """Per-month records of one run: arrays indexed [month, option] or [month]."""

    def __init__(self, horizon: int, world: World, home: np.ndarray, sponsored: np.ndarray) -> None:
        """`sponsored[c]`: option c has a sponsor; `home[i, c]`: country i is in that sponsor's home."""
        options = len(sponsored)
        shape = (horizon, options)
        # rows: adopters, then population, GDP and travel weight, each as a share of the world's
        self._weights = np.vstack([np.ones(world.n)] + [w / w.sum() for w in
                                                       (world.population, world.gdp, world.travel_weight)])
        self._abroad = (~home & sponsored[None, :]).astype(float)  # counts toward adopters abroad
        self.adopters = np.zeros(shape, dtype=np.int64)
        self.population_share = np.zeros(shape)
        self.gdp_share = np.zeros(shape)
        self.travel_share = np.zeros(shape)
        self.outside_home = np.zeros(shape, dtype=np.int64)
        self.interoperability = np.zeros(horizon)
        self.deals = np.zeros(horizon, dtype=np.int64)
        self.hhi = np.zeros(horizon)
        self.months = 0

    def record(self, model: CredentialModel) -> None:
        t, state = model.month, model.state
        rows = np.arange(len(state))
        chosen = np.zeros(self._abroad.shape)
        chosen[rows, state] = 1.0
        totals = self._weights @ chosen
        self.adopters[t] = totals[0]
        self.population_share[t], self.gdp_share[t], self.travel_share[t] = totals[1:]
        self.outside_home[t] = (chosen * self._abroad).sum(axis=0)
        self.interoperability[t] = model.interoperability()
        self.deals[t] = model.deals_signed
        self.hhi[t] = concentration(self.travel_share[t])
        self.months = t + 1


def concentration(travel_share: np.ndarray) -> float:
    """Herfindahl index of the standards' shares of credentialled travel ("none" excluded)."""
    used = travel_share[1:]
    total = used.sum()
    return float(((used / total) ** 2).sum()) if total > 0 else 0.0


def outcome(model: CredentialModel) -> dict:
    """Winner (largest final travel share if at least win_threshold, else "fragmented"),
    month index at which the winner first reached the threshold, and final figures per option."""
    h = model.history
    last = h.months - 1
    threshold = model.params.scenario.win_threshold
    final = h.travel_share[last]
    best = 1 + int(np.argmax(final[1:]))
    won = final[best] >= threshold
    reached = np.flatnonzero(h.travel_share[: last + 1, best] >= threshold)
    return {
        "winner": model.choices[best] if won else "fragmented",
        "time_to_dominance": int(reached[0]) if won and len(reached) else None,
        "adopters": dict(zip(model.choices, h.adopters[last].tolist(), strict=True)),
        "travel_share": dict(zip(model.choices, final.tolist(), strict=True)),
        "interoperability": float(h.interoperability[last]),
        "deals": int(h.deals[last]),
    }
