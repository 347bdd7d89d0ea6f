"""Bad input on the command line: one `error:` line naming the key or file, exit != 0, no run directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from experiments.run import main

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
PYTHON = sys.executable

# Keep any run that wrongly gets through short and quiet; put first so a case can override them.
BASE = ["replications=1", "plots=false", "quiet=true"]
# A world built from a file only: no scenario event or standard names a real country.
TINY = ["scenario=symmetric_lock_in", "world=gravity", f"world.countries_file={DATA / 'tiny_countries.csv'}"]


def flows(name: str) -> list[str]:
    return [*TINY, "world.kind=flows", f"world.flows_file={DATA / name}"]


def countries(name: str) -> list[str]:
    return ["scenario=symmetric_lock_in", "world=gravity", f"world.countries_file={DATA / name}"]


# id -> (overrides, fragments the message must contain: the key or file, and what is allowed)
CASES = {
    "unknown_scenario": (["scenario=atlantis"], ["scenario", "atlantis", "historical_2021"]),
    "unknown_world": (["world=flat_earth"], ["world", "flat_earth", "gravity", "small_world"]),
    "unknown_key": (["foo=1"], ["foo"]),
    "wrong_type": (["decision.rationality=abc"], ["decision.rationality", "abc", "float"]),
    "negative_rationality": (["decision.rationality=-1"], ["decision.rationality", ">= 0"]),
    "revision_rate_above_one": (["decision.revision_rate=1.5"], ["decision.revision_rate", "1.5", "[0, 1]"]),
    "zero_replications": (["replications=0"], ["replications", ">= 1"]),
    "negative_seed": (["seed=-1"], ["seed", ">= 0"]),
    "bad_update": (["decision.update=sometimes"], ["decision.update", "random_sequential", "simultaneous"]),
    "bad_month": (["standards.eu_dcc.launch=2021-13"], ["standards.eu_dcc.launch", "YYYY-MM"]),
    "unknown_iso3_initial_adopter": (["standards.eu_dcc.initial_adopters=[XXX]"],
                                     ["standards.eu_dcc.initial_adopters", "XXX", "ISO3", "EU27"]),
    "unknown_bloc_sponsor_home": (["sponsors.eu.home=[EU28]"], ["sponsors.eu.home", "EU28", "EU27"]),
    "unknown_iso3_event_countries": (["scenario.events.china_reopens.countries=[CHN,XXX]"],
                                     ["scenario.events.china_reopens.countries", "XXX"]),
    "event_unknown_standard": (["scenario.events.who_takes_over_eu_dcc.standard=zzz"],
                               ["scenario.events.who_takes_over_eu_dcc.standard", "zzz", "eu_dcc"]),
    "event_after_horizon": (["scenario.events.china_reopens.date=2030-01"],
                            ["scenario.events.china_reopens.date", "2030-01", "2021-01..2023-12"]),
    "event_before_start": (["scenario.events.china_reopens.date=2020-12"],
                           ["scenario.events.china_reopens.date", "2020-12", "2021-01..2023-12"]),
    "adopt_before_launch": (["scenario=us_federal_pass", "scenario.events.federal_pass.date=2021-02"],
                            ["scenario.events.federal_pass.date", "2021-02", "shc", "2021-06"]),
    "horizon_cuts_off_events": (["scenario.horizon=6"], ["scenario.", "outside the horizon", "2021-01..2021-06"]),
    "synthetic_too_small": (["scenario=symmetric_lock_in", "world.n=1"], ["world.n", "[2, 1,000,000]"]),
    "flows_kind_without_file": (["world.kind=flows"], ["world.flows_file", "origin,destination,flow"]),
    "flows_missing_column": (flows("flows_missing_column.csv"),
                             ["flows_missing_column.csv", "flow", "origin, destination, flow"]),
    "flows_negative": (flows("flows_negative.csv"), ["flows_negative.csv", ":3", ">= 0"]),
    "flows_not_a_number": (flows("flows_not_a_number.csv"), ["flows_not_a_number.csv", ":3", "lots", "number"]),
    "flows_unknown_country": (flows("flows_unknown_country.csv"), ["flows_unknown_country.csv", "ZZZ"]),
    "flows_file_missing": (flows("no_such_flows.csv"), ["world.flows_file", "no_such_flows.csv"]),
    "countries_duplicate_iso3": (countries("countries_duplicate.csv"),
                                 ["countries_duplicate.csv", "AAA", "duplicate"]),
    "countries_missing_column": (countries("countries_missing_column.csv"),
                                 ["countries_missing_column.csv", "democracy", "required"]),
    "countries_file_missing": (countries("no_such_countries.csv"), ["world.countries_file", "no_such_countries.csv"]),
    # --- cases the code did not handle when these tests were written (see the report) ---
    # an appended key is a typo all the same: it must not be silently ignored
    "appended_typo_key": (["scenario=symmetric_lock_in", "world.n=10", "scenario.horizon=3",
                           "+decision.rationalty=3"], ["rationalty"]),
    # networkx's own "k>n" error reached the user without naming the parameters
    "small_world_degree_above_n": (["scenario=symmetric_lock_in", "world=small_world", "world.n=5"],
                                   ["world.mean_degree"]),
    # a short row in a CSV raised a TypeError that named neither the file nor the line
    "flows_short_row": (flows("flows_short_row.csv"), ["flows_short_row.csv", ":3", "flow"]),
    "countries_short_row": (countries("countries_short_row.csv"), ["countries_short_row.csv", "democracy"]),
    # an empty flow table was reported as "world: the travel flows are all zero", without the file
    "flows_header_only": (flows("flows_header_only.csv"), ["flows_header_only.csv"]),
}


def _check_message(stderr: str, fragments: list[str]) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr, got {lines!r}"
    line = lines[0]
    assert line.startswith("error: ") and line[len("error: "):].strip(), line
    for fragment in fragments:
        assert fragment.lower() in line.lower(), f"{fragment!r} not in {line!r}"
    return line


@pytest.mark.parametrize(("overrides", "fragments"), list(CASES.values()), ids=list(CASES))
def test_bad_input_in_process(overrides, fragments, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["experiments.run"])  # main() rewrites sys.argv
    run_dir = tmp_path / "run"
    with pytest.raises(SystemExit) as info:
        main([*BASE, *overrides, f"hydra.run.dir={run_dir}"])
    captured = capsys.readouterr()
    assert info.value.code not in (0, None)
    _check_message(captured.err, fragments)
    assert not run_dir.exists()
    assert list(tmp_path.iterdir()) == []


SUBPROCESS_CASES = {
    "unknown_scenario": CASES["unknown_scenario"],
    "flows_negative": CASES["flows_negative"],
}


@pytest.mark.parametrize(("overrides", "fragments"), list(SUBPROCESS_CASES.values()), ids=list(SUBPROCESS_CASES))
def test_bad_input_subprocess(overrides, fragments, tmp_path):
    run_dir = tmp_path / "run"
    proc = subprocess.run([PYTHON, "-m", "experiments.run", *BASE, *overrides, f"hydra.run.dir={run_dir}"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    _check_message(proc.stderr, fragments)
    assert proc.stdout == ""
    assert not run_dir.exists()
    assert not (tmp_path / "outputs").exists()
    assert list(tmp_path.iterdir()) == []
