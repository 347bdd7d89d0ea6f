"""Instructions per model run, counted by valgrind: a measure of the kernel's cost that a shared
machine's speed drifts do not move (wall-clock time on the benchmark machine drifts by up to 2x).

    .venv/bin/python benchmarks/instructions.py                                   # simultaneous, default world
    .venv/bin/python benchmarks/instructions.py --runs 5 decision.update=random_sequential

It runs the same script twice under `valgrind --tool=cachegrind --cache-sim=no`: once building the
models and running none, once building them and running `--runs` of them; the difference divided by
the runs is the instructions of one `model.run()`. Each valgrind pass takes about a minute. Counts
still vary by a few percent between passes (memory layout), so compare differences of 10% or more.
Needs valgrind (`apt-get install valgrind`); not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

CHILD = """
import sys
from experiments import to_experiment
from experiments.config import compose
from experiments.runner import model_from
runs, total = int(sys.argv[1]), int(sys.argv[2])
exp = to_experiment(compose("historical_2021", sys.argv[3:]))
models = [model_from(exp, seed + 1) for seed in range(total)]
for model in models[:runs]:
    model.run()
"""


def instructions(runs: int, total: int, overrides: list[str]) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           sys.executable, "-c", CHILD, str(runs), str(total), *overrides],
                          capture_output=True, text=True, env=env, check=True)
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if match is None:
        raise SystemExit(f"error: no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs counted (default 5)")
    parser.add_argument("overrides", nargs="*", default=["decision.update=simultaneous"],
                        help="config overrides on historical_2021 (default: decision.update=simultaneous)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("error: valgrind is not installed (apt-get install valgrind)")
    base = instructions(0, args.runs, args.overrides)
    full = instructions(args.runs, args.runs, args.overrides)
    print(f"historical_2021 {' '.join(args.overrides)}: {(full - base) / args.runs / 1e6:.1f} million "
          f"instructions per run ({args.runs} runs)")


if __name__ == "__main__":
    main()
