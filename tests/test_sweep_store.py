"""The results folder: resume after SIGKILL, refusal of a changed config, failure rows, final tables."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments.sweep import main
from experiments.sweeps import load_sweep, run_sweep

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
TABLES = ("design.parquet", "runs.parquet", "points.parquet")
# sweep=smoke: two identical standards on a 20-country complete graph, 6 months, 2 replications
QUIET = ["sweep=smoke", "sweep.progress=false", "sweep.plots=false", "sweep.executor=sequential"]


def run(folder: Path, *overrides: str):
    return run_sweep(load_sweep([*QUIET, f"sweep.output={folder}", *overrides]))


def assert_same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(a / name), pd.read_parquet(b / name), obj=name)


def test_runs_and_points_tables_have_one_row_per_run_and_per_point(tmp_path):
    results = run(tmp_path / "s")
    runs, points = results.runs, results.points
    assert len(runs) == 9 * 2 and len(points) == 9 and results.failures == 0
    assert list(runs.columns[:6]) == ["point", "replication", "seed", "scenario", "decision.network_weight",
                                      "decision.revision_rate"]
    for column in ("winner", "time_to_dominance", "interoperability", "deals.mutual", "adopters.a", "adopters.none",
                   "travel_share.b", "win.a", "status", "error"):
        assert column in runs.columns
    assert set(runs["scenario"]) == {"symmetric_lock_in"}
    assert set(runs["winner"]) <= {"a", "b", "fragmented"}
    assert (runs[["travel_share.none", "travel_share.a", "travel_share.b"]].sum(axis=1) - 1).abs().max() < 1e-9
    assert runs["win.a"].astype(int).tolist() == (runs["winner"] == "a").astype(int).tolist()
    for w in ("a", "b", "fragmented"):
        assert ((points[f"win_low_{w}"] <= points[f"win_probability_{w}"])
                & (points[f"win_probability_{w}"] <= points[f"win_high_{w}"])).all()
    total = points[["win_probability_a", "win_probability_b", "win_probability_fragmented"]].sum(axis=1)
    assert (total - 1).abs().max() < 1e-9
    assert {"interoperability_mean", "interoperability_q05", "interoperability_q95", "deals.mutual_q50"} <= set(points)
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_done"] == 18 and manifest["runs_failed"] == 0
    assert manifest["design_seed"] == 0 and "SALib" in manifest["versions"] and manifest["finished"]
    assert (tmp_path / "s" / "config.yaml").read_text().startswith("sweep:")
    assert not (tmp_path / "s" / "chunks").exists()  # folded into runs.parquet


def test_rerunning_a_finished_sweep_runs_nothing_and_rewrites_the_same_tables(tmp_path):
    run(tmp_path / "s")
    before = {name: pd.read_parquet(tmp_path / "s" / name) for name in TABLES}
    again = run(tmp_path / "s")
    assert again.executed == 0
    for name, table in before.items():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s" / name), table)


@pytest.mark.slow
def test_a_sweep_killed_mid_way_resumes_to_the_tables_of_a_clean_run(tmp_path):
    size = ["sweep.levels=12", "sweep.batch_size=2"]  # 144 points x 2 = 288 runs, one chunk per 2 runs
    killed = tmp_path / "killed"
    command = [sys.executable, "-m", "experiments.sweep", *QUIET, *size, f"sweep.output={killed}"]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    chunks = killed / "chunks"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if chunks.is_dir() and any(chunks.glob("*.parquet")):
            break
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    kept = sum(len(pd.read_parquet(p)) for p in chunks.glob("*.parquet"))
    assert 0 < kept < 288 and not (killed / "runs.parquet").exists()

    resumed = run(killed, *size)
    assert resumed.executed == 288 - kept  # finished runs skipped, none run twice
    manifest = json.loads((killed / "manifest.json").read_text())
    assert [s["runs"] for s in manifest["sessions"]][-1] == 288 - kept and manifest["status"] == "complete"

    run(tmp_path / "clean", *size)
    assert_same_tables(killed, tmp_path / "clean")


def test_a_changed_config_is_refused_on_an_existing_folder(tmp_path, capsys):
    folder = tmp_path / "s"
    run(folder)
    listing = sorted((p.name, p.stat().st_mtime_ns) for p in folder.rglob("*"))
    with pytest.raises(SystemExit) as exit_info:
        main([*QUIET, f"sweep.output={folder}", "sweep.replications=3"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: sweep.output:") and "different sweep" in err and "\n" not in err
    assert sorted((p.name, p.stat().st_mtime_ns) for p in folder.rglob("*")) == listing


def test_a_run_that_raises_is_a_failure_row_and_the_sweep_goes_on(tmp_path, capsys):
    good, broken = DATA / "tiny_countries.csv", DATA / "countries_missing_column.csv"
    folder = tmp_path / "s"
    with pytest.raises(SystemExit) as exit_info:  # half the points read a countries file that lacks a column
        main([*QUIET, f"sweep.output={folder}", "world=gravity", f"world.countries_file={good}",
              f"sweep.parameters={{world.countries_file: {{choices: [{good}, {broken}]}}}}"])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "Failed runs: 18" in captured.out and "error: 18 of 36 runs failed" in captured.err
    runs = pd.read_parquet(folder / "runs.parquet")
    failed = runs[runs["status"] == "failed"]
    assert len(failed) == 18 and (failed["world.countries_file"] == str(broken)).all()
    assert failed["error"].str.contains("ConfigError: .*countries_missing_column.csv: missing columns democracy").all()
    assert failed["winner"].isna().all() and failed["seed"].notna().all()
    assert runs.loc[runs["status"] == "ok", "winner"].notna().all()
    points = pd.read_parquet(folder / "points.parquet")
    assert (points["failures"] == points["world.countries_file"].eq(str(broken)).astype(int) * 2).all()
    assert points.loc[points["failures"] == 2, "win_probability_a"].isna().all()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["runs_failed"] == 18 and manifest["status"] == "complete, with failed runs"
