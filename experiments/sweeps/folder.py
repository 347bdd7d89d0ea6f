"""Open a finished sweep's results folder for analysis: its tables, its config, and its figures.

    from experiments.sweeps.folder import open_sweep
    sweep = open_sweep("sweeps/privacy_vs_deals")
    sweep.points                      # one row per design point: win probabilities with intervals
    sweep.phase_diagram()             # labelled with names and units, the calibrated point marked
    runs = sweep.runs_with_wins()     # one row per run, 0/1 columns win.<standard>, fragmented (for PRIM)

The folder is read as written by `experiments.sweep` (store.py); nothing in it is changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from matplotlib.figure import Figure
from omegaconf import OmegaConf

from model.params import ConfigError

from ..config import ExperimentConfig, to_experiment
from .compose import Sweep
from .plots import (
    Style,
    outcome_style,
    plot_binned,
    plot_phase_diagram,
    plot_sensitivity,
    plot_win_curve,
    plot_winner_map,
    reference_values,
)
from .runs import OK
from .spec import SweepSpec
from .store import CONFIG, DESIGN, MANIFEST, POINTS, RUNS
from .tables import winners


def win_column(outcome: str) -> str:
    """The 0/1 run column of a race outcome: `win.<standard>`, or `fragmented`."""
    return outcome if outcome == "fragmented" else f"win.{outcome}"


@dataclass
class SweepFolder:
    """A finished sweep, as tables and the config it ran with."""

    path: Path
    sweep: Sweep
    manifest: dict
    design: pd.DataFrame
    runs: pd.DataFrame
    points: pd.DataFrame
    sensitivity: pd.DataFrame | None

    @property
    def keys(self) -> list[str]:
        return self.sweep.keys

    @property
    def standard_names(self) -> dict[str, str]:
        return self.sweep.standard_names

    @property
    def title(self) -> str:
        ok = int((self.runs["status"] == OK).sum())
        return f"{self.sweep.spec.name}: {self.sweep.base.scenario.name}, {len(self.points)} points, {ok} runs"

    def style(self) -> Style:
        ok = self.runs[self.runs["status"] == OK]
        reference, label = reference_values(self.sweep.base, self.keys)
        return outcome_style(self.sweep.choices, self.standard_names, set(ok["winner"]), self.keys, reference, label)

    def labels(self) -> dict[str, tuple[str, str]]:
        """key -> (label, unit) from the parameter schema, for experiments.discovery's reports."""
        from model import describe

        out = {}
        for key in self.keys:
            info = describe(key)
            if info is not None:
                out[key] = (info.label, info.unit)
        for w in winners(self.sweep.choices):
            out[win_column(w)] = (f"{self.standard_names.get(w, w)} wins" if w != "fragmented"
                                  else "no standard wins (fragmented)", "")
        return out

    def runs_with_wins(self) -> pd.DataFrame:
        """The finished runs, each with a 0/1 column per outcome of the race: `win.<standard>` and
        `fragmented` (as sweeps keep them; added from `winner` for folders written before they did)."""
        ok = self.runs[self.runs["status"] == OK].reset_index(drop=True)
        return ok.assign(**{win_column(w): (ok["winner"] == w).astype(int) for w in winners(self.sweep.choices)})

    def phase_diagram(self) -> Figure:
        if self.sweep.spec.design != "grid" or len(self.keys) != 2:
            raise ConfigError(f"{self.path}: a phase diagram needs a grid over two parameters; this sweep is a "
                              f"{self.sweep.spec.design} design over {len(self.keys)} (use win_curves())")
        return plot_phase_diagram(self.points, self.keys, self.style(), self.title)

    def winner_map(self) -> Figure:
        if self.sweep.spec.design != "grid" or len(self.keys) != 2:
            raise ConfigError(f"{self.path}: a winner map needs a grid over two parameters")
        return plot_winner_map(self.points, self.keys, self.style(), self.title)

    def win_curves(self) -> Figure:
        """Win probability against each parameter: exact points for one parameter, bins otherwise."""
        style = self.style()
        if len(self.keys) == 1:
            return plot_win_curve(self.points, self.keys[0], style, self.title)
        return plot_binned(self.runs, self.keys, style, self.title)

    def sensitivity_plot(self) -> Figure:
        if self.sensitivity is None:
            raise ConfigError(f"{self.path}: no sensitivity.parquet (only Sobol and Morris designs have one)")
        return plot_sensitivity(self.sensitivity, self.style(), self.title)


def _typed(node, schema) -> object:
    return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(schema), node))


def open_sweep(folder: str | Path) -> SweepFolder:
    """Read a finished sweep folder; ConfigError naming the folder when it is not one."""
    path = Path(folder)
    missing = [name for name in (CONFIG, MANIFEST, DESIGN, RUNS, POINTS) if not (path / name).is_file()]
    if missing:
        raise ConfigError(f"{path}: not a finished sweep folder (missing {', '.join(missing)}); run "
                          "python -m experiments.sweep first, or let an unfinished one resume")
    config = yaml.safe_load((path / CONFIG).read_text())
    spec = _typed(config["sweep"], SweepSpec)
    base = to_experiment(_typed(config["experiment"], ExperimentConfig))
    sensitivity = path / "sensitivity.parquet"
    return SweepFolder(path, Sweep(spec, base, {}), json.loads((path / MANIFEST).read_text()),
                       pd.read_parquet(path / DESIGN), pd.read_parquet(path / RUNS), pd.read_parquet(path / POINTS),
                       pd.read_parquet(sensitivity) if sensitivity.is_file() else None)
