"""Worker counts: never more than the cores without an explicit flag, never more than the jobs."""

from __future__ import annotations

import sys

import pytest

from experiments.run import main as run_main
from experiments.sweep import main as sweep_main
from experiments.workers import cores

from .conftest import QUIET_SWEEP, TINY_RUN, one_error_line


def test_experiments_run_refuses_more_workers_than_cores(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["experiments.run"])
    with pytest.raises(SystemExit) as info:
        run_main([*TINY_RUN, "replications=2", "workers=1000", f"hydra.run.dir={tmp_path / 'run'}"])
    assert info.value.code == 2
    line = one_error_line(capsys)
    assert "workers = 1000" in line and f"{cores()} cores" in line
    assert list(tmp_path.iterdir()) == []


def test_experiments_run_starts_no_more_workers_than_replications(tmp_path, monkeypatch):
    import experiments.runner

    seen = []
    real = experiments.runner.run_experiment

    def spy(*args, config, **kwargs):
        seen.append(config.workers)
        return real(*args, config=config, **kwargs)

    monkeypatch.setattr(experiments.runner, "run_experiment", spy)
    monkeypatch.setattr(sys, "argv", ["experiments.run"])
    run_main([*TINY_RUN, "replications=1", f"workers={cores()}", f"hydra.run.dir={tmp_path / 'run'}"])
    assert seen == [1]


def test_a_sweep_refuses_more_workers_than_cores(tmp_path, capsys):
    folder = tmp_path / "s"
    with pytest.raises(SystemExit) as info:
        sweep_main([*QUIET_SWEEP, "sweep.executor=processes", "sweep.workers=1000", f"sweep.output={folder}"])
    assert info.value.code == 2
    line = one_error_line(capsys)
    assert line.startswith("error: sweep.workers = 1000") and f"{cores()} cores" in line
    assert "sweep.oversubscribe=true" in line
    assert not folder.exists()


@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_an_oversubscribed_sweep_still_starts_no_more_workers_than_batches(tmp_path, monkeypatch, executor):
    import dask.distributed
    import joblib

    started = []
    real_parallel, real_cluster = joblib.Parallel, dask.distributed.LocalCluster

    def parallel(*args, n_jobs, **kwargs):
        started.append(n_jobs)
        return real_parallel(*args, n_jobs=n_jobs, **kwargs)

    def cluster(*args, n_workers, **kwargs):
        started.append(n_workers)
        return real_cluster(*args, n_workers=n_workers, **kwargs)

    monkeypatch.setattr(joblib, "Parallel", parallel)
    monkeypatch.setattr(dask.distributed, "LocalCluster", cluster)
    from experiments.sweeps import load_sweep, run_sweep

    sweep = load_sweep([*QUIET_SWEEP, f"sweep.executor={executor}", f"sweep.workers={cores() + 6}",
                        "sweep.oversubscribe=true", "sweep.batch_size=9", f"sweep.output={tmp_path / 's'}"])
    results = run_sweep(sweep)  # 18 runs in batches of 9: two batches
    assert results.failures == 0 and len(results.runs) == 18
    assert started == [2]
