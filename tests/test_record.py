"""The comparison with the public record, the calibration procedure and historical_validation."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from experiments import compose, to_experiment
from experiments.calibrate import accept, distance, posterior_table, record_outcomes
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


def _draws(scale: float) -> pd.DataFrame:
    """Three parameter draws whose runs miss the record by 0, `scale` and 2 x `scale` (relative)."""
    record = np.array([f.adopters for f in RECORD], dtype=float)
    rows = []
    for k, miss in enumerate((0.0, scale, 2 * scale)):
        counts = record + miss * np.maximum(record, 5.0)
        rows.append({"decision.adoption_cost": float(k), **dict(zip(record_outcomes(), counts, strict=True))})
    return pd.DataFrame(rows)


def test_the_distance_is_the_record_loss_of_one_run():
    draws = _draws(0.1)
    assert distance(draws) == pytest.approx([0.0, 0.01, 0.04])
    one = pd.DataFrame({"record": [f.adopters for f in RECORD], "model_median": draws.iloc[1][record_outcomes()]})
    assert loss(one.astype(float)) == pytest.approx(0.01)


def test_abc_keeps_the_draws_closest_to_the_record():
    kept = accept(_draws(0.1), ["decision.adoption_cost"], share=2 / 3)
    assert kept["decision.adoption_cost"].tolist() == [0.0, 1.0]
    assert kept["distance"].is_monotonic_increasing
    with pytest.raises(ValueError, match="accept"):
        accept(_draws(0.1), ["decision.adoption_cost"], share=0.0)


def test_the_posterior_table_says_how_much_the_record_narrowed_each_prior():
    ensemble = pd.DataFrame({"decision.adoption_cost": np.linspace(4.0, 5.0, 101)})
    table = posterior_table(ensemble, {"decision.adoption_cost": (2.0, 8.0)})
    row = table.iloc[0]
    assert row["median"] == pytest.approx(4.5) and row["p05"] == pytest.approx(4.05)
    assert row["narrowed"] == pytest.approx(1 - 0.9 / (0.9 * 6.0))


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
