"""The package's documented workflow end to end on a toy race, through the public names only."""

import numpy as np
import pytest

from experiments.discovery import (
    Outcome,
    Parameter,
    cart_rules,
    cheapest_strategy,
    common_seeds,
    find_box,
    find_threshold,
    lhs_design,
    linear_cost,
    morris,
    run_counterfactuals,
    run_design,
    sobol,
    write_report,
)

PARAMS = [Parameter("decision.privacy_weight", 0.1, 5.0, log=True), Parameter("decision.network_weight", 0.0, 8.0),
          Parameter("who.platform", choices=("eu", "china", "none"))]
OUTCOMES = [Outcome("win_china_hc", "binary"), Outcome("travel_share_china_hc")]


def race(params, seed):
    """China's share: higher with a WHO platform of its own, lower with privacy concern."""
    luck = np.random.default_rng(seed).normal(0, 0.05)
    share = (0.5 - 0.1 * np.log(params["decision.privacy_weight"]) + 0.01 * params["decision.network_weight"]
             + (0.2 if params["who.platform"] == "china" else 0.0) + luck)
    return {"travel_share_china_hc": share, "win_china_hc": float(share > 0.6)}


def test_the_documented_workflow(tmp_path):
    seeds = common_seeds(8)
    runs = run_design(race, lhs_design(PARAMS, 300, seed=1), seeds[:2])
    box = find_box(runs, "win_china_hc", PARAMS, resamples=3)
    assert set(box.limits["dimension"]) >= {"decision.privacy_weight", "who.platform"}
    rules = cart_rules(runs, "win_china_hc", PARAMS)
    screen = morris(race, PARAMS, ["travel_share_china_hc"], seeds[:2], trajectories=8)
    keep = screen.screened(share=0.2)
    assert "decision.privacy_weight" in keep and "who.platform" in keep
    indices = sobol(race, [p for p in PARAMS if p.name in keep], ["travel_share_china_hc"], seeds[:2], samples=32,
                    fixed={"decision.network_weight": 4.0})
    fixed = {"decision.network_weight": 4.0, "who.platform": "china"}
    tip = find_threshold(race, PARAMS[0], "win_china_hc", seeds, fixed=fixed, grid=11, resamples=50)
    assert tip.crosses and tip.direction == "falls"
    strategy = cheapest_strategy(race, [PARAMS[1]], linear_cost({"decision.network_weight": 1.0}), "win_china_hc",
                                 seeds[:4], fixed={"decision.privacy_weight": 1.0, "who.platform": "china"},
                                 candidates=15, sponsor="china")
    change = run_counterfactuals(race, {"decision.privacy_weight": 1.0, "decision.network_weight": 4.0,
                                        "who.platform": "none"},
                                 {"who_hosts_china": {"who.platform": "china"}}, OUTCOMES, seeds)
    assert change.table.set_index("outcome").loc["travel_share_china_hc", "difference"] == pytest.approx(0.2)
    folder = write_report(tmp_path / "discovery", boxes=[box], carts=[rules], sensitivity=[screen, indices],
                          thresholds=[tip], strategies=[strategy], counterfactuals=[change],
                          labels={"decision.privacy_weight": ("privacy weight", ""), "win_china_hc":
                                  "China's health code wins", "who.platform": "WHO platform"})
    assert "China's health code wins: where" in (folder / "report.md").read_text()

