"""The public record of 2021-2023 and the comparison of a run's adopters with it.

Sources (see ../shared/DESIGN.md): European Commission counts of jurisdictions connected to the EU
DCC gateway (EU included); no known foreign recognition of China's certificate; SMART Health Cards
issued in the US and Canada plus about seven other governments by 2022; DIVOC in about five
countries; ICAO VDS-NC issued by Australia and Japan.

Usage: `python -m experiments.record RUN_DIR` prints the table for a finished run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.params import ConfigError

from .cli import command_options, guard, reading, usage


@dataclass(frozen=True)
class Fact:
    standard: str
    month: str  # YYYY-MM at which the count is taken
    adopters: int  # countries and territories issuing or connected
    source: str


RECORD = (
    Fact("eu_dcc", "2021-10", 43, "European Commission, 43 connected by 2021-10-18"),
    Fact("eu_dcc", "2021-12", 60, "European Commission, 60 connected by 2021-12-21"),
    Fact("eu_dcc", "2022-07", 72, "European Commission, 72 connected by 2022-07-01"),
    Fact("eu_dcc", "2022-10", 76, "European Commission, 76 connected by 2022-10-14"),
    Fact("eu_dcc", "2023-05", 78, "European Commission, 78 connected by May 2023"),
    Fact("china_hc", "2022-12", 1, "China only: no foreign government recognised it"),
    Fact("shc", "2022-12", 9, "US and Canada plus about seven other governments by 2022"),
    Fact("divoc", "2022-12", 5, "India, Sri Lanka, the Philippines, Jamaica, Indonesia"),
    Fact("vds_nc", "2022-12", 2, "Australia and Japan"),
)


def compare(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Model adopters (median and 5-95% band over replications) next to each recorded count."""
    rows = []
    months = pd.to_datetime(timeseries["month"]).dt.strftime("%Y-%m")
    for fact in RECORD:
        sel = timeseries[(timeseries["standard"] == fact.standard) & (months == fact.month)]
        if sel.empty:
            continue
        adopters = sel["adopters"].astype(float)
        rows.append({
            "standard": fact.standard, "month": fact.month, "record": fact.adopters,
            "model_median": float(adopters.median()), "model_p5": float(adopters.quantile(0.05)),
            "model_p95": float(adopters.quantile(0.95)), "source": fact.source,
        })
    return pd.DataFrame(rows)


def loss(table: pd.DataFrame) -> float:
    """Calibration loss: mean squared relative error of the medians, counts below 5 taken as 5."""
    if table.empty:
        return float("nan")
    scale = table["record"].clip(lower=5)
    return float((((table["model_median"] - table["record"]) / scale) ** 2).mean())


def format_table(table: pd.DataFrame) -> str:
    lines = [f"{'standard':<10}{'month':<9}{'record':>7}{'model median':>14}{'5-95% band':>14}"]
    for r in table.itertuples():
        band = f"{r.model_p5:.0f}-{r.model_p95:.0f}"
        lines.append(f"{r.standard:<10}{r.month:<9}{r.record:>7}{r.model_median:>14.0f}{band:>14}")
    lines.append(f"loss (mean squared relative error): {loss(table):.3f}")
    return "\n".join(lines)


def plot_record(timeseries: pd.DataFrame, table: pd.DataFrame, title: str = ""):
    """EU DCC adopters by month (median, 90% band) against the Commission's counts, and the other
    standards' adopters at 2022-12 (median, 90% band) against their recorded reach."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[2, 1])
    eu = timeseries[timeseries["standard"] == "eu_dcc"].copy()
    eu["month"] = pd.to_datetime(eu["month"])
    eu["adopters"] = eu["adopters"].astype(float)
    by_month = eu.groupby("month")["adopters"]
    q = by_month.quantile([0.05, 0.5, 0.95]).unstack()
    left.fill_between(q.index, q[0.05], q[0.95], color="#0072B2", alpha=0.2, label="model, 5-95%")
    left.plot(q.index, q[0.5], color="#0072B2", lw=2, label="model, median")
    facts = table[table["standard"] == "eu_dcc"]
    left.scatter(pd.to_datetime(facts["month"]), facts["record"], color="black", zorder=3, s=30,
                 label="European Commission count")
    left.axvline(pd.Timestamp("2023-07-01"), color="grey", ls="--", lw=1)
    left.annotate("WHO network on the\nEU DCC framework (input)", (pd.Timestamp("2023-07-01"), 0.04),
                  xycoords=("data", "axes fraction"), fontsize=8, color="grey", ha="right",
                  xytext=(-4, 0), textcoords="offset points")
    import matplotlib.dates as mdates

    left.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    left.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    left.set(title="EU DCC: connected countries and territories", ylabel="adopters (count)", ylim=(0, None))
    left.legend(loc="upper left", fontsize=8, frameon=False)
    others = table[table["standard"] != "eu_dcc"].reset_index(drop=True)
    y = range(len(others))
    right.errorbar(others["model_median"], y, xerr=[others["model_median"] - others["model_p5"],
                                                    others["model_p95"] - others["model_median"]],
                   fmt="o", color="#0072B2", capsize=3, label="model median, 5-95%")
    right.scatter(others["record"], y, marker="D", color="black", zorder=3, label="record")
    right.set_yticks(list(y), [f"{s} ({m})" for s, m in zip(others["standard"], others["month"], strict=True)])
    right.set(title="Other standards' reach", xlabel="adopters (count)", xlim=(0, None))
    right.invert_yaxis()
    right.legend(loc="lower right", fontsize=8, frameon=False)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title or "historical_2021 against the public record", fontweight="bold")
    return fig


NO_OVERLAP = ("no recorded facts overlap this run's standards and months; the record covers "
              "historical_2021-like runs")


def read_run(run_dir: str | Path) -> pd.DataFrame:
    """The timeseries of a run directory of experiments.run; ConfigError naming the file when it is
    missing, unreadable or not such a table."""
    path = Path(run_dir) / "timeseries.parquet"
    if not path.is_file():
        raise ConfigError(f"{path}: no such file; give a run directory of experiments.run")
    with reading(path, "a Parquet table"):
        timeseries = pd.read_parquet(path)
    missing = [c for c in ("standard", "month", "adopters") if c not in timeseries.columns]
    if missing:
        raise ConfigError(f"{path}: not the timeseries of an experiments.run run (no column {', '.join(missing)})")
    options = timeseries[timeseries["standard"].astype(str) != "all"]  # "all" rows hold no adopters
    months = pd.to_datetime(options["month"], errors="coerce", format="mixed")
    adopters = pd.to_numeric(options["adopters"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    for column, bad in (("month", months.isna().to_numpy()), ("adopters", ~np.isfinite(adopters))):
        if bad.any():
            value = options[column].iloc[int(np.flatnonzero(bad)[0])]
            shown = repr(value) if isinstance(value, str) else str(value)
            raise ConfigError(f"{path}: column '{column}' holds {shown}; a run's timeseries holds a month and a "
                              "finite count of adopters on every standard's row")
    return timeseries


HELP = usage("record", "RUN_DIR",
             "Compare a finished run of a historical scenario with the public record: the model's\n"
             "median and 5-95% band of adopters against every recorded count, and the loss.",
              [("RUN_DIR", "a run directory of `credential-race run` (it holds timeseries.parquet)")],
              ["outputs/historical_2021/2026-11-29_12-00-00"])


def main(argv: list[str] | None = None) -> None:
    parsed = command_options(argv, HELP, {}, "record", positional=1)
    if parsed is None:
        return
    _, bare = parsed
    with guard(checking=True):
        if not bare:
            raise ConfigError("record: give the run directory to compare (credential-race record RUN_DIR)")
        table = compare(read_run(bare[0]))
        if table.empty:
            raise ConfigError(f"{Path(bare[0]) / 'timeseries.parquet'}: {NO_OVERLAP}")
    print(format_table(table))


if __name__ == "__main__":
    main()
