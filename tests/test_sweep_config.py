"""Sweep configs: every named sweep composes, and a bad one gives one `error:` line, exit 2, no folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from experiments.config import CONFIG_DIR
from experiments.sweep import main
from experiments.sweeps import load_sweep, make_design
from experiments.sweeps.keys import configure

NAMED = sorted(p.stem for p in (CONFIG_DIR / "sweep").glob("*.yaml"))
DATA = Path(__file__).resolve().parent / "data"


def test_the_named_sweeps_the_issue_asks_for_exist():
    assert {"default", "privacy_vs_deals", "smoke"} <= set(NAMED)
    designs = {load_sweep([f"sweep={name}"]).spec.design for name in NAMED}
    assert designs == {"grid", "lhs", "sobol", "morris"}


@pytest.mark.parametrize("name", NAMED)
def test_every_named_sweep_composes_and_its_points_configure(name):
    sweep = load_sweep([f"sweep={name}"])
    assert sweep.spec.name == name
    design = make_design(sweep.spec, sweep.kinds)
    assert len(design) >= 2
    for i in (0, len(design) - 1):  # both ends of the design make a valid experiment
        exp = configure(sweep.base, design.drop(columns="point").astype(object).iloc[i].to_dict())
        for key in sweep.keys:
            assert _get(exp, key) == design.iloc[i][key]


def _get(exp, key):
    node = exp
    for part in key.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def test_overrides_reach_the_sweep_and_the_base_experiment():
    sweep = load_sweep(["sweep=privacy_vs_deals", "sweep.replications=3", "scenario=who_endorses_china",
                        "sweep.parameters={decision.privacy_weight: {high: 4.0}}"])
    assert sweep.spec.replications == 3 and sweep.base.scenario.name == "who_endorses_china"
    assert sweep.spec.parameters["decision.privacy_weight"].high == 4.0
    assert sweep.spec.parameters["decision.privacy_weight"].levels == 9  # merged, not replaced


def test_the_config_hash_ignores_how_and_where_a_sweep_runs():
    base = load_sweep(["sweep=smoke"]).config_hash
    assert load_sweep(["sweep=smoke", "sweep.executor=dask", "sweep.workers=3", "sweep.oversubscribe=true",
                       "sweep.batch_size=7",
                       "sweep.output=elsewhere"]).config_hash == base
    assert load_sweep(["sweep=smoke", "sweep.replications=3"]).config_hash != base
    assert load_sweep(["sweep=smoke", "scenario.win.threshold=0.6"]).config_hash != base


def test_cfg_prints_the_resolved_config_and_the_size(capsys, tmp_path):
    main(["sweep=smoke", f"sweep.output={tmp_path / 'out'}", "--cfg"])
    out = capsys.readouterr().out
    assert "decision.network_weight" in out and "# 9 points x 2 replications = 18 runs" in out
    assert not (tmp_path / "out").exists()


# id -> (overrides after sweep=smoke, fragments the one-line message must contain)
BAD = {
    "unknown_parameter_key": (["sweep.parameters={decision.privacy_wieght: {low: 0, high: 1}}"],
                              ["sweep.parameters.decision.privacy_wieght", "privacy_wieght", "privacy_weight"]),
    "unknown_standard_in_key": (["sweep.parameters={standards.zz.surveillance: {low: 0, high: 1}}"],
                                ["sweep.parameters.standards.zz.surveillance", "'zz'", "known: a, b"]),
    "not_a_model_parameter": (["sweep.parameters={replications: {low: 1, high: 3}}"],
                              ["sweep.parameters.replications", "decision"]),
    "empty_range": (["sweep.parameters={decision.network_weight: {low: 2, high: 2}}"],
                    ["sweep.parameters.decision.network_weight", "empty"]),
    "empty_choices": (["sweep.parameters={decision.privacy_weight: {choices: []}}"],
                      ["sweep.parameters.decision.privacy_weight.choices", "empty"]),
    "low_above_high": (["sweep.parameters={decision.network_weight: {low: 5, high: 1}}"],
                       ["sweep.parameters.decision.network_weight", "low = 5.0", "high = 1.0"]),
    "range_end_outside_model_range": (["sweep.parameters={decision.revision_rate: {high: 2}}"],
                                      ["sweep.parameters.decision.revision_rate.high", "[0, 1]"]),
    "choice_of_wrong_type": (["sweep.parameters={decision.update: {choices: [simultaneous, 3]}}"],
                             ["sweep.parameters.decision.update", "3", "name"]),
    "range_for_a_name": (["sweep.parameters={decision.update: {low: 0, high: 1}}"],
                         ["sweep.parameters.decision.update", "choices"]),
    "log_range_from_zero": (["sweep.parameters={decision.privacy_weight: {low: 0, high: 1, log: true}}"],
                            ["sweep.parameters.decision.privacy_weight.low", "> 0"]),
    "sobol_not_power_of_two": (["sweep.design=sobol", "sweep.samples=100"],
                               ["sweep.samples", "100", "power of two", "64 or 128"]),
    "morris_odd_levels": (["sweep.design=morris", "sweep.levels=3"], ["sweep.levels", "even", "use 4"]),
    "unknown_design": (["sweep.design=factorial"], ["sweep.design", "factorial", "grid, lhs, sobol, morris"]),
    "unknown_executor": (["sweep.executor=threads"], ["sweep.executor", "threads", "sequential, processes, dask"]),
    "zero_replications": (["sweep.replications=0"], ["sweep.replications", ">= 1"]),
    "experiment_replications": (["replications=5"], ["replications", "sweep.replications"]),
    "unknown_sweep": (["sweep=atlantis"], ["sweep/atlantis", "privacy_vs_deals"]),
    "unknown_sweep_key": (["sweep.replicates=3"], ["sweep.replicates"]),
    "unreachable_dask": (["sweep.executor=dask", "sweep.dask_address=tcp://127.0.0.1:1", "sweep.dask_timeout=1"],
                         ["sweep.dask_address", "tcp://127.0.0.1:1", "dask scheduler"]),
    "first_point_cannot_build": ([f"world.countries_file={DATA / 'countries_missing_column.csv'}", "world=gravity"],
                                 ["countries_missing_column.csv", "democracy", "design point 0"]),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_sweep_config_is_one_line_exit_2_and_writes_nothing(case, tmp_path, capsys):
    overrides, fragments = BAD[case]
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main(["sweep=smoke", f"sweep.output={out}", "sweep.progress=false", *overrides])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in {err!r}"
    assert not out.exists()
