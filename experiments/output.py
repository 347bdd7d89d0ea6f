"""Write an experiment's tables, summary and plots into a run directory, all or nothing."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from .runner import Results

TABLES = ("timeseries.parquet", "countries.parquet", "summary.json")


def write_results(results: Results, out_dir: str | Path) -> list[Path]:
    """Write into a hidden temporary folder inside out_dir, then move each file into place.

    A failure part-way leaves no partial table behind: the temporary folder is removed.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    try:
        results.timeseries.to_parquet(staging / "timeseries.parquet", index=False)
        results.countries.to_parquet(staging / "countries.parquet", index=False)
        (staging / "summary.json").write_text(json.dumps(results.summary, indent=2) + "\n")
        if results.config.plots:
            from .plots import write_plots

            names = results.standard_names
            title = f"{results.summary['scenario']}: {results.summary['replications']} replications"
            write_plots(results.timeseries, results.countries, results.world, staging,
                        standard_names=names, title=title)
        if results.config.analysis == "record":
            from .record import compare, plot_record

            table = compare(results.timeseries)
            table.to_csv(staging / "record_comparison.csv", index=False)
            plot_record(results.timeseries, table).savefig(staging / "record.png", dpi=150)
        written = []
        for item in sorted(staging.iterdir()):
            target = out_dir / item.name
            item.replace(target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
