"""Typed parameters of the model.

Plain dataclasses: the model takes these, never an OmegaConf object. `experiments/` registers the
same classes with Hydra's ConfigStore, so a YAML typo or a wrong type fails when the config is
composed, and `validate()` below checks ranges with the full key in every message.

Units: utilities are in logit units (a difference of 1 multiplies the odds of choosing a standard
by e^rationality); shares and probabilities are in [0, 1]; dates are "YYYY-MM" months.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

NONE = "none"  # the outside option: paper or national-only certificates
UPDATES = ("random_sequential", "simultaneous")
KERNELS = ("vectorised", "agents")
CHOICE_RULES = ("logit", "linear")
STRATEGIES = ("travel_partners", "aligned", "influential", "random")
VERIFICATION = ("online", "offline")
WORLD_KINDS = ("gravity", "flows", "synthetic")
GRAPHS = ("complete", "erdos_renyi", "barabasi_albert", "watts_strogatz", "ring_lattice", "lattice_2d")
EVENT_TYPES = (
    "launch",
    "endorse",
    "bridge",
    "deal_wave",
    "privacy_scandal",
    "travel_openness",
    "credential_demand",
    "adopt",
)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ConfigError(ValueError):
    """A parameter is missing, unknown or out of range; the message names the key."""


@dataclass
class DecisionParams:
    """How a country values each standard and chooses among them (see docs/ODD.md, Submodels)."""

    rationality: float = 4.0  # logit lambda, >= 0; 0 = uniform choice, inf = best response
    revision_rate: float = 0.1  # probability a non-locked country revises in a month, [0, 1]
    update: str = "random_sequential"  # "random_sequential" (Mesa shuffle_do) or "simultaneous"
    kernel: str = "vectorised"  # "vectorised" (model-owned arrays) or "agents" (per-agent Python loops)
    choice_rule: str = "logit"  # "logit", or "linear" (P proportional to max(U, 0): the Polya-urn limit)
    adopters_revise: bool = True  # False: a country that issues a standard never revises (deals aside)
    network_weight: float = 4.0  # utility of having 100% of own travel accept the credential, >= 0
    alignment_weight: float = 1.0  # utility per unit of alignment with the standard's sponsor, >= 0
    political_similarity: float = 1.0  # alignment from democracy-score similarity to the sponsor, >= 0
    deal_alignment: float = 0.5  # alignment gained per deal held with the sponsor, >= 0
    privacy_weight: float = 2.0  # utility cost of surveillance 1 for a country of privacy concern 1, >= 0
    adoption_cost: float = 2.0  # one-off cost of setting up a standard, in utility, >= 0
    openness_discount: float = 0.5  # share of the adoption cost an open standard saves, [0, 1]
    wealth_discount: float = 0.5  # share of the adoption cost the richest country saves, [0, 1]
    endorsement_weight: float = 1.0  # utility of a multilateral endorsement, >= 0
    switching_cost: float = 1.0  # utility cost of leaving a standard already in use, >= 0


@dataclass
class PairDealParams:
    """Country-to-country mutual recognition deals (the Israel-Greece pattern)."""

    enabled: bool = True
    rate: float = 0.05  # probability a qualifying pair negotiates in a month, [0, 1]
    min_travel: float = 0.02  # least mutual travel share (mean of both directions) to qualify, [0, 1]
    recognition_privacy: float = 2.0  # weight of the privacy cost of verifying an online standard, >= 0
    max_per_month: int = 5  # most deals signed in one month, >= 0


@dataclass
class StandardSpec:
    """A credential standard; the key in `standards:` is its id."""

    name: str = ""
    sponsor: str = ""  # id of a sponsor in `sponsors:`, or "" for none (ICAO, say)
    launch: str = "2021-01"  # first month it can be adopted, YYYY-MM
    surveillance: float = 0.0  # how much personal data reaches the operator, [0, 1]
    openness: float = 0.0  # open specification and source, [0, 1]; lowers the adoption cost
    verification: str = "offline"  # "online" (issuer's servers see each check) or "offline"
    quality: float = 0.0  # intrinsic utility, any real; zero except in theory cases
    initial_adopters: list[str] = field(default_factory=list)  # ISO3 codes or blocs adopting at launch
    initial_share: float = 0.0  # share of remaining countries, drawn at random, adopting at launch, [0, 1]


@dataclass
class SponsorSpec:
    """A government or bloc that promotes a standard with deals; the key is its id."""

    name: str = ""
    standard: str = ""  # the standard it promotes
    home: list[str] = field(default_factory=list)  # its own countries or blocs
    political_reference: float | None = None  # democracy score it stands for; None = mean of home
    affinity: dict[str, float] = field(default_factory=dict)  # bloc -> extra alignment, >= 0
    budget: float = 0.0  # total incentive it can pay, in utility units, >= 0
    incentive: float = 1.0  # utility offered per deal, >= 0
    deals_per_month: int = 2  # offers per month, >= 0
    duration: int = 12  # months a deal locks the partner in, >= 0
    strategy: str = "travel_partners"  # travel_partners | aligned | influential | random
    targets: list[str] = field(default_factory=list)  # eligible targets (codes or blocs); empty = all
    start: str = ""  # first month of its deal programme; "" = the standard's launch


@dataclass
class EventSpec:
    """A dated change to the world. Which fields matter depends on `type` (docs/ODD.md, Events)."""

    date: str = ""  # YYYY-MM, within the horizon
    type: str = ""  # one of EVENT_TYPES
    standard: str = ""  # launch, endorse, deal_wave, privacy_scandal, adopt
    standards: list[str] = field(default_factory=list)  # bridge: the two standards joined
    countries: list[str] = field(default_factory=list)  # deal_wave, travel_openness, adopt, privacy_scandal
    value: float | None = None  # travel_openness [0, 1]; credential_demand [0, 1]
    surveillance: float | None = None  # privacy_scandal: the standard's new surveillance level, [0, 1]
    concern: float | None = None  # privacy_scandal: multiplier on the countries' privacy concern, >= 0
    incentive: float | None = None  # deal_wave: utility offered; None = the sponsor's incentive
    duration: int | None = None  # deal_wave: months locked in, None = the sponsor's; adopt: None = no lock
    by: str = "WHO"  # endorse and bridge: the multilateral organisation
    note: str = ""  # free text: what happened and the source


@dataclass
class ScenarioParams:
    """What happens when: the calendar, dated events and how the winner is judged."""

    name: str = "custom"
    description: str = ""
    start: str = "2021-01"  # first simulated month
    horizon: int = 36  # number of months, >= 1
    demand: float = 1.0  # initial credential demand, multiplies the network term, [0, 1]
    win_threshold: float = 0.5  # least travel-weighted share for a winner, (0, 1]
    openness: dict[str, float] = field(default_factory=dict)  # country or bloc -> initial openness
    events: dict[str, EventSpec] = field(default_factory=dict)  # name -> event; applied by date


@dataclass
class WorldParams:
    """Which world the countries live in and how travel ties are built."""

    kind: str = "gravity"  # gravity | flows | synthetic
    countries_file: str = ""  # CSV of countries; "" = the embedded dataset
    flows_file: str = ""  # kind=flows: CSV with columns origin, destination, flow
    gdp_exponent: float = 0.8  # gravity: elasticity of travel to GDP of both ends, >= 0
    population_exponent: float = 0.2  # gravity: elasticity to population of both ends, >= 0
    distance_exponent: float = 1.0  # gravity: decay with great-circle distance, >= 0
    min_distance_km: float = 100.0  # gravity: distances below this count as this, > 0
    border_factor: float = 2.0  # gravity: multiplier for a shared land border, >= 1 boosts
    region_factor: float = 1.5  # gravity: multiplier for the same region, >= 1 boosts
    graph: str = "complete"  # synthetic: one of GRAPHS
    n: int = 100  # synthetic: number of countries, >= 2
    mean_degree: float = 6.0  # synthetic: target mean degree (ER, BA, WS, ring), > 0
    rewiring: float = 0.1  # synthetic watts_strogatz: rewiring probability, [0, 1]
    sparse: bool | None = None  # store travel as a sparse matrix; None = when density < 5%


@dataclass
class ModelParams:
    """Everything the model needs besides the world and the random generator."""

    decision: DecisionParams = field(default_factory=DecisionParams)
    pair_deals: PairDealParams = field(default_factory=PairDealParams)
    standards: dict[str, StandardSpec] = field(default_factory=dict)
    sponsors: dict[str, SponsorSpec] = field(default_factory=dict)
    scenario: ScenarioParams = field(default_factory=ScenarioParams)

    def validate(self) -> ModelParams:
        """Check ranges and cross-references that types alone cannot; raise ConfigError."""
        d = self.decision
        _check(d.rationality >= 0 and not math.isnan(d.rationality), "decision.rationality", d.rationality,
               ">= 0 (inf for best response)")
        _unit(d.revision_rate, "decision.revision_rate")
        _choice(d.update, "decision.update", UPDATES)
        _choice(d.kernel, "decision.kernel", KERNELS)
        _choice(d.choice_rule, "decision.choice_rule", CHOICE_RULES)
        for key in ("network_weight", "alignment_weight", "political_similarity", "deal_alignment",
                    "privacy_weight", "adoption_cost", "endorsement_weight", "switching_cost"):
            _nonneg(getattr(d, key), f"decision.{key}")
        _unit(d.openness_discount, "decision.openness_discount")
        _unit(d.wealth_discount, "decision.wealth_discount")
        p = self.pair_deals
        _unit(p.rate, "pair_deals.rate")
        _unit(p.min_travel, "pair_deals.min_travel")
        _nonneg(p.recognition_privacy, "pair_deals.recognition_privacy")
        _nonneg(p.max_per_month, "pair_deals.max_per_month")
        if not self.standards:
            raise ConfigError("standards: at least one standard is required")
        for sid, s in self.standards.items():
            _check(re.fullmatch(r"[a-z][a-z0-9_]*", sid) is not None and sid not in (NONE, "all"),
                   f"standards.{sid}", sid, "a lower-case id (letters, digits, _), not 'none' or 'all'")
            _month(s.launch, f"standards.{sid}.launch")
            _unit(s.surveillance, f"standards.{sid}.surveillance")
            _unit(s.openness, f"standards.{sid}.openness")
            _unit(s.initial_share, f"standards.{sid}.initial_share")
            _choice(s.verification, f"standards.{sid}.verification", VERIFICATION)
            if s.sponsor and s.sponsor not in self.sponsors:
                raise ConfigError(f"standards.{sid}.sponsor: unknown sponsor '{s.sponsor}'; "
                                  f"known: {sorted(self.sponsors)}")
        for key, sp in self.sponsors.items():
            self.require_standard(sp.standard, f"sponsors.{key}.standard")
            for name in ("budget", "incentive", "deals_per_month", "duration"):
                _nonneg(getattr(sp, name), f"sponsors.{key}.{name}")
            _choice(sp.strategy, f"sponsors.{key}.strategy", STRATEGIES)
            if sp.start:
                _month(sp.start, f"sponsors.{key}.start")
            for bloc, w in sp.affinity.items():
                _nonneg(w, f"sponsors.{key}.affinity.{bloc}")
        sc = self.scenario
        _month(sc.start, "scenario.start")
        _check(sc.horizon >= 1, "scenario.horizon", sc.horizon, ">= 1 month")
        _unit(sc.demand, "scenario.demand")
        _check(0 < sc.win_threshold <= 1, "scenario.win_threshold", sc.win_threshold, "in (0, 1]")
        for c, v in sc.openness.items():
            _unit(v, f"scenario.openness.{c}")
        for name, ev in sc.events.items():
            self._validate_event(ev, f"scenario.events.{name}")
        return self

    def launch_month(self, sid: str) -> str:
        """The month a standard launches: a launch event's date if any, else its own launch."""
        dates = [ev.date for ev in self.scenario.events.values() if ev.type == "launch" and ev.standard == sid]
        return dates[0] if dates else self.standards[sid].launch

    def require_standard(self, sid: str, key: str) -> None:
        if sid not in self.standards:
            raise ConfigError(f"{key}: unknown standard '{sid}'; known: {sorted(self.standards)}")

    def _validate_event(self, ev: EventSpec, key: str) -> None:
        _choice(ev.type, f"{key}.type", EVENT_TYPES)
        _month(ev.date, f"{key}.date")
        step = months_between(self.scenario.start, ev.date)
        if not 0 <= step < self.scenario.horizon:
            last = add_months(self.scenario.start, self.scenario.horizon - 1)
            raise ConfigError(f"{key}.date: {ev.date} is outside the horizon "
                              f"{self.scenario.start}..{last}")
        if ev.type in ("launch", "endorse", "deal_wave", "adopt") or (
                ev.type == "privacy_scandal" and ev.surveillance is not None):
            self.require_standard(ev.standard, f"{key}.standard")
        if ev.type in ("adopt", "deal_wave"):
            launch = self.launch_month(ev.standard)
            if months_between(launch, ev.date) < 0:
                raise ConfigError(f"{key}.date: {ev.date} is before {ev.standard}'s launch {launch}; "
                                  "countries can only adopt a launched standard")
        if ev.type == "deal_wave" and not self.standards[ev.standard].sponsor:
            raise ConfigError(f"{key}.standard: '{ev.standard}' has no sponsor to offer deals")
        if ev.type == "bridge":
            if len(ev.standards) != 2:
                raise ConfigError(f"{key}.standards: a bridge joins exactly two standards, got {ev.standards}")
            for s in ev.standards:
                self.require_standard(s, f"{key}.standards")
        if ev.type in ("travel_openness", "credential_demand"):
            if ev.value is None:
                raise ConfigError(f"{key}.value: required for a {ev.type} event, in [0, 1]")
            _unit(ev.value, f"{key}.value")
        if ev.type == "travel_openness" and not ev.countries:
            raise ConfigError(f"{key}.countries: a travel_openness event needs countries or blocs")
        if ev.type == "privacy_scandal":
            if ev.surveillance is None and ev.concern is None:
                raise ConfigError(f"{key}: a privacy_scandal sets surveillance (with standard) or concern")
            if ev.surveillance is not None:
                _unit(ev.surveillance, f"{key}.surveillance")
            if ev.concern is not None:
                _nonneg(ev.concern, f"{key}.concern")
        for name in ("incentive", "duration"):
            if getattr(ev, name) is not None:
                _nonneg(getattr(ev, name), f"{key}.{name}")


def validate_world(w: WorldParams) -> WorldParams:
    _choice(w.kind, "world.kind", WORLD_KINDS)
    _choice(w.graph, "world.graph", GRAPHS)
    for key in ("gdp_exponent", "population_exponent", "distance_exponent", "border_factor", "region_factor"):
        _nonneg(getattr(w, key), f"world.{key}")
    _check(w.min_distance_km > 0, "world.min_distance_km", w.min_distance_km, "> 0")
    _check(w.n >= 2, "world.n", w.n, ">= 2")
    _check(w.mean_degree > 0, "world.mean_degree", w.mean_degree, "> 0")
    _unit(w.rewiring, "world.rewiring")
    if w.kind == "flows" and not w.flows_file:
        raise ConfigError("world.flows_file: required when world.kind=flows (CSV: origin,destination,flow)")
    return w


def month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def months_between(start: str, month: str) -> int:
    return month_index(month) - month_index(start)


def add_months(start: str, k: int) -> str:
    idx = month_index(start) + k
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def _check(ok: bool, key: str, value, allowed: str) -> None:
    if not ok:
        raise ConfigError(f"{key} = {value!r}: must be {allowed}")


def _unit(value: float, key: str) -> None:
    _check(value is not None and 0.0 <= value <= 1.0, key, value, "in [0, 1]")


def _nonneg(value: float, key: str) -> None:
    _check(value is not None and value >= 0 and not math.isnan(value), key, value, ">= 0")


def _choice(value: str, key: str, allowed: tuple[str, ...]) -> None:
    _check(value in allowed, key, value, f"one of {', '.join(allowed)}")


def _month(value: str, key: str) -> None:
    _check(isinstance(value, str) and _MONTH.match(value) is not None, key, value, "a month 'YYYY-MM'")
