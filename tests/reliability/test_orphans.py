"""Worker processes end soon after their sweep is killed (SIGKILL: no cleanup code runs in it)."""

from __future__ import annotations

import os
import signal
import subprocess

import psutil
import pytest

from .conftest import PYTHON, QUIET_SWEEP, REPO, alive, wait_for

DEADLINE = 10.0  # seconds after the sweep's death by which every process it started must be gone


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_workers_of_a_killed_sweep_exit_within_ten_seconds(tmp_path, executor):
    folder = tmp_path / "s"
    command = [PYTHON, "-m", "experiments.sweep", *QUIET_SWEEP, f"sweep.executor={executor}", "sweep.workers=2",
               "sweep.oversubscribe=true", "sweep.levels=12", "sweep.batch_size=2", f"sweep.output={folder}"]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started: list[psutil.Process] = []
    try:
        # workers are busy once the first batch is in the folder
        assert wait_for(lambda: proc.poll() is None and any(folder.glob("chunks/*.parquet")), 60), \
            proc.stderr.read().decode() if proc.poll() is not None else "no chunk after 60 s"
        started = psutil.Process(proc.pid).children(recursive=True)
        assert len(started) >= 2, [p.cmdline() for p in started]  # two workers at least, and their helpers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert wait_for(lambda: not alive(started), DEADLINE, poll=0.2), \
            [" ".join(p.cmdline())[:120] for p in alive(started)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for p in alive(started):  # leave nothing behind whatever the outcome
            p.kill()
