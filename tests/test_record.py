"""The comparison with the public record, the calibration procedure and historical_validation."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from experiments import compose, to_experiment
from experiments.calibrate import calibrate, parse_grid
from experiments.record import RECORD, compare, loss
from experiments.run import main


def _timeseries(adopters_by_rep: list[int]) -> pd.DataFrame:
    rows = [{"replication": r, "month": dt.date(2021, 10, 1), "standard": "eu_dcc", "adopters": a}
            for r, a in enumerate(adopters_by_rep)]
    rows.append({"replication": 0, "month": dt.date(2021, 10, 1), "standard": "shc", "adopters": 3})
    return pd.DataFrame(rows)


def test_compare_takes_median_and_band_at_each_recorded_month():
    table = compare(_timeseries(list(range(40, 61))))  # 21 replications: 40..60
    eu = table[table["standard"] == "eu_dcc"].iloc[0]
    assert (eu["month"], eu["record"], eu["model_median"]) == ("2021-10", 43, 50.0)
    assert eu["model_p5"] == pytest.approx(41.0) and eu["model_p95"] == pytest.approx(59.0)
    assert set(table["standard"]) == {"eu_dcc"}  # shc's record is at 2022-12, absent here


def test_loss_is_mean_squared_relative_error_with_small_counts_floored_at_five():
    table = pd.DataFrame({"record": [50, 2], "model_median": [60.0, 4.0]})
    assert loss(table) == pytest.approx(((10 / 50) ** 2 + (2 / 5) ** 2) / 2)


def test_record_facts_are_the_public_figures():
    eu = [(f.month, f.adopters) for f in RECORD if f.standard == "eu_dcc"]
    assert eu == [("2021-10", 43), ("2021-12", 60), ("2022-07", 72), ("2022-10", 76), ("2023-05", 78)]


def test_grid_axes_keep_counts_as_integers():
    grid = parse_grid(["sponsors.eu.deals_per_month=3,5", "decision.adoption_cost=4,4.5"])
    assert grid["sponsors.eu.deals_per_month"] == [3, 5]
    assert grid["decision.adoption_cost"] == [4.0, 4.5]


def test_calibration_ranks_points_by_loss_with_common_seeds():
    grid = {"decision.adoption_cost": [4.5, 40.0]}  # an absurd cost stops almost all adoption
    table = calibrate(grid, replications=2, seed=0, workers=1)
    assert table["loss"].is_monotonic_increasing
    assert table.iloc[0]["decision.adoption_cost"] == 4.5


def test_historical_validation_composes_with_the_record_analysis():
    exp = to_experiment(compose(None, ["experiment=historical_validation"]))
    assert (exp.scenario.name, exp.replications, exp.analysis) == ("historical_2021", 200, "record")


def test_historical_validation_writes_the_comparison(tmp_path, capsys):
    main(["experiment=historical_validation", "replications=3", "workers=1", f"hydra.run.dir={tmp_path}"])
    table = pd.read_csv(tmp_path / "record_comparison.csv")
    assert len(table) == len(RECORD)
    assert np.all(table["model_p5"] <= table["model_median"]) and np.all(table["model_median"] <= table["model_p95"])
    assert (tmp_path / "record.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Against the public record" in capsys.readouterr().out
