"""Intervals on hand cases."""

import numpy as np
import pytest

from experiments.discovery.intervals import bootstrap_mean, paired_proportions, paired_t, wilson


def test_wilson_on_hand_cases():
    assert np.isnan(wilson(0, 0)).all()
    lo, hi = wilson(5, 10)
    assert (lo, hi) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson(0, 20)[0] == 0.0 and wilson(0, 20)[1] == pytest.approx(0.1611, abs=1e-4)


def test_paired_t_and_bootstrap():
    d = np.array([1.0, 2.0, 3.0, 4.0])
    mean, lo, hi = paired_t(d)
    half = 3.182446 * 1.290994 / 2  # t(0.975, 3) * sd / sqrt(4)
    assert mean == 2.5 and (lo, hi) == pytest.approx((2.5 - half, 2.5 + half), abs=1e-5)
    mean, lo, hi = bootstrap_mean(d)
    assert mean == 2.5 and 1.0 <= lo < 2.5 < hi <= 4.0


def test_newcombe_paired_proportions():
    # the table [[59, 6], [16, 80]] of Fagerland, Lydersen & Laake (2017), Statistical Analysis of
    # Contingency Tables, ch. 8: -0.0621 (95% CI -0.1186 to -0.0046)
    scenario = np.array([1] * 59 + [1] * 6 + [0] * 16 + [0] * 80)
    baseline = np.array([1] * 59 + [0] * 6 + [1] * 16 + [0] * 80)
    d, lo, hi = paired_proportions(scenario, baseline)
    assert (d, lo, hi) == pytest.approx((-0.0621, -0.1186, -0.0046), abs=1e-4)
    same = np.array([1, 0, 1, 1, 0])
    assert paired_proportions(same, same)[0] == 0.0
    assert paired_proportions(same, same)[1] <= 0.0 <= paired_proportions(same, same)[2]
