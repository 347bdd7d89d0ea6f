"""A simulator as an ema_workbench Model, so an analyst can run `perform_experiments` (or EMA's
samplers, evaluators and optimisers) on it directly.

    model = ema_model(simulate, uncertainties, outcomes, levers=levers, seeds=common_seeds(10))
    experiments, outcomes = perform_experiments(model, scenarios=200, policies=4)
    runs = runs_from_ema(experiments, outcomes, model)     # this package's runs table

Names: ema_workbench 3 wants Python identifiers, and model keys are dotted
(`decision.privacy_weight`). Each parameter, constant and outcome is named with dots as double
underscores (`decision__privacy_weight`) and keeps the dotted key as its `variable_name`, so the
simulator still receives dotted keys. `runs_from_ema` turns the names back.

Seeds: the model is a `ReplicatorModel` whose replications are the common seeds (replication r
of every experiment uses seed r), and each outcome comes back as an (experiments x seeds) array,
also with one seed. (A plain `Model` for one seed would need ScalarOutcomes, and ema_workbench
keeps one global register of outcome names that refuses a name once used by another outcome
class in the same process.)
This module lives in the package (not experiments/ema.py) because it depends only on the
interface the package declares.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .declare import Outcome, Parameter, Simulator, Value, parameter_names

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    import ema_workbench as ema


def ema_name(key: str) -> str:
    """The identifier ema_workbench uses for a dotted key."""
    name = key.replace(".", "__")
    if not name.isidentifier():
        raise ValueError(f"{key}: not usable as an ema_workbench name even as '{name}'; use letters, digits, "
                         "underscores and dots")
    return name


def ema_parameter(p: Parameter):
    """The ema_workbench parameter for one declared parameter (variable_name = the dotted key)."""
    name = ema_name(p.name)
    if p.choices is not None:
        return ema.CategoricalParameter(name, list(p.choices), variable_name=p.name)
    if p.integer:
        if p.log:
            raise ValueError(f"{p.name}: ema_workbench has no log-spaced integer parameter; drop log or integer")
        return ema.IntegerParameter(name, int(p.low), int(p.high), variable_name=p.name)
    if p.log:
        return ema.RealParameter.from_dist(name, stats.loguniform(p.low, p.high), variable_name=p.name)
    return ema.RealParameter(name, float(p.low), float(p.high), variable_name=p.name)


class EmaFunction:
    """The simulator called the way ema_workbench calls a model function: keyword arguments, one of
    them `seed`. A class, not a closure, so multiprocessing evaluators can pickle it."""

    def __init__(self, simulate: Simulator, outcomes: Sequence[str], constants: Sequence[str] = ()) -> None:
        self.simulate = simulate
        self.outcomes = list(outcomes)
        # a ReplicatorModel passes constants by their ema name, not their variable_name
        self.keys = {ema_name(k): k for k in constants}

    def __call__(self, **values) -> dict[str, float]:
        seed = int(values.pop("seed"))
        values = {self.keys.get(k, k): v for k, v in values.items()}
        result = self.simulate(values, seed)
        missing = [o for o in self.outcomes if o not in result]
        if missing:
            raise ValueError(f"simulate returned no {', '.join(missing)} (seed {seed})")
        # ema_workbench stores outcomes in float arrays: an int or bool would come back as NaN
        return {o: float(result[o]) for o in self.outcomes}


def ema_model(simulate: Simulator, uncertainties: Sequence[Parameter], outcomes: Sequence[Outcome | str], *,
              levers: Sequence[Parameter] = (), seeds: Sequence[int] = (0,), fixed: Mapping[str, Value] | None = None,
              name: str = "credential_race"):
    """An ema_workbench ReplicatorModel around `simulate`, replicated over the common `seeds`."""
    if len(seeds) == 0:
        raise ValueError("seeds: empty; give at least one seed")
    parameter_names([*uncertainties, *levers])  # one key, one parameter
    names = [o.name if isinstance(o, Outcome) else o for o in outcomes]
    if not names:
        raise ValueError("outcomes: empty; declare at least one outcome")
    model = ema.ReplicatorModel(name, function=EmaFunction(simulate, names, list(fixed or {})))
    model.replications = [{"seed": int(s)} for s in seeds]
    model.uncertainties = [ema_parameter(p) for p in uncertainties]
    model.levers = [ema_parameter(p) for p in levers]
    model.outcomes = [ema.ArrayOutcome(ema_name(n), variable_name=n) for n in names]  # one value per seed
    model.constants = [ema.Constant(ema_name(k), v, variable_name=k) for k, v in (fixed or {}).items()]
    return model


def runs_from_ema(experiments: pd.DataFrame, outcomes: Mapping[str, np.ndarray], model) -> pd.DataFrame:
    """`perform_experiments` results as this package's runs table: point, replication, seed, the
    dotted keys, and one column per outcome (one row per experiment x seed)."""
    keys = {p.name: p.variable_name[0] for p in [*model.uncertainties, *model.levers]}
    design = experiments[list(keys)].rename(columns=keys).reset_index(drop=True)
    seeds = [int(r["seed"]) for r in model.replications]
    frames = []
    for r, seed in enumerate(seeds):
        values = {o.variable_name[0]: np.asarray(outcomes[o.name], dtype=float).reshape(len(design), -1)[:, r]
                  for o in model.outcomes}
        frames.append(pd.DataFrame({"point": np.arange(len(design)), "replication": r, "seed": seed})
                      .join(design).assign(**values))
    return pd.concat(frames, ignore_index=True).sort_values(["point", "replication"], ignore_index=True)
