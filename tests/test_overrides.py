"""What a user sets on the command line is what runs: events added or switched off by override,
whole numbers written 5.0 for integer keys, and calibrated draws that never overwrite a chosen value."""

from __future__ import annotations

import pytest

from experiments import build_model
from experiments.config import compose, to_experiment
from experiments.factory import ensemble_draw, factory, point_values
from experiments.runner import replication_seeds
from model import ConfigError


def test_an_event_is_added_from_the_command_line():
    exp = to_experiment(compose("historical_2021", [
        '+scenario.events.bri_wave={date: "2021-07", type: deal_wave, standard: china_hc, countries: [BRI]}']))
    event = exp.scenario.events["bri_wave"]
    assert (event.date, event.type, event.standard, event.countries) == ("2021-07", "deal_wave", "china_hc", ["BRI"])


def test_an_event_is_switched_off_without_a_plus():
    exp = to_experiment(compose("historical_2021", ["scenario.events.who_takes_over_eu_dcc.enabled=false"]))
    assert exp.scenario.events["who_takes_over_eu_dcc"].enabled is False
    model = build_model("historical_2021", ["scenario.events.who_takes_over_eu_dcc.enabled=false"]).run()
    assert "who_takes_over_eu_dcc" not in [name for _, name, _, _ in model.event_log]
    assert model.organisations["WHO"].hosted is None


def test_a_typo_in_an_added_event_names_the_field():
    expected = r"scenario\.events\.x\.dat: unknown key; did you mean scenario\.events\.x\.date"
    with pytest.raises(ConfigError, match=expected):
        to_experiment(compose("historical_2021", ['+scenario.events.x={dat: "2021-05", type: endorse}']))


def test_an_integer_key_accepts_a_whole_number_written_as_a_float():
    exp = to_experiment(compose("historical_2021", ["sponsors.eu.accession_per_month=5.0", "replications=3.0"]))
    assert exp.sponsors["eu"].accession_per_month == 5 and exp.replications == 3
    with pytest.raises(Exception, match="accession_per_month"):
        to_experiment(compose("historical_2021", ["sponsors.eu.accession_per_month=5.5"]))


def test_the_ensemble_draws_a_set_per_seed_and_shares_it_across_scenarios():
    history, rival = (to_experiment(compose(s)) for s in ("historical_2021", "who_endorses_china"))
    seeds = replication_seeds(0, 5)
    draws = [ensemble_draw(history, s) for s in seeds]
    assert draws == [ensemble_draw(rival, s) for s in seeds]  # common seeds, common parameter sets
    assert len({tuple(sorted(d.items())) for d in draws}) > 1  # and different sets across seeds


def test_a_value_set_on_the_command_line_by_a_scenario_or_by_the_factory_is_never_overwritten():
    exp = to_experiment(compose("historical_2021", ["decision.network_weight=2.5"]))
    assert "decision.network_weight" not in ensemble_draw(exp, 1)
    assert exp.decision.network_weight == 2.5
    china = to_experiment(compose("china_route"))  # the scenario sets no ensemble key: all drawn
    assert set(ensemble_draw(china, 1)) == set(ensemble_draw(to_experiment(compose("historical_2021")), 1))
    model = factory("historical_2021")({"decision.adoption_cost": 7.5}, seed=1)
    assert model.params.decision.adoption_cost == 7.5
    assert point_values()["decision.adoption_cost"] != 7.5
