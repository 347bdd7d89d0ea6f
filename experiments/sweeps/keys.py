"""Dotted config keys on the typed experiment: find a key, coerce a value to its type, set it.

A sweep composes its base experiment once with Hydra; each design point is then a deep copy of
that typed `ExperimentConfig` with the swept values set by key and checked again, which costs
well under a millisecond where a Hydra compose costs tens.
"""

from __future__ import annotations

import copy
import functools
import numbers
import types
import typing
from dataclasses import is_dataclass
from typing import Any

from model.params import ConfigError

from ..config import ExperimentConfig, to_experiment

SWEEPABLE = ("world", "decision", "pair_deals", "standards", "sponsors", "scenario")
SCALARS = (float, int, bool, str)
TYPE_NAMES = {float: "a number", int: "a whole number", bool: "true or false", str: "a name (text)"}


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _scalar(hint: Any, key: str) -> type:
    """float, int, bool or str from a field's annotation (`float | None` counts as float)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else hint
    if hint in SCALARS:
        return hint
    raise ConfigError(f"sweep.parameters.{key}: {key} holds a {getattr(hint, '__name__', hint)}, not a single "
                      "value; sweep one of its entries (a number, flag or name)")


def _unknown(key: str, name: str, where: str, known) -> ConfigError:
    return ConfigError(f"sweep.parameters.{key}: unknown key '{name}' in {where or 'the experiment config'}; "
                       f"known: {', '.join(sorted(map(str, known)))}")


def locate(exp: ExperimentConfig, key: str) -> tuple[Any, str, type]:
    """The object holding `key`'s last part, that part, and the scalar type the key takes."""
    parts = key.split(".")
    if parts[0] not in SWEEPABLE or len(parts) < 2:
        raise ConfigError(f"sweep.parameters.{key}: not a model parameter; sweep a key under "
                          f"{', '.join(SWEEPABLE)} (e.g. decision.privacy_weight)")
    node: Any = exp
    for depth, part in enumerate(parts):
        where = ".".join(parts[:depth])
        last = depth == len(parts) - 1
        if is_dataclass(node):
            hints = _hints(type(node))
            if part not in hints:
                raise _unknown(key, part, where, hints)
            if last:
                return node, part, _scalar(hints[part], key)
            value_hint = hints[part]
            node = getattr(node, part)
        elif isinstance(node, dict):
            if part not in node:
                raise _unknown(key, part, where, node)
            value_hint = typing.get_args(value_hint)[1]
            if last:
                return node, part, _scalar(value_hint, key)
            node = node[part]
        else:
            raise ConfigError(f"sweep.parameters.{key}: {where} is a single value, it has no key '{part}'")
    raise AssertionError("unreachable")


def coerce(value: Any, kind: type, key: str) -> Any:
    """`value` as the key's type; an integer-valued float is accepted for an int key."""
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer()
    elif kind is float:
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(f"sweep.parameters.{key}: {value!r} is not {TYPE_NAMES[kind]}, which {key} takes")
    return kind(value)


def set_value(exp: ExperimentConfig, key: str, value: Any) -> None:
    holder, name, _ = locate(exp, key)
    if isinstance(holder, dict):
        holder[name] = value
    else:
        setattr(holder, name, value)


def configure(base: ExperimentConfig, values: dict[str, Any]) -> ExperimentConfig:
    """A checked copy of `base` with each dotted key set to its value (already of the key's type)."""
    exp = copy.deepcopy(base)
    for key, value in values.items():
        set_value(exp, key, value)
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
