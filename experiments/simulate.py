"""The model as a simulator for the discovery package and EMA Workbench: (values, seed) -> outcomes.

    sim = ModelSimulator.for_scenario("historical_2021", ["win.eu_dcc", "acceptance_reach.china_hc"])
    sim({"decision.privacy_weight": 1.0}, seed=3)      # {"win.eu_dcc": 1, "acceptance_reach.china_hc": 0.02}

Each call builds the model through the factory (values checked like any config; the calibrated
ensemble draws by the seed; the given keys keep their value), runs it and reads the declared
outcomes (experiments/outcomes.py). With a `RunCache`, finished runs are kept on disk in atomic
chunks, so an analysis stopped part-way replays the same calls from the cache when run again.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .config import ExperimentConfig, compose, model_params, to_experiment
from .factory import model_from, with_values
from .outcomes import parse_all, read_all
from .runner import record_of
from .sweeps.store import atomic_write


def _key(values: Mapping[str, Any], seed: int) -> str:
    text = json.dumps({"values": dict(values), "seed": int(seed)}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class RunCache:
    """Finished runs of one analysis on disk: a folder of chunks, each written atomically."""

    def __init__(self, folder: str | Path, flush_every: int = 25) -> None:
        self.folder = Path(folder)
        self.flush_every = flush_every
        self.results: dict[str, dict[str, float]] = {}
        self.pending: list[dict] = []
        if self.folder.is_dir():
            for chunk in sorted(self.folder.glob("chunk-*.parquet")):
                for row in pd.read_parquet(chunk).to_dict("records"):
                    key = row.pop("key")
                    self.results[key] = row

    def get(self, key: str) -> dict[str, float] | None:
        return self.results.get(key)

    def put(self, key: str, outcomes: dict[str, float]) -> None:
        self.results[key] = outcomes
        self.pending.append({"key": key, **outcomes})
        if len(self.pending) >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"chunk-{len(list(self.folder.glob('chunk-*.parquet'))):06d}-{uuid.uuid4().hex[:6]}.parquet"
        table = pd.DataFrame(self.pending)
        atomic_write(self.folder / name, lambda path: table.to_parquet(path, index=False), durable=False)
        self.pending = []


class ModelSimulator:
    """`simulate(values, seed) -> {outcome: number}` on a composed experiment (see the module docstring)."""

    def __init__(self, base: ExperimentConfig, outcomes: list[str], cache: RunCache | None = None,
                 fixed: Mapping[str, Any] | None = None) -> None:
        self.base = base
        self.names = list(outcomes)
        self.outcomes = parse_all(self.names, model_params(base), "outcomes")
        text = [o.name for o in self.outcomes if o.dtype == "string"]
        if text:
            raise ValueError(f"outcomes: {text[0]} is not a number; a simulator returns numbers (use win.<standard>)")
        self.cache = cache
        self.fixed = dict(fixed or {})
        self.calls = 0

    @classmethod
    def for_scenario(cls, scenario: str | None, outcomes: list[str], overrides: list[str] | tuple[str, ...] = (),
                     cache: RunCache | None = None) -> ModelSimulator:
        return cls(to_experiment(compose(scenario, list(overrides))), outcomes, cache)

    def __call__(self, values: Mapping[str, Any], seed: int) -> dict[str, float]:
        values = {**self.fixed, **values}
        key = _key(values, seed)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            return {n: hit[n] for n in self.names}
        model = model_from(with_values(self.base, values), int(seed), keep=values).run()
        found = read_all(self.outcomes, record_of(model, 0, int(seed)), model.params)
        out = {n: float(found[n]) if found[n] is not None else float("nan") for n in self.names}
        self.calls += 1
        if self.cache is not None:
            self.cache.put(key, out)
        return out

    def close(self) -> None:
        if self.cache is not None:
            self.cache.flush()
