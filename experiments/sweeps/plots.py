"""The figures of a sweep, drawn on bare matplotlib Figures (no pyplot) and saved as PNG.

- two-parameter grid: a phase diagram (win probability heatmap per outcome) and a winner map;
- one parameter: win probability against it, with Wilson 95% intervals;
- any design: win probability against each parameter, over bins of its values;
- Sobol and Morris designs: the sensitivity of each win probability to each parameter.
Each standard keeps the colour `experiments.plots.standard_colours` gives it in the run plots.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from ..plots import DPI, NEUTRAL, standard_colours
from ..summary import wilson_interval
from .runs import OK
from .store import atomic_write
from .tables import winners

MAX_BINS = 10  # bins per parameter in the binned plot; fewer distinct values get one bin each
MAX_ANNOTATED = 12  # annotate heatmap cells with their probability up to this many levels per axis
MAX_WITH_INTERVALS = 9  # and with its Wilson interval up to this many


@dataclass
class Style:
    """The outcomes a sweep's plots show, their colours and labels, and those that never happened;
    the swept keys' axis labels (name and unit from `model.describe`) and the reference point to mark
    (the calibrated point, or the scenario's own value for keys that are not calibrated)."""

    outcomes: list[str]  # standards that won some run, then "fragmented" if it happened
    colours: dict[str, str]
    labels: dict[str, str]
    never: list[str]  # labels of the outcomes no run ended in (left out of the plots)
    axes: dict[str, str] = field(default_factory=dict)  # dotted key -> "label (unit)"
    reference: dict[str, float] = field(default_factory=dict)  # dotted key -> value to mark
    reference_label: str = "calibrated point"

    def axis(self, key: str) -> str:
        return self.axes.get(key, key)

    def note(self, fig: Figure) -> None:
        if self.never:
            fig.supxlabel(f"Never the outcome of any run: {', '.join(self.never)}", fontsize=8, color="#555555")


def outcome_style(choices: list[str], names: dict[str, str], occurred: set[str], keys: list[str] = (),
                  reference: dict[str, float] | None = None, reference_label: str = "calibrated point") -> Style:
    """Each standard, then "fragmented", keeping the colours of the run plots; only those in `occurred`.
    Axis labels for `keys` come from the parameter schema."""
    labels = {**names, "fragmented": "fragmented (no winner)"}
    colours = {**standard_colours(names), "fragmented": NEUTRAL}
    every = winners(choices)
    return Style([w for w in every if w in occurred], colours, {w: labels.get(w, w) for w in every},
                 [labels.get(w, w) for w in every if w not in occurred], {k: axis_label(k) for k in keys},
                 dict(reference or {}), reference_label)


def axis_label(key: str, width: int = 48) -> str:
    """'privacy weight (utility at surveillance 1 and privacy concern 1)' from model.describe, wrapped;
    the dotted key itself when the schema declares nothing for it."""
    from model import describe

    try:
        info = describe(key)
    except Exception:  # a key the schema does not type (an event's field, say)
        info = None
    if info is None:
        return key
    parts = key.split(".")
    owner = f"{parts[1]}: " if len(parts) > 2 and parts[0] in ("sponsors", "standards", "organisations") else ""
    return textwrap.fill(f"{owner}{info.label} ({info.unit})" if info.unit else owner + info.label, width)


def reference_values(base, keys: list[str]) -> tuple[dict[str, float], str]:
    """The point to mark on a sweep's plots: for a scenario on the calibrated ensemble, the calibrated
    point (configs/calibration/point.yaml) where it sets the key; otherwise, or for other keys, the
    base experiment's own value. Returns the values of numeric keys and a legend label."""
    from ..factory import point_values
    from ..keys import locate

    calibrated = point_values() if base.calibration.ensemble else {}
    out = {}
    for key in keys:
        if key in calibrated:
            out[key] = calibrated[key]
            continue
        holder, name, kind = locate(base, key)
        value = holder[name] if isinstance(holder, dict) else getattr(holder, name)
        if kind in (int, float) and value is not None:
            out[key] = value
    if not out:
        return {}, ""
    if any(k in calibrated for k in keys):
        label = "calibrated point" if all(k in calibrated for k in out) else "calibrated point / scenario value"
    else:
        label = "the scenario's value"
    return {k: float(v) for k, v in out.items()}, label


def _index_of(value: float, levels: list) -> float | None:
    """Where a value falls on a heatmap axis of numeric levels (fractional index), None outside."""
    try:
        numbers = np.array(levels, dtype=float)
    except (TypeError, ValueError):
        return None
    if len(numbers) < 2 or not numbers.min() <= value <= numbers.max():
        return float(np.flatnonzero(numbers == value)[0]) if value in numbers else None
    order = np.argsort(numbers)
    return float(np.interp(value, numbers[order], np.arange(len(numbers))[order]))


def _mark_reference(ax: Axes, style: Style, keys: list[str], x_levels: list, y_levels: list) -> None:
    if not all(k in style.reference for k in keys):
        return
    ix, iy = _index_of(style.reference[keys[0]], x_levels), _index_of(style.reference[keys[1]], y_levels)
    if ix is None or iy is None:
        return
    ax.scatter([ix], [iy], marker="*", s=180, facecolor="white", edgecolor="black", linewidth=1.2, zorder=5,
               label=style.reference_label)


def _label(value) -> str:
    return f"{value:.3g}" if isinstance(value, float | int | np.floating | np.integer) and not isinstance(
        value, bool | np.bool_) else str(value)


def _tidy(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e3e3", linewidth=0.8)
    ax.set_axisbelow(True)


def _grid(points: pd.DataFrame, keys: list[str], column: str) -> tuple[np.ndarray, list, list]:
    """A column of a two-parameter grid as a matrix [level of keys[1], level of keys[0]], in design order."""
    x_levels, y_levels = list(pd.unique(points[keys[0]])), list(pd.unique(points[keys[1]]))
    matrix = points.pivot_table(index=keys[1], columns=keys[0], values=column, aggfunc="first", dropna=False)
    return matrix.reindex(index=y_levels, columns=x_levels).to_numpy(dtype=float), x_levels, y_levels


def _heatmap_axes(ax: Axes, keys: list[str], x_levels: list, y_levels: list, style: Style | None = None) -> None:
    ax.set_xticks(range(len(x_levels)), [_label(v) for v in x_levels], rotation=45 if len(x_levels) > 6 else 0)
    ax.set_yticks(range(len(y_levels)), [_label(v) for v in y_levels])
    ax.set(xlabel=style.axis(keys[0]) if style else keys[0], ylabel=style.axis(keys[1]) if style else keys[1])
    ax.tick_params(length=0, labelsize=8)


def plot_phase_diagram(points: pd.DataFrame, keys: list[str], style: Style, title: str = "") -> Figure:
    """Win probability of each outcome over a two-parameter grid: one heatmap per outcome."""
    outcomes, colours, labels = style.outcomes, style.colours, style.labels
    columns = min(3, len(outcomes))
    rows = -(-len(outcomes) // columns)
    x_count, y_count = points[keys[0]].nunique(), points[keys[1]].nunique()
    intervals = max(x_count, y_count) <= MAX_WITH_INTERVALS
    width, height = (max(4.4, 0.62 * x_count + 1.8), max(3.9, 0.42 * y_count + 1.6)) if intervals else (4.4, 3.9)
    fig = Figure(figsize=(width * columns, height * rows), layout="constrained")
    fig.suptitle(title or "Phase diagram: probability of each outcome", fontsize=13, fontweight="bold")
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    for ax, w in zip(axes, outcomes, strict=False):
        values, x_levels, y_levels = _grid(points, keys, f"win_probability_{w}")
        low, high = (_grid(points, keys, f"{name}_{w}")[0] for name in ("win_low", "win_high"))
        cmap = LinearSegmentedColormap.from_list(w, ["#ffffff", colours[w]])
        image = ax.imshow(values, origin="lower", aspect="auto", cmap=cmap, vmin=0, vmax=1)
        if max(len(x_levels), len(y_levels)) <= MAX_ANNOTATED:
            for (iy, ix), v in np.ndenumerate(values):
                if np.isfinite(v):
                    text = f"{v:.2f}\n[{low[iy, ix]:.2f}, {high[iy, ix]:.2f}]" if intervals else f"{v:.2f}"
                    ax.text(ix, iy, text, ha="center", va="center", fontsize=6 if intervals else 7,
                            color="white" if v > 0.6 else "#222222", linespacing=1.0)
        _heatmap_axes(ax, keys, x_levels, y_levels, style)
        _mark_reference(ax, style, keys, x_levels, y_levels)
        ax.set_title(labels[w], fontsize=10, loc="left")
        fig.colorbar(image, ax=ax, shrink=0.85, format=PercentFormatter(xmax=1), label="probability")
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    _reference_legend(fig, axes[0], style)
    axes[0].text(0.0, 1.08, "cell: share of replications with the outcome" + (" [Wilson 95% interval]" if intervals
                 else " (intervals in points.parquet: win_low_*, win_high_*)"), transform=axes[0].transAxes,
                 fontsize=8, color="#555555")
    style.note(fig)
    return fig


def _reference_legend(fig: Figure, ax: Axes, style: Style) -> None:
    handles, texts = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, texts, loc="outside lower right", frameon=False, fontsize=8)


def plot_winner_map(points: pd.DataFrame, keys: list[str], style: Style, title: str = "") -> Figure:
    """The most probable outcome in each cell of a two-parameter grid; paler where it is less sure."""
    outcomes, colours, labels = style.outcomes, style.colours, style.labels
    probs = np.stack([_grid(points, keys, f"win_probability_{w}")[0] for w in outcomes])  # [outcome, y, x]
    _, x_levels, y_levels = _grid(points, keys, f"win_probability_{outcomes[0]}")
    known = np.isfinite(probs).all(axis=0)
    best = np.where(known, np.argmax(np.where(known, probs, 0.0), axis=0), -1)
    rgba = np.ones((*best.shape, 4))
    for (iy, ix), k in np.ndenumerate(best):  # white at probability 0, the full colour at 1
        if k >= 0:
            rgba[iy, ix, :3] = 1 - probs[k, iy, ix] * (1 - _rgb(colours[outcomes[k]]))
    fig = Figure(figsize=(7.5, 5.5), layout="constrained")
    fig.suptitle(title or "Winner map", fontsize=13, fontweight="bold")
    ax = fig.subplots()
    ax.imshow(rgba, origin="lower", aspect="auto")
    if max(len(x_levels), len(y_levels)) <= MAX_ANNOTATED:
        for (iy, ix), k in np.ndenumerate(best):
            text = f"{probs[k, iy, ix]:.2f}" if k >= 0 else "failed"
            dark = rgba[iy, ix, :3] @ np.array([0.299, 0.587, 0.114]) < 0.5
            ax.text(ix, iy, text, ha="center", va="center", fontsize=7, color="white" if dark else "#222222")
    _heatmap_axes(ax, keys, x_levels, y_levels, style)
    _mark_reference(ax, style, keys, x_levels, y_levels)
    ax.set_title("colour: most probable outcome; depth: its probability (printed)", fontsize=9, loc="left",
                 color="#555555")
    shown = sorted({int(k) for k in best.ravel() if k >= 0})
    marks, texts = ax.get_legend_handles_labels()
    fig.legend(handles=[Patch(color=colours[outcomes[k]], label=labels[outcomes[k]]) for k in shown] + marks,
               loc="outside right center", frameon=False)
    style.note(fig)
    return fig


def _rgb(colour: str) -> np.ndarray:
    from matplotlib.colors import to_rgb

    return np.array(to_rgb(colour))


def plot_win_curve(points: pd.DataFrame, key: str, style: Style, title: str = "", log: bool = False) -> Figure:
    """Win probability of each outcome against the one swept parameter, with Wilson 95% intervals."""
    outcomes, colours, labels = style.outcomes, style.colours, style.labels
    table = points.sort_values(key, kind="stable")
    numeric = pd.api.types.is_numeric_dtype(table[key]) and not pd.api.types.is_bool_dtype(table[key])
    x = table[key].to_numpy(dtype=float) if numeric else np.arange(len(table))
    fig = Figure(figsize=(9, 5), layout="constrained")
    fig.suptitle(title or f"Win probability against {style.axis(key)}", fontsize=13, fontweight="bold")
    ax = fig.subplots()
    for w in outcomes:
        p, lo, hi = (table[f"{name}_{w}"].to_numpy(float) for name in ("win_probability", "win_low", "win_high"))
        if numeric:
            ax.fill_between(x, lo, hi, color=colours[w], alpha=0.18, linewidth=0)
            ax.plot(x, p, color=colours[w], linewidth=2, marker="o", markersize=3, label=labels[w])
        else:
            ax.errorbar(x, p, yerr=[p - lo, hi - p], color=colours[w], marker="o", linestyle="", capsize=3,
                        label=labels[w])
    if not numeric:
        ax.set_xticks(x, [_label(v) for v in table[key]])
    elif log:
        ax.set_xscale("log")
    if numeric and key in style.reference:
        ax.axvline(style.reference[key], color="black", linestyle="--", linewidth=1, label=style.reference_label)
    ax.set(xlabel=style.axis(key), ylabel="Probability of the outcome", ylim=(0, 1))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_title("line: share of replications; band: Wilson 95% interval", fontsize=9, loc="left", color="#555555")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    _tidy(ax)
    style.note(fig)
    return fig


def bins_of(values: pd.Series) -> tuple[pd.Series, list]:
    """A bin label per run and the bins in order: each distinct value when there are few, else
    about MAX_BINS quantile bins labelled by their mean value."""
    distinct = list(pd.unique(values))
    if len(distinct) <= MAX_BINS or not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        order = sorted(distinct) if pd.api.types.is_numeric_dtype(values) else distinct
        return values, order
    codes = pd.qcut(values.astype(float), MAX_BINS, labels=False, duplicates="drop")
    centres = values.astype(float).groupby(codes).mean()
    return codes.map(centres), list(centres)


def plot_binned(runs: pd.DataFrame, keys: list[str], style: Style, title: str = "",
                log_keys: frozenset[str] = frozenset()) -> Figure:
    """Win probability against each parameter, over the runs in bins of that parameter's values
    (every other parameter varies within a bin, so this is a marginal view)."""
    outcomes, colours, labels = style.outcomes, style.colours, style.labels
    ok = runs[runs["status"] == OK]
    columns = min(3, len(keys))
    rows = -(-len(keys) // columns)
    fig = Figure(figsize=(4.6 * columns + 2.2, 3.6 * rows), layout="constrained")
    fig.suptitle(title or "Win probability against each parameter (binned)", fontsize=13, fontweight="bold")
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    for ax, key in zip(axes, keys, strict=False):
        labels_per_run, order = bins_of(ok[key])
        numeric = pd.api.types.is_numeric_dtype(ok[key]) and not pd.api.types.is_bool_dtype(ok[key])
        x = np.array(order, dtype=float) if numeric else np.arange(len(order))
        n = labels_per_run.value_counts().reindex(order, fill_value=0).to_numpy()
        for w in outcomes:
            wins = (ok["winner"] == w).groupby(labels_per_run).sum().reindex(order, fill_value=0).to_numpy()
            p = np.where(n > 0, wins / np.maximum(n, 1), np.nan)
            bounds = np.array([wilson_interval(int(k), int(m)) for k, m in zip(wins, n, strict=True)])
            ax.fill_between(x, bounds[:, 0], bounds[:, 1], color=colours[w], alpha=0.15, linewidth=0)
            ax.plot(x, p, color=colours[w], linewidth=1.8, marker="o", markersize=3, label=labels[w])
        if not numeric:
            ax.set_xticks(x, [_label(v) for v in order])
        elif key in log_keys:
            ax.set_xscale("log")
        if numeric and key in style.reference:
            ax.axvline(style.reference[key], color="black", linestyle="--", linewidth=1, label=style.reference_label)
        ax.set(xlabel=style.axis(key), ylim=(0, 1))
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        _tidy(ax)
    for ax in axes[len(keys):]:
        ax.set_visible(False)
    axes[0].set_ylabel("Probability of the outcome")
    handles, texts = axes[0].get_legend_handles_labels()
    fig.legend(handles, texts, loc="outside right upper", frameon=False)
    style.note(fig)
    return fig


def plot_sensitivity(table: pd.DataFrame, style: Style, title: str = "") -> Figure:
    """Total-order Sobol index (or Morris mu*) of each winner's probability, per parameter."""
    outcomes, colours, labels = style.outcomes, style.colours, style.labels
    main, conf = ("ST", "ST_conf") if "ST" in table.columns else ("mu_star", "mu_star_conf")
    parameters = list(pd.unique(table["parameter"]))
    fig = Figure(figsize=(9, 1.2 + 0.55 * len(parameters) * max(1, len(outcomes) / 3)), layout="constrained")
    fig.suptitle(title or "Sensitivity of the win probabilities", fontsize=13, fontweight="bold")
    ax = fig.subplots()
    height = 0.8 / len(outcomes)
    for i, w in enumerate(outcomes):
        rows = table[table["outcome"] == f"win_probability_{w}"].set_index("parameter").reindex(parameters)
        y = np.arange(len(parameters)) + (i - (len(outcomes) - 1) / 2) * height
        ax.barh(y, rows[main].fillna(0), height=height, xerr=rows[conf].fillna(0), color=colours[w],
                label=labels[w], error_kw={"elinewidth": 0.8, "ecolor": "#555555"})
    ax.set_yticks(range(len(parameters)), [style.axis(p).replace("\n", " ").split(" (")[0] for p in parameters],
                  fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("total-order Sobol index (ST)" if main == "ST" else "Morris mu* (effect of the full range)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    style.note(fig)
    return fig


def write_sweep_plots(sweep, points: pd.DataFrame, runs: pd.DataFrame, out_dir: Path,
                      sensitivity: pd.DataFrame | None = None) -> list[Path]:
    """Save the figures that fit the sweep's design into `out_dir` (PNG, dpi 150); returns the paths."""
    keys = sweep.keys
    ok = runs[runs["status"] == OK]
    if ok.empty:
        return []
    reference, reference_label = reference_values(sweep.base, keys)
    style = outcome_style(sweep.choices, sweep.standard_names, set(ok["winner"]), keys, reference, reference_label)
    title = f"{sweep.spec.name}: {sweep.base.scenario.name}, {len(points)} points, {len(ok)} runs"
    log_keys = frozenset(k for k, p in sweep.spec.parameters.items() if p.log and p.choices is None)
    figures = {"win_probability_binned.png": lambda: plot_binned(runs, keys, style, title, log_keys)}
    if len(keys) == 1:
        figures["win_probability.png"] = lambda: plot_win_curve(points, keys[0], style, title, keys[0] in log_keys)
    if sweep.spec.design == "grid" and len(keys) == 2:
        figures["phase_diagram.png"] = lambda: plot_phase_diagram(points, keys, style, title)
        figures["winner_map.png"] = lambda: plot_winner_map(points, keys, style, title)
    if sensitivity is not None:
        figures["sensitivity.png"] = lambda: plot_sensitivity(sensitivity, style, title)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for filename, build in figures.items():
        figure = build()
        atomic_write(out_dir / filename, lambda p, fig=figure: fig.savefig(p, format="png", dpi=DPI))
        paths.append(out_dir / filename)
    return paths
