"""Maps drawn offline: real country shapes for the real world, a network layout for a synthetic one.

Shapes are Natural Earth 1:50m (public domain) shipped in `experiments/data/countries_50m.geojson`
(source note beside it), drawn in plain longitude/latitude on a bare matplotlib Axes. A country
with no shape at that scale (Tuvalu) is drawn as a point at its capital. Synthetic worlds have no
geography: their countries are placed by a seeded spring layout of the travel ties, and only as
many are named as fit without overprinting.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.ticker import FuncFormatter

SHAPES_FILE = "countries_50m.geojson"
LAND = "#e6e6e6"  # land that belongs to no simulated country
EDGE = "#ffffff"
SEA = "#f4f7fa"
EXTENT = (-180.0, 192.0, -58.0, 84.0)  # lon, lon, lat, lat: Russia and Fiji run past 180 (unwrapped)


@functools.cache
def country_shapes() -> dict[str, list[np.ndarray]]:
    """ISO3 -> the outer rings of its polygons ([k, 2] arrays of lon, lat); unnamed land under ""."""
    data = json.loads((files("experiments") / "data" / SHAPES_FILE).read_text())
    shapes: dict[str, list[np.ndarray]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = [np.asarray(polygon[0], dtype=float) for polygon in polygons]  # holes: enclaves drawn on top
        shapes.setdefault(feature["properties"].get("iso3") or "", []).extend(rings)
    return shapes


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def draw_countries(ax: Axes, colours: Mapping[str, str], *, codes: Sequence[str] = (),
                   lon: Sequence[float] = (), lat: Sequence[float] = (), land: str = LAND,
                   linewidth: float = 0.25) -> list[str]:
    """Fill each country's shape with its colour (others in `land`), largest first so enclaves
    (Lesotho, San Marino) stay visible; a coloured country without a shape becomes a point at its
    capital, looked up in `codes`/`lon`/`lat`. Returns the codes drawn as points."""
    shapes = country_shapes()
    rings, faces = [], []
    for code, country_rings in shapes.items():
        for ring in country_rings:
            rings.append(ring)
            faces.append(colours.get(code, land))
    order = np.argsort([-_area(r) for r in rings], kind="stable")
    ax.add_collection(PolyCollection([rings[i] for i in order], facecolors=[faces[i] for i in order],
                                     edgecolors=EDGE, linewidths=linewidth, zorder=1))
    where = {c: k for k, c in enumerate(codes)}
    points = [c for c in colours if c not in shapes and c in where]
    if points:
        k = [where[c] for c in points]
        ax.scatter(np.asarray(lon)[k], np.asarray(lat)[k], s=22, c=[colours[c] for c in points],
                   edgecolors="#333333", linewidths=0.6, zorder=3)
    return points


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.0f}°{positive if value > 0 else negative if value < 0 else ''}"


def world_frame(ax: Axes, graticule: bool = True) -> None:
    """Equirectangular frame over the inhabited world, a faint graticule and a pale sea."""
    west, east, south, north = EXTENT
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal")
    ax.set_facecolor(SEA)
    for spine in ax.spines.values():
        spine.set_color("#c8ccd0")
    if graticule:
        ax.set_xticks(range(-180, 181, 60))
        ax.set_yticks(range(-30, 84, 30))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees(v, "E", "W")))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees(v, "N", "S")))
        ax.tick_params(labelsize=7, colors="#888888", length=0)
        ax.grid(color="#e1e6eb", linewidth=0.6)
        ax.set_axisbelow(True)
    else:
        ax.set_xticks([])
        ax.set_yticks([])


def tie_graph(travel, strongest: int = 3, seed: int = 0):
    """An undirected networkx graph of each country's `strongest` outbound travel ties (weights are
    the larger of the two directions' shares): the backbone a layout can show legibly. Equal ties
    (a complete graph) are broken by a seeded shuffle, not by index, so no country becomes a hub."""
    import networkx as nx
    from scipy import sparse

    rng = np.random.default_rng(seed)
    matrix = sparse.csr_matrix(travel)
    n = matrix.shape[0]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    for i in range(n):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        cols, vals = matrix.indices[start:end], matrix.data[start:end]
        shuffled = rng.permutation(len(vals))
        for k in shuffled[np.argsort(-vals[shuffled], kind="stable")][:strongest]:
            j, w = int(cols[k]), float(vals[k])
            if j != i and w > 0:
                old = graph.edges[i, j]["weight"] if graph.has_edge(i, j) else 0.0
                graph.add_edge(i, j, weight=max(old, w))
    return graph


def network_layout(travel, seed: int = 0, strongest: int = 3) -> np.ndarray:
    """[n, 2] positions from a layout of the travel backbone: Kamada-Kawai up to 300 countries (a
    ring stays a ring, a lattice a grid), a seeded spring layout beyond; the same world always gets
    the same picture."""
    import networkx as nx

    graph = tie_graph(travel, strongest, seed)
    n = graph.number_of_nodes()
    if n == 0:
        return np.zeros((0, 2))
    if n <= 300:
        position = nx.kamada_kawai_layout(graph, pos=nx.circular_layout(graph))
    else:
        position = nx.spring_layout(graph, seed=int(seed), k=1.5 / np.sqrt(n), iterations=80)
    return np.array([position[i] for i in range(n)])


def spaced_labels(x: np.ndarray, y: np.ndarray, priority: Iterable[int], min_gap: float,
                  limit: int | None = None) -> list[int]:
    """Indices to label, in priority order, skipping any closer than `min_gap` (data units) to one
    already chosen: names that never overprint each other."""
    chosen: list[int] = []
    for i in priority:
        if limit is not None and len(chosen) >= limit:
            break
        if all((x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2 >= min_gap ** 2 for j in chosen):
            chosen.append(int(i))
    return chosen


# ---------------------------------------------------------------- the run's world map (experiments.plots)

COUNTRY_COLUMNS = ("replication", "iso3", "final_standard")
WORLD_COLUMNS = ("iso3", "lat", "lon", "population")
N_LABELLED = 12  # synthetic worlds: at most this many countries named, never overprinted


def modal_standard(countries: pd.DataFrame, order: list[str], column: str = "final_standard") -> pd.Series:
    """Most frequent standard per iso3 over replications; ties go to the earlier standard in `order`."""
    counts = countries.groupby(["iso3", column], observed=True).size().unstack(fill_value=0)
    return counts[[s for s in order if s in counts.columns]].idxmax(axis=1)


def _synthetic_positions(world: pd.DataFrame, layout: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    if layout is not None:
        return np.asarray(layout[:, 0], float), np.asarray(layout[:, 1], float)
    index = np.arange(len(world))  # no ties given: a landscape grid in row order
    columns = max(1, int(np.ceil(np.sqrt(2 * len(world)))))
    return (index % columns).astype(float), -(index // columns).astype(float)


def plot_world_map(countries: pd.DataFrame, world: pd.DataFrame, *, standard_names: dict[str, str] | None = None,
                   title: str = "", summary: dict | None = None, column: str | None = None,
                   layout: np.ndarray | None = None):
    """Each country coloured by its modal standard over replications: real shapes for real countries
    (a point where a country has no shape at 1:50m), a tie layout (`layout`, [n, 2]) or a grid for a
    synthetic world, never overprinted names.

    The legend counts the countries where each standard is modal and, given the run's `summary`,
    shows the summary's median adopters with their 5-95% range beside them: the two differ (a
    standard modal nowhere may still have a median of several adopters), and both are named. With a
    summary the map shows the month the winner is judged (`judged_standard`), as the summary does.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .plots import _new_figure, _require, standard_colours, standard_order

    column = column or ("judged_standard" if summary and "judged_standard" in countries.columns else "final_standard")
    _require(countries, ("replication", "iso3", column), "countries")
    _require(world, WORLD_COLUMNS, "world")
    names = standard_names or {}
    order = standard_order(names, [*names, *countries[column].astype(str).unique()])
    colours = standard_colours(names, order)
    world = world.reset_index(drop=True)
    mode = world["iso3"].map(modal_standard(countries, order, column))
    codes = world["iso3"].astype(str).tolist()
    lon, lat = world["lon"].to_numpy(float), world["lat"].to_numpy(float)
    real = bool(np.nan_to_num(np.abs(lon) + np.abs(lat)).any())
    fig = _new_figure((11, 6.2), title)
    ax = fig.subplots()
    simulated = mode.notna().to_numpy()
    if real:
        world_frame(ax)
        draw_countries(ax, {c: colours[m] for c, m in zip(codes, mode, strict=True) if isinstance(m, str)},
                       codes=codes, lon=lon, lat=lat)
    else:
        x, y = _synthetic_positions(world, layout)
        ax.scatter(x[simulated], y[simulated], s=30, c=[colours[m] for m in mode[simulated]], edgecolors="white",
                   linewidths=0.5, zorder=2)
        ax.scatter(x[~simulated], y[~simulated], s=30, facecolors="none", edgecolors="#999999", zorder=2)
        span = max(np.ptp(x), np.ptp(y), 1e-9)
        priority = world["population"].fillna(0).to_numpy().argsort(kind="stable")[::-1]
        for i in spaced_labels(x, y, priority, min_gap=0.09 * span, limit=N_LABELLED):
            ax.annotate(codes[i], (x[i], y[i]), xytext=(4, 3), textcoords="offset points", fontsize=7,
                        color="#333333", zorder=4)
        pad = 0.06 * span
        ax.set(xlim=(x.min() - pad, x.max() + pad), ylim=(y.min() - pad, y.max() + pad), xticks=[], yticks=[])
        ax.set_aspect("equal")
    counts = mode.value_counts()
    handles = []
    for sid in order:
        text = f"{names.get(sid, sid)}: modal in {counts.get(sid, 0)}"
        band = ((summary or {}).get("standards", {}).get(sid) or {}).get("adopters")
        if band:
            text += f"; median adopters {band['median']:.0f} [{band['p05']:.0f}–{band['p95']:.0f}]"
        handles.append(Patch(facecolor=colours[sid], edgecolor="#999999", linewidth=0.4, label=text))
    if (~simulated).any():
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor="#999999",
                              label=f"not simulated ({int((~simulated).sum())})"))
    fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    n_reps = countries["replication"].nunique()
    month = ""
    if summary:
        month = summary["win_rule"]["month"] if column == "judged_standard" else summary["horizon"]["end"]
    when = f" in {month}" if month else (" at the end" if column == "final_standard" else "")
    ax.set_title(f"The standard each country issues most often{when} (modal over {n_reps} replication"
                 f"{'s' * (n_reps != 1)})" + ("" if real else "; synthetic world: positions are a layout, not "
                                                            "geography"), loc="left", fontsize=9)
    return fig
