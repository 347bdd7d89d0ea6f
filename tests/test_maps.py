"""experiments/maps.py: the shipped country shapes and the synthetic-world layout."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments import maps
from model.world import DEFAULT_COUNTRIES


def test_shapes_ship_with_the_package_and_cover_every_country_but_tuvalu():
    shapes = maps.country_shapes()
    codes = pd.read_csv(DEFAULT_COUNTRIES)["iso3"].tolist()
    assert len(codes) == 200
    assert [c for c in codes if c not in shapes] == ["TUV"]
    ring = shapes["FRA"][0]
    assert ring.shape[1] == 2 and -180 <= ring[:, 0].min() and ring[:, 1].max() <= 90


def test_layout_is_seeded_and_keeps_a_ring_a_ring():
    n = 40
    travel = np.zeros((n, n))
    for i in range(n):
        travel[i, (i + 1) % n] = travel[i, (i - 1) % n] = 0.5
    a, b = maps.network_layout(travel, seed=3), maps.network_layout(travel, seed=3)
    assert np.array_equal(a, b)
    radius = np.linalg.norm(a - a.mean(axis=0), axis=1)
    assert radius.std() < 0.05 * radius.mean()  # on a circle, not folded over itself


def test_equal_ties_are_not_broken_by_index():
    n = 30
    travel = np.full((n, n), 1 / (n - 1))
    np.fill_diagonal(travel, 0)
    graph = maps.tie_graph(travel, strongest=3, seed=0)
    degrees = np.array([d for _, d in graph.degree()])
    assert degrees.max() < 12  # index order would make countries 0-2 hubs tied to everyone


def test_spaced_labels_keep_their_distance_and_priority():
    x = np.array([0.0, 0.05, 1.0, 1.02, 2.0])
    y = np.zeros(5)
    assert maps.spaced_labels(x, y, [1, 0, 3, 2, 4], min_gap=0.5) == [1, 3, 4]
    assert maps.spaced_labels(x, y, [1, 0, 3, 2, 4], min_gap=0.5, limit=2) == [1, 3]
