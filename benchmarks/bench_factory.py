"""Benchmark of the model factory (experiments/factory.py): the cost of going from parameters to a
ready model, against the cost of running it. On demand, not a test.

    .venv/bin/python benchmarks/bench_factory.py [--runs 60] [--scenario historical_2021]

Per run: `config` copies the composed scenario and sets one dotted key (checked), `build` draws the
calibrated parameter set and constructs the CredentialModel, `run` simulates the horizon. The
issue's target: config + build at most 20% of run. Hydra's own compose, which the factory does once,
is timed for comparison.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

from experiments.config import compose, to_experiment
from experiments.factory import factory, model_from
from experiments.runner import replication_seeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--scenario", default="historical_2021")
    args = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    t = time.perf_counter()
    to_experiment(compose(args.scenario))
    hydra_ms = (time.perf_counter() - t) * 1000
    make = factory(args.scenario)
    config, build, run = [], [], []
    for i, seed in enumerate(replication_seeds(0, args.runs)):
        values = {"decision.rationality": 2.0 + (i % 5)}
        t0 = time.perf_counter()
        exp = make.config(values)
        t1 = time.perf_counter()
        model = model_from(exp, seed, keep=values)
        t2 = time.perf_counter()
        model.run()
        t3 = time.perf_counter()
        config.append(t1 - t0)
        build.append(t2 - t1)
        run.append(t3 - t2)
    med = {k: statistics.median(v) * 1000 for k, v in (("config", config), ("build", build), ("run", run))}
    share = (med["config"] + med["build"]) / med["run"]
    print(f"{args.scenario}, {args.runs} runs (medians): config {med['config']:.2f} ms, build {med['build']:.2f} ms, "
          f"run {med['run']:.1f} ms; overhead {share:.0%} of the run (target <= 20%); a Hydra compose "
          f"{hydra_ms:.0f} ms")


if __name__ == "__main__":
    main()
