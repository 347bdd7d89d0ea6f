"""Same sweep config, same tables, whatever the executor; and the plots each design calls for."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from experiments.sweeps import load_sweep, run_sweep

TABLES = ("design.parquet", "runs.parquet", "points.parquet")
QUIET = ["sweep=smoke", "sweep.progress=false"]


def run(folder: Path, *overrides: str):
    return run_sweep(load_sweep([*QUIET, f"sweep.output={folder}", *overrides]))


@pytest.mark.slow
def test_sequential_processes_and_a_dask_scheduler_give_the_same_tables(tmp_path):
    from dask.distributed import LocalCluster

    tiny = ["sweep.levels=4", "sweep.plots=false"]  # 16 points x 2 replications
    run(tmp_path / "sequential", *tiny, "sweep.executor=sequential")
    run(tmp_path / "processes", *tiny, "sweep.executor=processes", "sweep.workers=2", "sweep.batch_size=3")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        dask = run(tmp_path / "dask", *tiny, "sweep.executor=dask", f"sweep.dask_address={cluster.scheduler_address}",
                   "sweep.batch_size=5")
    assert dask.executed == 32
    for other in ("processes", "dask"):
        for name in TABLES:
            pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "sequential" / name),
                                          pd.read_parquet(tmp_path / other / name), obj=f"{other}/{name}")


def pngs(folder: Path) -> set[str]:
    found = {p.name for p in (folder / "plots").glob("*.png")}
    for name in found:
        assert (folder / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return found


def test_a_two_parameter_grid_writes_a_phase_diagram_and_a_winner_map(tmp_path):
    run(tmp_path / "grid", "sweep.executor=sequential")
    assert pngs(tmp_path / "grid") == {"phase_diagram.png", "winner_map.png", "win_probability_binned.png"}


def test_one_parameter_writes_win_probability_against_it(tmp_path):
    sweep = load_sweep([*QUIET, f"sweep.output={tmp_path / 'one'}", "sweep.executor=sequential"])
    del sweep.spec.parameters["decision.revision_rate"]  # from Python: any SweepSpec can be run
    run_sweep(sweep)
    assert pngs(tmp_path / "one") == {"win_probability.png", "win_probability_binned.png"}


@pytest.mark.parametrize("design, size", [("sobol", ["sweep.samples=4"]),
                                          ("morris", ["sweep.samples=3", "sweep.levels=4"])])
def test_sobol_and_morris_sweeps_write_sensitivity_indices_and_their_plot(tmp_path, design, size):
    results = run(tmp_path / design, "sweep.executor=sequential", f"sweep.design={design}", *size)
    table = pd.read_parquet(tmp_path / design / "sensitivity.parquet")
    main = "ST" if design == "sobol" else "mu_star"
    assert set(table["parameter"]) == {"decision.network_weight", "decision.revision_rate"}
    assert main in table.columns and results.sensitivity is not None
    assert pngs(tmp_path / design) == {"sensitivity.png", "win_probability_binned.png"}
