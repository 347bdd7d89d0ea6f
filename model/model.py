"""CredentialModel: countries choosing a digital health-credential standard, month by month.

One step is one month: dated events, sponsors' deal offers, country-to-country recognition deals,
then countries revise (random-sequential or simultaneous), then the month is recorded. The model
owns the state as arrays; `accepted[i, c]`, the share of i's travel whose destination accepts a
credential of option c from i, is kept up to date incrementally when a country switches.
Recognition deals are a set of ordered pairs stored like travel: a boolean matrix in a dense world,
sorted keys in a sparse one (model/pairs.py).
"""

from __future__ import annotations

import math

import mesa
import numpy as np
from mesa.agentset import AgentSet
from scipy import sparse

from . import metrics
from .agents import Country, Organisation, Sponsor
from .choice import choose, choose_one
from .pairs import PairSet, lookup, pair_keys
from .params import NONE, ModelParams, WorldParams, add_months, months_between
from .world import World, build_world


class CredentialModel(mesa.Model):
    """The race between credential standards on a world of countries (see docs/ODD.md)."""

    def __init__(self, *, world: World | WorldParams | None = None, params: ModelParams | None = None,
                 rng: int | np.random.Generator | None = None) -> None:
        super().__init__(rng=rng)
        self.params = p = (params if params is not None else default_params()).validate()
        self.world = world if isinstance(world, World) else build_world(world or WorldParams(), self.rng)
        n = self.world.n
        self.choices = [NONE, *p.standards]
        self.index_of = {c: k for k, c in enumerate(self.choices)}
        k = len(self.choices)
        self.horizon = p.scenario.horizon
        self.month = 0  # 0-based index of the month being simulated
        specs = list(p.standards.values())

        # per-option attributes (column 0 is "none")
        self.surveillance = np.array([0.0] + [s.surveillance for s in specs])
        self.online = np.array([False] + [s.verification == "online" for s in specs])
        self.quality = np.array([0.0] + [s.quality for s in specs])
        self.launched = np.zeros(k, dtype=bool)
        self.launched[0] = True
        self.endorsed = np.zeros(k, dtype=bool)
        self.bridges = np.eye(k)  # bridges[a, b] = 1: a destination on a accepts b credentials
        self.bridges[0, 0] = 0.0  # "none" is national-only: accepted only through recognition deals

        # per-country state
        self.state = np.zeros(n, dtype=np.int64)
        self.adopted_month = np.full((n, k), -1, dtype=np.int64)
        self.locked_until = np.zeros(n, dtype=np.int64)
        self.recognition = PairSet.for_world(n, self.world.is_sparse)  # (i, j): i recognises j by a deal
        self.revising = np.zeros(n, dtype=bool)
        self.choice_draws = np.zeros(n)
        self.demand = p.scenario.demand
        self.concern = self.world.democracy / 10.0
        self.openness = np.ones(n)
        for name, value in p.scenario.openness.items():
            self.openness[self.world.resolve([name], f"scenario.openness.{name}")] = value
        self.deals_signed = 0
        self.cost = metrics.adoption_cost(self.world, specs, p.decision)

        self.organisations: dict[str, Organisation] = {}
        self.country_at = [Country(self, i, c) for i, c in enumerate(self.world.codes)]  # by index
        self.countries = AgentSet(self.country_at, random=self.random)
        self.sponsors = AgentSet(self._make_sponsors(), random=self.random)
        self.sponsor_of = {sp.standard: sp for sp in self.sponsors}
        self.alignment = metrics.static_alignment(self.world, self.choices, p, self.sponsor_of)
        self._schedule = self._schedule_events()
        self._pairs = self._candidate_pairs()
        self._refresh_travel()
        home, sponsored = np.zeros((n, k), dtype=bool), np.zeros(k, dtype=bool)
        for s, sponsor in self.sponsor_of.items():
            home[:, s], sponsored[s] = sponsor.is_home, True
        self.history = metrics.History(self.horizon, self.world, home, sponsored)

    # ------------------------------------------------------------------ set-up helpers

    def _make_sponsors(self) -> list[Sponsor]:
        out = []
        for key, spec in self.params.sponsors.items():
            home = self.world.resolve(spec.home, f"sponsors.{key}.home")
            targets = (self.world.resolve(spec.targets, f"sponsors.{key}.targets") if spec.targets
                       else np.arange(self.world.n))
            for bloc in spec.affinity:
                self.world.resolve([bloc], f"sponsors.{key}.affinity")
            standard = self.index_of[spec.standard]
            start = spec.start or self.params.standards[spec.standard].launch
            out.append(Sponsor(self, key, spec, standard, home, targets, self._step_of(start)))
        return out

    def _step_of(self, month: str) -> int:
        return max(0, months_between(self.params.scenario.start, month))

    def _schedule_events(self) -> dict[int, list]:
        """Month index -> actions: each standard's launch, then the scenario's events in order."""
        p = self.params
        schedule: dict[int, list] = {}
        events = sorted(p.scenario.events.items(), key=lambda item: item[1].date)  # stable: ties keep order
        launch_events = {ev.standard: ev.date for _, ev in events if ev.type == "launch"}
        for sid, spec in p.standards.items():
            key = f"standards.{sid}.initial_adopters"
            adopters = self.world.resolve(spec.initial_adopters, key)
            step = self._step_of(launch_events.get(sid, spec.launch))
            schedule.setdefault(step, []).append(("launch", self.index_of[sid], adopters))
        for name, ev in events:
            if ev.type == "launch":
                continue
            countries = self.world.resolve(ev.countries, f"scenario.events.{name}.countries")
            if ev.type in ("endorse", "bridge") and ev.by not in self.organisations:
                self.organisations[ev.by] = Organisation(self, ev.by)
            schedule.setdefault(self._step_of(ev.date), []).append(("event", ev, countries))
        return schedule

    def _candidate_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Country pairs (i < j) with enough mutual travel to consider a recognition deal."""
        travel = self.world.travel
        mutual = (travel + travel.T) / 2
        if sparse.issparse(mutual):
            mutual = sparse.triu(mutual, k=1).tocoo()
            keep = mutual.data >= self.params.pair_deals.min_travel
            i, j, w = mutual.row[keep], mutual.col[keep], mutual.data[keep]
        else:
            i, j = np.nonzero(np.triu(mutual >= self.params.pair_deals.min_travel, k=1))
            w = mutual[i, j]
        order = np.lexsort((j, i, -w))  # strongest ties first, ties in index order
        return i[order].astype(np.int64), j[order].astype(np.int64)

    # ------------------------------------------------------------------ travel and acceptance

    def _refresh_travel(self) -> None:
        """Rebuild travel weighted by destination openness, and acceptance, from scratch."""
        travel = self.world.travel
        if sparse.issparse(travel):
            self._travel_open = sparse.csr_matrix(travel @ sparse.diags(self.openness))
            self._travel_open.sort_indices()
            rows = np.repeat(np.arange(self.world.n, dtype=np.int64), np.diff(self._travel_open.indptr))
            self._open_keys = rows * self.world.n + self._travel_open.indices
            self._travel_open_cols = self._travel_open.tocsc()
            self._open_total = np.asarray(self._travel_open.sum(axis=1)).ravel()
        else:
            self._travel_open = travel * self.openness[None, :]
            self._open_total = self._travel_open.sum(axis=1)
        first, second = self._pairs  # each side of a candidate pair: its open travel to the other
        self._pair_reach = (self.openness[first] * self._open_shares(first, second),
                            self.openness[second] * self._open_shares(second, first))
        self._open_weight = self.world.travel_weight * self.openness  # world travel to open destinations
        self._potential = float(self._open_weight @ self._open_total)
        self._accepted = np.asarray(self._travel_open @ self.bridges[self.state])
        # travel to partners that recognise i's credential whatever its standard (recognition deals):
        # recognised[i, c] = sum over partners j of open_travel[i, j] * (1 - bridges[state_j, c])
        self._recognised = np.zeros_like(self._accepted)
        self._credit_recognition(*self.recognition.pairs())

    def _travel_column(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows i with travel to j and the open travel shares i -> j."""
        if sparse.issparse(self._travel_open):
            cols = self._travel_open_cols
            lo, hi = cols.indptr[j], cols.indptr[j + 1]
            return cols.indices[lo:hi], cols.data[lo:hi]
        return slice(None), self._travel_open[:, j]

    def _open_shares(self, rows, cols) -> np.ndarray:
        """Open travel shares rows[k] -> cols[k], elementwise (ints or arrays)."""
        if not sparse.issparse(self._travel_open):
            return self._travel_open[rows, cols]
        # sorted CSR: entry keys row * n + col are increasing, so a binary search finds each pair
        pos, found = lookup(self._open_keys, pair_keys(rows, cols, self.world.n))
        return np.where(found, self._travel_open.data[pos], 0.0)

    # ------------------------------------------------------------------ recognition deals

    def recognition_partners(self, i: int) -> np.ndarray:
        """The countries i has a mutual recognition deal with, in index order."""
        return self.recognition.row(i)

    def add_recognition(self, i: int, partners) -> None:
        """Mutual recognition between i and each partner (an int or an array of distinct ones)."""
        partners = np.atleast_1d(np.asarray(partners, dtype=np.int64))
        mine = np.full(len(partners), i, dtype=np.int64)
        new = (partners != i) & ~self.recognition.contains(mine, partners)
        self._recognise(mine[new], partners[new])

    def _recognise(self, a: np.ndarray, b: np.ndarray) -> None:
        """Record new mutual recognition a[k] <-> b[k] (pairs not yet recognised, no repeats)."""
        if len(a) == 0:
            return
        rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
        self.recognition.add(rows, cols)
        self._credit_recognition(rows, cols)

    def _credit_recognition(self, rows: np.ndarray, cols: np.ndarray) -> None:
        """rows[k] recognises cols[k]: its travel there is accepted beyond what the standards give."""
        shares = self._open_shares(rows, cols)
        np.add.at(self._recognised, rows, shares[:, None] * (1.0 - self.bridges[self.state[cols]]))

    def accepted_share(self, idx, option: int | None = None) -> np.ndarray:
        """Share of each country's travel whose destination accepts each option from it (rows: idx;
        one column if `option` is given)."""
        idx = np.atleast_1d(idx)
        if option is not None:
            return self._accepted[idx, option] + self._recognised[idx, option]
        return self._accepted[idx] + self._recognised[idx]

    def accepted_share_reference(self, i: int) -> np.ndarray:
        """The same quantity by a plain loop over partners: the per-agent reference path."""
        k = len(self.choices)
        out = np.zeros(k)
        travel = self.world.travel
        if sparse.issparse(travel):
            lo, hi = travel.indptr[i], travel.indptr[i + 1]
            partners = zip(travel.indices[lo:hi].tolist(), travel.data[lo:hi].tolist(), strict=True)
        else:
            partners = ((j, travel[i, j]) for j in range(self.world.n) if travel[i, j] > 0)
        recognised = set(self.recognition_partners(i).tolist())
        for j, share in partners:
            weight = share * self.openness[j]
            for c in range(1, k):
                if j in recognised or self.bridges[self.state[j], c] > 0:
                    out[c] += weight
            if j in recognised:
                out[0] += weight
        return out

    # ------------------------------------------------------------------ decisions

    def _static_terms(self, idx) -> np.ndarray:
        """Utility terms that do not depend on other countries' choices: alignment, privacy,
        endorsement and quality (rows: idx, or one row for an int)."""
        d = self.params.decision
        terms = d.alignment_weight * self.alignment[idx]
        terms -= (d.privacy_weight * self.concern[idx])[..., None] * self.surveillance
        terms += d.endorsement_weight * self.endorsed
        terms += self.quality
        return terms

    def utilities(self, idx) -> np.ndarray:
        """Utility of every option (columns, "none" first) for the countries in idx (rows)."""
        idx = np.atleast_1d(idx)
        d = self.params.decision
        if d.kernel == "agents":
            accepted = np.array([self.accepted_share_reference(int(i)) for i in idx])
        else:
            accepted = self._accepted[idx] + self._recognised[idx]
        current = self.state[idx]
        rows = np.arange(len(idx))
        utility = self._static_terms(idx)
        utility += (d.network_weight * self.demand * self.openness[idx])[:, None] * accepted
        # adopting costs the set-up cost (zero for "none" and for the standard already in use);
        # leaving a standard in use costs the switching cost
        cost = d.adoption_cost * self.cost[idx]
        cost[rows, current] = 0.0
        utility -= cost
        leaving = np.zeros_like(utility)
        leaving[current != 0] = d.switching_cost
        leaving[rows, current] = 0.0
        utility -= leaving
        return utility

    def _utility_row(self, i: int) -> list[float]:
        """`utilities(i)[0]` as a list, computed in plain floats with the same operations in the same
        order, so bit for bit equal: the per-decision fast path (a handful of options does not pay
        for numpy's per-call cost)."""
        d = self.params.decision
        current = int(self.state[i])
        privacy = d.privacy_weight * float(self.concern[i])
        reach = d.network_weight * self.demand * float(self.openness[i])
        leaving = d.switching_cost if current != 0 else 0.0
        columns = zip(self.alignment[i].tolist(), self.surveillance.tolist(), self.endorsed.tolist(),
                      self.quality.tolist(), self._accepted[i].tolist(), self._recognised[i].tolist(),
                      self.cost[i].tolist(), strict=True)
        row = []
        for c, (align, surveillance, endorsed, quality, accepted, recognised, cost) in enumerate(columns):
            u = d.alignment_weight * align
            u -= privacy * surveillance
            u += d.endorsement_weight * endorsed
            u += quality
            u += reach * (accepted + recognised)
            if c != current:  # the current option costs nothing to keep
                u -= d.adoption_cost * cost
                u -= leaving
            row.append(u)
        return row

    def _utility_of(self, i: int) -> list[float]:
        """One country's utilities by the configured kernel: the reference loop or the fast row."""
        return self.utilities(i)[0].tolist() if self.params.decision.kernel == "agents" else self._utility_row(i)

    def decide(self, i: int) -> int:
        """The option country i picks now, by logit at this month's pre-drawn uniform."""
        d = self.params.decision
        return choose_one(self._utility_of(i), self._launched_list, d.rationality, float(self.choice_draws[i]),
                          d.choice_rule)

    def consider_deal(self, i: int, standard: int, incentive: float) -> bool:
        """Whether country i accepts a deal: logit between staying and adopting with the incentive."""
        utility = self._utility_of(i)
        gain = utility[standard] + incentive - utility[self.state[i]]
        lam = self.params.decision.rationality
        draw = self.rng.random()
        if math.isinf(lam):
            return gain > 0 or (gain == 0 and draw < 0.5)
        return draw < 1.0 / (1.0 + math.exp(-min(max(lam * gain, -700.0), 700.0)))

    def set_state(self, i: int, option: int) -> None:
        """Country i now issues `option`; acceptance is updated for everyone who travels to i."""
        old = int(self.state[i])
        if option == old:
            return
        self.state[i] = option
        if self.adopted_month[i, option] < 0:
            self.adopted_month[i, option] = self.month
        delta = self.bridges[option] - self.bridges[old]
        rows, shares = self._travel_column(i)
        self._accepted[rows] += shares[:, None] * delta
        if len(self.recognition):  # partners' recognition of i no longer adds what i's new standard gives
            partners = self.recognition.row(i)
            self._recognised[partners] -= self._open_shares(partners, i)[:, None] * delta

    def set_states(self, idx: np.ndarray, options: np.ndarray) -> None:
        """Countries idx (distinct) switch to options all at once (simultaneous updates, launches):
        the same update as `set_state` for each, in one product per array instead of a loop."""
        idx, options = np.asarray(idx, dtype=np.int64), np.asarray(options, dtype=np.int64)
        old = self.state[idx]
        moved = options != old
        idx, options, old = idx[moved], options[moved], old[moved]
        if len(idx) == 0:
            return
        self.state[idx] = options
        first = self.adopted_month[idx, options] < 0
        self.adopted_month[idx[first], options[first]] = self.month
        delta = self.bridges[options] - self.bridges[old]  # (switchers, options)
        travel = self._travel_open_cols if sparse.issparse(self._travel_open) else self._travel_open
        self._accepted += travel[:, idx] @ delta
        owner, partners = self.recognition.rows_of(idx)  # a country may partner several switchers
        if len(partners):
            shares = self._open_shares(partners, idx[owner])
            np.add.at(self._recognised, partners, -shares[:, None] * delta[owner])

    def bridge(self, a: int, b: int) -> None:
        self.bridges[a, b] = self.bridges[b, a] = 1.0
        self._refresh_travel()

    def sign_sponsor_deal(self, i: int, sponsor: Sponsor, duration: int) -> None:
        self.set_state(i, sponsor.standard)
        self.locked_until[i] = max(self.locked_until[i], self.month + duration)
        self.add_recognition(i, sponsor.home)
        self.alignment[i, sponsor.standard] += self.params.decision.deal_alignment
        self.deals_signed += 1

    # ------------------------------------------------------------------ the month

    def step(self) -> None:
        self.month = self.steps - 1
        for action in self._schedule.get(self.month, []):
            self._apply(action)
        self.sponsors.shuffle_do("step")
        self._pair_deals()
        self._revise()
        self.history.record(self)
        if self.month + 1 >= self.horizon:
            self.running = False

    def _revise(self) -> None:
        """Draw who revises and their uniforms for everyone (same draws on every path), then decide."""
        n = self.world.n
        self.revising = (self.rng.random(n) < self.params.decision.revision_rate) & (
            self.locked_until <= self.month)
        if not self.params.decision.adopters_revise:
            self.revising &= self.state == 0
        self.choice_draws = self.rng.random(n)
        d = self.params.decision
        if d.update == "random_sequential":
            # the revisers in random order: the order a shuffle of every country gives them
            revisers = [self.country_at[i] for i in np.flatnonzero(self.revising).tolist()]
            AgentSet(revisers, random=self.random).shuffle_do("step")
        elif d.kernel == "agents":
            self.countries.do("step")
            self.countries.do("advance")
        else:
            self._revise_all_at_once()

    def _revise_all_at_once(self) -> None:
        """Simultaneous update, vectorised: every reviser chooses on last month's state."""
        idx = np.flatnonzero(self.revising)
        if len(idx) == 0:
            return
        d = self.params.decision
        picked = choose(self.utilities(idx), self.launched[None, :], d.rationality, self.choice_draws[idx],
                        d.choice_rule)
        self.set_states(idx, picked)

    def _pair_deals(self) -> None:
        """Pairs with strong mutual travel may sign mutual recognition if both gain from it."""
        pd, d = self.params.pair_deals, self.params.decision
        first, second = self._pairs
        if not pd.enabled or pd.rate <= 0 or pd.max_per_month <= 0 or len(first) == 0:
            return
        talks = np.flatnonzero(self.rng.random(len(first)) < pd.rate)
        if len(talks) == 0:
            return
        i, j = first[talks], second[talks]
        si, sj = self.state[i], self.state[j]
        value = d.network_weight * self.demand
        # each side gains the travel the other would newly accept, and pays the privacy cost of
        # verifying the other's credential if that is online (the issuer's servers see each check)
        gain_i = value * self._pair_reach[0][talks] * (1.0 - self.bridges[sj, si])
        gain_j = value * self._pair_reach[1][talks] * (1.0 - self.bridges[si, sj])
        gain_i -= pd.recognition_privacy * self.concern[i] * self.surveillance[sj] * self.online[sj]
        gain_j -= pd.recognition_privacy * self.concern[j] * self.surveillance[si] * self.online[si]
        both = (gain_i > 0) & (gain_j > 0)
        i, j = i[both], j[both]
        fresh = np.flatnonzero(~self.recognition.contains(i, j))[: pd.max_per_month]  # strongest ties first
        self._recognise(i[fresh], j[fresh])
        self.deals_signed += len(fresh)

    def _apply(self, action) -> None:
        """Carry out a launch or a dated scenario event."""
        kind, payload, countries = action
        if kind == "launch":
            self._launch(payload, countries)
            return
        ev = payload
        standard = self.index_of.get(ev.standard, 0)
        if ev.type == "endorse":
            self.organisations[ev.by].endorse(standard)
        elif ev.type == "bridge":
            a, b = (self.index_of[s] for s in ev.standards)
            self.organisations[ev.by].bridge(a, b)
        elif ev.type == "deal_wave":
            sponsor = self.sponsor_of[standard]
            incentive = sponsor.spec.incentive if ev.incentive is None else ev.incentive
            duration = sponsor.spec.duration if ev.duration is None else ev.duration
            for i in countries.tolist():
                if self.state[i] != standard and self.locked_until[i] <= self.month and not sponsor.is_home[i]:
                    sponsor.offer(i, incentive, duration, funded=False)
        elif ev.type == "privacy_scandal":
            if ev.surveillance is not None:
                self.surveillance[standard] = ev.surveillance
            if ev.concern is not None:
                who = countries if len(countries) else slice(None)
                self.concern[who] = self.concern[who] * ev.concern
        elif ev.type == "travel_openness":
            self.openness[countries] = ev.value
            self._refresh_travel()
        elif ev.type == "credential_demand":
            self.demand = ev.value
        elif ev.type == "adopt":
            self.set_states(countries, np.full(len(countries), standard))
            if ev.duration:
                self.locked_until[countries] = np.maximum(self.locked_until[countries], self.month + ev.duration)

    @property
    def _launched_list(self) -> list[bool]:
        return self.launched.tolist()

    def _launch(self, standard: int, adopters: np.ndarray) -> None:
        self.launched[standard] = True
        self.set_states(adopters, np.full(len(adopters), standard))
        share = self.params.standards[self.choices[standard]].initial_share
        if share > 0:
            free = np.flatnonzero(self.state == 0)
            picked = self.rng.choice(free, size=round(share * len(free)), replace=False)
            self.set_states(picked, np.full(len(picked), standard))

    # ------------------------------------------------------------------ running and results

    def run(self) -> CredentialModel:
        """Simulate the whole horizon and return self."""
        self.run_for(self.horizon - self.steps)
        return self

    def interoperability(self) -> float:
        """Share of world (open) travel whose credential is accepted at the destination."""
        rows = np.arange(self.world.n)
        accepted = self._accepted[rows, self.state] + self._recognised[rows, self.state]
        return float(self._open_weight @ accepted) / self._potential if self._potential > 0 else 0.0

    def month_label(self, step: int) -> str:
        return add_months(self.params.scenario.start, step)

    def outcome(self) -> dict:
        """The run's result: winner (or "fragmented"), time to dominance, final shares."""
        return metrics.outcome(self)


def default_params() -> ModelParams:
    """Two identical open standards and no sponsors: a neutral start for use without any config.

    The real standards and scenarios live in configs/ and reach the model through
    `experiments.build_model`.
    """
    from .params import StandardSpec

    return ModelParams(standards={"a": StandardSpec(name="Standard A", openness=1.0),
                                  "b": StandardSpec(name="Standard B", openness=1.0)})

