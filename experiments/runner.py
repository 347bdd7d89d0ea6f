"""Run an experiment: replications of one configured model, collected into the output tables.

Replication r gets the seed spawned from `numpy.random.SeedSequence(seed)` as child r, so its
result depends only on (seed, r), whichever process runs it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import CredentialModel
from model.params import add_months

from .config import ExperimentConfig, compose, model_params, to_experiment
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


def model_from(exp: ExperimentConfig, seed: int) -> CredentialModel:
    """The model of one replication; a synthetic world is drawn from the model's own generator."""
    return CredentialModel(world=exp.world, params=model_params(exp), rng=seed)


@dataclass
class RunRecord:
    """What one replication leaves behind, in plain arrays (cheap to send between processes)."""

    replication: int
    seed: int
    adopters: np.ndarray
    population_share: np.ndarray
    gdp_share: np.ndarray
    travel_share: np.ndarray
    interoperability: np.ndarray
    deals: np.ndarray
    outside_home: np.ndarray
    hhi: np.ndarray
    final_state: np.ndarray
    adopted_month: np.ndarray
    outcome: dict


def run_replication(exp: ExperimentConfig, replication: int, seed: int) -> RunRecord:
    model = model_from(exp, seed).run()
    h = model.history
    return RunRecord(replication, seed, h.adopters, h.population_share, h.gdp_share, h.travel_share,
                     h.interoperability, h.deals, h.outside_home, h.hhi, model.state.copy(), model.adopted_month.copy(),
                     model.outcome())


@dataclass
class Results:
    """The tables of one experiment, as the CLI writes them."""

    config: ExperimentConfig
    timeseries: pd.DataFrame
    countries: pd.DataFrame
    world: pd.DataFrame
    summary: dict
    choices: list[str]

    @property
    def standard_names(self) -> dict[str, str]:
        """Display name of each option id, "none" included (for plots and tables)."""
        return {sid: s["name"] for sid, s in self.summary["standards"].items()}

    def summary_table(self) -> pd.DataFrame:
        """One row per option: win probability with its interval, median adopters and travel share."""
        rows = []
        for sid, s in self.summary["standards"].items():
            lo, hi = s.get("win_interval", (float("nan"), float("nan")))
            rows.append({"standard": sid, "name": s["name"], "win_probability": s.get("win_probability"),
                         "win_low": lo, "win_high": hi, "median_adopters": s["median_adopters"],
                         "median_travel_share": s["median_travel_share"]})
        return pd.DataFrame(rows).set_index("standard")


def run_experiment(scenario: str | None = "historical_2021", overrides: list[str] | tuple[str, ...] = (),
                   *, config: ExperimentConfig | None = None, progress: bool = False) -> Results:
    """Run every replication of a configured experiment and return the output tables."""
    exp = config if config is not None else to_experiment(compose(scenario, overrides))
    seeds = replication_seeds(exp.seed, exp.replications)
    jobs = list(enumerate(seeds))
    if exp.workers > 1 and len(jobs) > 1:
        from joblib import Parallel, delayed

        records = Parallel(n_jobs=exp.workers, backend="loky")(
            delayed(run_replication)(exp, r, s) for r, s in jobs)
    else:
        records = [run_replication(exp, r, s) for r, s in jobs]
    probe = model_from(exp, seeds[0])  # the world and option ids, as every replication saw them
    choices = probe.choices
    start = exp.scenario.start
    months = [_month_date(add_months(start, k)) for k in range(exp.scenario.horizon)]
    timeseries = timeseries_table(records, choices, months)
    countries = countries_table(records, choices, probe.world.codes, months)
    world = world_table(probe)
    summary = summarise(exp, records, choices)
    return Results(exp, timeseries, countries, world, summary, choices)


def _month_date(month: str) -> dt.date:
    year, mon = month.split("-")
    return dt.date(int(year), int(mon), 1)


def timeseries_table(records: list[RunRecord], choices: list[str], months: list[dt.date]) -> pd.DataFrame:
    """One row per replication x month x option, plus a row per replication x month for "all".

    `adopters_outside_home` counts adopters outside the sponsor's home (zero for unsponsored
    standards); `hhi` (on "all" rows) is the concentration of credentialled travel over standards."""
    horizon, k = len(months), len(choices)
    frames = []
    for rec in records:
        per_option = pd.DataFrame({
            "replication": rec.replication, "seed": rec.seed,
            "step": np.repeat(np.arange(horizon), k),
            "month": np.repeat(np.array(months, dtype=object), k),
            "standard": np.tile(np.array(choices, dtype=object), horizon),
            "adopters": rec.adopters.ravel(),
            "population_share": rec.population_share.ravel(),
            "gdp_share": rec.gdp_share.ravel(),
            "travel_share": rec.travel_share.ravel(),
            "adopters_outside_home": rec.outside_home.ravel(),
        })
        overall = pd.DataFrame({
            "replication": rec.replication, "seed": rec.seed, "step": np.arange(horizon),
            "month": np.array(months, dtype=object), "standard": "all",
            "interoperability": rec.interoperability, "deals": rec.deals, "hhi": rec.hhi,
        })
        frames += [per_option, overall]
    table = pd.concat(frames, ignore_index=True)
    table["adopters"] = table["adopters"].astype("Int64")
    table["adopters_outside_home"] = table["adopters_outside_home"].astype("Int64")
    table["deals"] = table["deals"].astype("Int64")
    table["standard"] = table["standard"].astype(str)
    return table.sort_values(["replication", "step"], kind="stable", ignore_index=True)


def countries_table(records: list[RunRecord], choices: list[str], codes: np.ndarray,
                    months: list[dt.date]) -> pd.DataFrame:
    """One row per replication x country: final standard and first month of each adoption."""
    month_of = np.array([*months, None], dtype=object)  # index -1 (never) -> None
    frames = []
    for rec in records:
        frame = {"replication": rec.replication, "iso3": codes.astype(str),
                 "final_standard": np.array(choices, dtype=object)[rec.final_state].astype(str)}
        for k, sid in enumerate(choices[1:], start=1):
            frame[f"adopted_{sid}"] = month_of[rec.adopted_month[:, k]]
        frames.append(pd.DataFrame(frame))
    return pd.concat(frames, ignore_index=True)


def world_table(model: CredentialModel) -> pd.DataFrame:
    w = model.world
    return pd.DataFrame({"iso3": w.codes.astype(str), "name": w.names.astype(str), "region": w.region.astype(str),
                         "lat": w.lat, "lon": w.lon, "population": w.population, "gdp_usd": w.gdp,
                         "democracy": w.democracy, "travel_weight": w.travel_weight})
