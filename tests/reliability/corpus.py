"""The bad-input corpus: what a user might type or hand over, and what the command must answer.

A case is a command (run, sweep or record), its arguments, the files it reads, and the fragments
the one `error:` line must contain: the key or file, and what is allowed. `{in}` in an argument is
the folder holding the case's files. test_corpus.py runs each case and checks the exit status,
the single line, and that nothing on disk was created or touched.

Numeric keys are generated from their `param(...)` declarations (model/params.py), so a new
parameter is in the corpus the day it is declared; everything else is written out by hand.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from model.params import (
    RELIANCE_INFO,
    DecisionParams,
    OrganisationSpec,
    PairDealParams,
    ScenarioParams,
    SponsorSpec,
    StandardSpec,
    WinRule,
    WorldParams,
)
from model.schema import ParamInfo

from .conftest import QUIET_SWEEP

# A theory world that builds in milliseconds: 12 identical countries, 4 months.
TINY = ("scenario=symmetric_lock_in", "world.n=12", "scenario.horizon=4")
HISTORICAL = ()  # the default experiment: the embedded world, real standards, sponsors and the WHO


@dataclass(frozen=True)
class Case:
    id: str
    command: str  # run | sweep | record
    args: tuple[str, ...]
    fragments: tuple[str, ...]  # each must be in the error line (case-insensitive)
    files: dict[str, bytes | Callable[[], bytes]] = field(default_factory=dict, hash=False)  # written to {in}
    exit: int = 2


CASES: list[Case] = []


def case(id: str, command: str, args, fragments, files=None, exit: int = 2) -> None:
    assert all(c.id != id for c in CASES), id
    CASES.append(Case(id, command, tuple(args), tuple(fragments), dict(files or {}), exit))


def run(id, args, fragments, files=None, base=TINY):
    case(id, "run", [*base, *args], fragments, files)


# ---------------------------------------------------------------- every numeric key


def bad_values(info: ParamInfo) -> dict[str, str]:
    """Override values a declared number must refuse: NaN, infinities, below and above its valid
    bounds (negative, too large), and the wrong type."""
    out = {"nan": "nan", "inf": "inf", "minus_inf": "-inf"}
    if info.allow_inf:
        del out["inf"]  # +inf is a valid value (best response)
    if info.low is not None:
        below = info.low if info.low_open else info.low - 1
        out["below"] = str(int(below)) if info.integer else repr(float(below))
    if info.high is not None:
        out["above"] = str(int(info.high) + 1) if info.integer else repr(float(info.high) * 2 + 1)
        out["huge"] = str(10**300) if info.integer else "1e300"
    out["wrong_type"] = "2.5" if info.integer else "abc"
    return out


def expected(key: str, info: ParamInfo, variant: str) -> tuple[str, ...]:
    """What the line must name: the key, and what is allowed (the schema's type, or the valid bounds)."""
    if variant == "wrong_type" or info.integer and variant in ("nan", "inf", "minus_inf"):
        return key, "Integer" if info.integer else "Float"
    return key, info.allowed()


def _declared(cls) -> list[tuple[str, ParamInfo]]:
    return [(f.name, f.metadata["info"]) for f in dataclasses.fields(cls) if "info" in f.metadata]


NUMERIC_KEYS: list[tuple[str, ParamInfo, tuple[str, ...]]] = [
    *((f"decision.{n}", i, TINY) for n, i in _declared(DecisionParams)),
    *((f"pair_deals.{n}", i, TINY) for n, i in _declared(PairDealParams)),
    ("vaccines.reliance.chinese", RELIANCE_INFO, TINY),
    *((f"standards.a.{n}", i, TINY) for n, i in _declared(StandardSpec)),
    *((f"sponsors.india.{n}", i, HISTORICAL) for n, i in _declared(SponsorSpec)),
    *((f"organisations.WHO.{n}", i, HISTORICAL) for n, i in _declared(OrganisationSpec)),
    *((f"scenario.{n}", i, TINY) for n, i in _declared(ScenarioParams)),
    *((f"scenario.win.{n}", i, TINY) for n, i in _declared(WinRule)),
    *((f"world.{n}", i, TINY) for n, i in _declared(WorldParams)),
]

# Through the command, one case per key, the kinds of bad value in turn (NaN, above and below the
# bounds, +inf, -inf, the wrong type): each key's override reaches the check and the line names it.
# test_corpus.py also tries every kind on every key on the typed config (as sweeps set values).
KINDS = ("nan", "above", "below", "inf", "minus_inf", "wrong_type")
for k, (key, info, base) in enumerate(NUMERIC_KEYS):
    values = bad_values(info)
    variant = next(v for v in (*KINDS[k % 6:], *KINDS) if v in values)
    run(f"{key}={variant}", [f"{key}={values[variant]}"], expected(key, info, variant), base=base)

# numbers in dict entries, checked against the ParamInfo their validation declares
for key, variants in (("sponsors.eu.affinity.EEA", {"nan": "nan", "huge": "1e300"}),
                      ("scenario.openness.CHN", {"inf": "inf", "below": "-1"})):
    for variant, value in variants.items():
        run(f"{key}={variant}", [f"{key}={value}"], (key, "must be a finite number"), base=HISTORICAL)
run("vaccines.reliance.wrong_type", ["vaccines.reliance.chinese=most"], ("vaccines.reliance.chinese", "Float"))

# the experiment's own numbers
run("seed=negative", ["seed=-1"], ("seed", ">= 0"))
run("seed=nan", ["seed=nan"], ("seed", "Integer"))
run("replications=zero", ["replications=0"], ("replications", ">= 1"))
run("replications=wrong_type", ["replications=2.5"], ("replications", "Integer"))
run("replications=huge", ["replications=1000000000000"], ("replications", "10,000,000", "memory"))
run("workers=zero", ["workers=0"], ("workers", ">= 1"))
run("workers=1000", ["replications=2", "workers=1000"], ("workers = 1000", "cores", "oversubscribe=true"))
run("analysis=unknown", ["analysis=everything"], ("analysis", "record"))

# ---------------------------------------------------------------- months

for key, base in (("standards.a.launch", TINY), ("scenario.start", TINY), ("sponsors.eu.start", HISTORICAL),
                  ("sponsors.eu.accession_start", HISTORICAL)):
    for variant, value in (("month_13", "2021-13"), ("year_9999", "9999-06")):
        run(f"{key}={variant}", [f"{key}='{value}'"], (key, "YYYY-MM"), base=base)
run("standards.a.launch=words", ["standards.a.launch=June"], ("standards.a.launch", "YYYY-MM"))
run("scenario.horizon=past_2200", ["scenario.start=2199-01", "scenario.horizon=36"],
    ("scenario.horizon", "2200"))
run("scenario.win.month=bad_format", ["scenario.win.month=2021/06"], ("scenario.win.month", "YYYY-MM"))
run("scenario.win.month=before_start", ["scenario.win.month=2020-12"], ("scenario.win.month", "2021-01..2021-04"))
run("scenario.win.month=after_horizon", ["scenario.win.month=2021-05"], ("scenario.win.month", "2021-01..2021-04"))
run("historical.horizon_cuts_events", ["scenario.horizon=6"], ("scenario.", "outside the horizon", "2021-01..2021-06"),
    base=HISTORICAL)
run("sponsors.eu.start=before_launch", ["sponsors.eu.start=2021-02"], ("sponsors.eu.start", "launch", "2021-06"),
    base=HISTORICAL)

# ---------------------------------------------------------------- events

LATE_B = (*TINY, "standards.b.launch=2021-03")  # standard b launches in the third of four months


def event(id, spec: str, fragments, base=TINY):
    """A case adding the event `scenario.events.x={spec}` (to the tiny world unless `base` says otherwise)."""
    run(f"event.{id}", [f"scenario.events.x={{{spec}}}"], fragments, base=base)


event("unknown_type", "date:'2021-02',type:coup", ("scenario.events.x.type", "coup", "endorse", "treaty"))
event("no_date", "type:endorse,standard:a", ("scenario.events.x.date", "YYYY-MM"))
event("date_year_9999", "date:'9999-02',type:endorse,standard:a", ("scenario.events.x.date", "2200"))
event("date_before_start", "date:'2020-12',type:endorse,standard:a",
      ("scenario.events.x.date", "2020-12", "2021-01..2021-04"))
event("date_after_horizon", "date:'2021-05',type:endorse,standard:a",
      ("scenario.events.x.date", "2021-05", "2021-01..2021-04"))
event("unknown_field", "date:'2021-02',type:endorse,standard:a,colour:red", ("scenario.events.x.colour",))
# missing fields
event("endorse_no_standard", "date:'2021-02',type:endorse", ("scenario.events.x.standard", "unknown standard"))
event("bridge_one_standard", "date:'2021-02',type:bridge,standards:[a]",
      ("scenario.events.x.standards", "two different standards"))
event("deal_wave_no_countries", "date:'2021-02',type:deal_wave,standard:a",
      ("scenario.events.x.countries", "countries or blocs"))
event("deal_wave_unsponsored", "date:'2021-02',type:deal_wave,standard:a,countries:[ALL]",
      ("scenario.events.x.standard", "no sponsor"))
event("openness_no_value", "date:'2021-02',type:travel_openness,countries:[ALL]", ("scenario.events.x.value", "[0, 1]"))
event("demand_no_value", "date:'2021-02',type:credential_demand", ("scenario.events.x.value", "[0, 1]"))
event("scandal_nothing", "date:'2021-02',type:privacy_scandal", ("scenario.events.x", "surveillance", "concern"))
event("treaty_no_until", "date:'2021-02',type:treaty,standard:a,countries:[ALL]",
      ("scenario.events.x.until", "YYYY-MM"))
event("vaccine_no_group", "date:'2021-02',type:vaccine_approval,countries:[ALL]",
      ("scenario.events.x.group", "vaccine group"))
# fields the type does not read
event("launch_with_value", "date:'2021-02',type:launch,standard:a,value:0.5",
      ("scenario.events.x.value", "does not read"))
event("openness_with_duration", "date:'2021-02',type:travel_openness,countries:[ALL],value:0.5,duration:3",
      ("scenario.events.x.duration", "does not read", "value"))
# unknown names
event("unknown_standard", "date:'2021-02',type:endorse,standard:euro_pass", ("scenario.events.x.standard", "euro_pass"))
event("unknown_organisation", "date:'2021-08',type:endorse,standard:eu_dcc,by:UN",
      ("scenario.events.x.by", "UN", "WHO"), base=HISTORICAL)
event("no_organisation_declared", "date:'2021-02',type:endorse,standard:a", ("scenario.events.x.by", "WHO", "none"))
event("unknown_vaccine_group", "date:'2021-02',type:vaccine_approval,group:martian,countries:[ALL]",
      ("scenario.events.x.group", "martian", "chinese"))
event("unknown_country", "date:'2021-02',type:adopt,standard:a,countries:[XYZ]",
      ("scenario.events.x.countries", "XYZ", "ISO3"))
event("unknown_bloc", "date:'2021-08',type:adopt,standard:eu_dcc,countries:[EU28]",
      ("scenario.events.x.countries", "EU28", "EU27"), base=HISTORICAL)
event("bridge_unknown_standard", "date:'2021-02',type:bridge,standards:[a,euro_pass]",
      ("scenario.events.x.standard", "euro_pass"))
# dated before the standard's launch (b launches 2021-03 here)
for kind, extra in (("endorse", ""), ("adopt", ",countries:[ALL]"), ("treaty", ",countries:[ALL],until:'2021-04'"),
                    ("deal_wave", ",countries:[ALL]")):
    event(f"{kind}_before_launch", f"date:'2021-02',type:{kind},standard:b{extra}",
          ("scenario.events.x.date", "2021-02", "launch 2021-03"), base=LATE_B)
event("bridge_before_launch", "date:'2021-02',type:bridge,standards:[a,b]",
      ("scenario.events.x.date", "launch 2021-03"), base=LATE_B)
event("endorse_before_real_launch", "date:'2021-03',type:endorse,standard:eu_dcc",
      ("scenario.events.x.date", "launch 2021-06"), base=HISTORICAL)
event("treaty_until_before_date", "date:'2021-03',type:treaty,standard:a,countries:[ALL],until:'2021-02'",
      ("scenario.events.x.until", "2021-02", "before the treaty's date"))
event("treaty_until_bad_format", "date:'2021-02',type:treaty,standard:a,countries:[ALL],until:soon",
      ("scenario.events.x.until", "YYYY-MM"))
event("launch_moved_out_of_horizon", "date:'2025-01',type:launch,standard:b", ("scenario.events.x.date", "2025-01"))
# event numbers
for field_name, spec, allowed in (
        ("value", "type:travel_openness,countries:[ALL],value:{v}", "[0, 1]"),
        ("concern", "type:privacy_scandal,concern:{v}", "[0, 100]"),
        ("surveillance", "type:privacy_scandal,standard:a,surveillance:{v}", "[0, 1]")):
    for variant, v in (("nan", "nan"), ("huge", "1e300"), ("wrong_type", "lots")):
        shown = ("Float",) if variant == "wrong_type" else ("must be", allowed)
        event(f"{field_name}={variant}", f"date:'2021-02',{spec.format(v=v)}", (f"scenario.events.x.{field_name}",
                                                                                *shown))
for variant, v in (("nan", "nan"), ("huge", "1e300")):
    event(f"incentive={variant}", f"date:'2021-08',type:deal_wave,standard:divoc,countries:[LKA],incentive:{v}",
          ("scenario.events.x.incentive", "[0, 10]"), base=HISTORICAL)
for variant, v, shown in (("negative", "-1", "whole number"), ("huge", "100000", "1,200"),
                          ("wrong_type", "2.5", "Integer")):
    event(f"duration={variant}", f"date:'2021-02',type:adopt,standard:a,countries:[ALL],duration:{v}",
          ("scenario.events.x.duration", shown))
run("event.existing_value_nan", ["scenario.events.china_reopens.value=nan"],
    ("scenario.events.china_reopens.value", "[0, 1]"), base=HISTORICAL)
run("event.existing_field_typo", ["scenario.events.china_reopens.vaule=1.0"],
    ("scenario.events.china_reopens.vaule",), base=HISTORICAL)
run("event.demand_clashes_with_travel_controls",
    ["scenario.events.x={date:'2021-08',type:credential_demand,value:0.5}"],
    ("scenario.events.x", "demand_schedule"), base=HISTORICAL)

# ---------------------------------------------------------------- names and cross-references

run("sponsor.unknown_standard", ["sponsors.eu.standard=euro_pass"], ("sponsors.eu.standard", "euro_pass", "eu_dcc"),
    base=HISTORICAL)
run("sponsor.unknown_home_bloc", ["sponsors.eu.home=[EU28]"], ("sponsors.eu.home", "EU28", "EU27"), base=HISTORICAL)
run("sponsor.unknown_target", ["sponsors.india.targets=[ATLANTIS]"], ("sponsors.india.targets", "ATLANTIS"),
    base=HISTORICAL)
run("sponsor.unknown_excluded", ["sponsors.eu.excluded=[XXX]"], ("sponsors.eu.excluded", "XXX"), base=HISTORICAL)
run("sponsor.unknown_affinity_bloc", ["sponsors.eu.affinity.EEZ=0.5"], ("sponsors.eu.affinity", "EEZ"),
    base=HISTORICAL)
run("sponsor.bad_strategy", ["sponsors.eu.strategy=bribery"], ("sponsors.eu.strategy", "bribery", "travel_partners"),
    base=HISTORICAL)
run("sponsor.new_without_standard", ["+sponsors.uk={name:UK,home:[GBR]}"],
    ("sponsors.uk.standard", "unknown standard", "eu_dcc"), base=HISTORICAL)
run("standard.unknown_sponsor", ["standards.vds_nc.sponsor=icao"], ("standards.vds_nc.sponsor", "icao"),
    base=HISTORICAL)
run("standard.unknown_initial_adopter", ["standards.eu_dcc.initial_adopters=[XXX]"],
    ("standards.eu_dcc.initial_adopters", "XXX", "EU27"), base=HISTORICAL)
run("standard.bad_verification", ["standards.eu_dcc.verification=sometimes"],
    ("standards.eu_dcc.verification", "online", "offline"), base=HISTORICAL)
run("standard.id_none", ["+standards.none={name:Nothing}"], ("standards.none", "lower-case id"))
run("standard.id_upper_case", ["+standards.Euro={name:Euro}"], ("standards.Euro", "lower-case id"))
run("standards.empty", ["standards={}"], ("standards",))
# entries added by override are typed and checked like those from a file
for id, entry, fragments in (
        ("standard.added_nan", "+standards.c={surveillance:nan}", ("standards.c.surveillance", "[0, 1]")),
        ("standard.added_huge_quality", "+standards.c={quality:1e300}", ("standards.c.quality", "1,000,000")),
        ("standard.added_unknown_field", "+standards.c={colour:red}", ("standards.c.colour", "surveillance")),
        ("standard.added_unknown_sponsor", "+standards.c={sponsor:nobody}", ("standards.c.sponsor", "nobody")),
        ("sponsor.added_infinite_budget", "+sponsors.s={standard:a,budget:inf}", ("sponsors.s.budget", "finite")),
        ("sponsor.added_fraction_of_offers", "+sponsors.s={standard:a,deals_per_month:2.5}",
         ("sponsors.s.deals_per_month", "Integer")),
        ("organisation.added_infinite_cost", "+organisations.UN={join_cost:inf}", ("organisations.UN.join_cost",
                                                                                  "[0, 1]"))):
    run(id, [entry], fragments)
run("organisation.unknown_excluded", ["organisations.WHO.excluded=[XXX]"], ("organisations.WHO.excluded", "XXX"),
    base=HISTORICAL)
run("organisation.removed_but_used", ["organisations=none"], ("scenario.events.who_takes_over_eu_dcc.by", "WHO"),
    base=HISTORICAL)
run("scenario.openness.unknown_country", ["scenario.openness.XXX=0.5"], ("scenario.openness", "XXX"),
    base=HISTORICAL)
run("choice.update", ["decision.update=sometimes"], ("decision.update", "random_sequential", "simultaneous"))
run("choice.pair_deal_kind", ["pair_deals.kinds=[marriage]"], ("pair_deals.kinds", "mutual", "standard"))
run("choice.win_measure", ["scenario.win.measure=votes"], ("scenario.win.measure", "acceptance_reach"))
run("choice.demand_schedule", ["scenario.demand_schedule=weather"], ("scenario.demand_schedule", "travel_controls"))
run("choice.world_kind", ["world.kind=flat"], ("world.kind", "gravity", "synthetic"))
run("choice.world_graph", ["world.graph=tree"], ("world.graph", "erdos_renyi"))
run("claim.unknown_outcome", ["scenario.claims=[{outcome:happiness,standard:a}]"],
    ("scenario.claims[0].outcome", "happiness", "travel_share"))
run("calibration.missing_ensemble", ["calibration.ensemble=no_such_ensemble.csv"],
    ("calibration.ensemble", "no_such_ensemble.csv"), base=HISTORICAL)
run("calibration.nan_ensemble", ["calibration.ensemble={in}/ensemble.csv"], ("calibration.ensemble", "finite"),
    files={"ensemble.csv": b"decision.adoption_cost,decision.network_weight\n4.0,nan\n5.0,6.0\n"}, base=HISTORICAL)
run("calibration.unknown_key_in_ensemble", ["calibration.ensemble={in}/ensemble.csv"],
    ("decision.adoption_costt",), files={"ensemble.csv": b"decision.adoption_costt\n4.0\n5.0\n"}, base=HISTORICAL)
run("world.synthetic_n_one", ["world.n=1"], ("world.n", "[2, 1,000,000]"))
run("world.small_world_degree_above_n", ["world=small_world", "world.n=5"], ("world.mean_degree", "world.n = 5"))
run("world.dense_too_large", ["world.n=1000000"], ("world.n", "GB"))
run("world.flows_kind_without_file", ["world.kind=flows"], ("world.flows_file", "origin,destination,flow"),
    base=HISTORICAL)

# ---------------------------------------------------------------- config groups and typos

for group, choice, known in (("scenario", "atlantis", "historical_2021"), ("world", "flat_earth", "small_world"),
                             ("standards", "real_2099", "symmetric_two"), ("sponsors", "nato", "real_2021"),
                             ("experiment", "moon_landing", "historical_validation")):
    run(f"group.{group}={choice}", [f"{group}={choice}"], (group, choice, known), base=())

for typo, key in (("decision.rationalty=3", "rationalty"), ("+decision.rationalty=3", "rationalty"),
                  ("standards.a.qualty=1", "qualty"),
                  ("sponsors.eu.budgt=1", "budgt"), ("seeds=1", "seeds"), ("replication=2", "replication"),
                  ("scenario.win.treshold=0.5", "treshold"), ("organisations.WHO.join_cst=0.1", "join_cst")):
    base = HISTORICAL if typo.startswith(("sponsors", "organisations")) else TINY
    run(f"typo.{typo}", [typo], (key,), base=base)
run("typo.wrong_type_bool", ["plots=maybe"], ("plots", "maybe"))
run("typo.override_syntax", ["decision.rationality=[1,"], ("decision.rationality",))
run("typo.empty_mapping_sponsors", ["sponsors={}"], ("sponsors",), base=HISTORICAL)
run("typo.empty_mapping_events", ["scenario.events={}"], ("scenario.events",), base=HISTORICAL)
run("typo.empty_mapping_in_a_multirun", ["-m", "standards={}", "seed=1,2"], ("standards={}", "changes nothing"))
run("multirun.unknown_scenario", ["-m", "scenario=atlantis", "seed=1,2"], ("scenario", "atlantis"), base=())

# ---------------------------------------------------------------- run directories

run("run_dir.unwritable_path", ["hydra.run.dir=/proc/nope/run"], ("hydra.run.dir", "/proc/nope/run"))
run("run_dir.is_a_file", ["hydra.run.dir={in}/a_file.txt"], ("hydra.run.dir", "a_file.txt", "not a directory"),
    files={"a_file.txt": b"a user's notes\n"})

# ---------------------------------------------------------------- countries files

GOOD_COUNTRIES = [
    ["iso3", "name", "region", "lat", "lon", "population", "gdp_usd", "democracy", "eu"],
    ["AAA", "Aland", "North", "10.0", "0.0", "1000000", "20000000000", "8.0", "1"],
    ["BBB", "Bland", "North", "10.0", "5.0", "2000000", "10000000000", "6.0", "1"],
    ["CCC", "Cland", "South", "-10.0", "0.0", "500000", "5000000000", "4.0", "0"],
    ["DDD", "Dland", "South", "-10.0", "5.0", "300000", "3000000000", "2.0", "0"],
]


def table(rows) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


def countries_with(row: int = 1, **cells) -> bytes:
    """The good table with some cells of one row (1 = the first country) changed."""
    rows = [list(r) for r in GOOD_COUNTRIES]
    for column, value in cells.items():
        rows[row][rows[0].index(column)] = value
    return table(rows)


# a world read from the test's own files: countries alone (gravity flows), or countries and flows
FLOWS_ARGS = ("world=gravity", "world.countries_file={in}/countries.csv", "world.kind=flows",
              "world.flows_file={in}/flows.csv")
COUNTRIES_ARGS = FLOWS_ARGS[:2]


def countries(id, content: bytes, fragments, extra=()):
    run(f"countries.{id}", [*COUNTRIES_ARGS, *extra],
        ("countries.csv", *fragments), files={"countries.csv": content})


for column, value, expected in (
        ("lat", "nan", "[-90, 90]"), ("lat", "500", "[-90, 90]"), ("lon", "-inf", "[-180, 360]"),
        ("democracy", "-50", "[0, 10]"), ("democracy", "500", "[0, 10]"), ("gdp_usd", "inf", "[100000, 1e+15]"),
        ("gdp_usd", "1e300", "[100000, 1e+15]"), ("population", "1e-320", "[1, 1e+10]"),
        ("lat", "north", "not a number"), ("population", '"1,000"', "not a number")):
    tag = value.replace("-", "minus_").replace('"', "").replace(",", "_") or "empty"
    countries(f"{column}={tag}", countries_with(**{column: value}), (":2", column, expected))
countries("iso3=empty", countries_with(iso3=""), (":2", "iso3", "three capital letters"))
countries("iso3=lower_case", countries_with(iso3="aaa"), (":2", "'aaa'", "three capital letters"))
countries("iso3=duplicate", countries_with(row=2, iso3="AAA"), ("duplicate", "AAA"))
countries("flag=2", countries_with(eu="2"), (":2", "'eu'", "0 or 1"))
countries("missing_column_lat", table([r[:3] + r[4:] for r in GOOD_COUNTRIES]), ("missing columns", "lat"))
countries("one_country", table(GOOD_COUNTRIES[:2]), ("1 country", "at least two"))
countries("header_only", table(GOOD_COUNTRIES[:1]), ("no rows",))
countries("empty_file", b"", ("no rows",))
countries("binary", bytes(range(256)) * 8, ("UTF-8",))
countries("utf16", table(GOOD_COUNTRIES).decode().encode("utf-16"), ("UTF-8",))
countries("short_row", table([*GOOD_COUNTRIES[:2], ["BBB", "Bland", "North"], *GOOD_COUNTRIES[3:]]), (":3",))
countries("not_a_csv", b"<html><body>Not found</body></html>\n", ("no rows", "expected columns"))
run("countries.with_synthetic_world", ["world.countries_file={in}/countries.csv"],
    ("world.countries_file", "synthetic"), files={"countries.csv": table(GOOD_COUNTRIES)})
countries("gravity_overflow", countries_with(row=2, lat="10.0", lon="0.0"), ("gravity flows overflow",
                                                                            "world.min_distance_km"),
          extra=("world.min_distance_km=1e-300", "world.distance_exponent=5"))
run("countries.no_such_file", ["world=gravity", "world.countries_file={in}/nowhere.csv"],
    ("world.countries_file", "nowhere.csv"))
run("countries.is_a_directory", ["world=gravity", "world.countries_file={in}"], ("world.countries_file",))

# ---------------------------------------------------------------- flows files

GOOD_FLOWS = [["origin", "destination", "flow"], ["AAA", "BBB", "3"], ["BBB", "AAA", "4"], ["CCC", "DDD", "2"],
              ["DDD", "CCC", "1"]]


def flows(id, rows, fragments):
    run(f"flows.{id}", list(FLOWS_ARGS), ("flows.csv", *fragments),
        files={"countries.csv": table(GOOD_COUNTRIES), "flows.csv": rows if isinstance(rows, bytes) else table(rows)})


def flows_with(value: str, column: str = "flow"):
    rows = [list(r) for r in GOOD_FLOWS]
    rows[2][GOOD_FLOWS[0].index(column)] = value
    return rows


flows("unknown_origin", flows_with("ZZZ", "origin"), (":3", "ZZZ", "origin"))
for value, expected in (("-1", ">= 0"), ("nan", ">= 0"), ("inf", ">= 0"), ("lots", "not a number")):
    flows(f"flow={value or 'empty'}", flows_with(value), (":3", expected))
flows("all_zero", [GOOD_FLOWS[0], ["AAA", "BBB", "0"], ["BBB", "AAA", "0"]], ("every flow is zero",))
flows("missing_column", [r[:2] for r in GOOD_FLOWS], ("missing columns", "flow"))
flows("header_only", [GOOD_FLOWS[0]], ("no rows", "origin, destination, flow"))
flows("empty_file", b"", ("no rows", "origin, destination, flow"))
flows("binary", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), ("UTF-8",))
flows("utf16", table(GOOD_FLOWS).decode().encode("utf-16-le"), ("UTF-8",))
flows("short_row", [*GOOD_FLOWS[:2], ["BBB", "AAA"]], (":3", "flow"))
run("flows.with_gravity_world", [*COUNTRIES_ARGS, "world.flows_file={in}/flows.csv"],
    ("world.flows_file", "world.kind=gravity"),
    files={"countries.csv": table(GOOD_COUNTRIES), "flows.csv": table(GOOD_FLOWS)})
run("flows.no_such_file", ["world=gravity", "world.countries_file={in}/countries.csv", "world.kind=flows",
                           "world.flows_file={in}/nowhere.csv"], ("world.flows_file", "nowhere.csv"),
    files={"countries.csv": table(GOOD_COUNTRIES)})

# ---------------------------------------------------------------- sweeps


def sweep(id, args, fragments, files=None):
    case(f"sweep.{id}", "sweep", [*QUIET_SWEEP, *args], fragments, files)


sweep("unknown_key", ["sweep.levelz=3"], ("sweep.levelz",))
sweep("appended_unknown_key", ["+sweep.levelz=3"], ("levelz",))
sweep("unknown_sweep", ["sweep=everything"], ("sweep", "everything", "smoke"))
sweep("empty_parameters", ["sweep.parameters={}"], ("sweep.parameters", "changes nothing"))
sweep("low_above_high", ["sweep.parameters={decision.network_weight:{low:8.0,high:1.0}}"],
      ("sweep.parameters.decision.network_weight", "above high"))
sweep("low_nan", ["sweep.parameters={decision.network_weight:{low:nan,high:2.0}}"],
      ("sweep.parameters.decision.network_weight.low", "finite"))
sweep("high_inf", ["sweep.parameters={decision.network_weight:{low:1.0,high:inf}}"],
      ("sweep.parameters.decision.network_weight.high", "finite"))
sweep("log_low_zero", ["sweep.parameters={decision.network_weight:{low:0.0,high:8.0,log:true}}"],
      ("sweep.parameters.decision.network_weight.low", "> 0"))
sweep("range_outside_bounds", ["sweep.parameters={decision.revision_rate:{low:0.5,high:2.0}}"],
      ("decision.revision_rate", "[0, 1]"))
sweep("choices_outside_bounds", ["sweep.parameters={decision.privacy_weight:{choices:[0.5,nan]}}"],
      ("sweep.parameters.decision.privacy_weight.choices[1]", "nan", "[0, 1,000,000]"))
sweep("range_and_choices", ["sweep.parameters={decision.revision_rate:{low:0.1,high:0.2,choices:[0.3]}}"],
      ("sweep.parameters.decision.revision_rate", "not both"))
sweep("bad_choice", ["sweep.parameters={decision.update:{choices:[random_sequential,sometimes]}}"],
      ("decision.update", "sometimes"))
sweep("unknown_parameter", ["sweep.parameters={decision.bogus:{low:0.0,high:1.0}}"],
      ("sweep.parameters.decision.bogus", "bogus"))
sweep("int_key_with_fraction", ["sweep.parameters={pair_deals.max_per_month:{choices:[1,2.5]}}"],
      ("pair_deals.max_per_month", "2.5", "whole number"))
sweep("levels_one", ["sweep.levels=1"], ("sweep.levels", ">= 2"))
sweep("levels_too_large", ["sweep.levels=100000"], ("sweep.levels", "10,000,000 runs"))
sweep("levels_wrong_type", ["sweep.levels=2.5"], ("sweep.levels", "Integer"))
sweep("samples_too_large", ["sweep.design=sobol", "sweep.samples=1073741824"], ("sweep.samples", "runs"))
sweep("samples_not_power_of_two", ["sweep.design=sobol", "sweep.samples=100"], ("sweep.samples", "power of two"))
sweep("samples_wrong_type", ["sweep.samples=2.5"], ("sweep.samples", "Integer"))
sweep("morris_odd_levels", ["sweep.design=morris", "sweep.levels=3", "sweep.samples=2"], ("sweep.levels", "even"))
sweep("replications_zero", ["sweep.replications=0"], ("sweep.replications", ">= 1"))
sweep("replications_too_large", ["sweep.replications=100000000"], ("sweep.replications", "10,000,000 runs"))
sweep("seed_negative", ["sweep.seed=-1"], ("sweep.seed", ">= 0"))
sweep("bad_design", ["sweep.design=random"], ("sweep.design", "random", "grid", "sobol"))
sweep("bad_executor", ["sweep.executor=threads"], ("sweep.executor", "threads", "processes", "dask"))
sweep("workers_1000", ["sweep.executor=processes", "sweep.workers=1000"], ("sweep.workers = 1000", "cores"))
sweep("dask_workers_above_cores", ["sweep.executor=dask", "sweep.workers=64"], ("sweep.workers = 64", "cores"))
sweep("dask_timeout_nan", ["sweep.dask_timeout=nan"], ("sweep.dask_timeout", "> 0"))
sweep("experiment_seed", ["seed=3"], ("seed", "sweep.seed"))
sweep("base_key_nan", ["decision.privacy_weight=nan"], ("decision.privacy_weight", "finite number"))
sweep("unknown_option", ["--resume"], ("--resume", "--cfg"))
sweep("output_is_a_file", ["sweep.output={in}/a_file.txt"], ("sweep.output", "a_file.txt", "not a folder"),
      files={"a_file.txt": b"a user's notes\n"})
sweep("output_is_a_user_folder", ["sweep.output={in}"], ("sweep.output", "not a sweep results folder"),
      files={"notes.txt": b"a user's notes\n"})
sweep("output_unwritable", ["sweep.output=/proc/nope/sweep"], ("/proc/nope/sweep",))
sweep("swept_countries_file_missing", ["sweep.parameters={world.countries_file:{choices:['{in}/nowhere.csv']}}",
                                       "world=gravity", "world.countries_file={in}/countries.csv"],
      ("nowhere.csv",), files={"countries.csv": table(GOOD_COUNTRIES)})

# ---------------------------------------------------------------- record


def record(id, path, fragments, files=None, args=None):
    case(f"record.{id}", "record", args if args is not None else [path], fragments, files)


def parquet(frame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    return buffer.getvalue()


def foreign_table() -> bytes:
    """A Parquet table of something else (a countries table)."""
    import pandas as pd

    return parquet(pd.DataFrame({"iso3": ["AAA", "BBB"], "final_standard": ["a", "b"]}))


def timeseries_of(month=("2021-10", "2021-12"), adopters=(43, 60)) -> bytes:
    """A timeseries with the record's standard and months, and the given cells."""
    import pandas as pd

    return parquet(pd.DataFrame({"standard": ["eu_dcc", "eu_dcc"], "month": list(month), "adopters": list(adopters)}))


def uncovered_timeseries() -> bytes:
    """The timeseries of a theory run: standards and months the record does not cover."""
    import pandas as pd

    return parquet(pd.DataFrame({"standard": ["a", "b"], "month": pd.to_datetime(["2021-01-01", "2021-01-01"]),
                                 "adopters": [3, 4]}))


record("missing_directory", "{in}/nowhere", ("nowhere/timeseries.parquet", "no such file"))
record("user_folder", "{in}", ("timeseries.parquet", "no such file"), files={"notes.txt": b"a user's notes\n"})
record("corrupt_parquet", "{in}", ("timeseries.parquet", "cannot be read", "Parquet"),
       files={"timeseries.parquet": b"PAR1 not really a parquet file PAR1"})
record("empty_file", "{in}", ("timeseries.parquet", "cannot be read"), files={"timeseries.parquet": b""})
record("csv_named_parquet", "{in}", ("timeseries.parquet", "cannot be read"),
       files={"timeseries.parquet": b"standard,month,adopters\neu_dcc,2021-10,43\n"})
record("timeseries_is_a_directory", "{in}", ("timeseries.parquet",), files={"timeseries.parquet/x": b"x"})
record("nan_adopters", "{in}", ("timeseries.parquet", "'adopters'", "nan", "finite count"),
       files={"timeseries.parquet": lambda: timeseries_of(adopters=[float("nan"), 60.0])})
record("infinite_adopters", "{in}", ("timeseries.parquet", "'adopters'", "inf"),
       files={"timeseries.parquet": lambda: timeseries_of(adopters=[43.0, float("inf")])})
record("unreadable_month", "{in}", ("timeseries.parquet", "'month'", "'not a month'"),
       files={"timeseries.parquet": lambda: timeseries_of(month=["not a month", "2021-12"])})
record("no_arguments", "", ("record", "RUN_DIR"), args=[])
record("two_arguments", "", ("record", "unexpected argument"), args=["{in}", "{in}"])
record("foreign_parquet", "{in}", ("timeseries.parquet", "not the timeseries", "month"),
       files={"timeseries.parquet": foreign_table})
record("run_not_covered", "{in}", ("timeseries.parquet", "no recorded facts overlap"),
       files={"timeseries.parquet": uncovered_timeseries})

# ---------------------------------------------------------------- through real processes

# ids of cases above, run again through `python -m experiments.<command>` in a child process
SUBPROCESS = ["countries.binary", "sweep.levels_too_large", "record.corrupt_parquet"]

# ---------------------------------------------------------------- valid extremes: these must run

# Inputs at the edge of what is valid: each must run to the end, write only finite numbers, and
# leave the user's own files in the run directory as they were (test_properties.py).
VALID_EXTREMES: list[Case] = []


def edge(id, args, files=None, base=TINY):
    VALID_EXTREMES.append(Case(id, "run", (*base, *args), (), dict(files or {}), exit=0))


def flows_of(value: str) -> bytes:
    return table([GOOD_FLOWS[0], ["AAA", "BBB", value], ["BBB", "AAA", "1"], ["CCC", "DDD", value],
                  ["DDD", "AAA", "2"]])


edge("flows.near_max_float", FLOWS_ARGS, {"countries.csv": table(GOOD_COUNTRIES), "flows.csv": flows_of("1e308")})
edge("flows.subnormal", FLOWS_ARGS, {"countries.csv": table(GOOD_COUNTRIES), "flows.csv": flows_of("1e-320")})
edge("countries.utf8_bom", COUNTRIES_ARGS,
     {"countries.csv": b"\xef\xbb\xbf" + table(GOOD_COUNTRIES)})
edge("whole_number_written_as_float", ("world.n=12.0", "scenario.horizon=4.0"))
edge("rationality_best_response", ("decision.rationality=inf",))
edge("rationality_near_max_float", ("decision.rationality=1.7976931348623157e308",))
edge("quality_at_both_bounds", ("standards.a.quality=1000000.0", "standards.b.quality=-1000000.0"))
edge("seed_beyond_64_bits", ("seed=100000000000000000000000000000",))
edge("horizon_a_century", ("scenario.horizon=1200",))
edge("event_added_from_the_command_line", ("scenario.events.x={date:'2021-08',type:endorse,standard:eu_dcc}",),
     base=HISTORICAL)
edge("event_switched_off", ("scenario.events.china_reopens.enabled=false",), base=HISTORICAL)
