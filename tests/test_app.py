"""The interactive page (app.py, experiments/page.py), rendered in-process with solara.render: what it
shows, what Step and Reset do, and that bad input is the command line's one line on the page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara

import app
from experiments.page import AS_SCENARIO, build, parse_settings
from model import ConfigError

REPO = Path(__file__).resolve().parents[1]
NAMES = ["EU Digital COVID Certificate", "China health-code certificate", "SMART Health Cards", "DIVOC",
         "ICAO VDS-NC"]


def render():
    _, rc = solara.render(solara.AppLayout(children=[app.page()]), handle_error=False)
    return rc


def text_of(rc, css: str) -> str:
    return " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets
                    if css in w.attributes.get("class", ""))


def map_png(rc) -> bytes:
    return bytes(rc.find(widgets.Image, _dom_classes=("solara-image", "credential-map")).widget.value)


def set_text(rc, css: str, value: str) -> None:
    field = rc.find(v.TextField, class_=css).widget
    field.v_model = value
    field.fire_event("keyup.enter", None)


def test_page_shows_the_scenario_the_standards_and_a_map():
    assert app.page is app.Page  # the contract: app.py defines `page`
    rc = render()
    status = text_of(rc, "credential-status")
    assert "historical_2021" in status and all(name in status for name in NAMES)
    assert "Levers set: none" in status  # nothing moved: the ensemble draws stay in force
    assert map_png(rc)[:8] == b"\x89PNG\r\n\x1a\n"
    events = text_of(rc, "credential-events")
    assert "who_takes_over_eu_dcc" in events and "eu_dcc_regulation" in events


def test_step_changes_the_map_and_the_month():
    rc = render()
    before = map_png(rc)
    assert "before the first month" in text_of(rc, "credential-status")
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert "2021-01" in text_of(rc, "credential-status")
    rc.find(v.Btn, children=["+6 months"]).widget.click()
    assert "2021-07" in text_of(rc, "credential-status")
    assert map_png(rc) != before
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert "before the first month" in text_of(rc, "credential-status")


def test_running_to_the_end_gives_the_verdict():
    rc = render()
    rc.find(v.Btn, children=["To the end"]).widget.click()
    status = text_of(rc, "credential-status")
    assert "2023-12" in status and "Verdict:" in status
    assert rc.find(v.Btn, children=["Step"]).widget.disabled


def cli_error(*overrides: str) -> str:
    """The one line `python -m experiments.run` prints for these overrides (without 'error: ')."""
    done = subprocess.run([sys.executable, "-m", "experiments.run", *overrides], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    return done.stderr.strip().splitlines()[-1].removeprefix("error: ")


def test_a_setting_out_of_range_shows_the_command_lines_line_on_the_page():
    rc = render()
    set_text(rc, "credential-settings", "decision.rationality=-1")
    alert = rc.find(v.Alert).widget
    assert alert.children == [cli_error("decision.rationality=-1")]
    assert not rc.find(widgets.Image, _dom_classes=("solara-image", "credential-map")).widgets  # no stale map
    set_text(rc, "credential-settings", "decision.rationality=8")
    assert not rc.find(v.Alert).widgets
    assert "decision.rationality = 8" in text_of(rc, "credential-status")


def test_a_platform_month_outside_the_horizon_names_the_key():
    rc = render()
    rc.find(v.Select, label="Standard the WHO hosts").widget.v_model = "china_hc"
    set_text(rc, "credential-platform-month", "2030-01")
    assert rc.find(v.Alert).widget.children == [
        "scenario.events.who_platform.date: 2030-01 is outside the horizon 2021-01..2023-12"]


def test_choosing_a_scenario_forgets_the_moved_levers():
    rc = render()
    set_text(rc, "credential-settings", "")
    rc.find(v.Select, label="Scenario").widget.v_model = "symmetric_lock_in"
    status = text_of(rc, "credential-status")
    assert "symmetric_lock_in" in status and "Standard A" in status and "Levers set: none" in status


def test_build_passes_only_the_levers_moved():
    m = build("historical_2021", 3, {"privacy_weight": 1.5, "eu_strategy": None}, AS_SCENARIO, "", "")
    assert m.levers == {"decision.privacy_weight": 1.5}
    assert "decision.privacy_weight" not in m.drawn and "decision.network_weight" in m.drawn


@pytest.mark.parametrize(("text", "expected"), [
    ("", {}), ("decision.switching_cost=0.5 sponsors.eu.strategy=random",
               {"decision.switching_cost": 0.5, "sponsors.eu.strategy": "random"}),
    ("pair_deals.enabled=false", {"pair_deals.enabled": False}),
])
def test_parse_settings_reads_command_line_pairs(text, expected):
    assert parse_settings(text) == expected


def test_parse_settings_refuses_a_word_without_a_value():
    with pytest.raises(ConfigError, match="'rationality': write key=value"):
        parse_settings("rationality")
