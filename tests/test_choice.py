"""Logit choice: hand-checked probabilities, the two limits, no overflow, masking."""

import math

import numpy as np
import pytest

from model.choice import choice_probabilities, choose


def test_probabilities_match_the_logit_formula():
    u = np.array([0.0, 1.0, 2.0])
    p = choice_probabilities(u, np.ones(3, bool), 2.0)
    expected = np.exp([0.0, 2.0, 4.0]) / np.exp([0.0, 2.0, 4.0]).sum()
    assert p == pytest.approx(expected)


def test_zero_rationality_is_uniform_over_available_options():
    p = choice_probabilities(np.array([5.0, -3.0, 1.0, 9.0]), np.array([True, True, False, True]), 0.0)
    assert p == pytest.approx([1 / 3, 1 / 3, 0.0, 1 / 3])


def test_infinite_rationality_is_best_response_with_ties_shared():
    p = choice_probabilities(np.array([1.0, 3.0, 3.0, 2.0]), np.ones(4, bool), math.inf)
    assert p == pytest.approx([0.0, 0.5, 0.5, 0.0])


@pytest.mark.parametrize("lam", [1e3, 1e12, 1e300, math.inf])
def test_huge_rationality_never_overflows(lam):
    u = np.array([[0.0, 1e-9, 500.0, 499.0], [1e6, -1e6, 0.0, 1e6]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        p = choice_probabilities(u, np.ones_like(u, bool), lam)
    assert np.isfinite(p).all()
    assert p.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert p[0, 2] == pytest.approx(1.0)


def test_unavailable_option_is_never_chosen_even_when_best():
    u = np.array([[0.0, 100.0, 1.0]])
    available = np.array([[True, False, True]])
    picks = {int(choose(u, available, 1.0, np.array([x]))[0]) for x in np.linspace(0, 0.999999, 500)}
    assert 1 not in picks and picks <= {0, 2}


def test_choose_inverts_the_cumulative_distribution():
    u = np.zeros((4, 2))  # two equally good options: p = 1/2 each
    picked = choose(u, np.ones((4, 2), bool), 1.0, np.array([0.0, 0.49, 0.51, 0.999]))
    assert picked.tolist() == [0, 0, 1, 1]


def test_choice_frequencies_follow_the_probabilities():
    rng = np.random.default_rng(1)
    u = np.tile([0.0, 1.0, 0.5], (20000, 1))
    picked = choose(u, np.ones_like(u, bool), 1.5, rng.random(20000))
    freq = np.bincount(picked, minlength=3) / 20000
    p = choice_probabilities(u[0], np.ones(3, bool), 1.5)
    assert np.abs(freq - p).max() < 0.015  # about 4 standard errors


@pytest.mark.parametrize("lam", [0.0, 0.7, 4.0, 50.0, math.inf])
def test_single_row_fast_path_picks_exactly_what_the_vectorised_path_picks(lam):
    from model.choice import choose_one

    rng = np.random.default_rng(7)
    u = np.round(rng.normal(size=(3000, 6)), 1)  # rounding creates exact ties
    available = rng.random((3000, 6)) < 0.8
    available[:, 0] = True
    draws = rng.random(3000)
    fast = [choose_one(u[r].tolist(), available[r].tolist(), lam, float(draws[r])) for r in range(3000)]
    assert fast == choose(u, available, lam, draws).tolist()


def test_linear_rule_is_proportional_to_positive_utility():
    p = choice_probabilities(np.array([0.0, 1.0, 3.0, -2.0]), np.ones(4, bool), 5.0, rule="linear")
    assert p == pytest.approx([0.0, 0.25, 0.75, 0.0])
    p = choice_probabilities(np.array([-1.0, 0.0, -3.0]), np.array([True, True, False]), 5.0, rule="linear")
    assert p == pytest.approx([0.5, 0.5, 0.0])  # nothing positive: uniform over what is available


def test_linear_rule_fast_path_matches_vectorised():
    from model.choice import choose_one

    rng = np.random.default_rng(3)
    u = rng.normal(size=(2000, 4))
    available = rng.random((2000, 4)) < 0.8
    available[:, 0] = True
    draws = rng.random(2000)
    fast = [choose_one(u[r].tolist(), available[r].tolist(), 1.0, float(draws[r]), "linear") for r in range(2000)]
    assert fast == choose(u, available, 1.0, draws, "linear").tolist()
