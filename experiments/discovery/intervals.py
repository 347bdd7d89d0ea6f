"""Confidence intervals as pure functions: Wilson for a proportion, paired t and bootstrap for a
mean difference, Newcombe's hybrid score interval for a difference of paired proportions."""

from __future__ import annotations

import numpy as np
from scipy import stats

from ..summary import wilson_interval


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def wilson(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (NaN, NaN when n = 0): the run summary's interval
    (`experiments.summary.wilson_interval`) at `level`, its ends kept on their side of p."""
    if n == 0:
        return np.nan, np.nan
    p = successes / n
    lower, upper = wilson_interval(successes, n, _z(level))
    # rounding can put an end a hair past p when p is 0 or 1
    return float(min(p, lower)), float(max(p, upper))


def paired_t(differences: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of paired differences with its t interval: (mean, lower, upper)."""
    d = np.asarray(differences, dtype=float)
    mean = float(d.mean())
    if len(d) < 2:
        return mean, np.nan, np.nan
    half = float(stats.t.ppf(0.5 + level / 2, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)))
    return mean, mean - half, mean + half


def bootstrap_mean(differences: np.ndarray, level: float = 0.95, resamples: int = 2000,
                   seed: int = 0) -> tuple[float, float, float]:
    """Mean of paired differences with a percentile bootstrap interval over the pairs."""
    d = np.asarray(differences, dtype=float)
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, len(d), (resamples, len(d)))].mean(axis=1)
    lower, upper = np.quantile(means, [0.5 - level / 2, 0.5 + level / 2])
    return float(d.mean()), float(lower), float(upper)


def paired_proportions(scenario: np.ndarray, baseline: np.ndarray,
                       level: float = 0.95) -> tuple[float, float, float]:
    """Difference of two paired proportions (scenario - baseline) with Newcombe's hybrid score
    interval (Newcombe 1998, Stat Med 17:2635, method 10): Wilson intervals of each proportion,
    combined with the (continuity-corrected) correlation between the pairs."""
    s, b = np.asarray(scenario, dtype=bool), np.asarray(baseline, dtype=bool)
    n = len(s)
    both, only_s, only_b, neither = (int(np.sum(s & b)), int(np.sum(s & ~b)), int(np.sum(~s & b)),
                                     int(np.sum(~s & ~b)))
    p1, p2 = (both + only_s) / n, (both + only_b) / n
    l1, u1 = wilson(both + only_s, n, level)
    l2, u2 = wilson(both + only_b, n, level)
    margins = (both + only_s) * (only_b + neither) * (both + only_b) * (only_s + neither)
    # the correlation of the pairs, with Newcombe's continuity correction of a positive one
    excess = both * neither - only_s * only_b
    excess = excess - n / 2 if excess > n / 2 else min(excess, 0)
    phi = excess / np.sqrt(margins) if margins > 0 else 0.0
    below = np.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    above = np.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    d = p1 - p2
    return float(d), float(max(-1.0, d - below)), float(min(1.0, d + above))
