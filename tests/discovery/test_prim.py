"""PRIM and CART recover a planted box; bad outcomes are one-line errors naming the outcome."""

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from experiments.discovery.cart import cart_rules
from experiments.discovery.prim import choose_box, find_box

from .conftest import UNIT_CUBE


@pytest.fixture(scope="module")
def planted_box(planted_box_runs):
    return find_box(planted_box_runs, "y", UNIT_CUBE, resamples=8, seed=1)


def test_prim_recovers_the_planted_box(planted_box):
    box = planted_box
    limits = box.limits.set_index("dimension")
    assert sorted(limits.index) == ["x1", "x2"]  # x3 is not restricted
    assert limits.loc["x1", "lower"] == pytest.approx(0.2, abs=0.05)
    assert limits.loc["x1", "upper"] == pytest.approx(0.5, abs=0.05)
    assert limits.loc["x2", "lower"] == pytest.approx(0.7, abs=0.05)
    assert np.isnan(limits.loc["x2", "upper"])  # open to the top of the range
    assert box.density > 0.8 and box.coverage > 0.9
    assert (limits["qp"] < 1e-10).all()


def test_stability_restricts_the_planted_dimensions_in_every_resample(planted_box):
    box = planted_box
    share = box.stability.set_index("dimension")["restricted_share"]
    assert share["x1"] == 1.0 and share["x2"] == 1.0 and share["x3"] <= 0.25
    spread = box.stability.set_index("dimension").loc["x1"]
    assert spread["lower_q05"] <= spread["lower_q50"] <= spread["lower_q95"]
    assert spread["lower_q95"] - spread["lower_q05"] < 0.1


def test_box_result_prints_describes_and_draws(planted_box):
    box = planted_box
    labels = {"x1": ("privacy weight", "utils"), "x2": "network weight"}
    text = box.describe(labels)
    assert re.search(r"privacy weight between 0\.(19|20)\d* and 0\.(49|50|51)\d* utils and network weight > 0\.(69|70)",
                     text), text
    assert "x1" not in text
    assert "coverage" in str(box) and "Stability over 8 bootstrap resamples" in str(box)
    assert isinstance(box.figure(labels), Figure)
    assert list(box.table().columns) == ["outcome", "box", "coverage", "density", "mass", "dimension", "lower",
                                         "upper", "qp"]


def test_box_choice_takes_the_highest_coverage_that_reaches_the_target_else_the_knee():
    t = pd.DataFrame({"coverage": [1.0, 1.0, 1.0, 0.7, 0.3], "density": [0.1, 0.85, 0.9, 0.95, 1.0],
                      "mass": [1, 0.5, 0.4, 0.3, 0.1], "res_dim": [0, 1, 2, 2, 3]})
    assert choose_box(t, 0.8) == (2, True)  # coverage 1.0 ties: the denser box
    assert choose_box(t, 0.99) == (4, True)
    low = t.assign(density=[0.1, 0.2, 0.3, 0.4, 0.5])
    assert choose_box(low, 0.8) == (3, False)  # best harmonic mean: 2 * 0.7 * 0.4 / 1.1


def test_cart_rules_describe_the_planted_box(planted_box_runs):
    result = cart_rules(planted_box_runs, "y", UNIT_CUBE)
    assert result.accuracy > 0.97 and result.cv_accuracy > 0.95
    [conditions] = result.rules["conditions"]  # one leaf holds the planted box
    bounds = {name: (lower, upper) for name, _, lower, upper in conditions}
    assert set(bounds) == {"x1", "x2"}
    assert bounds["x1"] == pytest.approx((0.2, 0.5), abs=0.05)
    assert bounds["x2"][0] == pytest.approx(0.7, abs=0.05) and np.isnan(bounds["x2"][1])
    assert "x1 between" in result.describe() and isinstance(result.figure(), Figure)


def test_cart_rules_on_integer_and_categorical_parameters():
    rng = np.random.default_rng(2)
    n = 1200
    runs = pd.DataFrame({"k": rng.integers(0, 10, n), "bloc": rng.choice(["eu", "bri", "us"], n)})
    runs["y"] = ((runs["k"] >= 4) & (runs["bloc"] == "eu")).astype(int)
    result = cart_rules(runs, "y", ["k", "bloc"])
    assert result.rule_text({"bloc": "home bloc"}) == ["k > 3.5 and home bloc is eu"]


@pytest.mark.parametrize("analysis", [find_box, cart_rules])
def test_no_positive_or_no_negative_cases_is_one_line_naming_the_outcome(planted_box_runs, analysis):
    never = planted_box_runs.assign(win_china_hc=0)
    with pytest.raises(ValueError, match="no positive cases: win_china_hc never happens in this design") as err:
        analysis(never, "win_china_hc", UNIT_CUBE)
    assert "\n" not in str(err.value)
    with pytest.raises(ValueError, match="no negative cases: win_china_hc happens in every run"):
        analysis(never.assign(win_china_hc=1), "win_china_hc", UNIT_CUBE)


@pytest.mark.parametrize("analysis", [find_box, cart_rules])
def test_unknown_outcome_empty_design_and_non_binary_outcome(planted_box_runs, analysis):
    with pytest.raises(ValueError, match="outcome win_nowhere: not in the table"):
        analysis(planted_box_runs, "win_nowhere", UNIT_CUBE)
    with pytest.raises(ValueError, match="outcome y: the design is empty"):
        analysis(planted_box_runs.iloc[:0], "y", UNIT_CUBE)
    with pytest.raises(ValueError, match="outcome x3: not binary"):
        analysis(planted_box_runs, "x3", UNIT_CUBE)
    with pytest.raises(ValueError, match="parameter x9: not a column"):
        analysis(planted_box_runs, "y", ["x1", "x9"])
