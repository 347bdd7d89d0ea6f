"""Benchmark of one model run: median time per run and per agent-step, on demand (not a test).

    .venv/bin/python benchmarks/bench_model.py            # full table (a few minutes)
    .venv/bin/python benchmarks/bench_model.py --quick    # fewer repetitions

Cases: the default world (historical_2021) with random-sequential and simultaneous updates; a dense
synthetic world of 1,000 countries; sparse synthetic worlds of 1,000 and 10,000 countries (mean
degree 20); and the per-agent reference path (`decision.kernel=agents`: each country loops over
its partners in Python, the way a typical Mesa tutorial is written, and gives the same trajectory,
see tests/test_dynamics.py) at 200 and 1,000 countries, timed in the same run as the baseline.
Building the world and the model is excluded; only `model.run()` is timed. The cases are timed in
interleaved rounds (`--rounds`); the table gives the median over all runs, the fastest run, and
each round's median, which shows how steady the machine was.
"""

from __future__ import annotations

import argparse
import math
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
        Case("default world, random-sequential", "historical_2021", [], 60 // r),
        Case("default world, simultaneous", "historical_2021", ["decision.update=simultaneous"], 60 // r),
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


def time_cases(cases: list[Case], rounds: int) -> list[dict]:
    """Time every case in `rounds` interleaved rounds, so that a slow spell of a shared machine
    falls on all cases alike rather than on whichever case ran during it."""
    exps = [to_experiment(compose(case.scenario, case.overrides)) for case in cases]
    for exp in exps:
        model_from(exp, 0).run()  # warm-up: caches, imports, first-touch allocations
    times: list[list[float]] = [[] for _ in cases]
    round_medians: list[list[float]] = [[] for _ in cases]
    for r in range(rounds):
        for c, (case, exp) in enumerate(zip(cases, exps, strict=True)):
            runs = math.ceil(case.repetitions / rounds)
            this_round = []
            for rep in range(runs):
                model = model_from(exp, 1 + r * runs + rep)  # every run its own seed
                start = time.perf_counter()
                model.run()
                this_round.append(time.perf_counter() - start)
            times[c] += this_round
            round_medians[c].append(statistics.median(this_round))
        print(f"  round {r + 1}/{rounds} done", flush=True)
    rows = []
    for case, exp, case_times, medians in zip(cases, exps, times, round_medians, strict=True):
        tracemalloc.start()
        model = model_from(exp, 99)
        model.run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        median = statistics.median(case_times)
        rows.append({"case": case.name, "countries": model.world.n, "months": model.horizon,
                     "runs": len(case_times), "median_s": median, "min_s": min(case_times),
                     "round_medians_s": medians, "per_agent_step_us": 1e6 * median / (model.world.n * model.horizon),
                     "peak_mb": peak / 2**20})
    return rows


def max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all cases (default 3)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{platform.platform()}")
    rows = time_cases(cases(args.quick), args.rounds)
    print(f"\n  {'case':<38} {'countries':>9}  {'median':>9}  {'fastest':>9}  {'per agent-step':>14}  "
          f"{'peak':>8}  runs  round medians (ms)")
    for row in rows:
        spread = " ".join(f"{1000 * m:.1f}" for m in row["round_medians_s"])
        print(f"  {row['case']:<38} {row['countries']:>9}  {1000 * row['median_s']:6.1f} ms  "
              f"{1000 * row['min_s']:6.1f} ms  {row['per_agent_step_us']:11.2f} us  {row['peak_mb']:5.1f} MB  "
              f"{row['runs']:>4}  {spread}")
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
