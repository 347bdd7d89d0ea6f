"""A NaN or infinite number in a run's outputs is an error naming the run, never a silent table."""

from __future__ import annotations

import json
import math
import sys

import pandas as pd
import pytest

from experiments.guards import NonFiniteError
from experiments.output import write_results
from experiments.run import main as run_main
from experiments.runner import run_experiment

from .conftest import QUIET_SWEEP, TINY_RUN, one_error_line

TINY = [o for o in TINY_RUN if o != "replications=1"] + ["replications=2"]


@pytest.fixture(scope="module")
def results():
    return run_experiment(overrides=TINY)


def copy(results):
    from dataclasses import replace

    return replace(results, timeseries=results.timeseries.copy(), summary=json.loads(json.dumps(results.summary)))


def test_a_nan_in_the_timeseries_names_the_run_and_nothing_is_written(results, tmp_path):
    bad = copy(results)
    row = bad.timeseries.index[(bad.timeseries["replication"] == 1) & (bad.timeseries["standard"] != "all")][4]
    bad.timeseries.loc[row, "travel_share"] = math.nan
    seed = int(bad.timeseries.loc[row, "seed"])
    with pytest.raises(NonFiniteError) as info:
        write_results(bad, tmp_path / "run")
    message = str(info.value)
    assert "timeseries.parquet: travel_share is nan" in message
    assert "replication 1" in message and f"seed {seed}" in message
    assert not (tmp_path / "run").exists()


def test_an_infinite_run_level_number_is_caught_on_the_all_rows(results, tmp_path):
    bad = copy(results)
    row = bad.timeseries.index[(bad.timeseries["replication"] == 0) & (bad.timeseries["standard"] == "all")][-1]
    bad.timeseries.loc[row, "hhi"] = math.inf
    with pytest.raises(NonFiniteError, match=r"hhi is inf in the run of replication 0, seed \d+"):
        write_results(bad, tmp_path / "run")


def test_a_nan_in_the_summary_is_an_error_and_summary_json_never_holds_one(results, tmp_path):
    bad = copy(results)
    bad.summary["standards"]["a"]["travel_share"]["median"] = math.nan
    with pytest.raises(NonFiniteError, match="summary.json: standards.a.travel_share.median is nan"):
        write_results(bad, tmp_path / "run")
    written = write_results(results, tmp_path / "good")  # a clean run still writes its tables
    assert {p.name for p in written} == {"timeseries.parquet", "countries.parquet", "deals.parquet", "events.csv",
                                         "summary.json"}
    json.loads((tmp_path / "good" / "summary.json").read_text(), parse_constant=pytest.fail)


def test_the_command_reports_a_non_finite_output_in_one_line_and_exits_1(results, tmp_path, monkeypatch, capsys):
    import experiments.runner

    bad = copy(results)
    bad.timeseries.loc[bad.timeseries["standard"] == "all", "interoperability"] = math.nan
    monkeypatch.setattr(experiments.runner, "run_experiment", lambda **kwargs: bad)
    monkeypatch.setattr("experiments.run.run_experiment", lambda **kwargs: bad, raising=False)
    monkeypatch.setattr(sys, "argv", ["experiments.run"])
    with pytest.raises(SystemExit) as info:
        run_main([*TINY, f"hydra.run.dir={tmp_path / 'run'}"])
    assert info.value.code == 1
    line = one_error_line(capsys)
    assert line.startswith("error: timeseries.parquet: interoperability is nan"), line
    assert "replication 0" in line and "seed" in line
    assert not (tmp_path / "run").exists()


def test_a_sweep_run_with_a_nan_outcome_is_a_failed_row_naming_the_column(tmp_path, monkeypatch):
    import experiments.sweeps.runs as runs_module

    real = runs_module.read_all

    def read_all(outcomes, record, params):
        out = real(outcomes, record, params)
        if params.decision.network_weight == 8.0:  # the last level of the smoke grid
            out["interoperability"] = math.nan
        return out

    monkeypatch.setattr(runs_module, "read_all", read_all)
    from experiments.sweeps import load_sweep, run_sweep

    results = run_sweep(load_sweep([*QUIET_SWEEP, "sweep.executor=sequential", f"sweep.output={tmp_path / 's'}"]))
    runs = pd.read_parquet(tmp_path / "s" / "runs.parquet")
    failed = runs[runs["status"] == "failed"]
    assert results.failures == 6 and len(failed) == 6  # 3 points x 2 replications
    assert (failed["decision.network_weight"] == 8.0).all()
    for row in failed.itertuples():
        assert row.error.startswith("NonFiniteError: outcome: interoperability is nan")
        assert f"point {row.point}, replication {row.replication}, seed {row.seed}" in row.error
    assert failed["interoperability"].isna().all() and failed["winner"].isna().all()
    ok = runs[runs["status"] == "ok"]
    assert ok["interoperability"].map(math.isfinite).all()
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["runs_failed"] == 6


def test_a_move_that_fails_half_way_puts_back_the_earlier_run_files(results, tmp_path, monkeypatch):
    from pathlib import Path

    from .conftest import tree

    out = tmp_path / "run"
    out.mkdir()
    (out / "countries.parquet").write_bytes(b"an earlier run's countries")
    (out / "timeseries.parquet").write_bytes(b"an earlier run's timeseries")
    before = tree(out)
    real_replace = Path.replace

    def replace(self, target):
        if Path(target).name == "summary.json" and Path(target).parent == out:
            raise OSError(28, "No space left on device", str(target))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(OSError):
        write_results(results, out)
    assert tree(out) == before
