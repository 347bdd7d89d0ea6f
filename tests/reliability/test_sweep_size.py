"""A sweep too large to run, or to track in memory, is refused before its design is built."""

from __future__ import annotations

import pytest

from experiments.sweep import main
from experiments.sweeps.spec import MAX_RUNS

from .conftest import QUIET_SWEEP, one_error_line


@pytest.fixture
def no_design(monkeypatch):
    """Building the design of a refused sweep is the failure these tests guard against."""
    import experiments.sweeps.design
    import experiments.sweeps.runner

    def make_design(*args, **kwargs):
        raise AssertionError("the design of a sweep that should have been refused was built")

    monkeypatch.setattr(experiments.sweeps.design, "make_design", make_design)
    monkeypatch.setattr(experiments.sweeps.runner, "make_design", make_design)


def refused(overrides, capsys) -> str:
    with pytest.raises(SystemExit) as info:
        main(overrides)
    assert info.value.code == 2
    return one_error_line(capsys)


@pytest.mark.parametrize("overrides, key, runs", [
    (["sweep=smoke", "sweep.levels=100000"], "sweep.levels", "20,000,000,000 runs"),
    (["sweep=decision_sobol", "sweep.samples=1073741824"], "sweep.samples", "30,064,771,072 runs"),
    (["sweep=smoke", "sweep.replications=2000000"], "sweep.replications", "18,000,000 runs"),
    (["sweep=smoke", "sweep.parameters={decision.revision_rate: {levels: 5000000}}"],
     "sweep.parameters.decision.revision_rate.levels", "30,000,000 runs"),
])
def test_a_sweep_above_the_ceiling_is_one_line_naming_the_key_and_the_size(tmp_path, capsys, no_design,
                                                                           overrides, key, runs):
    folder = tmp_path / "s"
    line = refused([*overrides, "sweep.progress=false", f"sweep.output={folder}"], capsys)
    assert line.startswith(f"error: {key}: ") and runs in line and f"{MAX_RUNS:,} runs" in line
    assert "memory" in line
    assert not folder.exists()


def test_a_sweep_beyond_the_memory_available_is_refused(tmp_path, capsys, no_design, monkeypatch):
    import experiments.sweeps.spec

    monkeypatch.setattr(experiments.sweeps.spec, "available_memory", lambda: 10_000_000)  # 10 MB
    folder = tmp_path / "s"
    line = refused([*QUIET_SWEEP, "sweep.levels=100", f"sweep.output={folder}"], capsys)  # 20,000 runs
    assert line.startswith("error: sweep.levels: 10,000 points x 2 replications = 20,000 runs")
    assert "memory" in line and "10 MB available" in line
    assert not folder.exists()


def test_the_size_check_lets_an_ordinary_sweep_through(tmp_path):
    from experiments.sweeps import load_sweep

    assert load_sweep(["sweep=decision_sobol"]).spec.samples == 64  # 448 points x 4 replications
