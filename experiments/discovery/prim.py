"""Scenario discovery on a binary outcome: PRIM boxes (with their stability) and CART rules.

`find_box` runs ema_workbench's PRIM (patched for pandas 3, see ema_compat.py) on a table of runs
and returns the peeling trajectory, one chosen box and how stable that box is when PRIM is run
again on bootstrap resamples of the runs. `cart_rules` fits ema_workbench's CART and writes the
tree's paths to the positive class as rules. Both take one row per run (or per point) with the
parameter columns named in `parameters` and a 0/1 outcome column.

Box choice: among the boxes on the trajectory whose density is at least `density_target`, the one
with the highest coverage (ties: the higher density, then fewer restricted dimensions). This is
the largest box that is still "mostly the outcome". When no box reaches the target, the box with
the best harmonic mean of coverage and density (the knee of the trade-off curve) is taken and the
result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .declare import Labels, Parameter, label_of
from .ema_compat import Prim
from .evaluate import design_columns, outcome_cases
from .words import format_bound, format_table

QUANTILES = (0.05, 0.5, 0.95)


def choose_box(trajectory: pd.DataFrame, density_target: float) -> tuple[int, bool]:
    """Index of the chosen box on a trajectory and whether it reached the density target."""
    reached = trajectory[trajectory["density"] >= density_target]
    if len(reached):
        order = reached.assign(neg_dims=-reached["res_dim"]).sort_values(
            ["coverage", "density", "neg_dims"], ascending=False, kind="stable")
        return int(order.index[0]), True
    c, d = trajectory["coverage"], trajectory["density"]
    knee = (2 * c * d / (c + d).where(c + d > 0)).fillna(0.0)
    return int(knee.idxmax()), False


def _restricted(limits: pd.DataFrame, initial: pd.DataFrame) -> list[str]:
    return [c for c in limits.columns if limits[c].tolist() != initial[c].tolist()]


def _limits_table(box, i: int, initial: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for dim in _restricted(box.box_lims[i], initial):
        qp_lower, qp_upper = (np.nan if q == -1 else float(q) for q in box.p_values[i][dim])
        lower, upper = box.box_lims[i][dim].tolist()
        if isinstance(lower, set):  # categorical: the choices kept in the box
            kind, lower, upper = "categorical", tuple(sorted(lower, key=str)), None
            qp_upper = np.nan
        else:
            kind = "numeric"
            lower = float(lower) if lower != initial[dim].iloc[0] else np.nan
            upper = float(upper) if upper != initial[dim].iloc[1] else np.nan
        qp = np.nanmax([qp_lower, qp_upper]) if np.isfinite([qp_lower, qp_upper]).any() else np.nan
        rows.append({"dimension": dim, "kind": kind, "lower": lower, "upper": upper,
                     "qp_lower": qp_lower, "qp_upper": qp_upper, "qp": qp})
    return pd.DataFrame(rows, columns=["dimension", "kind", "lower", "upper", "qp_lower", "qp_upper", "qp"])


def _prim_box(x: pd.DataFrame, y: np.ndarray, settings: dict, density_target: float):
    box = Prim(x, y, **settings).find_box()
    trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].astype(float)
    i, reached = choose_box(trajectory, density_target)
    return box, trajectory, i, reached


def box_stability(x: pd.DataFrame, y: np.ndarray, resamples: int, seed: int, settings: dict,
                  density_target: float) -> pd.DataFrame:
    """PRIM again on `resamples` bootstrap resamples of the runs, the box chosen by the same rule:
    per dimension, the share of resamples that restrict it and the 5/50/95% quantiles of each bound
    (over the resamples that restrict that bound)."""
    rng = np.random.default_rng(seed)
    counts = dict.fromkeys(x.columns, 0)
    bounds: dict[tuple[str, str], list[float]] = {}
    done = 0
    for _ in range(resamples):
        pick = rng.integers(0, len(y), len(y))
        if y[pick].min() == y[pick].max():
            continue  # a resample without both cases has no box
        box, _, i, _ = _prim_box(x.iloc[pick].reset_index(drop=True), y[pick].copy(), settings, density_target)
        done += 1
        limits = _limits_table(box, i, box.box_lims[0])
        for row in limits.itertuples():
            counts[row.dimension] += 1
            if row.kind == "numeric":
                for side in ("lower", "upper"):
                    if np.isfinite(getattr(row, side)):
                        bounds.setdefault((row.dimension, side), []).append(getattr(row, side))
    rows = []
    for dim in x.columns:
        row = {"dimension": dim, "restricted_share": counts[dim] / done if done else np.nan}
        for side in ("lower", "upper"):
            values = bounds.get((dim, side), [])
            for q in QUANTILES:
                row[f"{side}_q{round(q * 100):02d}"] = float(np.quantile(values, q)) if values else np.nan
        rows.append(row)
    return pd.DataFrame(rows).sort_values("restricted_share", ascending=False, kind="stable", ignore_index=True)


@dataclass
class BoxResult:
    """A PRIM box for one outcome: the trajectory, the chosen box, its limits and its stability."""

    outcome: str
    trajectory: pd.DataFrame  # step, coverage, density, mass, res_dim, restricted
    chosen: int  # step of the chosen box on the trajectory
    reached_target: bool  # False: no box reached the density target; the knee was taken
    density_target: float
    limits: pd.DataFrame  # dimension, kind, lower, upper (NaN: not restricted), qp_lower, qp_upper, qp
    stability: pd.DataFrame  # dimension, restricted_share, lower_q05/q50/q95, upper_q05/q50/q95
    resamples: int
    ranges: dict  # dimension -> (min, max) over the design, or its choices
    runs: int
    base_rate: float  # share of runs where the outcome happens

    @property
    def coverage(self) -> float:
        return float(self.trajectory.loc[self.chosen, "coverage"])

    @property
    def density(self) -> float:
        return float(self.trajectory.loc[self.chosen, "density"])

    @property
    def mass(self) -> float:
        return float(self.trajectory.loc[self.chosen, "mass"])

    @property
    def rule(self) -> str:
        if self.reached_target:
            return f"highest coverage with density >= {self.density_target:g}"
        return f"no box reached density {self.density_target:g}; knee (best harmonic mean of coverage and density)"

    def conditions(self, labels: Labels | None = None) -> list[str]:
        """Each restricted dimension in words, e.g. 'privacy weight < 1.2'."""
        return [format_bound(r.dimension, r.kind, r.lower, r.upper, labels) for r in self.limits.itertuples()]

    def describe(self, labels: Labels | None = None) -> str:
        """The box in one sentence."""
        what = label_of(self.outcome, labels)
        where = " and ".join(self.conditions(labels)) or "anywhere (no dimension restricted)"
        hedge = "" if self.reached_target else f" (no box reached density {self.density_target:g})"
        return (f"{what}: where {where}, it happens in {self.density:.0%} of the runs (density); this box holds "
                f"{self.coverage:.0%} of all the runs where it happens (coverage) and {self.mass:.0%} of all runs"
                f"{hedge}.")

    def table(self) -> pd.DataFrame:
        """Rows of boxes.csv: outcome, box, coverage, density, mass, dimension, lower, upper, qp."""
        rows = []
        for r in self.limits.itertuples():
            lower = " | ".join(map(str, r.lower)) if r.kind == "categorical" else r.lower
            rows.append({"outcome": self.outcome, "box": self.chosen, "coverage": self.coverage,
                         "density": self.density, "mass": self.mass, "dimension": r.dimension,
                         "lower": lower, "upper": r.upper, "qp": r.qp})
        columns = ["outcome", "box", "coverage", "density", "mass", "dimension", "lower", "upper", "qp"]
        return pd.DataFrame(rows, columns=columns)

    def __str__(self) -> str:
        head = (f"PRIM box for {self.outcome} ({self.runs} runs, base rate {self.base_rate:.1%}): step "
                f"{self.chosen} of {len(self.trajectory) - 1}, coverage {self.coverage:.2f}, density "
                f"{self.density:.2f}, mass {self.mass:.2f} [{self.rule}]")
        limits = self.limits[["dimension", "lower", "upper", "qp"]]
        stable = self.stability[["dimension", "restricted_share", "lower_q05", "lower_q95", "upper_q05",
                                 "upper_q95"]]
        return "\n".join([head, format_table(limits), "",
                          f"Stability over {self.resamples} bootstrap resamples:", format_table(stable)])

    def figure(self, labels: Labels | None = None) -> Figure:
        """Left: the coverage-density trade-off (chosen box ringed). Right: the box's limits on each
        restricted dimension's range, with the 5-95% spread of each bound over the resamples."""
        fig = Figure(figsize=(12, 4.5), layout="constrained")
        fig.suptitle(f"PRIM: {label_of(self.outcome, labels)}")
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.3])
        t = self.trajectory
        points = left.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=18)
        left.scatter([self.coverage], [self.density], s=140, facecolors="none", edgecolors="red",
                     label=f"chosen (step {self.chosen})")
        left.axhline(self.density_target, color="grey", lw=0.8, ls="--")
        left.set(xlabel="coverage", ylabel="density", xlim=(0, 1.05), ylim=(0, 1.05),
                 title="coverage-density trade-off")
        left.legend(loc="lower left")
        fig.colorbar(points, ax=left, label="restricted dimensions")
        numeric = self.limits[self.limits["kind"] == "numeric"]
        spread = self.stability.set_index("dimension")
        for y, r in enumerate(numeric.itertuples()):
            low, high = self.ranges[r.dimension]
            scale = (high - low) or 1.0
            lo = 0.0 if np.isnan(r.lower) else (r.lower - low) / scale
            hi = 1.0 if np.isnan(r.upper) else (r.upper - low) / scale
            right.barh(y, hi - lo, left=lo, height=0.5, color="tab:blue", alpha=0.6)
            for side in ("lower", "upper"):
                q05, q95 = spread.loc[r.dimension, f"{side}_q05"], spread.loc[r.dimension, f"{side}_q95"]
                if np.isfinite(q05):
                    right.plot([(q05 - low) / scale, (q95 - low) / scale], [y, y], color="black", lw=2)
        right.set_yticks(range(len(numeric)), [label_of(d, labels) for d in numeric["dimension"]])
        right.set(xlim=(0, 1), xlabel="share of the range",
                  title="numeric box limits\n(black: 5-95% of each bound over resamples)")
        return fig


def find_box(runs: pd.DataFrame, outcome: str, parameters: Sequence[str | Parameter], *,
             density_target: float = 0.8, peel_alpha: float = 0.05, paste_alpha: float = 0.05,
             mass_min: float = 0.05, resamples: int = 20, seed: int = 0) -> BoxResult:
    """PRIM on `outcome` (0/1) over the `parameters` columns of `runs`; see the module docstring."""
    y = outcome_cases(runs, outcome, "box")
    x = design_columns(runs, parameters)
    settings = {"peel_alpha": peel_alpha, "paste_alpha": paste_alpha, "mass_min": mass_min}
    box, trajectory, i, reached = _prim_box(x, y.copy(), settings, density_target)
    initial = box.box_lims[0]
    trajectory = trajectory.assign(
        step=np.arange(len(trajectory)), res_dim=trajectory["res_dim"].astype(int),
        restricted=[", ".join(_restricted(lims, initial)) for lims in box.box_lims])
    ranges = {c: (tuple(sorted(initial[c].iloc[0], key=str)) if isinstance(initial[c].iloc[0], set)
                  else (float(initial[c].iloc[0]), float(initial[c].iloc[1]))) for c in x.columns}
    stability = box_stability(x, y, resamples, seed, settings, density_target)
    return BoxResult(outcome=outcome, trajectory=trajectory[["step", "coverage", "density", "mass", "res_dim",
                                                             "restricted"]],
                     chosen=i, reached_target=reached, density_target=density_target,
                     limits=_limits_table(box, i, initial), stability=stability, resamples=resamples,
                     ranges=ranges, runs=len(y), base_rate=float(y.mean()))
