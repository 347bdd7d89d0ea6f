"""python -m experiments.record RUN_DIR: one line and a non-zero exit for a file it cannot use."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from experiments.record import main
from experiments.runner import run_experiment

from .conftest import PYTHON, REPO, TINY_RUN, one_error_line


def test_a_corrupt_timeseries_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "timeseries.parquet").write_bytes(b"PAR1 not really a parquet file")
    proc = subprocess.run([PYTHON, "-m", "experiments.record", str(tmp_path)], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {tmp_path / 'timeseries.parquet'}: cannot be read"), lines


def test_a_table_that_is_not_a_timeseries_is_one_line_naming_the_file(tmp_path, capsys):
    from experiments.output import write_results

    write_results(run_experiment(overrides=TINY_RUN), tmp_path / "run")
    shutil.copy(tmp_path / "run" / "countries.parquet", tmp_path / "run" / "timeseries.parquet")
    with pytest.raises(SystemExit) as info:
        main([str(tmp_path / "run")])
    assert info.value.code == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: {tmp_path / 'run' / 'timeseries.parquet'}: not the timeseries") and "month" in line


def test_a_run_the_record_does_not_cover_is_one_line_with_the_reason(tmp_path, capsys):
    from experiments.output import write_results

    write_results(run_experiment(overrides=TINY_RUN), tmp_path / "run")  # two symmetric standards, 2021
    with pytest.raises(SystemExit) as info:
        main([str(tmp_path / "run")])
    assert info.value.code not in (0, None)
    assert one_error_line(capsys) == (f"error: {tmp_path / 'run' / 'timeseries.parquet'}: no recorded facts overlap "
                                      "this run's standards and months; the record covers historical_2021-like runs")


def test_a_missing_run_directory_is_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main([str(tmp_path / "nowhere")])
    assert info.value.code == 2
    assert "nowhere/timeseries.parquet: no such file" in one_error_line(capsys)
