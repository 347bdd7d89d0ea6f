"""What every parameter means: unit, valid bounds, plausible range and the argument for it.

Each field of the parameter dataclasses (`model/params.py`) is declared with `param(...)`, which
stores this in the field's metadata. One generic check (`check_fields`) then validates every
number the model reads against it (finite unless infinity is allowed, inside its bounds, NaN
refused everywhere), and `describe("decision.privacy_weight")` gives plots, sweeps, discovery and
the interactive page the label, unit and plausible range of any dotted key.

Valid bounds are hard: outside them the model is undefined and the config is refused. The
plausible range is where the argument in `why` supports the value; a value outside it runs, and
`outside_plausible` lists it so a result that needs it says so.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FIRST_YEAR, LAST_YEAR = 1900, 2200  # months outside these years are refused (no datetime overflow)


class ConfigError(ValueError):
    """A parameter is missing, unknown or out of range; the message names the key."""


@dataclass(frozen=True)
class ParamInfo:
    """What a numeric (or categorical) parameter means."""

    label: str  # a short name for plots and tables, in the user's words
    unit: str  # what one unit of it is
    low: float | None = None  # valid lower bound (None: unbounded)
    high: float | None = None  # valid upper bound (None: unbounded)
    low_open: bool = False  # the lower bound itself is not allowed
    allow_inf: bool = False  # +inf is a valid value (rationality: best response)
    integer: bool = False  # a whole number
    plausible: tuple[float, float] | None = None  # where the argument supports the value
    why: str = ""  # the source or argument for the plausible range

    def allowed(self) -> str:
        """The valid bounds in words, for error messages."""
        kind = "a whole number" if self.integer else "a finite number"
        if self.low is not None and self.high is not None:
            left = "(" if self.low_open else "["
            text = f"{kind} in {left}{_num(self.low)}, {_num(self.high)}]"
        elif self.low is not None:
            text = f"{kind} {'>' if self.low_open else '>='} {_num(self.low)}"
        else:
            text = kind
        return text + (" (or inf)" if self.allow_inf else "")


def _num(value: float) -> str:
    """A bound as a reader writes it: 1,000,000 rather than 1e+06."""
    return f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e15 else f"{value:g}"


def param(default: Any = dataclasses.MISSING, *, label: str, unit: str = "", low: float | None = None,
          high: float | None = None, low_open: bool = False, allow_inf: bool = False, integer: bool = False,
          plausible: tuple[float, float] | None = None, why: str = "", default_factory: Any = dataclasses.MISSING):
    """A dataclass field that carries its ParamInfo."""
    info = ParamInfo(label, unit, low, high, low_open, allow_inf, integer, plausible, why)
    if default_factory is not dataclasses.MISSING:
        return field(default_factory=default_factory, metadata={"info": info})
    return field(default=default, metadata={"info": info})


def info_of(cls: type, name: str) -> ParamInfo | None:
    for f in dataclasses.fields(cls):
        if f.name == name:
            return f.metadata.get("info")
    return None


def check_number(value: Any, info: ParamInfo, key: str) -> None:
    """Refuse anything that is not a number inside the valid bounds, naming the key."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(f"{key} = {value!r}: must be {info.allowed()}")
    v = float(value)
    bad = math.isnan(v) or (math.isinf(v) and not (info.allow_inf and v > 0))
    if info.integer and not bad and not math.isinf(v) and not v.is_integer():
        bad = True
    if not bad and info.low is not None and (v < info.low or (info.low_open and v == info.low)):
        bad = True
    if not bad and info.high is not None and v > info.high:
        bad = True
    if bad:
        raise ConfigError(f"{key} = {value!r}: must be {info.allowed()}")


def check_fields(obj: Any, prefix: str) -> None:
    """Check every declared number of a dataclass instance (and of None-able ones that are set)."""
    for f in dataclasses.fields(obj):
        info = f.metadata.get("info")
        value = getattr(obj, f.name)
        if info is None or value is None or isinstance(value, (str, list, dict)):
            continue
        check_number(value, info, f"{prefix}.{f.name}")


def check_month(value: Any, key: str) -> None:
    ok = isinstance(value, str) and _MONTH.match(value) is not None
    if ok and not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        ok = False
    if not ok:
        raise ConfigError(f"{key} = {value!r}: must be a month 'YYYY-MM' between {FIRST_YEAR} and {LAST_YEAR}")


def check_choice(value: Any, key: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(f"{key} = {value!r}: must be one of {', '.join(allowed)}")


def month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def months_between(start: str, month: str) -> int:
    return month_index(month) - month_index(start)


def add_months(start: str, k: int) -> str:
    idx = month_index(start) + k
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


# ---------------------------------------------------------------- dotted keys

def _unwrap(hint: Any) -> Any:
    """`X | None` -> X."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else hint
    return hint


def locate_info(root: type, key: str) -> tuple[type | None, str, ParamInfo | None]:
    """Walk a dotted key through dataclass types (dict entries by their value type).

    Returns (the dataclass holding the last part, the last part, its ParamInfo or None).
    """
    parts = key.split(".")
    cls: Any = root
    for depth, part in enumerate(parts):
        if not dataclasses.is_dataclass(cls):
            return None, part, None
        hints = typing.get_type_hints(cls)
        if part not in hints:
            return None, part, None
        if depth == len(parts) - 1:
            return cls, part, info_of(cls, part)
        hint = _unwrap(hints[part])
        if typing.get_origin(hint) is dict:
            hint = typing.get_args(hint)[1]
            if depth + 1 == len(parts) - 1:  # the key names a dict entry itself (affinity.BRI)
                return cls, part, info_of(cls, part)
            parts_left = parts[depth + 2:]  # skip the entry's id
            return locate_info(hint, ".".join(parts_left)) if parts_left else (cls, part, info_of(cls, part))
        cls = hint
    return None, parts[-1], None
