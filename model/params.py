"""Typed parameters of the model, each with its unit, valid bounds, plausible range and argument.

Plain dataclasses: the model takes these, never an OmegaConf object. `experiments/` registers the
same classes with Hydra's ConfigStore, so a YAML typo or a wrong type fails when the config is
composed; `ModelParams.validate()` then checks every number (finite, in bounds, NaN refused) and
every cross-reference, with the full key in each message (`model/schema.py`).

Units. Utilities are in logit units: a difference of 1 multiplies the odds of a choice by
e^rationality. `decision.network_weight` is the numeraire: the utility of having all of a
country's travel accept its credential. Levers a policy analyst turns are in units they
recognise: incentives and budgets in set-up costs (a share of the target's own adoption cost),
endorsement and platform effects as an equivalent share of travel accepted. Shares and
probabilities are in [0, 1]; dates are "YYYY-MM" months.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .schema import (
    ConfigError,
    ParamInfo,
    add_months,
    check_choice,
    check_fields,
    check_month,
    check_number,
    locate_info,
    month_index,
    months_between,
    param,
)

__all__ = ["ConfigError", "DecisionParams", "EventSpec", "ModelParams", "OrganisationSpec", "PairDealParams",
           "ScenarioParams", "SponsorSpec", "StandardSpec", "VaccineParams", "WinRule", "WorldParams", "add_months",
           "describe", "month_index", "months_between"]

NONE = "none"  # the outside option: paper or national-only certificates
NONE_NAME = "None (paper or national-only)"
UPDATES = ("random_sequential", "simultaneous")
KERNELS = ("vectorised", "agents")
CHOICE_RULES = ("logit", "linear")
STRATEGIES = ("travel_partners", "aligned", "influential", "random")
VERIFICATION = ("online", "offline")
WORLD_KINDS = ("gravity", "flows", "synthetic")
GRAPHS = ("complete", "erdos_renyi", "barabasi_albert", "watts_strogatz", "ring_lattice", "lattice_2d")
PAIR_DEAL_KINDS = ("mutual", "standard")
WIN_MEASURES = ("acceptance_reach", "travel_share", "credentialled_share")
DEMAND_SCHEDULES = ("events", "travel_controls")
CLAIM_OUTCOMES = (*WIN_MEASURES, "foreign_adopters", "adopters", "win", "fragmentation", "interoperability",
                  "platform_members")
DIRECTIONS = ("up", "down")
MAX_HORIZON = 1200  # months (a century): longer horizons are refused before anything is allocated
MAX_COUNTRIES = 1_000_000  # the largest world; counts of countries (offers, deals a month) stop here too
# Utility weights and qualities stop here, so every utility stays a finite float whatever the other
# values (an infinite term would make the choice NaN): a million logit units is far beyond any
# preference they express (plausible values are below 10).
MAX_WEIGHT = 1e6


def option_names(standards: Mapping[str, Any]) -> dict[str, str]:
    """Display name of each option a country can end on: "none" first, then each standard by its
    name (by its id when it has none)."""
    return {NONE: NONE_NAME, **{sid: s.name or sid for sid, s in standards.items()}}

_UTILITY = "utility (logit units)"


@dataclass
class DecisionParams:
    """How a country values each standard and chooses among them (docs/ODD.md 7.2-7.4)."""

    rationality: float = param(
        4.0, label="rationality (logit λ)", unit="1 / utility", low=0.0, allow_inf=True, plausible=(1.0, 10.0),
        why="λ = 4 makes a utility gap of 1 a 55:1 odds; below 1 choices are near random, above 10 near best "
            "response. Theory cases use 0.25 to inf.")
    revision_rate: float = param(
        0.1, label="revision rate", unit="probability a month", low=0.0, high=1.0, plausible=(0.03, 0.2),
        why="governments revisited travel-credential policy a few times a year in 2021-22; calibrated 0.05-0.12")
    update: str = "random_sequential"  # "random_sequential" (Mesa shuffle_do) or "simultaneous"
    kernel: str = "vectorised"  # "vectorised" (model-owned arrays) or "agents" (per-agent Python loops)
    choice_rule: str = "logit"  # "logit", or "linear" (P proportional to max(U, 0): the Polya-urn limit)
    adopters_revise: bool = True  # False: a country that issues a standard never revises (deals aside)
    network_weight: float = param(
        4.0, label="network weight", unit="utility (all travel accepted)", low=0.0, high=MAX_WEIGHT,
        plausible=(2.0, 8.0),
        why="the numeraire; calibrated against the EU DCC's growth (3.5-5 fit the record)")
    alignment_weight: float = param(
        1.0, label="alignment weight", unit="utility per alignment", low=0.0, high=MAX_WEIGHT, plausible=(0.0, 2.0),
        why="a home country (alignment 1) then values its sponsor's standard like a quarter of its travel "
            "accepted; 0 removes politics")
    political_similarity: float = param(
        1.0, label="political similarity", unit="alignment", low=0.0, high=MAX_WEIGHT,
        plausible=(0.0, 2.0), why="alignment from democracy-score similarity (EIU 0-10), on the scale of bloc "
                                  "membership")
    deal_alignment: float = param(
        0.5, label="deal alignment", unit="alignment per deal", low=0.0, high=MAX_WEIGHT, plausible=(0.0, 1.0),
        why="a signed deal binds politically, at most as much as bloc membership")
    privacy_weight: float = param(
        2.0, label="privacy weight", unit="utility (surveillance 1, concern 1)", low=0.0, high=MAX_WEIGHT,
        plausible=(0.5, 4.0),
        why="at 2 (with network weight 4) a central, location-reporting credential costs a full democracy "
            "as much as losing 45% of its travel acceptance; below 0.5 privacy would not have mattered in "
            "the 2021 debates, above 4 no democracy would issue any online credential")
    verification_privacy: float = param(
        2.0, label="verification privacy", unit="utility (surveillance 1, concern 1)", low=0.0, high=MAX_WEIGHT,
        plausible=(0.5, 4.0),
        why="the cost of verifying credentials through an online operator that sees each check (recognising "
            "a partner's online standard, joining a platform); same scale as privacy_weight")
    adoption_cost: float = param(
        2.0, label="adoption cost", unit="utility (closed standard, poorest country)",
        low=0.0, high=MAX_WEIGHT, plausible=(2.0, 8.0),
        why="calibrated (about 4-6 fit the record); the set-up is sunk once adopted")
    openness_discount: float = param(
        0.5, label="openness discount", unit="share of the set-up cost", low=0.0,
        high=1.0, plausible=(0.25, 0.75), why="open specifications and source (DIVOC, EU DCC) cut, not remove, "
                                                "integration work")
    wealth_discount: float = param(
        0.5, label="wealth discount", unit="share of the set-up cost", low=0.0,
        high=1.0, plausible=(0.25, 0.75), why="rich states had digital-ID and vaccination registries to build on")
    endorsement_value: float = param(
        0.05, label="endorsement value", unit="share of travel accepted", low=0.0, high=1.0,
        plausible=(0.0, 0.15),
        why="an endorsement changes no border rule: it is worth at most a small share of acceptance (legitimacy, "
            "easier procurement); the WHO's structural route is its platform, not this bonus")
    switching_cost: float = param(
        1.0, label="switching cost", unit=_UTILITY, low=0.0, high=MAX_WEIGHT, plausible=(0.0, 2.0),
        why="re-issuing certificates and re-training verifiers; below the set-up cost of a new standard")


@dataclass
class PairDealParams:
    """Country-to-country deals: mutual recognition, or a deal on one side's standard (ODD 7.6)."""

    enabled: bool = True
    kinds: list[str] = field(default_factory=lambda: list(PAIR_DEAL_KINDS))  # which kinds pairs may sign
    rate: float = param(
        0.05, label="pair-deal rate", unit="probability a month", low=0.0, high=1.0,
        plausible=(0.0, 0.2), why="Israel signed with two of its top partners within months of launch")
    min_travel: float = param(
        0.02, label="pair-deal tie", unit="share of travel", low=0.0, high=1.0, plausible=(0.01, 0.1),
        why="only strongly tied pairs (a few percent of either side's travel) negotiate")
    max_per_month: int = param(
        5, label="pair deals per month", unit="deals", low=0, high=MAX_COUNTRIES, integer=True,
        plausible=(0, 10),
        why="bilateral health-travel agreements came a handful a month in 2021")
    duration: int = param(
        12, label="standard-deal lock-in", unit="months", low=0, high=MAX_HORIZON, integer=True,
        plausible=(6, 24),
        why="a partner that adopts a standard by treaty keeps it at least a year")


@dataclass
class VaccineParams:
    """The vaccine gate: a destination accepts a credential only for vaccines it recognises (ODD 7.1)."""

    gate: bool = True  # False: every destination recognises every vaccine
    reliance: dict[str, float] = field(default_factory=lambda: {"chinese": 1.0, "russian": 1.0, "other": 1.0})
    # gated vaccine group -> weight on the data's share of a country's vaccine products in that group,
    # taken as the share of its travellers holding such a vaccine, [0, 1] (model/facts.py)


OPENNESS_INFO = ParamInfo(
    "border openness", "0 closed - 1 open", 0.0, 1.0, plausible=(0.0, 1.0),
    why="the share of normal inbound travel a country admits; China about 0.1 until January 2023")

RELIANCE_INFO = ParamInfo(
    "vaccine reliance", "weight on the share of a country's vaccine products in the group", 0.0, 1.0,
    plausible=(0.5, 1.0),
    why="the share of products (OWID, 2021-06-15) tracks the share of doses where both are known (Hungary: "
        "1/6 Sinopharm and 1/6 Sputnik by product, about 15% and 14% of doses; Turkey 1/2 Sinovac, about half); "
        "below 0.5 would deny the gate the record shows")


@dataclass
class StandardSpec:
    """A credential standard; the key in `standards:` is its id."""

    name: str = ""
    sponsor: str = ""  # id of a sponsor in `sponsors:`, or "" for none (ICAO, say)
    launch: str = "2021-01"  # first month it can be adopted, YYYY-MM
    surveillance: float = param(
        0.0, label="surveillance", unit="0-1", low=0.0, high=1.0, plausible=(0.0, 1.0),
        why="0 = an offline signature check, nothing reaches the operator; 1 = every check and the bearer's "
            "location reach a central server (design documents of each standard, configs/standards)")
    openness: float = param(
        0.0, label="openness", unit="0-1", low=0.0, high=1.0, plausible=(0.0, 1.0),
        why="published specification (EU DCC, VDS-NC), open source (DIVOC), closed (China's certificate)")
    verification: str = "offline"  # "online" (issuer's servers see each check) or "offline"
    quality: float = param(
        0.0, label="intrinsic quality", unit=_UTILITY, low=-MAX_WEIGHT, high=MAX_WEIGHT,
        plausible=(0.0, 0.0),
        why="zero outside theory cases: no standard was intrinsically better for travel")
    initial_adopters: list[str] = field(default_factory=list)  # ISO3 codes or blocs adopting at launch
    initial_share: float = param(
        0.0, label="initial share", unit="share of countries", low=0.0, high=1.0,
        plausible=(0.0, 1.0), why="theory cases only")


@dataclass
class SponsorSpec:
    """A government or bloc that promotes a standard; the key is its id (ODD 7.5)."""

    name: str = ""
    standard: str = ""  # the standard it promotes
    home: list[str] = field(default_factory=list)  # its own countries or blocs: not "foreign" adopters
    political_reference: float | None = param(
        None, label="political reference", unit="EIU democracy score 0-10", low=0.0, high=10.0,
        plausible=(0.0, 10.0), why="None: the mean score of its home")
    affinity: dict[str, float] = field(default_factory=dict)  # bloc -> extra alignment, >= 0
    budget: float = param(
        0.0, label="deal budget", unit="set-up costs", low=0.0, high=1e9,
        plausible=(0.0, 100.0),
        why="about 50 equivalence decisions by the EU; a Belt and Road programme of that order")
    incentive: float = param(
        1.0, label="deal incentive", unit="share of the target's set-up cost", low=0.0,
        high=10.0, plausible=(0.0, 1.5),
        why="paying the whole set-up (1) is what a sponsor can plausibly offer; up to 1.5 with sweeteners "
            "such as vaccine doses")
    deals_per_month: int = param(
        2, label="deals per month", unit="offers", low=0, high=MAX_COUNTRIES, integer=True, plausible=(0, 6),
        why="the Commission adopted a few equivalence decisions a month in late 2021")
    duration: int = param(
        12, label="deal lock-in", unit="months", low=0, high=MAX_HORIZON, integer=True, plausible=(6, 24),
        why="incentive deals of a year or two")
    strategy: str = "travel_partners"  # travel_partners | aligned | influential | random
    targets: list[str] = field(default_factory=list)  # eligible targets (codes or blocs); empty = all
    start: str = ""  # first month of its deal programme; "" = the standard's launch
    accession_per_month: int = param(
        0, label="accessions per month", unit="equivalence decisions", low=0, high=MAX_COUNTRIES, integer=True,
        plausible=(0, 6),
        why="0 = no open trust network; the EU connected about 48 third countries in two years (2-4 a month "
            "at its peak)")
    accession_start: str = ""  # first month it admits accessions; "" = its programme's start
    excluded: list[str] = field(default_factory=list)  # countries or blocs it will not admit (sanctions)


@dataclass
class OrganisationSpec:
    """A multilateral organisation (the WHO) that can host a standard as its platform (ODD 7.7)."""

    name: str = ""
    excluded: list[str] = field(default_factory=list)  # countries or blocs that cannot join (not members)
    join_cost: float = param(
        0.02, label="platform joining cost", unit="share of travel accepted", low=0.0, high=1.0,
        plausible=(0.0, 0.1), why="onboarding keys and verifier apps to a trust registry: small next to travel")
    setup_discount: float = param(
        0.9, label="platform set-up discount", unit="share of the set-up cost", low=0.0,
        high=1.0, plausible=(0.5, 1.0),
        why="a platform that issues on a member's behalf (China offered to build and run the global database "
            "within a week) spares nearly all of the set-up; the member still registers its vaccinations")


@dataclass
class EventSpec:
    """A dated change to the world. Which fields matter depends on `type` (model/events.py)."""

    date: str = ""  # YYYY-MM, within the horizon
    type: str = ""  # one of model.events.EVENT_TYPES
    enabled: bool = True  # false: the event is kept in the config but does not happen
    standard: str = ""  # the standard concerned
    standards: list[str] = field(default_factory=list)  # bridge: the two standards joined
    countries: list[str] = field(default_factory=list)  # the countries or blocs concerned
    value: float | None = None  # travel_openness, credential_demand: the new level, [0, 1]
    surveillance: float | None = None  # privacy_scandal: the standard's new surveillance level, [0, 1]
    concern: float | None = None  # privacy_scandal: multiplier on the countries' privacy concern, >= 0
    incentive: float | None = None  # deal_wave: share of the adoption cost offered; None = the sponsor's
    duration: int | None = None  # deal_wave: months locked in, None = the sponsor's; adopt: None = no lock
    until: str = ""  # treaty: last month the law binds, YYYY-MM
    group: str = ""  # vaccine_approval: the vaccine group approved
    by: str = "WHO"  # endorse, bridge, host_platform: the organisation
    issuers_join: bool = True  # host_platform: every country issuing the standard joins at once
    note: str = ""  # free text: what happened and the source


@dataclass
class WinRule:
    """When a standard has won internationalisation (ODD 7.8): stated in the config and in summary.json."""

    measure: str = "acceptance_reach"  # acceptance_reach | travel_share | credentialled_share
    threshold: float = param(
        0.4, label="win threshold", unit="share of the measure", low=0.0, high=1.0, low_open=True,
        plausible=(0.3, 0.5),
        why="above what any sponsor's home bloc carries on its own (the EEA about 30% of world trips, China "
            "16%, the US 11%): winning takes recognition well beyond home")
    lead: float = param(
        1.5, label="win lead", unit="x runner-up", low=1.0, high=1e6, plausible=(1.25, 2.5),
        why="a winner clearly leads, accepted on half as many trips again as any rival; two standards "
            "bridged or level with each other share the field")
    month: str = ""  # judged at this month; "" = the last month


@dataclass
class ClaimSpec:
    """The effect a scenario claims against its baseline, checked by tests/test_scenario_claims.py."""

    outcome: str = ""  # one of CLAIM_OUTCOMES
    standard: str = ""  # the standard it concerns ("" for fragmentation, interoperability)
    direction: str = "up"  # up | down
    month: str = ""  # the month it is read at; "" = the win rule's month
    against: str = "historical_2021"  # the baseline scenario
    note: str = ""


@dataclass
class ScenarioParams:
    """What happens when: the calendar, dated events, how the winner is judged, what is claimed."""

    name: str = "custom"
    description: str = ""
    start: str = "2021-01"  # first simulated month
    horizon: int = param(
        36, label="horizon", unit="months", low=1, high=MAX_HORIZON, integer=True, plausible=(12, 60),
        why="2021-01 to 2023-12 for the record")
    demand: float = param(
        1.0, label="credential demand", unit="0-1", low=0.0, high=1.0, plausible=(0.0, 1.0),
        why="0 = no border asks for a credential, 1 = every border does; scales the network term")
    demand_schedule: str = "events"  # "events" (demand, then credential_demand events) or "travel_controls"
    demand_fade: float = param(
        0.2, label="demand fade", unit="share of demand lost a month",
        low=0.0, high=1.0, plausible=(0.05, 0.4),
        why="OxCGRT C8 ends 2022-04, falling about 7% of its 2021 level a month; by late 2022 most borders "
            "asked for nothing (calibrated)")
    win: WinRule = field(default_factory=WinRule)
    openness: dict[str, float] = field(default_factory=dict)  # country or bloc -> initial openness, [0, 1]
    events: dict[str, EventSpec] = field(default_factory=dict)  # name -> event; applied by date
    claims: list[ClaimSpec] = field(default_factory=list)


@dataclass
class WorldParams:
    """Which world the countries live in and how travel ties are built."""

    kind: str = "gravity"  # gravity | flows | synthetic
    countries_file: str = ""  # CSV of countries; "" = the embedded dataset
    flows_file: str = ""  # kind=flows: CSV with columns origin, destination, flow
    gdp_exponent: float = param(0.8, label="gravity: GDP exponent", unit="elasticity", low=0.0, high=5.0,
                                plausible=(0.5, 1.0), why="gravity models of tourism flows estimate 0.5-1")
    population_exponent: float = param(0.2, label="gravity: population exponent", unit="elasticity", low=0.0,
                                       high=5.0, plausible=(0.0, 0.5), why="population adds little beyond GDP")
    distance_exponent: float = param(1.0, label="gravity: distance exponent", unit="elasticity", low=0.0, high=5.0,
                                     plausible=(0.5, 1.5), why="the classic distance decay of about 1")
    min_distance_km: float = param(100.0, label="gravity: least distance", unit="km", low=0.0, high=20000.0,
                                   low_open=True, plausible=(50.0, 500.0), why="neighbouring capitals")
    border_factor: float = param(2.0, label="gravity: border factor", unit="multiplier", low=0.0, high=100.0,
                                 plausible=(1.0, 4.0), why="land borders carry day trips and transit")
    region_factor: float = param(1.5, label="gravity: region factor", unit="multiplier", low=0.0, high=100.0,
                                 plausible=(1.0, 3.0), why="travel within a region beyond distance")
    graph: str = "complete"  # synthetic: one of GRAPHS
    n: int = param(100, label="countries", unit="countries", low=2, high=MAX_COUNTRIES, integer=True,
                   plausible=(10, 10_000), why="synthetic worlds for theory")
    mean_degree: float = param(6.0, label="mean degree", unit="ties per country", low=0.0, low_open=True,
                               high=1_000_000, plausible=(1.0, 50.0), why="synthetic worlds for theory")
    rewiring: float = param(0.1, label="rewiring", unit="probability", low=0.0, high=1.0, plausible=(0.0, 1.0),
                            why="Watts-Strogatz small world")
    sparse: bool | None = None  # store travel as a sparse matrix; None = when density < 5%


@dataclass
class ModelParams:
    """Everything the model needs besides the world and the random generator."""

    decision: DecisionParams = field(default_factory=DecisionParams)
    pair_deals: PairDealParams = field(default_factory=PairDealParams)
    vaccines: VaccineParams = field(default_factory=VaccineParams)
    standards: dict[str, StandardSpec] = field(default_factory=dict)
    sponsors: dict[str, SponsorSpec] = field(default_factory=dict)
    organisations: dict[str, OrganisationSpec] = field(default_factory=dict)
    scenario: ScenarioParams = field(default_factory=ScenarioParams)

    def validate(self) -> ModelParams:
        """Check every number and every cross-reference; raise ConfigError naming the key."""
        from .events import validate_event

        d = self.decision
        check_fields(d, "decision")
        check_choice(d.update, "decision.update", UPDATES)
        check_choice(d.kernel, "decision.kernel", KERNELS)
        check_choice(d.choice_rule, "decision.choice_rule", CHOICE_RULES)
        p = self.pair_deals
        check_fields(p, "pair_deals")
        for kind in p.kinds:
            check_choice(kind, "pair_deals.kinds", PAIR_DEAL_KINDS)
        for group, share in self.vaccines.reliance.items():
            check_number(share, RELIANCE_INFO, f"vaccines.reliance.{group}")
        if not self.standards:
            raise ConfigError("standards: at least one standard is required")
        for sid, s in self.standards.items():
            key = f"standards.{sid}"
            if not (sid.isidentifier() and sid == sid.lower() and sid not in (NONE, "all")):
                raise ConfigError(f"{key}: '{sid}' must be a lower-case id (letters, digits, _), not 'none' or 'all'")
            check_fields(s, key)
            check_month(s.launch, f"{key}.launch")
            check_choice(s.verification, f"{key}.verification", VERIFICATION)
            if s.sponsor and s.sponsor not in self.sponsors:
                raise ConfigError(f"{key}.sponsor: unknown sponsor '{s.sponsor}'; known: {sorted(self.sponsors)}")
        for key, sp in self.sponsors.items():
            where = f"sponsors.{key}"
            self.require_standard(sp.standard, f"{where}.standard")
            check_fields(sp, where)
            check_choice(sp.strategy, f"{where}.strategy", STRATEGIES)
            for name in ("start", "accession_start"):
                if getattr(sp, name):
                    check_month(getattr(sp, name), f"{where}.{name}")
            launch = self.launch_month(sp.standard)
            if sp.start and months_between(launch, sp.start) < 0:
                raise ConfigError(f"{where}.start: {sp.start} is before {sp.standard}'s launch {launch}")
            for bloc, w in sp.affinity.items():
                check_number(w, ParamInfo("affinity", "alignment", 0.0, MAX_WEIGHT), f"{where}.affinity.{bloc}")
        for key, org in self.organisations.items():
            check_fields(org, f"organisations.{key}")
        sc = self.scenario
        check_fields(sc, "scenario")
        check_month(sc.start, "scenario.start")
        last = add_months(sc.start, sc.horizon - 1)
        check_month(last, "scenario.horizon (its last month)")
        check_choice(sc.demand_schedule, "scenario.demand_schedule", DEMAND_SCHEDULES)
        if sc.demand_schedule == "travel_controls":
            clash = [name for name, ev in sc.events.items() if ev.enabled and ev.type == "credential_demand"]
            if clash:
                raise ConfigError(f"scenario.events.{clash[0]}: scenario.demand_schedule=travel_controls sets demand "
                                  "every month; disable credential_demand events or use demand_schedule=events")
        check_fields(sc.win, "scenario.win")
        check_choice(sc.win.measure, "scenario.win.measure", WIN_MEASURES)
        if sc.win.month:
            self.check_in_horizon(sc.win.month, "scenario.win.month")
        for c, v in sc.openness.items():
            check_number(v, OPENNESS_INFO, f"scenario.openness.{c}")
        for name, ev in sc.events.items():
            validate_event(self, ev, f"scenario.events.{name}")
        for k, claim in enumerate(sc.claims):
            self._validate_claim(claim, f"scenario.claims[{k}]")
        return self

    def launch_month(self, sid: str) -> str:
        """The month a standard launches: an enabled launch event's date if any, else its own launch."""
        dates = [ev.date for ev in self.scenario.events.values()
                 if ev.enabled and ev.type == "launch" and ev.standard == sid]
        return dates[0] if dates else self.standards[sid].launch

    def require_standard(self, sid: str, key: str) -> None:
        if sid not in self.standards:
            raise ConfigError(f"{key}: unknown standard '{sid}'; known: {', '.join(self.standards)}")

    def require_organisation(self, org: str, key: str) -> None:
        if org not in self.organisations:
            known = ", ".join(self.organisations) or "none declared (add one under organisations:)"
            raise ConfigError(f"{key}: unknown organisation '{org}'; known: {known}")

    def check_in_horizon(self, month: str, key: str) -> int:
        """The month's step; ConfigError unless it falls inside the scenario's horizon."""
        check_month(month, key)
        sc = self.scenario
        step = months_between(sc.start, month)
        if not 0 <= step < sc.horizon:
            last = add_months(sc.start, sc.horizon - 1)
            raise ConfigError(f"{key}: {month} is outside the horizon {sc.start}..{last}")
        return step

    def _validate_claim(self, claim: ClaimSpec, key: str) -> None:
        check_choice(claim.outcome, f"{key}.outcome", CLAIM_OUTCOMES)
        check_choice(claim.direction, f"{key}.direction", DIRECTIONS)
        if claim.outcome not in ("fragmentation", "interoperability", "platform_members"):
            self.require_standard(claim.standard, f"{key}.standard")
        if claim.month:
            self.check_in_horizon(claim.month, f"{key}.month")


def validate_world(w: WorldParams) -> WorldParams:
    check_fields(w, "world")
    check_choice(w.kind, "world.kind", WORLD_KINDS)
    check_choice(w.graph, "world.graph", GRAPHS)
    if w.kind == "flows" and not w.flows_file:
        raise ConfigError("world.flows_file: required when world.kind=flows (CSV: origin,destination,flow)")
    if w.flows_file and w.kind != "flows":
        raise ConfigError(f"world.flows_file: set, but world.kind={w.kind} does not read it; "
                          "use world.kind=flows or leave world.flows_file empty")
    if w.countries_file and w.kind == "synthetic":
        raise ConfigError("world.countries_file: set, but a synthetic world does not read it; "
                          "use world.kind=gravity or flows, or leave world.countries_file empty")
    return w


def describe(key: str) -> ParamInfo | None:
    """Label, unit, bounds and plausible range of a dotted key (`decision.privacy_weight`,
    `standards.eu_dcc.surveillance`, `sponsors.china.budget`, `world.n`); None if it has none."""
    if key.startswith("world."):
        return locate_info(WorldParams, key.removeprefix("world."))[2]
    if key.startswith("vaccines.reliance."):
        return RELIANCE_INFO
    if key.startswith("scenario.openness."):
        return dataclasses.replace(OPENNESS_INFO, label=f"{key.rsplit('.', 1)[1]} border openness")
    return locate_info(ModelParams, key)[2]


def outside_plausible(params: ModelParams, world: WorldParams | None = None) -> list[str]:
    """Every set number that lies outside its documented plausible range, as 'key = value (range)'."""
    out: list[str] = []

    def visit(obj, prefix: str) -> None:
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            info = f.metadata.get("info")
            key = f"{prefix}.{f.name}"
            if dataclasses.is_dataclass(value):
                visit(value, key)
            elif isinstance(value, dict):
                for name, item in value.items():
                    if dataclasses.is_dataclass(item):
                        visit(item, f"{key}.{name}")
            elif info is not None and info.plausible and isinstance(value, (int, float)) and not isinstance(
                    value, bool):
                lo, hi = info.plausible
                if not lo <= value <= hi:
                    out.append(f"{key} = {value:g} (plausible {lo:g}-{hi:g})")

    for name in ("decision", "pair_deals", "standards", "sponsors", "organisations", "scenario"):
        value = getattr(params, name)
        if isinstance(value, dict):
            for sub, item in value.items():
                visit(item, f"{name}.{sub}")
        else:
            visit(value, name)
    for group, share in params.vaccines.reliance.items():
        lo, hi = RELIANCE_INFO.plausible
        if not lo <= share <= hi:
            out.append(f"vaccines.reliance.{group} = {share:g} (plausible {lo:g}-{hi:g})")
    if world is not None and world.kind != "synthetic":
        visit(world, "world")
    return out
