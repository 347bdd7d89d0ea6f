"""Country-to-country deals (model/deals.py) on the three-country world, checked by hand.

Candidate pairs, strongest tie first: A-B (0.625), A-C (0.625), B-C (0.25)."""

import pytest

from model import PairDealParams, SponsorSpec
from tests.tiny import A, B, C, place, silent_decision, tiny_model, two_standards


def _deals(**kw) -> PairDealParams:
    return PairDealParams(**{"enabled": True, "rate": 1.0, "min_travel": 0.1, "max_per_month": 10, **kw})


def _signed(m) -> list[tuple]:
    return [(kind, standard, party, counterpart) for _, kind, standard, party, counterpart in m.deal_log]


def test_mutual_recognition_refused_when_verifying_an_online_standard_costs_privacy():
    m = tiny_model(silent_decision(network_weight=1.0, verification_privacy=2.0), pair_deals=_deals(kinds=["mutual"]))
    place(m, A="s1", C="s2")
    m.step()
    # A-B signs (A gains 0.75, B 0.5); A-C refused: A gains 0.25 but verifying C's online s2 costs
    # 2 x 0.8 x 0.5 = 0.8; B-C refused: C sends no travel to B.
    assert m.recognition_partners(A).tolist() == [B] and m.recognition_partners(C).tolist() == []
    assert _signed(m) == [("mutual", "", A, B)]


def test_mutual_recognition_signed_when_the_privacy_cost_is_off():
    m = tiny_model(silent_decision(network_weight=1.0), pair_deals=_deals(kinds=["mutual"]))
    place(m, A="s1", C="s2")
    m.step()
    assert m.recognition_partners(A).tolist() == [B, C]
    assert m.history.deals[0].tolist() == [2, 0, 0, 0, 0]  # cumulative by kind: mutual first


def test_a_deal_on_a_partner_standard_spreads_it_and_locks_the_adopter_in():
    m = tiny_model(silent_decision(network_weight=1.0), pair_deals=_deals(kinds=["standard"], duration=5))
    place(m, A="s1")
    m.step()
    # B gains U(s1) - U(none) = 0.5 (A accepts), A gains its 0.75 of trips to B; C gains 1.0, A 0.25
    assert [m.choices[s] for s in m.state] == ["s1", "s1", "s1"]
    assert m.locked_until[B] == m.locked_until[C] == 5
    assert _signed(m) == [("standard", "s1", A, B), ("standard", "s1", A, C)]
    assert m.recognition_partners(A).tolist() == [B, C]


def test_a_pair_takes_the_kind_with_the_larger_total_gain():
    m = tiny_model(silent_decision(network_weight=1.0), pair_deals=_deals())
    place(m, A="s1", C="s1")
    m.step()
    # A-B: mutual recognition is worth 0.75 + 0.5; B adopting s1 is worth 0.75 + 1.0 (A and C accept it)
    assert _signed(m) == [("standard", "s1", A, B)]


def test_a_partner_excluded_by_the_standard_sponsor_gets_no_deal_on_it():
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s1", home=["AAA"], excluded=["BBB"])}
    m = tiny_model(silent_decision(network_weight=1.0), standards=two_standards(s1={"sponsor": "sp"}),
                   sponsors=sponsors, pair_deals=_deals(kinds=["standard"]))
    place(m, A="s1")
    m.step()
    assert m.choices[m.state[B]] == "none" and m.choices[m.state[C]] == "s1"


def test_no_more_deals_than_max_per_month():
    m = tiny_model(silent_decision(network_weight=1.0), pair_deals=_deals(kinds=["standard"], max_per_month=1))
    place(m, A="s1")
    m.step()
    assert _signed(m) == [("standard", "s1", A, B)]


@pytest.mark.parametrize("rate", [0.0, 1.0])
def test_nobody_talks_at_rate_zero(rate):
    m = tiny_model(silent_decision(network_weight=1.0), pair_deals=_deals(rate=rate))
    place(m, A="s1")
    m.step()
    assert (len(m.deal_log) > 0) == (rate > 0)
