"""Designs and runs: draw points on the unit cube, map them onto parameters, run each point with
a list of common seeds, and hand back one plain table row per run.

Common seeds: replication r of every point uses the same seed `seeds[r]`, so two points (or a
baseline and a scenario) can be compared run by run. `common_seeds` spawns them from one
SeedSequence, as the sweeps do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .declare import Outcome, Parameter, Simulator, Value, parameter_names

RUN_KEYS = ("point", "replication", "seed")


def common_seeds(replications: int, seed: int = 0, stream: int = 0) -> list[int]:
    """`replications` 63-bit run seeds: the children of SeedSequence(seed), in order. Another
    `stream` gives seeds apart from these (e.g. to re-estimate what a search selected)."""
    if replications < 1:
        raise ValueError(f"replications = {replications}: must be at least 1")
    root = np.random.SeedSequence(seed, spawn_key=(stream,)) if stream else np.random.SeedSequence(seed)
    children = root.spawn(replications)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def design_from_unit(parameters: Sequence[Parameter], unit: np.ndarray) -> pd.DataFrame:
    """A design table (`point`, then one column per parameter) from unit-cube rows."""
    names = parameter_names(parameters)
    unit = np.atleast_2d(np.asarray(unit, dtype=float))
    if unit.shape[1] != len(names):
        raise ValueError(f"unit sample has {unit.shape[1]} columns for {len(names)} parameters")
    columns = {p.name: pd.Series(p.from_unit(unit[:, i]), dtype=p.dtype) for i, p in enumerate(parameters)}
    return pd.DataFrame({"point": np.arange(unit.shape[0], dtype=np.int64), **columns})


def unit_problem(parameters: Sequence[Parameter]) -> dict:
    """SALib's problem over the unit cube, one dimension per parameter (mapped back by design_from_unit)."""
    return {"num_vars": len(parameters), "names": parameter_names(parameters),
            "bounds": [[0.0, 1.0]] * len(parameters)}


def lhs_design(parameters: Sequence[Parameter], points: int, seed: int = 0) -> pd.DataFrame:
    """A Latin hypercube of `points` points over the parameters (SALib, seeded)."""
    from SALib.sample import latin

    if points < 1:
        raise ValueError(f"points = {points}: a design needs at least 1 point")
    return design_from_unit(parameters, latin.sample(unit_problem(parameters), points, seed=seed))


def _number(value: object, name: str, where: str) -> float:
    try:
        return float(value)  # bools, numpy scalars and ints become floats
    except (TypeError, ValueError):
        raise ValueError(f"simulate returned {name} = {value!r} {where}; outcomes must be numbers") from None


def run_design(simulate: Simulator, design: pd.DataFrame, seeds: Sequence[int],
               outcomes: Sequence[Outcome | str] | None = None,
               fixed: Mapping[str, Value] | None = None) -> pd.DataFrame:
    """Run every design point with every seed: one row per run with `point, replication, seed`,
    the point's values, and each outcome (the declared ones, else all the first run returned).

    `fixed` holds values for keys the design does not vary; the design's values win on a clash.
    """
    if len(design) == 0:
        raise ValueError("design is empty: no points to run")
    if len(seeds) == 0:
        raise ValueError("seeds: empty; give at least one seed")
    keys = [c for c in design.columns if c != "point"]
    points = design["point"].tolist() if "point" in design else list(range(len(design)))
    records = design[keys].astype(object).to_dict("records")
    names = [o.name if isinstance(o, Outcome) else o for o in outcomes] if outcomes else None
    rows: list[dict] = []
    for point, values in zip(points, records, strict=True):
        params = {**(fixed or {}), **values}
        for r, seed in enumerate(seeds):
            result = simulate(dict(params), int(seed))
            if names is None:
                names = list(result)
            where = f"at point {point} (seed {seed})"
            missing = [n for n in names if n not in result]
            if missing:
                raise ValueError(f"simulate returned no {', '.join(missing)} {where}; it returned "
                                 f"{', '.join(map(str, result)) or 'nothing'}")
            rows.append({"point": point, "replication": r, "seed": int(seed), **values,
                         **{n: _number(result[n], n, where) for n in names}})
    table = pd.DataFrame(rows)
    dtypes = {k: design[k].dtype for k in keys}
    return table.astype({"point": "int64", "replication": "int64", "seed": "int64", **dtypes})


def check_outcome(table: pd.DataFrame, outcome: str) -> np.ndarray:
    """The outcome's column as floats; ValueError naming it when it is missing or the table is empty."""
    if outcome not in table.columns:
        known = [c for c in table.columns if c not in RUN_KEYS]
        raise ValueError(f"outcome {outcome}: not in the table; its columns are {', '.join(map(str, known))}")
    if len(table) == 0:
        raise ValueError(f"outcome {outcome}: the design is empty, there are no runs to analyse")
    return table[outcome].to_numpy(dtype=float)


def check_binary(table: pd.DataFrame, outcome: str) -> np.ndarray:
    """The outcome as 0/1 integers; ValueError naming it when it takes other values."""
    y = check_outcome(table, outcome)
    bad = ~np.isin(y, (0.0, 1.0))
    if bad.any():
        raise ValueError(f"outcome {outcome}: not binary (found {y[bad][0]:g}); give 0/1 values, for example "
                         f"(table['{outcome}'] > threshold).astype(int)")
    return y.astype(np.int64)


def point_means(runs: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """Mean of each outcome over a point's replications, one row per point, in point order."""
    for o in outcomes:
        check_outcome(runs, o)
    return runs.groupby("point", sort=True)[list(outcomes)].mean().reset_index()


def design_columns(runs: pd.DataFrame, parameters: Sequence[str | Parameter]) -> pd.DataFrame:
    """The parameter columns of `runs`, with categorical ones as plain objects."""
    names = [p.name if isinstance(p, Parameter) else p for p in parameters]
    if not names:
        raise ValueError("parameters: empty; name the design columns to explain the outcome with")
    missing = [n for n in names if n not in runs.columns]
    if missing:
        raise ValueError(f"parameter {missing[0]}: not a column of the runs table")
    x = runs[names].reset_index(drop=True)
    for name in names:
        if not pd.api.types.is_numeric_dtype(x[name]) or pd.api.types.is_bool_dtype(x[name]):
            x[name] = x[name].astype(object)
    return x


def outcome_cases(runs: pd.DataFrame, outcome: str, what: str) -> np.ndarray:
    """The 0/1 outcome; ValueError naming it when the runs hold no positive or no negative case."""
    y = check_binary(runs, outcome)
    if y.sum() == 0:
        raise ValueError(f"{what} asked for on an outcome with no positive cases: {outcome} never happens "
                         "in this design")
    if y.sum() == len(y):
        raise ValueError(f"{what} asked for on an outcome with no negative cases: {outcome} happens in every "
                         "run of this design")
    return y
