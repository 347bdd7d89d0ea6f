"""The sweep config: which parameters vary over which ranges, the design, and how to run it.

A named sweep is a YAML file in configs/sweep/; `SweepSpec` is its schema, so a typo in a key
fails when the config is composed. `check_spec` then checks what types cannot (ranges, sizes,
choices) with the full key and what is allowed in every message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from model.params import ConfigError

from ..workers import check_workers

DESIGNS = ("grid", "lhs", "sobol", "morris")
EXECUTORS = ("sequential", "processes", "dask")


@dataclass
class ParameterSpec:
    """One swept config key: a numeric range (low, high, optionally log-spaced) or a list of choices."""

    low: float | None = None  # lower end of the range, inclusive
    high: float | None = None  # upper end of the range, inclusive; > low
    log: bool = False  # spread values evenly in log space (needs low > 0)
    levels: int | None = None  # grid: values in the range; None = the sweep's `levels`
    choices: list[Any] | None = None  # the values to try instead of a range (any type the key takes)


@dataclass
class SweepSpec:
    """A parameter sweep: a design over parameters, replications per point, and an executor."""

    name: str = "custom"
    description: str = ""
    base: list[str] = field(default_factory=list)  # experiment overrides the sweep starts from
    parameters: dict[str, ParameterSpec] = field(default_factory=dict)  # dotted config key -> values
    design: str = "grid"  # grid | lhs | sobol | morris
    levels: int = 5  # grid: values per range parameter; morris: grid levels (SALib num_levels), >= 2
    samples: int = 64  # lhs: points; sobol: base size N, a power of two; morris: trajectories
    second_order: bool = False  # sobol: also sample for second-order indices (N * (2D + 2) points)
    seed: int = 0  # draws the design and, through SeedSequence, every run's seed, >= 0
    replications: int = 10  # runs per design point, >= 1
    outcomes: list[str] = field(default_factory=list)  # declared outcomes (experiments/outcomes.py); [] = all
    executor: str = "processes"  # sequential | processes | dask
    workers: int = 0  # processes or local Dask workers; 0 = one per core; at most one per core
    oversubscribe: bool = False  # allow more workers than cores
    dask_address: str = ""  # scheduler address (tcp://host:8786); "" = a local cluster
    dask_timeout: float = 10.0  # seconds to wait for the scheduler to answer, > 0
    batch_size: int = 0  # runs sent to a worker at a time; 0 = chosen from the sweep size
    output: str = ""  # results folder; "" = sweeps/<name>
    plots: bool = True  # write the PNG plots
    progress: bool = True  # show a progress bar (only when stderr is a terminal)


@dataclass
class SweepFile:
    """The root of configs/sweep_config.yaml: one `sweep` node, filled from configs/sweep/<name>.yaml."""

    sweep: SweepSpec = field(default_factory=SweepSpec)


def register_sweep_schema() -> None:
    """Make the schema available to configs/sweep_config.yaml as the `sweep_schema` default."""
    from hydra.core.config_store import ConfigStore

    store = ConfigStore.instance()
    if "sweep_schema.yaml" not in store.repo:  # once per process, as experiments.config.register_schema
        store.store(name="sweep_schema", node=SweepFile)


# A sweep larger than this is refused before its design is built: at about 50 runs/s (two cores,
# the default world) ten million runs take two days; split such a study into several sweeps.
MAX_RUNS = 10_000_000
MEMORY_SHARE = 0.8  # the design, the run list and the final tables may use this share of available memory


def design_points(spec: SweepSpec) -> int:
    """The number of points the design will have (for a grid, at most: integer keys may merge levels)."""
    d = len(spec.parameters)
    if spec.design == "grid":
        return math.prod(len(p.choices) if p.choices is not None else p.levels or spec.levels
                         for p in spec.parameters.values())
    if spec.design == "sobol":
        return spec.samples * (2 * d + 2 if spec.second_order else d + 2)
    if spec.design == "morris":
        return spec.samples * (d + 1)
    return spec.samples


def memory_estimate(points: int, runs: int, parameters: int, options: int) -> int:
    """Bytes the collecting process needs for a sweep's bookkeeping, measured on a 180,000-run grid:
    the run list and the finished-run keys (about 400 bytes a run), the final tables and their
    copies (about 300 bytes plus 40 per column a run), and the design and points tables."""
    return runs * (700 + 40 * (parameters + 2 * options)) + points * (200 + 100 * options)


def available_memory() -> int | None:
    """Memory available to new allocations (MemAvailable), in bytes; None where it cannot be read."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def size_key(spec: SweepSpec) -> str:
    """The key that makes the design large: the grid axis with the most values, or sweep.samples."""
    if spec.design != "grid":
        return "samples"
    key, p = max(spec.parameters.items(),
                 key=lambda kp: len(kp[1].choices) if kp[1].choices is not None else kp[1].levels or spec.levels)
    if p.choices is not None:
        return f"parameters.{key}.choices"
    return f"parameters.{key}.levels" if p.levels else "levels"


def check_size(spec: SweepSpec, options: int) -> None:
    """Refuse, before the design is built, a sweep above MAX_RUNS runs or beyond the memory available;
    `options` is the number of outcomes per run (standards and "none")."""
    points = design_points(spec)
    runs = points * spec.replications
    need = memory_estimate(points, runs, len(spec.parameters), options)
    free = available_memory()
    size = f"{points:,} points x {spec.replications:,} replications = {runs:,} runs"
    key = "replications" if spec.replications > points else size_key(spec)  # the larger factor
    if runs > MAX_RUNS:
        _fail(key, f"{size}, above the ceiling of {MAX_RUNS:,} runs per sweep (they would need about "
                   f"{_bytes(need)} of memory to track); make the design or the replications smaller, or split "
                   "the study into several sweeps")
    if free is not None and need > MEMORY_SHARE * free:
        _fail(key, f"{size} would need about {_bytes(need)} of memory to track, more than "
                   f"{MEMORY_SHARE:.0%} of the {_bytes(free)} available; make the design or the replications smaller")


def _bytes(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.3g} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def output_folder(spec: SweepSpec) -> str:
    return spec.output or f"sweeps/{spec.name}"


def _fail(key: str, message: str) -> None:
    raise ConfigError(f"sweep.{key}: {message}")


def check_spec(spec: SweepSpec) -> SweepSpec:
    """Check sizes, ranges and choices of a sweep; raise ConfigError naming the key."""
    if spec.design not in DESIGNS:
        _fail("design", f"'{spec.design}' is not a design; one of {', '.join(DESIGNS)}")
    if spec.executor not in EXECUTORS:
        _fail("executor", f"'{spec.executor}' is not an executor; one of {', '.join(EXECUTORS)}")
    for key, least in (("replications", 1), ("seed", 0), ("workers", 0), ("batch_size", 0)):
        if getattr(spec, key) < least:
            _fail(key, f"{getattr(spec, key)} must be >= {least}")
    if spec.executor == "processes" or spec.executor == "dask" and not spec.dask_address:
        check_workers(spec.workers, "sweep.workers", allow=spec.oversubscribe, flag="sweep.oversubscribe=true")
    if not spec.dask_timeout > 0:
        _fail("dask_timeout", f"{spec.dask_timeout} must be > 0 seconds")
    if not spec.parameters:
        _fail("parameters", "no parameters to sweep; give at least one config key with "
                            "{low: ..., high: ...} or {choices: [...]}")
    for key, p in spec.parameters.items():
        _check_parameter(key, p)
    if spec.design in ("grid", "morris") and spec.levels < 2:
        _fail("levels", f"{spec.levels} must be >= 2")
    if spec.design == "morris" and spec.levels % 2:
        _fail("levels", f"{spec.levels} must be even for a Morris design (odd levels bias SALib's sample); "
                        f"use {spec.levels + 1}")
    if spec.design != "grid" and spec.samples < 1:
        _fail("samples", f"{spec.samples} must be >= 1")
    if spec.design == "sobol":
        n = spec.samples
        if n & (n - 1):
            below = 1 << (n.bit_length() - 1)
            _fail("samples", f"{n} is not a power of two, which the Sobol design needs; "
                             f"use {below} or {below * 2}")
    return spec


def _check_parameter(key: str, p: ParameterSpec) -> None:
    where = f"parameters.{key}"
    has_range = p.low is not None or p.high is not None
    if p.choices is not None:
        if has_range:
            _fail(where, "give either low and high, or choices, not both")
        if len(p.choices) == 0:
            _fail(f"{where}.choices", "empty; give at least one value")
        return
    if p.low is None or p.high is None:
        _fail(where, "give a range {low: ..., high: ...} or choices [...]")
    for end in ("low", "high"):
        if not math.isfinite(getattr(p, end)):
            _fail(f"{where}.{end}", f"{getattr(p, end)} must be a finite number")
    if p.low > p.high:
        _fail(where, f"low = {p.low} is above high = {p.high}")
    if p.low == p.high:
        _fail(where, f"the range [{p.low}, {p.high}] is empty; to fix the value, override {key}={p.low} "
                     "instead of sweeping it")
    if p.log and p.low <= 0:
        _fail(f"{where}.low", f"{p.low} must be > 0 for a log range")
    if p.levels is not None and p.levels < 2:  # used by a grid design only
        _fail(f"{where}.levels", f"{p.levels} must be >= 2")
