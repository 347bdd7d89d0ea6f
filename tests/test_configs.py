"""Every shipped config composes, validates and runs; the CLI's --help and --cfg job work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from experiments import build_model, compose, to_experiment
from experiments.config import CONFIG_DIR, ExperimentConfig
from model import ConfigError, CredentialModel

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# the experiment's groups: those in configs/config.yaml's defaults list (sweep/ and hydra/ belong
# to other entry points and are tested with them)
GROUPS = sorted(next(iter(d)) for d in yaml.safe_load((CONFIG_DIR / "config.yaml").read_text())["defaults"]
                if isinstance(d, dict) and not next(iter(d)).startswith("override "))
CHOICES = {g: sorted(f.stem for f in (CONFIG_DIR / g).glob("*.yaml")) for g in GROUPS}
GROUP_FILES = [(g, name) for g in GROUPS for name in CHOICES[g]]
SCENARIOS = CHOICES.get("scenario", [])


def test_config_groups_are_discovered():
    # the groups the design promises, each with its default choice present
    assert {"world", "standards", "decision", "scenario"} <= set(GROUPS)
    defaults = {"world": "gravity", "standards": "real_2021", "decision": "default", "scenario": "historical_2021"}
    for group, name in defaults.items():
        assert name in CHOICES[group]
    assert len(SCENARIOS) >= 6


def test_default_config_composes_and_validates():
    exp = to_experiment(compose())
    assert isinstance(exp, ExperimentConfig)
    assert exp.scenario.name == "historical_2021"
    assert exp.world.kind == "gravity"
    assert set(exp.standards) == {"eu_dcc", "china_hc", "shc", "divoc", "vds_nc"}


@pytest.mark.parametrize(("group", "name"), GROUP_FILES, ids=[f"{g}={n}" for g, n in GROUP_FILES])
def test_every_group_file_composes(group, name):
    """Each file composes with the default config (schema and types checked by Hydra), and
    validates together with the default scenario or, if it does not fit that scenario's story
    (theory standards on a historical scenario), with at least one shipped scenario."""
    cfg = compose(None, [f"{group}={name}"])
    if group in ("world", "decision"):  # plain groups: every key is a schema field and arrives as written
        data = yaml.safe_load((CONFIG_DIR / group / f"{name}.yaml").read_text())
        assert data, f"{group}/{name}.yaml is empty"
        # the default scenario and its calibrated values (configs/calibration/point.yaml) come later
        later = {}
        for path in (CONFIG_DIR / "scenario" / "historical_2021.yaml", CONFIG_DIR / "calibration" / "point.yaml"):
            later.update(yaml.safe_load(path.read_text()).get(group, {}))
        for key, value in data.items():
            assert key in cfg[group], f"{group}/{name}.yaml: {key}"
            if key not in later:
                assert cfg[group][key] == value, f"{group}/{name}.yaml: {key}"
    try:
        exp = to_experiment(cfg)
    except ConfigError as default_error:
        assert group != "scenario", f"scenario {name} does not validate: {default_error}"
        fits = []
        for scenario in SCENARIOS:
            try:
                to_experiment(compose(scenario, [f"{group}={name}"]))
            except ConfigError:
                continue
            fits.append(scenario)
            break
        assert fits, f"{group}={name} validates with no shipped scenario ({default_error})"
        return
    assert isinstance(exp, ExperimentConfig)
    if group == "scenario":
        assert exp.scenario.name == name  # the file sets its own name, used for output folders


def _check_history(model: CredentialModel) -> None:
    h, n = model.history, model.world.n
    assert h.months == model.horizon
    assert (h.adopters.sum(axis=1) == n).all()
    for table in (h.population_share, h.gdp_share, h.travel_share):
        np.testing.assert_allclose(table.sum(axis=1), 1.0, atol=1e-9)
        assert (table >= -1e-12).all()
    assert ((h.interoperability >= 0) & (h.interoperability <= 1 + 1e-9)).all()
    assert (np.diff(h.deals, axis=0) >= 0).all()  # a running count
    out = model.outcome()
    assert out["winner"] in [*model.choices[1:], "fragmented"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_runs_its_full_horizon(scenario):
    model = build_model(scenario)
    exp = to_experiment(compose(scenario))
    assert model.horizon == exp.scenario.horizon
    model.run()
    _check_history(model)
    assert model.steps == model.horizon and not model.running
    # every configured standard has launched by the end of the horizon
    assert model.launched.all()


@pytest.mark.parametrize("world", CHOICES.get("world", []))
def test_every_world_runs_a_theory_scenario(world):
    model = build_model("symmetric_lock_in", [f"world={world}", "scenario.horizon=3"]).run()
    _check_history(model)
    assert model.world.n >= 2


@pytest.mark.parametrize("decision", CHOICES.get("decision", []))
def test_every_decision_runs_a_theory_scenario(decision):
    model = build_model("symmetric_lock_in", [f"decision={decision}", "world.n=20", "scenario.horizon=3"]).run()
    _check_history(model)


def test_cli_help_lists_groups_and_choices(tmp_path):
    proc = subprocess.run([PYTHON, "-m", "experiments.run", "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for group in GROUPS:
        if group == "sweep":  # run does not take a sweep: its help says nothing of one
            assert not any(ln.strip().startswith("sweep=") for ln in out.splitlines())
            continue
        line = next((ln for ln in out.splitlines() if ln.strip().startswith(f"{group}=NAME")), None)
        assert line is not None, f"--help does not list the group {group}"
        for name in CHOICES[group]:
            assert name in line, f"--help does not list {group}={name}"
    assert "historical_2021" in out
    assert list(tmp_path.iterdir()) == []


def test_cli_cfg_job_prints_resolved_yaml_and_makes_no_run_dir(tmp_path):
    proc = subprocess.run([PYTHON, "-m", "experiments.run", "--cfg", "job"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "scenario:" in proc.stdout
    assert "name: historical_2021" in proc.stdout
    printed = yaml.safe_load(proc.stdout)
    assert printed["scenario"]["name"] == "historical_2021"
    assert printed["replications"] == 20
    assert set(printed["standards"]) == {"eu_dcc", "china_hc", "shc", "divoc", "vds_nc"}
    assert "hydra" not in printed
    assert not (tmp_path / "outputs").exists()
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_option_is_one_line_naming_it(tmp_path):
    proc = subprocess.run([PYTHON, "-m", "experiments.run", "--bogus", "scenario=china_route"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "error: --bogus: unknown option; run takes KEY=VALUE overrides, -m/--multirun, --cfg job, --info and "
        "--help (credential-race run --help)"]
    assert list(tmp_path.iterdir()) == []
