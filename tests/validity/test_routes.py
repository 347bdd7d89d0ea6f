"""The model answers its question (issue: routes to winning): the historical verdict and fit, a
scenario in which each standard wins, and every scenario moving its outcome the way it claims.

Statistical tests on common seeds; each runs in seconds on the default world."""

from __future__ import annotations

import numpy as np
import pytest

from experiments import run_experiment
from experiments.claims import check, scenarios_with_claims
from experiments.config import compose, model_params, to_experiment
from experiments.record import compare, loss
from model.params import outside_plausible

ROUTES = {"historical_2021": "eu_dcc", "china_route": "china_hc", "transatlantic_pass": "shc",
          "who_hosts_divoc": "divoc"}
NAMED = ["historical_2021", "who_endorses_china", "belt_and_road_deals", "privacy_scandal", "us_federal_pass",
         *list(ROUTES)[1:]]
# The calibrated ensemble's loss on 100 replications is 0.026-0.052 over seeds 0-5 and 11 (the small
# counts dominate: a DIVOC median of 8 against the record's 5 alone adds 0.04); a broken parameter
# scores 0.14-0.18.
FIT_BOUND = 0.07


@pytest.fixture(scope="module")
def historical():
    return run_experiment("historical_2021", ["replications=100", "seed=11", "plots=false", "workers=2"])


def test_the_eu_dcc_wins_the_historical_run_before_the_2023_who_event(historical):
    s = historical.summary
    assert s["win_rule"]["month"] == "2022-12"
    assert s["standards"]["eu_dcc"]["win_probability"] >= 0.9
    assert s["standards"]["china_hc"]["foreign_adopters"]["p95"] <= 3


def test_the_record_lies_inside_the_model_band_at_every_recorded_date(historical):
    table = compare(historical.timeseries)
    assert len(table) == 9
    outside = table[(table["record"] < table["model_p5"]) | (table["record"] > table["model_p95"])]
    assert outside.empty, outside.to_string()
    assert loss(table) <= FIT_BOUND


@pytest.mark.parametrize("broken", ["decision.adoption_cost=8.0", "decision.network_weight=2.0"])
def test_a_broken_parameter_fails_the_fit(broken):
    res = run_experiment("historical_2021", ["replications=60", "seed=3", "plots=false", "workers=2", broken])
    assert loss(compare(res.timeseries)) > FIT_BOUND


@pytest.mark.parametrize("scenario, standard", list(ROUTES.items()))
def test_each_standard_wins_its_route_scenario_at_least_half_the_time(scenario, standard):
    res = run_experiment(scenario, ["replications=40", "seed=5", "plots=false", "workers=2"])
    assert res.summary["standards"][standard]["win_probability"] >= 0.5


@pytest.mark.parametrize("scenario", NAMED)
def test_every_named_scenario_stays_inside_the_documented_plausible_ranges(scenario):
    exp = to_experiment(compose(scenario))
    assert outside_plausible(model_params(exp), exp.world) == []


def test_every_named_scenario_states_a_claim():
    assert set(NAMED) - {"historical_2021"} <= set(scenarios_with_claims())


@pytest.mark.parametrize("scenario", [s for s in NAMED if s != "historical_2021"])
def test_each_scenario_moves_its_outcome_the_way_it_claims(scenario):
    table = check(scenario, replications=40, seed=0)
    assert len(table) > 0 and np.isfinite(table["difference"]).all()
    assert table["holds"].all(), table.to_string()


def test_a_scenario_that_moves_nothing_fails_its_claim(monkeypatch):
    """The check can fail: the historical run against itself moves nothing."""
    import experiments.claims as claims
    from model.params import ClaimSpec

    real = claims.to_experiment

    def with_claim(cfg):
        exp = real(cfg)
        exp.scenario.claims = [ClaimSpec(outcome="foreign_adopters", standard="china_hc", direction="up")]
        return exp

    monkeypatch.setattr(claims, "to_experiment", with_claim)
    table = check("historical_2021", replications=20, seed=0)
    assert not table["holds"].any()
