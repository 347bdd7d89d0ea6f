"""From command-line overrides to a checked sweep: the sweep config and its base experiment.

Overrides of `sweep` and `sweep.*` go to configs/sweep_config.yaml (the named sweep from
configs/sweep/); all others go, after the sweep's own `base` overrides, to the experiment
config (configs/config.yaml). Each is composed once; design points are then set on copies of
the typed experiment (see keys.py), never composed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from pathlib import Path

import yaml
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from model.params import ConfigError, option_names

from ..config import CONFIG_DIR, ExperimentConfig, compose, model_params, register_schema, to_experiment
from ..outcomes import Outcome, default_outcomes, parse_all
from .keys import check_parameters
from .spec import SweepFile, SweepSpec, check_size, check_spec, output_folder, register_sweep_schema

# What a sweep's results depend on: these sweep keys and the base experiment's model parameters. The
# others (executor, workers, batch size, output, progress, plots) change how it runs, never what it
# computes, so a sweep may be resumed with another executor, worker count or batch size.
IDENTITY_KEYS = ("parameters", "design", "levels", "samples", "second_order", "seed", "replications", "outcomes")
MODEL_KEYS = ("world", "decision", "pair_deals", "vaccines", "standards", "sponsors", "organisations", "scenario",
              "calibration")
# Keys naming input files, whose contents the results depend on as much as on their names.
INPUT_FILE_KEYS = ("world.countries_file", "world.flows_file")
EMBEDDED_COUNTRIES = Path(str(files("model") / "data" / "countries.csv"))  # when world.countries_file is ""
# The facts every real-data world joins by ISO3 (model/facts.py): vaccines, sanctions, travel controls.
EMBEDDED_FACTS = tuple(Path(str(files("model") / "data" / name))
                       for name in ("vaccines.csv", "sanctions.csv", "travel_controls.csv"))
# Experiment keys a sweep replaces with its own (sweep.seed, sweep.replications, sweep.workers).
REPLACED = {"seed": "sweep.seed", "replications": "sweep.replications", "workers": "sweep.workers"}


@dataclass
class Sweep:
    """A checked sweep: its config, the composed base experiment and the type of each swept key."""

    spec: SweepSpec
    base: ExperimentConfig
    kinds: dict[str, type]
    outcomes: list[Outcome] = field(default_factory=list)  # what each run keeps; "winner" first

    @property
    def keys(self) -> list[str]:
        return list(self.spec.parameters)

    @property
    def choices(self) -> list[str]:
        """Every option a country can end on: "none", then the standards."""
        return ["none", *self.base.standards]

    @property
    def standard_names(self) -> dict[str, str]:
        return option_names(self.base.standards)

    @property
    def folder(self) -> str:
        return output_folder(self.spec)

    @cached_property
    def inputs(self) -> dict[str, dict[str, str]]:
        """Every input file the runs read, by the key naming it: {"path": ..., "sha256": ... of its contents}.

        The countries file (the embedded dataset when world.countries_file is empty) unless every
        run's world is synthetic, the flows file when a run reads one, and each file a swept key
        chooses. ConfigError naming the key when one cannot be read.
        """
        world, params = self.base.world, self.spec.parameters
        kinds = set(params["world.kind"].choices or ()) if "world.kind" in params else {world.kind}
        files: dict[str, str] = {}
        if kinds - {"synthetic"}:
            files["world.countries_file"] = world.countries_file or str(EMBEDDED_COUNTRIES)
            for path in EMBEDDED_FACTS:
                files[f"model/data/{path.name}"] = str(path)
        if self.base.calibration.ensemble:
            from ..factory import REPO

            ensemble = self.base.calibration.ensemble
            files["calibration.ensemble"] = ensemble if Path(ensemble).is_absolute() else str(REPO / ensemble)
        if "flows" in kinds and world.flows_file:
            files["world.flows_file"] = world.flows_file
        for key in INPUT_FILE_KEYS:
            for i, choice in enumerate(params[key].choices or () if key in params else ()):
                files[f"sweep.parameters.{key}.choices[{i}]"] = str(choice) or str(EMBEDDED_COUNTRIES)
        return {key: {"path": path, "sha256": file_digest(key, path)} for key, path in files.items()}

    @cached_property
    def config_hash(self) -> str:
        """A short hash of everything the results depend on (not of how or where they are computed),
        input files' contents included."""
        return self._hash({k: v["sha256"] for k, v in self.inputs.items()})

    @cached_property
    def legacy_hash(self) -> str:
        """The hash of folders started before input contents were part of it (their manifest has no inputs)."""
        return self._hash(None)

    def _hash(self, inputs: dict[str, str] | None) -> str:
        spec = dataclasses.asdict(self.spec)
        base = dataclasses.asdict(self.base)
        identity = {"sweep": {k: spec[k] for k in IDENTITY_KEYS}, "experiment": {k: base[k] for k in MODEL_KEYS}}
        if inputs is not None:
            identity["inputs"] = inputs
        text = json.dumps(identity, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def resolved_yaml(self) -> str:
        """The sweep and its base experiment, fully resolved, as YAML."""
        both = {"sweep": dataclasses.asdict(self.spec), "experiment": dataclasses.asdict(self.base)}
        return yaml.safe_dump(both, sort_keys=False, allow_unicode=True)


def file_digest(key: str, path: str) -> str:
    """The sha256 of a file's contents, read in blocks; ConfigError naming the key when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
    except OSError as err:
        raise ConfigError(f"{key}: cannot read '{path}' ({err.strerror or err})") from None
    return digest.hexdigest()


def _key(override: str) -> str:
    return override.lstrip("~+").split("=", 1)[0].split("@", 1)[0]


def split_overrides(overrides: list[str]) -> tuple[list[str], list[str]]:
    """(overrides of the sweep config, overrides of the experiment), each in the given order."""
    sweep, experiment = [], []
    for o in overrides:
        key = _key(o)
        (sweep if key == "sweep" or key.startswith("sweep.") else experiment).append(o)
    return sweep, experiment


def compose_spec(overrides: list[str]) -> SweepSpec:
    """Compose configs/sweep_config.yaml with the sweep overrides into a typed SweepSpec.

    `sweep.parameters={KEY: {...}}` merges into the named sweep's parameters: it adds KEY or
    changes the fields given (Hydra would refuse a new KEY without `++`, so it is added here).
    """
    for o in overrides:
        if o.lstrip("+").startswith("sweep.parameters=") and o.partition("=")[2].strip() == "{}":
            raise ConfigError("sweep.parameters={}: an empty mapping changes nothing, it is merged into the named "
                              "sweep's parameters; give a key to sweep: sweep.parameters={KEY: {low: ..., high: ...}}")
    overrides = [f"++{o}" if o.startswith("sweep.parameters=") else o for o in overrides]
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_sweep_schema()
    if GlobalHydra.instance().is_initialized():  # already inside a Hydra app or compose context
        cfg = hydra_compose(config_name="sweep_config", overrides=list(overrides))
    else:
        with initialize_config_dir(version_base=None, config_dir=str(CONFIG_DIR)):
            cfg = hydra_compose(config_name="sweep_config", overrides=list(overrides))
    # re-merged onto the schema: a key it lacks (even one appended with +sweep.KEY=...) raises, naming it
    try:
        return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(SweepFile), OmegaConf.to_container(cfg))).sweep
    except OmegaConfBaseException as err:
        key = getattr(err, "full_key", "") or ""
        message = str(err).splitlines()[0]
        raise ConfigError(f"{key}: {message}" if key and key not in message else message) from None


def load_sweep(overrides: list[str]) -> Sweep:
    """Compose and check a sweep and its base experiment; ConfigError (or a Hydra error) when bad."""
    sweep_overrides, experiment_overrides = split_overrides(list(overrides))
    return make_sweep(compose_spec(sweep_overrides), experiment_overrides)


def make_sweep(spec: SweepSpec, experiment_overrides: list[str] = ()) -> Sweep:
    """Check a sweep config and compose its base experiment (the sweep's `base`, then the overrides)."""
    spec = check_spec(spec)
    experiment_overrides = list(experiment_overrides)
    for where, given in (("sweep.base", spec.base), ("the command line", experiment_overrides)):
        for o in given:
            if _key(o) in REPLACED:
                raise ConfigError(f"{_key(o)}: a sweep sets this with {REPLACED[_key(o)]} (found '{o}' in {where})")
    register_schema()
    base = to_experiment(compose(None, [*spec.base, *experiment_overrides]))
    kinds = check_parameters(spec.parameters, base)
    check_size(spec, options=1 + len(base.standards))
    params = model_params(base)
    names = list(spec.outcomes) or default_outcomes(params)
    names = names if "winner" in names else ["winner", *names]
    return Sweep(spec, base, kinds, parse_all(names, params, "sweep.outcomes"))
