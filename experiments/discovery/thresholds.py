"""Tipping points: the value of one lever at which P(outcome) crosses 1/2, with an interval.

Method. The lever takes `grid` evenly spaced values over its range (log-spaced for a log lever),
each run with the same R seeds (common seeds). A logistic regression of the 0/1 outcome on the
lever (on its unit scale, so a log lever is fitted in log space) gives the crossing point
-intercept/slope. The interval is a percentile bootstrap over seeds: a resample draws R seeds with
replacement and keeps all their runs, because runs that share a seed are correlated across lever
values. `refine` > 0 then bisects: it runs the midpoint of the two neighbouring lever values whose
observed P straddles 1/2, keeps the half where the crossing is, and refits on all runs, so the
extra runs land where they inform the crossing most.

Honesty: when the observed P stays on one side of 1/2 over the whole range, the threshold is NaN
and `reason` says so ("stays below 1/2 across [0, 1] ..."); a bound whose resamples run past the
range is reported at the range end and flagged in `note`.

Hysteresis: the same search from two starting conditions (two simulators); the result says
whether the two intervals overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy.special import expit

from .declare import Labels, Parameter, Simulator, Value, label_of
from .evaluate import run_design
from .intervals import wilson
from .words import format_table, number, with_unit

RIDGE = 1e-3  # on the slope (unit scale): keeps the fit finite when the grid separates wins perfectly


def to_unit(p: Parameter, values: np.ndarray) -> np.ndarray:
    """A numeric parameter's values as positions in [0, 1] on its (linear or log) scale."""
    v = np.asarray(values, dtype=float)
    if p.log:
        return (np.log(v) - np.log(p.low)) / (np.log(p.high) - np.log(p.low))
    return (v - p.low) / (p.high - p.low)


def from_unit(p: Parameter, unit: float) -> float:
    """The inverse of `to_unit`, without rounding (a threshold may fall between whole numbers)."""
    if p.log:
        return float(np.exp(np.log(p.low) + unit * (np.log(p.high) - np.log(p.low))))
    return float(p.low + unit * (p.high - p.low))


def logistic_fit(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> tuple[float, float]:
    """(intercept, slope) of P(y = 1) = expit(intercept + slope * x), by Newton's method with step
    halving on the weighted log-likelihood less a small ridge on the slope."""
    w = np.ones_like(x, dtype=float) if weights is None else np.asarray(weights, dtype=float)
    design = np.column_stack([np.ones_like(x, dtype=float), x])
    penalty = np.diag([0.0, RIDGE])

    def objective(beta: np.ndarray) -> float:
        eta = design @ beta
        return float(np.sum(w * (y * eta - np.logaddexp(0.0, eta))) - 0.5 * beta @ penalty @ beta)

    beta = np.zeros(2)
    current = objective(beta)
    for _ in range(100):
        p = expit(design @ beta)
        gradient = design.T @ (w * (y - p)) - penalty @ beta
        hessian = design.T @ (design * (w * p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while objective(beta + scale * step) < current - 1e-12 and scale > 1e-6:
            scale /= 2
        beta = beta + scale * step
        previous, current = current, objective(beta)
        if abs(current - previous) < 1e-10:
            break
    return float(beta[0]), float(beta[1])


@dataclass
class Threshold:
    """Where P(outcome) crosses 1/2 along one lever (NaN with a reason when it does not)."""

    standard: str
    outcome: str
    lever: str
    start: str  # the starting condition, for a hysteresis search; "" otherwise
    low: float
    high: float
    log: bool  # the lever's scale (the fit is linear on it)
    threshold: float
    lower: float
    upper: float
    direction: str  # "rises" or "falls": how P(outcome) moves as the lever goes up
    reason: str  # why there is no threshold ("" when there is one)
    note: str  # caveats on the interval
    curve: pd.DataFrame  # value, runs, wins, probability, lower, upper (Wilson 95%)
    intercept: float
    slope: float  # of the logistic fit, on the lever's unit scale
    runs: pd.DataFrame
    level: float

    @property
    def crosses(self) -> bool:
        return bool(np.isfinite(self.threshold))

    def row(self) -> dict:
        """A row of thresholds.csv: standard, lever, threshold, lower, upper, and where the world started."""
        return {"standard": self.standard, "lever": self.lever, "threshold": self.threshold, "lower": self.lower,
                "upper": self.upper, "start": self.start}

    def describe(self, labels: Labels | None = None) -> str:
        what, lever = label_of(self.standard, labels), label_of(self.lever, labels)
        start = f" (starting from {self.start})" if self.start else ""
        if not self.crosses:
            reason = self.reason.replace(f"P({self.outcome})", f"P({label_of(self.outcome, labels)})")
            return f"{what}{start}: no tipping point along {lever}: {reason}."
        side = "above" if self.direction == "rises" else "below"
        text = (f"{what}{start}: more likely than not once {lever} is {side} "
                f"{with_unit(self.threshold, self.lever, labels)} ({self.level:.0%} interval "
                f"{number(self.lower)} to {number(self.upper)})")
        return text + (f"; {self.note}." if self.note else ".")

    def __str__(self) -> str:
        head = (f"Threshold of {self.outcome} along {self.lever}{' from ' + self.start if self.start else ''}: "
                + (f"{number(self.threshold)} [{number(self.lower)}, {number(self.upper)}], P {self.direction}"
                   if self.crosses else f"none ({self.reason})"))
        return f"{head}\n{format_table(self.curve)}" + (f"\nNote: {self.note}" if self.note else "")

    def draw(self, ax, labels: Labels | None = None, color: str = "tab:blue") -> None:
        c = self.curve
        name = f"from {self.start}" if self.start else "observed"
        ax.errorbar(c["value"], c["probability"], yerr=[c["probability"] - c["lower"], c["upper"] - c["probability"]],
                    fmt="o", ms=3, color=color, label=name)
        u = np.linspace(0, 1, 200)
        ax.plot([from_unit(self._parameter, v) for v in u], expit(self.intercept + self.slope * u), color=color, lw=1)
        if self.crosses:
            ax.axvspan(self.lower, self.upper, color=color, alpha=0.15)
            ax.axvline(self.threshold, color=color, ls="--", lw=1)
        ax.axhline(0.5, color="grey", lw=0.8)
        ax.set(xlabel=label_of(self.lever, labels, unit=True), ylabel=f"P({label_of(self.outcome, labels)})",
               ylim=(-0.03, 1.03))

    @property
    def _parameter(self) -> Parameter:
        return Parameter(self.lever, self.low, self.high, log=self.log)

    def figure(self, labels: Labels | None = None) -> Figure:
        fig = Figure(figsize=(6, 3.5), layout="constrained")
        ax = fig.subplots()
        self.draw(ax, labels)
        ax.set_title(f"Tipping point: {label_of(self.standard, labels)}")
        ax.legend(loc="best", fontsize=7)
        return fig


def _curve(values: np.ndarray, y: np.ndarray, level: float) -> pd.DataFrame:
    table = pd.DataFrame({"value": values, "y": y}).groupby("value", sort=True)["y"].agg(["size", "sum"])
    bounds = [wilson(int(k), int(n), level) for n, k in zip(table["size"], table["sum"], strict=True)]
    return pd.DataFrame({"value": table.index.to_numpy(dtype=float), "runs": table["size"].to_numpy(),
                         "wins": table["sum"].to_numpy(dtype=int),
                         "probability": (table["sum"] / table["size"]).to_numpy(),
                         "lower": [b[0] for b in bounds], "upper": [b[1] for b in bounds]})


def _bracket(curve: pd.DataFrame, near: float) -> tuple[float, float] | None:
    """The two neighbouring lever values whose observed P straddles 1/2, nearest to `near`."""
    v, p = curve["value"].to_numpy(), curve["probability"].to_numpy() - 0.5
    pairs = [(v[i], v[i + 1]) for i in range(len(v) - 1) if p[i] * p[i + 1] <= 0 and p[i] != p[i + 1]]
    if not pairs:
        return None
    return min(pairs, key=lambda ab: abs((ab[0] + ab[1]) / 2 - near) if np.isfinite(near) else 0)


def find_threshold(simulate: Simulator, lever: Parameter, outcome: str, seeds: Sequence[int], *,
                   fixed: Mapping[str, Value] | None = None, grid: int = 21, refine: int = 0,
                   resamples: int = 500, level: float = 0.95, seed: int = 0, standard: str | None = None,
                   start: str = "") -> Threshold:
    """The lever value where P(`outcome`) crosses 1/2 (see the module docstring for the method)."""
    if lever.choices is not None:
        raise ValueError(f"{lever.name}: a tipping point needs a numeric lever, not choices")
    if grid < 3:
        raise ValueError(f"grid = {grid}: give at least 3 lever values")
    if len(seeds) < 2:
        raise ValueError(f"seeds: {len(seeds)} given; the interval needs at least 2 common seeds")
    values = np.unique(lever.from_unit(np.linspace(0.0, 1.0, grid)))
    runs = run_design(simulate, pd.DataFrame({lever.name: values}).astype({lever.name: lever.dtype}), seeds,
                      [outcome], fixed)
    y = runs[outcome].to_numpy(dtype=float)
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(f"outcome {outcome}: not binary (a tipping point needs 0/1 runs)")
    intercept, slope = logistic_fit(to_unit(lever, runs[lever.name]), y)
    for _ in range(refine):
        observed = _curve(runs[lever.name].to_numpy(dtype=float), y, level)
        bracket = _bracket(observed, from_unit(lever, -intercept / slope))
        if bracket is None:
            break
        middle = from_unit(lever, float(np.mean(to_unit(lever, np.array(bracket)))))
        middle = round(middle) if lever.integer else middle
        if middle in bracket:
            break  # neighbouring whole numbers: nothing in between
        extra = run_design(simulate, pd.DataFrame({lever.name: [middle]}).astype({lever.name: lever.dtype}), seeds,
                           [outcome], fixed).assign(point=len(runs))
        runs = pd.concat([runs, extra], ignore_index=True)
        y = runs[outcome].to_numpy(dtype=float)
        intercept, slope = logistic_fit(to_unit(lever, runs[lever.name]), y)
    x = to_unit(lever, runs[lever.name])
    curve = _curve(runs[lever.name].to_numpy(dtype=float), y, level)
    result = dict(standard=standard or outcome, outcome=outcome, lever=lever.name, start=start,
                  low=float(lever.low), high=float(lever.high), log=lever.log, curve=curve, intercept=intercept,
                  slope=slope, runs=runs, level=level, direction="rises" if slope > 0 else "falls", note="")
    nan = dict(threshold=np.nan, lower=np.nan, upper=np.nan)
    p = curve["probability"]
    where = f"[{number(lever.low)}, {number(lever.high)}] (from {p.iloc[0]:.2f} to {p.iloc[-1]:.2f})"
    if (p < 0.5).all():
        return Threshold(**result, **nan, reason=f"P({outcome}) stays below 1/2 across {where}")
    if (p > 0.5).all():
        return Threshold(**result, **nan, reason=f"P({outcome}) stays above 1/2 across {where}")
    crossing = -intercept / slope
    if not 0.0 <= crossing <= 1.0:
        side = "below" if crossing < 0.0 else "above"
        if (p >= 0.5).all() or (p <= 0.5).all():
            stays = "at or above" if (p >= 0.5).all() else "at or below"
            touches = ", ".join(number(v) for v in curve.loc[p == 0.5, "value"])
            return Threshold(**result, **nan, reason=f"P({outcome}) stays {stays} 1/2 across {where}, touching 1/2 "
                                                     f"at {touches}; the fitted curve crosses 1/2 {side} the range")
        return Threshold(**result, **nan, reason=f"the fitted curve crosses 1/2 {side} the range {where} although "
                                                 "the observed P crosses it inside: too noisy to place; add "
                                                 "replications or refine")
    seed_of = runs["replication"].to_numpy()
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(resamples):
        counts = np.bincount(rng.integers(0, len(seeds), len(seeds)), minlength=len(seeds))
        b0, b1 = logistic_fit(x, y, counts[seed_of])
        found.append(-b0 / b1 if b1 * slope > 0 else np.nan)
    found = np.array(found)
    notes = []
    if np.isnan(found).mean() > 0.025:
        notes.append(f"in {np.isnan(found).mean():.0%} of the resamples P does not move with the lever")
    outside = np.where(np.isnan(found), np.inf if slope > 0 else -np.inf, found)
    lo_u, hi_u = np.quantile(outside, [0.5 - level / 2, 0.5 + level / 2])
    if lo_u < 0 or hi_u > 1:
        notes.append("the interval runs to the end of the searched range")
    lower, upper = (from_unit(lever, float(np.clip(u, 0, 1))) for u in (lo_u, hi_u))
    result["note"] = "; ".join(notes)
    return Threshold(**result, threshold=from_unit(lever, crossing), lower=lower, upper=upper, reason="")


@dataclass
class Hysteresis:
    """The same tipping-point search from two starting conditions."""

    a: Threshold
    b: Threshold

    @property
    def overlap(self) -> bool | None:
        """Whether the two intervals overlap (None when either search found no threshold)."""
        if not (self.a.crosses and self.b.crosses):
            return None
        return bool(max(self.a.lower, self.b.lower) <= min(self.a.upper, self.b.upper))

    def describe(self, labels: Labels | None = None) -> str:
        verdict = {True: "The two intervals overlap: no evidence of hysteresis.",
                   False: "The two intervals do not overlap: the tipping point depends on where the race starts "
                          "(hysteresis).",
                   None: "At least one search found no tipping point, so hysteresis cannot be judged."}[self.overlap]
        return f"{self.a.describe(labels)} {self.b.describe(labels)} {verdict}"

    def rows(self) -> list[dict]:
        return [self.a.row(), self.b.row()]

    def __str__(self) -> str:
        return f"{self.a}\n\n{self.b}\n\nIntervals overlap: {self.overlap}"

    def figure(self, labels: Labels | None = None) -> Figure:
        fig = Figure(figsize=(6, 3.5), layout="constrained")
        ax = fig.subplots()
        self.a.draw(ax, labels, color="tab:blue")
        self.b.draw(ax, labels, color="tab:red")
        ax.set_title(f"Hysteresis: {label_of(self.a.standard, labels)}")
        ax.legend(loc="best", fontsize=7)
        return fig


def hysteresis(simulate_from_a: Simulator, simulate_from_b: Simulator, lever: Parameter, outcome: str,
               seeds: Sequence[int], *, starts: tuple[str, str] = ("a", "b"), **settings) -> Hysteresis:
    """`find_threshold` from two starting conditions on the same lever values and seeds."""
    return Hysteresis(find_threshold(simulate_from_a, lever, outcome, seeds, start=starts[0], **settings),
                      find_threshold(simulate_from_b, lever, outcome, seeds, start=starts[1], **settings))
