"""Sweep throughput on the default world (historical_2021, 200 countries, 36 months): runs per
second for 1 and 2 worker processes, the speed-up, and the time a 10,000-run sweep takes.

    .venv/bin/python benchmarks/sweep_bench.py                # 1440 runs per case, about 3 min
    .venv/bin/python benchmarks/sweep_bench.py --repeats 3    # fastest of 3, on a busy machine
    .venv/bin/python benchmarks/sweep_bench.py --full         # also a real 10,000-run sweep (~4 min more)
    .venv/bin/python benchmarks/sweep_bench.py --only-full    # just the 10,000-run sweep

Each measurement is a whole `run_sweep` of the `default` sweep config (grid over network weight and
adoption cost) into a fresh temporary folder, plots off, with cold worker processes: worker
start-up (about 2 s: imports and the world), batching, chunk writes and the final tables are all
included, as in a command. Not a test: the figures depend on the machine, and on what else runs on
it; each line says how much of the CPU other processes took meanwhile.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from joblib.externals.loky import get_reusable_executor

from experiments.runner import model_from
from experiments.sweeps import load_sweep, run_sweep
from experiments.sweeps.executors import cores

TARGET_SPEEDUP = 1.7
TARGET_10K_MINUTES = 10.0


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy (all processes, all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_seconds(pid: int | None = None) -> float:
    """CPU time of this process and every live descendant (worker processes included)."""
    pid = pid or os.getpid()
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = " ".join(p.read_text() for p in Path(f"/proc/{pid}/task").glob("*/children")).split()
    except OSError:  # the process ended meanwhile
        return 0.0
    mine = sum(int(v) for v in stat[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
    return mine + sum(own_seconds(int(c)) for c in children)


def bare_run_seconds(n: int = 20) -> float:
    """Mean wall time of one model run in this process, without any sweep machinery."""
    sweep = load_sweep(["sweep=default"])
    model_from(sweep.base, 0).run()  # builds and caches the world
    start = time.perf_counter()
    for seed in range(1, n + 1):
        model_from(sweep.base, seed).run().outcome()
    return (time.perf_counter() - start) / n


def timed_sweep(executor: str, workers: int, replications: int, folder: Path) -> tuple[int, float, float]:
    """Runs, wall seconds, and the share of the machine's CPU that other processes took meanwhile."""
    sweep = load_sweep(["sweep=default", f"sweep.replications={replications}", f"sweep.executor={executor}",
                        f"sweep.workers={workers}", f"sweep.output={folder}", "sweep.plots=false",
                        "sweep.progress=false"])
    get_reusable_executor().shutdown(wait=True)  # cold workers, as in a fresh command
    busy, own, start = busy_seconds(), own_seconds(), time.perf_counter()
    results = run_sweep(sweep)
    seconds = time.perf_counter() - start
    others = (busy_seconds() - busy) - (own_seconds() - own)
    assert results.failures == 0
    return len(results.runs), seconds, max(0.0, others) / (seconds * cores())


BUSY = 0.10  # a measurement during which other processes took more of the CPU is set aside


def fastest(measured: list[tuple[float, float]]) -> float:
    """The shortest time among measurements on a quiet machine, else among all."""
    quiet = [seconds for seconds, others in measured if others < BUSY]
    return min(quiet or [seconds for seconds, _ in measured])


CASES = (("sequential (this process)", "sequential", 1), ("processes, 1 worker", "processes", 1),
         ("processes, 2 workers", "processes", 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=40, help="per point of the 36-point grid (default 40)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="measure each case this many times, interleaved, and keep the fastest (default 1); "
                             "filters out other work on a shared machine")
    parser.add_argument("--full", action="store_true", help="also time a real 10,000-run sweep on 2 workers")
    parser.add_argument("--only-full", action="store_true", help="time only the 10,000-run sweep")
    args = parser.parse_args()

    print(f"Machine: {cpu_name()}, {cores()} cores usable, Python {platform.python_version()}; "
          f"load average before: {os.getloadavg()[0]:.2f} (other work on the machine slows every figure)")
    bare = bare_run_seconds()
    print(f"One model run in this process, no sweep machinery: {bare * 1000:.0f} ms ({1 / bare:.1f} runs/s)\n")
    times: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in CASES}  # (seconds, others)
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(0 if args.only_full else args.repeats):
            for label, executor, workers in CASES:
                folder = Path(tmp) / f"{executor}-{workers}-{repeat}"
                runs, seconds, others = timed_sweep(executor, workers, args.replications, folder)
                times[label].append((seconds, others))
                print(f"{label:<26} {runs:>6} runs {seconds:>7.1f} s {runs / seconds:>7.1f} runs/s   "
                      f"(other processes took {others:.0%} of the CPU meanwhile)")
        if args.only_full:
            full_sweep(Path(tmp))
            return
        rate = {label: runs / fastest(t) for label, t in times.items()}
        noisy = [label for label, t in times.items() if all(others >= BUSY for _, others in t)]
        if noisy:
            print(f"\nNo quiet measurement of: {', '.join(noisy)}; the figures below are not reliable "
                  "(run again when the machine is idle, or with more --repeats)")
        print(f"\nFastest of {args.repeats} (measurements with other processes under {BUSY:.0%} of the CPU, when "
              "there are any): " + "; ".join(f"{label} {r:.1f} runs/s" for label, r in rate.items()))
        speedup = rate["processes, 2 workers"] / rate["processes, 1 worker"]
        minutes = 10_000 / rate["processes, 2 workers"] / 60
        print(f"Speed-up, 2 workers over 1: {speedup:.2f}x (target >= {TARGET_SPEEDUP}x)")
        print(f"10,000 runs on 2 workers, extrapolated: {minutes:.1f} min (target <= {TARGET_10K_MINUTES:g} min)")
        print(f"Load average after: {os.getloadavg()[0]:.2f}")
        if args.full:
            full_sweep(Path(tmp))


def full_sweep(tmp: Path) -> None:
    replications = -(-10_000 // 36)  # 36 points x 278 = 10,008 runs
    runs, seconds, others = timed_sweep("processes", 2, replications, tmp / "full")
    print(f"10,000 runs on 2 workers, measured: {runs} runs in {seconds / 60:.1f} min "
          f"({runs / seconds:.1f} runs/s; other processes took {others:.0%} of the CPU meanwhile)")


if __name__ == "__main__":
    main()
