"""Multinomial logit choice, as pure functions over numpy arrays.

P(c) = exp(lambda U_c) / sum_k exp(lambda U_k) over the available options. lambda = 0 is a uniform
choice, lambda = inf is a best response with ties broken uniformly. Computed on U - max(U) so no
value of lambda overflows.

The "linear" rule (for the Polya-urn limit) picks each option with probability proportional to its
utility clipped at zero, P(c) = max(U_c, 0) / sum_k max(U_k, 0), uniformly if every utility is <= 0.
"""

from __future__ import annotations

import math

import numpy as np


def choice_probabilities(utility: np.ndarray, available: np.ndarray, rationality: float,
                         rule: str = "logit") -> np.ndarray:
    """Choice probabilities for each row of `utility` (options in the last axis).

    `available` (same shape, bool) masks options that cannot be chosen; each row needs at least one.
    """
    utility = np.asarray(utility, dtype=float)
    available = np.asarray(available, dtype=bool)  # broadcasts against utility
    if rule == "linear":
        weights = np.where(available, np.maximum(utility, 0.0), 0.0)
        weights = np.where(weights.sum(axis=-1, keepdims=True) > 0, weights, available)
        return weights / weights.sum(axis=-1, keepdims=True)
    masked = np.where(available, utility, -np.inf)
    best = masked.max(axis=-1, keepdims=True)
    if math.isinf(rationality):
        weights = (masked == best) & available
    else:
        gap = np.where(available, masked - best, 0.0)  # <= 0, finite
        weights = np.where(available, np.exp(rationality * gap), 0.0)
    weights = weights.astype(float)
    return weights / weights.sum(axis=-1, keepdims=True)


def choose(utility: np.ndarray, available: np.ndarray, rationality: float, uniform: np.ndarray,
           rule: str = "logit") -> np.ndarray:
    """Option index per row, by inverse CDF of the logit probabilities at the given uniform draws.

    Taking the draws as input (rather than a generator) lets the per-agent and vectorised paths
    consume identical randomness and so give identical trajectories.
    """
    probs = choice_probabilities(utility, available, rationality, rule)
    cdf = np.cumsum(probs, axis=-1)
    u = np.asarray(uniform, dtype=float)[..., None] * cdf[..., -1:]
    picked = (cdf <= u).sum(axis=-1)
    # guard against rounding at the top of the CDF: never pick an unavailable option
    last = probs.shape[-1] - 1 - np.argmax(probs[..., ::-1] > 0, axis=-1)
    return np.minimum(picked, last)


def choose_one(utility: list[float], available: list[bool], rationality: float, uniform: float,
               rule: str = "logit") -> int:
    """`choose` for a single row, in plain Python: the fast path for one agent's decision.

    Same arithmetic as `choose` (weights exp(lambda (U - max)), normalised, cumulated in order), so
    both paths pick the same option for the same draw.
    """
    best = max(u for u, a in zip(utility, available, strict=True) if a)
    if rule == "linear":
        weights = [max(u, 0.0) if a else 0.0 for u, a in zip(utility, available, strict=True)]
        if not any(weights):
            weights = [1.0 if a else 0.0 for a in available]
    elif math.isinf(rationality):
        weights = [1.0 if a and u == best else 0.0 for u, a in zip(utility, available, strict=True)]
    else:
        weights = [math.exp(rationality * (u - best)) if a else 0.0
                   for u, a in zip(utility, available, strict=True)]
    total = 0.0
    for w in weights:  # a plain loop, not sum(): Python 3.12's sum() compensates rounding, numpy does not
        total += w
    cdf, running = [], 0.0
    for w in weights:
        running += w / total
        cdf.append(running)
    target = uniform * cdf[-1]
    last = max(k for k, w in enumerate(weights) if w > 0)
    for k, c in enumerate(cdf):
        if c > target:
            return min(k, last)
    return last
