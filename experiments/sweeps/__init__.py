"""Parameter sweeps: designs over config keys, replications, parallel or distributed execution,
and a resumable results folder (see docs/sweeps.md).

    from experiments.sweeps import load_sweep, run_sweep
    sweep = load_sweep(["sweep=privacy_vs_deals", "sweep.replications=20"])
    results = run_sweep(sweep)      # results.runs, results.points: the tables in the folder
"""

from .compose import Sweep, load_sweep, make_sweep
from .design import make_design, run_seed
from .runner import SweepResults, run_sweep
from .spec import ParameterSpec, SweepSpec

__all__ = ["ParameterSpec", "Sweep", "SweepResults", "SweepSpec", "load_sweep", "make_design", "make_sweep", "run_seed",
           "run_sweep"]
