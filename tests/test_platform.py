"""A multilateral platform (model/agents.py Organisation): members verify the hosted standard and
accept each other's credentials; joining is weighed against the operator's view of every check."""

import numpy as np
import pytest

from model import EventSpec, OrganisationSpec
from tests.tiny import A, B, C, place, silent_decision, tiny_model, two_standards


def test_issuers_found_the_platform_and_members_accept_each_other_and_verify_the_host():
    m = tiny_model()
    place(m, A="s1", B="s2")
    who = m.organisations["WHO"]
    who.host(1, np.flatnonzero(m.state == 1))
    assert who.members.tolist() == [True, False, False]
    m.platform_join(who, np.array([B]))
    assert m.accepted_share(A)[0, 1] == pytest.approx(0.75)  # B verifies the hosted s1
    assert m.accepted_share(B)[0, 2] == pytest.approx(0.5)  # A accepts B's s2 through the platform
    assert m.choices[m.state[B]] == "s2"  # a member keeps the credential it issues


def test_a_country_without_a_credential_issues_the_hosted_standard_through_the_platform():
    m = tiny_model()
    place(m, A="s1")
    who = m.organisations["WHO"]
    who.host(1, np.array([A]))
    m.platform_join(who, np.array([C]))
    assert m.choices[m.state[C]] == "s1" and who.members[C]


def test_joining_is_refused_when_the_operator_seeing_every_check_costs_more_than_the_acceptance_gained():
    decision = silent_decision(network_weight=1.0, verification_privacy=4.0)
    m = tiny_model(decision)
    place(m, A="s1", B="s2")
    who = m.organisations["WHO"]
    who.host(2, np.array([B]))  # s2 is verified online with surveillance 0.5
    # A would gain its 0.75 of trips to B, but pays 4 x 0.8 x 0.5 = 1.6 for B's operator seeing its checks
    assert who.consider_joining(np.array([A]), np.array([0.5])).tolist() == []
    m.params.decision.verification_privacy = 1.0  # 1 x 0.8 x 0.5 = 0.4 < 0.75
    assert who.consider_joining(np.array([A]), np.array([0.5])).tolist() == [A]


def test_an_excluded_country_never_joins():
    events = {"host": EventSpec(date="2021-01", type="host_platform", standard="s1", by="WHO")}
    m = tiny_model(silent_decision(network_weight=1.0, revision_rate=1.0), events=events,
                   organisations={"WHO": OrganisationSpec(name="WHO", excluded=["CCC"])})
    place(m, A="s1")
    m.run()
    assert m.organisations["WHO"].members.tolist() == [True, True, False]


def test_the_host_event_lets_willing_countries_join_when_they_reconsider():
    events = {"host": EventSpec(date="2021-01", type="host_platform", standard="s1", by="WHO")}
    m = tiny_model(silent_decision(network_weight=1.0, revision_rate=1.0, switching_cost=0.1), events=events,
                   standards=two_standards(s1={"initial_adopters": ["AAA"]}))
    m.step()
    # A founds it; B and C, with no credential, join in the platform phase (before revising) and
    # issue s1 through it: B gains 0.5 (A accepts s1), C 1.0
    assert m.history.platform_members[0] == 3
    assert [m.choices[s] for s in m.state] == ["s1", "s1", "s1"]
    assert m.adopted_month[:, 1].tolist() == [0, 0, 0]
