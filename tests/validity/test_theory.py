"""The five theory limit cases of experiments/theory.py, each asserted with an interval over runs.

Intervals here are at 99% (Wilson for shares of runs, Student t for means): a claim that an interval
contains the theory's value then fails for about 1 base seed in 100 if the model is right, and a
claim that an interval clears a bound needs the effect to be plain. Where one test makes several
such "contains" comparisons the level is Bonferroni-adjusted so the whole test keeps 99%. Every
claim was checked over several base seeds when the test was designed (docs/ODD.md, section 11.1).
"""

import pytest

from experiments import theory

SEED = 0
LEVEL = 0.99


# ---------------------------------------------------------------- 1. lock-in (Arthur 1989)

@pytest.fixture(scope="module")
def lock_in():
    return theory.lock_in(runs=200, seed=SEED, level=LEVEL)


@pytest.mark.slow
def test_increasing_returns_lock_in_to_either_standard(lock_in):
    row = lock_in.loc["increasing returns"]
    assert row["locked_in_low"] > 0.95  # nearly every run ends with one standard on >= 90% of countries
    assert row["a_wins_low"] < 0.5 < row["a_wins_high"]  # and each standard wins about half the runs


@pytest.mark.slow
def test_constant_returns_keep_the_market_shared(lock_in):
    row = lock_in.loc["constant returns"]
    assert row["locked_in_high"] < 0.05  # (almost) no run locks in
    assert row["top_share_high"] < 0.5  # the largest standard holds well under half the countries


# ---------------------------------------------------------------- 2. Polya urn

@pytest.fixture(scope="module")
def polya_urn():
    return theory.polya_urn(runs=300, seed=SEED, level=LEVEL)


def test_polya_urn_final_share_is_uniform(polya_urn):
    row = polya_urn.loc["linear (Polya urn)"]
    assert row["ks_distance"] < row["ks_band"]  # the empirical CDF stays inside the 99% DKW band of U(0, 1)
    assert row["decile_p"] > 0.01  # as many runs in each tenth of [0, 1]
    assert row["share_a_low"] < 0.5 < row["share_a_high"]
    assert row["outside_10_90_low"] < 0.2 < row["outside_10_90_high"]  # U(0, 1) puts 20% outside [0.1, 0.9]


def test_logit_choice_is_far_from_the_urn(polya_urn):
    row = polya_urn.loc["logit, rationality 50"]
    assert row["ks_distance"] > 3 * row["ks_band"]
    assert row["outside_10_90_low"] > 0.9  # herding: almost every run ends near 0 or 1


# ---------------------------------------------------------------- 3. risk dominance (KMR 1993, Young 1993)

# rationalities inside the range where a 300-month horizon mixes (n = 10); see theory.RISK_DOMINANCE_GAMES
MIXING = {"quality": (0.25, 0.5, 1.0), "stag_hunt": (1.0, 2.0)}


@pytest.fixture(scope="module")
def risk_dominance():
    games = {game: (*spec[:3], MIXING[game]) for game, spec in theory.RISK_DOMINANCE_GAMES.items()}
    comparisons = 2 * sum(len(r) for r in MIXING.values())  # stationary shares, two per row
    return theory.risk_dominance(runs=16, seed=SEED, level=1 - (1 - LEVEL) / comparisons, games=games)


@pytest.mark.slow
def test_risk_dominant_option_holds_the_larger_share_of_time(risk_dominance):
    # quality: a against b, which starts with 90% of countries; stag hunt: "none" against the
    # payoff-dominant a, on which everyone starts
    for (game, rationality), row in risk_dominance.iterrows():
        assert row["share_risk_dominant_low"] > row["share_rival_high"], (game, rationality)


@pytest.mark.slow
def test_risk_dominant_share_rises_as_noise_falls(risk_dominance):
    for game in MIXING:
        rows = risk_dominance.loc[game].sort_index()
        assert (rows["share_risk_dominant_low"].to_numpy()[1:] > rows["share_risk_dominant_high"].to_numpy()[:-1]).all()


@pytest.mark.slow
def test_time_averages_match_the_stationary_law_of_logit_dynamics(risk_dominance):
    # Blume (1993): P(state) ~ exp(rationality * potential); the model's shares must agree with it
    for (game, rationality), row in risk_dominance.iterrows():
        for side in ("risk_dominant", "rival"):
            assert row[f"share_{side}_low"] < row[f"stationary_{side}"] < row[f"share_{side}_high"], \
                (game, rationality, side)


# ---------------------------------------------------------------- 4. contagion threshold (Morris 2000)

@pytest.fixture(scope="module")
def contagion():
    cases = {"ring": ("contagion_ring", 0.5, (0.4, 0.6)), "lattice_2d": ("contagion_lattice", 0.25, (0.15, 0.35))}
    return theory.contagion(runs=20, seed=SEED, level=LEVEL, cases=cases)


def test_standard_spreads_below_the_contagion_threshold_and_stalls_above(contagion):
    for (graph, threshold), row in contagion.iterrows():
        if threshold < row["contagion_threshold"]:
            assert row["everyone_low"] > 0.7, (graph, threshold)  # every country ends on a
        else:
            assert row["grew_high"] < 0.3, (graph, threshold)  # a never grows beyond its seed block
    # q = 0.35 spreads on the ring (threshold 1/2) but not on the lattice (1/4)
    assert contagion.loc[("lattice_2d", 0.35), "predicted"] == "stalls"


# ---------------------------------------------------------------- 5. cascade window (Watts 2002)

def test_global_cascades_happen_inside_a_window_of_mean_degree(tmp_path):
    table = theory.cascade_window(runs=50, seed=SEED, level=LEVEL, degrees=(0.8, 3.0, 10.0), countries=500)
    low, high = theory.cascade_window_edges(float(table["threshold"].iloc[0]))
    assert 1.0 < low < 1.1 and 5.5 < high < 6.0  # Watts's condition for phi = 0.18 on Poisson degrees
    assert table.loc[0.8, "global_cascade_high"] < 0.15  # no giant component: no global cascade
    assert table.loc[3.0, "global_cascade_low"] > 0.5  # inside the window: most single seeds tip the world
    assert table.loc[10.0, "global_cascade_high"] < 0.15  # well connected: hardly anyone is vulnerable
    assert table["inside_window"].tolist() == [False, True, False]
    theory.cascade_window_figure(table).savefig(tmp_path / "cascade_window.png")
    assert (tmp_path / "cascade_window.png").stat().st_size > 10_000
