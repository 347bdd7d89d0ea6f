"""Counterfactuals on common seeds: what a scenario changes, run by run against the baseline.

Run r of the baseline and run r of a scenario share seed r, so their difference removes the luck
both share. A continuous outcome gets the mean paired difference with a paired t interval (or a
percentile bootstrap over the pairs); a binary one gets the difference of the two proportions
with Newcombe's interval for paired proportions (intervals.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .declare import Labels, Outcome, Simulator, Value, label_of
from .evaluate import check_outcome, run_design
from .intervals import bootstrap_mean, paired_proportions, paired_t
from .words import format_table, number, panels, wrapped

COLUMNS = ["scenario", "outcome", "baseline", "value", "difference", "lower", "upper"]
METHODS = ("t", "bootstrap")


def paired_difference(baseline: np.ndarray, scenario: np.ndarray, *, kind: str = "continuous",
                      method: str = "t", level: float = 0.95, seed: int = 0) -> dict:
    """Baseline mean, scenario mean, their paired difference and its interval, for one outcome."""
    b, s = np.asarray(baseline, dtype=float), np.asarray(scenario, dtype=float)
    if len(b) != len(s) or len(b) == 0:
        raise ValueError(f"paired runs: {len(b)} baseline and {len(s)} scenario values; give one per common seed")
    if method not in METHODS:
        raise ValueError(f"method = '{method}': one of {', '.join(METHODS)}")
    if kind == "binary":
        difference, lower, upper = paired_proportions(s, b, level)
        method = "newcombe"
    elif method == "t":
        difference, lower, upper = paired_t(s - b, level)
    else:
        difference, lower, upper = bootstrap_mean(s - b, level, seed=seed)
    return {"baseline": float(b.mean()), "value": float(s.mean()), "difference": difference, "lower": lower,
            "upper": upper, "method": method, "pairs": len(b)}


@dataclass
class Counterfactuals:
    """One row per scenario x outcome: baseline, value, difference and its interval."""

    table: pd.DataFrame  # COLUMNS + method, pairs
    level: float

    def csv(self) -> pd.DataFrame:
        """Rows of counterfactuals.csv: scenario, outcome, baseline, value, difference, lower, upper."""
        return self.table[COLUMNS]

    def describe(self, labels: Labels | None = None) -> list[str]:
        """One sentence per row."""
        lines = []
        for r in self.table.itertuples():
            what = label_of(r.outcome, labels)
            if r.lower <= 0 <= r.upper:
                verdict = "no clear change"
            else:
                verdict = "up" if r.difference > 0 else "down"
            lines.append(f"{label_of(r.scenario, labels)}: {what} {number(r.baseline)} -> {number(r.value)}, "
                         f"difference {r.difference:+.3g} ({self.level:.0%} interval {r.lower:+.3g} to "
                         f"{r.upper:+.3g}; {verdict}).")
        return lines

    def __str__(self) -> str:
        return f"Paired differences on common seeds ({self.level:.0%} intervals):\n{format_table(self.table)}"

    def figure(self, labels: Labels | None = None) -> Figure:
        """A forest plot: each scenario's difference and interval, one panel per outcome."""
        outcomes = list(dict.fromkeys(self.table["outcome"]))
        fig, axes = panels(len(outcomes), 4, (4.2, 0.35 * self.table["scenario"].nunique() + 1.8))
        for ax, outcome in zip(axes, outcomes, strict=True):
            rows = self.table[self.table["outcome"] == outcome]
            y = np.arange(len(rows))
            ax.errorbar(rows["difference"], y, xerr=[rows["difference"] - rows["lower"],
                                                     rows["upper"] - rows["difference"]], fmt="o")
            ax.axvline(0, color="grey", lw=0.8)
            ax.set_yticks(y, [label_of(s, labels) for s in rows["scenario"]])
            ax.set(xlabel="difference from the baseline", title=wrapped(label_of(outcome, labels)))
        return fig


def compare(baseline: pd.DataFrame, scenarios: Mapping[str, pd.DataFrame], outcomes: Sequence[Outcome | str], *,
            method: str = "t", level: float = 0.95, seed: int = 0) -> Counterfactuals:
    """Paired differences from per-seed tables (a `seed` column and one column per outcome); the
    scenarios must hold exactly the baseline's seeds. A plain name is a continuous outcome."""
    if not outcomes:
        raise ValueError("outcomes: empty; name at least one outcome to compare")
    if "seed" not in baseline.columns:
        raise ValueError("baseline: no 'seed' column; paired differences need each run's seed")
    rows = []
    for name, runs in scenarios.items():
        if "seed" not in runs.columns:
            raise ValueError(f"scenario {name}: no 'seed' column; paired differences need each run's seed")
        missing = set(baseline["seed"]) ^ set(runs["seed"])
        if missing or runs["seed"].duplicated().any():
            raise ValueError(f"scenario {name}: its seeds differ from the baseline's (common seeds are needed for "
                             f"paired differences); {len(missing)} seed(s) in only one of them")
        paired = baseline.merge(runs, on="seed", suffixes=("_baseline", "_scenario"), validate="one_to_one")
        for o in outcomes:
            key = o.name if isinstance(o, Outcome) else o
            check_outcome(baseline, key)
            check_outcome(runs, key)
            kind = o.kind if isinstance(o, Outcome) else "continuous"
            found = paired_difference(paired[f"{key}_baseline"], paired[f"{key}_scenario"], kind=kind,
                                      method=method, level=level, seed=seed)
            rows.append({"scenario": name, "outcome": key, **found})
    return Counterfactuals(pd.DataFrame(rows, columns=[*COLUMNS, "method", "pairs"]), level)


def run_counterfactuals(simulate: Simulator, baseline: Mapping[str, Value],
                        scenarios: Mapping[str, Mapping[str, Value] | Callable], outcomes: Sequence[Outcome | str],
                        seeds: Sequence[int], **settings) -> Counterfactuals:
    """Run the baseline and each scenario on the same seeds, then `compare`. A scenario is either
    overrides of the baseline's values or another simulator (run with the baseline's values)."""
    names = [o.name if isinstance(o, Outcome) else o for o in outcomes]

    def runs(sim: Simulator, values: Mapping[str, Value]) -> pd.DataFrame:
        design = pd.DataFrame([dict(values)]) if values else pd.DataFrame(index=[0])  # one point
        return run_design(sim, design, seeds, names)

    base = runs(simulate, baseline)
    done = {name: runs(s, baseline) if callable(s) else runs(simulate, {**baseline, **s})
            for name, s in scenarios.items()}
    return compare(base, done, outcomes, **settings)
