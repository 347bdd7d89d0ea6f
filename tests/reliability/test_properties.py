"""Property: any number for a config key is either refused in one line naming the key (exit 2,
nothing written) or runs to the end and writes only finite numbers.

Values come from the whole float range (NaN, infinities, subnormals, +-1.8e308, -0.0), from the
key's own valid range (its bounds included, so the bounds themselves are tried), and from the
integers; runs are tiny (12 countries, 4 months, one replication) or the embedded world for its
gravity keys. The examples are fixed (derandomised) so the suite is repeatable; set
PROPERTY_SCALE=10 for ten times as many, drawn at random. Valid extremes given as files and
overrides (corpus.VALID_EXTREMES: 1e308 and subnormal flows, 12.0 for a whole number, a new event)
must run as well, silently, keeping the user's files in the run directory.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from model.params import MAX_COUNTRIES, MAX_WEIGHT, describe
from model.schema import ParamInfo

from .conftest import assert_finite_outputs
from .corpus import NUMERIC_KEYS, TINY, VALID_EXTREMES
from .test_corpus import attempt

SCALE = int(os.environ.get("PROPERTY_SCALE", "1"))
QUIET = ("replications=1", "plots=false", "quiet=true")
EMBEDDED = ("scenario=symmetric_lock_in", "world=gravity", "scenario.horizon=4")
# with sponsors, their home blocs and the WHO, for keys that only act there (alignment, deals, platforms)
SPONSORED = ("scenario=symmetric_lock_in", "world=gravity", "standards=real_2021", "sponsors=real_2021",
             "organisations=who", "scenario.horizon=4", "pair_deals.enabled=true")


def examples(n: int):
    return settings(max_examples=n * SCALE, deadline=None, database=None, derandomize=SCALE == 1,
                    suppress_health_check=[HealthCheck.too_slow])


EDGES = (math.nan, math.inf, -math.inf, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
         -1.7976931348623157e308, -0.0, 0.0, 1e300, -1e300)


def numbers(key: str) -> st.SearchStrategy:
    """Any float, the edges above, values inside the key's valid range, and integers for whole-number keys."""
    info = describe(key) or ParamInfo("affinity", "alignment", 0.0, MAX_WEIGHT)  # the one number describe lacks
    anything = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
    edges = st.sampled_from(EDGES)
    if info.integer:
        high = info.high if key != "world.n" else 200  # a valid dense world of 10,000 countries takes minutes
        inside = st.integers(int(info.low), int(high))
        outside = st.one_of(st.integers(max_value=int(info.low) - 1), st.integers(min_value=int(info.high) + 1))
        return st.one_of(inside, outside, anything, edges)
    low = info.low if info.low is not None else -1e300
    high = info.high if info.high is not None else 1e300
    ends = [v for v in (low, high) if v != low or not info.low_open]
    inside = st.one_of(st.floats(low, high, exclude_min=info.low_open), st.sampled_from(ends))
    return st.one_of(inside, anything, edges)


def keyed(keys: list[str]) -> st.SearchStrategy:
    return st.sampled_from(keys).flatmap(lambda key: st.tuples(st.just(key), numbers(key)))


def override(key: str, value) -> str:
    return f"{key}={value!r}" if isinstance(value, float) else f"{key}={value}"


def run(base: tuple[str, ...], settings_: list[str], folder: Path):
    """experiments.run in-process: (exit status, stderr lines)."""
    import contextlib
    import io

    from experiments.run import main

    err, argv = io.StringIO(), sys.argv
    code = 0
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            main([*QUIET, *base, *settings_, f"hydra.run.dir={folder}"])
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.argv = argv
    return code, err.getvalue().strip().splitlines()


def count(outcome: str) -> None:
    if currently_in_test_context():  # shown by pytest --hypothesis-show-statistics
        event(outcome)


def check(base: tuple[str, ...], settings_: list[str], names: list[str]) -> str:
    """Run, then assert the property; returns "refused" or "ran" (also counted in Hypothesis's statistics)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "run"
        code, lines = run(base, settings_, folder)
        if code == 2:
            assert len(lines) == 1 and lines[0].startswith("error: "), lines
            assert any(name in lines[0] for name in names), lines[0]
            assert not folder.exists()
            count("refused")
            return "refused"
        assert code in (0, None), (code, lines)
        assert lines == [], lines  # quiet: not even a warning
        assert_finite_outputs(folder)
        count("ran")
        return "ran"


TINY_KEYS = [key for key, _, base in NUMERIC_KEYS if base == TINY]
GRAVITY_KEYS = [f"world.{n}" for n in ("gdp_exponent", "population_exponent", "distance_exponent", "min_distance_km",
                                       "border_factor", "region_factor")]
SPONSOR_KEYS = ["decision.alignment_weight", "decision.political_similarity", "decision.deal_alignment",
                "decision.privacy_weight", "decision.verification_privacy", "decision.adoption_cost",
                "sponsors.eu.affinity.EEA", "sponsors.india.budget", "sponsors.india.incentive",
                "sponsors.india.political_reference", "sponsors.eu.accession_per_month", "standards.china_hc.quality",
                "organisations.WHO.join_cost", "pair_deals.rate", "pair_deals.min_travel"]


@examples(30)
@given(keyed(TINY_KEYS))
def test_any_number_for_a_key_is_refused_naming_it_or_runs_finite(key_value):
    key, value = key_value
    check(TINY, [override(key, value)], [key])


@examples(10)
@given(keyed(GRAVITY_KEYS))
def test_any_number_for_a_gravity_key_of_the_embedded_world_is_refused_or_runs_finite(key_value):
    key, value = key_value
    check(EMBEDDED, [override(key, value)], [key])


@examples(10)
@given(st.lists(keyed(SPONSOR_KEYS), min_size=2, max_size=4, unique_by=lambda kv: kv[0]))
def test_several_extreme_numbers_together_are_refused_or_run_finite(pairs):
    """Values at their bounds combine (a weight of a million times an alignment of a million):
    the utilities must stay finite, or the first bad key is named."""
    check(SPONSORED, [override(k, v) for k, v in pairs], [k for k, _ in pairs])


def test_the_largest_world_count_is_the_declared_bound():
    assert describe("world.n").high == MAX_COUNTRIES


@pytest.mark.parametrize(("key", "base"), [("decision.network_weight", TINY), ("standards.a.quality", TINY),
                                           ("world.distance_exponent", EMBEDDED)])
def test_the_bounds_themselves_run_finite(key, base):
    """Each end of a valid range is a valid value: it runs and writes finite numbers."""
    info = describe(key)
    for value in (info.low, info.high):
        assert check(base, [override(key, float(value))], [key]) == "ran"


def test_every_number_at_its_upper_bound_at_once_runs_finite():
    """The bounds are chosen so that no combination of valid values overflows: all at the top together."""
    keys = [*SPONSOR_KEYS, "decision.network_weight", "decision.switching_cost", "decision.endorsement_value",
            "decision.rationality", "standards.eu_dcc.quality", "standards.divoc.quality"]
    tops = {key: (describe(key).high if describe(key) else MAX_WEIGHT) for key in keys}
    tops["decision.rationality"] = 1e308  # no upper bound: +inf is best response
    assert check(SPONSORED, [override(k, float(v)) for k, v in tops.items() if v is not None], keys) == "ran"


@pytest.mark.parametrize("case", VALID_EXTREMES, ids=[c.id for c in VALID_EXTREMES])
def test_valid_extremes_run_finite_and_keep_the_users_files(case, tmp_path):
    result = attempt(case, tmp_path)
    assert result.verdict(case) == "accepted", result.err[-3000:]
    assert result.err == "" and result.out == ""  # quiet, and no warning either
    assert_finite_outputs(tmp_path / "user")
    mine = {"user", "user/notes.txt", "user/earlier", "user/earlier/summary.json"}
    assert [p for p in result.touched if p in mine or not p.startswith("user/")] == ["user"]  # only new entries
