"""The final tables of a sweep: runs.parquet (one row per run) and points.parquet (one per point).

Both are sorted by point (then replication) and have fixed columns and dtypes, so the same sweep
config gives equal tables whatever the executor, the batch size, or how often it was resumed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..outcomes import Outcome
from ..summary import wilson_interval
from .runs import OK, RUN_KEYS, outcome_dtypes

QUANTILES = {"q05": 0.05, "q50": 0.5, "q95": 0.95}


def runs_table(finished: pd.DataFrame, design: pd.DataFrame, outcomes: list[Outcome],
               scenario: str = "") -> pd.DataFrame:
    """Finished runs with their context: point, replication, seed, scenario, the swept values of their
    point, then the declared outcomes."""
    keys = [c for c in design.columns if c != "point"]
    dtypes = {**RUN_KEYS, **outcome_dtypes(outcomes)}
    table = finished.astype(dtypes).merge(design, on="point", how="left", validate="many_to_one")
    table.insert(3, "scenario", pd.Series(scenario, index=table.index, dtype="string"))
    table = table[[*RUN_KEYS, "scenario", *keys, *outcome_dtypes(outcomes)]]
    return table.sort_values(["point", "replication"], ignore_index=True)


def winners(choices: list[str]) -> list[str]:
    """What `winner` can be: each standard ("none" never wins) or "fragmented"."""
    return [*[c for c in choices if c != "none"], "fragmented"]


def outcome_measures(outcomes: list[Outcome]) -> list[str]:
    """The numeric run outcomes summarised per point."""
    return [name for name, dtype in outcome_dtypes(outcomes).items() if dtype in ("Int64", "float64")]


def points_table(runs: pd.DataFrame, design: pd.DataFrame, choices: list[str],
                 outcomes: list[Outcome]) -> pd.DataFrame:
    """Per point: runs and failures; each outcome's probability with its Wilson 95% interval (over
    the runs that finished without error); mean and 5/50/95% quantiles of each numeric outcome.

    time_to_dominance is summarised over the runs that have a winner.
    """
    ok = runs[runs["status"] == OK]
    order = design["point"]
    counts = runs.groupby("point").size().reindex(order, fill_value=0).to_numpy()
    n_ok = ok.groupby("point").size().reindex(order, fill_value=0).to_numpy()
    columns: dict[str, np.ndarray] = {"runs": counts, "failures": counts - n_ok}
    for w in winners(choices):
        wins = (ok["winner"] == w).groupby(ok["point"]).sum().reindex(order, fill_value=0).to_numpy()
        bounds = np.array([wilson_interval(int(k), int(n)) for k, n in zip(wins, n_ok, strict=True)])
        columns[f"win_probability_{w}"] = np.where(n_ok > 0, wins / np.maximum(n_ok, 1), np.nan)
        columns[f"win_low_{w}"] = bounds[:, 0]
        columns[f"win_high_{w}"] = bounds[:, 1]
    measures = outcome_measures(outcomes)
    grouped = ok[["point", *measures]].astype({m: "float64" for m in measures}).groupby("point")
    for m in measures:
        columns[f"{m}_mean"] = grouped[m].mean().reindex(order).to_numpy(dtype="float64")
        for name, q in QUANTILES.items():
            columns[f"{m}_{name}"] = grouped[m].quantile(q).reindex(order).to_numpy(dtype="float64")
    table = pd.concat([design.reset_index(drop=True), pd.DataFrame(columns)], axis=1)
    return table.sort_values("point", ignore_index=True)
