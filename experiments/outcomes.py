"""Declared outcomes: what a sweep, a calibration or a discovery run keeps of each run, by name.

    adopters.eu_dcc@2021-10          a per-standard series at a month
    acceptance_reach.china_hc        the same at the win rule's month
    fragmentation@2022-06            a world series (interoperability, fragmentation, hhi, platform_members)
    deals.accession                  deals of one kind signed so far (mutual, standard, accession,
                                     incentive, wave)
    win.eu_dcc                       1 if the standard wins under the scenario's rule, else 0
    lose.eu_dcc                      1 if it does not (what would have stopped it)
    fragmented                       1 if no standard wins
    winner, time_to_dominance        the verdict and the month index it first held

Per-standard series: adopters, foreign_adopters, travel_share, credentialled_share,
acceptance_reach, population_share, gdp_share. A name is parsed once (`parse`), checked against the
scenario (unknown measure, standard or month: one line naming it), then read from each run record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from model.metrics import DEAL_KINDS, judged_step
from model.params import ConfigError, ModelParams

if TYPE_CHECKING:
    from .runner import RunRecord

PER_STANDARD = {"adopters": "Int64", "foreign_adopters": "Int64", "travel_share": "float64",
                "credentialled_share": "float64", "acceptance_reach": "float64", "population_share": "float64",
                "gdp_share": "float64"}
WORLD = {"interoperability": "float64", "fragmentation": "float64", "hhi": "float64", "platform_members": "Int64"}
BINARY_MEASURES = ("win", "lose", "fragmented")  # 0 or 1 in every run
VERDICT = {"winner": "string", "time_to_dominance": "Int64", "fragmented": "Int64"}


@dataclass(frozen=True)
class Outcome:
    """A parsed outcome name: what to read from a run record."""

    name: str
    measure: str  # a per-standard or world series, "deals", "win", or a verdict
    option: int | None  # column of a per-standard series, the standard of "win", or the deal kind
    step: int | None  # month index; None = the win rule's month
    dtype: str

    @property
    def binary(self) -> bool:
        return self.measure in BINARY_MEASURES


def is_binary(name: str) -> bool:
    """Whether a declared outcome is 0 or 1 in every run (win.S, lose.S, fragmented)."""
    return name.partition("@")[0].partition(".")[0] in BINARY_MEASURES


def parse(name: str, params: ModelParams, key: str = "outcomes") -> Outcome:
    """Parse and check one outcome name against a scenario; ConfigError naming `key` and the name."""
    choices = ["none", *params.standards]
    body, at, month = name.partition("@")
    step = params.check_in_horizon(month, f"{key}: '{name}': month") if at else None
    measure, dot, rest = body.partition(".")
    if measure in VERDICT and not dot:
        if at:
            raise ConfigError(f"{key}: '{name}': {measure} is read at the win rule's month; drop '@{month}'")
        return Outcome(name, measure, None, None, VERDICT[measure])
    if measure in ("win", "lose"):
        if rest not in params.standards:
            raise ConfigError(f"{key}: '{name}': unknown standard '{rest}'; known: {', '.join(params.standards)}")
        if at:
            raise ConfigError(f"{key}: '{name}': a win is judged at the win rule's month; drop '@{month}'")
        return Outcome(name, measure, choices.index(rest), None, "Int64")
    if measure == "deals":
        if rest not in DEAL_KINDS:
            raise ConfigError(f"{key}: '{name}': unknown deal kind '{rest}'; known: {', '.join(DEAL_KINDS)}")
        return Outcome(name, "deals", DEAL_KINDS.index(rest), step, "Int64")
    if measure in WORLD:
        if dot:
            raise ConfigError(f"{key}: '{name}': {measure} is a world series; write {measure} or {measure}@YYYY-MM")
        return Outcome(name, measure, None, step, WORLD[measure])
    if measure in PER_STANDARD:
        if rest not in choices:
            raise ConfigError(f"{key}: '{name}': unknown option '{rest}'; known: {', '.join(choices)}")
        return Outcome(name, measure, choices.index(rest), step, PER_STANDARD[measure])
    known = [*PER_STANDARD, *WORLD, "deals", "win", "lose", *VERDICT]
    raise ConfigError(f"{key}: '{name}': unknown outcome '{measure}'; known: {', '.join(known)}")


def parse_all(names: list[str], params: ModelParams, key: str = "outcomes") -> list[Outcome]:
    if not names:
        raise ConfigError(f"{key}: empty; declare at least one outcome, e.g. acceptance_reach.eu_dcc")
    seen = set()
    for n in names:
        if n in seen:
            raise ConfigError(f"{key}: '{n}' is declared twice")
        seen.add(n)
    return [parse(n, params, key) for n in names]


def default_outcomes(params: ModelParams) -> list[str]:
    """Everything a run says at the win rule's month: the verdict, each series per option and per world,
    and deals by kind."""
    choices = ["none", *params.standards]
    return [*VERDICT, *(f"win.{s}" for s in params.standards),
            *(f"{m}.{c}" for m in PER_STANDARD for c in choices), *WORLD, *(f"deals.{k}" for k in DEAL_KINDS)]


def read(outcome: Outcome, record: RunRecord, judged: int) -> Any:
    """The outcome's value in one run record; `judged` is the win rule's month index."""
    m = outcome.measure
    if m == "winner":
        return record.outcome["winner"]
    if m == "time_to_dominance":
        return record.outcome["time_to_dominance"]
    if m == "fragmented":
        return int(record.outcome["winner"] == "fragmented")
    if m in ("win", "lose"):
        won = record.outcome["winner"] == record.choices[outcome.option]
        return int(won) if m == "win" else int(not won)
    t = judged if outcome.step is None else outcome.step
    if m == "deals":
        return int(record.deals[t, outcome.option])
    series = getattr(record, m)
    value = series[t] if outcome.option is None else series[t, outcome.option]
    return int(value) if outcome.dtype == "Int64" else float(value)


def read_all(outcomes: list[Outcome], record: RunRecord, params: ModelParams) -> dict[str, Any]:
    judged = judged_step(params.scenario)
    return {o.name: read(o, record, judged) for o in outcomes}


def dtypes(outcomes: list[Outcome]) -> dict[str, str]:
    return {o.name: o.dtype for o in outcomes}
