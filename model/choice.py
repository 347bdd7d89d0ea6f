"""Multinomial logit choice, as pure functions over numpy arrays.

P(c) = exp(lambda U_c) / sum_k exp(lambda U_k) over the available options. lambda = 0 is a uniform
choice, lambda = inf is a best response with ties broken uniformly. Computed on U - max(U) so no
value of lambda overflows.
"""

from __future__ import annotations

import math

import numpy as np


def choice_probabilities(utility: np.ndarray, available: np.ndarray, rationality: float) -> np.ndarray:
    """Logit probabilities for each row of `utility` (options in the last axis).

    `available` (same shape, bool) masks options that cannot be chosen; each row needs at least one.
    """
    utility = np.asarray(utility, dtype=float)
    available = np.broadcast_to(np.asarray(available, dtype=bool), utility.shape)
    masked = np.where(available, utility, -np.inf)
    best = masked.max(axis=-1, keepdims=True)
    if math.isinf(rationality):
        weights = (masked == best) & available
    else:
        gap = np.where(available, masked - best, 0.0)  # <= 0, finite
        weights = np.where(available, np.exp(rationality * gap), 0.0)
    weights = weights.astype(float)
    return weights / weights.sum(axis=-1, keepdims=True)


def choose(utility: np.ndarray, available: np.ndarray, rationality: float, uniform: np.ndarray) -> np.ndarray:
    """Option index per row, by inverse CDF of the logit probabilities at the given uniform draws.

    Taking the draws as input (rather than a generator) lets the per-agent and vectorised paths
    consume identical randomness and so give identical trajectories.
    """
    probs = choice_probabilities(utility, available, rationality)
    cdf = np.cumsum(probs, axis=-1)
    u = np.asarray(uniform, dtype=float)[..., None] * cdf[..., -1:]
    picked = (cdf <= u).sum(axis=-1)
    # guard against rounding at the top of the CDF: never pick an unavailable option
    last = probs.shape[-1] - 1 - np.argmax(np.flip(probs > 0, axis=-1), axis=-1)
    return np.minimum(picked, last)
