"""What an analysis varies and what it measures: parameters (uncertainties or levers) and outcomes.

A parameter is a named range (real or whole numbers, optionally log-spaced) or a list of choices;
it maps points of the unit interval onto its values, so every design (Latin hypercube, Sobol,
Morris, a threshold grid) is drawn on the unit cube and then mapped. An outcome is a name the
simulator returns and a kind: `continuous` (a share, a count) or `binary` (1 when the event
happens, 0 when it does not).

Labels for reports come from an optional mapping key -> label or key -> (label, unit).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Value = float | int | str
# simulate(params, seed) -> {outcome name: value} for one run
Simulator = Callable[[dict[str, Value], int], Mapping[str, float]]
Labels = Mapping[str, str | tuple[str, str]]

OUTCOME_KINDS = ("continuous", "binary")


@dataclass(frozen=True)
class Parameter:
    """An uncertainty or lever: `low`..`high` (inclusive; whole numbers when `integer`, log-spaced
    when `log`), or a tuple of `choices`."""

    name: str
    low: float | None = None
    high: float | None = None
    log: bool = False
    integer: bool = False
    choices: tuple[Value, ...] | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("parameter name: empty; give the key the simulator reads")
        if self.choices is not None:
            object.__setattr__(self, "choices", tuple(self.choices))
            if self.low is not None or self.high is not None:
                raise ValueError(f"{self.name}: give either low and high, or choices, not both")
            if not self.choices:
                raise ValueError(f"{self.name}.choices: empty; give at least one value")
            return
        if self.low is None or self.high is None:
            raise ValueError(f"{self.name}: give a range (low, high) or choices")
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError(f"{self.name}: the range [{self.low}, {self.high}] must be finite")
        if not self.low < self.high:
            raise ValueError(f"{self.name}: low = {self.low} must be below high = {self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"{self.name}.low: {self.low} must be > 0 for a log range")
        if self.integer and not (float(self.low).is_integer() and float(self.high).is_integer()):
            raise ValueError(f"{self.name}: an integer range needs whole-number ends, got [{self.low}, {self.high}]")

    @property
    def kind(self) -> str:
        """`categorical`, `integer` or `real`."""
        if self.choices is not None:
            return "categorical"
        return "integer" if self.integer else "real"

    @property
    def dtype(self) -> str:
        """The column dtype of this parameter in a design table."""
        return {"categorical": "object", "integer": "int64", "real": "float64"}[self.kind]

    def from_unit(self, unit: np.ndarray) -> np.ndarray:
        """Values for points `unit` in [0, 1]: the range (linear or log), or equal slices per choice."""
        unit = np.clip(np.asarray(unit, dtype=float), 0.0, 1.0)
        if self.choices is not None:
            picks = np.minimum((unit * len(self.choices)).astype(int), len(self.choices) - 1)
            return np.array([self.choices[i] for i in picks], dtype=object)
        if self.integer and not self.log:
            # equal-width slices per whole number, so both ends are as likely as the middle
            span = int(self.high) - int(self.low) + 1
            return np.minimum(int(self.low) + np.floor(unit * span), int(self.high)).astype(np.int64)
        if self.log:
            values = np.exp(np.log(self.low) + unit * (np.log(self.high) - np.log(self.low)))
        else:
            values = self.low + unit * (self.high - self.low)
        values = np.clip(values, self.low, self.high)  # exp(log(x)) may land a hair outside
        return np.rint(values).astype(np.int64) if self.integer else values


@dataclass(frozen=True)
class Outcome:
    """A named result of one run; `binary` outcomes are 1 when the event happens, else 0."""

    name: str
    kind: str = "continuous"

    def __post_init__(self) -> None:
        if self.kind not in OUTCOME_KINDS:
            raise ValueError(f"{self.name}.kind: '{self.kind}' is not an outcome kind; one of "
                             f"{', '.join(OUTCOME_KINDS)}")


def parameter_names(parameters: Sequence[Parameter]) -> list[str]:
    """The names, checked for duplicates (a design needs one column per key)."""
    names = [p.name for p in parameters]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ValueError(f"parameter {n}: declared twice")
        seen.add(n)
    return names


def label_of(key: str, labels: Labels | None, unit: bool = False) -> str:
    """The key's label (with its unit in brackets when `unit` and there is one), else the key."""
    entry = (labels or {}).get(key)
    if entry is None:
        return key
    if isinstance(entry, str):
        return entry
    text, units = entry
    return f"{text} ({units})" if unit and units else text


def unit_of(key: str, labels: Labels | None) -> str:
    entry = (labels or {}).get(key)
    return entry[1] if isinstance(entry, tuple) and len(entry) > 1 else ""
