"""Revision (docs/ODD.md 7.4): who reconsiders, what they may choose, and lock-in."""

from model import SponsorSpec
from tests.tiny import B, C, silent_decision, tiny_model, two_standards


def test_best_response_adopts_the_standard_all_partners_use():
    standards = two_standards(s1={"initial_adopters": ["AAA", "BBB"]})
    m = tiny_model(silent_decision(network_weight=4.0, revision_rate=1.0), standards=standards)
    m.step()
    assert m.choices[m.state[C]] == "s1"


def test_an_unlaunched_standard_cannot_be_chosen():
    standards = two_standards(s1={"launch": "2021-04"}, s2={"quality": -1.0})
    m = tiny_model(silent_decision(revision_rate=1.0, rationality=0.0), standards=standards)
    for _ in range(3):
        m.step()
        assert not (m.state == 1).any()


def test_a_standard_whose_sponsor_excludes_the_country_cannot_be_chosen():
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s1", home=["AAA"], excluded=["CCC"])}
    standards = two_standards(s1={"sponsor": "sp", "initial_adopters": ["AAA", "BBB"]})
    m = tiny_model(silent_decision(network_weight=4.0, revision_rate=1.0), standards=standards, sponsors=sponsors)
    for _ in range(3):
        m.step()
        assert m.choices[m.state[C]] != "s1"


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


def test_initial_share_adopts_that_share_of_free_countries_at_random():
    m = tiny_model(standards=two_standards(s1={"initial_share": 2 / 3}))
    m.step()
    assert (m.state == 1).sum() == 2


def test_adopters_do_not_revise_when_told_not_to():
    standards = two_standards(s2={"initial_adopters": ["BBB"]}, s1={"initial_adopters": ["AAA", "CCC"]})
    m = tiny_model(silent_decision(network_weight=4.0, revision_rate=1.0, adopters_revise=False), standards=standards)
    m.run()
    assert m.choices[m.state[B]] == "s2"
