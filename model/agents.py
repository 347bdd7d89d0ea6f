"""The model's agents and what each decides.

- `Country` revises which standard it issues (logit over every option it may choose).
- `Sponsor` promotes its standard: incentive deals under a budget, and accession to its trust
  network (equivalence decisions) for countries that apply.
- `Organisation` (the WHO) endorses and bridges standards and can host one as its platform;
  countries decide whether to join it.

Countries are thin Mesa agents over arrays the model owns (state, lock-in, acceptance), so the
heavy arithmetic stays vectorised while each decision is still taken by an agent in Mesa's
activation order.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from .model import CredentialModel
    from .params import OrganisationSpec, SponsorSpec


def accepts_offer(gain: float, rationality: float, draw: float) -> bool:
    """Logit acceptance of a deal worth `gain`: P = 1 / (1 + exp(-rationality * gain))."""
    if math.isinf(rationality):
        return gain > 0 or (gain == 0 and draw < 0.5)
    return draw < 1.0 / (1.0 + math.exp(-min(max(rationality * gain, -700.0), 700.0)))


def accepts_offers(gains: np.ndarray, rationality: float, draws: np.ndarray) -> np.ndarray:
    """accepts_offer for each gain with its own draw, as a boolean mask."""
    return np.array([accepts_offer(g, rationality, u) for g, u in zip(gains.tolist(), draws.tolist(), strict=True)],
                    dtype=bool)


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
        """Step from which it may revise again (deals and treaties lock it in before that)."""
        return int(self.model.locked_until[self.index])

    @property
    def recognition_partners(self) -> list[str]:
        """Countries that accept its credentials whatever they are (and whose it accepts)."""
        return [self.model.world.codes[j] for j in self.model.recognition_partners(self.index).tolist()]

    def step(self) -> None:
        """Revise this month if drawn to: choose by logit over every option it may choose."""
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
    """A government or bloc promoting its standard: incentive deals and accession (ODD 7.5)."""

    model: CredentialModel

    def __init__(self, model: CredentialModel, key: str, spec: SponsorSpec, standard: int, home: np.ndarray,
                 targets: np.ndarray, excluded: np.ndarray, start_step: int, accession_step: int) -> None:
        super().__init__(model)
        self.key = key
        self.spec = spec
        self.standard = standard  # index into model.choices
        self.home = home
        n = model.world.n
        self.is_home = np.zeros(n, dtype=bool)
        self.is_home[home] = True
        self.excluded = np.zeros(n, dtype=bool)
        self.excluded[excluded] = True
        eligible = np.zeros(n, dtype=bool)
        eligible[targets] = True
        self.reachable = eligible & ~self.is_home & ~self.excluded  # countries its programme may court
        # the "influential" ranking is fixed: largest share of world travel first, ties in index order
        self.by_influence = np.argsort(-model.world.travel_weight, kind="stable")
        self.start_step = start_step
        self.accession_step = accession_step
        self.budget = float(spec.budget)  # in set-up costs
        self.deals = 0
        self.accessions = 0

    def step(self) -> None:
        """This month's incentive offers, then this month's accessions."""
        model, spec = self.model, self.spec
        if not model.launched[self.standard]:
            return
        if model.month >= self.start_step and spec.deals_per_month > 0 and self.budget + 1e-12 >= spec.incentive:
            for target in self.rank(self.courtable(), spec.deals_per_month).tolist():
                if self.budget + 1e-12 < spec.incentive:
                    break
                self.offer(target, spec.incentive, spec.duration)
        if spec.accession_per_month > 0 and model.month >= self.accession_step:
            self.admit()

    def free_to_court(self) -> np.ndarray:
        """Countries not on its standard, not locked in, not at home and not excluded."""
        model = self.model
        return ((model.state != self.standard) & (model.locked_until <= model.month) & ~self.is_home
                & model.available[:, self.standard])

    def courtable(self) -> np.ndarray:
        """Free countries among its programme's targets."""
        return self.free_to_court() & self.reachable

    def rank(self, mask: np.ndarray, k: int) -> np.ndarray:
        """Up to k countries of `mask`, ranked by the sponsor's targeting strategy."""
        model, strategy = self.model, self.spec.strategy
        if strategy == "influential":  # largest share of world travel
            return self.by_influence[mask[self.by_influence]][:k]
        pool = np.flatnonzero(mask)
        if len(pool) == 0:
            return pool
        if strategy == "random":
            return model.rng.permutation(pool)[:k]
        if strategy == "travel_partners":  # travel to destinations that already accept it
            score = model.accepted_share(pool, self.standard)
        else:  # aligned
            score = model.alignment[pool, self.standard]
        return pool[np.argsort(-score, kind="stable")[:k]]

    def offer(self, target: int, incentive: float, duration: int, kind: str = "incentive") -> bool:
        """Offer an incentive deal (a share of the target's adoption cost); the target accepts by
        logit on its gain. Returns whether it signed."""
        model = self.model
        paid = incentive * model.params.decision.adoption_cost * float(model.cost[target, self.standard])
        utility = model.utility_of(target)
        gain = utility[self.standard] + paid - utility[model.state[target]]
        if not accepts_offer(gain, model.params.decision.rationality, model.rng.random()):
            return False
        model.join_network(target, self, lock=duration, kind=kind)
        if kind == "incentive":
            self.budget -= incentive
        self.deals += 1
        return True

    def admit(self) -> None:
        """Accession: free countries apply when they reconsider (revision_rate) and would gain from
        joining its trust network; it admits them in rank order up to its monthly capacity."""
        model = self.model
        free = self.free_to_court()
        candidates = np.flatnonzero(free)
        if len(candidates) == 0:
            return
        applying = candidates[model.rng.random(len(candidates)) < model.params.decision.revision_rate]
        if len(applying) == 0:
            return
        d = model.params.decision
        utility = model.utilities(applying)
        rows = np.arange(len(applying))
        gain = utility[:, self.standard] - utility[rows, model.state[applying]] + d.alignment_weight * d.deal_alignment
        draws = model.rng.random(len(applying))
        willing = applying[accepts_offers(gain, d.rationality, draws)]
        mask = np.zeros_like(free)
        mask[willing] = True
        for target in self.rank(mask, self.spec.accession_per_month).tolist():
            model.join_network(target, self, lock=0, kind="accession")
            self.accessions += 1


class Organisation(mesa.Agent):
    """A multilateral organisation (the WHO): endorses, bridges, and can host a platform (ODD 7.7)."""

    model: CredentialModel

    def __init__(self, model: CredentialModel, key: str, spec: OrganisationSpec, excluded: np.ndarray) -> None:
        super().__init__(model)
        self.key = key
        self.spec = spec
        self.excluded = np.zeros(model.world.n, dtype=bool)
        self.excluded[excluded] = True
        self.members = np.zeros(model.world.n, dtype=bool)
        self.hosted: int | None = None  # the standard its platform runs on
        self.endorsed: list[str] = []
        self.bridges: list[tuple[str, str]] = []

    def endorse(self, standard: int) -> None:
        self.model.endorsed[standard] = True
        self.endorsed.append(self.model.choices[standard])

    def bridge(self, a: int, b: int) -> None:
        self.model.bridge(a, b)
        self.bridges.append((self.model.choices[a], self.model.choices[b]))

    def host(self, standard: int, founders: np.ndarray) -> None:
        """Run a platform on `standard`: members verify it and accept each other's credentials."""
        self.hosted = standard
        self.model.platform_join(self, np.flatnonzero(self.members))  # existing members verify the new host
        self.model.platform_join(self, founders[~self.excluded[founders]])

    def consider_joining(self, candidates: np.ndarray, draws: np.ndarray) -> np.ndarray:
        """The candidates (non-members) that join this month, by logit on their gain (ODD 7.7).

        A member verifies the hosted standard and accepts every member's credentials; the operator
        sees each check, which costs a privacy-minded member
            verification_privacy * concern_i * surveillance_host * [host verified online].
        A country issuing a credential keeps it and gains the members' trips newly accepting it:
            network_weight * demand * openness_i * (newly accepted share) - privacy - network_weight * join_cost.
        A country with no digital credential issues the hosted standard through the platform, which
        spares it `setup_discount` of the set-up cost: its gain is U(host) + setup_discount x adoption
        cost of the host - U(none) - privacy - network_weight * join_cost.
        """
        model, d = self.model, self.model.params.decision
        if len(candidates) == 0 or self.hosted is None:
            return candidates
        host = self.hosted
        state = model.state[candidates]
        gain = -model.verification_cost(candidates, host)
        gain -= d.network_weight * self.spec.join_cost
        issuing = state != 0
        if issuing.any():
            who = candidates[issuing]
            newly = model.acceptance.unaccepted_at(who, np.flatnonzero(self.members), model.state[who])
            gain[issuing] += d.network_weight * model.demand * model.openness[who] * newly
        if (~issuing).any():
            who = candidates[~issuing]
            utility = model.utilities(who)
            saved = self.spec.setup_discount * d.adoption_cost * model.cost[who, host]
            gain[~issuing] += utility[:, host] + saved - utility[:, 0]
        return candidates[accepts_offers(gain, d.rationality, draws)]
