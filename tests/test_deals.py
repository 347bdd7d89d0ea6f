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


def _ring(*extra: str):
    from experiments import build_model

    return build_model(None, ["scenario=symmetric_lock_in", "world=ring", "world.n=12", "world.mean_degree=2",
                              "scenario.horizon=8", "decision.revision_rate=0", "standards.a.initial_adopters=[C00000]",
                              "decision.adoption_cost=0", *extra])


def test_pair_deals_alone_tip_a_region():
    """No revision and no sponsor: deals on a partner's standard carry it around a ring, one tie a month."""
    m = _ring("pair_deals.enabled=true", "pair_deals.kinds=[standard]", "pair_deals.rate=1",
              "pair_deals.min_travel=0.1", "pair_deals.max_per_month=12").run()
    adopters = m.history.adopters[:, m.index_of["a"]].tolist()
    assert adopters[0] == 3 and adopters[-1] == 12  # the seed's two neighbours first, then the rest
    assert all(b - a <= 2 for a, b in zip(adopters, adopters[1:], strict=False))  # one tie each way a month
    assert {kind for _, kind, _, _, _ in m.deal_log} == {"standard"}


def test_a_sponsor_deals_alone_tip_a_region():
    """No revision and no pair deals: a sponsor paying the set-up carries its standard to every country."""
    m = _ring("pair_deals.enabled=false", "decision.adoption_cost=1",
              "+sponsors.sp={name: Sp, standard: a, home: [C00000], budget: 20, incentive: 1.0, deals_per_month: 2, "
              "strategy: travel_partners}", "standards.a.sponsor=sp").run()
    assert m.history.adopters[-1, m.index_of["a"]] == 12
    assert {kind for _, kind, _, _, _ in m.deal_log} == {"incentive"}
