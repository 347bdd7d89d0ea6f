"""Dated events (model/events.py): each type on its date, and one-line errors for bad events."""

import numpy as np
import pytest

from model import ConfigError, EventSpec, ModelParams, ScenarioParams, SponsorSpec
from model.events import EVENT_TYPES
from tests.tiny import A, B, C, place, silent_decision, tiny_model, two_standards


def test_every_event_type_is_registered_with_a_summary():
    assert set(EVENT_TYPES) == {"launch", "endorse", "host_platform", "bridge", "deal_wave", "privacy_scandal",
                                "travel_openness", "credential_demand", "adopt", "treaty", "vaccine_approval"}
    assert all(t.summary for t in EVENT_TYPES.values())


def test_events_change_the_world_on_their_date():
    events = {
        "close_b": EventSpec(date="2021-02", type="travel_openness", countries=["BBB"], value=0.0),
        "fade": EventSpec(date="2021-02", type="credential_demand", value=0.25),
        "leak": EventSpec(date="2021-03", type="privacy_scandal", standard="s1", surveillance=0.7),
        "worry": EventSpec(date="2021-03", type="privacy_scandal", countries=["CCC"], concern=2.0),
        "endorse": EventSpec(date="2021-03", type="endorse", standard="s2"),
        "bridge": EventSpec(date="2021-04", type="bridge", standards=["s1", "s2"]),
        "force": EventSpec(date="2021-04", type="adopt", standard="s2", countries=["CCC"], duration=2),
    }
    m = tiny_model(events=events)
    m.step()
    assert m.openness[B] == 1.0 and m.demand == 1.0
    m.step()
    assert m.openness[B] == 0.0 and m.demand == 0.25
    m.step()
    assert m.surveillance[1] == 0.7 and m.concern[C] == pytest.approx(0.4)
    assert m.endorsed.tolist() == [False, False, True] and m.organisations["WHO"].endorsed == ["s2"]
    m.step()
    assert m.bridges[1, 2] == m.bridges[2, 1] == 1.0
    assert m.choices[m.state[C]] == "s2" and m.locked_until[C] == 3 + 2
    assert [name for _, name, _, _ in m.event_log] == ["launch_s1", "launch_s2", "close_b", "fade", "leak", "worry",
                                                       "endorse", "bridge", "force"]


def test_a_disabled_event_does_not_happen():
    events = {"close_b": EventSpec(date="2021-01", type="travel_openness", countries=["BBB"], value=0.0,
                                   enabled=False)}
    m = tiny_model(events=events)
    m.step()
    assert m.openness[B] == 1.0 and all(name != "close_b" for _, name, _, _ in m.event_log)


def test_a_treaty_binds_its_countries_to_the_standard_until_the_law_ends():
    events = {"law": EventSpec(date="2021-02", type="treaty", standard="s2", countries=["NORTH"], until="2021-04")}
    m = tiny_model(silent_decision(revision_rate=1.0, privacy_weight=10.0), events=events, horizon=6)
    seen = []
    for _ in range(6):
        m.step()
        seen.append(m.choices[m.state[A]])
    # bound 2021-02..2021-04 although s2's surveillance (a privacy cost of 4 for A) makes it the worst
    # option; free again from 2021-05
    assert seen[1:4] == ["s2", "s2", "s2"] and seen[4] != "s2"
    assert m.locked_until[A] == m.locked_until[B] == 4 and m.locked_until[C] == 0


def test_a_vaccine_approval_makes_the_destination_accept_those_travellers():
    from tests.tiny import three_countries

    events = {"ok": EventSpec(date="2021-02", type="vaccine_approval", group="chinese", countries=["AAA"])}
    m = tiny_model(world=three_countries(chinese=(0.0, 0.0, 1.0)), events=events)
    place(m, A="s1", C="s1")
    assert m.accepted_share(C)[0, 1] == pytest.approx(0.0)
    m.step()
    m.step()
    assert m.accepted_share(C)[0, 1] == pytest.approx(1.0)


def test_a_deal_wave_offers_to_every_listed_country_without_spending_the_budget():
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s2", home=["AAA"], budget=0.0, incentive=1.0,
                                  deals_per_month=0, duration=6)}
    events = {"wave": EventSpec(date="2021-02", type="deal_wave", standard="s2", countries=["NORTH", "CCC"])}
    m = tiny_model(silent_decision(network_weight=1.0, adoption_cost=1.0),
                   standards=two_standards(s2={"sponsor": "sp", "initial_adopters": ["AAA"]}),
                   sponsors=sponsors, events=events)
    m.sponsors.to_list()[0].is_home[B] = True  # B is now a home country: no offer to itself
    m.step()
    m.step()
    assert [m.choices[s] for s in m.state] == ["s2", "none", "s2"]
    assert [d[1] for d in m.deal_log] == ["wave"] and m.sponsors.to_list()[0].budget == 0.0
    assert m.locked_until[C] == 1 + 6 and m.locked_until[B] == 0


def _check(**event) -> None:
    params = ModelParams(decision=silent_decision(), standards=two_standards(s2={"launch": "2021-03"}),
                         organisations={"WHO": __import__("model").OrganisationSpec()},
                         scenario=ScenarioParams(horizon=6, events={"bad": EventSpec(**event)}))
    params.validate()


@pytest.mark.parametrize("event, fragment", [
    (dict(date="2021-02", type="coronation"), "scenario.events.bad.type"),
    (dict(date="2021-02", type="endorse", standard="s2"), "before s2's launch 2021-03"),
    (dict(date="2021-04", type="endorse", standard="s2", by="UN"), "unknown organisation 'UN'"),
    (dict(date="2021-04", type="endorse", standard="s9"), "unknown standard 's9'"),
    (dict(date="2021-04", type="endorse", standard="s2", value=0.5), "scenario.events.bad.value"),
    (dict(date="2021-04", type="credential_demand", value=float("nan")), "scenario.events.bad.value"),
    (dict(date="2021-04", type="privacy_scandal", countries=["AAA"], concern=float("inf")), "concern"),
    (dict(date="2021-04", type="vaccine_approval", group="martian", countries=["AAA"]), "unknown vaccine group"),
    (dict(date="2021-04", type="treaty", standard="s1", countries=["AAA"], until="2021-02"), "until"),
    (dict(date="2021-09", type="credential_demand", value=0.5), "outside the horizon"),
    (dict(date="2021-13", type="credential_demand", value=0.5), "YYYY-MM"),
    (dict(date="2021-04", type="bridge", standards=["s1", "s1"]), "two different standards"),
])
def test_a_bad_event_is_refused_in_one_line_naming_the_key(event, fragment):
    with pytest.raises(ConfigError) as err:
        _check(**event)
    message = str(err.value)
    assert "\n" not in message and fragment in message
    assert message.startswith("scenario.events.bad")


def test_the_launch_is_an_ordinary_event_and_a_launch_event_moves_its_date():
    events = {"late": EventSpec(date="2021-03", type="launch", standard="s2")}
    m = tiny_model(events=events)
    m.run()
    launches = [(month, name) for month, name, kind, _ in m.event_log if kind == "launch"]
    assert launches == [(0, "launch_s1"), (2, "launch_s2")]
    assert np.all(m.adopted_month[:, 2] != 0)
