"""Calibrate the historical scenario against the public record by approximate Bayesian computation.

Procedure (docs/ODD.md 9): the free parameters that no source pins down get uniform priors over
their documented plausible ranges (configs/sweep/calibration.yaml). A Latin hypercube of draws
from the priors is run once each on `historical_2021` with its seed, and each run is scored by its
distance to the record (`experiments.record.loss`: the mean squared relative error of the run's
counts against every recorded count). The draws closest to the record (the `accept` share) are the
accepted parameter sets: an approximate posterior sample (rejection ABC; Pritchard et al. 1999,
Beaumont et al. 2002). They are written to model/data/calibration_ensemble.csv, which
`calibration=ensemble` draws from, one set per replication; the point values
(configs/calibration/point.yaml) are the posterior medians. No per-country term is fitted.

    .venv/bin/python -m experiments.calibrate                     # the configured draws, then acceptance
    .venv/bin/python -m experiments.calibrate sweep.samples=2000 accept=0.05 write=true
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .outcomes import parse_all, read_all
from .record import RECORD

ENSEMBLE = Path(__file__).resolve().parents[1] / "model" / "data" / "calibration_ensemble.csv"
POINT = Path(__file__).resolve().parents[1] / "configs" / "calibration" / "point.yaml"


def record_outcomes() -> list[str]:
    """The declared outcomes the record is compared on: one per recorded count."""
    return [f"adopters.{f.standard}@{f.month}" for f in RECORD]


def distance(counts: pd.DataFrame) -> np.ndarray:
    """Each run's loss against the record (rows: runs; columns: record_outcomes())."""
    record = np.array([f.adopters for f in RECORD], dtype=float)
    scale = np.maximum(record, 5.0)
    model = counts[record_outcomes()].to_numpy(dtype=float)
    return (((model - record) / scale) ** 2).mean(axis=1)


def accept(runs: pd.DataFrame, keys: list[str], share: float) -> pd.DataFrame:
    """The accepted parameter sets: the `share` of runs closest to the record, best first."""
    if not 0 < share <= 1:
        raise ValueError(f"accept = {share}: must be in (0, 1]")
    scored = runs.assign(distance=distance(runs))
    kept = scored.nsmallest(max(1, int(round(share * len(scored)))), "distance", keep="first")
    return kept[[*keys, "distance"]].reset_index(drop=True)


def posterior_table(ensemble: pd.DataFrame, priors: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Per parameter: prior range, posterior median and 5-95% interval, and how much the data narrowed it."""
    rows = []
    for key, (low, high) in priors.items():
        values = ensemble[key].astype(float)
        q05, q50, q95 = values.quantile([0.05, 0.5, 0.95])
        rows.append({"parameter": key, "prior_low": low, "prior_high": high, "median": q50, "p05": q05, "p95": q95,
                     "narrowed": 1 - (q95 - q05) / (0.9 * (high - low))})
    return pd.DataFrame(rows)


def run_draws(sweep, workers: int) -> pd.DataFrame:
    """Run every draw of the calibration design once (its sweep seed) and read the record outcomes."""
    from joblib import Parallel, delayed

    from .sweeps.design import make_design, run_list

    design = make_design(sweep.spec, sweep.kinds)
    tasks = run_list(design, sweep.spec)
    chunks = [tasks[i:i + 50] for i in range(0, len(tasks), 50)]
    rows = Parallel(n_jobs=workers)(delayed(_run_chunk)(sweep.base, chunk) for chunk in chunks)
    return pd.DataFrame([r for chunk in rows for r in chunk])


def _run_chunk(base, tasks) -> list[dict]:
    import logging

    from .factory import model_from, with_values
    from .runner import record_of

    logging.getLogger("MESA").setLevel(logging.WARNING)
    out = []
    for point, replication, seed, values in tasks:
        exp = with_values(base, values)
        model = model_from(exp, seed, keep=values)
        wanted = parse_all(record_outcomes(), model.params)
        out.append({"point": point, "seed": seed, **values,
                    **read_all(wanted, record_of(model.run(), replication, seed), model.params)})
    return out


def main(argv: list[str] | None = None) -> None:
    from .cli import guard
    from .sweeps.compose import load_sweep

    argv = list(sys.argv[1:] if argv is None else argv)
    options = {"accept": "0.02", "write": "false", "workers": "-1", "out": "outputs/calibration"}
    rest = []
    for a in argv:
        key, sep, value = a.partition("=")
        if sep and key in options:
            options[key] = value
        else:
            rest.append(a)
    with guard(checking=True):
        share = float(options["accept"])
        sweep = load_sweep(["sweep=calibration", *rest])
        priors = {k: (p.low, p.high) for k, p in sweep.spec.parameters.items()}
        start = time.perf_counter()
        runs = run_draws(sweep, int(options["workers"]))
        ensemble = accept(runs, list(priors), share)
        table = posterior_table(ensemble, priors)
        print(f"{len(runs)} draws from the priors, {len(ensemble)} accepted (the closest {share:.0%}) in "
              f"{time.perf_counter() - start:.0f} s; distance {ensemble['distance'].min():.4f} to "
              f"{ensemble['distance'].max():.4f}")
        with pd.option_context("display.width", 200):
            print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        runs.assign(distance=distance(runs)).to_parquet(out / "draws.parquet", index=False)
        table.to_csv(out / "posterior.csv", index=False)
        print(f"draws and posterior summary: {out}")
        if options["write"] == "true":
            ensemble.to_csv(ENSEMBLE, index=False, float_format="%.6g")
            print(f"written: {ENSEMBLE}")


if __name__ == "__main__":
    main()
