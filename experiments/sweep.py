"""Run a parameter sweep: `python -m experiments.sweep sweep=NAME [sweep.KEY=VALUE ...] [KEY=VALUE ...]`.

`sweep=NAME` picks configs/sweep/NAME.yaml; `sweep.KEY=VALUE` changes one of its keys; any other
override changes the experiment the sweep starts from (`scenario=who_endorses_china`). Results go
to sweep.output (default sweeps/NAME); running the same command again resumes an unfinished sweep.

Exit status: 0 when every run finished, 1 when some runs failed (they are rows with status
"failed") or the sweep stopped on an error, 2 for a bad config (nothing written), 130 on Ctrl-C.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .cli import guard
from .config import CONFIG_DIR


def usage() -> str:
    from .cli import usage as layout

    names = sorted(p.stem for p in (CONFIG_DIR / "sweep").glob("*.yaml"))
    return layout("sweep", "[sweep=NAME] [sweep.KEY=VALUE ...] [KEY=VALUE ...] [--cfg]",
                  "Run a parameter sweep into a resumable results folder (design.parquet, runs.parquet,\n"
                  "points.parquet, plots/); every key is described in experiments/sweeps/spec.py and docs/sweeps.md.",
                  [("sweep=NAME", f"a named sweep from configs/sweep/: {', '.join(names)}"),
                   ("sweep.KEY=VALUE", "change the sweep, e.g. sweep.replications=20 sweep.executor=dask "
                                       "sweep.workers=2 sweep.output=DIR sweep.design=lhs sweep.samples=128"),
                   ("sweep.outcomes=[...]", "the declared outcomes to keep (default all; experiments/outcomes.py)"),
                   ("KEY=VALUE", "change the base experiment, e.g. scenario=who_endorses_china world.n=50"),
                   ("--cfg", "print the resolved sweep and base experiment and the design size; run nothing")],
                  ["sweep=privacy_vs_deals sweep.replications=20 scenario=who_endorses_china",
                   "sweep=smoke sweep.executor=sequential"])


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        print(usage())
        return
    show_config = "--cfg" in argv
    argv = [a for a in argv if a != "--cfg"]
    flags = [a for a in argv if a.startswith("-") and not a.startswith("~")]
    if flags:
        print(f"error: unknown option {flags[0]}; options are --cfg and --help", file=sys.stderr)
        sys.exit(2)

    from .sweeps.compose import load_sweep
    from .sweeps.design import make_design

    with guard(checking=True):  # a bad config is reported in one line, before anything is written
        sweep = load_sweep(argv)
        if show_config:
            design = make_design(sweep.spec, sweep.kinds)
            print(sweep.resolved_yaml())
            print(f"# {len(design)} points x {sweep.spec.replications} replications = "
                  f"{len(design) * sweep.spec.replications} runs -> {sweep.folder}")
            return
    _run(sweep, argv)


def _run(sweep, argv: list[str]) -> None:
    from .sweeps.report import format_report
    from .sweeps.runner import run_sweep

    def interrupted() -> str:
        if (Path(sweep.folder) / "manifest.json").is_file():
            return f"interrupted: finished runs are kept in {sweep.folder}; run the same command to resume"
        return "interrupted before any run was written"

    command = " ".join(["python -m experiments.sweep", *argv])
    from .sweeps.spec import design_points

    points = design_points(sweep.spec)
    print(f"sweep {sweep.spec.name}: {points} points x {sweep.spec.replications} replications = "
          f"{points * sweep.spec.replications} runs ({sweep.spec.executor}) -> {sweep.folder}", flush=True)
    # a bad folder, first point or Dask address: exit 2, nothing written; a stopped executor: exit 1
    with guard(interrupted=interrupted):
        results = run_sweep(sweep, command=command)
    print(format_report(sweep, results))
    if results.failures:
        print(f"error: {results.failures} of {len(results.runs)} runs failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
