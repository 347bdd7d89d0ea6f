"""The credential-race model as an EMA Workbench model, without an adapter.

    from ema_workbench import perform_experiments
    from experiments.ema import model_for

    model = model_for("default")                     # a discovery config's uncertainties and outcomes
    experiments, outcomes = perform_experiments(model, scenarios=100)

    model = model_for(scenario="china_route", uncertainties={"decision.privacy_weight": (0.5, 4.0)},
                      outcomes=["win.china_hc", "acceptance_reach.china_hc"], replications=10)

Each EMA experiment runs the model through the factory (values checked; the calibrated ensemble
drawn by the seed), once per common seed (a ReplicatorModel: outcomes are experiments x seeds
arrays). `experiments.discovery.ema.runs_from_ema` turns the results into a runs table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .discovery import Parameter
from .discovery.ema import ema_model
from .runner import replication_seeds
from .simulate import ModelSimulator


def model_for(discover: str | None = None, *, scenario: str | None = None,
              uncertainties: Mapping[str, tuple | list] | None = None, outcomes: Sequence[str] = (),
              overrides: Sequence[str] = (), replications: int = 1, seed: int = 0, name: str = "credential_race"):
    """An ema_workbench ReplicatorModel of the model.

    Either a discovery config by name (its base, uncertainties and outcomes), or a `scenario` with
    `uncertainties` (key -> (low, high) for a number, or a list of choices) and `outcomes`
    (declared names, experiments/outcomes.py)."""
    from .config import compose, to_experiment
    from .discover import load, parameters

    if discover is not None:
        spec, base, _ = load([f"discover={discover}", *overrides])
        from .sweeps.keys import check_parameters

        kinds = check_parameters(spec.uncertainties, base)
        params, names = parameters(spec, kinds), list(spec.outcomes)
    else:
        if not uncertainties or not outcomes:
            raise ValueError("model_for: give a discovery config name, or uncertainties and outcomes")
        base = to_experiment(compose(scenario, list(overrides)))
        params = []
        for key, bounds in uncertainties.items():
            if isinstance(bounds, list):
                params.append(Parameter(key, choices=tuple(bounds)))
            else:
                low, high = bounds
                params.append(Parameter(key, float(low), float(high), integer=isinstance(low, int)
                                        and isinstance(high, int)))
        names = list(outcomes)
    simulator = ModelSimulator(base, names)
    return ema_model(simulator, params, names, seeds=replication_seeds(seed, replications), name=name)
