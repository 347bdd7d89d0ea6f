"""Write an experiment's tables, summary and plots into a run directory, all or nothing."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from .guards import check_finite
from .runner import Results

TABLES = ("timeseries.parquet", "countries.parquet", "deals.parquet", "events.csv", "summary.json")
# Timeseries columns each kind of row must hold: the per-standard rows and the `standard = all` rows.
# Other columns count on a kind of row when it holds any value there (the others are left empty).
OPTION_COLUMNS = ("adopters", "population_share", "gdp_share", "travel_share")
RUN_COLUMNS = ("interoperability", "deals", "hhi")


def check_results(results: Results) -> None:
    """Every number of the tables and the summary is finite; NonFiniteError naming the run otherwise."""
    ts = results.timeseries
    overall = ts["standard"] == "all"
    for rows, required in ((ts[~overall], OPTION_COLUMNS), (ts[overall], RUN_COLUMNS)):
        check_finite(rows[[c for c in rows.columns if c in required or rows[c].notna().any()]], "timeseries.parquet")
    check_finite(results.countries, "countries.parquet")
    summary = results.summary
    check_finite(summary, "summary.json",
                 run=f"scenario {summary.get('scenario')}, seed {summary.get('seed')} (all replications)")


def write_results(results: Results, out_dir: str | Path) -> list[Path]:
    """Check the outputs, write them into a hidden temporary folder inside out_dir, then move each
    file into place.

    Nothing is written when a number is not finite. A failure part-way leaves no partial table
    behind, and a file of an earlier run that was already replaced is put back.
    """
    check_results(results)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    try:
        results.timeseries.to_parquet(staging / "timeseries.parquet", index=False)
        results.countries.to_parquet(staging / "countries.parquet", index=False)
        results.deals.to_parquet(staging / "deals.parquet", index=False)
        results.events.to_csv(staging / "events.csv", index=False, date_format="%Y-%m")
        (staging / "summary.json").write_text(json.dumps(results.summary, indent=2, allow_nan=False) + "\n")
        if results.config.plots:
            from .plots import write_plots

            names = results.standard_names
            title = f"{results.summary['scenario']}: {results.summary['replications']} replications"
            write_plots(results.timeseries, results.countries, results.world, staging,
                        standard_names=names, title=title, summary=results.summary, events=results.events,
                        deals=results.deals)
        if results.config.analysis == "record":
            from .record import compare, plot_record

            table = compare(results.timeseries)
            table.to_csv(staging / "record_comparison.csv", index=False)
            plot_record(results.timeseries, table).savefig(staging / "record.png", dpi=150)
        return _move_in(sorted(staging.iterdir()), out_dir, staging / ".previous")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_in(items: list[Path], out_dir: Path, previous: Path) -> list[Path]:
    """Move each staged file into out_dir; if one move fails, undo the others and restore what they replaced."""
    previous.mkdir()
    moved: list[Path] = []
    try:
        for item in items:
            target = out_dir / item.name
            if target.exists():
                target.replace(previous / item.name)
            item.replace(target)
            moved.append(target)
    except BaseException:
        for target in moved:
            target.unlink(missing_ok=True)
        for old in previous.iterdir():
            old.replace(out_dir / old.name)
        raise
    return moved
