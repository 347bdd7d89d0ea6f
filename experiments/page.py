"""The parts of the interactive page (app.py): building a model from the page's settings, and the
Solara components that show it.

Every control rebuilds the model at its first month from the scenario plus the levers the user
moved (a lever left alone keeps the scenario's value, or its calibrated draw). What the user got
wrong is shown on the page as the one line the command line prints, never as a traceback.
Components that take only the model (`WorldMap`, `ReachPlot`, `DealNetwork`, `EventList`) also
work as SolaraViz components.
"""

from __future__ import annotations

import html
import io
from typing import Any

import markdown
import solara
import yaml
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from model.metrics import judged_month
from model.params import STRATEGIES, ConfigError

from . import live
from .config import one_line
from .interactive import (
    DEFAULT_SCENARIO,
    LEVERS,
    SPONSOR_IDS,
    CredentialRace,
    lever_slider,
    scenario_factory,
    scenario_names,
)

INPUT_ERRORS = (ConfigError, HydraException, OmegaConfBaseException)
AS_SCENARIO = "as in the scenario"
DPI = 96
RUN_CHUNK = 6  # months the "+6 months" button runs


def parse_settings(text: str) -> dict[str, Any]:
    """`key=value key=value` as typed on the command line, values read as YAML scalars."""
    out: dict[str, Any] = {}
    for token in text.split():
        key, sep, value = token.partition("=")
        if not sep or not key:
            raise ConfigError(f"'{token}': write key=value, as on the command line (e.g. decision.switching_cost=0.5)")
        try:
            out[key] = yaml.safe_load(value) if value else ""
        except yaml.YAMLError:
            out[key] = value
    return out


def build(scenario_name: str, seed: int, moved: dict[str, Any], platform: str, platform_month: str,
          settings: str) -> CredentialRace:
    """The page's model: the scenario, the levers the user moved, the WHO platform, any other keys."""
    flat = {name: value for name, value in moved.items() if value is not None}
    return CredentialRace(scenario_name=scenario_name, rng=seed, values=parse_settings(settings),
                          who_platform=None if platform == AS_SCENARIO else platform,
                          who_platform_month=platform_month.strip() or None, **flat)


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def status(model: CredentialRace) -> str:
    """One line: the month, the leader on the win measure and, once judged, the verdict."""
    t = live.month_shown(model)
    rule = model.params.scenario.win
    names = model.standard_names
    if t < 0:
        return f"{model.params.scenario.start}, before the first month: press Step or Run."
    row = model.history.measure(rule.measure)[t]
    leader = 1 + int(row[1:].argmax())
    text = (f"**{model.month_label(t)}** (month {t + 1} of {model.horizon}). "
            f"Leading: **{names[model.choices[leader]]}**, {rule.measure.replace('_', ' ')} {row[leader]:.0%} "
            f"(wins at {rule.threshold:.0%} and "
            f"{rule.lead:g}x the runner-up).")
    if t >= min(judged_month(model), model.horizon - 1):
        verdict = model.outcome()
        text += f" Verdict: **{verdict['winner']}** (judged {verdict['judged_month']})."
    return text


TABLE_STYLE = ("<style>.credential-text table{border-collapse:collapse;font-size:13px}"
               ".credential-text td,.credential-text th{border-bottom:1px solid #e3e3e3;padding:2px 6px;"
               "text-align:left;vertical-align:top}</style>")


def Text(text: str, css: str):
    """Markdown as HTML, rendered here: solara.Markdown would fetch KaTeX from a CDN, and the page
    must render offline. Values from configs are escaped by the callers."""
    return solara.HTML(tag="div", unsafe_innerHTML=TABLE_STYLE + markdown.markdown(text, extensions=["tables"]),
                       classes=["credential-text", css])


@solara.component
def Picture(figure_of, model: CredentialRace, tick: int, css: str):
    """A figure of the model as a PNG, redrawn when the model or its month changes."""
    # the model itself, not its id, as a dependency: a new model may reuse a freed one's id
    data = solara.use_memo(lambda: png(figure_of(model)), [model, model.steps, tick])
    solara.Image(data, width="100%", classes=[css])


def WorldMap(model: CredentialRace, tick: int = 0):
    return Picture(live.world_map, model, tick if tick else model.steps, "credential-map")


def ReachPlot(model: CredentialRace, tick: int = 0):
    return Picture(live.reach_over_time, model, tick if tick else model.steps, "credential-reach")


def DealNetwork(model: CredentialRace, tick: int = 0):
    return Picture(live.deal_network, model, tick if tick else model.steps, "credential-deals")


@solara.component
def EventList(model: CredentialRace, tick: int = 0):
    """The scenario's events, numbered as on the reach plot; those still to come in grey."""
    events = live.scheduled_events(model)
    lines = ["| # | month | event | what happened |", "|---|---|---|---|"]
    for number, row in enumerate(events.itertuples(), start=1):
        note = html.escape(row.note or row.type).replace("|", "/")
        cell = f"{row.month}" if row.happened else f"<span style='color:#999'>{row.month} (to come)</span>"
        lines.append(f"| {number} | {cell} | {html.escape(row.event)} | {note} |")
    Text("\n".join(lines), "credential-events")


def lever_setter(moved: solara.Reactive, name: str, scenario_value: float | str, step: float = 0.0):
    """on_value for a lever: record it as moved, unless it is the scenario's own value (a browser
    slider snaps its starting value to the step grid and reports it: that is no move)."""
    def set_lever(value):
        if name not in moved.value and (value == scenario_value or (
                step and isinstance(value, float) and abs(value - float(scenario_value)) <= step / 2 + 1e-12)):
            return
        moved.set({**moved.value, name: value})
    return set_lever


@solara.component
def LeverSliders(scenario_name: str, moved: solara.Reactive):
    """A slider per decision lever and per sponsor, starting at the scenario's value."""
    base = scenario_factory(scenario_name).base
    for name, key in LEVERS.items():
        label, scenario_value, low, high, step = lever_slider(base, key)
        value = moved.value.get(name, scenario_value)
        solara.SliderFloat(f"{label}: {value:.3g}", value=value, min=low, max=high, step=step,
                           on_value=lever_setter(moved, name, scenario_value, step))
    for sponsor, spec in base.sponsors.items():
        if sponsor not in SPONSOR_IDS:  # no keyword for it: reach it through "other settings"
            continue
        who = spec.name or sponsor
        budget = moved.value.get(f"{sponsor}_budget", float(spec.budget))
        solara.SliderFloat(f"{who}: deal budget {budget:.0f} (set-up costs)", value=budget, min=0.0, max=200.0,
                           step=1.0, on_value=lever_setter(moved, f"{sponsor}_budget", float(spec.budget), 1.0))
        solara.Select(f"{who}: targeting strategy", values=list(STRATEGIES),
                      value=moved.value.get(f"{sponsor}_strategy", spec.strategy),
                      on_value=lever_setter(moved, f"{sponsor}_strategy", spec.strategy))


def moved_text(model: CredentialRace) -> str:
    """What the user set on purpose, as dotted keys, or that nothing is."""
    if not model.levers:
        return "Levers set: none (the scenario's values and calibrated draws)."
    return "Levers set: " + ", ".join(f"{key} = {value}" for key, value in model.levers.items()) + "."


@solara.component
def Page():
    """The whole page: settings in the sidebar; status, map, reach, deals and events in the main area."""
    scenario = solara.use_reactive(DEFAULT_SCENARIO)
    seed = solara.use_reactive(0)
    moved = solara.use_reactive({})
    platform = solara.use_reactive(AS_SCENARIO)
    platform_month = solara.use_reactive("")
    settings = solara.use_reactive("")
    tick = solara.use_reactive(0)  # months stepped: redraws the figures
    generation = solara.use_reactive(0)  # Reset: a fresh model with the same settings

    def make():
        try:
            return build(scenario.value, seed.value, moved.value, platform.value, platform_month.value,
                         settings.value), ""
        except INPUT_ERRORS as err:
            return None, one_line(err)

    model, problem = solara.use_memo(make, [scenario.value, seed.value, str(moved.value), platform.value,
                                            platform_month.value, settings.value, generation.value])

    def advance(months: int):
        if model is None:
            return
        for _ in range(months):
            if not model.running:
                break
            model.step()
        tick.set(tick.value + 1)

    def restart():
        generation.set(generation.value + 1)

    def choose_scenario(name: str):
        moved.set({})
        platform.set(AS_SCENARIO)
        platform_month.set("")
        scenario.set(name)

    solara.Title("credential-race")
    with solara.AppBar():
        solara.AppBarTitle("credential-race: who wins the race between health-credential standards?")
    with solara.Sidebar():
        with solara.Card("Scenario"):
            solara.Select("Scenario", values=scenario_names(), value=scenario.value, on_value=choose_scenario)
            solara.InputInt("Seed (also picks the calibrated parameter set)", value=seed)
            with solara.Row():
                solara.Button("Step", color="primary", on_click=lambda: advance(1),
                              disabled=model is None or not model.running)
                solara.Button(f"+{RUN_CHUNK} months", on_click=lambda: advance(RUN_CHUNK),
                              disabled=model is None or not model.running)
                solara.Button("To the end", on_click=lambda: advance(10_000),
                              disabled=model is None or not model.running)
                solara.Button("Reset", on_click=restart)
        with solara.Card("Levers"):
            solara.Text("A lever left alone keeps the scenario's value or its calibrated draw.")
            LeverSliders(scenario.value, moved)
            if moved.value:
                solara.Button("Forget moved levers", text=True, on_click=lambda: moved.set({}))
        with solara.Card("WHO platform"):
            standards = list(scenario_factory(scenario.value).base.standards)
            solara.Select("Standard the WHO hosts", values=[AS_SCENARIO, "none", *standards], value=platform)
            solara.InputText("From month (YYYY-MM; blank: the scenario's date or the launch)", value=platform_month,
                             classes=["credential-platform-month"])
        with solara.Card("Other settings, as on the command line"):
            solara.InputText("key=value ... (e.g. decision.switching_cost=0.5)", value=settings,
                             classes=["credential-settings"])
    if problem:
        solara.Error(problem, classes=["credential-error"])
    if model is None:
        solara.Text("No model: correct the setting named above.")
        return
    names = [n for sid, n in model.standard_names.items() if sid != "none"]
    scenario_text = html.escape(f"{model.params.scenario.name}: {model.params.scenario.description}")
    Text(f"### {scenario_text}\nStandards: {html.escape(', '.join(names))}.\n\n{status(model)}\n\n"
         f"{html.escape(moved_text(model))}", "credential-status")
    with solara.Columns([1, 1]):
        WorldMap(model, tick.value)
        ReachPlot(model, tick.value)
    with solara.Columns([1, 1]):
        DealNetwork(model, tick.value)
        EventList(model, tick.value)
