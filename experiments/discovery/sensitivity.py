"""Which parameters move an outcome: Morris screening, then Sobol indices on the ones that matter.

Both draw their design on the unit cube with SALib and map it onto each parameter (so a Morris
effect is per full range of a parameter, and a log-range parameter is spread log-uniformly). Each
design point runs with the same R seeds; the indices are computed on each point's mean over its
replications, and their intervals are SALib's bootstrap intervals (95%).

Replication noise: with R > 1, `noise_share` = mean within-point variance / variance of single
runs, per outcome. Near 0 the outcome is a function of the parameters; near 1 the seed decides
it. Noise left in the point means (within-point variance / R) inflates every total index towards
the `noise_floor`, its share of the variance of the means: a parameter with no effect at all gets
ST of about that floor. Each index row carries a plain-words note when it should not be read as
an effect: "noise-dominated" when ST > 1 (no true index can be), when ST is within its interval
of the noise floor, or when its interval is wider than the index on a noisy outcome (for Morris,
the floor is the mean |elementary effect| that noise alone gives); "no measurable effect" for a
wide interval on a noise-free outcome.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .declare import Labels, Outcome, Parameter, Simulator, Value, label_of
from .evaluate import check_outcome, design_from_unit, point_means, run_design, unit_problem
from .words import format_table, panels, wrapped

COLUMNS = ["outcome", "parameter", "method", "S1", "S1_conf", "ST", "ST_conf", "mu_star", "mu_star_conf", "sigma",
           "note"]
NOISY = 0.01  # a noise share above this makes a wide interval "noise-dominated"


def noise_share(runs: pd.DataFrame, outcome: str) -> float:
    """Mean within-point variance over the variance of all single runs (NaN with one replication
    or a constant outcome)."""
    y = check_outcome(runs, outcome)
    total = float(np.var(y, ddof=1)) if len(y) > 1 else np.nan
    within = runs.groupby("point")[outcome].var(ddof=1)
    if within.isna().all() or not total > 0:
        return np.nan
    return float(within.mean() / total)


def noise_in_means(runs: pd.DataFrame, outcome: str) -> float:
    """Variance of the replication noise left in a point mean: mean within-point variance / R
    (0 with one replication, where no noise can be measured)."""
    within = runs.groupby("point")[outcome].var(ddof=1)
    if within.isna().all():
        return 0.0
    return float(within.mean() / runs.groupby("point").size().mean())


def _note(method: str, row: dict, noisy: bool, floor: float) -> str:
    """Why an index should not be read as an effect ('' when it can be)."""
    wide = "noise-dominated" if noisy else "no measurable effect"
    index, conf = ("ST", "ST_conf") if method == "sobol" else ("mu_star", "mu_star_conf")
    if method == "sobol" and row["ST"] > 1:
        return "noise-dominated: ST > 1, which no true index can be"
    if noisy and row[index] - row[conf] <= floor:
        return f"noise-dominated: {index} is within its interval of the noise floor {floor:.2g}"
    if row[conf] > abs(row[index]):
        return f"{wide}: the interval of {index} is wider than {index}"
    if method == "sobol" and row["S1_conf"] > abs(row["S1"]):
        return "first-order effect not distinguishable from 0 (acts through interactions, if at all)"
    return ""


def _floor(method: str, noise_variance: float, means: np.ndarray, levels: int) -> float:
    """What noise alone gives: ST's share of the means' variance (Sobol), or the mean |elementary
    effect| of two independent noise draws a step apart (Morris, per full range)."""
    if method == "sobol":
        return noise_variance / float(np.var(means, ddof=1))
    step = levels / (2 * (levels - 1))  # SALib's Morris step on the unit interval
    return 2 * np.sqrt(noise_variance / np.pi) / step


def _analyse(method: str, parameters: Sequence[Parameter], unit: np.ndarray, runs: pd.DataFrame,
             outcomes: Sequence[str], settings: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    from SALib.analyze import morris, sobol

    problem = unit_problem(parameters)
    means = point_means(runs, outcomes)
    rows, noise_rows = [], []
    for outcome in outcomes:
        share = noise_share(runs, outcome)
        y = means[outcome].to_numpy(dtype=float)
        varies = bool(np.isfinite(y).all() and np.ptp(y) > 0)
        floor = _floor(method, noise_in_means(runs, outcome), y, settings.get("levels", 4)) if varies else np.nan
        noise_rows.append({"outcome": outcome, "noise_share": share, "noise_floor": floor, "points": len(means),
                           "replications": int(runs["replication"].max()) + 1})
        found = None
        if varies:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Constant values encountered")
                if method == "sobol":
                    # SALib's Sobol analysis seeds its bootstrap only `if seed:`, so seed 0 would draw
                    # unseeded confidence intervals: shift it by one to keep every seed reproducible
                    found = sobol.analyze(problem, y, calc_second_order=False, seed=settings["seed"] + 1,
                                          num_resamples=settings["resamples"])
                else:
                    found = morris.analyze(problem, unit, y, num_levels=settings["levels"], seed=settings["seed"],
                                           num_resamples=settings["resamples"])
        noisy = bool(np.isfinite(share) and share > NOISY)
        for j, name in enumerate(problem["names"]):
            row = dict.fromkeys(COLUMNS, np.nan) | {"outcome": outcome, "parameter": name, "method": method}
            if found is None:
                row["note"] = "the outcome is the same at every point: no index"
            else:
                keys = ("S1", "S1_conf", "ST", "ST_conf") if method == "sobol" else ("mu_star", "mu_star_conf",
                                                                                      "sigma")
                row.update({k: float(found[k][j]) for k in keys})
                row["note"] = _note(method, row, noisy, floor)
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS), pd.DataFrame(noise_rows)


@dataclass
class SensitivityResult:
    """Indices per outcome x parameter, the noise share per outcome, and the runs behind them."""

    method: str  # "morris" or "sobol"
    indices: pd.DataFrame  # COLUMNS; NaN where a column does not apply to the method
    noise: pd.DataFrame  # outcome, noise_share, noise_floor, points, replications
    runs: pd.DataFrame

    @property
    def main(self) -> str:
        return "ST" if self.method == "sobol" else "mu_star"

    def ranked(self, outcome: str) -> list[str]:
        """The parameters, most influential first, for one outcome."""
        rows = self.indices[self.indices["outcome"] == outcome]
        if rows.empty:
            raise ValueError(f"outcome {outcome}: not analysed here; analysed: "
                             f"{', '.join(self.indices['outcome'].unique())}")
        return rows.sort_values(self.main, ascending=False, kind="stable")["parameter"].tolist()

    def screened(self, share: float = 0.1) -> list[str]:
        """Parameters whose index reaches `share` of the largest one for some outcome (the ones to
        keep for Sobol after a Morris screening), most influential first."""
        table = self.indices.assign(scaled=self.indices.groupby("outcome")[self.main].transform(
            lambda v: v / v.max() if v.max() > 0 else v * 0))
        best = table.groupby("parameter")["scaled"].max().sort_values(ascending=False, kind="stable")
        return best[best >= share].index.tolist()

    def table(self) -> pd.DataFrame:
        """Rows of sensitivity.csv: outcome, parameter, method, S1, S1_conf, ST, ST_conf, mu_star, sigma."""
        return self.indices[["outcome", "parameter", "method", "S1", "S1_conf", "ST", "ST_conf", "mu_star", "sigma"]]

    def describe(self, outcome: str, labels: Labels | None = None, top: int = 3) -> str:
        """The levers that matter most for one outcome, in words."""
        rows = self.indices[self.indices["outcome"] == outcome].set_index("parameter")
        ranked = [p for p in self.ranked(outcome) if np.isfinite(rows.loc[p, self.main])][:top]
        parts = [f"{label_of(p, labels)} ({self.main} {rows.loc[p, self.main]:.2f}"
                 + (f"; {rows.loc[p, 'note']}" if rows.loc[p, "note"] else "") + ")" for p in ranked]
        noise = self.noise.set_index("outcome").loc[outcome, "noise_share"]
        tail = "" if np.isnan(noise) else f" Replication noise is {noise:.0%} of the run-to-run variance."
        if not parts:
            return f"{label_of(outcome, labels)}: no index (the outcome does not vary).{tail}"
        return f"{label_of(outcome, labels)} moves most with {', '.join(parts)}.{tail}"

    def __str__(self) -> str:
        cols = ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"] if self.method == "sobol" else \
            ["outcome", "parameter", "mu_star", "mu_star_conf", "sigma"]
        return (f"{self.method.capitalize()} indices (on replication means):\n"
                f"{format_table(self.indices[[*cols, 'note']])}\n\nReplication noise:\n{format_table(self.noise)}")

    def figure(self, labels: Labels | None = None) -> Figure:
        """Per outcome: S1 and ST bars with their intervals (Sobol), or mu_star against sigma (Morris)."""
        outcomes = list(dict.fromkeys(self.indices["outcome"]))
        height = 0.45 * self.indices.groupby("outcome")["parameter"].nunique().max() + 1.8
        fig, axes = panels(len(outcomes), 2, (6.5, height))
        for ax, outcome in zip(axes, outcomes, strict=True):
            rows = self.indices[self.indices["outcome"] == outcome]
            names = [label_of(p, labels) for p in rows["parameter"]]
            if self.method == "sobol":
                y = np.arange(len(rows))
                ax.barh(y + 0.2, rows["ST"], 0.4, xerr=rows["ST_conf"], label="ST (total)", color="tab:blue")
                ax.barh(y - 0.2, rows["S1"], 0.4, xerr=rows["S1_conf"], label="S1 (first order)", color="tab:orange")
                ax.set_yticks(y, names)
                ax.set(xlabel="share of variance", xlim=(min(0, rows["S1"].min() - 0.05), 1.05))
                ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, fontsize=7, frameon=False)
            else:  # ranked bars: mu* (how much) with its interval, sigma (how unevenly: interactions)
                order = np.argsort(rows["mu_star"].to_numpy(), kind="stable")
                ranked = rows.iloc[order]
                y = np.arange(len(ranked))
                ax.barh(y, ranked["mu_star"], 0.6, xerr=ranked["mu_star_conf"], color="tab:blue",
                        label="mu* (mean |elementary effect|)")
                ax.plot(ranked["sigma"], y, "D", color="black", ms=4, label="sigma (spread: interactions)")
                ax.set_yticks(y, [names[i] for i in order])
                ax.set(xlabel="effect over the parameter's range", xlim=(0, None))
                ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2, fontsize=7, frameon=False)
            ax.set_title(wrapped(label_of(outcome, labels)))
        return fig


def _names(outcomes: Sequence[Outcome | str]) -> list[str]:
    if not outcomes:
        raise ValueError("outcomes: empty; name at least one outcome to analyse")
    return [o.name if isinstance(o, Outcome) else o for o in outcomes]


def morris(simulate: Simulator, parameters: Sequence[Parameter], outcomes: Sequence[Outcome | str],
           seeds: Sequence[int], *, trajectories: int = 20, levels: int = 4, seed: int = 0, resamples: int = 1000,
           fixed: Mapping[str, Value] | None = None) -> SensitivityResult:
    """Morris elementary effects: `trajectories` x (parameters + 1) points, each run with every seed."""
    from SALib.sample import morris as morris_sample

    if levels < 2 or levels % 2:
        raise ValueError(f"levels = {levels}: Morris needs an even number of levels >= 2")
    if trajectories < 2:
        raise ValueError(f"trajectories = {trajectories}: Morris needs at least 2")
    names = _names(outcomes)
    unit = morris_sample.sample(unit_problem(parameters), trajectories, num_levels=levels, seed=seed)
    runs = run_design(simulate, design_from_unit(parameters, unit), seeds, names, fixed)
    indices, noise = _analyse("morris", parameters, unit, runs, names,
                              {"seed": seed, "levels": levels, "resamples": resamples})
    return SensitivityResult("morris", indices, noise, runs)


def sobol(simulate: Simulator, parameters: Sequence[Parameter], outcomes: Sequence[Outcome | str],
          seeds: Sequence[int], *, samples: int = 256, seed: int = 0, resamples: int = 1000,
          fixed: Mapping[str, Value] | None = None) -> SensitivityResult:
    """First-order and total Sobol indices: `samples` (a power of two) x (parameters + 2) points
    (Saltelli's scheme, scrambled Sobol sequence), each run with every seed."""
    from SALib.sample import sobol as sobol_sample

    if samples < 2 or samples & (samples - 1):
        raise ValueError(f"samples = {samples}: Sobol needs a power of two (e.g. 256, 512, 1024)")
    names = _names(outcomes)
    unit = sobol_sample.sample(unit_problem(parameters), samples, calc_second_order=False, seed=seed)
    runs = run_design(simulate, design_from_unit(parameters, unit), seeds, names, fixed)
    indices, noise = _analyse("sobol", parameters, unit, runs, names, {"seed": seed, "resamples": resamples})
    return SensitivityResult("sobol", indices, noise, runs)
