"""Outcomes and the win rule (model/metrics.py): hand-checked rows and a run on the tiny world."""

import numpy as np
import pytest

from model import SponsorSpec, WinRule
from model.metrics import winner
from tests.tiny import place, silent_decision, tiny_model, two_standards


@pytest.mark.parametrize("values, threshold, lead, expected", [
    ([0.0, 0.5, 0.2], 0.4, 2.0, 1),     # above the threshold and 2.5 times the runner-up
    ([0.0, 0.5, 0.3], 0.4, 2.0, -1),    # leads, but not by twice: the field is shared
    ([0.0, 0.3, 0.1], 0.4, 2.0, -1),    # leads by three times, but below the threshold
    ([0.0, 0.2, 0.6], 0.4, 2.0, 2),
    ([0.9, 0.3, 0.3], 0.3, 1.0, 1),     # "none" never wins; a tie goes to the first with lead 1
    ([0.0, 0.3, 0.3], 0.3, 1.5, -1),    # and nobody with lead > 1
])
def test_the_win_rule_needs_the_threshold_and_the_lead(values, threshold, lead, expected):
    assert winner(np.array(values), threshold, lead) == expected


def test_shares_of_credentialled_travel_leave_paper_travel_out():
    m = tiny_model()
    place(m, A="s1", B="s2")
    m.history.record(m)
    h = m.history
    assert h.travel_share[0] == pytest.approx([0.2, 0.5, 0.3])
    assert h.credentialled_share[0] == pytest.approx([0.0, 0.5 / 0.8, 0.3 / 0.8])
    assert h.travel_share[0].sum() == pytest.approx(1.0)


def test_foreign_adopters_are_counted_outside_the_sponsor_home():
    sponsors = {"sp": SponsorSpec(name="Sponsor", standard="s1", home=["AAA"])}
    m = tiny_model(standards=two_standards(s1={"sponsor": "sp"}), sponsors=sponsors)
    place(m, A="s1", B="s1", C="s2")
    m.history.record(m)
    assert m.history.foreign_adopters[0].tolist() == [0, 1, 0]  # B; s2 has no sponsor


def test_the_outcome_is_judged_at_the_rule_month_with_the_time_it_first_held():
    standards = two_standards(s1={"initial_adopters": ["AAA", "BBB"]})
    rule = WinRule(measure="acceptance_reach", threshold=0.5, lead=2.0, month="2021-03")
    m = tiny_model(silent_decision(network_weight=4.0, revision_rate=1.0), standards=standards, win=rule)
    m.run()
    out = m.outcome()
    assert out["judged_month"] == "2021-03" and out["winner"] == "s1"
    assert out["acceptance_reach"]["s1"] == pytest.approx(1.0)  # C joined in month 0: every trip accepts s1
    assert out["time_to_dominance"] == 0
    assert set(out["deals"]) == {"mutual", "standard", "accession", "incentive", "wave"}
