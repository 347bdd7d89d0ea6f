"""Run a checked sweep into its results folder: skip finished runs, keep each batch as it ends,
then write the final tables, the sensitivity indices and the plots."""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from model.params import ConfigError

from ..cli import RunFailed
from ..config import one_line
from ..runner import model_from
from .compose import Sweep
from .design import make_design, run_list
from .executors import batch_size, batches, open_executor
from .keys import configure
from .runs import FAILED, RUN_KEYS, Job, chunk_table, outcome_dtypes, run_batch
from .store import ResultsFolder, check_folder, now
from .tables import points_table, runs_table

PACKAGES = ("credential-race", "mesa", "numpy", "pandas", "pyarrow", "scipy", "networkx", "SALib", "hydra-core",
            "omegaconf", "joblib", "dask", "distributed", "matplotlib")


@dataclass
class SweepResults:
    """What a finished sweep leaves in its folder, as tables."""

    folder: Path
    design: pd.DataFrame
    runs: pd.DataFrame
    points: pd.DataFrame
    sensitivity: pd.DataFrame | None
    executed: int  # runs carried out by this call (the others were finished before)

    @property
    def failures(self) -> int:
        return int((self.runs["status"] == FAILED).sum())


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def check_first_point(sweep: Sweep, design: pd.DataFrame) -> None:
    """Build the model of the first design point, so a config that cannot run fails before any write."""
    values = design.drop(columns="point").astype(object).iloc[0].to_dict()
    try:
        model_from(configure(sweep.base, values), 0)
    except Exception as err:
        where = ", ".join(f"{k}={v}" for k, v in values.items())
        raise ConfigError(f"{one_line(err)} (building the model of design point 0: {where})") from None


def new_manifest(sweep: Sweep, design: pd.DataFrame) -> dict:
    spec = sweep.spec
    return {
        "sweep": spec.name, "description": spec.description, "config_hash": sweep.config_hash,
        "design": spec.design, "design_seed": spec.seed, "parameters": sweep.keys, "inputs": sweep.inputs,
        "points": len(design),
        "replications": spec.replications, "runs": len(design) * spec.replications,
        "status": "running", "started": now(), "finished": None, "runs_done": 0, "runs_failed": 0,
        "versions": versions(), "sessions": [],
    }


def stopped_executor_fails(results: Iterator, executor, folder: Path) -> Iterator:
    """The executor's results; its failure (a worker killed, a cluster lost) as RunFailed in one line.

    Runs never raise out of a worker (each failure is a row), so what does is the executor's."""
    try:
        while True:
            try:
                rows = next(results)
            except StopIteration:
                return
            except Exception as err:
                raise RunFailed(f"the {executor.description} executor stopped ({type(err).__name__}: "
                                f"{one_line(err)}); finished runs are kept in {folder}, run the same command to "
                                "resume") from err
            yield rows
    finally:
        results.close()  # cancels what is still queued


def recount(manifest: dict, done: pd.DataFrame) -> None:
    """Set the manifest's counts to the runs on disk. A session killed before it could close the
    manifest (SIGKILL, a lost machine) may have written a chunk after its last update: the
    difference is its own."""
    manifest["runs_done"] = len(done)
    manifest["runs_failed"] = int((done["status"] == FAILED).sum())
    sessions = manifest["sessions"]
    missing = len(done) - sum(s["runs"] for s in sessions)
    unclosed = [s for s in sessions if s["finished"] is None and "ended" not in s]
    if unclosed:
        unclosed[-1]["runs"] += missing
    for s in unclosed:
        s["ended"] = "killed before it closed the manifest; its runs counted from the rows on disk"


def progress_bar(total: int, initial: int, spec_name: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="run", desc=spec_name, dynamic_ncols=True,
                disable=not (enabled and sys.stderr.isatty()), file=sys.stderr)


def run_sweep(sweep: Sweep, *, command: str = "") -> SweepResults:
    """Run every unfinished run of the sweep and write the results folder (see store.py).

    ConfigError, before anything is written, when the folder holds another sweep, the first point
    cannot be built, or the Dask scheduler does not answer. KeyboardInterrupt leaves every
    finished batch in the folder; the same call resumes.
    """
    spec, choices, outcomes = sweep.spec, sweep.choices, sweep.outcomes
    design = make_design(spec, sweep.kinds)
    check_first_point(sweep, design)
    folder = Path(sweep.folder)
    check_folder(folder, sweep.config_hash, sweep.inputs, sweep.legacy_hash)
    tasks = run_list(design, spec)
    executor = open_executor(spec)
    store = ResultsFolder(folder)
    try:
        store.open(new_manifest(sweep, design), design, sweep.resolved_yaml)
        manifest = store.manifest()
        manifest.update(config_hash=sweep.config_hash, inputs=sweep.inputs)  # a folder from before inputs
        done = store.finished([*RUN_KEYS, "status"])
        recount(manifest, done)
        done_keys = set(zip(done["point"].tolist(), done["replication"].tolist(), strict=True))
        todo = [t for t in tasks if (t[0], t[1]) not in done_keys]
        size = batch_size(spec, len(todo), executor.workers)
        session = {"started": now(), "finished": None, "executor": executor.description, "batch_size": size,
                   "runs": 0, "command": command}
        manifest["sessions"].append(session)
        manifest["status"] = "running"
        store.write_manifest(manifest)
        bar = progress_bar(len(tasks), len(tasks) - len(todo), spec.name, spec.progress)
        try:
            job = Job(sweep.base, outcomes)
            for rows in stopped_executor_fails(executor.map(run_batch, job, batches(todo, size)), executor, folder):
                store.write_chunk(chunk_table(rows, outcomes))
                session["runs"] += len(rows)
                manifest["runs_done"] += len(rows)  # the manifest follows the chunks on disk
                manifest["runs_failed"] += sum(row["status"] == FAILED for row in rows)
                store.write_manifest(manifest, durable=False)
                bar.update(len(rows))
        except BaseException as err:  # keep the record straight, then let the caller report it
            session["finished"] = now()
            stopped = ("interrupted" if isinstance(err, KeyboardInterrupt)
                       else f"stopped: {type(err).__name__}: {one_line(err)}")
            manifest.update(status=stopped)
            store.write_manifest(manifest)
            raise
        finally:
            bar.close()
        finished = store.finished([*RUN_KEYS, *outcome_dtypes(outcomes)])
        runs = runs_table(finished, design, outcomes, sweep.base.scenario.name)
        points = points_table(runs, design, choices, outcomes)
        store.write_finals(runs, points)
        sensitivity = write_extras(sweep, store, design, runs, points)
        session["finished"] = now()
        failed = int((runs["status"] == FAILED).sum())
        manifest.update(status="complete" if failed == 0 else "complete, with failed runs", finished=now(),
                        runs_done=len(runs), runs_failed=failed)
        store.write_manifest(manifest)
    finally:
        store.close()
        executor.close()
    return SweepResults(folder, design, runs, points, sensitivity, session["runs"])


def write_extras(sweep: Sweep, store: ResultsFolder, design: pd.DataFrame, runs: pd.DataFrame,
                 points: pd.DataFrame) -> pd.DataFrame | None:
    """Sensitivity indices (Sobol and Morris designs) and the plots, next to the tables."""
    from .sensitivity import sensitivity_table
    from .store import write_table

    sensitivity = None
    if sweep.spec.design in ("sobol", "morris"):
        sensitivity = sensitivity_table(sweep.spec, points, sweep.choices)
        write_table(store.path / "sensitivity.parquet", sensitivity)
    if sweep.spec.plots:
        from .plots import write_sweep_plots

        write_sweep_plots(sweep, points, runs, store.path / "plots", sensitivity=sensitivity)
    return sensitivity
