"""A failed run never deletes what it did not create (experiments.run, plain and multirun)."""

from __future__ import annotations

import subprocess

import pytest

from experiments.run import main

from .conftest import PYTHON, REPO, TINY_RUN, tree


def user_files(folder):
    """A run directory a user already filled: their own files, and an earlier run's outputs."""
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("my notes\n")
    (folder / "data").mkdir()
    (folder / "data" / "flows.csv").write_text("origin,destination,flow\n")
    (folder / ".hydra").mkdir()
    (folder / ".hydra" / "config.yaml").write_text("seed: 41  # an earlier run\n")
    (folder / "run.log").write_text("an earlier run's log\n")
    (folder / "timeseries.parquet").write_bytes(b"an earlier run's table")
    return tree(folder)


def test_a_run_that_fails_in_an_existing_directory_leaves_it_byte_identical(tmp_path, failing_run, capsys):
    run_dir = tmp_path / "mine"
    before = user_files(run_dir)
    with pytest.raises(SystemExit) as info:
        main([*TINY_RUN, f"hydra.run.dir={run_dir}"])
    assert info.value.code not in (0, None)
    assert "the run crashed half-way" in capsys.readouterr().err
    assert tree(run_dir) == before


def test_a_run_that_fails_removes_the_directories_it_created_and_only_those(tmp_path, failing_run):
    (tmp_path / "keep.txt").write_text("mine\n")
    with pytest.raises(SystemExit):
        main([*TINY_RUN, f"hydra.run.dir={tmp_path / 'new' / 'deeper' / 'run'}"])
    assert tree(tmp_path) == {"keep.txt": b"mine\n"}


def test_a_failed_write_is_one_line_exit_1_and_the_directory_is_as_it_was(tmp_path, monkeypatch, capsys):
    import experiments.run

    def full_disk(results, out_dir):
        raise OSError(28, "No space left on device", f"{out_dir}/timeseries.parquet")

    monkeypatch.setattr(experiments.run, "write_results", full_disk)
    run_dir = tmp_path / "mine"
    before = user_files(run_dir)
    with pytest.raises(SystemExit) as info:
        main([*TINY_RUN, f"hydra.run.dir={run_dir}"])
    assert info.value.code == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {run_dir / 'timeseries.parquet'}: No space left on device"]
    assert tree(run_dir) == before


def test_a_successful_run_in_an_existing_directory_keeps_the_users_files(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.argv", ["experiments.run"])
    run_dir = tmp_path / "mine"
    before = user_files(run_dir)
    main([*TINY_RUN, f"hydra.run.dir={run_dir}"])
    after = tree(run_dir)
    for name in ("notes.txt", "data/flows.csv"):
        assert after[name] == before[name]
    assert (run_dir / "summary.json").is_file() and after["timeseries.parquet"] != before["timeseries.parquet"]


def test_a_failing_multirun_job_leaves_an_existing_job_directory_byte_identical(tmp_path, failing_run):
    sweep_dir = tmp_path / "sweep"
    before = user_files(sweep_dir / "0")
    with pytest.raises(SystemExit) as info:
        main(["-m", "seed=1,2", *TINY_RUN, f"hydra.sweep.dir={sweep_dir}"])
    assert info.value.code not in (0, None)
    assert tree(sweep_dir / "0") == before  # job 0 ran in the user's folder and failed
    assert not (sweep_dir / "1").exists()  # job 1's folder was new: removed


def test_an_unusable_run_directory_is_one_line_naming_the_key(tmp_path):
    proc = subprocess.run([PYTHON, "-m", "experiments.run", *TINY_RUN, "hydra.run.dir=/proc/nope/run"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: hydra.run.dir") and "/proc/nope/run" in lines[0], lines
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_the_pinned_directory_is_the_one_hydra_records(tmp_path, monkeypatch):
    """The command resolves hydra.run.dir itself; Hydra must run in that very directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["experiments.run"])
    main([*TINY_RUN])
    (run_dir,) = (tmp_path / "outputs" / "symmetric_lock_in").iterdir()
    hydra_yaml = (run_dir / ".hydra" / "hydra.yaml").read_text()
    assert f"output_dir: {run_dir}" in hydra_yaml
    assert (run_dir / "summary.json").is_file()
    assert REPO.exists()
