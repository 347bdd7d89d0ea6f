"""Runs of a sweep, as a worker executes them: configure a point, run the model, keep one row.

A batch is a list of (point, replication, seed, values); `run_batch` runs it in order in the
calling process (no nested parallelism) and returns one plain dict per run. A run that raises,
or reports a number that is not finite, becomes a failure row carrying the error, so one bad
point never stops a sweep.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from ..config import ExperimentConfig, one_line
from ..factory import model_from
from ..guards import NonFiniteError, check_finite
from ..outcomes import Outcome, dtypes, read_all
from ..runner import record_of
from .keys import configure

OK, FAILED = "ok", "failed"
Task = tuple[int, int, int, dict[str, Any]]  # point, replication, seed, values of the swept keys
RUN_KEYS = {"point": "int64", "replication": "int64", "seed": "int64"}


@dataclass
class Job:
    """What every worker needs: the typed base experiment and the declared outcomes to keep."""

    base: ExperimentConfig
    outcomes: list[Outcome]


def outcome_dtypes(outcomes: list[Outcome]) -> dict[str, str]:
    """The outcome columns of runs.parquet and their dtypes; integers are nullable for failed runs."""
    return {"status": "string", "error": "string", **dtypes(outcomes)}


def run_one(job: Job, task: Task) -> dict[str, Any]:
    """One run's row: its declared outcomes, or status "failed" and the error in one line."""
    point, replication, seed, values = task
    row: dict[str, Any] = {"point": point, "replication": replication, "seed": seed}
    try:
        model = model_from(configure(job.base, values), seed, keep=values).run()
        found = read_all(job.outcomes, record_of(model, replication, seed), model.params)
    except Exception as err:  # recorded, not raised: the sweep goes on
        return {**row, "status": FAILED, "error": f"{type(err).__name__}: {one_line(err)}"}
    row.update(status=OK, error=None, **found)
    try:
        check_finite(row, "outcome")
    except NonFiniteError as err:  # a failed run, not a silent NaN in the tables
        return {"point": point, "replication": replication, "seed": seed, "status": FAILED,
                "error": f"{type(err).__name__}: {err}"}
    return row


def run_batch(job: Job, tasks: list[Task]) -> list[dict[str, Any]]:
    """Run a batch one after the other in this process (a worker's whole job)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    return [run_one(job, task) for task in tasks]


ARROW_TYPES = {"int64": pa.int64(), "Int64": pa.int64(), "float64": pa.float64(), "string": pa.string()}


def chunk_table(rows: list[dict[str, Any]], outcomes: list[Outcome]) -> pa.Table:
    """A batch's rows as an Arrow table with fixed columns and types, whatever mix of runs it holds.

    Arrow, not pandas: a chunk costs the collecting process about 2 ms to write (with pandas,
    about 25), which matters when it shares the cores with the workers.
    """
    columns = {**RUN_KEYS, **outcome_dtypes(outcomes)}
    schema = pa.schema([(name, ARROW_TYPES[dtype]) for name, dtype in columns.items()])
    return pa.Table.from_pylist(rows, schema=schema)
