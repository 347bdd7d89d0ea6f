"""The discovery config (configs/discover/NAME.yaml): uncertainties, outcomes and each analysis.

`DiscoverSpec` is the schema Hydra checks (a typo fails at compose time); `check` then checks what
types cannot, with the full key in every message. Keys and ranges are those of sweeps
(experiments/sweeps/spec.py ParameterSpec); outcomes are declared names (experiments/outcomes.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from model.params import ConfigError

from .sweeps.spec import ParameterSpec


@dataclass
class LeverSpec:
    """A sponsor's lever in a what-it-takes search: a range (or choices) and its price per unit."""

    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: list[Any] | None = None  # for a categorical lever (a targeting strategy, a bid: false/true); the
    # first choice is what history did and costs nothing, every other costs `price`
    price: float = 0.0  # cost of one unit of change, in set-up costs (see the config's note on prices)
    base: float | None = None  # what history did (the cost counts |value - base|); None = low


@dataclass
class StrategySpec:
    """What it would take: the cheapest lever setting that makes `outcome` happen with P >= 1/2."""

    outcome: str = ""  # a binary outcome: win.<standard>, or lose.eu_dcc for "what would have stopped it"
    scenario: str = ""  # where the world starts ("" = the discovery's base)
    overrides: list[str] = field(default_factory=list)  # and what else is set there
    levers: dict[str, LeverSpec] = field(default_factory=dict)
    start: dict[str, Any] = field(default_factory=dict)  # a strategy tried first (a known route), lever -> value
    note: str = ""


@dataclass
class ThresholdSpec:
    """A tipping point: the lever value at which P(`standard` wins) crosses one half."""

    standard: str = ""
    lever: str = ""  # a numeric key; its range is the uncertainty's of the same key, or low/high
    low: float | None = None
    high: float | None = None
    scenario: str = ""  # the world it is searched in ("" = the discovery's base)
    starts: dict[str, list[str]] = field(default_factory=dict)  # two named starts (overrides): hysteresis


@dataclass
class DiscoverSpec:
    """Scenario discovery: a design over declared uncertainties with replications, then PRIM and CART,
    Morris then Sobol, tipping points, paired counterfactuals and what it would take."""

    name: str = "custom"
    description: str = ""
    base: list[str] = field(default_factory=list)  # experiment overrides every run starts from
    uncertainties: dict[str, ParameterSpec] = field(default_factory=dict)
    outcomes: list[str] = field(default_factory=list)  # kept per run; numeric (win.X, acceptance_reach.X, ...)
    samples: int = 500  # Latin hypercube points
    replications: int = 10  # runs per point (common seeds per point)
    seed: int = 0
    executor: str = "processes"
    workers: int = 0  # 0 = one per core
    oversubscribe: bool = False
    output: str = ""  # "" = outputs/discover/<name>
    boxes: list[str] = field(default_factory=list)  # binary outcomes explained by PRIM and CART
    density: float = 0.8  # PRIM: the least share of the box's points where the outcome happens
    resamples: int = 20  # PRIM: bootstrap resamples for the box's stability
    sensitivity: list[str] = field(default_factory=list)  # continuous outcomes for Morris then Sobol
    morris_trajectories: int = 10
    sobol_samples: int = 64  # a power of two
    sobol_top: int = 4  # factors Morris ranks highest, given to Sobol
    sensitivity_replications: int = 2
    thresholds: dict[str, ThresholdSpec] = field(default_factory=dict)
    threshold_grid: int = 9
    threshold_replications: int = 16
    counterfactuals: list[str] = field(default_factory=list)  # named scenarios, each against its claims' baseline
    counterfactual_outcomes: list[str] = field(default_factory=list)
    counterfactual_replications: int = 30
    strategies: dict[str, StrategySpec] = field(default_factory=dict)  # a name (a sponsor) -> search
    strategy_candidates: int = 40  # optimiser budget: candidate strategies per search
    strategy_replications: int = 6  # seeds per candidate
    strategy_confirm: int = 4  # best candidates re-run on fresh seeds


@dataclass
class DiscoverFile:
    """The root of configs/discover_config.yaml: one `discover` node from configs/discover/<name>.yaml."""

    discover: DiscoverSpec = field(default_factory=DiscoverSpec)


def register_discover_schema() -> None:
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="discover_schema", node=DiscoverFile)


def _fail(key: str, message: str) -> None:
    raise ConfigError(f"discover.{key}: {message}")


def check(spec: DiscoverSpec) -> DiscoverSpec:
    """Sizes, budgets and cross-references; ConfigError naming the key."""
    if not spec.uncertainties:
        _fail("uncertainties", "empty; declare at least one config key with {low: ..., high: ...} or {choices: [...]}")
    for key, least in (("samples", 1), ("replications", 1), ("resamples", 1), ("morris_trajectories", 2),
                       ("sobol_samples", 2), ("sobol_top", 1), ("sensitivity_replications", 1), ("threshold_grid", 3),
                       ("threshold_replications", 2), ("counterfactual_replications", 2),
                       ("strategy_candidates", 1), ("strategy_replications", 1), ("strategy_confirm", 1)):
        if getattr(spec, key) < least:
            _fail(key, f"{getattr(spec, key)} must be >= {least}")
    if spec.sobol_samples & (spec.sobol_samples - 1):
        _fail("sobol_samples", f"{spec.sobol_samples} is not a power of two, which Sobol needs")
    if not 0 < spec.density <= 1:
        _fail("density", f"{spec.density} must be in (0, 1]")
    if not spec.outcomes:
        _fail("outcomes", "empty; declare at least one outcome, e.g. win.eu_dcc")
    for group in ("boxes", "sensitivity", "counterfactual_outcomes"):
        for name in getattr(spec, group):
            if group != "counterfactual_outcomes" and name not in spec.outcomes:
                _fail(group, f"'{name}' is not among discover.outcomes ({', '.join(spec.outcomes)})")
    for name in spec.boxes:
        if not name.startswith(("win.", "lose.", "fragmented")):
            _fail("boxes", f"'{name}' is not a binary outcome (win.<standard>, lose.<standard> or fragmented)")
    for name, t in spec.thresholds.items():
        where = f"thresholds.{name}"
        if t.lever not in spec.uncertainties and (t.low is None or t.high is None):
            _fail(where, f"lever '{t.lever}' is not an uncertainty; give low and high")
        if t.starts and len(t.starts) != 2:
            _fail(f"{where}.starts", f"give two named starts for a hysteresis check, got {len(t.starts)}")
    for name, s in spec.strategies.items():
        where = f"strategies.{name}"
        if not s.outcome.startswith(("win.", "lose.")):
            _fail(f"{where}.outcome", f"'{s.outcome}' must be win.<standard> or lose.<standard>")
        if not s.levers:
            _fail(f"{where}.levers", "empty; give the sponsor at least one lever with a range and a price")
        for key, lever in s.levers.items():
            if lever.choices is None and (lever.low is None or lever.high is None or lever.low >= lever.high):
                _fail(f"{where}.levers.{key}", "give low < high, or choices")
            if lever.price < 0:
                _fail(f"{where}.levers.{key}.price", f"{lever.price} must be >= 0")
        if s.start and set(s.start) != set(s.levers):
            _fail(f"{where}.start", f"give a value for every lever ({', '.join(s.levers)}), got {', '.join(s.start)}")
    return spec
