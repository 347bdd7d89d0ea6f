"""The terminal report of a finished sweep: counts, and where each outcome is most likely."""

from __future__ import annotations

import pandas as pd

from .compose import Sweep
from .runner import SweepResults
from .sensitivity import format_sensitivity
from .tables import winners


def _where(row: pd.Series, keys: list[str]) -> str:
    """The point's values, or its id when there are too many keys for one line."""
    if len(keys) > 3:
        return f"point {int(row['point'])} (see points.parquet)"
    return ", ".join(f"{k}={row[k]:.3g}" if isinstance(row[k], float) else f"{k}={row[k]}" for k in keys)


def format_report(sweep: Sweep, results: SweepResults) -> str:
    spec, runs, points = sweep.spec, results.runs, results.points
    keys, names = sweep.keys, sweep.standard_names
    ok = runs[runs["status"] == "ok"]
    lines = [
        f"Sweep {spec.name}: {spec.design} design over {', '.join(keys)}",
        f"{len(points)} points x {spec.replications} replications = {len(runs)} runs on scenario "
        f"{sweep.base.scenario.name}; {results.executed} run now, {len(runs) - results.executed} found finished",
        f"Failed runs: {results.failures}" + (" (see the status and error columns of runs.parquet)"
                                               if results.failures else ""),
        "",
        f"{'outcome':<32}{'share of runs':>14}   highest P at a point [95% CI], where",
    ]
    for w in winners(sweep.choices):
        label = names.get(w, "fragmented (no winner)" if w == "fragmented" else w)
        share = (ok["winner"] == w).mean() if len(ok) else float("nan")
        column = f"win_probability_{w}"
        if points[column].max() == 0:
            detail = "at no point"
        elif points[column].notna().any():
            best = points.loc[points[column].idxmax()]
            detail = (f"{best[column]:.2f} [{best[f'win_low_{w}']:.2f}, {best[f'win_high_{w}']:.2f}], "
                      f"{_where(best, keys)}")
        else:
            detail = "-"
        lines.append(f"{label[:31]:<32}{share:>14.1%}   {detail}")
    if results.sensitivity is not None:
        lines += ["", format_sensitivity(results.sensitivity, names)]
    lines += ["", f"Outputs: {results.folder} (runs.parquet, points.parquet, design.parquet, plots/)"]
    return "\n".join(lines)
