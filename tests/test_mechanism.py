"""Each mechanism of the model on the three-country world of tests/tiny.py, checked by hand."""

import math

import numpy as np
import pytest

from model import EventSpec, PairDealParams, SponsorSpec
from tests.tiny import A, B, C, place, silent_decision, tiny_model, two_standards

ALL = [A, B, C]


# ------------------------------------------------------------------ acceptance

def test_acceptance_counts_travel_to_destinations_on_the_same_standard():
    m = tiny_model()
    place(m, A="s1", B="s1")
    acc = m.accepted_share(ALL)
    assert acc[A] == pytest.approx([0.0, 0.75, 0.0])  # B accepts A's s1; C (none) accepts nothing
    assert acc[B] == pytest.approx([0.0, 0.5, 0.0])
    assert acc[C] == pytest.approx([0.0, 1.0, 0.0])


def test_a_closed_destination_counts_for_nothing():
    m = tiny_model(openness={"BBB": 0.0})
    place(m, A="s1", B="s1", C="s1")
    assert m.accepted_share(A)[0] == pytest.approx([0.0, 0.25, 0.0])


def test_a_bridge_makes_each_standard_accepted_on_the_other():
    m = tiny_model()
    place(m, A="s1", B="s2", C="s2")
    assert m.accepted_share(A)[0, 1] == pytest.approx(0.0)
    m.bridge(1, 2)
    assert m.accepted_share(A)[0] == pytest.approx([0.0, 1.0, 1.0])
    assert m.accepted_share(C)[0, 0] == 0.0  # "none" is still national-only


def test_recognition_deal_accepts_any_credential_without_double_counting():
    m = tiny_model()
    place(m, A="s1", B="s1")
    m.add_recognition(A, C)
    assert m.accepted_share(C)[0] == pytest.approx([1.0, 1.0, 1.0])  # A recognises C whatever it issues
    assert m.accepted_share(A)[0] == pytest.approx([0.25, 1.0, 0.25])
    m.set_state(C, 1)  # C joins s1: A's s1 travel to C is accepted once, not twice
    assert m.accepted_share(A)[0] == pytest.approx([0.25, 1.0, 0.25])
    fresh = m.accepted_share(ALL).copy()
    m._refresh_travel()
    assert m.accepted_share(ALL) == pytest.approx(fresh)


# ------------------------------------------------------------------ utility terms

def test_network_term_scales_with_weight_demand_and_openness():
    m = tiny_model(silent_decision(network_weight=2.0))
    place(m, A="s1", B="s1")
    m.demand = 0.5
    assert m.utilities(A)[0] == pytest.approx([0.0, 0.75, 0.0])
    m.openness[A] = 0.5  # a half-closed country values travel credentials half as much
    m._refresh_travel()
    assert m.utilities(A)[0] == pytest.approx([0.0, 0.375, 0.0])


def test_privacy_cost_is_concern_times_surveillance():
    m = tiny_model(silent_decision(privacy_weight=2.0))
    m.launched[:] = True
    assert m.utilities(ALL)[:, 2] == pytest.approx([-0.8, -0.6, -0.2])  # 2 x democracy/10 x 0.5
    assert m.utilities(ALL)[:, 1] == pytest.approx([0.0, 0.0, 0.0])  # s1 has surveillance 0


def test_adoption_cost_is_lower_for_open_standards_and_rich_countries_and_sunk_once_adopted():
    m = tiny_model(silent_decision(adoption_cost=1.0, openness_discount=0.5, wealth_discount=0.5))
    place(m, A="s1")
    # wealth: A richest (1), C poorest (0); s1 fully open, s2 closed
    assert m.utilities(A)[0] == pytest.approx([0.0, 0.0, -0.5])  # already pays nothing for s1
    assert m.utilities(C)[0] == pytest.approx([0.0, -0.5, -1.0])
    wealth_b = math.log(10) / math.log(40)
    assert m.utilities(B)[0, 2] == pytest.approx(-(1 - 0.5 * wealth_b))


def test_switching_cost_applies_when_leaving_a_standard_in_use():
    m = tiny_model(silent_decision(switching_cost=1.5))
    place(m, A="s1")
    assert m.utilities(A)[0] == pytest.approx([-1.5, 0.0, -1.5])
    assert m.utilities(C)[0] == pytest.approx([0.0, 0.0, 0.0])  # from "none" nothing is left behind


def test_endorsement_and_intrinsic_quality():
    m = tiny_model(silent_decision(endorsement_weight=1.0), standards=two_standards(s1={"quality": 0.3}))
    m.endorsed[2] = True
    assert m.utilities(B)[0] == pytest.approx([0.0, 0.3, 1.0])


def test_alignment_is_home_plus_political_similarity_plus_affinity():
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s1", home=["AAA"], affinity={"NORTH": 0.25})}
    m = tiny_model(silent_decision(alignment_weight=2.0, political_similarity=1.0),
                   standards=two_standards(s1={"sponsor": "sp"}), sponsors=sponsors)
    m.launched[:] = True
    # reference democracy = home mean = 8: A 1 + 1 + 0.25, B 0 + (1 - 2/5) + 0.25, C 0 + (1 - 6/5)
    assert m.utilities(ALL)[:, 1] == pytest.approx([4.5, 1.7, -0.4])
    assert m.utilities(ALL)[:, 2] == pytest.approx([0.0, 0.0, 0.0])


# ------------------------------------------------------------------ revision and lock-in

def test_best_response_adopts_the_standard_all_partners_use():
    standards = two_standards(s1={"initial_adopters": ["AAA", "BBB"]})
    m = tiny_model(silent_decision(network_weight=4.0, revision_rate=1.0), standards=standards)
    m.step()
    assert m.choices[m.state[C]] == "s1"


def test_unlaunched_standard_cannot_be_chosen():
    standards = two_standards(s1={"launch": "2021-04"}, s2={"quality": -1.0})
    m = tiny_model(silent_decision(revision_rate=1.0, rationality=0.0), standards=standards)
    for _ in range(3):
        m.step()
        assert not (m.state == 1).any()


def test_a_locked_country_does_not_revise_until_the_lock_ends():
    standards = two_standards(s1={"initial_adopters": ["AAA", "BBB"]})
    m = tiny_model(silent_decision(network_weight=4.0, revision_rate=1.0), standards=standards)
    m.launched[:] = True
    m.set_state(C, 2)
    m.locked_until[:] = [99, 99, 3]  # A and B stay on s1 throughout
    seen = []
    for _ in range(4):
        m.step()
        seen.append(m.choices[m.state[C]])
    assert seen == ["s2", "s2", "s2", "s1"]


# ------------------------------------------------------------------ deals

def _sponsored(strategy: str, budget: float = 5.0, **decision):
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s2", home=["AAA"], budget=budget, incentive=5.0,
                                  deals_per_month=1, duration=4, strategy=strategy)}
    standards = two_standards(s2={"sponsor": "sp", "initial_adopters": ["AAA"]})
    return tiny_model(silent_decision(deal_alignment=0.5, **decision), standards=standards, sponsors=sponsors)


def test_sponsor_deal_locks_in_pays_from_budget_and_gives_recognition():
    m = _sponsored("influential")  # B has the larger share of world travel
    m.step()
    sponsor = m.sponsors.to_list()[0]
    assert m.choices[m.state[B]] == "s2" and m.choices[m.state[C]] == "none"
    assert m.locked_until[B] == 4 and sponsor.budget == 0.0 and m.deals_signed == 1
    assert m.recognition_partners(B).tolist() == [A] and m.recognition_partners(A).tolist() == [B]
    assert m.alignment[B, 2] == pytest.approx(0.5)
    m.step()  # budget spent: no more deals
    assert m.choices[m.state[C]] == "none" and m.deals_signed == 1


def test_travel_partner_strategy_targets_the_country_travelling_most_to_adopters():
    m = _sponsored("travel_partners")  # C sends all its travel to A, B only half
    m.step()
    assert m.choices[m.state[C]] == "s2" and m.choices[m.state[B]] == "none"


def test_a_deal_worth_less_than_staying_is_refused_under_best_response():
    m = _sponsored("influential", switching_cost=9.0)
    m.launched[:] = True
    m.set_state(B, 1)  # leaving s1 costs 9 > incentive 5
    m.step()
    assert m.choices[m.state[B]] == "s1" and m.deals_signed == 0


def test_pair_deal_refused_when_recognising_an_online_standard_costs_privacy():
    deals = PairDealParams(enabled=True, rate=1.0, min_travel=0.1, recognition_privacy=2.0, max_per_month=10)
    m = tiny_model(silent_decision(network_weight=1.0), pair_deals=deals)
    place(m, A="s1", C="s2")
    m.step()
    # A-B signs (A gains 0.75, B gains 0.5); A-C refused: A gains 0.25 but verifying C's online s2
    # costs 2 x 0.8 x 0.5 = 0.8; B-C refused: C sends no travel to B.
    assert m.recognition_partners(A).tolist() == [B] and m.recognition_partners(C).tolist() == []


def test_pair_deal_signed_when_privacy_cost_is_switched_off():
    deals = PairDealParams(enabled=True, rate=1.0, min_travel=0.1, recognition_privacy=0.0, max_per_month=10)
    m = tiny_model(silent_decision(network_weight=1.0), pair_deals=deals)
    place(m, A="s1", C="s2")
    m.step()
    assert m.recognition_partners(A).tolist() == sorted([B, C]) and m.deals_signed == 2


# ------------------------------------------------------------------ events

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
    assert m.surveillance[1] == 0.7 and m.concern[C] == pytest.approx(0.4) and m.endorsed.tolist() == [
        False, False, True]
    assert m.organisations["WHO"].endorsed == ["s2"]
    m.step()
    assert m.bridges[1, 2] == m.bridges[2, 1] == 1.0
    assert m.choices[m.state[C]] == "s2" and m.locked_until[C] == 3 + 2


def test_deal_wave_offers_to_every_listed_country_without_spending_the_budget():
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s2", home=["AAA"], budget=0.0, incentive=5.0,
                                  deals_per_month=0, duration=6)}
    events = {"wave": EventSpec(date="2021-02", type="deal_wave", standard="s2", countries=["NORTH", "CCC"])}
    m = tiny_model(standards=two_standards(s2={"sponsor": "sp", "initial_adopters": ["AAA"]}),
                   sponsors=sponsors, events=events)
    m.sponsors.to_list()[0].is_home[B] = True  # B is now a home country: no offer to itself
    m.step()
    m.step()
    assert [m.choices[s] for s in m.state] == ["s2", "none", "s2"]
    assert m.deals_signed == 1 and m.sponsors.to_list()[0].budget == 0.0
    assert m.locked_until[C] == 1 + 6 and m.locked_until[B] == 0


def test_initial_share_adopts_that_share_of_free_countries_at_random():
    m = tiny_model(standards=two_standards(s1={"initial_share": 2 / 3}))
    m.step()
    assert (m.state == 1).sum() == 2


def test_interoperability_is_travel_weighted_acceptance():
    m = tiny_model()
    place(m, A="s1", B="s1")
    # A: 0.75 of travel accepted, B: 0.5, C (none): 0 -> (0.5*0.75 + 0.3*0.5) / (0.5 + 0.3 + 0.2)
    assert m.interoperability() == pytest.approx(0.525)
    assert np.isclose(m.interoperability(), 0.525)
