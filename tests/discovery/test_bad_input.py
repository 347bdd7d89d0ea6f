"""Bad input is one line naming the key: no positive cases, an empty design, a zero budget, an
unknown outcome, in every module that takes them."""

import pandas as pd
import pytest

from experiments.discovery import (
    Parameter,
    cart_rules,
    cheapest_strategy,
    common_seeds,
    compare,
    find_box,
    find_threshold,
    lhs_design,
    linear_cost,
    run_design,
    sobol,
)
from experiments.discovery.evaluate import design_from_unit

X = [Parameter("x", 0.0, 1.0)]


def never(params, seed):
    return {"win_china_hc": 0.0, "share": params["x"]}


def one_line(err: pytest.ExceptionInfo) -> str:
    message = str(err.value)
    assert "\n" not in message and isinstance(err.value, ValueError)
    return message


def test_no_positive_cases():
    runs = run_design(never, lhs_design(X, 20), [0])
    for analysis in (find_box, cart_rules):
        with pytest.raises(ValueError) as err:
            analysis(runs, "win_china_hc", X)
        assert one_line(err).endswith("no positive cases: win_china_hc never happens in this design")


def test_empty_design():
    with pytest.raises(ValueError) as err:
        run_design(never, design_from_unit(X, [[0.5]]).iloc[:0], [0])
    assert one_line(err) == "design is empty: no points to run"
    with pytest.raises(ValueError) as err:
        lhs_design(X, 0)
    assert one_line(err).startswith("points = 0")
    with pytest.raises(ValueError) as err:
        find_box(pd.DataFrame({"x": [], "win_china_hc": []}), "win_china_hc", X)
    assert one_line(err) == "outcome win_china_hc: the design is empty, there are no runs to analyse"


def test_zero_budget():
    with pytest.raises(ValueError) as err:
        cheapest_strategy(never, X, linear_cost({"x": 1.0}), "win_china_hc", [0], candidates=0)
    assert one_line(err).startswith("candidates = 0:")
    with pytest.raises(ValueError) as err:
        common_seeds(0)
    assert one_line(err).startswith("replications = 0")


def test_unknown_outcome_name():
    runs = run_design(never, lhs_design(X, 4), [0])
    with pytest.raises(ValueError) as err:
        find_box(runs, "win_eu_dcc", X)
    assert one_line(err).startswith("outcome win_eu_dcc: not in the table")
    with pytest.raises(ValueError) as err:
        compare(runs.iloc[:1], {"same": runs.iloc[:1]}, ["win_eu_dcc"])
    assert one_line(err).startswith("outcome win_eu_dcc")
    for call in (lambda: sobol(never, X, ["win_eu_dcc"], [0], samples=4),
                 lambda: find_threshold(never, X[0], "win_eu_dcc", [0, 1])):
        with pytest.raises(ValueError) as err:
            call()
        assert one_line(err).startswith("simulate returned no win_eu_dcc at point 0")


def test_declarations_name_the_key():
    for make, start in [(lambda: Parameter("decision.privacy_weight", 2.0, 1.0), "decision.privacy_weight: low"),
                        (lambda: Parameter("pair_deals.rate", 0.0, 1.0, log=True), "pair_deals.rate.low: 0.0"),
                        (lambda: Parameter("who.platform", choices=()), "who.platform.choices: empty"),
                        (lambda: Parameter("k", 0.5, 3, integer=True), "k: an integer range")]:
        with pytest.raises(ValueError) as err:
            make()
        assert one_line(err).startswith(start)
