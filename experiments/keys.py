"""Dotted config keys on the typed experiment: find a key, coerce a value to its type, set it.

Used by the model factory (every design point, calibration draw and discovery run) and by sweeps:
a value set this way is checked by the same validation as a composed config.
"""

from __future__ import annotations

import functools
import numbers
import types
import typing
from dataclasses import is_dataclass
from typing import Any

from model.params import ConfigError

SWEEPABLE = ("world", "decision", "pair_deals", "vaccines", "standards", "sponsors", "organisations", "scenario")
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
    raise ConfigError(f"{key}: holds a {getattr(hint, '__name__', hint)}, not a single value; set one of its "
                      "entries (a number, flag or name)")


def _unknown(key: str, name: str, where: str, known) -> ConfigError:
    import difflib

    close = difflib.get_close_matches(name, [str(k) for k in known], n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return ConfigError(f"{key}: unknown key '{name}' in {where or 'the experiment config'}{hint} "
                       f"(known: {', '.join(sorted(map(str, known)))})")


def locate(exp, key: str) -> tuple[Any, str, type]:
    """The object holding `key`'s last part, that part, and the scalar type the key takes."""
    parts = key.split(".")
    if parts[0] not in SWEEPABLE or len(parts) < 2:
        raise ConfigError(f"{key}: not a model parameter; use a key under {', '.join(SWEEPABLE)} "
                          "(e.g. decision.privacy_weight)")
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
            raise ConfigError(f"{key}: {where} is a single value, it has no key '{part}'")
    raise AssertionError("unreachable")


def coerce(value: Any, kind: type, key: str) -> Any:
    """`value` as the key's type; an integer-valued float is accepted for an int key."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer()
    elif kind is float:
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(f"{key}: {value!r} is not {TYPE_NAMES[kind]}, which {key} takes")
    return kind(value)


def set_value(exp, key: str, value: Any) -> None:
    holder, name, _ = locate(exp, key)
    if isinstance(holder, dict):
        holder[name] = value
    else:
        setattr(holder, name, value)
