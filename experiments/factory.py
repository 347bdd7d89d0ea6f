"""From parameters to a ready model, fast: compose a scenario once, then build a model per call.

    make = factory("historical_2021")
    m = make({"decision.rationality": 2.0}, seed=3)        # a ready CredentialModel
    m.run().outcome()

Hydra composes the scenario once (tens of milliseconds); each call then copies the typed config,
sets the dotted keys (coerced to each key's type and checked like any config value), draws the
calibrated parameter set of that seed when the scenario carries an ensemble, and builds the model.
Sweeps, calibration, theory cases and discovery all build their models here.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model import CredentialModel
from model.params import ConfigError

from .config import CONFIG_DIR, ExperimentConfig, compose, model_params, to_experiment
from .keys import coerce, locate, set_value

REPO = CONFIG_DIR.parent


@functools.lru_cache(maxsize=8)
def _read_ensemble(path: str) -> pd.DataFrame:
    file = Path(path) if Path(path).is_absolute() else REPO / path
    if not file.is_file():
        raise ConfigError(f"calibration.ensemble: no such file '{path}'")
    table = pd.read_csv(file)
    if table.empty:
        raise ConfigError(f"calibration.ensemble: '{path}' holds no parameter sets")
    numeric = table.select_dtypes("number")
    if numeric.shape[1] != table.shape[1] or not np.isfinite(numeric.to_numpy()).all():
        raise ConfigError(f"calibration.ensemble: '{path}' must hold finite numbers only")
    return table


def ensemble(exp: ExperimentConfig) -> pd.DataFrame | None:
    """The calibrated parameter sets of the experiment (one column per dotted key), or None."""
    return _read_ensemble(exp.calibration.ensemble) if exp.calibration.ensemble else None


@functools.cache
def point_values() -> dict[str, Any]:
    """The calibrated point (configs/calibration/point.yaml) as dotted keys."""
    import yaml

    def flatten(node: dict, prefix: str = "") -> dict[str, Any]:
        out = {}
        for key, value in node.items():
            if isinstance(value, dict):
                out.update(flatten(value, f"{prefix}{key}."))
            else:
                out[f"{prefix}{key}"] = value
        return out

    return flatten(yaml.safe_load((CONFIG_DIR / "calibration" / "point.yaml").read_text()))


def set_on_purpose(exp: ExperimentConfig) -> set[str]:
    """Ensemble keys whose configured value differs from the calibrated point: a scenario, a sweep
    or the command line set them, and they keep that value."""
    table = ensemble(exp)
    point = point_values()
    out = set()
    for key in (table.columns if table is not None else ()):
        if key in point:
            holder, name, _ = locate(exp, key)
            value = holder[name] if isinstance(holder, dict) else getattr(holder, name)
            if value != point[key]:
                out.add(key)
    return out


def ensemble_draw(exp: ExperimentConfig, seed: int, keep=()) -> dict[str, Any]:
    """The calibrated parameter set replication `seed` runs with: one row of the ensemble, drawn by
    the seed alone (so two scenarios run on common seeds share their parameter sets); {} without one.

    A key keeps its configured value when it is in `keep` or `calibration.keep` (set explicitly) or
    differs from the calibrated point (set by the scenario)."""
    table = ensemble(exp)
    if table is None:
        return {}
    row = int(np.random.default_rng([seed, 7919]).integers(len(table)))
    kept = set(keep) | set(exp.calibration.keep) | set_on_purpose(exp)
    return {key: value for key, value in table.iloc[row].items() if key != "distance" and key not in kept}


def with_values(base: ExperimentConfig, values: Mapping[str, Any]) -> ExperimentConfig:
    """A copy of `base` with each dotted key set (coerced to the key's type), checked like any config."""
    exp = copy.deepcopy(base)
    for key, value in values.items():
        _, _, kind = locate(exp, key)
        set_value(exp, key, coerce(value, kind, key))
    return to_experiment(exp)


def with_draw(exp: ExperimentConfig, seed: int, keep=()) -> tuple[ExperimentConfig, dict[str, float]]:
    """The config one run uses: the ensemble's parameter set for this seed applied (if any; keys in
    `keep` keep their value), and that set ({} without an ensemble)."""
    drawn = ensemble_draw(exp, seed, keep)
    return (with_values(exp, drawn) if drawn else exp), drawn


def model_from(exp: ExperimentConfig, seed: int, keep=()) -> CredentialModel:
    """The model of one run: the config with_draw gives for this seed, then the model, seeded with
    `seed` (a synthetic world comes from the model's generator)."""
    exp, _ = with_draw(exp, seed, keep)
    return CredentialModel(world=exp.world, params=model_params(exp), rng=seed)


class Factory:
    """A composed scenario that builds a checked model per call (see the module docstring)."""

    def __init__(self, base: ExperimentConfig) -> None:
        self.base = base

    def config(self, values: Mapping[str, Any] | None = None) -> ExperimentConfig:
        return with_values(self.base, values or {})

    def __call__(self, values: Mapping[str, Any] | None = None, seed: int = 0) -> CredentialModel:
        return model_from(self.config(values), seed, keep=values or ())


def factory(scenario: str | None = "historical_2021", overrides: list[str] | tuple[str, ...] = ()) -> Factory:
    """Compose `scenario` with Hydra-style overrides once; return a callable (values, seed) -> model."""
    return Factory(to_experiment(compose(scenario, overrides)))
