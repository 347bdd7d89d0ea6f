"""Paired differences on common seeds: a known +0.1 shift, no shift, and paired proportions."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from experiments.discovery.counterfactuals import compare, paired_difference, run_counterfactuals
from experiments.discovery.declare import Outcome
from experiments.discovery.evaluate import common_seeds

SEEDS = common_seeds(30)
OUTCOMES = [Outcome("travel_share_eu_dcc"), Outcome("win_eu_dcc", "binary")]


def race(params, seed):
    """A toy race: the share is luck plus the EU's deal budget; the EU wins when its share passes 0.5."""
    luck = np.random.default_rng(seed).normal(0.45, 0.1)
    share = luck + params.get("extra_share", 0.0)
    return {"travel_share_eu_dcc": share, "win_eu_dcc": float(share > 0.5)}


def test_a_scenario_that_adds_exactly_0_1_is_recovered():
    result = run_counterfactuals(race, {}, {"eu_deal_wave": {"extra_share": 0.1}}, OUTCOMES, SEEDS)
    share = result.table.set_index("outcome").loc["travel_share_eu_dcc"]
    # every paired difference is 0.1 up to rounding, so the interval is 0.1 give or take 1e-15
    assert share["lower"] - 1e-12 <= 0.1 <= share["upper"] + 1e-12
    assert share["lower"] > 0 and share["difference"] == pytest.approx(0.1)
    win = result.table.set_index("outcome").loc["win_eu_dcc"]
    assert win["method"] == "newcombe" and win["lower"] > 0  # more wins, never fewer, in paired runs
    assert list(result.csv().columns) == ["scenario", "outcome", "baseline", "value", "difference", "lower",
                                          "upper"]


def test_identical_simulators_give_an_interval_containing_zero():
    def same_race(params, seed):
        return race(params, seed)

    result = run_counterfactuals(race, {"extra_share": 0.0}, {"same": same_race}, OUTCOMES, SEEDS)
    assert (result.table["lower"] <= 0).all() and (result.table["upper"] >= 0).all()
    assert (result.table["difference"] == 0).all()
    assert all("no clear change" in line for line in result.describe())
    assert isinstance(result.figure(), Figure) and "Paired differences" in str(result)


def test_pairing_removes_the_shared_luck():
    """With luck sd 0.1 and 30 runs an unpaired interval would be +-0.05 wide; paired, a 0.02
    shift with a little own noise is clearly detected."""
    def nudged(params, seed):
        out = race(params, seed)
        return {**out, "travel_share_eu_dcc": out["travel_share_eu_dcc"] + 0.02
                + 0.005 * np.random.default_rng(seed + 1).normal()}

    result = run_counterfactuals(race, {}, {"nudge": nudged}, OUTCOMES[:1], SEEDS)
    row = result.table.iloc[0]
    assert row["lower"] > 0 and row["upper"] - row["lower"] < 0.01


def test_bootstrap_method_and_binary_paired_proportions():
    rng = np.random.default_rng(0)
    base = rng.normal(size=40)
    found = paired_difference(base, base + 0.5, method="bootstrap")
    assert found["difference"] == pytest.approx(0.5) and found["lower"] <= 0.5 <= found["upper"]
    flips = paired_difference(np.zeros(20), np.r_[np.ones(10), np.zeros(10)], kind="binary")
    assert flips["difference"] == 0.5 and 0 < flips["lower"] < 0.5 < flips["upper"] < 1


def test_seeds_must_match_and_outcomes_must_exist():
    base = pd.DataFrame({"seed": [1, 2, 3], "y": [0.1, 0.2, 0.3]})
    with pytest.raises(ValueError, match="scenario other: its seeds differ from the baseline's"):
        compare(base, {"other": base.assign(seed=[1, 2, 4])}, ["y"])
    with pytest.raises(ValueError, match="outcome win_nowhere: not in the table"):
        compare(base, {"same": base}, ["win_nowhere"])
    with pytest.raises(ValueError, match="method = 'z'"):
        compare(base, {"same": base}, ["y"], method="z")
    with pytest.raises(ValueError, match="simulate returned no win_nowhere"):
        run_counterfactuals(race, {}, {"x": {"extra_share": 0.1}}, ["win_nowhere"], SEEDS)
