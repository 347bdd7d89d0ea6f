"""Run an experiment: replications of one configured model, collected into the output tables.

Replication r gets the seed spawned from `numpy.random.SeedSequence(seed)` as child r, so its
result depends only on (seed, r), whichever process runs it. `record_of` is the one place a
finished model becomes a run record; tables, summaries, sweeps and discovery all read records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model import CredentialModel
from model.metrics import DEAL_KINDS, judged_month
from model.params import add_months

from .config import ExperimentConfig, compose, to_experiment
from .factory import ensemble_draw, model_from
from .summary import summarise


def replication_seeds(seed: int, replications: int) -> list[int]:
    """One 63-bit seed per replication, spawned from the experiment seed."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def build_model(scenario: str | None = "historical_2021", overrides: list[str] | tuple[str, ...] = (),
                *, replication: int = 0) -> CredentialModel:
    """A ready model for a configured scenario, seeded as replication `replication` of the run."""
    exp = to_experiment(compose(scenario, overrides))
    return model_from(exp, replication_seeds(exp.seed, replication + 1)[replication])


@dataclass
class RunRecord:
    """What one replication leaves behind, in plain arrays (cheap to send between processes)."""

    replication: int
    seed: int
    choices: list[str]  # the options, "none" first
    adopters: np.ndarray  # [month, option]
    population_share: np.ndarray
    gdp_share: np.ndarray
    travel_share: np.ndarray
    credentialled_share: np.ndarray
    acceptance_reach: np.ndarray
    foreign_adopters: np.ndarray
    interoperability: np.ndarray  # [month]
    fragmentation: np.ndarray
    hhi: np.ndarray
    deals: np.ndarray  # [month, deal kind], cumulative
    platform_members: np.ndarray
    final_state: np.ndarray  # [country]
    judged_state: np.ndarray  # [country], at the win rule's month
    adopted_month: np.ndarray  # [country, option]
    outcome: dict
    deal_log: list[tuple] = field(default_factory=list)
    event_log: list[tuple] = field(default_factory=list)
    drawn: dict = field(default_factory=dict)  # the calibrated parameter set it ran with


def record_of(model: CredentialModel, replication: int, seed: int, drawn: dict | None = None) -> RunRecord:
    """The record of a finished model."""
    h = model.history
    return RunRecord(replication, seed, list(model.choices), h.adopters, h.population_share, h.gdp_share,
                     h.travel_share, h.credentialled_share, h.acceptance_reach, h.foreign_adopters,
                     h.interoperability, h.fragmentation, h.hhi, h.deals, h.platform_members, model.state.copy(),
                     h.state[judged_month(model)].astype(np.int64), model.adopted_month.copy(), model.outcome(),
                     list(model.deal_log), list(model.event_log), dict(drawn or {}))


def run_replication(exp: ExperimentConfig, replication: int, seed: int) -> RunRecord:
    model = model_from(exp, seed).run()
    return record_of(model, replication, seed, ensemble_draw(exp, seed))


@dataclass
class Results:
    """The tables of one experiment, as the CLI writes them."""

    config: ExperimentConfig
    timeseries: pd.DataFrame
    countries: pd.DataFrame
    world: pd.DataFrame
    summary: dict
    choices: list[str]
    deals: pd.DataFrame | None = None
    events: pd.DataFrame | None = None

    @property
    def standard_names(self) -> dict[str, str]:
        """Display name of each option id, "none" included (for plots and tables)."""
        return {sid: s["name"] for sid, s in self.summary["standards"].items()}

    def summary_table(self) -> pd.DataFrame:
        """One row per option: win probability with its interval and the continuous outcomes' medians."""
        rows = []
        for sid, s in self.summary["standards"].items():
            lo, hi = s.get("win_interval", (float("nan"), float("nan")))
            row = {"standard": sid, "name": s["name"], "win_probability": s.get("win_probability"),
                   "win_low": lo, "win_high": hi}
            for name in ("acceptance_reach", "travel_share", "credentialled_share", "foreign_adopters", "adopters"):
                row[f"median_{name}"] = s[name]["median"]
            rows.append(row)
        return pd.DataFrame(rows).set_index("standard")


def run_experiment(scenario: str | None = "historical_2021", overrides: list[str] | tuple[str, ...] = (),
                   *, config: ExperimentConfig | None = None, progress: bool = False) -> Results:
    """Run every replication of a configured experiment and return the output tables.

    `progress=True` shows a progress bar with an ETA on stderr."""
    exp = config if config is not None else to_experiment(compose(scenario, overrides))
    seeds = replication_seeds(exp.seed, exp.replications)
    jobs = list(enumerate(seeds))
    bar = _progress(len(jobs), exp.scenario.name, progress)
    if exp.workers > 1 and len(jobs) > 1:
        import os

        from joblib import Parallel, delayed, parallel_config

        from .workers import exit_with_parent

        records = []
        # workers end with this process, even when it is killed (experiments/workers.py)
        with parallel_config(backend="loky", initializer=exit_with_parent, initargs=(os.getpid(),)):
            parallel = Parallel(n_jobs=min(exp.workers, len(jobs)), return_as="generator")
            for record in parallel(delayed(run_replication)(exp, r, s) for r, s in jobs):
                records.append(record)
                bar.update(1)
    else:
        records = []
        for r, s in jobs:
            records.append(run_replication(exp, r, s))
            bar.update(1)
    bar.close()
    probe = model_from(exp, seeds[0])  # the world and option ids, as every replication saw them
    choices = probe.choices
    months = pd.to_datetime([f"{add_months(exp.scenario.start, k)}-01" for k in range(exp.scenario.horizon)])
    timeseries = timeseries_table(records, choices, months)
    countries = countries_table(records, choices, probe.world.codes, months)
    summary = summarise(exp, records, choices)
    return Results(exp, timeseries, countries, world_table(probe), summary, choices,
                   deals_table(records, probe.world.codes, months), events_table(records[0], months))


def _progress(total: int, name: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="run", desc=name, disable=not enabled, dynamic_ncols=True, leave=False)


OPTION_SERIES = ("adopters", "population_share", "gdp_share", "travel_share", "credentialled_share",
                 "acceptance_reach", "foreign_adopters")
WORLD_SERIES = ("interoperability", "fragmentation", "hhi", "platform_members")


def timeseries_table(records: list[RunRecord], choices: list[str], months: pd.DatetimeIndex) -> pd.DataFrame:
    """One row per replication x month x option, plus a row per replication x month for "all".

    Option rows: adopters, population, GDP and travel shares, credentialled share, acceptance reach
    and foreign adopters (outside the sponsor's home; zero for unsponsored options). "all" rows:
    interoperability, fragmentation, hhi, platform members and cumulative deals per kind."""
    horizon, k = len(months), len(choices)
    frames = []
    for rec in records:
        per_option = {"replication": rec.replication, "seed": rec.seed,
                      "step": np.repeat(np.arange(horizon), k), "month": np.repeat(months, k),
                      "standard": np.tile(np.array(choices, dtype=object), horizon)}
        per_option.update({name: getattr(rec, name).ravel() for name in OPTION_SERIES})
        overall = {"replication": rec.replication, "seed": rec.seed, "step": np.arange(horizon), "month": months,
                   "standard": "all"}
        overall.update({name: getattr(rec, name) for name in WORLD_SERIES})
        overall.update({f"deals_{kind}": rec.deals[:, j] for j, kind in enumerate(DEAL_KINDS)})
        overall["deals"] = rec.deals.sum(axis=1)
        frames += [pd.DataFrame(per_option), pd.DataFrame(overall)]
    table = pd.concat(frames, ignore_index=True)
    for column in ("adopters", "foreign_adopters", "platform_members", "deals", *(f"deals_{k}" for k in DEAL_KINDS)):
        table[column] = table[column].astype("Int64")
    table["standard"] = pd.Categorical(table["standard"], categories=[*choices, "all"])
    table["month"] = table["month"].astype("datetime64[ns]")
    return table.sort_values(["replication", "step"], kind="stable", ignore_index=True)


def countries_table(records: list[RunRecord], choices: list[str], codes: np.ndarray,
                    months: pd.DatetimeIndex) -> pd.DataFrame:
    """One row per replication x country: the standard it issues at the judged month and at the end,
    and the first month of each adoption."""
    month_of = pd.DatetimeIndex([*months, pd.NaT])  # index -1 (never) -> NaT
    names = np.array(choices, dtype=object)
    frames = []
    for rec in records:
        frame = {"replication": rec.replication, "seed": rec.seed, "iso3": codes.astype(str),
                 "judged_standard": names[rec.judged_state], "final_standard": names[rec.final_state]}
        for k, sid in enumerate(choices[1:], start=1):
            frame[f"adopted_{sid}"] = month_of[rec.adopted_month[:, k]]
        frames.append(pd.DataFrame(frame))
    table = pd.concat(frames, ignore_index=True)
    for column in ("judged_standard", "final_standard"):
        table[column] = pd.Categorical(table[column], categories=choices)
    return table


def deals_table(records: list[RunRecord], codes: np.ndarray, months: pd.DatetimeIndex) -> pd.DataFrame:
    """One row per deal signed: replication, month, kind, standard, the country that moved and its
    counterpart (a home country of the sponsor, or the other side of a pair deal)."""
    rows = [(rec.replication, months[t], kind, standard, codes[a], codes[b] if b >= 0 else "")
            for rec in records for t, kind, standard, a, b in rec.deal_log]
    table = pd.DataFrame(rows, columns=["replication", "month", "kind", "standard", "country", "counterpart"])
    table["kind"] = pd.Categorical(table["kind"], categories=list(DEAL_KINDS))
    table["month"] = table["month"].astype("datetime64[ns]")
    return table


def events_table(record: RunRecord, months: pd.DatetimeIndex) -> pd.DataFrame:
    """The scenario's events in the order they happened (the same in every replication)."""
    rows = [(months[t], name, kind, note) for t, name, kind, note in record.event_log]
    table = pd.DataFrame(rows, columns=["month", "event", "type", "note"])
    table["month"] = table["month"].astype("datetime64[ns]")
    return table


def world_table(model: CredentialModel) -> pd.DataFrame:
    w = model.world
    return pd.DataFrame({"iso3": w.codes.astype(str), "name": w.names.astype(str), "region": w.region.astype(str),
                         "lat": w.lat, "lon": w.lon, "population": w.population, "gdp_usd": w.gdp,
                         "democracy": w.democracy, "travel_weight": w.travel_weight})
