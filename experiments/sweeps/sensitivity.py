"""Sensitivity indices of a Sobol or Morris sweep, from SALib, per point-level outcome.

The outcomes are each winner's probability and the mean interoperability of a point (averaged
over its replications, so the indices carry replication noise: more replications, less noise).
Parameters enter SALib on the unit cube, so Morris effects are per full range of a parameter.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .design import salib_problem, unit_sample
from .spec import SweepSpec
from .tables import winners

SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
MORRIS_COLUMNS = ("mu", "mu_star", "sigma", "mu_star_conf")


def analysed_outcomes(choices: list[str], points: pd.DataFrame | None = None) -> list[str]:
    """Each winner's probability, and the mean of interoperability when the sweep kept it."""
    means = ["interoperability_mean"] if points is None or "interoperability_mean" in points else []
    return [*(f"win_probability_{w}" for w in winners(choices)), *means]


def sensitivity_table(spec: SweepSpec, points: pd.DataFrame, choices: list[str]) -> pd.DataFrame:
    """One row per outcome x parameter with the design's indices; an outcome that is constant or
    missing at some point (all its runs failed) gets NaN indices rather than a misleading number."""
    from SALib.analyze import morris, sobol

    problem = salib_problem(spec)
    columns = SOBOL_COLUMNS if spec.design == "sobol" else MORRIS_COLUMNS
    unit = unit_sample(spec) if spec.design == "morris" else None
    frames = []
    for outcome in analysed_outcomes(choices, points):
        y = points.sort_values("point")[outcome].to_numpy(dtype=float)
        frame = pd.DataFrame({"outcome": outcome, "parameter": problem["names"]})
        if np.isfinite(y).all() and np.ptp(y) > 0:
            with warnings.catch_warnings():  # win/lose outcomes are often equal between paired samples
                warnings.filterwarnings("ignore", message="Constant values encountered")
                if spec.design == "sobol":
                    found = sobol.analyze(problem, y, calc_second_order=spec.second_order, seed=spec.seed)
                else:
                    found = morris.analyze(problem, unit, y, num_levels=spec.levels, seed=spec.seed)
            for c in columns:
                frame[c] = np.asarray(found[c], dtype=float)
        else:
            for c in columns:
                frame[c] = np.nan
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def format_sensitivity(table: pd.DataFrame, names: dict[str, str]) -> str:
    """The indices of each winner's probability as a small text table, most influential first."""
    main = "ST" if "ST" in table.columns else "mu_star"
    conf = "ST_conf" if main == "ST" else "mu_star_conf"
    lines = [f"Sensitivity of the win probabilities ({main}; sensitivity.parquet has all indices):"]
    constant, noisy = [], False
    for outcome, rows in table.groupby("outcome", sort=False):
        if not outcome.startswith("win_probability_"):
            continue
        label = names.get(outcome.removeprefix("win_probability_"), outcome.removeprefix("win_probability_"))
        ranked = rows[np.isfinite(rows[main])].sort_values(main, ascending=False)
        if ranked.empty:
            constant.append(label)
            continue
        cells = []
        for r in ranked.itertuples():
            value, interval = getattr(r, main), getattr(r, conf)
            doubtful = bool(interval > value or (main == "ST" and value > 1))  # replication noise dominates
            noisy |= doubtful
            cells.append(f"{r.parameter} {value:.2f}{'?' if doubtful else ''}")
        lines.append(f"  {label[:30]:<31}" + ", ".join(cells))
    if constant:
        lines.append(f"  the same at every point (no index): {', '.join(constant)}")
    if noisy:
        above = " or ST > 1" if main == "ST" else ""
        lines.append(f"  ? = noise-dominated: the index's 95% interval is wider than the index{above}; raise "
                     "sweep.replications (or use `credential-race discover`, which reports the noise share)")
    return "\n".join(lines)
