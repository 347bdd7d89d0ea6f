"""The per-month outcomes of one run and the verdict of the win rule (docs/ODD.md 7.8)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .params import WIN_MEASURES, months_between

if TYPE_CHECKING:
    from .model import CredentialModel
    from .params import ScenarioParams
    from .world import World

DEAL_KINDS = ("mutual", "standard", "accession", "incentive", "wave")
MEASURES = WIN_MEASURES  # the series a win can be judged on (scenario.win.measure)


class History:
    """Per-month records of one run: arrays indexed [month, option], [month, deal kind] or [month]."""

    def __init__(self, horizon: int, world: World, home: np.ndarray, sponsored: np.ndarray) -> None:
        """`sponsored[c]`: option c has a sponsor; `home[i, c]`: country i is in that sponsor's home."""
        options = len(sponsored)
        shape = (horizon, options)
        # rows: adopters, population and GDP, each as a share of the world's
        self._weights = np.vstack([np.ones(world.n)] + [w / w.sum() for w in (world.population, world.gdp)])
        self._abroad = (~home & sponsored[None, :]).astype(float)  # counts toward foreign adopters
        self.adopters = np.zeros(shape, dtype=np.int64)
        self.population_share = np.zeros(shape)
        self.gdp_share = np.zeros(shape)
        self.travel_share = np.zeros(shape)  # share of this month's world travel whose traveller carries it
        self.acceptance_reach = np.zeros(shape)  # share of world trips whose destination accepts it
        self.foreign_adopters = np.zeros(shape, dtype=np.int64)  # adopters outside the sponsor's home
        self.interoperability = np.zeros(horizon)
        self.fragmentation = np.zeros(horizon)
        self.hhi = np.zeros(horizon)
        self.deals = np.zeros((horizon, len(DEAL_KINDS)), dtype=np.int64)  # cumulative, by kind
        self.platform_members = np.zeros(horizon, dtype=np.int64)
        self.state = np.zeros((horizon, world.n), dtype=np.int16)  # the option each country issues
        self.months = 0

    def record(self, model: CredentialModel) -> None:
        t, state = model.month, model.state
        chosen = np.zeros(self._abroad.shape)
        chosen[np.arange(len(state)), state] = 1.0
        totals = self._weights @ chosen
        self.adopters[t] = totals[0]
        self.population_share[t], self.gdp_share[t] = totals[1:]
        weight = model.acceptance.origin_weight
        self.travel_share[t] = (weight @ chosen) / weight.sum()
        self.acceptance_reach[t] = model.acceptance.reach()
        self.foreign_adopters[t] = (chosen * self._abroad).sum(axis=0)
        self.interoperability[t] = model.acceptance.interoperability(state)
        self.fragmentation[t] = model.acceptance.fragmentation(state)
        self.deals[t] = model.deal_counts
        self.hhi[t] = concentration(self.travel_share[t])
        self.platform_members[t] = sum(int(org.members.sum()) for org in model.organisations.values())
        self.state[t] = state
        self.months = t + 1

    @property
    def credentialled_share(self) -> np.ndarray:
        """Each standard's share of the travel that carries some digital credential ("none" column 0)."""
        credentialled = 1.0 - self.travel_share[:, :1]
        out = np.divide(self.travel_share, credentialled, out=np.zeros_like(self.travel_share),
                        where=credentialled > 0)
        out[:, 0] = 0.0
        return out

    def measure(self, name: str) -> np.ndarray:
        """One of MEASURES as a [month, option] array."""
        return self.credentialled_share if name == "credentialled_share" else getattr(self, name)


def concentration(travel_share: np.ndarray) -> float:
    """Herfindahl index of the standards' shares of credentialled travel ("none" excluded)."""
    used = travel_share[1:]
    total = used.sum()
    return float(((used / total) ** 2).sum()) if total > 0 else 0.0


def judged_step(scenario: ScenarioParams) -> int:
    """The month index at which a scenario's win rule is read (its last month unless the rule names one)."""
    rule = scenario.win
    return months_between(scenario.start, rule.month) if rule.month else scenario.horizon - 1


def judged_month(model: CredentialModel) -> int:
    """The month index at which the model's win rule is read."""
    return judged_step(model.params.scenario)


def winner(values: np.ndarray, threshold: float, lead: float = 1.0) -> int:
    """Index of the winning option in a row of a measure ("none" at 0 never wins), or -1: the standard
    with the largest value, if that value reaches the threshold and is at least `lead` times every
    other standard's (a tie never wins when lead > 1; with lead 1 it goes to the first in config order)."""
    best = 1 + int(np.argmax(values[1:]))
    others = np.delete(values[1:], best - 1)
    runner_up = float(others.max()) if len(others) else 0.0
    return best if values[best] >= threshold and values[best] >= lead * runner_up else -1


def outcome(model: CredentialModel) -> dict:
    """The run's verdict under the win rule and its figures at the judged month, for every measure."""
    h, rule = model.history, model.params.scenario.win
    t = min(judged_month(model), h.months - 1)
    series = h.measure(rule.measure)
    best = winner(series[t], rule.threshold, rule.lead)
    won = [winner(row, rule.threshold, rule.lead) == best for row in series[: t + 1]] if best > 0 else []
    reached = np.flatnonzero(won)
    name = model.choices
    return {
        "winner": name[best] if best > 0 else "fragmented",
        "judged_month": model.month_label(t),
        "time_to_dominance": int(reached[0]) if best > 0 and len(reached) else None,
        "adopters": dict(zip(name, h.adopters[t].tolist(), strict=True)),
        "foreign_adopters": dict(zip(name, h.foreign_adopters[t].tolist(), strict=True)),
        **{m: dict(zip(name, h.measure(m)[t].tolist(), strict=True)) for m in MEASURES},
        "interoperability": float(h.interoperability[t]),
        "fragmentation": float(h.fragmentation[t]),
        "deals": dict(zip(DEAL_KINDS, h.deals[t].tolist(), strict=True)),
        "platform_members": int(h.platform_members[t]),
    }
