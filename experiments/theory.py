"""Theory limit cases: five classic results the model reproduces (docs/ODD.md, Evidence).

Each case runs one scenario of configs/scenario/ over many seeds and returns a plain DataFrame,
one row per setting: the statistic, its interval over runs, and the value theory predicts where
there is one. `python -m experiments.theory CASE` prints the table (and, for the cascade window,
writes the plot).

    lock_in         Arthur (1989): increasing returns lock the market into one standard
    polya_urn       Arthur, Ermoliev & Kaniovski (1987): the urn's final share is Uniform(0, 1)
    risk_dominance  Kandori, Mailath & Rob (1993), Young (1993): noise selects the risk-dominant standard
    contagion       Morris (2000): a standard spreads on a ring iff q < 1/2, on a 2D lattice iff q < 1/4
    cascade_window  Watts (2002): global cascades happen only inside a window of mean degree

Intervals: Wilson score intervals for shares of runs, Student t intervals for means over runs, both
at `level` (0.95 unless asked otherwise).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import optimize, special, stats

from model import CredentialModel
from model.params import NONE, ConfigError

from .cli import command_options, guard, integer, usage
from .config import ExperimentConfig, compose, to_experiment
from .runner import RunRecord, model_from, record_of, replication_seeds
from .summary import wilson_interval

CASES = ("lock_in", "polya_urn", "risk_dominance", "contagion", "cascade_window")
LOCKED_IN = 0.9  # a run is locked in when one standard ends with at least this share of countries
GLOBAL_CASCADE = 0.5  # a cascade is global when more than this share of countries adopts


# ---------------------------------------------------------------- statistics (pure)

def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def share_of_runs(name: str, hits: int, runs: int, level: float) -> dict:
    """A share of runs with its Wilson interval, as columns name, name_low, name_high."""
    low, high = wilson_interval(int(hits), int(runs), _z(level))
    return {name: hits / runs, f"{name}_low": low, f"{name}_high": high}


def mean_over_runs(name: str, values, level: float) -> dict:
    """A mean over runs with its Student t interval, as columns name, name_low, name_high."""
    values = np.asarray(values, dtype=float)
    centre = float(values.mean())
    half = (float(stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values)))
            if len(values) > 1 else math.inf)
    return {name: centre, f"{name}_low": centre - half, f"{name}_high": centre + half}


def uniform_fit(shares, level: float) -> dict:
    """How far a sample is from Uniform(0, 1): the Kolmogorov-Smirnov distance, the
    Dvoretzky-Kiefer-Wolfowitz band it stays within with probability `level` if the sample is
    uniform, the KS p-value and the chi-square p-value of the counts in deciles."""
    shares = np.asarray(shares, dtype=float)
    ks = stats.kstest(shares, "uniform")
    deciles = np.bincount(np.minimum((shares * 10).astype(int), 9), minlength=10)
    return {"ks_distance": float(ks.statistic),
            "ks_band": math.sqrt(math.log(2 / (1 - level)) / (2 * len(shares))),
            "ks_p": float(ks.pvalue), "decile_p": float(stats.chisquare(deciles).pvalue)}


# ---------------------------------------------------------------- theory (pure)

def stationary_shares(countries: int, network_weight: float, quality, rationality: float) -> np.ndarray:
    """Expected share of countries on each option ("none" first) in the stationary law of logit
    revision on a complete graph, network effects and qualities only (no costs, no deals).

    This is a potential game: U_i(s) = quality_s + network_weight * (others on s) / (n - 1) changes
    with a switch exactly as the potential sum_s [quality_s n_s + network_weight n_s (n_s - 1) /
    (2 (n - 1))] does, so logit revision has the Gibbs law P(state) ~ exp(rationality * potential)
    (Blume 1993), which summed over states with the same counts weighs each by its multinomial count.
    """
    quality = np.asarray(quality, dtype=float)
    n, k = countries, len(quality)
    counts = np.array([c for c in itertools.product(range(n + 1), repeat=k) if sum(c) <= n], dtype=float)
    none = n - counts.sum(axis=1)
    potential = counts @ quality + network_weight * (counts * (counts - 1)).sum(axis=1) / (2 * (n - 1))
    log_weight = (special.gammaln(n + 1) - special.gammaln(none + 1) - special.gammaln(counts + 1).sum(axis=1)
                  + rationality * potential)
    weight = np.exp(log_weight - log_weight.max())
    weight /= weight.sum()
    on_standards = weight @ counts / n
    return np.concatenate([[1.0 - on_standards.sum()], on_standards])


def quality_for_threshold(threshold: float, network_weight: float) -> float:
    """Quality of a (b's is 0) such that a beats b once a share `threshold` of neighbours use it:
    q_a + w x > w (1 - x)  <=>  x > 1/2 - q_a / (2 w)."""
    return network_weight * (1.0 - 2.0 * threshold)


def cascade_window_edges(threshold: float) -> tuple[float, float]:
    """Mean degrees between which Watts's (2002) cascade condition holds on an Erdos-Renyi graph.

    A country is vulnerable (one adopting neighbour tips it) when 1/k > threshold, i.e. k <= K.
    With Poisson degrees the condition sum_k k (k - 1) p_k [k <= K] > z reads z P(Poisson(z) <= K - 2) > 1.
    """
    most = math.floor(1.0 / threshold)
    most = most - 1 if most * threshold >= 1.0 else most

    def excess(z: float) -> float:
        return z * stats.poisson.cdf(most - 2, z) - 1.0

    grid = np.linspace(0.5, 40.0, 800)
    peak = float(grid[np.argmax([excess(z) for z in grid])])
    if excess(peak) <= 0:
        return (math.nan, math.nan)
    return (optimize.brentq(excess, 1e-6, peak), optimize.brentq(excess, peak, 100.0))


# ---------------------------------------------------------------- running

def configured(scenario: str, overrides: list[str] | tuple[str, ...] = ()) -> ExperimentConfig:
    """A theory scenario composed once (building a model per seed is then cheap)."""
    return to_experiment(compose(scenario, list(overrides)))


def models(exp: ExperimentConfig, runs: int, seed: int) -> Iterator[CredentialModel]:
    for replication_seed in replication_seeds(seed, runs):
        yield model_from(exp, replication_seed)


def settle(model: CredentialModel) -> CredentialModel:
    """Run until a month in which nobody switches, or to the horizon.

    Only for best response with revision_rate 1: everyone has then reconsidered the final state
    and (ties having probability zero) nobody ever will switch again."""
    while model.running:
        before = model.state.copy()
        model.step()
        if np.array_equal(before, model.state):
            break
    return model


def record(model: CredentialModel) -> RunRecord:
    """The run record of a finished (or settled) model: the one place a model's results are read."""
    return record_of(model, 0, 0)


def final_shares(model: CredentialModel) -> np.ndarray:
    return np.bincount(record(model).final_state, minlength=len(model.choices)) / model.world.n


# ---------------------------------------------------------------- the five cases

def lock_in(runs: int = 200, seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Arthur (1989): increasing returns lock the market into one standard, either one.

    Two identical standards on a complete graph from an empty start: nearly every run ends with one
    standard holding at least 90% of countries and each standard wins about half the runs; with
    constant returns (network weight 0) the market stays shared."""
    rows = []
    for setting, overrides in (("increasing returns", []), ("constant returns", ["decision.network_weight=0"])):
        shares = np.array([final_shares(m.run()) for m in models(configured("symmetric_lock_in", overrides),
                                                                  runs, seed)])
        top = shares[:, 1:].max(axis=1)
        rows.append({"setting": setting, "runs": runs,
                     **share_of_runs("a_wins", int((shares[:, 1] > shares[:, 2]).sum()), runs, level),
                     **share_of_runs("locked_in", int((top >= LOCKED_IN).sum()), runs, level),
                     **mean_over_runs("top_share", top, level)})
    return pd.DataFrame(rows).set_index("setting")


def polya_urn(runs: int = 300, seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Arthur, Ermoliev & Kaniovski (1987): the Polya urn's final share is Uniform(0, 1).

    Choosing in proportion to current adopters, from one adopter each, a's final share among
    adopters is spread uniformly over runs: mean 1/2, variance 1/12, 20% of runs outside [0.1, 0.9].
    Logit choice with high rationality instead locks in (shares near 0 or 1)."""
    rows = []
    for setting, overrides in (("linear (Polya urn)", []),
                               ("logit, rationality 50", ["decision.choice_rule=logit", "decision.rationality=50"])):
        counts = np.array([np.bincount(record(m.run()).final_state, minlength=3)
                           for m in models(configured("polya_urn", overrides), runs, seed)])
        share = counts[:, 1] / counts[:, 1:].sum(axis=1)
        extreme = int(((share < 0.1) | (share > 0.9)).sum())
        rows.append({"setting": setting, "runs": runs, **mean_over_runs("share_a", share, level),
                     "variance": float(share.var(ddof=1)), "uniform_variance": 1 / 12,
                     **share_of_runs("outside_10_90", extreme, runs, level), **uniform_fit(share, level)})
    return pd.DataFrame(rows).set_index("setting")


# game -> (overrides of configs/scenario/risk_dominance.yaml, risk-dominant option, its rival, rationalities;
# the last rationality of each is beyond the range the horizon can mix, to show where the claim stops)
RISK_DOMINANCE_GAMES = {
    # a has quality 1: it beats b once 37.5% of partners use it; b starts with 90% of countries
    "quality": ((), "a", "b", (0.25, 0.5, 0.75, 1.0, 1.5)),
    # stag hunt: a alone, quality -2.5, pays once 62.5% of partners use it (so "none" is risk-dominant)
    # though everyone on a (utility 1.5) beats everyone on none (0); everyone starts on a
    "stag_hunt": (("~standards.b", "standards.a.quality=-2.5", "standards.a.initial_share=1.0"), "none", "a",
                  (0.5, 1.0, 1.5, 2.0, 3.0)),
}


def risk_dominance(runs: int = 40, seed: int = 0, level: float = 0.95, games: dict = RISK_DOMINANCE_GAMES
                   ) -> pd.DataFrame:
    """Kandori-Mailath-Rob (1993), Young (1993): logit noise selects the risk-dominant option.

    Per game and rationality: time-average shares of the risk-dominant option and its rival over the
    horizon after a burn-in of a fifth, the exact stationary shares (`stationary_shares`), and how
    soon the risk-dominant option first holds a majority. The long-run claim needs the horizon to be
    long enough for noise to move the whole population; the last rationality of each game shows
    what happens when it is not (runs stay near where they started)."""
    rows = []
    for game, (overrides, favoured, rival, rationalities) in games.items():
        for rationality in rationalities:
            exp = configured("risk_dominance", [*overrides, f"decision.rationality={rationality}"])
            options = [NONE, *exp.standards]
            best, other = options.index(favoured), options.index(rival)
            burn_in = exp.scenario.horizon // 5
            averages, first_majority = [], []
            for m in models(exp, runs, seed):
                share = record(m.run()).adopters / m.world.n
                averages.append(share[burn_in:].mean(axis=0))
                hit = np.flatnonzero(share[:, best] > 0.5)
                first_majority.append(hit[0] if len(hit) else np.inf)
            averages, first_majority = np.array(averages), np.array(first_majority)
            quality = [exp.standards[s].quality for s in exp.standards]
            stationary = stationary_shares(exp.world.n, exp.decision.network_weight, quality, rationality)
            rows.append({"game": game, "rationality": rationality, "risk_dominant": favoured, "rival": rival,
                         "runs": runs, **mean_over_runs("share_risk_dominant", averages[:, best], level),
                         **mean_over_runs("share_rival", averages[:, other], level),
                         "stationary_risk_dominant": stationary[best], "stationary_rival": stationary[other],
                         **share_of_runs("reaches_majority", int(np.isfinite(first_majority).sum()), runs, level),
                         "median_months_to_majority": float(np.median(first_majority))})
    return pd.DataFrame(rows).set_index(["game", "rationality"])


CONTAGION_CASES = {"ring": ("contagion_ring", 0.5, (0.3, 0.45, 0.55, 0.7)),
                   "lattice_2d": ("contagion_lattice", 0.25, (0.15, 0.2, 0.3, 0.45, 0.6))}


def contagion(runs: int = 20, seed: int = 0, level: float = 0.95,
              cases: dict = CONTAGION_CASES) -> pd.DataFrame:
    """Morris (2000): a standard spreads from a seed block iff its threshold is below the graph's.

    Best response spreads a to every country when the share q of neighbours that makes a pay is
    below the graph's contagion threshold (1/2 on the ring, 1/4 on the 2D lattice) and never lets
    it grow beyond the seed block when q is above."""
    rows = []
    for graph, (scenario, contagion_threshold, thresholds) in cases.items():
        weight = configured(scenario).decision.network_weight
        for threshold in thresholds:
            exp = configured(scenario, [f"standards.a.quality={quality_for_threshold(threshold, weight)}"])
            seeded = list(models(exp, runs, seed))
            seed_share = len(exp.standards["a"].initial_adopters) / seeded[0].world.n
            final = np.array([final_shares(settle(m))[1] for m in seeded])
            rows.append({"graph": graph, "threshold": threshold, "contagion_threshold": contagion_threshold,
                         "predicted": "spreads" if threshold < contagion_threshold else "stalls", "runs": runs,
                         "seed_share": seed_share, **share_of_runs("everyone", int((final >= 1.0).sum()), runs, level),
                         **share_of_runs("grew", int((final > seed_share + 1e-12).sum()), runs, level),
                         "mean_final_share": float(final.mean())})
    return pd.DataFrame(rows).set_index(["graph", "threshold"])


CASCADE_DEGREES = (0.5, 0.8, 1.0, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 8, 9, 10, 12, 14)


def cascade_window(runs: int = 100, seed: int = 0, level: float = 0.95, degrees=CASCADE_DEGREES,
                   countries: int | None = None) -> pd.DataFrame:
    """Watts (2002): global cascades from one seed happen only inside a window of mean degree.

    Share of runs in which one seed tips more than half of the countries, against the mean degree z
    of an Erdos-Renyi graph, and whether z lies in the window where the cascade condition holds."""
    sizing = [f"world.n={countries}"] if countries else []
    threshold = _cascade_threshold(configured("cascade_window"))
    low, high = cascade_window_edges(threshold)
    rows = []
    for z in degrees:
        exp = configured("cascade_window", [*sizing, f"world.mean_degree={z}"])
        adopted = np.array([final_shares(settle(m))[1] for m in models(exp, runs, seed)])
        cascades = adopted > GLOBAL_CASCADE
        rows.append({"mean_degree": z, "runs": runs, "countries": exp.world.n, "threshold": threshold, "level": level,
                     **share_of_runs("global_cascade", int(cascades.sum()), runs, level),
                     "mean_cascade_size": float(adopted[cascades].mean()) if cascades.any() else math.nan,
                     "inside_window": bool(low < z < high)})
    return pd.DataFrame(rows).set_index("mean_degree")


def _cascade_threshold(exp: ExperimentConfig) -> float:
    """phi = adoption cost / network weight: the share of adopting neighbours that makes a pay."""
    d = exp.decision
    spec = exp.standards["a"]
    return d.adoption_cost * (1 - d.openness_discount * spec.openness) / d.network_weight


def cascade_window_figure(table: pd.DataFrame) -> Figure:
    """Share of runs with a global cascade against mean degree, Wilson intervals as bars, and the
    window where Watts's cascade condition holds shaded."""
    fig = Figure(figsize=(7.0, 4.2), dpi=150)
    ax = fig.add_subplot()
    threshold = float(table["threshold"].iloc[0])
    low, high = cascade_window_edges(threshold)
    ax.axvspan(low, high, color="#56B4E9", alpha=0.15, lw=0,
               label=f"cascade condition holds\n({low:.2f} < z < {high:.2f}, Watts 2002)")
    z = table.index.to_numpy(dtype=float)
    p = table["global_cascade"].to_numpy()
    bars = np.clip(np.vstack([p - table["global_cascade_low"].to_numpy(), table["global_cascade_high"].to_numpy() - p]),
                   0.0, None)  # Wilson bounds can miss p = 0 or 1 by a rounding error
    level = float(table["level"].iloc[0])
    ax.errorbar(z, p, yerr=bars, fmt="o-", color="#0072B2", capsize=3, ms=4,
                label=f"runs with a global cascade\n(> {GLOBAL_CASCADE:.0%} adopt; {level:.0%} Wilson interval)")
    ax.plot(z, table["mean_cascade_size"], "s--", color="#D55E00", ms=3, label="mean size of global cascades")
    ax.set_xlabel("mean degree z (Erdos-Renyi graph)")
    ax.set_ylabel("share")
    ax.set_ylim(-0.02, 1.02)
    n, runs = int(table["countries"].iloc[0]), int(table["runs"].iloc[0])
    ax.set_title(f"Cascade window: threshold {threshold:g}, {n} countries, one seed, {runs} runs per z")
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.9), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- command line

DEFAULT_RUNS = {"lock_in": 200, "polya_urn": 300, "risk_dominance": 40, "contagion": 20, "cascade_window": 100}


def run_case(case: str, runs: int | None = None, seed: int = 0, out: Path | None = None) -> pd.DataFrame:
    """Run one case by name, write its table (and the cascade plot) to `out` if given."""
    if case not in CASES:
        raise ValueError(f"unknown case '{case}'; choose one of: {', '.join(CASES)}")
    table = globals()[case](runs=runs or DEFAULT_RUNS[case], seed=seed)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        table.to_csv(out / f"{case}.csv")
        if case == "cascade_window":
            cascade_window_figure(table).savefig(out / "cascade_window.png")
    return table


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The table for the terminal: each statistic with its interval as "value [low, high]"."""
    out = pd.DataFrame(index=table.index)
    for column in table.columns:
        if column.endswith(("_low", "_high")) and column.rsplit("_", 1)[0] in table.columns:
            continue
        values = table[column]
        if f"{column}_low" in table.columns:
            out[column] = [f"{v:.3f} [{lo:.3f}, {hi:.3f}]" for v, lo, hi in
                           zip(values, table[f"{column}_low"], table[f"{column}_high"], strict=True)]
        elif pd.api.types.is_float_dtype(values):
            out[column] = [f"{v:.4g}" for v in values]
        else:
            out[column] = values
    return out


HELP = usage("theory", "CASE [seeds=N] [seed=S] [out=DIR]",
             "Run a theory limit case of the model and print its statistic with intervals (docs/ODD.md 11.1).",
             [("CASE", f"one of {', '.join(CASES)}, or all"),
              ("seeds=N", "runs per setting (default: the case's own, a few minutes each)"),
              ("seed=S", "experiment seed the run seeds are spawned from (default 0)"),
              ("out=DIR", "folder for the tables and the cascade-window plot (default outputs/theory)")],
             ["lock_in", "cascade_window seeds=20", "all out=/tmp/theory"])


def main(argv: list[str] | None = None) -> None:
    parsed = command_options(argv, HELP, {"seeds": "", "seed": "0", "out": "outputs/theory"}, "theory", positional=1)
    if parsed is None:
        return
    options, bare = parsed
    with guard(checking=True):
        if not bare or bare[0] not in (*CASES, "all"):
            raise ConfigError(f"theory: CASE must be one of {', '.join(CASES)} or all, got "
                              f"{bare[0] if bare else 'nothing'}")
        seeds = integer(options, "seeds", 1) if options["seeds"] else None
        seed, out, which = integer(options, "seed", 0), Path(options["out"]), bare[0]
    cases = CASES if which == "all" else (which,)
    print(f"theory {which}: {len(cases)} case(s), {'default' if seeds is None else seeds} runs per setting, "
          f"seed {seed} -> {out}", flush=True)
    with guard():
        for case in cases:
            table = run_case(case, seeds, seed, out)
            title = (globals()[case].__doc__ or "").splitlines()[0]
            print(f"\n== {case}: {title}\n{readable(table).to_string()}")
    print(f"\nIntervals: 95% (Wilson for shares of runs, Student t for means). Tables"
          f"{' and cascade_window.png' if which in ('all', 'cascade_window') else ''} in {out}")


if __name__ == "__main__":
    main()
