"""Sweep designs and run seeds: sizes, bounds, types, and seeds that depend only on (point, replication)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.sweeps.design import make_design, run_list, run_seed
from experiments.sweeps.spec import ParameterSpec, SweepSpec, check_spec
from model.params import ConfigError

KINDS = {"decision.privacy_weight": float, "pair_deals.rate": float, "sponsors.eu.deals_per_month": int,
         "decision.update": str}


def spec(design: str = "grid", **kw) -> SweepSpec:
    parameters = kw.pop("parameters", {
        "decision.privacy_weight": ParameterSpec(low=0.0, high=6.0),
        "pair_deals.rate": ParameterSpec(low=0.01, high=0.2, log=True),
    })
    return check_spec(SweepSpec(design=design, parameters=parameters, **kw))


def test_grid_is_the_full_product_with_both_ends_and_the_last_key_fastest():
    d = make_design(spec(levels=4), KINDS)
    assert len(d) == 16 and d["point"].tolist() == list(range(16))
    assert d["decision.privacy_weight"].tolist()[:5] == [0.0, 0.0, 0.0, 0.0, 2.0]
    rate = sorted(d["pair_deals.rate"].unique())
    assert rate[0] == pytest.approx(0.01) and rate[-1] == pytest.approx(0.2)
    assert np.allclose(np.diff(np.log(rate)), np.log(20) / 3)  # log-spaced


def test_grid_levels_per_parameter_choices_and_integer_keys():
    parameters = {"sponsors.eu.deals_per_month": ParameterSpec(low=0, high=3, levels=7),
                  "decision.update": ParameterSpec(choices=["random_sequential", "simultaneous"])}
    d = make_design(spec(parameters=parameters), KINDS)
    assert d["sponsors.eu.deals_per_month"].unique().tolist() == [0, 1, 2, 3]  # rounded, duplicates merged
    assert len(d) == 8
    assert str(d["sponsors.eu.deals_per_month"].dtype) == "int64" and str(d["decision.update"].dtype) == "string"


@pytest.mark.parametrize("design, kw, size", [
    ("lhs", {"samples": 30}, 30),
    ("sobol", {"samples": 16}, 16 * (2 + 2)),
    ("sobol", {"samples": 16, "second_order": True}, 16 * (2 * 2 + 2)),
    ("morris", {"samples": 5, "levels": 4}, 5 * (2 + 1)),
])
def test_sampled_designs_have_their_size_and_stay_in_bounds(design, kw, size):
    d = make_design(spec(design, **kw), KINDS)
    assert len(d) == size
    assert d["decision.privacy_weight"].between(0.0, 6.0).all()
    assert d["pair_deals.rate"].between(0.01, 0.2).all()
    pd.testing.assert_frame_equal(d, make_design(spec(design, **kw), KINDS))  # the seed fixes the design
    assert not d.equals(make_design(spec(design, seed=1, **kw), KINDS))


def test_latin_hypercube_puts_one_point_in_each_stratum():
    d = make_design(spec("lhs", samples=10, parameters={"decision.privacy_weight": ParameterSpec(low=0, high=10)}),
                    KINDS)
    assert sorted(np.floor(d["decision.privacy_weight"]).astype(int)) == list(range(10))


def test_morris_values_sit_on_the_grid_levels():
    d = make_design(spec("morris", samples=4, levels=4), KINDS)
    assert set(np.round(d["decision.privacy_weight"], 9)) <= {0.0, 2.0, 4.0, 6.0}


@pytest.mark.parametrize("n", [3, 6, 100])
def test_sobol_needs_a_power_of_two(n):
    with pytest.raises(ConfigError, match=rf"sweep.samples: {n} is not a power of two"):
        spec("sobol", samples=n)


def test_a_run_seed_depends_only_on_its_point_and_replication():
    root = np.random.SeedSequence(7)
    by_spawning = root.spawn(5)[3].spawn(4)[2]
    expected = int(by_spawning.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
    assert run_seed(7, 3, 2) == expected
    s = spec(levels=3, seed=7, replications=4)
    runs = run_list(make_design(s, KINDS), s)
    assert len(runs) == 9 * 4 and len({r[2] for r in runs}) == len(runs)
    seeds = {(p, r): seed for p, r, seed, _ in runs}
    shuffled = [runs[i] for i in np.random.default_rng(0).permutation(len(runs))]
    assert all(seeds[(p, r)] == run_seed(7, p, r) for p, r, _, _ in shuffled)
    more = SweepSpec(**{**vars(s), "replications": 6})  # more replications keep the first seeds
    assert all(seeds[(p, r)] == seed for p, r, seed, _ in run_list(make_design(s, KINDS), more) if r < 4)
    assert run_seed(8, 3, 2) != run_seed(7, 3, 2)
