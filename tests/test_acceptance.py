"""The acceptance kernel (model/acceptance.py) on the three-country world of tests/tiny.py, by hand."""

import numpy as np
import pytest

from tests.tiny import A, B, C, place, three_countries, tiny_model

ALL = [A, B, C]


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


def test_a_pair_accepts_any_credential_without_double_counting():
    m = tiny_model()
    place(m, A="s1", B="s1")
    m.add_recognition(A, C)
    assert m.accepted_share(C)[0] == pytest.approx([1.0, 1.0, 1.0])  # A accepts C's credentials whatever they are
    assert m.accepted_share(A)[0] == pytest.approx([0.25, 1.0, 0.25])
    m.set_state(C, 1)  # C joins s1: A's s1 travel to C is accepted once, not twice
    assert m.accepted_share(A)[0] == pytest.approx([0.25, 1.0, 0.25])
    fresh = m.accepted_share(ALL).copy()
    m.refresh_travel()
    assert m.accepted_share(ALL) == pytest.approx(fresh)


def test_verifying_a_standard_accepts_it_from_every_issuer():
    m = tiny_model()
    place(m, A="s1", B="s2", C="s1")
    assert m.accepted_share(A)[0, 1] == pytest.approx(0.25)  # only C accepts s1
    m.verify(np.array([B]), 1)
    assert m.accepted_share(A)[0] == pytest.approx([0.0, 1.0, 0.75])  # B verifies s1 and still issues s2
    assert m.accepted_share(C)[0, 1] == pytest.approx(1.0)
    fresh = m.accepted_share(ALL).copy()
    m.refresh_travel()
    assert m.accepted_share(ALL) == pytest.approx(fresh)


def test_the_vaccine_gate_discounts_trips_to_destinations_that_do_not_recognise_the_vaccine():
    m = tiny_model(world=three_countries(chinese=(0.0, 0.0, 0.5)))  # half of C's travellers hold Chinese vaccines
    place(m, A="s1", C="s1")
    assert m.accepted_share(C)[0, 1] == pytest.approx(0.5)  # A does not recognise them: half of C's trips to A fail
    assert m.accepted_share(A)[0, 1] == pytest.approx(0.25)  # C recognises every vaccine A's travellers hold
    m.approve_vaccines("chinese", np.array([A]))
    assert m.accepted_share(C)[0, 1] == pytest.approx(1.0)


def test_reach_is_the_share_of_world_trips_whose_destination_accepts_the_standard():
    m = tiny_model()
    place(m, A="s1", B="s1")
    # trips from A (weight 0.5) to B: 0.75; from B (0.3) to A: 0.5; from C (0.2) to A: 1.0
    assert m.acceptance.reach() == pytest.approx([0.0, 0.5 * 0.75 + 0.3 * 0.5 + 0.2 * 1.0, 0.0])
    m.add_recognition(A, C)  # a bilateral pair is not the standard's reach
    assert m.acceptance.reach()[1] == pytest.approx(0.725)


def test_interoperability_and_fragmentation_split_the_credentialled_trips():
    m = tiny_model()
    place(m, A="s1", B="s1", C="s2")
    # accepted: A 0.75 of its trips, B 0.5, C 0 -> 0.5*0.75 + 0.3*0.5 = 0.525; the rest is refused
    assert m.interoperability() == pytest.approx(0.525)
    assert m.acceptance.fragmentation(m.state) == pytest.approx(0.475)
    m.set_state(C, 0)  # C travels on paper: its trips count in neither
    assert m.interoperability() == pytest.approx(0.525)
    assert m.acceptance.fragmentation(m.state) == pytest.approx(0.5 * 0.25 + 0.3 * 0.5)


def test_the_fast_kernel_matches_the_reference_loop_after_every_kind_of_change():
    m = tiny_model(world=three_countries(chinese=(0.0, 0.4, 0.5)), openness={"CCC": 0.5})
    place(m, A="s1", B="s2", C="s1")
    m.verify(np.array([A]), 2)
    m.add_recognition(B, C)
    m.bridge(1, 2)
    m.set_states(np.array([A, C]), np.array([2, 0]))
    for i in ALL:
        assert m.accepted_share(i)[0] == pytest.approx(m.accepted_share_reference(i), abs=1e-12)
