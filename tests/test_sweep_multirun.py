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
def test_bad_input_in_one_multirun_job_stops_all_before_any_runs(tmp_path, launcher):
    command = [sys.executable, "-m", "experiments.run", "-m", "decision.revision_rate=0.5,2", *TINY,
               f"hydra.sweep.dir={tmp_path / 'sweep'}"]
    if launcher == "joblib":
        command += ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: multirun job 1 of 2 (decision.revision_rate=2 "), lines
    assert "decision.revision_rate = 2" in lines[0]
    assert not (tmp_path / "sweep").exists() and sorted(p.name for p in tmp_path.iterdir()) == []
