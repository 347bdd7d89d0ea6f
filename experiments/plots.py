"""The four figures of one experiment run: adoption, world map, interoperability and deals.

Figures are built on bare :class:`matplotlib.figure.Figure` objects, never through pyplot, so
plotting touches no global backend state: it is safe in threads, worker processes and notebooks,
and nothing needs closing afterwards. Every standard keeps one colour in every figure (assigned
from the order of ``standard_names``), and every time series shows the median over replications
with the 5-95% range shaded, so runs of different sizes read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

# Okabe-Ito (colour-blind safe), reordered so the most distinct hues come first and yellow last.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
NONE_COLOUR = "#C4C4C4"
NEUTRAL = "#333333"  # for run-level series that belong to no standard
THRESHOLD_COLOUR = "#b03a2e"
KIND_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)))
DEAL_KIND_WORDS = {"mutual": "mutual recognition", "standard": "on one side's standard",
                   "accession": "accession to a trust network", "incentive": "sponsor's incentive deal",
                   "wave": "deal wave"}
QUANTILES = (0.05, 0.95)
DPI = 150

ADOPTION_COLUMNS = ("replication", "month", "standard", "travel_share", "adopters")
INTEROP_COLUMNS = ("replication", "month", "standard", "interoperability")
DEALS_COLUMNS = ("replication", "month", "standard", "deals")


def _require(table: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Fail early, naming the table and the columns, rather than with a KeyError deep in matplotlib."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} table is missing required column(s): {', '.join(missing)}")
    if table.empty:
        raise ValueError(f"{name} table has no rows")


def standard_order(standard_names: dict[str, str], present: Iterable[str]) -> list[str]:
    """Ids in ``standard_names`` order, then any ids only found in the data (sorted)."""
    present = {str(s) for s in present if pd.notna(s)} - {"all"}
    known = [s for s in standard_names if s in present]
    return known + sorted(present - set(known))


def standard_colours(standard_names: dict[str, str], extra: Iterable[str] = ()) -> dict[str, str]:
    """Colour per id: palette by ``standard_names`` order, "none" always light grey.

    Ids missing from ``standard_names`` get the next palette colours, so they still differ.
    """
    ids = [s for s in standard_names if s != "none"]
    ids += sorted({str(s) for s in extra} - set(ids) - {"none", "all"})
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(ids)}
    colours["none"] = NONE_COLOUR
    return colours


def _new_figure(size: tuple[float, float], title: str) -> Figure:
    """A figure with constrained layout (handles suptitle and outside legends) and the run title."""
    fig = Figure(figsize=size, layout="constrained")
    if title:
        fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig


def _tidy(ax: Axes) -> None:
    """Drop the top/right spines and keep a faint horizontal grid only."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e3e3", linewidth=0.8)
    ax.set_axisbelow(True)


def _with_months(table: pd.DataFrame) -> pd.DataFrame:
    """Copy with ``month`` as datetime64 (it may arrive as python dates)."""
    return table.assign(month=pd.to_datetime(table["month"]))


def _bands(rows: pd.DataFrame, value: str) -> pd.DataFrame:
    """Per month: median and the 5% / 95% quantiles of ``value`` across replications."""
    grouped = rows.groupby("month", sort=True)[value]
    return pd.DataFrame({"lo": grouped.quantile(QUANTILES[0]), "mid": grouped.median(),
                         "hi": grouped.quantile(QUANTILES[1])})


def _draw_band(ax: Axes, bands: pd.DataFrame, colour: str, label: str, band_label: str | None = None) -> None:
    """Median line over a shaded 90% band; a lone month gets a marker so it stays visible."""
    x = bands.index.to_numpy()
    ax.fill_between(x, bands["lo"], bands["hi"], color=colour, alpha=0.18, linewidth=0, label=band_label)
    ax.plot(x, bands["mid"], color=colour, linewidth=2, label=label, marker="o" if len(x) == 1 else None)


def _format_months(ax: Axes, months: pd.Series) -> None:
    """Month ticks as YYYY-MM, at most about eight of them, on whole-month intervals."""
    first, last = months.min(), months.max()
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((k for k in (1, 2, 3, 6, 12) if span / k <= 8), None)
    locator = (mdates.MonthLocator(bymonth=range(1, 13, step)) if step  # calendar-aligned: Jan, Jul, ...
               else mdates.YearLocator(base=int(np.ceil(span / 96))))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    if first < last:
        ax.set_xlim(first, last)


def _band_note(n_reps: int) -> str:
    return f"Median over {n_reps} replication{'s' * (n_reps != 1)} (line); 5–95% range (shaded)"


MEASURE_LABELS = {"travel_share": "Travel-weighted share of world travel",
                  "acceptance_reach": "Acceptance reach: share of world trips\nwhose destination accepts it",
                  "credentialled_share": "Share of credentialled travel"}


def plot_adoption(timeseries: pd.DataFrame, *, standard_names: dict[str, str] | None = None,
                  title: str = "", measure: str = "travel_share", win_rule: dict | None = None,
                  events: pd.DataFrame | None = None) -> Figure:
    """A measure of each standard by month (travel share by default), with the median adopter count below.

    Travel weighting shows how much of world travel a standard covers; the count panel shows
    whether that comes from a few hubs or from many countries. "none" is left out of both. With a
    `win_rule` (summary["win_rule"]) on its own measure, the threshold and the judged month are
    drawn; `events` (Results.events) are numbered vertical lines, listed under the plot.
    """
    _require(timeseries, (*ADOPTION_COLUMNS, measure), "timeseries")
    names = standard_names or {}
    rows = _with_months(timeseries[timeseries["standard"] != "all"])
    ids = [s for s in standard_order(names, rows["standard"].unique()) if s != "none"]
    colours = standard_colours(names, ids)
    listed = events is not None and len(events) > 0
    fig = _new_figure((9, 6.8 if listed else 6), title)
    share_ax, count_ax = fig.subplots(2, 1, sharex=True, height_ratios=[2.3, 1])
    for sid in ids:
        sub = rows[rows["standard"] == sid]
        _draw_band(share_ax, _bands(sub, measure), colours[sid], names.get(sid, sid))
        adopters = sub.groupby("month", sort=True)["adopters"].median()
        count_ax.plot(adopters.index.to_numpy(), adopters, color=colours[sid], linewidth=1.6)
    if win_rule and win_rule.get("measure") == measure:
        share_ax.axhline(win_rule["threshold"], color=THRESHOLD_COLOUR, linestyle="--", linewidth=1.2,
                         label=f"win threshold {win_rule['threshold']:.0%} (and {win_rule['lead']:g}× the runner-up)")
        judged = pd.Timestamp(f"{win_rule['month']}-01")
        for ax in (share_ax, count_ax):
            ax.axvline(judged, color=THRESHOLD_COLOUR, linewidth=0.8, alpha=0.7)
        share_ax.text(judged, 0.99, " winner judged", color=THRESHOLD_COLOUR, fontsize=8, va="top",
                      transform=share_ax.get_xaxis_transform())
    if listed:
        _event_lines((share_ax, count_ax), events)
        fig.supxlabel(_event_legend(events), fontsize=7, x=0.01, ha="left", color="#444444")
    share_ax.set(ylim=(0, 1), ylabel=MEASURE_LABELS.get(measure, measure))
    share_ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    share_ax.set_title(_band_note(rows["replication"].nunique()), loc="left", fontsize=9, color="#555555")
    share_ax.legend(title="Standard", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    count_ax.set(ylabel="Adopting countries\n(median, count)", xlabel="Month")
    count_ax.set_ylim(bottom=0)
    count_ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    for ax in (share_ax, count_ax):
        _tidy(ax)
    _format_months(count_ax, rows["month"])
    return fig


def _event_lines(axes, events: pd.DataFrame) -> None:
    """A dotted vertical line per event month, numbered on the first axes."""
    months = pd.to_datetime(events["month"])
    for number, month in enumerate(months, start=1):
        for ax in axes:
            ax.axvline(month, color="#777777", linewidth=0.6, linestyle=":", zorder=0)
        axes[0].text(month, 0.02 + 0.07 * (number % 3), str(number), fontsize=7, ha="center", color="#333333",
                     transform=axes[0].get_xaxis_transform(),
                     bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": "#bbbbbb", "lw": 0.5})


def _event_legend(events: pd.DataFrame, width: int = 3) -> str:
    """'1 2021-01 launch_divoc   2 ...', a few to a line."""
    items = [f"{k} {pd.Timestamp(m):%Y-%m} {e}" for k, (m, e) in enumerate(zip(events["month"], events["event"],
                                                                                 strict=True), start=1)]
    return "Events: " + "\n".join("    ".join(items[i:i + width]) for i in range(0, len(items), width))


def plot_event_timeline(events: pd.DataFrame, *, title: str = "") -> Figure:
    """The scenario's events in date order, one line each: what happened on the left, when on a
    common time axis on the right, so nothing overprints however close the dates."""
    _require(events, ("month", "event", "type", "note"), "events")
    table = events.assign(month=pd.to_datetime(events["month"])).sort_values("month", kind="stable")
    table = table.reset_index(drop=True)
    fig = _new_figure((12, 1.1 + 0.34 * len(table)), title)
    text_ax, time_ax = fig.subplots(1, 2, width_ratios=[2.4, 1], sharey=True)
    y = -np.arange(len(table), dtype=float)
    for k, row in table.iterrows():
        note = row["note"] if len(row["note"]) <= 95 else row["note"][:92] + "..."
        text_ax.text(0, y[k], f"{row['month']:%Y-%m}  {row['event']} ({row['type']}): {note}", fontsize=8,
                     va="center")
    text_ax.set_axis_off()
    time_ax.hlines(y, table["month"].min(), table["month"], color="#e3e3e3", linewidth=0.8)
    time_ax.plot(table["month"], y, "o", color=NEUTRAL, markersize=4)
    time_ax.set(ylim=(y.min() - 0.7, 0.7), yticks=[])
    time_ax.spines[["left", "top", "right"]].set_visible(False)
    _format_months(time_ax, table["month"])
    time_ax.set_xlim(table["month"].min() - pd.Timedelta(days=20), table["month"].max() + pd.Timedelta(days=20))
    time_ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    time_ax.grid(axis="x", color="#efefef")
    return fig


# how each kind of claimed outcome reads on its own axis (the measure before the first dot)
CLAIM_AXES = {"win": "P(win): difference", "lose": "P(not winning): difference",
              "foreign_adopters": "foreign adopters: difference (countries)",
              "acceptance_reach": "acceptance reach: difference (share of world trips)",
              "travel_share": "travel carried: difference (share of world trips)",
              "platform_members": "platform members: difference (countries)",
              "fragmented": "P(no winner): difference", "fragmentation": "fragmentation: difference (share of trips)"}


def plot_claims(claims: pd.DataFrame, *, standard_names: dict[str, str] | None = None, title: str = "") -> Figure:
    """A forest plot of scenario claims (experiments.scenarios.paired_differences): each claim's
    paired difference from its baseline with its interval, one panel per kind of outcome (their
    units differ); a claim that holds (its interval on the claimed side of zero) in colour, one that
    does not in grey."""
    _require(claims, ("scenario", "outcome", "difference", "lower", "upper", "holds"), "claims")
    names = standard_names or {}
    measure = claims["outcome"].str.split(".").str[0]
    kinds = list(dict.fromkeys(measure))
    rows = [int((measure == k).sum()) for k in kinds]
    fig = _new_figure((9, 1.2 * len(kinds) + 0.32 * sum(rows)), title)
    axes = np.atleast_1d(fig.subplots(len(kinds), 1, height_ratios=rows))
    for ax, kind in zip(axes, kinds, strict=True):
        part = claims[measure == kind].reset_index(drop=True)
        y = -np.arange(len(part), dtype=float)
        for k, r in part.iterrows():
            colour = "#1a7f37" if r["holds"] else "#9a9a9a"
            ax.plot([r["lower"], r["upper"]], [y[k], y[k]], color=colour, linewidth=2)
            ax.plot(r["difference"], y[k], "o", color=colour, markersize=5)
        standard = part["outcome"].str.partition(".")[2]
        labels = [f"{s}: {names.get(t, t)}" if t else s for s, t in zip(part["scenario"], standard, strict=True)]
        ax.set_yticks(y, labels, fontsize=8)
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.set_xlabel(CLAIM_AXES.get(kind, f"{kind}: difference"), fontsize=9)
        ax.set_ylim(y.min() - 0.6, 0.6)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#efefef")
    return fig


def _run_series(timeseries: pd.DataFrame, value: str, ylabel: str, title: str) -> tuple[Figure, Axes]:
    """Shared body of the run-level plots: median and band of ``value`` on the "all" rows."""
    rows = _with_months(timeseries[timeseries["standard"] == "all"])
    if rows.empty:
        raise ValueError("timeseries table has no rows with standard == 'all'")
    fig = _new_figure((9, 5), title)
    ax = fig.subplots()
    n_reps = rows["replication"].nunique()
    _draw_band(ax, _bands(rows, value), NEUTRAL, f"Median over {n_reps} replications",
               "5–95% range across replications")
    ax.set(ylabel=ylabel, xlabel="Month")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", frameon=False)  # median first
    _tidy(ax)
    _format_months(ax, rows["month"])
    return fig, ax


def plot_interoperability(timeseries: pd.DataFrame, *, standard_names: dict[str, str] | None = None,
                          title: str = "") -> Figure:
    """Interoperability index by month: how much travel can use its credential at the destination."""
    _require(timeseries, INTEROP_COLUMNS, "timeseries")
    fig, ax = _run_series(timeseries, "interoperability",
                          "Share of world travel whose credential\nis accepted at the destination", title)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    return fig


def plot_deals(timeseries: pd.DataFrame, *, standard_names: dict[str, str] | None = None,
               title: str = "", deals: pd.DataFrame | None = None) -> Figure:
    """Deals signed: the median cumulative count of each kind by month (mutual recognition, deals on
    one side's standard, accessions, sponsors' incentive deals, deal waves) and, given the deals
    table (Results.deals), the mean per replication by kind and by the standard each deal spreads."""
    _require(timeseries, DEALS_COLUMNS, "timeseries")
    rows = _with_months(timeseries[timeseries["standard"] == "all"])
    kinds = [c.removeprefix("deals_") for c in rows.columns if c.startswith("deals_")]
    by_standard = deals is not None and len(deals) > 0
    fig = _new_figure((9, 7.5 if by_standard else 5), title)
    axes = fig.subplots(2, 1, height_ratios=[1.4, 1]) if by_standard else [fig.subplots()]
    ax = axes[0]
    n_reps = rows["replication"].nunique()
    series = [(k, f"deals_{k}") for k in kinds] or [("all kinds", "deals")]
    for j, (kind, column) in enumerate(series):
        median = rows.groupby("month", sort=True)[column].median()
        if median.max() > 0 or not kinds:  # kinds by line style, so no kind is mistaken for a standard
            ax.plot(median.index.to_numpy(), median.to_numpy(dtype=float), color=NEUTRAL,
                    linestyle=KIND_STYLES[j % len(KIND_STYLES)], linewidth=1.8, label=DEAL_KIND_WORDS.get(kind, kind))
    ax.set(ylabel="Cumulative deals signed\n(median over replications, count)", xlabel="Month")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"By kind: median over {n_reps} replication{'s' * (n_reps != 1)}", loc="left", fontsize=9,
                 color="#555555")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", frameon=False, fontsize=8)
    else:
        ax.text(0.5, 0.5, "no deals signed", ha="center", va="center", transform=ax.transAxes, color="#777777")
    _tidy(ax)
    _format_months(ax, rows["month"])
    if by_standard:
        names = standard_names or {}
        table = deals.assign(standard=deals["standard"].astype(str).replace("", "any credential (mutual)"))
        per_rep = table.groupby(["standard", "kind"], observed=True).size().unstack(fill_value=0) / n_reps
        per_rep = per_rep[[k for k in DEAL_KIND_WORDS if k in per_rep.columns]
                          + [k for k in per_rep.columns if k not in DEAL_KIND_WORDS]]
        colours = {**standard_colours(names, [s for s in per_rep.index if s in names]),
                   "any credential (mutual)": "#8a8f96"}
        per_rep = per_rep.reindex(list(dict.fromkeys(s for s in [*names, *per_rep.index] if s in per_rep.index)))
        left = np.zeros(per_rep.shape[1])
        for sid, counts in per_rep.iterrows():
            axes[1].barh(range(per_rep.shape[1]), counts.to_numpy(), left=left, color=colours.get(sid, NEUTRAL),
                         label=names.get(sid, sid))
            left += counts.to_numpy()
        for y, total in enumerate(left):
            axes[1].annotate(f"{total:.1f}", (total, y), xytext=(3, 0), textcoords="offset points", va="center",
                             fontsize=8)
        axes[1].set_yticks(range(per_rep.shape[1]), [DEAL_KIND_WORDS.get(k, k) for k in per_rep.columns],
                           fontsize=8)
        axes[1].invert_yaxis()
        axes[1].set(xlabel="Deals per replication (mean over the whole run)")
        axes[1].set_title("By kind and by the standard each deal spreads", loc="left", fontsize=9, color="#555555")
        axes[1].legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        _tidy(axes[1])
    return fig


def write_plots(timeseries: pd.DataFrame, countries: pd.DataFrame, world: pd.DataFrame,
                out_dir: Path, *, standard_names: dict[str, str], title: str, summary: dict | None = None,
                events: pd.DataFrame | None = None, deals: pd.DataFrame | None = None) -> list[Path]:
    """Save adoption, world map, interoperability and deals PNGs (dpi 150) into ``out_dir``.

    With the run's `summary`, the adoption plot shows the win measure with its threshold and judged
    month, and the map's legend the summary's medians; `events` and `deals` (Results.events,
    Results.deals) add the scenario's events and the deals by standard. All tables are checked
    before anything is drawn, so a bad table leaves no partial set of files.
    """
    for columns in (ADOPTION_COLUMNS, INTEROP_COLUMNS, DEALS_COLUMNS):
        _require(timeseries, columns, "timeseries")
    _require(countries, COUNTRY_COLUMNS, "countries")
    _require(world, WORLD_COLUMNS, "world")
    rule = (summary or {}).get("win_rule")
    measure = rule["measure"] if rule and rule["measure"] in timeseries.columns else "travel_share"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    style = {"standard_names": standard_names, "title": title}
    figures = {
        "adoption.png": lambda: plot_adoption(timeseries, measure=measure, win_rule=rule, events=events, **style),
        "world_map.png": lambda: plot_world_map(countries, world, summary=summary, **style),
        "interoperability.png": lambda: plot_interoperability(timeseries, **style),
        "deals.png": lambda: plot_deals(timeseries, deals=deals, **style),
    }
    paths = []
    for filename, build in figures.items():
        path = out_dir / filename
        build().savefig(path, dpi=DPI)
        paths.append(path)
    return paths


# the world map lives with the other maps; it reads the colours above, hence the import at the end
from .maps import COUNTRY_COLUMNS, WORLD_COLUMNS, plot_world_map  # noqa: E402
from .maps import modal_standard as modal_standard  # noqa: E402  (re-exported)
