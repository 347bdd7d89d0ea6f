"""The experiment config: a structured schema registered with Hydra, and its conversion to the
model's typed parameters.

The schema reuses the model's own dataclasses, so one definition serves the YAML files, Hydra's
type checking at compose time and the model. Ranges are checked by `ModelParams.validate()` and
`validate_experiment()`, whose messages name the key.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from model.params import (
    ConfigError,
    DecisionParams,
    ModelParams,
    OrganisationSpec,
    PairDealParams,
    ScenarioParams,
    SponsorSpec,
    StandardSpec,
    VaccineParams,
    WorldParams,
    validate_world,
)

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"


@dataclass
class CalibrationSpec:
    """Where the calibrated parameters come from (configs/calibration/)."""

    ensemble: str = ""  # CSV of accepted parameter sets (one column per dotted key); "" = the point values
    keep: list[str] = field(default_factory=list)  # keys whose configured value wins over the ensemble
    # (compose() adds every key given on the command line)


@dataclass
class ExperimentConfig:
    """The whole config of one experiment: model parameters plus how to run it."""

    world: WorldParams = field(default_factory=WorldParams)
    decision: DecisionParams = field(default_factory=DecisionParams)
    pair_deals: PairDealParams = field(default_factory=PairDealParams)
    vaccines: VaccineParams = field(default_factory=VaccineParams)
    standards: dict[str, StandardSpec] = field(default_factory=dict)
    sponsors: dict[str, SponsorSpec] = field(default_factory=dict)
    organisations: dict[str, OrganisationSpec] = field(default_factory=dict)
    scenario: ScenarioParams = field(default_factory=ScenarioParams)
    calibration: CalibrationSpec = field(default_factory=CalibrationSpec)
    seed: int = 0  # experiment seed; replication seeds are spawned from it, >= 0
    replications: int = 20  # independent runs, >= 1
    workers: int = 1  # processes for the replications (1 = in this process), >= 1, at most the cores
    oversubscribe: bool = False  # allow more workers than the machine's cores
    plots: bool = True  # write the PNG plots
    quiet: bool = False  # do not print the summary
    analysis: str = ""  # "" or "record": also compare with the public record (table and figure)


@dataclass
class _ScenarioSchema(ScenarioParams):
    """ScenarioParams as Hydra sees it: events untyped, so `+scenario.events.NAME={...}` can add one
    from the command line (OmegaConf cannot assign a dict to a typed dataclass entry); each event is
    typed and checked by `to_experiment`."""

    events: dict[str, Any] = field(default_factory=dict)


@dataclass
class _ExperimentSchema(ExperimentConfig):
    """The same, with every named collection untyped for Hydra (standards, sponsors, organisations,
    events), so an entry can be added by override; `to_experiment` types and checks each entry."""

    standards: dict[str, Any] = field(default_factory=dict)
    sponsors: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    scenario: _ScenarioSchema = field(default_factory=_ScenarioSchema)


# Collections whose entries an override may add or change (`++`): see _ExperimentSchema.
NAMED = ("standards.", "sponsors.", "organisations.", "scenario.events.")


def register_schema() -> None:
    """Make the schema available to configs/config.yaml as the `schema` default (once per process:
    storing converts the dataclasses again, which takes tens of milliseconds)."""
    store = ConfigStore.instance()
    if "schema.yaml" not in store.repo:
        store.store(name="schema", node=_ExperimentSchema)


def field_type(key: str) -> type | None:
    """The scalar type a dotted key of the experiment config takes (dict entries by value type), or None."""
    cls: Any = ExperimentConfig
    parts = key.lstrip("+~").split(".")
    depth = 0
    while depth < len(parts):
        if not dataclasses.is_dataclass(cls):
            return None
        hints = typing.get_type_hints(cls)
        hint = hints.get(parts[depth])
        if hint is None:
            return None
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            hint = args[0] if len(args) == 1 else hint
        if typing.get_origin(hint) is dict:
            hint = typing.get_args(hint)[1]
            depth += 1  # skip the entry's name
        if depth == len(parts) - 1:
            return hint if isinstance(hint, type) else None
        cls, depth = hint, depth + 1
    return None


def takes_mapping(key: str) -> bool:
    """Whether a dotted key of the experiment config holds a mapping (standards, sponsors.eu.affinity)."""
    cls: Any = ExperimentConfig
    parts = key.lstrip("+~").split(".")
    depth = 0
    while depth < len(parts) and dataclasses.is_dataclass(cls):
        hint = typing.get_type_hints(cls).get(parts[depth])
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            hint = args[0] if len(args) == 1 else hint
        if typing.get_origin(hint) is not dict:
            cls, depth = hint, depth + 1
            continue
        if depth == len(parts) - 1:
            return True
        cls, depth = typing.get_args(hint)[1], depth + 2  # past the entry's name
    return False


def refuse_empty_mappings(overrides: list[str]) -> None:
    """`KEY={}` on a mapping changes nothing (Hydra merges it into the entries already there): refuse
    it rather than let the user believe the entries are gone."""
    for o in overrides:
        key, sep, value = o.partition("=")
        if sep and value.strip() == "{}" and takes_mapping(key.split("@")[0]):
            name = key.lstrip("+~")
            raise ConfigError(f"{name}={{}}: an empty mapping changes nothing, it is merged into the entries "
                              f"{name} already has; pick a config group without them (sponsors=none, "
                              "organisations=none) or switch an event off (scenario.events.NAME.enabled=false)")


_WHOLE = re.compile(r"^[+-]?\d+\.0*$")


def normalise_overrides(overrides: list[str]) -> list[str]:
    """Overrides as Hydra should see them.

    - `KEY=5.0` becomes `KEY=5` when KEY takes a whole number;
    - `scenario.events.NAME...=VALUE` adds or changes an event (`++`), so `scenario.events.X.enabled=false`
      switches an event off and `scenario.events.Y={date: ..., type: ...}` adds one; standards,
      sponsors and organisations likewise; the entry's fields are then typed and checked like any other;
    - every dotted key set on the command line is listed in `calibration.keep`, so a calibrated
      ensemble never overwrites what the user asked for.
    """
    out, kept = [], []
    for o in overrides:
        key, sep, value = o.partition("=")
        if sep and _WHOLE.match(value.strip()) and field_type(key.split("@")[0]) is int:
            o = f"{key}={int(float(value))}"
        if sep and key.lstrip("+").startswith(NAMED):
            o = "++" + o.lstrip("+")
        name = key.lstrip("+~")
        if sep and "." in name and not name.startswith(("hydra.", "calibration.")):
            kept.append(name)
        out.append(o)
    if kept and not any(o.lstrip("+").startswith("calibration.keep=") for o in overrides):
        out.append(f"calibration.keep=[{','.join(dict.fromkeys(kept))}]")
    return out


def validate_experiment(cfg: ExperimentConfig) -> None:
    if cfg.seed < 0:
        raise ConfigError(f"seed = {cfg.seed}: must be >= 0")
    if cfg.replications < 1:
        raise ConfigError(f"replications = {cfg.replications}: must be >= 1")
    if cfg.workers < 1:
        raise ConfigError(f"workers = {cfg.workers}: must be >= 1")
    if cfg.analysis not in ("", "record"):
        raise ConfigError(f"analysis = {cfg.analysis!r}: must be '' or 'record'")


def to_experiment(cfg: DictConfig | ExperimentConfig) -> ExperimentConfig:
    """Turn a composed config into typed dataclasses and check every range."""
    if isinstance(cfg, ExperimentConfig):
        exp = cfg
    else:  # re-merge onto the schema: a key it lacks (even one appended with +key=...) raises
        plain = OmegaConf.to_container(cfg, resolve=True)
        plain.pop("hydra", None)
        try:
            exp = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(ExperimentConfig), plain))
        except OmegaConfBaseException as err:  # name the full key (an event's field, say)
            key = getattr(err, "full_key", "") or ""
            message = unknown_key_message(str(err), key) or str(err).splitlines()[0]
            raise ConfigError(f"{key}: {message}" if key and key not in message else message) from None
    validate_experiment(exp)
    validate_world(exp.world)
    model_params(exp).validate()
    check_run_size(exp)
    return exp


# A run keeps every replication's tables in memory: about this many bytes per timeseries row
# (replication x month x option, "all" included), measured with the records and the table copies.
BYTES_PER_ROW = 1000
MAX_REPLICATIONS = 10_000_000  # as many as a sweep's runs (experiments/sweeps/spec.py MAX_RUNS)


def check_run_size(exp: ExperimentConfig) -> None:
    """Refuse, before any seed is spawned, more replications than the ceiling or than memory holds."""
    from .sweeps.spec import MEMORY_SHARE, _bytes, available_memory

    need = BYTES_PER_ROW * exp.replications * exp.scenario.horizon * (len(exp.standards) + 2)
    size = (f"{exp.replications:,} replications x {exp.scenario.horizon} months would need about {_bytes(need)} "
            "of memory")
    if exp.replications > MAX_REPLICATIONS:
        raise ConfigError(f"replications = {exp.replications}: above the ceiling of {MAX_REPLICATIONS:,} ({size}); "
                          "use fewer, or a sweep for many runs")
    free = available_memory() if need > 100e6 else None  # small runs need no look at the machine
    if free is not None and need > MEMORY_SHARE * free:
        raise ConfigError(f"replications = {exp.replications}: {size}, more than {MEMORY_SHARE:.0%} of the "
                          f"{_bytes(free)} available; use fewer")


def model_params(exp: ExperimentConfig) -> ModelParams:
    return ModelParams(decision=exp.decision, pair_deals=exp.pair_deals, vaccines=exp.vaccines,
                       standards=exp.standards, sponsors=exp.sponsors, organisations=exp.organisations,
                       scenario=exp.scenario)


def compose(scenario: str | None = None, overrides: list[str] | tuple[str, ...] = ()) -> DictConfig:
    """Compose configs/config.yaml with a scenario and Hydra-style overrides, outside any Hydra app."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_schema()
    refuse_empty_mappings(list(overrides))
    overrides = normalise_overrides(list(overrides))
    if scenario is not None:
        overrides.insert(0, f"scenario={scenario}")
    if GlobalHydra.instance().is_initialized():  # already inside a Hydra app or compose context
        return hydra_compose(config_name="config", overrides=overrides)
    with initialize_config_dir(version_base=None, config_dir=str(CONFIG_DIR)):
        return hydra_compose(config_name="config", overrides=overrides)


def known_keys(parent: str) -> list[str]:
    """The keys a dotted parent (`decision`, `scenario.events.X`, "" for the top) of the schema takes."""
    cls: Any = ExperimentConfig
    parts = [p for p in parent.split(".") if p]
    if parts and parts[0] in ("sweep", "discover"):  # the other two entry points' roots
        from .discover_spec import DiscoverFile
        from .sweeps.spec import SweepFile

        cls = SweepFile if parts[0] == "sweep" else DiscoverFile
    depth = 0
    while depth < len(parts):
        hints = typing.get_type_hints(cls) if dataclasses.is_dataclass(cls) else {}
        hint = hints.get(parts[depth])
        if hint is None:
            return []
        if typing.get_origin(hint) is dict:
            hint = typing.get_args(hint)[1]
            depth += 1
        cls, depth = hint, depth + 1
    return sorted(typing.get_type_hints(cls)) if dataclasses.is_dataclass(cls) else []


_UNKNOWN = re.compile(r"Key '([^']+)' (?:is )?not in (?:struct|'[A-Za-z_]+')")
_OVERRIDE = re.compile(r"override '([^']+)'")


def unknown_key_message(text: str, full_key: str = "") -> str | None:
    """'decision.rationalty: unknown key; did you mean decision.rationality?' for Hydra's and
    OmegaConf's unknown-key errors (instead of their advice to append with +, which fails)."""
    import difflib

    name = _UNKNOWN.search(text)
    where = _OVERRIDE.search(text)
    key = (where.group(1) if where else full_key).lstrip("+~")
    if not name or not key:
        return None
    parent = key.rsplit(".", 1)[0] if "." in key else ""
    known = known_keys(parent)
    close = difflib.get_close_matches(name.group(1), known, n=1)
    hint = f"; did you mean {parent + '.' if parent else ''}{close[0]}?" if close else ""
    listed = f" ({parent or 'the config'} takes: {', '.join(known)})" if known else ""
    return f"{key}: unknown key{hint}{listed}"


def one_line(err: BaseException) -> str:
    """Hydra's and OmegaConf's multi-line messages (and their cause), folded into one line."""
    cause = err.__cause__ or (None if err.__suppress_context__ else err.__context__)
    unknown = unknown_key_message(f"{err}\n{cause or ''}", getattr(err, "full_key", "") or "")
    if unknown:
        return unknown
    text = str(err).split("Config search path")[0]
    override = getattr(err, "override", None)  # Hydra's parse errors name the override only here
    if isinstance(override, str) and override not in text:
        text = f"{override}: {text}"
    if cause is not None and str(cause) and str(cause).splitlines()[0] not in text:
        text += "\n" + str(cause)
    lines = [ln.strip() for ln in text.splitlines()]
    keep = [ln for ln in lines if ln and not ln.startswith(("object_type=", "reference_type=", "full_key:"))]
    return "; ".join(keep).replace(":;", ":").replace("\t", " ")
