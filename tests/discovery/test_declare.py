"""Parameters map the unit interval onto their values; designs and runs keep their dtypes; seeds
are common and reproducible."""

import numpy as np
import pytest

from experiments.discovery.declare import Parameter, label_of
from experiments.discovery.evaluate import common_seeds, lhs_design, point_means, run_design


def test_ranges_log_ranges_whole_numbers_and_choices():
    unit = np.array([0.0, 0.25, 0.5, 0.999, 1.0])
    assert Parameter("a", 2.0, 6.0).from_unit(unit).tolist() == [2.0, 3.0, 4.0, 5.996, 6.0]
    assert Parameter("b", 0.1, 10.0, log=True).from_unit(np.array([0.5]))[0] == pytest.approx(1.0)
    whole = Parameter("c", 0, 3, integer=True).from_unit(np.array([0.0, 0.24, 0.26, 0.74, 0.76, 1.0]))
    assert whole.tolist() == [0, 0, 1, 2, 3, 3]  # four equal slices, both ends included
    picks = Parameter("d", choices=("eu", "bri", "us")).from_unit(np.array([0.0, 0.34, 0.67, 1.0]))
    assert picks.tolist() == ["eu", "bri", "us", "us"]


def test_designs_and_runs_keep_types_and_common_seeds():
    params = [Parameter("x", 0.0, 1.0), Parameter("k", 1, 5, integer=True), Parameter("bloc", choices=("eu", "bri"))]
    design = lhs_design(params, 10, seed=2)
    assert design.equals(lhs_design(params, 10, seed=2)) and len(design) == 10
    assert design.dtypes.astype(str).tolist() == ["int64", "float64", "int64", "object"]
    seen = []

    def simulate(values, seed):
        seen.append(seed)
        return {"y": values["x"] + values["k"] + values["z"], "win": values["bloc"] == "eu"}

    seeds = common_seeds(3)
    runs = run_design(simulate, design, seeds, fixed={"z": 100.0})
    assert len(runs) == 30 and seen == seeds * 10  # every point runs with the same seeds
    assert runs["y"].min() > 100 and set(runs["win"]) <= {0.0, 1.0}
    assert point_means(runs, ["y"])["y"].tolist() == pytest.approx((design["x"] + design["k"] + 100).tolist())
    assert common_seeds(3) == seeds and common_seeds(3, stream=1) != seeds
    assert len(set(common_seeds(50))) == 50


def test_labels():
    labels = {"a": ("privacy weight", "utils"), "b": "network weight"}
    assert label_of("a", labels) == "privacy weight" and label_of("a", labels, unit=True) == "privacy weight (utils)"
    assert label_of("b", labels, unit=True) == "network weight" and label_of("c", labels) == "c"
