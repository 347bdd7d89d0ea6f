"""The model's agents: countries that choose a standard, sponsors that offer deals, and the
multilateral organisation that endorses and bridges standards.

Countries are thin Mesa agents over arrays the model owns (state, lock-in, recognition), so the
heavy arithmetic stays vectorised while each decision is still taken by an agent in Mesa's
activation order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from .model import CredentialModel


class Country(mesa.Agent):
    """A country or territory; its state lives in the model's arrays at `index`."""

    model: CredentialModel

    def __init__(self, model: CredentialModel, index: int, code: str) -> None:
        super().__init__(model)
        self.index = index
        self.code = code
        self._next: int | None = None

    @property
    def standard(self) -> str:
        """Id of the standard it issues, or "none"."""
        return self.model.choices[self.model.state[self.index]]

    @property
    def locked_until(self) -> int:
        """Step until which a deal locks it in (it may revise from this step on)."""
        return int(self.model.locked_until[self.index])

    @property
    def recognition_partners(self) -> list[str]:
        return [self.model.world.codes[j] for j in self.model.recognition_partners(self.index).tolist()]

    def step(self) -> None:
        """Revise this month if drawn to: choose by logit over every available option."""
        model = self.model
        if not model.revising[self.index]:
            return
        choice = model.decide(self.index)
        if model.params.decision.update == "simultaneous":
            self._next = choice  # applied in advance(), after everyone chose on last month's state
        else:
            model.set_state(self.index, choice)

    def advance(self) -> None:
        if self._next is not None:
            self.model.set_state(self.index, self._next)
            self._next = None


class Sponsor(mesa.Agent):
    """A government or bloc promoting its standard with bilateral deals under a budget."""

    model: CredentialModel

    def __init__(self, model: CredentialModel, key: str, spec, standard: int, home: np.ndarray,
                 targets: np.ndarray, start_step: int) -> None:
        super().__init__(model)
        self.key = key
        self.spec = spec
        self.standard = standard  # index into model.choices
        self.home = home
        self.is_home = np.zeros(model.world.n, dtype=bool)
        self.is_home[home] = True
        self.eligible = np.zeros(model.world.n, dtype=bool)
        self.eligible[targets] = True
        self.reachable = self.eligible & ~self.is_home  # countries it may court
        # the "influential" ranking is fixed: largest share of world travel first, ties in index order
        self.by_influence = np.argsort(-model.world.travel_weight, kind="stable")
        self.start_step = start_step
        self.budget = float(spec.budget)
        self.deals = 0

    def step(self) -> None:
        """Offer this month's deals to the best-ranked targets that do not yet use the standard."""
        model, spec = self.model, self.spec
        if (model.month < self.start_step or spec.deals_per_month <= 0
                or not model.launched[self.standard] or self.budget + 1e-12 < spec.incentive):
            return
        for target in self.targets(spec.deals_per_month):
            if self.budget + 1e-12 < spec.incentive:
                break
            self.offer(int(target), spec.incentive, spec.duration)

    def courtable(self) -> np.ndarray:
        """Mask of the countries it may court now: reachable, not on its standard, not locked in."""
        model = self.model
        return (model.state != self.standard) & (model.locked_until <= model.month) & self.reachable

    def targets(self, k: int) -> np.ndarray:
        """Up to k candidates ranked by the sponsor's targeting strategy."""
        model, strategy = self.model, self.spec.strategy
        if strategy == "influential":  # largest share of world travel
            return self.by_influence[self.courtable()[self.by_influence]][:k]
        pool = np.flatnonzero(self.courtable())
        if len(pool) == 0:
            return pool
        if strategy == "random":
            return model.rng.permutation(pool)[:k]
        if strategy == "travel_partners":  # travel to destinations that already accept it
            score = model.accepted_share(pool, self.standard)
        else:  # aligned
            score = model.alignment[pool, self.standard]
        return pool[np.argsort(-score, kind="stable")[:k]]

    def offer(self, target: int, incentive: float, duration: int, funded: bool = True) -> bool:
        """Offer a deal; the target accepts by logit on the gain. Returns whether it signed."""
        model = self.model
        accepted = model.consider_deal(target, self.standard, incentive)
        if accepted:
            model.sign_sponsor_deal(target, self, duration)
            if funded:
                self.budget -= incentive
            self.deals += 1
        return accepted


class Organisation(mesa.Agent):
    """A multilateral organisation (the WHO): endorses standards and bridges pairs of them."""

    model: CredentialModel

    def __init__(self, model: CredentialModel, name: str) -> None:
        super().__init__(model)
        self.name = name
        self.endorsed: list[str] = []
        self.bridges: list[tuple[str, str]] = []

    def endorse(self, standard: int) -> None:
        self.model.endorsed[standard] = True
        self.endorsed.append(self.model.choices[standard])

    def bridge(self, a: int, b: int) -> None:
        self.model.bridge(a, b)
        self.bridges.append((self.model.choices[a], self.model.choices[b]))
