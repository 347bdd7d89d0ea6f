"""Run one configured experiment: `python -m experiments.run scenario=NAME key=value ...`.

Hydra composes configs/config.yaml with the overrides; the run directory (hydra.run.dir) receives
.hydra/ (resolved config and overrides), timeseries.parquet, countries.parquet, summary.json and
the plots. A bad config is reported in one line before any run directory is made. Under Hydra
multirun (`-m`) a failing job removes its own directory and reports its error in one line; the
other jobs still run, and the command exits non-zero at the end.
"""

from __future__ import annotations

import logging
import shutil
import sys

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from .config import CONFIG_DIR, compose, normalise_overrides, one_line, register_schema, to_experiment
from .output import write_results
from .record import compare, format_table
from .runner import model_from, replication_seeds, run_experiment
from .summary import format_summary


class JobFailed(Exception):
    """A multirun job failed: Hydra goes on with the other jobs and reports this one at the end."""


def check(overrides: list[str]) -> None:
    """Compose, validate and build one model from the overrides; raise on any bad input."""
    exp = to_experiment(compose(None, overrides))
    model_from(exp, replication_seeds(exp.seed, 1)[0])


@hydra.main(version_base=None, config_path=str(CONFIG_DIR), config_name="config")
def _hydra_main(cfg: DictConfig) -> float:
    out_dir = HydraConfig.get().runtime.output_dir
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    try:
        exp = to_experiment(cfg)
        results = run_experiment(config=exp)
        write_results(results, out_dir)
    except Exception as err:  # leave no half-written run directory behind
        shutil.rmtree(out_dir, ignore_errors=True)
        message = one_line(err)
        print(f"error: {message}", file=sys.stderr)
        if HydraConfig.get().mode == RunMode.MULTIRUN:  # an exception, not an exit: the other jobs go on
            raise JobFailed(message) from None
        sys.exit(1)
    if not exp.quiet:
        print(format_summary(results.summary, out_dir))
        if exp.analysis == "record" or exp.scenario.name == "historical_2021":  # calibrated to the record
            print("\nAgainst the public record (adopters; experiments/record.py):")
            print(format_table(compare(results.timeseries)))
    return 1.0 - results.summary["fragmented_probability"]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    register_schema()
    if not any(a.startswith("-") for a in argv):  # a plain run: check before Hydra makes a run dir
        try:
            check(argv)
        except Exception as err:
            print(f"error: {one_line(err)}", file=sys.stderr)
            sys.exit(2)
    sys.argv = [sys.argv[0], *normalise_overrides(argv)]
    _hydra_main()


if __name__ == "__main__":
    main()
