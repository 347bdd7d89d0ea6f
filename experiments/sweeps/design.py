"""Design points and run seeds: pure functions of the sweep config.

A design is a table with one row per point (`point` = 0, 1, ...) and one column per swept key,
holding the value each run of that point uses. Grids are full products of per-parameter levels;
Latin hypercube, Sobol and Morris samples come from SALib on the unit cube, seeded with the
sweep seed, and are then mapped onto each parameter's range (linear or log) or choices.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from .keys import coerce
from .spec import ParameterSpec, SweepSpec

# Column dtype of a swept key in design.parquet and runs.parquet, by the key's type.
COLUMN_DTYPES = {float: "float64", int: "int64", bool: "bool", str: "string"}


def salib_problem(spec: SweepSpec) -> dict:
    """Every parameter on [0, 1]: SALib samples the unit cube, `to_values` maps it to each range."""
    names = list(spec.parameters)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def unit_sample(spec: SweepSpec) -> np.ndarray:
    """The SALib sample for an lhs, sobol or morris design: one row per point, values in [0, 1]."""
    from SALib.sample import latin, morris, sobol

    problem = salib_problem(spec)
    if spec.design == "lhs":
        return latin.sample(problem, spec.samples, seed=spec.seed)
    if spec.design == "sobol":
        return sobol.sample(problem, spec.samples, calc_second_order=spec.second_order, seed=spec.seed)
    if spec.design == "morris":
        return morris.sample(problem, spec.samples, num_levels=spec.levels, seed=spec.seed)
    raise ValueError(f"design '{spec.design}' has no unit sample")


def to_values(p: ParameterSpec, kind: type, unit: np.ndarray, key: str) -> list[Any]:
    """Unit-cube coordinates as values of one parameter: its range (rounded for integer keys) or choices."""
    if p.choices is not None:
        picks = np.minimum((unit * len(p.choices)).astype(int), len(p.choices) - 1)
        return [coerce(p.choices[i], kind, key) for i in picks]
    if p.log:
        values = np.exp(np.log(p.low) + unit * (np.log(p.high) - np.log(p.low)))
    else:
        values = p.low + unit * (p.high - p.low)
    values = np.clip(values, p.low, p.high)  # exp(log(x)) may land a hair outside
    if kind is int:
        values = np.rint(values)
    return [coerce(float(v), kind, key) for v in values]


def grid_levels(p: ParameterSpec, kind: type, levels: int, key: str) -> list[Any]:
    """The values a grid tries for a range parameter: evenly spaced (or log-spaced), ends included."""
    values = to_values(p, kind, np.linspace(0.0, 1.0, p.levels or levels), key)
    return list(dict.fromkeys(values))  # an integer key may round two levels together


def make_design(spec: SweepSpec, kinds: dict[str, type]) -> pd.DataFrame:
    """The design table: `point`, then one column per swept key in config order."""
    keys = list(spec.parameters)
    if spec.design == "grid":
        axes = [grid_levels(p, kinds[k], spec.levels, k) if p.choices is None
                else [coerce(c, kinds[k], k) for c in p.choices] for k, p in spec.parameters.items()]
        rows = list(itertools.product(*axes))  # the last key varies fastest
        columns = {k: [r[i] for r in rows] for i, k in enumerate(keys)}
    else:
        unit = unit_sample(spec)
        columns = {k: to_values(p, kinds[k], unit[:, i], k) for i, (k, p) in enumerate(spec.parameters.items())}
    n = len(next(iter(columns.values())))
    table = pd.DataFrame({"point": np.arange(n, dtype=np.int64), **columns})
    return table.astype({k: COLUMN_DTYPES[kinds[k]] for k in keys})


def run_seed(seed: int, point: int, replication: int) -> int:
    """The 63-bit seed of one run: child `replication` of child `point` of SeedSequence(seed).

    Built from the spawn key directly, so it is the same as `SeedSequence(seed).spawn(P)[point]
    .spawn(R)[replication]` for any P > point and R > replication, and depends on nothing else.
    """
    child = np.random.SeedSequence(seed, spawn_key=(point, replication))
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def run_list(design: pd.DataFrame, spec: SweepSpec) -> list[tuple[int, int, int, dict[str, Any]]]:
    """Every run of the sweep as (point, replication, seed, values), ordered by point then replication."""
    keys = list(spec.parameters)
    records = design[keys].astype(object).to_dict("records")
    points = design["point"].tolist()
    return [(point, r, run_seed(spec.seed, point, r), values)
            for point, values in zip(points, records, strict=True) for r in range(spec.replications)]
