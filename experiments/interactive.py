"""The credential race as a Mesa model that Mesa's own tools accept: `batch_run`, `DataCollector`
and SolaraViz.

`CredentialRace` is a `model.CredentialModel` built from a scenario name plus flat keyword
parameters (the levers a policy analyst turns), so that Mesa can construct it the way it constructs
its own examples:

    CredentialRace(scenario_name="who_endorses_china", privacy_weight=1.0, rng=3).run()
    mesa.batch_run(CredentialRace, {"scenario_name": "historical_2021", "rationality": [2, 8]},
                   rng=[1, 2, 3], max_steps=36)

Every keyword defaults to None, "as the scenario has it", so `CredentialRace()` is the historical
scenario with its calibrated ensemble, never a silent swap for another world; an unknown scenario
or a value outside its range raises `model.ConfigError` with the one line the command line prints
(`decision.rationality = -1.0: must be >= 0 (inf for best response)`). A keyword that is set keeps
its value over the calibrated ensemble, exactly as a key given on the command line does. The model
is the one `experiments.factory.factory(scenario_name)(values, seed)` builds, step for step.

`Mesa Scenario` is Mesa 3.5's own name for a parameter set (`Model.scenario`), hence `scenario_name`.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any

import mesa
import numpy as np

from model import CredentialModel, describe
from model.metrics import DEAL_KINDS
from model.params import NONE, ConfigError, EventSpec, months_between, option_names

from .config import CONFIG_DIR, ExperimentConfig, model_params, to_experiment
from .factory import Factory, factory, with_draw

DEFAULT_SCENARIO = "historical_2021"
# flat keyword -> the dotted config key it sets
LEVERS = {
    "rationality": "decision.rationality",
    "privacy_weight": "decision.privacy_weight",
    "network_weight": "decision.network_weight",
    "pair_deal_rate": "pair_deals.rate",
}
SPONSOR_IDS = ("eu", "china", "us", "india")  # the sponsors of configs/sponsors/real_2021.yaml
PLATFORM_EVENT = "who_platform"  # the event a `who_platform` keyword adds to the scenario


def scenario_names() -> list[str]:
    """The named scenarios in configs/scenario/."""
    return sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


@functools.lru_cache(maxsize=32)
def scenario_factory(scenario_name: str) -> Factory:
    """The composed scenario (cached: composing costs a tenth of a second, building a model far less)."""
    known = scenario_names()
    if scenario_name not in known:
        raise ConfigError(f"scenario_name: unknown scenario '{scenario_name}'; known: {', '.join(known)}")
    return factory(scenario_name)


def lever_values(rationality=None, privacy_weight=None, network_weight=None, pair_deal_rate=None,
                 sponsors: Mapping[str, Mapping[str, Any]] | None = None,
                 values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The dotted config keys the flat keywords set (None: left as the scenario has it)."""
    out = dict(values or {})
    given = {"rationality": rationality, "privacy_weight": privacy_weight, "network_weight": network_weight,
             "pair_deal_rate": pair_deal_rate}
    out.update({LEVERS[name]: value for name, value in given.items() if value is not None})
    for sponsor, levers in (sponsors or {}).items():
        out.update({f"sponsors.{sponsor}.{name}": value for name, value in levers.items() if value is not None})
    return out


def with_platform(exp: ExperimentConfig, standard: str | None, month: str | None) -> ExperimentConfig:
    """The experiment with the WHO's platform replaced: `standard` hosted from `month`.

    standard None keeps the scenario's platform (moved to `month` if given); "none" removes every WHO
    platform; a standard id replaces the scenario's platform with that standard, from `month`, else
    from the scenario's platform date, else from that standard's launch."""
    if standard in (None, "") and month in (None, ""):
        return exp
    exp = copy.deepcopy(exp)
    events = exp.scenario.events
    hosted = [name for name, ev in events.items() if ev.enabled and ev.type == "host_platform" and ev.by == "WHO"]
    if standard in (None, ""):
        if not hosted:
            raise ConfigError(f"who_platform_month: scenario {exp.scenario.name} has no WHO platform to move; "
                              "set who_platform to the standard the WHO hosts")
        for name in hosted:
            events[name].date = month
        return to_experiment(exp)
    date = month or (events[hosted[0]].date if hosted else "")
    for name in hosted:
        events[name].enabled = False
    if standard != NONE:
        if not date:
            date = (model_params(exp).launch_month(standard) if standard in exp.standards else exp.scenario.start)
            if months_between(exp.scenario.start, date) < 0:
                date = exp.scenario.start
        events[PLATFORM_EVENT] = EventSpec(date=date, type="host_platform", standard=standard, by="WHO",
                                           note=f"The WHO hosts {standard} as its platform (set by who_platform)")
    return to_experiment(exp)


def fresh_seed(rng) -> int:
    """An int seed for the model and its ensemble draw: `rng` itself, one drawn from a Generator, or
    fresh entropy for None."""
    if isinstance(rng, int | np.integer):
        if rng < 0:
            raise ConfigError(f"rng = {rng}: a seed must be >= 0")
        return int(rng)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**63 - 1))
    if isinstance(rng, str) and rng.strip().isdigit():  # a seed typed into a text box
        return int(rng.strip())
    if rng is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
    raise ConfigError(f"rng = {rng!r}: give a whole-number seed, a numpy Generator or None")


# ---------------------------------------------------------------- reporters (module-level: picklable)

def option_value(measure: str, option: int, model: CredentialRace) -> float:
    """This month's value of an [month, option] history array."""
    return float(getattr(model.history, measure)[model.month, option])


def world_value(measure: str, model: CredentialRace) -> float:
    return float(getattr(model.history, measure)[model.month])


def deals_signed(kind: int, model: CredentialRace) -> int:
    return int(model.history.deals[model.month, kind])


def month_label(model: CredentialRace) -> str:
    return model.month_label(model.month)


class CredentialRace(CredentialModel):
    """A configured scenario, built from its name and flat keyword levers (see the module docstring).

    Keywords: `scenario_name` (configs/scenario/), `rationality`, `privacy_weight`, `network_weight`
    (decision.*), `pair_deal_rate` (pair_deals.rate), `<sponsor>_budget` and `<sponsor>_strategy`
    for the sponsors eu, china, us and india, `who_platform` (the standard the WHO hosts, "none" for
    no platform) and `who_platform_month` (YYYY-MM), `values` (any other dotted keys) and `rng` (a
    seed; it also picks the calibrated parameter set). Units and ranges: `model.describe(key)`.
    """

    def __init__(self, *, scenario_name: str = DEFAULT_SCENARIO, rationality: float | None = None,
                 privacy_weight: float | None = None, network_weight: float | None = None,
                 pair_deal_rate: float | None = None,
                 eu_budget: float | None = None, eu_strategy: str | None = None,
                 china_budget: float | None = None, china_strategy: str | None = None,
                 us_budget: float | None = None, us_strategy: str | None = None,
                 india_budget: float | None = None, india_strategy: str | None = None,
                 who_platform: str | None = None, who_platform_month: str | None = None,
                 values: Mapping[str, Any] | None = None, rng: int | np.random.Generator | None = None) -> None:
        sponsors = {"eu": {"budget": eu_budget, "strategy": eu_strategy},
                    "china": {"budget": china_budget, "strategy": china_strategy},
                    "us": {"budget": us_budget, "strategy": us_strategy},
                    "india": {"budget": india_budget, "strategy": india_strategy}}
        levers = lever_values(rationality, privacy_weight, network_weight, pair_deal_rate, sponsors, values)
        exp = with_platform(scenario_factory(scenario_name).config(levers), who_platform, who_platform_month)
        seed = fresh_seed(rng)
        exp, drawn = with_draw(exp, seed, keep=levers)  # the calibrated set this seed runs with, as run does
        super().__init__(world=exp.world, params=model_params(exp), rng=seed)
        self.scenario_name = scenario_name
        self.seed = seed
        self.levers = levers  # the dotted keys set on purpose
        self.drawn = drawn  # the calibrated parameter set drawn for this seed ({} without an ensemble)
        self.config = exp
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())

    @property
    def standard_names(self) -> dict[str, str]:
        """Display name of each option, "none" first."""
        return option_names(self.params.standards)

    def _reporters(self) -> dict[str, Any]:
        """One column per standard for the win measure, travel share and adopters; the run-level
        series; cumulative deals by kind. Each reads this month's row of the history: nothing is
        computed twice."""
        reporters: dict[str, Any] = {"month": month_label}
        for k, sid in enumerate(self.choices):
            if k:
                reporters[f"acceptance_reach_{sid}"] = functools.partial(option_value, "acceptance_reach", k)
                reporters[f"travel_share_{sid}"] = functools.partial(option_value, "travel_share", k)
            reporters[f"adopters_{sid}"] = functools.partial(option_value, "adopters", k)
        for name in ("interoperability", "fragmentation", "hhi", "platform_members"):
            reporters[name] = functools.partial(world_value, name)
        for j, kind in enumerate(DEAL_KINDS):
            reporters[f"deals_{kind}"] = functools.partial(deals_signed, j)
        return reporters

    def step(self) -> None:
        """One month of the race, then one row of the data collector (one row per simulated month)."""
        super().step()
        self.datacollector.collect(self)


def slider_range(key: str) -> tuple[float, float]:
    """A slider's ends for a dotted key: its valid bounds, an open end at twice its plausible top."""
    info = describe(key)
    if info is None:
        raise ConfigError(f"{key}: no range is declared for it in model/params.py")
    low = info.low if info.low is not None else info.plausible[0]
    high = info.high if info.high is not None else 2 * info.plausible[1]
    return float(low), float(high)


def lever_slider(base: ExperimentConfig, key: str) -> tuple[str, float, float, float, float]:
    """A decision lever's slider: its label, the scenario's value, its ends and a step of 1/100 of
    the range."""
    section, field = key.split(".")
    low, high = slider_range(key)
    return describe(key).label, float(getattr(getattr(base, section), field)), low, high, (high - low) / 100


def mesa_model_params(scenario_name: str = DEFAULT_SCENARIO) -> dict[str, Any]:
    """SolaraViz `model_params` for a scenario: a scenario choice, the decision levers as sliders
    over their valid ranges (starting at the scenario's values) and a seed.

    SolaraViz's Reset passes every slider's value, so these levers then keep the value shown over
    the calibrated ensemble (as keys given on the command line do); app.py passes only the levers
    the user moved."""
    from mesa.visualization import Slider

    base = scenario_factory(scenario_name).base
    params: dict[str, Any] = {
        "scenario_name": {"type": "Select", "value": scenario_name, "values": scenario_names(),
                          "label": "Scenario"},
    }
    for name, key in LEVERS.items():
        params[name] = Slider(*lever_slider(base, key))
    params["rng"] = {"type": "InputText", "value": 0, "label": "Seed"}
    return params
