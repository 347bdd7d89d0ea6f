"""Configured experiments on the credential model: Hydra entry points, runner, outputs, plots."""

from .config import ExperimentConfig, compose, to_experiment
from .runner import Results, build_model, replication_seeds, run_experiment

__all__ = ["ExperimentConfig", "Results", "build_model", "compose", "replication_seeds", "run_experiment",
           "to_experiment"]
