"""One error guard for the entry points: handled errors are one line with a meaningful exit
status, Ctrl-C is 130 with a note, and bugs still raise with their traceback."""

from __future__ import annotations

import os
import signal
import time

import pytest
from hydra.errors import MissingConfigException
from omegaconf.errors import ValidationError

from experiments.cli import InputFileError, RunFailed, guard, reading
from model.params import ConfigError

from .conftest import QUIET_SWEEP, one_error_line


def guarded(exc: BaseException, capsys, **kwargs) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as info:
        with guard(**kwargs):
            raise exc
    return info.value.code, capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize("exc, code, line", [
    (ConfigError("decision.rationality = -1.0: must be >= 0"), 2, "error: decision.rationality = -1.0: must be >= 0"),
    (ValidationError("Value 'abc' could not be converted to Float"), 2, "error: Value 'abc' could not be converted"),
    (MissingConfigException("Could not find 'scenario/atlantis'", "scenario/atlantis"), 2,
     "error: Could not find 'scenario/atlantis'"),
    (RunFailed("timeseries.parquet: hhi is nan in the run of replication 0, seed 7"), 1,
     "error: timeseries.parquet: hhi is nan in the run of replication 0, seed 7"),
    (PermissionError(13, "Permission denied", "/data/out/summary.json"), 1,
     "error: /data/out/summary.json: Permission denied"),
])
def test_handled_errors_are_one_line_with_their_exit_status(capsys, exc, code, line):
    got, lines = guarded(exc, capsys)
    assert got == code and len(lines) == 1 and lines[0].startswith(line), lines


def test_a_path_that_fails_while_checking_input_is_bad_input(capsys):
    code, lines = guarded(FileNotFoundError(2, "No such file or directory", "flows.csv"), capsys, checking=True)
    assert code == 2 and lines == ["error: flows.csv: No such file or directory"]


def test_ctrl_c_is_130_with_a_one_line_note(capsys):
    code, lines = guarded(KeyboardInterrupt(), capsys, interrupted=lambda: "interrupted: nothing was written")
    assert code == 130 and lines == ["interrupted: nothing was written"]


def test_a_plain_kill_is_handled_as_ctrl_c_and_the_handler_is_restored_after(capsys):
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as info:
        with guard(interrupted="interrupted: finished runs are kept"):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the signal arrives first
    assert info.value.code == 130
    assert capsys.readouterr().err.strip().splitlines() == ["interrupted: finished runs are kept"]
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("bug", [TypeError("unsupported operand"), KeyError("winner"),
                                 OSError("a socket closed")])  # an OSError without a path is not the user's
def test_bugs_raise_with_their_traceback(bug, capsys):
    with pytest.raises(type(bug)):
        with guard():
            raise bug
    assert capsys.readouterr().err == ""


def test_a_multirun_job_prints_its_line_and_raises_so_the_others_go_on(capsys):
    class JobFailed(Exception):
        pass

    with pytest.raises(JobFailed, match="world.n"):
        with guard(raise_as=JobFailed):
            raise ConfigError("world.n = 1: must be >= 2")
    assert capsys.readouterr().err == "error: world.n = 1: must be >= 2\n"
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C stops the whole multirun
        with guard(raise_as=JobFailed):
            raise KeyboardInterrupt


def test_a_user_file_that_cannot_be_read_names_the_file(tmp_path):
    import pandas as pd

    path = tmp_path / "runs.parquet"
    path.write_text("not parquet")
    with pytest.raises(InputFileError, match=rf"^{path}: cannot be read as a Parquet table \(ArrowInvalid: "):
        with reading(path, "a Parquet table"):
            pd.read_parquet(path)


# --- the guard in the entry points ----------------------------------------------------------------


def test_a_sweep_whose_executor_stops_is_one_line_exit_1_naming_where_runs_are_kept(tmp_path, capsys, monkeypatch):
    from experiments.sweep import main
    from experiments.sweeps.executors import Sequential

    real = Sequential.map

    def map_then_lose_the_workers(self, fn, base, batches):
        results = real(self, fn, base, batches)
        yield next(results)
        raise EOFError("a worker process died")

    monkeypatch.setattr(Sequential, "map", map_then_lose_the_workers)
    folder = tmp_path / "s"
    with pytest.raises(SystemExit) as info:
        main([*QUIET_SWEEP, "sweep.executor=sequential", f"sweep.output={folder}"])
    assert info.value.code == 1
    line = one_error_line(capsys)
    assert line.startswith("error: the sequential (this process) executor stopped "
                           "(EOFError: a worker process died)")
    assert f"finished runs are kept in {folder}" in line and any(folder.glob("chunks/*.parquet"))


def test_a_bug_in_the_sweep_machinery_raises_instead_of_hiding_in_one_line(tmp_path, monkeypatch):
    import experiments.sweeps.runner
    from experiments.sweep import main

    def chunk_table(rows, choices):
        raise TypeError("a bug in the code that collects the runs")

    monkeypatch.setattr(experiments.sweeps.runner, "chunk_table", chunk_table)
    with pytest.raises(TypeError, match="a bug in the code"):
        main([*QUIET_SWEEP, "sweep.executor=sequential", f"sweep.output={tmp_path / 's'}"])


def test_ctrl_c_before_a_sweep_wrote_anything_says_so(tmp_path, capsys, monkeypatch):
    import experiments.sweeps.runner
    from experiments.sweep import main

    def check_first_point(sweep, design):
        raise KeyboardInterrupt

    monkeypatch.setattr(experiments.sweeps.runner, "check_first_point", check_first_point)
    with pytest.raises(SystemExit) as info:
        main([*QUIET_SWEEP, f"sweep.output={tmp_path / 's'}"])
    assert info.value.code == 130
    assert capsys.readouterr().err.strip() == "interrupted before any run was written"
    assert not (tmp_path / "s").exists()


def test_calibrate_and_theory_use_the_guard(capsys, monkeypatch):
    import experiments.theory
    from experiments import calibrate, theory

    with pytest.raises(SystemExit) as info:
        calibrate.main(["sweep.parameters.decision.revision_rate.high=2"])
    assert info.value.code == 2
    assert "decision.revision_rate" in capsys.readouterr().err.strip()

    def run_case(*args):
        raise ConfigError("scenario.horizon = 0: must be >= 1")

    monkeypatch.setattr(experiments.theory, "run_case", run_case)
    with pytest.raises(SystemExit) as info:
        theory.main(["lock_in"])
    assert info.value.code == 2
    assert capsys.readouterr().err.strip() == "error: scenario.horizon = 0: must be >= 1"
