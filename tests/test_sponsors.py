"""Sponsors (model/agents.py Sponsor): incentive deals in set-up costs, and accession, by hand."""

import numpy as np
import pytest

from model import EventSpec, SponsorSpec
from tests.tiny import A, B, C, silent_decision, tiny_model, two_standards


def _sponsored(strategy: str = "influential", budget: float = 1.0, incentive: float = 1.0, events=None, **decision):
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s2", home=["AAA"], budget=budget, incentive=incentive,
                                  deals_per_month=1, duration=4, strategy=strategy)}
    standards = two_standards(s2={"sponsor": "sp", "initial_adopters": ["AAA"]})
    weights = {"network_weight": 1.0, "adoption_cost": 2.0, "deal_alignment": 0.5, **decision}
    return tiny_model(silent_decision(**weights), standards=standards, sponsors=sponsors, events=events)


def test_an_incentive_pays_a_share_of_the_target_adoption_cost_locks_in_and_gives_recognition():
    m = _sponsored("influential")  # B has the larger share of world travel
    m.step()
    sponsor = m.sponsors.to_list()[0]
    # B: U(s2) = 0.5 accepted - 2 set-up, plus the incentive 1.0 x 2 = 2: a gain of 0.5 over "none"
    assert m.choices[m.state[B]] == "s2" and m.choices[m.state[C]] == "none"
    assert m.locked_until[B] == 4 and sponsor.budget == 0.0 and sponsor.deals == 1
    assert m.recognition_partners(B).tolist() == [A] and m.recognition_partners(A).tolist() == [B]
    assert m.alignment[B, 2] == pytest.approx(0.5)
    m.step()  # budget spent: no more deals
    assert m.choices[m.state[C]] == "none" and len(m.deal_log) == 1


def test_an_incentive_below_the_gap_is_refused():
    m = _sponsored("influential", incentive=0.5)  # pays 1 of the 2 set-up: B would lose 0.5
    m.step()
    assert m.choices[m.state[B]] == "none" and m.deal_log == []


def test_travel_partner_strategy_targets_the_country_travelling_most_to_adopters():
    m = _sponsored("travel_partners")  # C sends all its travel to A, B only half
    m.step()
    assert m.choices[m.state[C]] == "s2" and m.choices[m.state[B]] == "none"


def test_a_country_bound_by_a_treaty_is_not_courted():
    events = {"law": EventSpec(date="2021-01", type="treaty", standard="s1", countries=["BBB"], until="2021-12")}
    m = _sponsored("influential", budget=2.0, events=events)
    m.step()
    assert m.choices[m.state[B]] == "s1" and m.choices[m.state[C]] == "s2"  # the offer went to C


def _accession(excluded=()):
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s2", home=["AAA"], deals_per_month=0,
                                  accession_per_month=1, strategy="travel_partners", excluded=list(excluded))}
    standards = two_standards(s2={"sponsor": "sp", "initial_adopters": ["AAA"]})
    m = tiny_model(silent_decision(network_weight=1.0, revision_rate=1.0), standards=standards, sponsors=sponsors)
    m.launch(2, np.array([A]))
    return m, m.sponsors.to_list()[0]


def test_accession_admits_willing_applicants_in_rank_order_up_to_capacity():
    m, sponsor = _accession()
    sponsor.step()  # B would gain 0.5, C 1.0; C ranks first by travel to s2, and one is admitted a month
    assert [m.choices[s] for s in m.state] == ["s2", "none", "s2"]
    assert m.locked_until[C] == 0 and sponsor.accessions == 1  # an equivalence decision locks nobody in
    assert [d[1] for d in m.deal_log] == ["accession"]
    assert m.recognition_partners(C).tolist() == [A]


def test_an_excluded_country_is_never_admitted():
    m, sponsor = _accession(excluded=["CCC"])
    sponsor.step()
    assert [m.choices[s] for s in m.state] == ["s2", "s2", "none"]
    assert not m.available[C, 2]
