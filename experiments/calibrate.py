"""Calibrate the historical scenario's few free parameters against the public record.

Procedure: a grid over the decision parameters that no data source pins down (adoption cost,
revision rate, network weight), each point run for R replications of `historical_2021` with seeds
spawned from the experiment seed; each point is scored by `experiments.record.loss`, the mean squared
relative error of the median adopters against every recorded count (EU DCC at five dates, China's
certificate, SMART Health Cards, DIVOC and VDS-NC). The best `--refine` points are then scored again
with `--refine-replications` replications, and the final ranking uses that score. No per-country
term is fitted.

    .venv/bin/python -m experiments.calibrate                      # default grid, 10 replications
    .venv/bin/python -m experiments.calibrate --replications 20 --grid decision.adoption_cost=3,4,5

Writes calibration.csv (one row per point, best first) into --out and prints the best points.
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .cli import guard
from .config import compose, to_experiment
from .record import RECORD, loss
from .runner import model_from, replication_seeds

DEFAULT_GRID = {
    "decision.adoption_cost": [4.0, 4.5, 5.0, 5.5],
    "decision.revision_rate": [0.05, 0.08, 0.12],
    "decision.network_weight": [4.0, 4.5, 5.0],
    "sponsors.eu.deals_per_month": [3, 5],
}


def record_counts(overrides: list[str], seeds: list[int]) -> np.ndarray:
    """Adopters at each recorded (standard, month), one row per seed."""
    exp = to_experiment(compose("historical_2021", overrides))
    rows = []
    for seed in seeds:
        model = model_from(exp, seed).run()
        rows.append([model.history.adopters[_step(model, fact.month), model.index_of[fact.standard]]
                     for fact in RECORD])
    return np.array(rows)


def _step(model, month: str) -> int:
    from model.params import months_between

    return months_between(model.params.scenario.start, month)


def score(overrides: list[str], seeds: list[int]) -> dict:
    counts = record_counts(overrides, seeds)
    table = pd.DataFrame({"record": [f.adopters for f in RECORD], "model_median": np.median(counts, axis=0)})
    row = {"loss": loss(table)}
    row.update({f"{f.standard}@{f.month}": m for f, m in zip(RECORD, table["model_median"], strict=True)})
    return row


def calibrate(grid: dict[str, list[float]], replications: int, seed: int, workers: int) -> pd.DataFrame:
    """Score every grid point; the same seeds at every point (common random numbers)."""
    from joblib import Parallel, delayed

    keys = list(grid)
    points = [dict(zip(keys, values, strict=True)) for values in itertools.product(*grid.values())]
    seeds = replication_seeds(seed, replications)
    jobs = ([f"{k}={v}" for k, v in p.items()] for p in points)
    scores = Parallel(n_jobs=workers)(delayed(score)(overrides, seeds) for overrides in jobs)
    table = pd.DataFrame([{**p, **s} for p, s in zip(points, scores, strict=True)])
    return table.sort_values("loss", kind="stable", ignore_index=True)


def refine(table: pd.DataFrame, grid: dict[str, list], top: int, replications: int, seed: int,
           workers: int) -> pd.DataFrame:
    """Score the `top` best points again with more replications; rank by the refined loss."""
    from joblib import Parallel, delayed

    best = table.head(top)
    seeds = replication_seeds(seed, replications)
    keys = list(grid)
    kinds = {k: type(grid[k][0]) for k in keys}  # pandas turns int columns to float; undo that
    assert all(isinstance(v, kinds[k]) for k in keys for v in grid[k]), "one type per grid axis"
    jobs = ([f"{k}={kinds[k](row[k])}" for k in keys] for _, row in best.iterrows())
    scores = Parallel(n_jobs=workers)(delayed(score)(overrides, seeds) for overrides in jobs)
    refined = pd.DataFrame([{**{k: row[k] for k in keys}, "grid_loss": row["loss"], **s}
                            for (_, row), s in zip(best.iterrows(), scores, strict=True)])
    return refined.sort_values("loss", kind="stable", ignore_index=True)


def parse_grid(items: list[str]) -> dict[str, list[float]]:
    grid = dict(DEFAULT_GRID)
    for item in items:
        key, _, values = item.partition("=")
        raw = [v for v in values.split(",") if v]
        try:  # an axis of whole numbers stays int (counts such as deals_per_month); otherwise float
            grid[key] = [int(v) for v in raw] if all(v.lstrip("-").isdigit() for v in raw) else [float(v) for v in raw]
        except ValueError:
            raise SystemExit(f"error: --grid {item}: values must be numbers separated by commas") from None
        if not grid[key]:
            raise SystemExit(f"error: --grid {item}: give at least one value, e.g. {key}=1,2,3")
    return grid


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=-1, help="processes (-1 = all cores)")
    parser.add_argument("--grid", nargs="*", default=[], metavar="KEY=V1,V2", help="replace one grid axis")
    parser.add_argument("--refine", type=int, default=5, help="best points scored again")
    parser.add_argument("--refine-replications", type=int, default=40)
    parser.add_argument("--out", default="outputs/calibration")
    args = parser.parse_args(argv)
    grid = parse_grid(args.grid)
    with guard(checking=True):
        to_experiment(compose("historical_2021", [f"{k}={v[0]}" for k, v in grid.items()]))
    start = time.perf_counter()
    table = calibrate(grid, args.replications, args.seed, args.workers)
    refined = refine(table, grid, args.refine, args.refine_replications, args.seed + 1, args.workers)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "calibration.csv", index=False)
    refined.to_csv(out / "calibration_refined.csv", index=False)
    print(f"{len(table)} points x {args.replications} replications, then the best {len(refined)} x "
          f"{args.refine_replications}, in {time.perf_counter() - start:.0f} s; best first:")
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(refined.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"written: {out / 'calibration.csv'}, {out / 'calibration_refined.csv'}")


if __name__ == "__main__":
    main()
