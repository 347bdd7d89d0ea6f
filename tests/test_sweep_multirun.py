"""Hydra's own sweeper on the single-experiment entry point, with the joblib and submitit launchers.

Users who prefer Hydra multirun get one run directory per job (`python -m experiments.run -m ...`);
these tests check that both installed launchers compose the project's config and run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TINY = ["scenario=symmetric_lock_in", "world.n=20", "scenario.horizon=6", "replications=2", "plots=false",
        "quiet=true"]


@pytest.mark.slow
@pytest.mark.parametrize("launcher", ["joblib", "submitit_local"])
def test_experiments_run_multirun_with_a_launcher_runs_every_job(tmp_path, launcher):
    command = [sys.executable, "-m", "experiments.run", "-m", f"hydra/launcher={launcher}", "seed=1,2",
               *TINY, f"hydra.sweep.dir={tmp_path}"]
    if launcher == "joblib":
        command.append("hydra.launcher.n_jobs=2")
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    seeds = sorted(json.loads((tmp_path / job / "summary.json").read_text())["seed"] for job in ("0", "1"))
    assert seeds == [1, 2]
    assert (tmp_path / "multirun.yaml").is_file()


@pytest.mark.parametrize("launcher", ["basic", "joblib"])
def test_a_failing_multirun_job_leaves_the_others_running_and_exits_non_zero(tmp_path, launcher):
    command = [sys.executable, "-m", "experiments.run", "-m", "decision.revision_rate=2,0.5", *TINY,
               f"hydra.sweep.dir={tmp_path}"]
    if launcher == "joblib":
        command += ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "error: decision.revision_rate" in done.stderr  # the failing job's one-line error
    assert not (tmp_path / "0").exists()  # the failed first job left nothing behind
    assert (tmp_path / "1" / "summary.json").is_file()  # and the job after it still ran to the end
