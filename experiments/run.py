"""Run one configured experiment: `python -m experiments.run scenario=NAME key=value ...`.

Hydra composes configs/config.yaml with the overrides; the run directory (hydra.run.dir) receives
.hydra/ (resolved config and overrides), timeseries.parquet, countries.parquet, summary.json and
the plots. A bad config is reported in one line before any run directory is made. A run that
fails removes what it added to its directory and nothing else (see rundir.py). Under Hydra
multirun (`-m`) every job's config is checked before any job runs, so bad input in one job is one
line naming the job, exit 2, nothing written; a job that fails while running does the same in its
own directory and reports its error in one line; the other jobs still run, and the command exits
non-zero at the end.
"""

from __future__ import annotations

import logging
import sys

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from model.params import ConfigError, add_months

from . import runner
from .cli import INPUT_ERRORS, guard, message
from .config import CONFIG_DIR, ExperimentConfig, compose, normalise_overrides, register_schema, to_experiment
from .output import write_results
from .record import compare, format_table
from .rundir import RunDir, pin, resolve
from .runner import model_from, replication_seeds
from .summary import format_summary
from .workers import check_workers, workers_for

GROUPS = ("world", "standards", "sponsors", "organisations", "decision", "calibration", "scenario", "experiment")


def help_text() -> str:
    """`credential-race run --help`: what run accepts, in the layout every command uses."""
    from .cli import usage

    groups = [(f"{g}=NAME", ", ".join(sorted(p.stem for p in (CONFIG_DIR / g).glob("*.yaml"))))
              for g in GROUPS]
    keys = [("KEY=VALUE", "any key of the config, e.g. decision.privacy_weight=1.5 (units and ranges: "
                          "model/params.py)"),
            ("replications=N seed=S", "runs and the seed their seeds are spawned from (default 20, 0)"),
            ("workers=N", "processes for the replications (at most the cores; oversubscribe=true allows more)"),
            ("plots=false quiet=true", "no PNG plots; no printed summary"),
            ("scenario.events.X.enabled=false", "switch a scenario's event off; +scenario.events.Y={...} adds one"),
            ("hydra.run.dir=DIR", "where to write (default outputs/<scenario>/<date_time>)"),
            ("--cfg job", "print the resolved config and run nothing"),
            ("-m KEY=A,B", "Hydra multirun: one run per value (hydra/launcher=joblib for processes)")]
    return usage("run", "[GROUP=NAME ...] [KEY=VALUE ...]",
                 "Run replications of a scenario and write timeseries.parquet, countries.parquet, deals.parquet,\n"
                 "events.csv, summary.json and plots into the run directory; print the summary.",
                 [*groups, *keys],
                 ["scenario=who_endorses_china replications=50 seed=7", "experiment=historical_validation",
                  "scenario=china_route decision.privacy_weight=2 workers=2"])

MULTIRUN_FLAGS = ("-m", "--multirun")
# the options Hydra's own parser takes (hydra/_internal/utils.py get_args_parser); the rest is refused in one line
HYDRA_FLAGS = ("-h", "--help", "--hydra-help", "--version", "-c", "--cfg", "--resolve", "-p", "--package", "-r",
               "--run", "-m", "--multirun", "-sc", "--shell-completion", "-cp", "--config-path", "-cn",
               "--config-name", "-cd", "--config-dir", "--experimental-rerun", "-i", "--info")
_run_dir: RunDir | None = None  # the record of a plain run's directory, while main() runs it


class JobFailed(Exception):
    """A multirun job failed: Hydra goes on with the other jobs and reports this one at the end."""


def check(overrides: list[str]) -> ExperimentConfig:
    """Compose, validate and build one model from the overrides; raise on any bad input."""
    exp = to_experiment(compose(None, overrides))
    model_from(exp, replication_seeds(exp.seed, 1)[0])
    bounded(exp)
    return exp


def jobs_of(overrides: list[str]) -> list[list[str]]:
    """The jobs a multirun will launch: Hydra's basic sweeper expands each `KEY=A,B` into one job per
    value (the product over keys); HydraException on a malformed sweep."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    own = [o for o in overrides if not o.lstrip("+~").startswith("hydra")]
    parsed = OverridesParser.create().parse_overrides(own)
    return [job for batch in BasicSweeper.split_arguments(parsed, None) for job in batch]


def check_jobs(overrides: list[str]) -> None:
    """Check every job of a multirun before any runs: bad input in one job stops them all, in one line
    that names the job."""
    jobs = jobs_of(overrides)
    for k, job in enumerate(jobs):
        try:
            check(job)
        except (*INPUT_ERRORS, OSError) as err:
            if len(jobs) == 1:
                raise
            raise ConfigError(f"multirun job {k} of {len(jobs)} ({' '.join(job)}): {message(err)}") from None


def bounded(exp: ExperimentConfig) -> ExperimentConfig:
    """Refuse more workers than cores (unless the config allows it); never more workers than replications."""
    check_workers(exp.workers, "workers", allow=exp.oversubscribe, flag="oversubscribe=true")
    exp.workers = workers_for(exp.workers, exp.replications)  # workers >= 1 is checked with the config
    return exp


@hydra.main(version_base=None, config_path=str(CONFIG_DIR), config_name="config")
def _hydra_main(cfg: DictConfig) -> float:
    out_dir = HydraConfig.get().runtime.output_dir
    multirun = HydraConfig.get().mode == RunMode.MULTIRUN
    record = _run_dir if not multirun else RunDir.from_environment()
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    # an exception, not an exit, in a multirun job: the other jobs go on
    with guard(raise_as=JobFailed if multirun else None, interrupted="interrupted: the run directory is as it was"):
        try:
            exp = bounded(to_experiment(cfg))
            if not exp.quiet:
                sc = exp.scenario
                last = add_months(sc.start, sc.horizon - 1)
                print(f"{sc.name}: {exp.replications} replications of {sc.horizon} months ({sc.start} to {last}) on "
                      f"{exp.workers} worker{'s' if exp.workers > 1 else ''} -> {out_dir}", flush=True)
            results = runner.run_experiment(config=exp, progress=not exp.quiet and sys.stderr.isatty())
            write_results(results, out_dir)
        except BaseException:  # leave the directory as it was before the run
            if record is not None:
                record.undo(out_dir)
            raise
    if record is not None:
        record.committed = True
    if not exp.quiet:
        print(format_summary(results.summary, out_dir))
        if exp.analysis == "record" or exp.scenario.name == "historical_2021":  # calibrated to the record
            print("\nAgainst the public record (adopters; experiments/record.py):")
            print(format_table(compare(results.timeseries)))
    return 1.0 - results.summary["fragmented_probability"]


def main(argv: list[str] | None = None) -> None:
    global _run_dir
    argv = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help") for a in argv):
        print(help_text())
        return
    register_schema()
    unknown = [a for a in argv if a.startswith("-") and a.split("=")[0] not in HYDRA_FLAGS]
    if unknown:
        print(f"error: {unknown[0]}: unknown option; run takes KEY=VALUE overrides, -m/--multirun, --cfg job, "
              "--info and --help (credential-race run --help)", file=sys.stderr)
        sys.exit(2)
    flags = {a for a in argv if a.startswith("-")}
    multirun = bool(flags) and flags <= set(MULTIRUN_FLAGS)
    record, published = None, None
    if not flags or multirun:  # check, then make the run directory ourselves, before Hydra does
        overrides = [a for a in argv if a not in MULTIRUN_FLAGS]
        with guard(checking=True):
            if multirun:
                check_jobs(overrides)
            else:
                check(overrides)
            key, directory = resolve(overrides, multirun)
            record = RunDir.prepare(directory, key)
        argv = [*(a for a in argv if a in MULTIRUN_FLAGS), *pin(overrides, key, directory)]
        if multirun:
            published = record.publish()
    sys.argv = [sys.argv[0], *normalise_overrides(argv)]
    _run_dir = None if multirun else record
    try:
        with guard():
            _hydra_main()
    except BaseException:
        if record is not None and not multirun:  # Hydra's own failures too (before or after the job)
            record.undo()
        elif record is not None:
            record.tidy()  # a multirun that stopped before its jobs wrote anything
        raise
    finally:
        _run_dir = None
        RunDir.withdraw(published)


if __name__ == "__main__":
    main()
