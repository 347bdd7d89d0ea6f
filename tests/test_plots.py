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
