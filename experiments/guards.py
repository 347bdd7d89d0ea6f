"""Checks on a run's outputs before they are written: every number it reports is finite.

A NaN or an infinity in a table is never silent: it is an error naming the run it came from
(replication and seed, or sweep point, replication and seed) and the column. Missing values of
nullable integer columns (a failed sweep run's outcomes) are not numbers and pass.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .cli import RunFailed

RUN_KEYS = ("point", "replication", "seed")  # what names a run, in the tables that have them
PLACE_KEYS = ("step", "standard", "iso3")  # where in a run, after the run


class NonFiniteError(RunFailed):
    """A run reported NaN or an infinite number."""


def check_finite(data: pd.DataFrame | Mapping[str, Any], what: str, *, run: str = "") -> None:
    """Raise NonFiniteError when a float in `data` (a table, or a dict nested any depth) is NaN or infinite.

    what: the output checked (e.g. "timeseries.parquet"); run: names the run when `data` holds no
    point, replication or seed of its own (e.g. "scenario x, seed 0").
    """
    found = _first_in_frame(data) if isinstance(data, pd.DataFrame) else _first_in_mapping(data, "")
    if found is None:
        return
    where, value, ids = found
    named = ", ".join(f"{k} {v}" for k, v in ids.items() if k in RUN_KEYS) or run
    place = ", ".join(f"{k} {v}" for k, v in ids.items() if k in PLACE_KEYS)
    raise NonFiniteError(f"{what}: {where} is {value} in the run of {named or 'this experiment'}"
                         + (f" ({place})" if place else "") + "; a run's outputs must be finite numbers")


def _first_in_frame(frame: pd.DataFrame) -> tuple[str, float, dict[str, Any]] | None:
    for column in frame.columns:
        series = frame[column]
        if not pd.api.types.is_float_dtype(series.dtype):
            continue
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isfinite(values)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            ids = {k: frame[k].iloc[row] for k in (*RUN_KEYS, *PLACE_KEYS) if k in frame.columns and k != column}
            return str(column), float(values[row]), ids
    return None


def _first_in_mapping(data: Mapping[str, Any], prefix: str) -> tuple[str, float, dict[str, Any]] | None:
    ids = {k: data[k] for k in RUN_KEYS if k in data}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found = _first_in_mapping(value, f"{path}.")
        elif isinstance(value, list | tuple):
            found = _first_in_mapping({str(i): v for i, v in enumerate(value)}, f"{path}.")
        elif isinstance(value, numbers.Real) and not isinstance(value, bool | numbers.Integral) \
                and not math.isfinite(value):
            found = (path, float(value), {})
        else:
            continue
        if found is not None:
            return found[0], found[1], {**ids, **found[2]}
    return None
