"""Mesa's own tools accept the model: batch_run, DataCollector and SolaraViz (experiments/interactive.py)."""

from __future__ import annotations

import multiprocessing

import numpy as np
import pytest

from experiments.factory import factory
from experiments.interactive import CredentialRace, mesa_model_params
from model import ConfigError

STANDARDS = ["eu_dcc", "china_hc", "shc", "divoc", "vds_nc"]


@pytest.fixture
def restore_start_method():
    """mesa.batch_run forces the 'spawn' start method on the whole process; put the old one back."""
    before = multiprocessing.get_start_method(allow_none=True)
    yield
    multiprocessing.set_start_method(before, force=True)


def test_default_is_the_historical_scenario_not_a_neutral_world():
    m = CredentialRace(rng=1)
    assert m.params.scenario.name == "historical_2021"
    assert m.choices == ["none", *STANDARDS]
    assert m.world.n == 200 and m.levers == {}
    assert m.drawn  # a calibrated parameter set was drawn, as `run` draws it


def test_same_paths_as_the_factory_bit_for_bit():
    """The model is the factory's model for the same values and seed: every history array is equal."""
    mine = CredentialRace(rationality=2.5, privacy_weight=1.0, china_budget=40.0, rng=11).run()
    theirs = factory("historical_2021")({"decision.rationality": 2.5, "decision.privacy_weight": 1.0,
                                         "sponsors.china.budget": 40.0}, 11).run()
    for name in ("state", "adopters", "acceptance_reach", "travel_share", "deals", "interoperability"):
        assert np.array_equal(getattr(mine.history, name), getattr(theirs.history, name)), name
    assert mine.deal_log == theirs.deal_log


def test_datacollector_has_one_row_per_month_read_from_the_history():
    m = CredentialRace(scenario_name="who_endorses_china", rng=4).run()
    table = m.datacollector.get_model_vars_dataframe()
    assert len(table) == m.horizon == 36
    assert table["month"].iloc[0] == "2021-01" and table["month"].iloc[-1] == "2023-12"
    k = m.choices.index("china_hc")
    assert np.array_equal(table["acceptance_reach_china_hc"].to_numpy(), m.history.acceptance_reach[:, k])
    assert np.array_equal(table["adopters_none"].to_numpy(), m.history.adopters[:, 0])
    assert table["platform_members"].iloc[-1] == m.history.platform_members[-1] > 0
    assert (table["deals_accession"].diff().dropna() >= 0).all()  # cumulative


def test_batch_run_over_a_small_grid(restore_start_method):
    import mesa

    rows = mesa.batch_run(CredentialRace, {"scenario_name": "historical_2021", "rationality": [1.0, 10.0]},
                          rng=[3, 4], max_steps=100, number_processes=1, display_progress=False)
    assert len(rows) == 4
    assert sorted((r["rationality"], r["rng"]) for r in rows) == [(1.0, 3), (1.0, 4), (10.0, 3), (10.0, 4)]
    for row in rows:
        assert row["Step"] == 36 and row["month"] == "2023-12"
        assert all(0.0 <= row[f"acceptance_reach_{s}"] <= 1.0 for s in STANDARDS)
        assert sum(row[f"adopters_{s}"] for s in ["none", *STANDARDS]) == 200
        again = CredentialRace(rationality=row["rationality"], rng=row["rng"]).run()
        assert row["acceptance_reach_eu_dcc"] == again.history.acceptance_reach[-1, 1]
    by_rationality = {r["rationality"]: r for r in rows if r["rng"] == 3}
    assert by_rationality[1.0]["adopters_none"] != by_rationality[10.0]["adopters_none"]


def test_who_platform_levers_replace_the_scenario_platform():
    china = CredentialRace(who_platform="china_hc", who_platform_month="2021-04", rng=2)
    names = [name for items in china._schedule.values() for name, ev, _ in items if ev.type == "host_platform"]
    assert names == ["who_platform"]  # the 2023 takeover of the EU DCC is replaced
    china.run_for(4)
    assert china.organisations["WHO"].hosted == china.choices.index("china_hc")
    assert china.history.platform_members[3] > 0 and china.history.platform_members[2] == 0
    none = CredentialRace(who_platform="none", rng=2).run()
    assert none.history.platform_members.max() == 0
    moved = CredentialRace(who_platform_month="2022-01", rng=2)
    assert any(ev.date == "2022-01" for items in moved._schedule.values() for _, ev, _ in items
               if ev.type == "host_platform")


@pytest.mark.parametrize(("keywords", "message"), [
    ({"rationality": -1}, "decision.rationality = -1.0: must be a finite number >= 0 (or inf)"),
    ({"scenario_name": "nope"}, "scenario_name: unknown scenario 'nope'; known: belt_and_road_deals,"),
    ({"eu_budget": -3}, "sponsors.eu.budget = -3.0: must be a finite number in [0, 1,000,000,000]"),
    ({"us_strategy": "bribes"}, "sponsors.us.strategy = 'bribes': must be one of travel_partners"),
    ({"who_platform": "xx"}, "scenario.events.who_platform.standard: unknown standard 'xx'"),
    ({"who_platform_month": "2030-01"}, "2030-01 is outside the horizon 2021-01..2023-12"),
    ({"scenario_name": "symmetric_lock_in", "who_platform_month": "2021-03"},
     "who_platform_month: scenario symmetric_lock_in has no WHO platform to move"),
    ({"scenario_name": "symmetric_lock_in", "china_budget": 5.0}, "sponsors.china.budget: unknown key 'china'"),
    ({"values": {"decision.rationality": "high"}}, "decision.rationality: 'high' is not a number"),
    ({"rng": -2}, "rng = -2: a seed must be >= 0"),
])
def test_bad_keyword_is_one_line_naming_the_key(keywords, message):
    with pytest.raises(ConfigError) as info:
        CredentialRace(**keywords)
    text = str(info.value)
    assert message in text and "\n" not in text


def test_solara_viz_renders_steps_and_resets_to_the_chosen_scenario():
    """As Mesa's own tests do: solara.render the SolaraViz page, press Step, then Reset."""
    import ipyvuetify as v
    import ipywidgets as widgets
    import solara
    from mesa.visualization import SolaraViz

    from experiments.page import DealNetwork, EventList, ReachPlot, WorldMap

    model = solara.reactive(CredentialRace(scenario_name="privacy_scandal", rng=1))
    params = mesa_model_params("privacy_scandal")
    page = SolaraViz(model, components=[WorldMap, ReachPlot, DealNetwork, EventList], model_params=params,
                     name="credential-race")
    _, rc = solara.render(solara.AppLayout(children=[page]), handle_error=False)  # the sidebar needs a layout
    maps = rc.find(widgets.Image, _dom_classes=("solara-image", "credential-map"))
    before = bytes(maps.widget.value)
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert model.value.steps == 1
    maps = rc.find(widgets.Image, _dom_classes=("solara-image", "credential-map"))
    assert bytes(maps.widget.value) != before
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert model.value.steps == 0
    assert model.value.params.scenario.name == "privacy_scandal"  # not CredentialModel()'s neutral world
    assert model.value.levers["decision.rationality"] == params["rationality"].value
