"""Benchmark of one model run: median time per run and per agent-step, on demand (not a test).

    .venv/bin/python benchmarks/bench_model.py            # full table (a few minutes)
    .venv/bin/python benchmarks/bench_model.py --quick    # fewer repetitions

Cases: the default world (historical_2021) with random-sequential and simultaneous updates; a dense
synthetic world of 1,000 countries; sparse synthetic worlds of 1,000 and 10,000 countries (mean
degree 20); and the per-agent reference path (`decision.kernel=agents`: each country loops over
its partners in Python, the way a typical Mesa tutorial is written, and gives the same trajectory,
see tests/test_dynamics.py) at 200 and 1,000 countries, timed in the same run as the baseline.
Building the world and the model is excluded; only `model.run()` is timed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass

from experiments import to_experiment
from experiments.config import compose
from experiments.runner import model_from

SYNTHETIC = ["scenario=symmetric_lock_in", "scenario.horizon=36"]


@dataclass
class Case:
    name: str
    scenario: str | None
    overrides: list[str]
    repetitions: int


def cases(quick: bool) -> list[Case]:
    r = 3 if quick else 1
    return [
        Case("default world, random-sequential", "historical_2021", [], 30 // r),
        Case("default world, simultaneous", "historical_2021", ["decision.update=simultaneous"], 30 // r),
        Case("dense 1,000 (complete graph)", None,
             [*SYNTHETIC, "world=complete", "world.n=1000", "world.sparse=false"], 9 // r),
        Case("sparse 1,000 (ER, degree 20)", None,
             [*SYNTHETIC, "world=random_graph", "world.n=1000", "world.mean_degree=20"], 9 // r),
        Case("sparse 10,000 (ER, degree 20)", None,
             [*SYNTHETIC, "world=random_graph", "world.n=10000", "world.mean_degree=20"], 5 // r + 1),
        Case("reference per-agent, default world", "historical_2021", ["decision.kernel=agents"], 5 // r + 1),
        Case("reference per-agent, dense 1,000", None,
             [*SYNTHETIC, "world=complete", "world.n=1000", "world.sparse=false", "decision.kernel=agents"], 2),
    ]


def time_case(case: Case) -> dict:
    exp = to_experiment(compose(case.scenario, case.overrides))
    warm = model_from(exp, 0)
    warm.run()  # warm-up: caches, imports, first-touch allocations
    times = []
    for rep in range(case.repetitions):
        model = model_from(exp, rep + 1)
        start = time.perf_counter()
        model.run()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    model = model_from(exp, 99)
    model.run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(times)
    agent_steps = model.world.n * model.horizon
    return {"case": case.name, "countries": model.world.n, "months": model.horizon, "runs": len(times),
            "median_s": median, "per_agent_step_us": 1e6 * median / agent_steps,
            "peak_mb": peak / 2**20}


def max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{platform.platform()}")
    rows = []
    for case in cases(args.quick):
        row = time_case(case)
        rows.append(row)
        print(f"  {row['case']:<38} {row['countries']:>6} countries  median {1000 * row['median_s']:9.1f} ms/run"
              f"  {row['per_agent_step_us']:8.2f} us/agent-step  peak {row['peak_mb']:6.1f} MB  "
              f"({row['runs']} runs)", flush=True)
    by = {r["case"]: r for r in rows}
    ratio_200 = by["reference per-agent, default world"]["median_s"] / by["default world, random-sequential"][
        "median_s"]
    ratio_1000 = by["reference per-agent, dense 1,000"]["median_s"] / by["dense 1,000 (complete graph)"]["median_s"]
    scaling = by["sparse 10,000 (ER, degree 20)"]["median_s"] / by["sparse 1,000 (ER, degree 20)"]["median_s"]
    print("\nratios")
    print(f"  reference / vectorised, default world (random-sequential): {ratio_200:6.1f}x")
    print(f"  reference / vectorised, dense 1,000:                       {ratio_1000:6.1f}x  (target >= 25x)")
    print(f"  sparse 10,000 / sparse 1,000 time:                         {scaling:6.1f}x  (target <= 12x)")
    print(f"  process peak RSS (all cases, imports included):           {max_rss_mb():6.0f} MB")


if __name__ == "__main__":
    main()
