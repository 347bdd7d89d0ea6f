"""End to end through the CLI on a tiny world: the run directory and the output contract."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments import replication_seeds, run_experiment
from experiments.run import main

REPS, MONTHS, N = 3, 6, 12
STANDARDS = ["a", "b"]
CHOICES = ["none", *STANDARDS]
COMMAND = ["scenario=symmetric_lock_in", f"world.n={N}", f"scenario.horizon={MONTHS}", f"replications={REPS}"]
PLOTS = ("adoption.png", "world_map.png", "interoperability.png", "deals.png")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EXPECTED_MONTHS = [dt.date(2021, m, 1) for m in range(1, MONTHS + 1)]


def run_cli(overrides: list[str], run_dir: Path) -> None:
    """Run `python -m experiments.run` in this process; restore sys.argv, which main() rewrites."""
    saved = sys.argv[:]
    try:
        main([*overrides, f"hydra.run.dir={run_dir}"])
    finally:
        sys.argv = saved


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "run"
    run_cli([*COMMAND, "quiet=true"], out)  # plots on (the default): the one run that draws them
    return out


@pytest.fixture(scope="module")
def timeseries(run_dir) -> pd.DataFrame:
    return pd.read_parquet(run_dir / "timeseries.parquet")


@pytest.fixture(scope="module")
def countries(run_dir) -> pd.DataFrame:
    return pd.read_parquet(run_dir / "countries.parquet")


@pytest.fixture(scope="module")
def summary(run_dir) -> dict:
    return json.loads((run_dir / "summary.json").read_text())


def per_option(timeseries: pd.DataFrame) -> pd.DataFrame:
    return timeseries[timeseries["standard"] != "all"]


# ---------------------------------------------------------------- the run directory

def test_run_directory_has_every_output(run_dir):
    for name in (".hydra/config.yaml", ".hydra/overrides.yaml", "timeseries.parquet", "countries.parquet",
                 "summary.json", *PLOTS):
        assert (run_dir / name).is_file(), name
        assert (run_dir / name).stat().st_size > 0, name
    for name in PLOTS:
        assert (run_dir / name).read_bytes()[:8] == PNG_MAGIC, name
    assert not [p.name for p in run_dir.iterdir() if p.name.startswith(".partial-")]


def test_hydra_files_record_the_run(run_dir):
    config = yaml.safe_load((run_dir / ".hydra" / "config.yaml").read_text())
    assert config["scenario"]["name"] == "symmetric_lock_in"
    assert config["scenario"]["horizon"] == MONTHS
    assert config["world"]["n"] == N and config["world"]["graph"] == "complete"
    assert config["replications"] == REPS
    assert set(config["standards"]) == set(STANDARDS)
    overrides = yaml.safe_load((run_dir / ".hydra" / "overrides.yaml").read_text())
    for item in COMMAND:
        assert item in overrides


# ---------------------------------------------------------------- timeseries.parquet

def test_timeseries_columns_and_size(timeseries):
    for column in ("replication", "seed", "step", "month", "standard", "adopters", "population_share",
                   "gdp_share", "travel_share", "credentialled_share", "acceptance_reach", "foreign_adopters",
                   "interoperability", "fragmentation", "hhi", "platform_members", "deals", "deals_mutual",
                   "deals_standard", "deals_accession", "deals_incentive", "deals_wave"):
        assert column in timeseries.columns, column
    assert timeseries["month"].dtype == "datetime64[ns]"
    assert isinstance(timeseries["standard"].dtype, pd.CategoricalDtype)
    assert len(timeseries) == REPS * MONTHS * len(CHOICES) + REPS * MONTHS
    assert sorted(timeseries["standard"].unique()) == sorted([*CHOICES, "all"])
    assert sorted(timeseries["replication"].unique()) == list(range(REPS))
    assert sorted(timeseries["step"].unique()) == list(range(MONTHS))
    # one row per replication x month x option, and one "all" row per replication x month
    counts = timeseries.groupby(["replication", "step", "standard"]).size()
    assert (counts == 1).all() and len(counts) == REPS * MONTHS * (len(CHOICES) + 1)


def test_timeseries_all_rows_carry_run_level_series(timeseries):
    overall = timeseries[timeseries["standard"] == "all"]
    assert len(overall) == REPS * MONTHS
    assert overall["interoperability"].notna().all() and overall["deals"].notna().all()
    assert overall["interoperability"].between(0, 1).all()
    assert (overall["deals"] >= 0).all()
    options = per_option(timeseries)
    assert options["adopters"].notna().all()
    for column in ("population_share", "gdp_share", "travel_share", "credentialled_share", "acceptance_reach"):
        assert options[column].notna().all() and options[column].between(0, 1).all()
    assert (overall["interoperability"] + overall["fragmentation"]).between(0, 1 + 1e-9).all()


def test_timeseries_shares_sum_to_one_and_adopters_to_n(timeseries):
    grouped = per_option(timeseries).groupby(["replication", "month"])
    assert len(grouped) == REPS * MONTHS
    for column in ("population_share", "gdp_share", "travel_share"):
        np.testing.assert_allclose(grouped[column].sum().to_numpy(), 1.0, atol=1e-9)
    assert (grouped["adopters"].sum() == N).all()


def test_timeseries_months_are_first_of_month_dates(timeseries):
    months = pd.to_datetime(timeseries["month"])
    assert (months.dt.day == 1).all()
    assert sorted(set(months.dt.date)) == EXPECTED_MONTHS
    # step and month agree row by row
    expected = [EXPECTED_MONTHS[s] for s in timeseries["step"]]
    assert list(months.dt.date) == expected


# ---------------------------------------------------------------- countries.parquet

def test_countries_table(countries, timeseries):
    assert len(countries) == REPS * N
    assert {"replication", "seed", "iso3", "final_standard", *(f"adopted_{s}" for s in STANDARDS)} <= set(
        countries.columns)
    assert (countries.groupby("replication")["iso3"].nunique() == N).all()
    assert set(countries["final_standard"]) <= set(CHOICES)
    # final standards match the last month's adopters in the timeseries
    last = per_option(timeseries)
    last = last[last["step"] == MONTHS - 1]
    for rep in range(REPS):
        rows = countries[countries["replication"] == rep]
        counted = rows["final_standard"].value_counts().reindex(CHOICES, fill_value=0)
        expected = last[last["replication"] == rep].set_index("standard")["adopters"].reindex(CHOICES)
        assert counted.astype(int).tolist() == expected.astype(int).tolist(), f"replication {rep}"


def test_countries_adoption_months(countries):
    for sid in STANDARDS:
        column = countries[f"adopted_{sid}"]
        dates = pd.to_datetime(column.dropna())
        assert set(dates.dt.date) <= set(EXPECTED_MONTHS)
        # a country ending on a standard adopted it at some month
        assert column[countries["final_standard"] == sid].notna().all()


# ---------------------------------------------------------------- summary.json

def test_summary_contract(summary, timeseries):
    assert summary["scenario"] == "symmetric_lock_in"
    assert summary["replications"] == REPS
    assert summary["seeds"] == replication_seeds(0, REPS)
    seeds_in_table = timeseries.groupby("replication")["seed"].unique()
    assert [int(s[0]) for s in seeds_in_table] == summary["seeds"]
    assert all(len(s) == 1 for s in seeds_in_table)
    assert summary["horizon"] == {"start": "2021-01", "months": MONTHS, "end": "2021-06"}
    assert set(summary["standards"]) == set(CHOICES)
    total = summary["fragmented_probability"]
    for sid in STANDARDS:
        entry = summary["standards"][sid]
        p = entry["win_probability"]
        lo, hi = entry["win_interval"]
        assert len(entry["win_interval"]) == 2
        assert 0 <= lo <= p <= hi <= 1
        total += p
    assert total == pytest.approx(1.0)
    lo, hi = summary["fragmented_interval"]
    assert 0 <= lo <= summary["fragmented_probability"] <= hi <= 1


def test_summary_bands_match_the_timeseries_at_the_judged_month(summary, timeseries):
    assert summary["win_rule"]["month"] == "2021-06" and summary["win_rule"]["measure"] == "travel_share"
    last = per_option(timeseries)
    last = last[last["step"] == MONTHS - 1]
    for sid in CHOICES:
        rows = last[last["standard"] == sid]
        entry = summary["standards"][sid]
        for name in ("adopters", "travel_share", "acceptance_reach", "credentialled_share", "foreign_adopters"):
            values = rows[name].astype(float)
            assert entry[name]["median"] == pytest.approx(float(np.median(values))), (sid, name)
            assert entry[name]["p05"] <= entry[name]["median"] <= entry[name]["p95"]


def test_summary_win_probabilities_follow_the_stated_rule(summary, timeseries):
    """A replication's winner leads the rule's measure at the judged month by the stated lead, above
    the threshold; the robustness table at the stated threshold says the same."""
    rule = summary["win_rule"]
    last = per_option(timeseries)
    last = last[(last["step"] == MONTHS - 1) & (last["standard"] != "none")]
    winners = []
    for _, rows in last.groupby("replication", observed=True):
        values = rows.set_index("standard")[rule["measure"]].sort_values(ascending=False)
        best, second = values.iloc[0], values.iloc[1]
        won = best >= rule["threshold"] and best >= summary_lead(summary) * second
        winners.append(values.index[0] if won else "fragmented")
    for sid in STANDARDS:
        assert summary["standards"][sid]["win_probability"] == pytest.approx(winners.count(sid) / REPS)
    assert summary["fragmented_probability"] == pytest.approx(winners.count("fragmented") / REPS)
    by_rule = summary["win_probability_by_rule"][rule["measure"]][f"{rule['threshold']:g}"]
    assert by_rule == {sid: summary["standards"][sid]["win_probability"] for sid in STANDARDS}


def summary_lead(summary: dict) -> float:
    return summary["win_rule"].get("lead", 1.0)


# ---------------------------------------------------------------- Python API and determinism

def test_run_experiment_returns_what_the_cli_wrote(run_dir, timeseries, countries, summary):
    results = run_experiment("symmetric_lock_in", [f"world.n={N}", f"scenario.horizon={MONTHS}",
                                                   f"replications={REPS}"])
    pd.testing.assert_frame_equal(results.timeseries, timeseries)
    pd.testing.assert_frame_equal(results.countries, countries)
    assert json.loads(json.dumps(results.summary)) == summary
    assert results.choices == CHOICES
    assert len(results.world) == N and results.world["travel_weight"].sum() == pytest.approx(1.0)


def test_same_command_twice_gives_identical_tables_and_seed_changes_them(tmp_path):
    tables = []
    for name, extra in (("first", []), ("again", []), ("seed1", ["seed=1"])):
        out = tmp_path / name
        run_cli([*COMMAND, "plots=false", "quiet=true", *extra], out)
        assert not list(out.glob("*.png"))
        tables.append({t: pd.read_parquet(out / f"{t}.parquet") for t in ("timeseries", "countries")}
                      | {"summary": json.loads((out / "summary.json").read_text())})
    first, again, seed1 = tables
    for t in ("timeseries", "countries"):
        pd.testing.assert_frame_equal(first[t], again[t])
    assert first["summary"] == again["summary"]
    # another experiment seed: other replication seeds and other trajectories
    assert seed1["summary"]["seeds"] == replication_seeds(1, REPS) != first["summary"]["seeds"]
    columns = ["adopters", "travel_share"]
    assert not first["timeseries"][columns].equals(seed1["timeseries"][columns])
    assert not first["countries"].drop(columns="replication").equals(seed1["countries"].drop(columns="replication"))
