"""Each utility term (model/utility.py) on the three-country world, checked by hand."""

import math

import numpy as np
import pytest

from model import SponsorSpec
from tests.tiny import A, B, C, place, silent_decision, tiny_model, two_standards

ALL = [A, B, C]


def test_network_term_scales_with_weight_demand_and_openness():
    m = tiny_model(silent_decision(network_weight=2.0))
    place(m, A="s1", B="s1")
    m.demand = 0.5
    assert m.utilities(A)[0] == pytest.approx([0.0, 0.75, 0.0])
    m.openness[A] = 0.5  # a half-closed country values travel credentials half as much
    m.refresh_travel()
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


def test_endorsement_is_worth_its_share_of_travel_and_quality_is_added_as_is():
    m = tiny_model(silent_decision(network_weight=2.0, endorsement_value=0.25),
                   standards=two_standards(s1={"quality": 0.3}))
    m.launched[:] = True
    m.endorsed[2] = True
    assert m.utilities(B)[0] == pytest.approx([0.0, 0.3, 2.0 * 0.25])


def test_alignment_is_home_plus_political_similarity_plus_affinity():
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s1", home=["AAA"], affinity={"NORTH": 0.25})}
    m = tiny_model(silent_decision(alignment_weight=2.0, political_similarity=1.0),
                   standards=two_standards(s1={"sponsor": "sp"}), sponsors=sponsors)
    m.launched[:] = True
    # reference democracy = home mean = 8: A 1 + 1 + 0.25, B 0 + (1 - 2/5) + 0.25, C 0 + (1 - 6/5)
    assert m.utilities(ALL)[:, 1] == pytest.approx([4.5, 1.7, -0.4])
    assert m.utilities(ALL)[:, 2] == pytest.approx([0.0, 0.0, 0.0])


def test_one_country_row_equals_the_matrix_bit_for_bit():
    d = silent_decision(network_weight=3.7, alignment_weight=1.3, political_similarity=0.9, privacy_weight=2.2,
                        adoption_cost=4.1, openness_discount=0.4, wealth_discount=0.6, endorsement_value=0.07,
                        switching_cost=0.8)
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s2", home=["CCC"])}
    m = tiny_model(d, standards=two_standards(s1={"quality": 0.11}, s2={"sponsor": "sp"}), sponsors=sponsors)
    place(m, A="s1", C="s2")
    m.endorsed[1] = True
    m.add_recognition(B, C)
    m.demand = 0.73
    for i in ALL:
        assert m._utility_row(i) == m.utilities(i)[0].tolist()
    assert np.isfinite(m.utilities(ALL)).all()
