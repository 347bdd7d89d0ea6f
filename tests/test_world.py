"""The world: embedded gravity world, blocs, resolve, distances, synthetic graphs and flow tables."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from model import ConfigError, WorldParams, build_world
from model.params import GRAPHS
from model.world import (
    EARTH_RADIUS_KM,
    from_countries,
    gravity_flows,
    great_circle_km,
    read_countries,
    read_flows,
    synthetic,
)

DATA = Path(__file__).resolve().parent / "data"
TINY_COUNTRIES = DATA / "tiny_countries.csv"
TINY_FLOWS = DATA / "tiny_flows.csv"


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture(scope="module")
def gravity():
    return build_world(WorldParams(), rng())


def gravity_with(**changes):
    """A gravity world on the embedded data with some parameters changed (dense travel)."""
    return build_world(dataclasses.replace(WorldParams(), **changes), rng()).dense_travel()


# ---------------------------------------------------------------- the embedded gravity world

def test_gravity_world_covers_the_world(gravity):
    assert gravity.n >= 190
    assert len(set(gravity.codes)) == gravity.n
    for code in ("USA", "CHN", "DEU", "IND", "BRA", "NGA", "ISR"):
        assert code in gravity.index


def test_gravity_travel_is_row_normalised_without_self_travel(gravity):
    travel = gravity.dense_travel()
    assert travel.shape == (gravity.n, gravity.n)
    assert (travel >= 0).all()
    assert np.all(np.diag(travel) == 0)
    rows = travel.sum(axis=1)
    travelling = rows > 0
    assert travelling.sum() == gravity.n  # a gravity model ties every pair
    np.testing.assert_allclose(rows[travelling], 1.0, rtol=0, atol=1e-12)


def test_gravity_travel_weight_is_a_distribution(gravity):
    assert gravity.travel_weight.shape == (gravity.n,)
    assert (gravity.travel_weight > 0).all()
    assert gravity.travel_weight.sum() == pytest.approx(1.0, abs=1e-12)
    # the largest economies carry the most travel
    top = gravity.codes[np.argsort(gravity.travel_weight)[::-1][:10]]
    assert "USA" in top and "CHN" in top


def test_land_border_raises_the_tie(gravity):
    i, fra, gbr = (gravity.index[c] for c in ("DEU", "FRA", "GBR"))  # FRA borders DEU, GBR does not
    plain = gravity_with(border_factor=1.0)
    boosted = gravity_with(border_factor=2.0)
    ratio_plain = plain[i, fra] / plain[i, gbr]
    ratio_boosted = boosted[i, fra] / boosted[i, gbr]
    assert ratio_boosted == pytest.approx(2.0 * ratio_plain, rel=1e-9)
    assert boosted[i, fra] > plain[i, fra]


def test_distance_exponent_makes_nearer_partners_weigh_more(gravity):
    i, fra, usa = (gravity.index[c] for c in ("DEU", "FRA", "USA"))
    flat = gravity_with(distance_exponent=0.0)
    decayed = gravity_with(distance_exponent=1.0)
    steep = gravity_with(distance_exponent=2.0)
    d = great_circle_km(gravity.lat, gravity.lon)
    r0, r1, r2 = (t[i, fra] / t[i, usa] for t in (flat, decayed, steep))
    assert r0 < r1 < r2
    assert r1 / r0 == pytest.approx(d[i, usa] / d[i, fra], rel=1e-9)
    assert r2 / r0 == pytest.approx((d[i, usa] / d[i, fra]) ** 2, rel=1e-9)


def test_blocs_have_their_official_sizes(gravity):
    sizes = {bloc: len(gravity.blocs[bloc]) for bloc in ("EU27", "EEA", "OECD", "ALL")}
    assert sizes == {"EU27": 27, "EEA": 30, "OECD": 38, "ALL": gravity.n}
    eu, eea = set(gravity.blocs["EU27"].tolist()), set(gravity.blocs["EEA"].tolist())
    assert eu < eea
    assert {gravity.codes[i] for i in eea - eu} == {"ISL", "LIE", "NOR"}
    assert gravity.index["DEU"] in eu and gravity.index["GBR"] not in eu
    bri = set(gravity.blocs["BRI"].tolist())  # China's Belt and Road partners (MoU states)
    assert gravity.index["PAK"] in bri and gravity.index["USA"] not in bri
    for region in ("Africa", "Americas", "Asia", "Europe", "Oceania"):
        assert len(gravity.blocs[region]) > 0


# ---------------------------------------------------------------- resolve

def test_resolve_codes_and_blocs(gravity):
    idx = gravity.resolve(["FRA", "DEU"], "k")
    assert idx.tolist() == sorted([gravity.index["FRA"], gravity.index["DEU"]])
    assert gravity.resolve(["EU27"], "k").tolist() == sorted(gravity.blocs["EU27"].tolist())
    # codes and blocs mix, and a country named twice counts once
    mixed = gravity.resolve(["DEU", "EU27", "USA", "USA"], "k")
    assert len(mixed) == 28 and gravity.index["USA"] in mixed
    assert gravity.resolve(["ALL"], "k").tolist() == list(range(gravity.n))
    assert gravity.resolve(["Oceania"], "k").tolist() == sorted(gravity.blocs["Oceania"].tolist())
    assert gravity.resolve([], "k").size == 0
    assert mixed.dtype == np.int64


@pytest.mark.parametrize("name", ["XXX", "EU28", "deu"])
def test_resolve_unknown_name_raises_naming_the_key(gravity, name):
    with pytest.raises(ConfigError) as info:
        gravity.resolve(["DEU", name], "sponsors.eu.home")
    message = str(info.value)
    assert "sponsors.eu.home" in message
    assert f"'{name}'" in message
    assert "EU27" in message  # says which blocs exist


# ---------------------------------------------------------------- distances

def test_great_circle_hand_checked():
    quarter = math.pi / 2 * EARTH_RADIUS_KM  # 10007.54 km
    d = great_circle_km(np.array([0.0, 0.0, 90.0, 0.0]), np.array([0.0, 90.0, 0.0, 180.0]))
    assert d[0, 1] == pytest.approx(quarter, rel=1e-12)
    assert d[0, 1] == pytest.approx(10007.5, abs=0.1)
    assert d[0, 2] == pytest.approx(quarter, rel=1e-12)  # equator to the pole
    assert d[0, 3] == pytest.approx(2 * quarter, rel=1e-12)  # antipodes
    np.testing.assert_allclose(d, d.T)
    np.testing.assert_allclose(np.diag(d), 0.0, atol=1e-9)


def test_great_circle_known_city_pair():
    # Paris (48.8566, 2.3522) to London (51.5074, -0.1278): about 344 km
    d = great_circle_km(np.array([48.8566, 51.5074]), np.array([2.3522, -0.1278]))
    assert d[0, 1] == pytest.approx(343.5, abs=1.5)


# ---------------------------------------------------------------- gravity on a hand-made file

def test_gravity_flows_hand_checked_on_a_tiny_file():
    cols = read_countries(TINY_COUNTRIES)
    # identical masses so only distance, region and border matter
    cols = {**cols, "population": np.ones(4), "gdp_usd": np.ones(4)}
    cols["borders"] = np.array(["BBB", "AAA", "", ""], dtype=object)
    p = WorldParams(gdp_exponent=1.0, population_exponent=1.0, distance_exponent=1.0, min_distance_km=1.0,
                    border_factor=3.0, region_factor=2.0)
    flows = gravity_flows(cols, p)
    d = great_circle_km(cols["lat"], cols["lon"])
    assert flows[0, 0] == 0.0
    assert flows[0, 1] == pytest.approx(3.0 * 2.0 / d[0, 1])  # border and same region
    assert flows[0, 2] == pytest.approx(1.0 / d[0, 2])  # other region, no border
    assert flows[2, 3] == pytest.approx(2.0 / d[2, 3])  # same region, no border
    np.testing.assert_allclose(flows, flows.T)  # symmetric by construction


# ---------------------------------------------------------------- a user's flow table

EXPECTED_TRAVEL = np.array([
    [0.0, 3 / 5, 2 / 5, 0.0],  # AAA: 3 to BBB, 1 + 1 to CCC (rows add up), self-travel dropped
    [4 / 8, 0.0, 0.0, 4 / 8],  # BBB
    [1 / 4, 3 / 4, 0.0, 0.0],  # CCC
    [0.0, 0.0, 0.0, 0.0],  # DDD travels nowhere
])
EXPECTED_WEIGHT = np.array([5, 8, 4, 0]) / 17


@pytest.mark.parametrize("use_sparse", [None, True, False])
def test_flows_file_gives_the_row_normalised_matrix(use_sparse):
    p = WorldParams(kind="flows", countries_file=str(TINY_COUNTRIES), flows_file=str(TINY_FLOWS), sparse=use_sparse)
    world = build_world(p, rng())
    assert world.codes.tolist() == ["AAA", "BBB", "CCC", "DDD"]
    assert world.is_sparse is bool(use_sparse)  # 6 of 12 ties: dense unless asked
    np.testing.assert_allclose(world.dense_travel(), EXPECTED_TRAVEL, rtol=0, atol=1e-15)
    np.testing.assert_allclose(world.travel_weight, EXPECTED_WEIGHT, rtol=0, atol=1e-15)
    assert world.blocs["North"].tolist() == [0, 1] and world.blocs["South"].tolist() == [2, 3]
    assert world.resolve(["South", "AAA"], "k").tolist() == [0, 2, 3]


def test_read_flows_raw_sums_duplicates_and_drops_self_travel():
    flows = read_flows(TINY_FLOWS, {"AAA": 0, "BBB": 1, "CCC": 2, "DDD": 3})
    assert flows[0, 2] == 2.0
    assert flows[0, 0] == 0.0
    assert flows.sum() == 17.0


def test_tiny_countries_file_reads_columns():
    cols = read_countries(TINY_COUNTRIES)
    assert cols["iso3"].tolist() == ["AAA", "BBB", "CCC", "DDD"]
    np.testing.assert_allclose(cols["population"], [1e6, 2e6, 5e5, 3e5])
    assert cols["borders"].tolist() == ["", "", "", ""]  # optional column
    world = from_countries(WorldParams(countries_file=str(TINY_COUNTRIES)))
    assert world.n == 4 and world.source == str(TINY_COUNTRIES)
    np.testing.assert_allclose(world.dense_travel().sum(axis=1), 1.0)


def test_countries_file_with_utf8_bom_loads():
    # Excel writes CSV with a byte-order mark; the iso3 column must still be found
    cols = read_countries(DATA / "countries_bom.csv")
    assert cols["iso3"].tolist() == ["AAA", "BBB", "CCC", "DDD"]


def test_embedded_data_read_matches_pandas():
    import pandas as pd

    from model.world import DEFAULT_COUNTRIES

    frame = pd.read_csv(DEFAULT_COUNTRIES, keep_default_na=False)
    cols = read_countries(DEFAULT_COUNTRIES)
    assert cols["iso3"].tolist() == frame["iso3"].tolist()
    np.testing.assert_allclose(cols["gdp_usd"], frame["gdp_usd"].astype(float))
    assert int(cols["eu"].sum()) == int(frame["eu"].sum()) == 27


# ---------------------------------------------------------------- synthetic worlds

@pytest.mark.parametrize("graph", [g for g in GRAPHS if g != "lattice_2d"])
def test_synthetic_graph_has_requested_size(graph):
    world = synthetic(WorldParams(kind="synthetic", graph=graph, n=40, mean_degree=4), rng())
    assert world.n == 40
    assert len(world.codes) == len(set(world.codes)) == 40
    travel = world.dense_travel()
    assert np.all(np.diag(travel) == 0)
    rows = travel.sum(axis=1)
    np.testing.assert_allclose(rows[rows > 0], 1.0)
    assert world.travel_weight.sum() == pytest.approx(1.0)
    assert world.resolve(["ALL"], "k").tolist() == list(range(40))


def test_lattice_2d_rounds_to_a_square():
    world = build_world(WorldParams(kind="synthetic", graph="lattice_2d", n=50), rng())
    assert world.n == 49  # 7 x 7
    travel = world.dense_travel()
    assert ((travel > 0).sum(axis=1) == 4).all()  # a periodic grid: four neighbours each
    np.testing.assert_allclose(travel[travel > 0], 0.25)


def test_complete_graph_ties_everyone_equally():
    n = 15
    world = build_world(WorldParams(kind="synthetic", graph="complete", n=n), rng())
    travel = world.dense_travel()
    assert ((travel > 0).sum(axis=1) == n - 1).all()
    off_diagonal = ~np.eye(n, dtype=bool)
    np.testing.assert_allclose(travel[off_diagonal], 1 / (n - 1))
    np.testing.assert_allclose(world.travel_weight, 1 / n)


@pytest.mark.parametrize("graph", ["erdos_renyi", "barabasi_albert", "watts_strogatz"])
def test_random_graphs_depend_on_the_seed_only(graph):
    p = WorldParams(kind="synthetic", graph=graph, n=60, mean_degree=4, rewiring=0.3)
    first = build_world(p, rng(11)).dense_travel()
    again = build_world(p, rng(11)).dense_travel()
    other = build_world(p, rng(12)).dense_travel()
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_ring_lattice_is_deterministic_with_k_neighbours():
    p = WorldParams(kind="synthetic", graph="ring_lattice", n=30, mean_degree=4)
    a, b = build_world(p, rng(1)).dense_travel(), build_world(p, rng(2)).dense_travel()
    np.testing.assert_array_equal(a, b)
    assert ((a > 0).sum(axis=1) == 4).all()
    assert a[0, 1] > 0 and a[0, 2] > 0 and a[0, 29] > 0 and a[0, 28] > 0 and a[0, 3] == 0


def test_sparse_storage_is_chosen_by_density():
    ring = build_world(WorldParams(kind="synthetic", graph="ring_lattice", n=2000, mean_degree=4), rng())
    assert ring.n == 2000 and ring.is_sparse
    assert ring.travel.nnz == 2000 * 4
    np.testing.assert_allclose(np.asarray(ring.travel.sum(axis=1)).ravel(), 1.0)
    complete = build_world(WorldParams(kind="synthetic", graph="complete", n=50), rng())
    assert not complete.is_sparse
    # an explicit choice wins over the density rule
    assert build_world(WorldParams(kind="synthetic", graph="complete", n=50, sparse=True), rng()).is_sparse
    forced = build_world(WorldParams(kind="synthetic", graph="ring_lattice", n=200, mean_degree=4, sparse=False), rng())
    assert not forced.is_sparse


def test_build_world_validates_its_parameters():
    with pytest.raises(ConfigError, match=r"world\.n"):
        build_world(WorldParams(kind="synthetic", n=1), rng())
    with pytest.raises(ConfigError, match=r"world\.graph"):
        build_world(WorldParams(kind="synthetic", graph="hypercube"), rng())
    with pytest.raises(ConfigError, match=r"world\.flows_file"):
        build_world(WorldParams(kind="flows"), rng())
