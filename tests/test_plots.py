"""Checks on experiments/plots.py with small synthetic run tables."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

REPO = Path(__file__).resolve().parents[1]


def _load_plots():
    """Import experiments.plots normally, or by path if the package has no __init__ yet."""
    try:
        from experiments import plots
    except ImportError:
        spec = importlib.util.spec_from_file_location("experiments_plots", REPO / "experiments" / "plots.py")
        plots = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = plots
        spec.loader.exec_module(plots)
    return plots


plots = _load_plots()

NAMES = {"none": "None (paper/national)", "eu_dcc": "EU DCC", "china_hc": "China health code",
         "shc": "SMART Health Cards"}
STANDARDS = ["none", "eu_dcc", "china_hc", "shc"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
WORLD = pd.DataFrame({
    "iso3": ["DEU", "CHN", "USA", "BRA", "NGA"],
    "name": ["Germany", "China", "United States", "Brazil", "Nigeria"],
    "lat": [52.52, 39.90, 38.90, -15.79, 9.07],
    "lon": [13.40, 116.40, -77.04, -47.88, 7.49],
    "population": [83_000_000, 1_410_000_000, 333_000_000, 215_000_000, 218_000_000],
    "region": ["Europe", "Asia", "Americas", "Americas", "Africa"],
})


def make_timeseries(reps: int = 3, months: int = 6, python_dates: bool = False) -> pd.DataFrame:
    """Standard rows plus one "all" row per replication x month, as the runner writes them."""
    rng = np.random.default_rng(0)
    dates = pd.date_range("2021-03-01", periods=months, freq="MS")
    rows = []
    for rep in range(reps):
        for step, month in enumerate(dates):
            stamp = month.date() if python_dates else month
            shares = rng.dirichlet(np.ones(len(STANDARDS)))
            for sid, share in zip(STANDARDS, shares, strict=True):
                rows.append({"replication": rep, "seed": 100 + rep, "step": step, "month": stamp,
                             "standard": sid, "adopters": int(rng.integers(0, 5)), "population_share": share,
                             "gdp_share": share, "travel_share": share,
                             "interoperability": np.nan, "deals": np.nan})
            rows.append({"replication": rep, "seed": 100 + rep, "step": step, "month": stamp,
                         "standard": "all", "adopters": np.nan, "population_share": np.nan,
                         "gdp_share": np.nan, "travel_share": np.nan,
                         "interoperability": rng.uniform(0.2, 0.8), "deals": step * 2 + rep})
    frame = pd.DataFrame(rows)
    if not python_dates:
        frame["month"] = pd.to_datetime(frame["month"])
    return frame


def make_countries(reps: int = 3) -> pd.DataFrame:
    """Final standard per replication x country; DEU is always eu_dcc, CHN always china_hc."""
    finals = {"DEU": ["eu_dcc"] * 3, "CHN": ["china_hc"] * 3, "USA": ["shc", "shc", "none"],
              "BRA": ["eu_dcc", "shc", "none"], "NGA": ["none", "none", "eu_dcc"]}
    rows = [{"replication": rep, "iso3": iso3, "final_standard": finals[iso3][rep % 3],
             **{f"adopted_{s}": None for s in STANDARDS if s != "none"}}
            for rep in range(reps) for iso3 in finals]
    return pd.DataFrame(rows)


def _assert_pngs(paths: list[Path], out_dir: Path) -> None:
    expected = ["adoption.png", "world_map.png", "interoperability.png", "deals.png"]
    assert [p.name for p in paths] == expected
    for path in paths:
        assert path.parent == out_dir and path.is_file()
        data = path.read_bytes()
        assert data[:8] == PNG_MAGIC
        assert len(data) > 10_000, f"{path.name} is suspiciously small ({len(data)} bytes)"


def test_write_plots_real_world(tmp_path: Path) -> None:
    out = tmp_path / "run" / "plots"
    paths = plots.write_plots(make_timeseries(), make_countries(), WORLD, out,
                              standard_names=NAMES, title="test — 3 replications")
    _assert_pngs(paths, out)


def test_write_plots_synthetic_world_with_python_dates(tmp_path: Path) -> None:
    world = WORLD.assign(lat=0.0, lon=0.0)
    paths = plots.write_plots(make_timeseries(python_dates=True), make_countries(), world, tmp_path,
                              standard_names=NAMES, title="synthetic")
    _assert_pngs(paths, tmp_path)
    fig = plots.plot_world_map(make_countries(), world, standard_names=NAMES)
    ax = fig.axes[0]
    assert "synthetic world: positions are a layout, not geography" in ax.get_title(loc="left")
    offsets = np.vstack([c.get_offsets() for c in ax.collections if len(c.get_offsets())])
    assert len(np.unique(offsets.round(6), axis=0)) == len(world)  # not stacked on one point


def test_plot_adoption_one_line_per_standard_without_none() -> None:
    fig = plots.plot_adoption(make_timeseries(), standard_names=NAMES, title="t")
    assert isinstance(fig, Figure)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == ["EU DCC", "China health code", "SMART Health Cards"]
    assert fig.axes[0].get_ylim() == (0, 1)


def test_unknown_ids_fall_back_to_id_and_distinct_colours() -> None:
    ts = make_timeseries()
    ts["standard"] = ts["standard"].replace({"eu_dcc": "a", "china_hc": "b", "shc": "c"})
    fig = plots.plot_adoption(ts, standard_names={"none": "None"})
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["a", "b", "c"]
    assert len({line.get_color() for line in lines}) == 3


def test_colours_are_stable_and_none_is_grey() -> None:
    colours = plots.standard_colours(NAMES)
    assert colours["none"] == plots.NONE_COLOUR
    assert colours == plots.standard_colours(NAMES, extra=["eu_dcc"])
    assert len(set(colours.values())) == len(NAMES)


def test_modal_standard_breaks_ties_by_standard_order() -> None:
    mode = plots.modal_standard(make_countries(), STANDARDS)
    assert mode["DEU"] == "eu_dcc" and mode["USA"] == "shc" and mode["NGA"] == "none"
    assert mode["BRA"] == "none"  # one each of eu_dcc, shc, none: "none" comes first in the order


@pytest.mark.parametrize(("table", "column"), [
    ("timeseries", "travel_share"), ("timeseries", "interoperability"), ("timeseries", "deals"),
    ("countries", "final_standard"), ("world", "lat"),
])
def test_missing_column_is_named(tmp_path: Path, table: str, column: str) -> None:
    tables = {"timeseries": make_timeseries(), "countries": make_countries(), "world": WORLD}
    tables[table] = tables[table].drop(columns=column)
    with pytest.raises(ValueError, match=column):
        plots.write_plots(tables["timeseries"], tables["countries"], tables["world"], tmp_path,
                          standard_names=NAMES, title="t")
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_plot_function_checks_its_own_table() -> None:
    with pytest.raises(ValueError, match="adopters"):
        plots.plot_adoption(make_timeseries().drop(columns="adopters"), standard_names=NAMES, title="t")


# ---------------------------------------------------------------- plots a researcher can check

SUMMARY = {"win_rule": {"measure": "acceptance_reach", "threshold": 0.4, "lead": 1.5, "month": "2021-06"},
           "horizon": {"end": "2021-08"},
           "standards": {"eu_dcc": {"adopters": {"median": 3.0, "p05": 2.0, "p95": 4.0}},
                         "shc": {"adopters": {"median": 1.0, "p05": 0.0, "p95": 2.0}}}}


def test_world_map_draws_country_shapes_and_a_point_for_tuvalu() -> None:
    from matplotlib.collections import PolyCollection

    world = pd.concat([WORLD, pd.DataFrame({"iso3": ["TUV"], "name": ["Tuvalu"], "lat": [-8.52], "lon": [179.2],
                                            "population": [11_000], "region": ["Oceania"]})], ignore_index=True)
    countries = pd.concat([make_countries(), pd.DataFrame({"replication": [0, 1, 2], "iso3": ["TUV"] * 3,
                                                           "final_standard": ["shc"] * 3})], ignore_index=True)
    fig = plots.plot_world_map(countries, world, standard_names=NAMES)
    ax = fig.axes[0]
    shapes = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(shapes) == 1 and len(shapes[0].get_paths()) > 1000  # every country's polygons, not dots
    points = [c for c in ax.collections if not isinstance(c, PolyCollection)]
    assert len(points) == 1 and np.allclose(points[0].get_offsets(), [[179.2, -8.52]])  # Tuvalu: no shape
    shc = plots.standard_colours(NAMES)["shc"]
    assert np.allclose(points[0].get_facecolors()[0][:3], matplotlib_rgb(shc))


def matplotlib_rgb(colour: str):
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def test_world_map_legend_says_modal_and_shows_the_summarys_medians() -> None:
    countries = make_countries().assign(judged_standard=make_countries()["final_standard"])
    fig = plots.plot_world_map(countries, WORLD, standard_names=NAMES, summary=SUMMARY)
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "EU DCC: modal in 1; median adopters 3 [2–4]" in texts  # DEU only; BRA ties go to "none"
    assert "SMART Health Cards: modal in 1; median adopters 1 [0–2]" in texts
    assert "None (paper/national): modal in 2" in texts
    assert "in 2021-06" in fig.axes[0].get_title(loc="left")  # the summary's judged month


def test_synthetic_map_uses_the_layout_and_never_overprints_names() -> None:
    n = 60
    rng = np.random.default_rng(1)
    world = pd.DataFrame({"iso3": [f"C{i}" for i in range(n)], "lat": 0.0, "lon": 0.0,
                          "population": rng.integers(1, 100, n)})
    countries = pd.DataFrame({"replication": 0, "iso3": world["iso3"], "final_standard": "eu_dcc"})
    layout = np.column_stack([np.cos(np.arange(n) / n * 2 * np.pi), np.sin(np.arange(n) / n * 2 * np.pi)])
    fig = plots.plot_world_map(countries, world, standard_names=NAMES, layout=layout)
    ax = fig.axes[0]
    assert np.allclose(ax.collections[0].get_offsets(), layout)
    named = np.array([a.xy for a in ax.texts if a.get_text().startswith("C")])
    assert 1 < len(named) <= 12
    gaps = np.linalg.norm(named[:, None] - named[None, :], axis=-1) + np.eye(len(named)) * 9
    assert gaps.min() >= 0.09 * 2 - 1e-9  # labels at least the minimum gap apart


def test_adoption_plot_marks_the_win_threshold_judged_month_and_events() -> None:
    ts = make_timeseries().assign(acceptance_reach=lambda t: t["travel_share"])
    events = pd.DataFrame({"month": pd.to_datetime(["2021-03-01", "2021-05-01"]), "event": ["launch_a", "treaty_b"],
                           "type": ["launch", "treaty"], "note": ["", ""]})
    fig = plots.plot_adoption(ts, standard_names=NAMES, measure="acceptance_reach", win_rule=SUMMARY["win_rule"],
                              events=events)
    ax = fig.axes[0]
    threshold = [ln for ln in ax.get_lines() if ln.get_label().startswith("win threshold 40%")]
    assert len(threshold) == 1 and threshold[0].get_ydata()[0] == 0.4
    assert [t.get_text() for t in ax.texts if t.get_text() in ("1", "2")] == ["1", "2"]
    assert "winner judged" in [t.get_text().strip() for t in ax.texts]
    assert "2021-05 treaty_b" in fig._supxlabel.get_text()


def test_deals_plot_splits_by_kind_and_by_standard() -> None:
    ts = make_timeseries()
    all_rows = ts["standard"] == "all"
    ts.loc[all_rows, "deals_mutual"] = ts.loc[all_rows, "deals"]
    ts.loc[all_rows, "deals_accession"] = 1.0
    ts.loc[all_rows, "deals_wave"] = 0.0
    deals = pd.DataFrame({"replication": [0, 0, 1, 2], "kind": ["mutual", "accession", "accession", "incentive"],
                          "standard": ["", "eu_dcc", "eu_dcc", "china_hc"]})
    fig = plots.plot_deals(ts, standard_names=NAMES, deals=deals)
    kinds, bars = fig.axes[0], fig.axes[1]
    assert [ln.get_label() for ln in kinds.get_lines()] == ["mutual recognition", "accession to a trust network"]
    assert [t.get_text() for t in bars.get_yticklabels()] == ["mutual recognition", "accession to a trust network",
                                                               "sponsor's incentive deal"]
    assert {t.get_text() for t in bars.get_legend().get_texts()} == {"EU DCC", "China health code",
                                                                      "any credential (mutual)"}
    widths = {round(p.get_width(), 3) for p in bars.patches if p.get_width() > 0}
    assert widths == {round(1 / 3, 3), round(2 / 3, 3)}  # per replication: 1 mutual, 2 accessions, 1 incentive


def test_event_timeline_gives_each_event_its_own_line() -> None:
    events = pd.DataFrame({"month": pd.to_datetime(["2021-06-01", "2021-06-01", "2021-01-01"]),
                           "event": ["b", "c", "a"], "type": ["launch"] * 3, "note": ["x" * 200, "y", "z"]})
    fig = plots.plot_event_timeline(events)
    lines = [t for t in fig.axes[0].texts]
    assert [t.get_text()[:10] for t in lines] == ["2021-01  a", "2021-06  b", "2021-06  c"]
    assert len({t.get_position()[1] for t in lines}) == 3 and lines[1].get_text().endswith("...")


def test_phase_diagram_names_units_intervals_and_the_calibrated_point() -> None:
    from experiments.sweeps.plots import outcome_style, plot_phase_diagram

    keys = ["decision.privacy_weight", "pair_deals.rate"]
    grid = [(x, y) for y in (0.0, 0.1) for x in (1.0, 3.0, 5.0)]
    points = pd.DataFrame({"point": range(6), keys[0]: [g[0] for g in grid], keys[1]: [g[1] for g in grid],
                           "win_probability_a": 0.5, "win_low_a": 0.2, "win_high_a": 0.8})
    style = outcome_style(["none", "a"], {"none": "None", "a": "A"}, {"a"}, keys, {keys[0]: 4.0, keys[1]: 0.05})
    fig = plot_phase_diagram(points, keys, style)
    ax = fig.axes[0]
    from model import describe

    for label, key in ((ax.get_xlabel(), keys[0]), (ax.get_ylabel(), keys[1])):
        info = describe(key)
        assert " ".join(label.split()) == f"{info.label} ({info.unit})"  # the schema's words, not the dotted key
    assert "0.50\n[0.20, 0.80]" in [t.get_text() for t in ax.texts]
    star = [c for c in ax.collections if c.get_label() == "calibrated point"]
    assert len(star) == 1 and np.allclose(star[0].get_offsets(), [[1.5, 0.5]])  # 4.0 between levels 1 and 2


def test_axis_labels_name_the_sponsor_and_fall_back_to_the_key() -> None:
    from experiments.sweeps.plots import axis_label
    from model import describe

    info = describe("sponsors.china.budget")
    assert " ".join(axis_label("sponsors.china.budget").split()) == f"china: {info.label} ({info.unit})"
    assert axis_label("scenario.events.x.date") == "scenario.events.x.date"


def test_reference_point_is_the_calibrated_point_for_an_ensemble_scenario() -> None:
    from experiments.factory import factory
    from experiments.sweeps.plots import reference_values

    values, label = reference_values(factory("historical_2021").base, ["decision.privacy_weight",
                                                                       "decision.rationality"])
    assert values == {"decision.privacy_weight": 3.07, "decision.rationality": 4.0}
    assert label == "calibrated point / scenario value"
    values, label = reference_values(factory("symmetric_lock_in").base, ["decision.network_weight"])
    assert label == "the scenario's value" and values == {"decision.network_weight": 4.0}


def test_claims_forest_has_a_panel_per_kind_and_a_row_per_claim_coloured_by_whether_it_holds() -> None:
    from experiments.plots import plot_claims

    claims = pd.DataFrame({
        "scenario": ["a", "a", "b"], "outcome": ["foreign_adopters.x", "acceptance_reach.x", "foreign_adopters.y"],
        "difference": [10.0, 0.02, -1.0], "lower": [5.0, 0.01, -3.0], "upper": [15.0, 0.03, 1.0],
        "holds": [True, True, False]})
    fig = plot_claims(claims, standard_names={"x": "Standard X"})
    counts, reach = fig.axes
    assert [t.get_text() for t in counts.get_yticklabels()] == ["a: Standard X", "b: y"]
    assert [t.get_text() for t in reach.get_yticklabels()] == ["a: Standard X"]
    assert "countries" in counts.get_xlabel() and "share of world trips" in reach.get_xlabel()
    dots = [line for line in counts.get_lines() if line.get_marker() == "o"]
    assert [d.get_color() for d in dots] == ["#1a7f37", "#9a9a9a"]
    with pytest.raises(ValueError, match="claims table has no rows"):
        plot_claims(claims.iloc[:0])
    with pytest.raises(ValueError, match="holds"):
        plot_claims(claims.drop(columns="holds"))
