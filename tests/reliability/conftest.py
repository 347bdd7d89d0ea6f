"""Shared helpers for the reliability tests: tiny configs, directory snapshots, child processes."""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
PYTHON = sys.executable
# a run of experiments.run that takes well under a second
TINY_RUN = ["scenario=symmetric_lock_in", "world.n=20", "scenario.horizon=6", "replications=1", "plots=false",
            "quiet=true"]
# sweep=smoke: two identical standards on a 20-country complete graph, 6 months, 2 replications
QUIET_SWEEP = ["sweep=smoke", "sweep.progress=false", "sweep.plots=false"]


def one_error_line(capsys) -> str:
    """What the command printed on stderr: exactly one line, starting "error: "."""
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    return lines[0]


def tree(path: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and directory (None) under `path`, by relative path."""
    return {p.relative_to(path).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(path.rglob("*"))}


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """The processes still running (a zombie has exited)."""
    out = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def wait_for(condition, timeout: float, poll: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return condition()


@pytest.fixture
def failing_run(monkeypatch):
    """Make every experiment fail after the up-front check, the way a crash in the middle of a run would."""
    import experiments.runner

    def run_experiment(*args, **kwargs):
        raise RuntimeError("the run crashed half-way")

    monkeypatch.setattr(experiments.runner, "run_experiment", run_experiment)
    monkeypatch.setattr("experiments.run.run_experiment", run_experiment, raising=False)  # a name bound on import
    monkeypatch.setattr(sys, "argv", ["experiments.run"])  # main() rewrites sys.argv


def interrupted_sweep(overrides, monkeypatch):
    """Run a sweep until its third batch, then stop it as Ctrl-C (or a kill) would."""
    import experiments.sweeps.runner as runner

    real, calls = runner.run_batch, []

    def run_batch(base, tasks):
        calls.append(len(tasks))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(base, tasks)

    monkeypatch.setattr(runner, "run_batch", run_batch)
    from experiments.sweeps import load_sweep, run_sweep

    with pytest.raises(KeyboardInterrupt):
        run_sweep(load_sweep(overrides))
    monkeypatch.setattr(runner, "run_batch", real)


def assert_finite_outputs(folder: Path) -> None:
    """Every number written is finite; a column may be empty only on the kind of row it does not apply to."""
    ts = pd.read_parquet(folder / "timeseries.parquet")
    overall = ts["standard"] == "all"
    for rows, required in ((ts[~overall], ("adopters", "travel_share", "acceptance_reach")),
                           (ts[overall], ("interoperability", "hhi", "deals"))):
        for column in rows.select_dtypes("number"):
            values = rows[column].to_numpy(dtype="float64", na_value=np.nan)
            if column in required or not np.isnan(values).all():
                assert np.isfinite(values).all(), f"timeseries.parquet: {column} = {values[~np.isfinite(values)][:3]}"
    countries = pd.read_parquet(folder / "countries.parquet")
    for column in countries.select_dtypes("number"):
        assert np.isfinite(countries[column].to_numpy(dtype="float64")).all(), f"countries.parquet: {column}"

    def refuse(constant):
        raise AssertionError(f"summary.json holds {constant}")

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, float):
            assert math.isfinite(node)

    walk(json.loads((folder / "summary.json").read_text(), parse_constant=refuse))
