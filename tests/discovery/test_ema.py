"""The ema_workbench Model built from a simulator: a tiny perform_experiments run on a toy, with
dotted keys, a log range, integer and categorical parameters, constants and common seeds."""

import warnings

import numpy as np
import pytest

from experiments.discovery.declare import Outcome, Parameter
from experiments.discovery.ema import ema_model, ema_name, runs_from_ema
from experiments.discovery.prim import find_box

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    from ema_workbench import perform_experiments

UNCERTAINTIES = [Parameter("decision.privacy_weight", 0.1, 3.0, log=True),
                 Parameter("world.hubs", 1, 4, integer=True)]
LEVERS = [Parameter("sponsors.eu.platform", choices=("own", "who"))]
SEEDS = [11, 12, 13]


def race(params, seed):
    """Seen from the simulator: dotted keys, the fixed value, and a seed from the common list."""
    assert seed in SEEDS and params["scenario.months"] == 36
    luck = np.random.default_rng(seed).normal(0, 0.05)
    boost = 0.3 if params["sponsors.eu.platform"] == "who" else 0.0
    share = min(1.0, 0.2 * params["world.hubs"] / params["decision.privacy_weight"] + boost + luck)
    return {"travel_share_eu_dcc": share, "win_eu_dcc": share > 0.5, "adopters_eu_dcc": 10 * params["world.hubs"]}


def test_perform_experiments_on_the_built_model():
    outcomes = [Outcome("travel_share_eu_dcc"), Outcome("win_eu_dcc", "binary"), "adopters_eu_dcc"]
    model = ema_model(race, UNCERTAINTIES, outcomes, levers=LEVERS, seeds=SEEDS, fixed={"scenario.months": 36})
    experiments, results = perform_experiments(model, scenarios=12, policies=2)
    assert len(experiments) == 24
    assert {"decision__privacy_weight", "world__hubs", "sponsors__eu__platform"} <= set(experiments.columns)
    assert experiments["decision__privacy_weight"].between(0.1, 3.0).all()
    assert set(experiments["world__hubs"]) <= {1, 2, 3, 4}
    assert set(experiments["sponsors__eu__platform"]) == {"own", "who"}
    assert results["win_eu_dcc"].shape == (24, 3)  # one column per common seed
    assert set(np.unique(results["win_eu_dcc"])) <= {0.0, 1.0}  # a bool outcome arrives as a number

    runs = runs_from_ema(experiments, results, model)
    assert len(runs) == 72 and runs["seed"].tolist()[:3] == SEEDS
    row = runs.iloc[4]  # experiment 1, seed 12: the simulator gives the same answer directly
    params = {"decision.privacy_weight": row["decision.privacy_weight"], "world.hubs": row["world.hubs"],
              "sponsors.eu.platform": row["sponsors.eu.platform"], "scenario.months": 36}
    assert race(params, 12)["travel_share_eu_dcc"] == pytest.approx(row["travel_share_eu_dcc"])
    box = find_box(runs, "win_eu_dcc", [*UNCERTAINTIES, *LEVERS], resamples=2)  # feeds the analyses as it is
    assert box.runs == 72 and 0 < box.base_rate < 1


def test_one_seed_and_names():
    model = ema_model(race, UNCERTAINTIES, ["adopters_eu_dcc"], levers=LEVERS, seeds=[11],
                      fixed={"scenario.months": 36})
    experiments, results = perform_experiments(model, scenarios=3, policies=1)
    assert results["adopters_eu_dcc"].shape == (3, 1)
    assert ema_name("sponsors.eu.deals_per_month") == "sponsors__eu__deals_per_month"
    with pytest.raises(ValueError, match="world.hubs: ema_workbench has no log-spaced integer"):
        ema_model(race, [Parameter("world.hubs", 1, 4, integer=True, log=True)], ["x"])
    with pytest.raises(ValueError, match="seeds: empty"):
        ema_model(race, UNCERTAINTIES, ["x"], seeds=[])
