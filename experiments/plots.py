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
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

# Okabe-Ito (colour-blind safe), reordered so the most distinct hues come first and yellow last.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
NONE_COLOUR = "#C4C4C4"
NEUTRAL = "#333333"  # for run-level series that belong to no standard
QUANTILES = (0.05, 0.95)
DPI = 150
MARKER_AREA = (8.0, 400.0)  # pt^2, smallest and largest country on the map
N_LABELLED = 10  # most populous countries named on the map

ADOPTION_COLUMNS = ("replication", "month", "standard", "travel_share", "adopters")
INTEROP_COLUMNS = ("replication", "month", "standard", "interoperability")
DEALS_COLUMNS = ("replication", "month", "standard", "deals")
COUNTRY_COLUMNS = ("replication", "iso3", "final_standard")
WORLD_COLUMNS = ("iso3", "lat", "lon", "population")


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


def plot_adoption(timeseries: pd.DataFrame, *, standard_names: dict[str, str] | None = None,
                  title: str = "") -> Figure:
    """Travel-weighted share of each standard by month, with the median adopter count below.

    Travel weighting shows how much of world travel a standard covers; the count panel shows
    whether that comes from a few hubs or from many countries. "none" is left out of both.
    """
    _require(timeseries, ADOPTION_COLUMNS, "timeseries")
    names = standard_names or {}
    rows = _with_months(timeseries[timeseries["standard"] != "all"])
    ids = [s for s in standard_order(names, rows["standard"].unique()) if s != "none"]
    colours = standard_colours(names, ids)
    fig = _new_figure((9, 6), title)
    share_ax, count_ax = fig.subplots(2, 1, sharex=True, height_ratios=[2.3, 1])
    for sid in ids:
        sub = rows[rows["standard"] == sid]
        _draw_band(share_ax, _bands(sub, "travel_share"), colours[sid], names.get(sid, sid))
        adopters = sub.groupby("month", sort=True)["adopters"].median()
        count_ax.plot(adopters.index.to_numpy(), adopters, color=colours[sid], linewidth=1.6)
    share_ax.set(ylim=(0, 1), ylabel="Travel-weighted share of world travel")
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
               title: str = "") -> Figure:
    """Cumulative deals signed by month: sponsor deals, deal waves and country-to-country recognition."""
    _require(timeseries, DEALS_COLUMNS, "timeseries")
    fig, ax = _run_series(timeseries, "deals", "Cumulative deals signed (sponsor and bilateral, count)", title)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def modal_standard(countries: pd.DataFrame, order: list[str]) -> pd.Series:
    """Most frequent ``final_standard`` per iso3 over replications; ties go to the earlier standard."""
    counts = countries.groupby(["iso3", "final_standard"]).size().unstack(fill_value=0)
    return counts[[s for s in order if s in counts.columns]].idxmax(axis=1)


def _positions(world: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, bool]:
    """Capital coordinates, or a landscape grid by row order when the world is synthetic (all at 0, 0).

    A grid keeps even a few hundred synthetic countries apart, where a circle would crowd them.
    """
    lon, lat = world["lon"].to_numpy(float), world["lat"].to_numpy(float)
    if np.nan_to_num(np.abs(lon) + np.abs(lat)).any():
        return lon, lat, False
    index = np.arange(len(world))
    columns = max(1, int(np.ceil(np.sqrt(2 * len(world)))))
    return (index % columns).astype(float), -(index // columns).astype(float), True


def _marker_areas(population: pd.Series) -> np.ndarray:
    """Marker area proportional to sqrt(population), rescaled into ``MARKER_AREA``."""
    root = np.sqrt(population.to_numpy(float).clip(min=0))
    root = np.where(np.isnan(root), np.nanmin(root) if np.isfinite(root).any() else 0.0, root)
    lo, hi = MARKER_AREA
    span = root.max() - root.min()
    return lo + (hi - lo) * (root - root.min()) / span if span > 0 else np.full(len(root), (lo + hi) / 4)


def _degrees(value: float, positive: str, negative: str) -> str:
    """Graticule label such as 30°W, 60°N or 0°."""
    return f"{abs(value):.0f}°{positive if value > 0 else negative if value < 0 else ''}"


def _map_frame(ax: Axes, x: np.ndarray, y: np.ndarray, synthetic: bool) -> None:
    """Light equirectangular frame with 30-degree graticule, or a bare square for synthetic worlds."""
    ax.set_aspect("equal")
    for spine in ax.spines.values():
        spine.set_color("#c8ccd0")
    if synthetic:
        ax.set(xticks=[], yticks=[], xlim=(-0.8, x.max() + 0.8), ylim=(y.min() - 1.0, 0.8))
        return
    ax.set(xlim=(-180, 180), ylim=(-60, 85), xticks=range(-180, 181, 30), yticks=range(-60, 85, 30))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees(v, "E", "W")))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees(v, "N", "S")))
    ax.tick_params(labelsize=8, colors="#777777", length=0)
    ax.grid(color="#dfe4ea", linewidth=0.7)
    ax.set_facecolor("#f6f8fa")


def plot_world_map(countries: pd.DataFrame, world: pd.DataFrame, *,
                   standard_names: dict[str, str] | None = None, title: str = "") -> Figure:
    """Capitals coloured by each country's most frequent final standard, sized by population.

    Marker area grows with sqrt(population) so large countries stand out without hiding small
    ones; countries of ``world`` absent from ``countries`` are drawn as hollow grey rings.
    """
    _require(countries, COUNTRY_COLUMNS, "countries")
    _require(world, WORLD_COLUMNS, "world")
    names = standard_names or {}
    order = standard_order(names, countries["final_standard"].unique())
    colours = standard_colours(names, order)
    world = world.reset_index(drop=True)
    mode = world["iso3"].map(modal_standard(countries, order))
    x, y, synthetic = _positions(world)
    areas = _marker_areas(world["population"])

    fig = _new_figure((11, 5.7), title)
    ax = fig.subplots()
    _map_frame(ax, x, y, synthetic)
    drawn = np.argsort(-areas, kind="stable")  # big markers first, small ones on top
    known = drawn[mode.iloc[drawn].notna().to_numpy()]
    unknown = drawn[mode.iloc[drawn].isna().to_numpy()]
    ax.scatter(x[known], y[known], s=areas[known], c=[colours[mode.iloc[i]] for i in known],
               edgecolors="white", linewidths=0.5, alpha=0.9, zorder=3)
    ax.scatter(x[unknown], y[unknown], s=areas[unknown], facecolors="none", edgecolors="#999999",
               linewidths=0.8, zorder=3)
    for i in world["population"].nlargest(N_LABELLED).index:
        ax.annotate(world.at[i, "iso3"], (x[i], y[i]), xytext=(4, 3), textcoords="offset points",
                    fontsize=7, color="#333333", zorder=4)

    counts = mode.value_counts()
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=colours[s],
                      markeredgecolor="white", label=f"{names.get(s, s)} ({counts.get(s, 0)})")
               for s in order]
    if len(unknown):
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor="none",
                              markeredgecolor="#999999", label=f"not simulated ({len(unknown)})"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), frameon=False)
    heading = "Final standard by country"
    ax.set_title(heading + (" — synthetic world: positions are arbitrary" if synthetic else ""),
                 loc="left", fontsize=10)
    n_reps = countries["replication"].nunique()
    ax.text(0.01, 0.015, f"colour: most frequent final standard over {n_reps} replications; "
            "marker area ∝ √population", transform=ax.transAxes, fontsize=8, color="#555555", zorder=5)
    return fig


def write_plots(timeseries: pd.DataFrame, countries: pd.DataFrame, world: pd.DataFrame,
                out_dir: Path, *, standard_names: dict[str, str], title: str) -> list[Path]:
    """Save adoption, world map, interoperability and deals PNGs (dpi 150) into ``out_dir``.

    All tables are checked before anything is drawn, so a bad table leaves no partial set of files.
    """
    for columns in (ADOPTION_COLUMNS, INTEROP_COLUMNS, DEALS_COLUMNS):
        _require(timeseries, columns, "timeseries")
    _require(countries, COUNTRY_COLUMNS, "countries")
    _require(world, WORLD_COLUMNS, "world")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    style = {"standard_names": standard_names, "title": title}
    figures = {
        "adoption.png": lambda: plot_adoption(timeseries, **style),
        "world_map.png": lambda: plot_world_map(countries, world, **style),
        "interoperability.png": lambda: plot_interoperability(timeseries, **style),
        "deals.png": lambda: plot_deals(timeseries, **style),
    }
    paths = []
    for filename, build in figures.items():
        path = out_dir / filename
        build().savefig(path, dpi=DPI)
        paths.append(path)
    return paths
