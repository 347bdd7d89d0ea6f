"""Dotted config keys on the typed experiment: find a key, coerce a value to its type, set it.

A sweep composes its base experiment once with Hydra; each design point is then a deep copy of
that typed `ExperimentConfig` with the swept values set by key and checked again, which costs
well under a millisecond where a Hydra compose costs tens.
"""

from __future__ import annotations

import copy
from typing import Any

from model.params import ConfigError

from .. import keys
from ..config import ExperimentConfig, to_experiment
from ..keys import TYPE_NAMES


def locate(exp: ExperimentConfig, key: str) -> tuple[Any, str, type]:
    """`experiments.keys.locate`, with errors named as sweep parameters."""
    try:
        return keys.locate(exp, key)
    except ConfigError as err:
        raise ConfigError(f"sweep.parameters.{err}") from None


def coerce(value: Any, kind: type, key: str) -> Any:
    try:
        return keys.coerce(value, kind, key)
    except ConfigError as err:
        raise ConfigError(f"sweep.parameters.{err}") from None


def configure(base: ExperimentConfig, values: dict[str, Any]) -> ExperimentConfig:
    """A checked copy of `base` with each dotted key set to its value (already of the key's type)."""
    exp = copy.deepcopy(base)
    for key, value in values.items():
        keys.set_value(exp, key, value)  # every key has passed check_parameters
    return to_experiment(exp)


def check_parameters(parameters: dict, base: ExperimentConfig) -> dict[str, type]:
    """The type of each swept key; ConfigError when a key is unknown, a range is given for a flag
    or a name, a choice has the wrong type, or an end of a range or a choice is out of the model's
    range (each is tried alone on the base experiment)."""
    kinds = {}
    for key, p in parameters.items():
        kind = kinds[key] = locate(base, key)[2]
        if p.choices is None and kind in (bool, str):
            raise ConfigError(f"sweep.parameters.{key}: {key} takes {TYPE_NAMES[kind]}; give choices, not a range")
        trials = ({f"choices[{i}]": c for i, c in enumerate(p.choices)} if p.choices is not None
                  else {"low": p.low, "high": p.high})
        for where, value in trials.items():
            value = coerce(round(value) if kind is int and p.choices is None else value, kind, key)
            try:
                configure(base, {key: value})
            except ConfigError as err:
                raise ConfigError(f"sweep.parameters.{key}.{where}: {err}") from None
    return kinds
