"""Summaries over replications: win probabilities with intervals, medians, and a readable print."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from model.params import add_months

if TYPE_CHECKING:
    from .config import ExperimentConfig
    from .runner import RunRecord


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score 95% interval for a binomial proportion (well-behaved at 0 and 1)."""
    if trials == 0:
        return (0.0, 1.0)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def summarise(exp: ExperimentConfig, records: list[RunRecord], choices: list[str]) -> dict:
    """The summary.json content: per standard win probability and medians, fragmentation."""
    n = len(records)
    winners = [r.outcome["winner"] for r in records]
    final_adopters = np.array([r.adopters[-1] for r in records])
    final_travel = np.array([r.travel_share[-1] for r in records])
    standards = {}
    for k, sid in enumerate(choices):
        entry = {
            "name": exp.standards[sid].name if sid in exp.standards else "None (paper or national-only)",
            "median_adopters": float(np.median(final_adopters[:, k])),
            "median_travel_share": float(np.median(final_travel[:, k])),
        }
        if sid != "none":
            wins = winners.count(sid)
            entry["win_probability"] = wins / n
            entry["win_interval"] = list(wilson_interval(wins, n))
        standards[sid] = entry
    fragmented = winners.count("fragmented")
    dominance = [r.outcome["time_to_dominance"] for r in records if r.outcome["time_to_dominance"] is not None]
    return {
        "scenario": exp.scenario.name,
        "description": exp.scenario.description,
        "seed": exp.seed,
        "replications": n,
        "seeds": [r.seed for r in records],
        "horizon": {"start": exp.scenario.start, "months": exp.scenario.horizon,
                    "end": add_months(exp.scenario.start, exp.scenario.horizon - 1)},
        "win_threshold": exp.scenario.win_threshold,
        "standards": standards,
        "fragmented_probability": fragmented / n,
        "fragmented_interval": list(wilson_interval(fragmented, n)),
        "median_interoperability": float(np.median([r.interoperability[-1] for r in records])),
        "median_deals": float(np.median([r.deals[-1] for r in records])),
        "median_months_to_dominance": float(np.median(dominance)) if dominance else None,
    }


def format_summary(summary: dict, out_dir: str | None = None) -> str:
    """A short plain-text report of a summary, for the terminal."""
    h = summary["horizon"]
    lines = [
        f"Scenario {summary['scenario']}: {summary['replications']} replications, "
        f"{h['start']} to {h['end']} ({h['months']} months), seed {summary['seed']}",
        f"A standard wins if it ends with at least {summary['win_threshold']:.0%} of world travel.",
        "",
        f"{'standard':<34}{'P(win) [95% CI]':>22}{'adopters':>10}{'travel share':>14}",
    ]
    for sid, s in summary["standards"].items():
        if sid == "none":
            continue
        lo, hi = s["win_interval"]
        lines.append(f"{s['name'][:33]:<34}{s['win_probability']:>8.2f} [{lo:.2f}, {hi:.2f}]"
                     f"{s['median_adopters']:>10.0f}{s['median_travel_share']:>14.1%}")
    none = summary["standards"]["none"]
    lo, hi = summary["fragmented_interval"]
    lines += [
        f"{'no standard (none)':<34}{'':>22}{none['median_adopters']:>10.0f}{none['median_travel_share']:>14.1%}",
        f"{'fragmented (no winner)':<34}{summary['fragmented_probability']:>8.2f} [{lo:.2f}, {hi:.2f}]",
        "",
        f"Interoperability at the end (median): {summary['median_interoperability']:.1%} of world travel "
        "carries a credential accepted at its destination.",
        f"Deals signed (median): {summary['median_deals']:.0f}",
        "Adopters and travel share are medians over replications at the last month.",
    ]
    if out_dir:
        lines.append(f"Outputs: {out_dir}")
    return "\n".join(lines)
