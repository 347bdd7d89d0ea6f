"""Figures of one model as it runs: the world map, the win measure over time, the deals and
recognition network, and the scenario's events. The interactive page (app.py) redraws them after
every step; a notebook can draw them for any `CredentialModel`, running or finished.

Bare matplotlib Figures (no pyplot). Colours per standard are those of the run plots
(`experiments.plots.standard_colours`).
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from model import CredentialModel
from model.metrics import DEAL_KINDS, judged_month
from model.params import add_months, option_names

from . import maps
from .plots import NONE_COLOUR, standard_colours

MEASURE_WORDS = {"acceptance_reach": "Acceptance reach: share of world trips whose destination accepts it",
                 "travel_share": "Share of world travel whose traveller carries it",
                 "credentialled_share": "Share of credentialled travel that carries it"}
KIND_STYLES = {"mutual": ":", "standard": "-.", "accession": "-", "incentive": "--", "wave": "-"}
KIND_WORDS = {"mutual": "mutual recognition", "standard": "deal on one side's standard",
              "accession": "accession to a trust network", "incentive": "sponsor's incentive deal",
              "wave": "deal wave"}


def names_of(model: CredentialModel) -> dict[str, str]:
    return option_names(model.params.standards)


def month_shown(model: CredentialModel) -> int:
    """The last recorded month (-1 before the first step)."""
    return model.history.months - 1


def _title(model: CredentialModel, what: str) -> str:
    t = month_shown(model)
    when = model.month_label(t) if t >= 0 else f"before {model.params.scenario.start}"
    return f"{what}, {when}"


_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # world -> layout, computed once


def _positions(model: CredentialModel) -> tuple[np.ndarray, np.ndarray]:
    """Capitals for a real world; a seeded network layout of the travel ties for a synthetic one
    (computed once per world: the page redraws every step)."""
    w = model.world
    if w.real:
        return np.asarray(w.lon, float), np.asarray(w.lat, float)
    if w not in _LAYOUTS:
        _LAYOUTS[w] = maps.network_layout(w.travel, seed=0)
    xy = _LAYOUTS[w]
    return xy[:, 0], xy[:, 1]


def _synthetic_frame(ax, x: np.ndarray, y: np.ndarray) -> None:
    pad = 0.08 * max(np.ptp(x), np.ptp(y), 1e-9)
    ax.set(xlim=(x.min() - pad, x.max() + pad), ylim=(y.min() - pad, y.max() + pad), xticks=[], yticks=[])
    ax.set_aspect("equal")
    for spine in ax.spines.values():
        spine.set_color("#c8ccd0")


def world_map(model: CredentialModel, size: tuple[float, float] = (8.0, 4.4)) -> Figure:
    """Each country coloured by the standard it issues now; counts in the legend."""
    names, choices = names_of(model), model.choices
    colours = standard_colours(names)
    t = month_shown(model)
    state = model.history.state[t] if t >= 0 else model.state
    codes = [str(c) for c in model.world.codes]
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.subplots()
    if model.world.real:
        maps.world_frame(ax)
        maps.draw_countries(ax, {c: colours[choices[k]] for c, k in zip(codes, state, strict=True)},
                            codes=codes, lon=model.world.lon, lat=model.world.lat)
    else:
        x, y = _positions(model)
        graph = maps.tie_graph(model.world.travel, seed=0)
        for i, j in graph.edges():
            ax.plot([x[i], x[j]], [y[i], y[j]], color="#d5d9de", linewidth=0.5, zorder=1)
        ax.scatter(x, y, s=28, c=[colours[choices[k]] for k in state], edgecolors="white", linewidths=0.5,
                   zorder=2)
        _synthetic_frame(ax, x, y)
    counts = np.bincount(state, minlength=len(choices))
    handles = [Patch(facecolor=colours[sid], edgecolor="#999999", linewidth=0.4,
                     label=f"{names[sid]} ({counts[k]})") for k, sid in enumerate(choices)]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False, fontsize=8,
               title="Standard issued (countries)", title_fontsize=8)
    suffix = "" if model.world.real else " (synthetic world: a layout of its travel ties)"
    fig.suptitle(_title(model, "Standard each country issues") + suffix, x=0.01, ha="left", fontsize=10)
    return fig


def scheduled_events(model: CredentialModel) -> pd.DataFrame:
    """Every event of the scenario, standards' launches included, in date order: month index, month,
    name, type, note, and whether it has happened yet."""
    rows = []
    for step, items in model._schedule.items():
        for name, ev, _ in items:
            rows.append({"step": step, "month": add_months(model.params.scenario.start, step), "event": name,
                         "type": ev.type, "note": ev.note, "happened": step <= month_shown(model)})
    table = pd.DataFrame(rows, columns=["step", "month", "event", "type", "note", "happened"])
    return table.sort_values("step", kind="stable", ignore_index=True)


def reach_over_time(model: CredentialModel, size: tuple[float, float] = (7.5, 4.4)) -> Figure:
    """The win measure of each standard so far, against the whole horizon, with the win threshold,
    the month the winner is judged and the scenario's events (numbered as in the event list)."""
    names, choices = names_of(model), model.choices
    colours = standard_colours(names)
    rule = model.params.scenario.win
    series = model.history.measure(rule.measure)
    t = month_shown(model)
    months = pd.to_datetime([f"{model.month_label(k)}-01" for k in range(model.horizon)])
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.subplots()
    for k, sid in enumerate(choices):
        if k and t >= 0:
            ax.plot(months[: t + 1], series[: t + 1, k], color=colours[sid], linewidth=2, label=names[sid])
    ax.axhline(rule.threshold, color="#b03a2e", linestyle="--", linewidth=1.2,
               label=f"win threshold {rule.threshold:.0%} (and {rule.lead:g}× the runner-up)")
    judged = months[min(judged_month(model), model.horizon - 1)]
    ax.axvline(judged, color="#b03a2e", linewidth=0.8, alpha=0.6)
    ax.text(judged, 0.98, " winner judged", color="#b03a2e", fontsize=7, va="top",
            transform=ax.get_xaxis_transform())
    events = scheduled_events(model)
    for number, row in enumerate(events.itertuples(), start=1):
        ax.axvline(months[row.step], color="#555555" if row.happened else "#bbbbbb", linewidth=0.6, linestyle=":")
        ax.text(months[row.step], 0.02 + 0.06 * (number % 3), str(number), fontsize=7, ha="center",
                color="#333333" if row.happened else "#999999", transform=ax.get_xaxis_transform(),
                bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": "#bbbbbb", "lw": 0.5})
    ax.set(xlim=(months[0], months[-1]), ylim=(0, 1), ylabel=MEASURE_WORDS[rule.measure].split(":")[0])
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e3e3")
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    fig.suptitle(_title(model, MEASURE_WORDS[rule.measure]) + "; numbered lines: events", x=0.01, ha="left",
                 fontsize=9)
    return fig


def deal_network(model: CredentialModel, size: tuple[float, float] = (8.0, 4.6)) -> Figure:
    """Who signed with whom: one line per deal (colour: the standard it spreads, grey for mutual
    recognition of any credential; line style: the kind), countries coloured by their standard,
    WHO platform members ringed."""
    names, choices = names_of(model), model.choices
    colours = standard_colours(names)
    x, y = _positions(model)
    t = month_shown(model)
    state = model.history.state[t] if t >= 0 else model.state
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.subplots()
    if model.world.real:
        maps.world_frame(ax, graticule=False)
        maps.draw_countries(ax, {}, land="#eef0f2", linewidth=0.2)
    else:
        _synthetic_frame(ax, x, y)
    counted = dict.fromkeys(DEAL_KINDS, 0)
    involved: set[int] = set()
    for _, kind, standard, a, b in model.deal_log:
        counted[kind] += 1
        if b < 0:
            continue
        involved.update((a, b))
        ax.plot([x[a], x[b]], [y[a], y[b]], color=colours.get(standard, "#777777") if standard else "#8a8f96",
                linestyle=KIND_STYLES[kind], linewidth=0.9 if kind == "mutual" else 1.2, alpha=0.75, zorder=2)
    members = np.zeros(model.world.n, dtype=bool)
    for org in model.organisations.values():
        members |= org.members
    shown = np.flatnonzero(members | np.isin(np.arange(model.world.n), list(involved)))
    ax.scatter(x[shown], y[shown], s=14, c=[colours[choices[k]] for k in state[shown]],
               edgecolors=np.where(members[shown], "#222222", "white"), linewidths=0.7, zorder=3)
    kinds = [Line2D([], [], color="#555555", linestyle=KIND_STYLES[k], label=f"{KIND_WORDS[k]} ({counted[k]})")
             for k in DEAL_KINDS if counted[k]]
    ringed = [Line2D([], [], marker="o", linestyle="", markerfacecolor=NONE_COLOUR, markeredgecolor="#222222",
                     label=f"WHO platform member ({int(members.sum())})")] if members.any() else []
    standards = [Patch(color=colours[s], label=names[s]) for s in choices[1:]]
    fig.legend(handles=kinds + ringed + standards, loc="outside lower center", ncol=3, frameon=False, fontsize=7)
    total = sum(counted.values())
    fig.suptitle(_title(model, f"Deals and recognition: {total} deal{'s' * (total != 1)} signed"), x=0.01,
                 ha="left", fontsize=10)
    return fig
