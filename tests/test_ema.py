"""experiments.ema: the model as an ema_workbench model, run by EMA's own perform_experiments."""

import numpy as np
import pytest

from experiments.discovery.ema import runs_from_ema
from experiments.ema import model_for


def test_ema_runs_the_model_on_its_own_sampler():
    from ema_workbench import perform_experiments

    model = model_for(scenario="symmetric_lock_in", overrides=["world.n=20", "scenario.horizon=6"],
                      uncertainties={"decision.network_weight": (1.0, 6.0), "standards.a.quality": (-1.0, 1.0)},
                      outcomes=["win.a", "travel_share.a"], replications=2)
    experiments, outcomes = perform_experiments(model, scenarios=6)
    assert len(experiments) == 6 and outcomes["travel_share__a"].shape == (6, 2)
    runs = runs_from_ema(experiments, outcomes, model)
    assert len(runs) == 12 and set(runs["win.a"]) <= {0.0, 1.0}
    assert np.isfinite(runs["travel_share.a"]).all() and runs["standards.a.quality"].between(-1, 1).all()


def test_a_discovery_config_becomes_an_ema_model():
    model = model_for("smoke", replications=2)
    assert {u.variable_name[0] for u in model.uncertainties} == {"standards.a.quality", "decision.network_weight",
                                                                 "decision.revision_rate"}
    assert {o.variable_name[0] for o in model.outcomes} == {"win.a", "win.b", "fragmented", "travel_share.a"}


def test_a_bad_outcome_is_refused_naming_it():
    with pytest.raises(Exception, match="win.z"):
        model_for(scenario="symmetric_lock_in", uncertainties={"decision.network_weight": (1.0, 6.0)},
                  outcomes=["win.z"])
