"""Summaries over replications: the win rule stated, win probabilities with intervals, and the
continuous outcomes beside them (so no verdict hangs on one cut-off), and a readable print."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from model.metrics import MEASURES, winner
from model.params import NONE_NAME, add_months, months_between, outside_plausible

if TYPE_CHECKING:
    from .config import ExperimentConfig
    from .runner import RunRecord

ROBUSTNESS_THRESHOLDS = (0.4, 0.5, 0.6)
RULE_WORDS = {
    "acceptance_reach": "the share of world trips whose destination accepts it",
    "travel_share": "the share of world travel whose traveller carries it",
    "credentialled_share": "the share of credentialled travel that carries it",
}
CONTINUOUS = (*MEASURES, "foreign_adopters", "adopters")


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score 95% interval for a binomial proportion (well-behaved at 0 and 1)."""
    if trials == 0:
        return (0.0, 1.0)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _band(values: np.ndarray) -> dict:
    return {"median": float(np.median(values)), "p05": float(np.quantile(values, 0.05)),
            "p95": float(np.quantile(values, 0.95))}


def _series(rec: RunRecord, name: str) -> np.ndarray:
    return getattr(rec, name)


def summarise(exp: ExperimentConfig, records: list[RunRecord], choices: list[str]) -> dict:
    """The summary.json content: the win rule, per standard its win probability and the continuous
    outcomes (median and 5-95% band over replications) at the judged month, and how the verdict moves
    with the threshold and the measure."""
    from .config import model_params

    n = len(records)
    rule = exp.scenario.win
    month = rule.month or add_months(exp.scenario.start, exp.scenario.horizon - 1)
    t = months_between(exp.scenario.start, month)
    winners = [r.outcome["winner"] for r in records]
    standards = {}
    for k, sid in enumerate(choices):
        entry: dict = {"name": exp.standards[sid].name if sid in exp.standards else NONE_NAME}
        if sid != "none":
            wins = winners.count(sid)
            entry["win_probability"] = wins / n
            entry["win_interval"] = list(wilson_interval(wins, n))
        for name in CONTINUOUS:
            entry[name] = _band(np.array([_series(r, name)[t, k] for r in records], dtype=float))
        standards[sid] = entry
    robustness = {}
    for measure in MEASURES:
        values = np.array([_series(r, measure)[t] for r in records])
        robustness[measure] = {}
        for threshold in ROBUSTNESS_THRESHOLDS:
            verdicts = [winner(v, threshold, rule.lead) for v in values]
            robustness[measure][f"{threshold:g}"] = {
                sid: sum(v == k for v in verdicts) / n for k, sid in enumerate(choices) if k > 0}
    fragmented = winners.count("fragmented")
    dominance = [r.outcome["time_to_dominance"] for r in records if r.outcome["time_to_dominance"] is not None]
    drawn = [r.drawn for r in records if r.drawn]
    return {
        "scenario": exp.scenario.name,
        "description": exp.scenario.description,
        "seed": exp.seed,
        "replications": n,
        "seeds": [r.seed for r in records],
        "horizon": {"start": exp.scenario.start, "months": exp.scenario.horizon,
                    "end": add_months(exp.scenario.start, exp.scenario.horizon - 1)},
        "win_rule": {"measure": rule.measure, "threshold": rule.threshold, "lead": rule.lead, "month": month,
                     "text": f"A standard wins if, in {month}, {RULE_WORDS[rule.measure]} is at least "
                             f"{rule.threshold:.0%} and at least {rule.lead:g} times any other standard's; otherwise "
                             "the run is fragmented."},
        "standards": standards,
        "win_probability_by_rule": robustness,
        "fragmented_probability": fragmented / n,
        "fragmented_interval": list(wilson_interval(fragmented, n)),
        "interoperability": _band(np.array([r.interoperability[t] for r in records])),
        "fragmentation": _band(np.array([r.fragmentation[t] for r in records])),
        "platform_members": _band(np.array([r.platform_members[t] for r in records], dtype=float)),
        "deals": {kind: _band(np.array([r.outcome["deals"][kind] for r in records], dtype=float))
                  for kind in records[0].outcome["deals"]},
        "median_months_to_dominance": float(np.median(dominance)) if dominance else None,
        "calibration": {"ensemble": exp.calibration.ensemble, "parameter_sets_drawn": len({tuple(sorted(
            d.items())) for d in drawn})} if exp.calibration.ensemble else {"ensemble": ""},
        "outside_plausible_range": outside_plausible(model_params(exp), exp.world),
    }


def format_summary(summary: dict, out_dir: str | None = None) -> str:
    """A short plain-text report of a summary, for the terminal."""
    h = summary["horizon"]
    rule = summary["win_rule"]
    lines = [
        f"Scenario {summary['scenario']}: {summary['replications']} replications, "
        f"{h['start']} to {h['end']} ({h['months']} months), seed {summary['seed']}",
        rule["text"],
        "",
        f"In {rule['month']} (medians over replications, 5-95% in brackets):",
        f"{'standard':<30}{'P(win) [95% CI]':>20}{'accepted on trips':>19}{'carries travel':>16}"
        f"{'foreign adopters':>18}",
    ]
    for sid, s in summary["standards"].items():
        if sid == "none":
            continue
        lo, hi = s["win_interval"]
        reach, share, foreign = s["acceptance_reach"], s["travel_share"], s["foreign_adopters"]
        lines.append(f"{s['name'][:29]:<30}{s['win_probability']:>8.2f} [{lo:.2f}, {hi:.2f}]"
                     f"{reach['median']:>8.0%} [{reach['p05']:.0%}-{reach['p95']:.0%}]"
                     f"{share['median']:>9.0%}{'':>7}"
                     f"{foreign['median']:>6.0f} [{foreign['p05']:.0f}-{foreign['p95']:.0f}]")
    lo, hi = summary["fragmented_interval"]
    none = summary["standards"]["none"]
    frag = summary["fragmentation"]
    lines += [
        f"{'no winner (fragmented)':<30}{summary['fragmented_probability']:>8.2f} [{lo:.2f}, {hi:.2f}]",
        f"{'paper / national only':<30}{'':>20}{'':>19}{none['travel_share']['median']:>9.0%}",
        "",
        "How the verdict moves with the cut-off: P(win) of the leading standards at thresholds "
        + ", ".join(f"{t:.0%}" for t in ROBUSTNESS_THRESHOLDS) + f" ({rule['measure']}):",
    ]
    by_rule = summary["win_probability_by_rule"][rule["measure"]]
    for sid, s in summary["standards"].items():
        if sid != "none" and any(by_rule[t][sid] > 0 for t in by_rule):
            lines.append(f"  {s['name'][:40]:<42}" + "  ".join(f"{by_rule[t][sid]:.2f}" for t in by_rule))
    lines += [
        "",
        f"Interoperability: {summary['interoperability']['median']:.0%} of world trips carry a credential the "
        f"destination accepts; fragmentation: {frag['median']:.0%} carry one it refuses.",
        "Deals signed (median): " + ", ".join(f"{k} {v['median']:.0f}" for k, v in summary["deals"].items()),
    ]
    if summary["platform_members"]["median"] > 0:
        lines.append(f"Platform members (median): {summary['platform_members']['median']:.0f}")
    if summary["calibration"]["ensemble"]:
        lines.append(f"Parameters: each replication draws a calibrated set from {summary['calibration']['ensemble']} "
                     f"({summary['calibration']['parameter_sets_drawn']} distinct in {summary['replications']} "
                     "replications)")
    if summary["outside_plausible_range"]:
        lines.append("Outside their documented plausible range: " + "; ".join(summary["outside_plausible_range"]))
    if out_dir:
        lines.append(f"Outputs: {out_dir}")
    return "\n".join(lines)
