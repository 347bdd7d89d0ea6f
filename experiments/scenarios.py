"""Named scenarios side by side: what each one is, what each one gives, and what it changes against
its baseline on common seeds (notebooks/02_scenarios.ipynb).

    from experiments.scenarios import catalogue, side_by_side, paired_differences
    catalogue()                                          # name, description, events, baseline
    side_by_side([run_experiment(s, ["replications=40"]) for s in names])
    paired_differences(["who_endorses_china", "china_route"], replications=40)
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .claims import check
from .interactive import scenario_factory, scenario_names
from .runner import Results

HISTORICAL = ("historical_2021", "who_endorses_china", "belt_and_road_deals", "privacy_scandal", "us_federal_pass",
              "china_route", "transatlantic_pass", "who_hosts_divoc")


def catalogue(names: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per scenario: its description, enabled events, win rule and the baseline its claims
    are measured against ("" when it states none)."""
    rows = []
    for name in names or scenario_names():
        exp = scenario_factory(name).base
        sc = exp.scenario
        events = [n for n, ev in sc.events.items() if ev.enabled]
        rows.append({"scenario": name, "description": sc.description, "events": ", ".join(events),
                     "win rule": f"{sc.win.measure} >= {sc.win.threshold:g}, {sc.win.lead:g}x the runner-up, "
                                 f"in {sc.win.month or 'the last month'}",
                     "baseline": ", ".join(sorted({c.against for c in sc.claims}))})
    return pd.DataFrame(rows).set_index("scenario")


def side_by_side(results: Sequence[Results]) -> pd.DataFrame:
    """One row per scenario and standard: P(win) with its Wilson 95% interval, and the medians (5-95%)
    of acceptance reach and foreign adopters at the judged month."""
    rows = []
    for res in results:
        summary = res.summary
        for sid, s in summary["standards"].items():
            if sid == "none":
                continue
            lo, hi = s["win_interval"]
            reach, foreign = s["acceptance_reach"], s["foreign_adopters"]
            rows.append({"scenario": summary["scenario"], "standard": s["name"],
                         "P(win)": s["win_probability"], "P(win) 95%": f"[{lo:.2f}, {hi:.2f}]",
                         "acceptance reach": reach["median"],
                         "reach 5-95%": f"{reach['p05']:.0%}-{reach['p95']:.0%}",
                         "foreign adopters": foreign["median"],
                         "foreign 5-95%": f"{foreign['p05']:.0f}-{foreign['p95']:.0f}"})
        lo, hi = summary["fragmented_interval"]
        rows.append({"scenario": summary["scenario"], "standard": "no winner (fragmented)",
                     "P(win)": summary["fragmented_probability"], "P(win) 95%": f"[{lo:.2f}, {hi:.2f}]"})
    return pd.DataFrame(rows).set_index(["scenario", "standard"])


def paired_differences(scenarios: Sequence[str], replications: int = 40, seed: int = 0) -> pd.DataFrame:
    """Each scenario's stated claims against its baseline (experiments.claims.check): the paired
    difference on common seeds with its 95% interval, and whether the claim holds."""
    tables = [check(name, replications, seed) for name in scenarios]
    return pd.concat(tables, ignore_index=True)
