"""Shared designs for the discovery tests: a planted box on a Latin hypercube."""

import pandas as pd
import pytest

from experiments.discovery.declare import Parameter
from experiments.discovery.evaluate import lhs_design

UNIT_CUBE = [Parameter("x1", 0.0, 1.0), Parameter("x2", 0.0, 1.0), Parameter("x3", 0.0, 1.0)]


def planted(design: pd.DataFrame) -> pd.Series:
    """1 inside x1 in [0.2, 0.5] and x2 > 0.7 (x3 plays no part), else 0."""
    return ((design["x1"] >= 0.2) & (design["x1"] <= 0.5) & (design["x2"] > 0.7)).astype(int)


@pytest.fixture(scope="session")
def planted_box_runs() -> pd.DataFrame:
    """A 2,000-point LHS over the unit cube with the planted-box outcome `y`."""
    design = lhs_design(UNIT_CUBE, 2000, seed=3)
    return design.assign(y=planted(design))
