"""Tipping points: a known threshold recovered on common seeds, hysteresis between two starts,
an honest NaN when P never crosses 1/2, and the logistic fit on hand cases."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from experiments.discovery.declare import Parameter
from experiments.discovery.evaluate import common_seeds
from experiments.discovery.thresholds import find_threshold, hysteresis, logistic_fit

LEVER = Parameter("network_weight", 0.0, 1.0)
SEEDS = common_seeds(40)


def noise(seed: int) -> float:
    """The run's luck: fixed by its seed, the same at every lever value (common seeds)."""
    return 0.1 * np.random.default_rng(seed).normal()


def wins_above(threshold: float):
    def simulate(params, seed):
        return {"win_eu_dcc": float(params["network_weight"] + noise(seed) > threshold)}
    return simulate


def test_the_known_threshold_is_inside_a_narrow_interval():
    found = find_threshold(wins_above(0.37), LEVER, "win_eu_dcc", SEEDS)
    assert found.crosses and found.direction == "rises" and found.reason == ""
    assert found.lower <= 0.37 <= found.upper
    assert found.upper - found.lower < 0.1
    assert found.threshold == pytest.approx(0.37, abs=0.03)
    assert found.row() == {"standard": "win_eu_dcc", "lever": "network_weight", "threshold": found.threshold,
                           "lower": found.lower, "upper": found.upper, "start": ""}
    assert "once network weight is above 0.3" in found.describe({"network_weight": "network weight"})


def test_refining_by_bisection_runs_midpoints_inside_the_bracket_and_keeps_the_answer():
    found = find_threshold(wins_above(0.37), LEVER, "win_eu_dcc", SEEDS, grid=11, refine=3)
    values = found.runs["network_weight"].unique()
    extra = sorted(v for v in values if not np.isclose(v, np.linspace(0, 1, 11)).any())
    assert len(extra) == 3 and all(0.3 < v < 0.4 for v in extra)  # halving [0.3, 0.4] three times
    assert found.lower <= 0.37 <= found.upper and found.upper - found.lower < 0.1


def test_a_falling_probability_on_a_log_lever():
    lever = Parameter("privacy_weight", 0.1, 10.0, log=True)

    def simulate(params, seed):  # wins while privacy_weight < 2 (times the run's luck)
        return {"win_china_hc": float(np.log(params["privacy_weight"]) + noise(seed) < np.log(2.0))}

    found = find_threshold(simulate, lever, "win_china_hc", SEEDS)
    assert found.direction == "falls" and found.lower <= 2.0 <= found.upper
    assert "below 2" in found.describe()


def test_two_starting_conditions_give_two_separate_thresholds():
    result = hysteresis(wins_above(0.3), wins_above(0.6), LEVER, "win_eu_dcc", SEEDS,
                        starts=("EU ahead", "China ahead"))
    assert result.a.lower <= 0.3 <= result.a.upper and result.b.lower <= 0.6 <= result.b.upper
    assert result.overlap is False and "(hysteresis)" in result.describe()
    assert [(r["standard"], r["start"]) for r in result.rows()] == [("win_eu_dcc", "EU ahead"),
                                                                    ("win_eu_dcc", "China ahead")]
    same = hysteresis(wins_above(0.45), wins_above(0.45), LEVER, "win_eu_dcc", SEEDS)
    assert same.overlap is True
    assert isinstance(result.figure(), Figure)


def test_never_crossing_is_nan_with_a_reason():
    found = find_threshold(wins_above(2.0), LEVER, "win_eu_dcc", SEEDS)
    assert not found.crosses and np.isnan(found.lower) and np.isnan(found.upper)
    assert found.reason == "P(win_eu_dcc) stays below 1/2 across [0, 1] (from 0.00 to 0.00)"
    always = find_threshold(wins_above(-2.0), LEVER, "win_eu_dcc", SEEDS)
    assert "stays above 1/2" in always.reason
    assert hysteresis(wins_above(2.0), wins_above(0.5), LEVER, "win_eu_dcc", SEEDS).overlap is None
    assert isinstance(found.figure(), Figure) and "none (" in str(found)


def test_touching_one_half_without_crossing_says_so():
    def simulate(params, seed):  # P = 1/2 at the low end, 3/4 everywhere above it
        share = 0.5 if params["network_weight"] < 0.25 else 0.75
        return {"win_eu_dcc": float(seed % 4 < 4 * share)}

    found = find_threshold(simulate, LEVER, "win_eu_dcc", list(range(8)), grid=5)
    assert not found.crosses and np.isnan(found.threshold)
    assert found.reason.startswith("P(win_eu_dcc) stays at or above 1/2 across [0, 1] (from 0.50 to 0.75)")
    assert "touching 1/2 at 0;" in found.reason and "below the range" in found.reason


def test_logistic_fit_on_hand_cases():
    x = np.repeat([0.0, 1.0], 4)
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1], dtype=float)  # P = 1/4 at 0, 3/4 at 1
    intercept, slope = logistic_fit(x, y)
    # maximum likelihood: log(1/3) and 2 log 3; the small ridge on the slope pulls both in by < 0.5%
    assert intercept == pytest.approx(np.log(1 / 3), rel=5e-3) and slope == pytest.approx(2 * np.log(3), rel=5e-3)
    separated = logistic_fit(np.array([0.1, 0.2, 0.6, 0.7]), np.array([0.0, 0.0, 1.0, 1.0]))
    assert -separated[0] / separated[1] == pytest.approx(0.4, abs=0.01)  # the middle of the gap
    weights = logistic_fit(x, y, np.array([2, 2, 2, 2, 1, 1, 1, 1]))
    assert weights[0] == pytest.approx(np.log(1 / 3), rel=5e-3)  # weighting a whole group leaves its P alone


def test_bad_input_names_the_key():
    with pytest.raises(ValueError, match="simulate returned no win_nowhere"):
        find_threshold(wins_above(0.3), LEVER, "win_nowhere", SEEDS)
    with pytest.raises(ValueError, match="grid = 2"):
        find_threshold(wins_above(0.3), LEVER, "win_eu_dcc", SEEDS, grid=2)
    with pytest.raises(ValueError, match="bloc: a tipping point needs a numeric lever"):
        find_threshold(wins_above(0.3), Parameter("bloc", choices=("eu", "bri")), "win_eu_dcc", SEEDS)
    with pytest.raises(ValueError, match="seeds: 1 given"):
        find_threshold(wins_above(0.3), LEVER, "win_eu_dcc", SEEDS[:1])
