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

The draws run as the sweep configs/sweep/calibration.yaml (resumable, in outputs/calibration/draws).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .record import RECORD

ENSEMBLE = Path(__file__).resolve().parents[1] / "model" / "data" / "calibration_ensemble.csv"


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


def main(argv: list[str] | None = None) -> None:
    from model.params import ConfigError

    from .cli import RunFailed, guard, usage
    from .sweeps import load_sweep, run_sweep

    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        print(usage("calibrate", "[accept=SHARE] [write=true] [sweep.KEY=VALUE ...]",
                    "Calibrate historical_2021 against the public record by rejection ABC: draws from the priors\n"
                    "(configs/sweep/calibration.yaml) run once each in a resumable sweep, the closest kept.",
                    [("accept=SHARE", "share of the draws kept as the ensemble (default 0.02)"),
                     ("write=true", "write the ensemble to model/data/calibration_ensemble.csv"),
                     ("sweep.KEY=VALUE", "change the design, e.g. sweep.samples=2000 sweep.output=DIR")],
                    ["", "sweep.samples=1000 accept=0.05", "write=true"]))
        return
    options = {"accept": "0.02", "write": "false"}
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
        if set(sweep.spec.outcomes) != set(record_outcomes()):
            raise ConfigError(f"sweep.outcomes: the calibration reads exactly the recorded counts: {record_outcomes()}")
        print(f"calibrate: {sweep.spec.samples} draws from the priors, each run once on historical_2021, the closest "
              f"{share:.0%} kept -> {sweep.folder}", flush=True)
        start = time.perf_counter()
        results = run_sweep(sweep, command=" ".join(["python -m experiments.calibrate", *argv]))
        runs = results.runs[results.runs["status"] == "ok"]
        if results.failures:
            raise RunFailed(f"{results.failures} calibration runs failed; see {results.folder}/runs.parquet")
        ensemble = accept(runs, list(priors), share)
        table = posterior_table(ensemble, priors)
        print(f"{len(runs)} draws from the priors, {len(ensemble)} accepted (the closest {share:.0%}) in "
              f"{time.perf_counter() - start:.0f} s; distance {ensemble['distance'].min():.4f} to "
              f"{ensemble['distance'].max():.4f}")
        with pd.option_context("display.width", 200):
            print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        table.to_csv(Path(results.folder) / "posterior.csv", index=False)
        print(f"draws: {results.folder}/runs.parquet; posterior summary: {results.folder}/posterior.csv")
        if options["write"] == "true":
            ensemble.to_csv(ENSEMBLE, index=False, float_format="%.6g")
            print(f"written: {ENSEMBLE}")


if __name__ == "__main__":
    main()
