"""The manifest counts the runs really on disk: after every chunk, after a kill, after a resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess

import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiments.sweeps import load_sweep, run_sweep

from .conftest import PYTHON, QUIET_SWEEP, REPO, interrupted_sweep, wait_for

SIZE = ["sweep.executor=sequential", "sweep.levels=10", "sweep.batch_size=2"]  # 100 points x 2 = 200 runs
TOTAL = 200


def rows_on_disk(folder) -> int:
    return sum(pq.read_metadata(p).num_rows for p in (folder / "chunks").glob("*.parquet"))


@pytest.mark.slow
def test_a_killed_sweep_resumes_with_no_run_lost_or_duplicated_and_true_counts(tmp_path):
    killed = tmp_path / "killed"
    command = [PYTHON, "-m", "experiments.sweep", *QUIET_SWEEP, *SIZE, f"sweep.output={killed}"]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert wait_for(lambda: (killed / "chunks").is_dir() and len(list((killed / "chunks").glob("*.parquet"))) >= 5,
                        60), "no chunks after 60 s"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    kept = rows_on_disk(killed)
    assert 0 < kept < TOTAL
    manifest = json.loads((killed / "manifest.json").read_text())
    # updated after every chunk: at most the last chunk (2 runs) behind the rows on disk
    assert kept - 2 <= manifest["runs_done"] <= kept
    assert kept - 2 <= manifest["sessions"][-1]["runs"] <= kept

    resumed = run_sweep(load_sweep([*QUIET_SWEEP, *SIZE, f"sweep.output={killed}"]))
    assert resumed.executed == TOTAL - kept
    manifest = json.loads((killed / "manifest.json").read_text())
    assert manifest["runs_done"] == TOTAL and manifest["status"] == "complete"
    first, second = manifest["sessions"]
    assert first["runs"] == kept and "killed" in first["ended"]  # the killed session, recounted
    assert second["runs"] == TOTAL - kept and second["finished"]

    clean = run_sweep(load_sweep([*QUIET_SWEEP, *SIZE, f"sweep.output={tmp_path / 'clean'}"]))
    assert clean.executed == TOTAL
    runs = pd.read_parquet(killed / "runs.parquet")
    assert not runs.duplicated(["point", "replication"]).any() and len(runs) == TOTAL  # none lost, none twice
    pd.testing.assert_frame_equal(runs, pd.read_parquet(tmp_path / "clean" / "runs.parquet"))
    assert (killed / "runs.parquet").read_bytes() == (tmp_path / "clean" / "runs.parquet").read_bytes()


def test_the_manifest_follows_each_chunk(tmp_path, monkeypatch):
    from experiments.sweeps.store import ResultsFolder

    folder = tmp_path / "s"
    real = ResultsFolder.write_manifest
    counts = []  # (runs_done in the manifest, rows in the chunks) at each manifest write during the runs

    def write_manifest(self, manifest, **kwargs):
        real(self, manifest, **kwargs)
        if (folder / "chunks").is_dir() and manifest["status"] == "running":
            counts.append((manifest["runs_done"], rows_on_disk(folder)))

    monkeypatch.setattr(ResultsFolder, "write_manifest", write_manifest)
    run_sweep(load_sweep([*QUIET_SWEEP, "sweep.executor=sequential", "sweep.batch_size=2", f"sweep.output={folder}"]))
    assert all(done == on_disk for done, on_disk in counts)
    assert counts[-9:] == [(n, n) for n in range(2, 20, 2)]  # once after each of the 9 chunks


def test_a_resume_recounts_a_killed_session_from_the_rows_on_disk(tmp_path, monkeypatch):
    folder = tmp_path / "s"
    overrides = [*QUIET_SWEEP, "sweep.executor=sequential", "sweep.batch_size=2", f"sweep.output={folder}"]
    interrupted_sweep(overrides, monkeypatch)  # two chunks written
    assert rows_on_disk(folder) == 4
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    # as SIGKILL leaves it between writing a chunk and counting it: unclosed, one chunk short
    manifest["sessions"][-1].update(finished=None, runs=2)
    manifest.update(runs_done=2, status="running")
    path.write_text(json.dumps(manifest))

    results = run_sweep(load_sweep(overrides))
    assert results.executed == 18 - 4
    manifest = json.loads(path.read_text())
    assert [s["runs"] for s in manifest["sessions"]] == [4, 14] and manifest["runs_done"] == 18
    assert "killed" in manifest["sessions"][0]["ended"] and "ended" not in manifest["sessions"][1]
