"""CredentialModel: countries choosing a digital health-credential standard, month by month.

One step is one month: dated events (model/events.py), sponsors' incentive offers and accessions
(agents.Sponsor), country-to-country deals (model/deals.py), platform membership
(agents.Organisation), then countries revise (random-sequential or simultaneous), then the month
is recorded (model/metrics.py). The model owns the state as arrays; who accepts whose credentials
is kept by the acceptance kernel (model/acceptance.py), and the utility of each option is a pure
function of those arrays (model/utility.py).
"""

from __future__ import annotations

import mesa
import numpy as np
from mesa.agentset import AgentSet

from . import metrics
from .acceptance import Acceptance, vaccine_gate
from .agents import Country, Organisation, Sponsor
from .choice import choose, choose_one
from .deals import candidate_pairs, sign_pair_deals
from .events import EVENT_TYPES
from .params import NONE, ConfigError, EventSpec, ModelParams, StandardSpec, WorldParams, add_months, months_between
from .utility import Terms, adoption_cost, static_alignment, utility_matrix, utility_row
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
        self.bridges[0, 0] = 0.0  # "none" is national-only: accepted only through pair acceptance

        # per-country state
        self.state = np.zeros(n, dtype=np.int64)
        self.adopted_month = np.full((n, k), -1, dtype=np.int64)
        self.locked_until = np.zeros(n, dtype=np.int64)
        self.verifies = np.zeros((n, k), dtype=bool)  # standards a destination accepts besides its own
        self.revising = np.zeros(n, dtype=bool)
        self.choice_draws = np.zeros(n)
        self.demand = p.scenario.demand
        self.demand_by_month = self._demand_schedule(p) if p.scenario.demand_schedule == "travel_controls" else None
        self.concern = self.world.democracy / 10.0
        self.openness = np.ones(n)
        for name, value in p.scenario.openness.items():
            self.openness[self.world.resolve([name], f"scenario.openness.{name}")] = value
        self.cost = adoption_cost(self.world, specs, p.decision)
        self._vaccines(p)

        self.deal_log: list[tuple] = []  # (month, kind, standard, party, counterpart)
        self.deal_counts = np.zeros(len(metrics.DEAL_KINDS), dtype=np.int64)
        self.event_log: list[tuple] = []  # (month, name, type, note)
        self.country_at = [Country(self, i, c) for i, c in enumerate(self.world.codes)]  # by index
        self.countries = AgentSet(self.country_at, random=self.random)
        self.sponsors = AgentSet(self._make_sponsors(), random=self.random)
        self.sponsor_of = {sp.standard: sp for sp in self.sponsors}
        self.sponsored = np.zeros(k, dtype=bool)
        self.excluded = np.zeros((n, k), dtype=bool)  # country i may not adopt option c (its sponsor's gate)
        home = np.zeros((n, k), dtype=bool)
        for s, sponsor in self.sponsor_of.items():
            self.sponsored[s], self.excluded[:, s], home[:, s] = True, sponsor.excluded, sponsor.is_home
        self.available = self.launched[None, :] & ~self.excluded
        self.organisations = {key: Organisation(self, key, spec, self.world.resolve(
            spec.excluded, f"organisations.{key}.excluded")) for key, spec in p.organisations.items()}
        self.alignment = static_alignment(self.world, self.choices, p, self.sponsor_of)
        self.terms = Terms(self.alignment, self.concern, self.openness, self.cost, self.surveillance, self.endorsed,
                           self.quality)
        self._schedule = self._schedule_events()
        self.pairs = candidate_pairs(self.world.travel, p.pair_deals.min_travel)
        self.acceptance = Acceptance(self.world, k)
        self.refresh_travel()
        self.history = metrics.History(self.horizon, self.world, home, self.sponsored)

    # ------------------------------------------------------------------ set-up helpers

    def _demand_schedule(self, p: ModelParams) -> np.ndarray:
        """Monthly credential demand from the travel-control data (OxCGRT C8, world mean over the
        world's countries): C8 relative to its mean over 2021, at most 1; after the data end it
        falls by scenario.demand_fade a month."""
        from .facts import travel_controls

        if not self.world.real:
            raise ConfigError("scenario.demand_schedule: travel_controls needs a world of real countries "
                              "(world=gravity or flows); use demand_schedule=events for a synthetic world")
        c8 = travel_controls(self.world.codes)
        reference = [v for m, v in c8.items() if m.startswith("2021-")]
        if not reference:
            raise ConfigError("scenario.demand_schedule: no travel-control data for 2021 in this world's countries")
        level, last, mean_2021 = 1.0, None, float(np.mean(reference))
        out = np.zeros(self.horizon)
        for t in range(self.horizon):
            month = self.month_label(t)
            if month in c8:
                level, last = min(1.0, c8[month] / mean_2021), t
            elif last is not None and t > last:
                level *= 1.0 - p.scenario.demand_fade
            out[t] = level
        return out

    def _vaccines(self, p: ModelParams) -> None:
        """Which share of each country's travellers holds each gated vaccine group (data, scaled by
        vaccines.reliance), and which groups each destination recognises: those it used itself."""
        groups = [g for g, weight in p.vaccines.reliance.items()
                  if p.vaccines.gate and weight > 0 and g in self.world.vaccine_share]
        n = self.world.n
        self.vaccine_groups = groups
        self.holding = np.zeros((n, len(groups)))
        for v, g in enumerate(groups):
            self.holding[:, v] = p.vaccines.reliance[g] * self.world.vaccine_share[g]
        used = [self.world.vaccine_share[g] > 0 for g in groups]
        self.approves = np.column_stack(used) if groups else np.zeros((n, 0), dtype=bool)

    def _make_sponsors(self) -> list[Sponsor]:
        out = []
        for key, spec in self.params.sponsors.items():
            home = self.world.resolve(spec.home, f"sponsors.{key}.home")
            targets = (self.world.resolve(spec.targets, f"sponsors.{key}.targets") if spec.targets
                       else np.arange(self.world.n))
            excluded = self.world.resolve(spec.excluded, f"sponsors.{key}.excluded")
            for bloc in spec.affinity:
                self.world.resolve([bloc], f"sponsors.{key}.affinity")
            start = self._step_of(spec.start or self.params.launch_month(spec.standard))
            accession = self._step_of(spec.accession_start) if spec.accession_start else start
            out.append(Sponsor(self, key, spec, self.index_of[spec.standard], home, targets, excluded, start,
                               accession))
        return out

    def _step_of(self, month: str) -> int:
        return max(0, months_between(self.params.scenario.start, month))

    def _schedule_events(self) -> dict[int, list]:
        """Month index -> (name, event, countries): each standard's launch, then the enabled events in
        date order (ties keep config order)."""
        p = self.params
        schedule: dict[int, list] = {}
        for sid, spec in p.standards.items():
            adopters = self.world.resolve(spec.initial_adopters, f"standards.{sid}.initial_adopters")
            ev = EventSpec(date=p.launch_month(sid), type="launch", standard=sid, note=f"{spec.name or sid} launches")
            schedule.setdefault(self._step_of(ev.date), []).append((f"launch_{sid}", ev, adopters))
        events = sorted(((name, ev) for name, ev in p.scenario.events.items() if ev.enabled and ev.type != "launch"),
                        key=lambda item: item[1].date)
        for name, ev in events:
            countries = self.world.resolve(ev.countries, f"scenario.events.{name}.countries")
            schedule.setdefault(self._step_of(ev.date), []).append((name, ev, countries))
        return schedule

    # ------------------------------------------------------------------ acceptance

    def refresh_travel(self) -> None:
        """Rebuild effective travel (destination openness, vaccine gate) and acceptance from scratch."""
        gate = None
        if len(self.vaccine_groups) and self.holding.any():
            def gate(rows, cols):
                return vaccine_gate(self.holding, self.approves, rows, cols)
        self.acceptance.accepts = self._accept_rows(np.arange(self.world.n))
        self.acceptance.set_travel(self.openness, gate)
        first, second = self.pairs  # each side of a candidate pair: its effective trips to the other
        self.pair_reach = (self.openness[first] * self.acceptance.trips(first, second),
                           self.openness[second] * self.acceptance.trips(second, first))

    def _accept_rows(self, idx: np.ndarray) -> np.ndarray:
        """What destinations idx accept: their own (and bridged) standard, and what they verify."""
        return np.maximum(self.bridges[self.state[idx]], self.verifies[idx])

    def approve_vaccines(self, group: str, countries: np.ndarray) -> None:
        if group in self.vaccine_groups:
            self.approves[countries, self.vaccine_groups.index(group)] = True
            self.refresh_travel()

    @property
    def recognition(self):
        """The pairs (a, b) in which b accepts a's credentials whatever they are (always both ways)."""
        return self.acceptance.pairs

    def recognition_partners(self, i: int) -> np.ndarray:
        """The countries that accept i's credentials whatever they are, in index order."""
        return self.acceptance.pairs.row(i)

    def add_recognition(self, i: int, partners) -> None:
        """Mutual acceptance between i and each partner (an int or an array), whatever they issue."""
        partners = np.atleast_1d(np.asarray(partners, dtype=np.int64))
        self.acceptance.add_pairs(np.full(len(partners), i, dtype=np.int64), partners)

    def accepted_share(self, idx, option: int | None = None) -> np.ndarray:
        """Share of each country's travel whose destination accepts each option from it (rows: idx;
        one column if `option` is given)."""
        return self.acceptance.accepted(np.atleast_1d(idx), option)

    def accepted_share_reference(self, i: int) -> np.ndarray:
        """The same quantity by a plain loop over destinations: the per-agent reference path."""
        return self.acceptance.reference(i)

    def set_state(self, i: int, option: int) -> None:
        """Country i now issues `option`; acceptance is updated for everyone who travels to i."""
        if option == self.state[i]:
            return
        self.state[i] = option
        if self.adopted_month[i, option] < 0:
            self.adopted_month[i, option] = self.month
        idx = np.array([i], dtype=np.int64)
        self.acceptance.set_rows(idx, self._accept_rows(idx))

    def set_states(self, idx: np.ndarray, options: np.ndarray) -> None:
        """Countries idx (distinct) switch to options all at once (simultaneous updates, launches)."""
        idx, options = np.asarray(idx, dtype=np.int64), np.asarray(options, dtype=np.int64)
        moved = options != self.state[idx]
        idx, options = idx[moved], options[moved]
        if len(idx) == 0:
            return
        self.state[idx] = options
        first = self.adopted_month[idx, options] < 0
        self.adopted_month[idx[first], options[first]] = self.month
        self.acceptance.set_rows(idx, self._accept_rows(idx))

    def verify(self, idx: np.ndarray, standard: int) -> None:
        """Destinations idx accept `standard` from now on, whatever they issue."""
        idx = np.asarray(idx, dtype=np.int64)
        self.verifies[idx, standard] = True
        self.acceptance.set_rows(idx, self._accept_rows(idx))

    def verification_cost(self, idx, standard):
        """The privacy cost to countries idx of verifying `standard`'s credentials (one standard, or one
        per country): verification_privacy x concern x the operator's surveillance, if checked online."""
        return (self.params.decision.verification_privacy * self.concern[idx] * self.surveillance[standard]
                * self.online[standard])

    def bridge(self, a: int, b: int) -> None:
        self.bridges[a, b] = self.bridges[b, a] = 1.0
        self.acceptance.accepts = self._accept_rows(np.arange(self.world.n))
        self.acceptance.rebuild()

    # ------------------------------------------------------------------ utilities and decisions

    def utilities(self, idx) -> np.ndarray:
        """Utility of every option (columns, "none" first) for the countries in idx (rows)."""
        idx = np.atleast_1d(idx)
        if self.params.decision.kernel == "agents":
            accepted = np.array([self.acceptance.reference(int(i)) for i in idx])
        else:
            accepted = self.acceptance.accepted(idx)
        return utility_matrix(self.params.decision, self.demand, self.terms, idx, self.state[idx], accepted)

    def _utility_row(self, i: int) -> list[float]:
        """`utilities(i)[0]` as a list of plain floats, bit for bit equal (the per-decision fast path)."""
        accepted, recognised = self.acceptance.accepted_parts(i)
        return utility_row(self.params.decision, self.demand, self.terms, i, int(self.state[i]), accepted, recognised)

    def utility_of(self, i: int) -> list[float]:
        """One country's utilities by the configured kernel: the reference loop or the fast row."""
        return self.utilities(i)[0].tolist() if self.params.decision.kernel == "agents" else self._utility_row(i)

    def decide(self, i: int) -> int:
        """The option country i picks now, by logit at this month's pre-drawn uniform."""
        d = self.params.decision
        return choose_one(self.utility_of(i), self.available[i].tolist(), d.rationality,
                          float(self.choice_draws[i]), d.choice_rule)

    # ------------------------------------------------------------------ deals, networks, platforms

    def log_deal(self, kind: str, standard: int, party: int, counterpart: int) -> None:
        self.deal_log.append((self.month, kind, self.choices[standard] if standard else "", party, counterpart))
        self.deal_counts[metrics.DEAL_KINDS.index(kind)] += 1

    def join_network(self, target: int, sponsor: Sponsor, lock: int, kind: str) -> None:
        """The target adopts the sponsor's standard under a deal or an accession: its home accepts the
        target's credentials whatever they are, and the target's alignment with the sponsor grows."""
        self.set_state(target, sponsor.standard)
        if lock:
            self.locked_until[target] = max(int(self.locked_until[target]), self.month + lock)
        self.add_recognition(target, sponsor.home)
        self.alignment[target, sponsor.standard] += self.params.decision.deal_alignment
        self.log_deal(kind, sponsor.standard, target, int(sponsor.home[0]) if len(sponsor.home) else -1)

    def platform_join(self, org: Organisation, countries: np.ndarray) -> None:
        """Countries become members: they verify the hosted standard and accept every member's
        credentials, and every member accepts theirs."""
        countries = np.asarray(countries, dtype=np.int64)
        if len(countries) == 0 or org.hosted is None:
            return
        uncredentialled = countries[self.state[countries] == 0]  # they issue the hosted standard through it
        self.set_states(uncredentialled, np.full(len(uncredentialled), org.hosted))
        org.members[countries] = True
        self.verify(countries, org.hosted)
        members = np.flatnonzero(org.members)
        a = np.repeat(countries, len(members))
        b = np.tile(members, len(countries))
        self.acceptance.add_pairs(a, b)

    def _platforms(self) -> None:
        """Non-members not issuing the hosted standard may join a hosted platform when they reconsider."""
        rate = self.params.decision.revision_rate
        for org in self.organisations.values():
            if org.hosted is None:
                continue
            considering = self.rng.random(self.world.n) < rate
            # a locked-in country may join as long as joining does not change what it issues
            free = (self.state != 0) | (self.locked_until <= self.month)
            candidates = np.flatnonzero(considering & ~org.members & ~org.excluded & free & (self.state != org.hosted))
            joiners = org.consider_joining(candidates, self.rng.random(len(candidates)))
            self.platform_join(org, joiners)

    # ------------------------------------------------------------------ the month

    def step(self) -> None:
        self.month = self.steps - 1
        if self.demand_by_month is not None:
            self.demand = float(self.demand_by_month[self.month])
        for name, ev, countries in self._schedule.get(self.month, []):
            EVENT_TYPES[ev.type].apply(self, ev, countries)
            self.event_log.append((self.month, name, ev.type, ev.note))
        self.sponsors.shuffle_do("step")
        sign_pair_deals(self)
        self._platforms()
        self._revise()
        self.history.record(self)
        if self.month + 1 >= self.horizon:
            self.running = False

    def launch(self, standard: int, adopters: np.ndarray) -> None:
        self.launched[standard] = True
        self.available = self.launched[None, :] & ~self.excluded
        self.set_states(adopters, np.full(len(adopters), standard))
        share = self.params.standards[self.choices[standard]].initial_share
        if share > 0:
            free = np.flatnonzero(self.state == 0)
            picked = self.rng.choice(free, size=round(share * len(free)), replace=False)
            self.set_states(picked, np.full(len(picked), standard))

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
        """Simultaneous update, vectorised: every reviser chooses on the state at the start of the phase."""
        idx = np.flatnonzero(self.revising)
        if len(idx) == 0:
            return
        d = self.params.decision
        picked = choose(self.utilities(idx), self.available[idx], d.rationality, self.choice_draws[idx],
                        d.choice_rule)
        self.set_states(idx, picked)

    # ------------------------------------------------------------------ running and results

    def run(self) -> CredentialModel:
        """Simulate the whole horizon and return self."""
        self.run_for(self.horizon - self.steps)
        return self

    def interoperability(self) -> float:
        """Share of world trips whose credential is accepted at the destination."""
        return self.acceptance.interoperability(self.state)

    def month_label(self, step: int) -> str:
        return add_months(self.params.scenario.start, step)

    def outcome(self) -> dict:
        """The run's verdict under the scenario's win rule and its figures at the judged month."""
        return metrics.outcome(self)


def default_params() -> ModelParams:
    """Two identical open standards and no sponsors: a neutral start for use without any config.

    The real standards and scenarios live in configs/ and reach the model through
    `experiments.build_model`.
    """
    return ModelParams(standards={"a": StandardSpec(name="Standard A", openness=1.0),
                                  "b": StandardSpec(name="Standard B", openness=1.0)})
