"""Runs of a sweep, as a worker executes them: configure a point, run the model, keep one row.

A batch is a list of (point, replication, seed, values); `run_batch` runs it in order in the
calling process (no nested parallelism) and returns one plain dict per run. A run that raises,
or reports a number that is not finite, becomes a failure row carrying the error, so one bad
point never stops a sweep.
"""

from __future__ import annotations

import logging
from typing import Any

import pyarrow as pa

from model.metrics import DEAL_KINDS, MEASURES

from ..config import ExperimentConfig, one_line
from ..factory import model_from
from ..guards import NonFiniteError, check_finite
from ..runner import flat_outcomes
from .keys import configure

OK, FAILED = "ok", "failed"
Task = tuple[int, int, int, dict[str, Any]]  # point, replication, seed, values of the swept keys
RUN_KEYS = {"point": "int64", "replication": "int64", "seed": "int64"}


def outcome_dtypes(choices: list[str]) -> dict[str, str]:
    """The outcome columns of runs.parquet and their dtypes; integers are nullable for failed runs."""
    return {
        "status": "string", "error": "string", "winner": "string", "time_to_dominance": "Int64",
        "interoperability": "float64", "fragmentation": "float64", "platform_members": "Int64",
        **{f"{name}_{c}": "Int64" for name in ("adopters", "foreign_adopters") for c in choices},
        **{f"{name}_{c}": "float64" for name in MEASURES for c in choices},
        **{f"deals_{kind}": "Int64" for kind in DEAL_KINDS},
    }


def run_one(base: ExperimentConfig, task: Task) -> dict[str, Any]:
    """One run's row: its outcome, or status "failed" and the error in one line."""
    point, replication, seed, values = task
    row: dict[str, Any] = {"point": point, "replication": replication, "seed": seed}
    try:
        outcome = model_from(configure(base, values), seed, keep=values).run().outcome()
    except Exception as err:  # recorded, not raised: the sweep goes on
        return {**row, "status": FAILED, "error": f"{type(err).__name__}: {one_line(err)}"}
    row.update(status=OK, error=None, **flat_outcomes(outcome))
    try:
        check_finite(row, "outcome")
    except NonFiniteError as err:  # a failed run, not a silent NaN in the tables
        return {"point": point, "replication": replication, "seed": seed, "status": FAILED,
                "error": f"{type(err).__name__}: {err}"}
    return row


def run_batch(base: ExperimentConfig, tasks: list[Task]) -> list[dict[str, Any]]:
    """Run a batch one after the other in this process (a worker's whole job)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    return [run_one(base, task) for task in tasks]


ARROW_TYPES = {"int64": pa.int64(), "Int64": pa.int64(), "float64": pa.float64(), "string": pa.string()}


def chunk_table(rows: list[dict[str, Any]], choices: list[str]) -> pa.Table:
    """A batch's rows as an Arrow table with fixed columns and types, whatever mix of runs it holds.

    Arrow, not pandas: a chunk costs the collecting process about 2 ms to write (with pandas,
    about 25), which matters when it shares the cores with the workers.
    """
    dtypes = {**RUN_KEYS, **outcome_dtypes(choices)}
    schema = pa.schema([(name, ARROW_TYPES[dtype]) for name, dtype in dtypes.items()])
    return pa.Table.from_pylist(rows, schema=schema)
