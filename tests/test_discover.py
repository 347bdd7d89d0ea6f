"""`credential-race discover`: the smoke discovery end to end (the report's contract), resuming,
and one-line errors for bad configs with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from experiments.discover import main

CONTRACT = {
    "boxes.csv": ["outcome", "box", "coverage", "density", "mass", "dimension", "lower", "upper", "qp"],
    "sensitivity.csv": ["outcome", "parameter", "method", "S1", "S1_conf", "ST", "ST_conf", "mu_star", "sigma"],
    "thresholds.csv": ["standard", "lever", "threshold", "lower", "upper", "start"],
    "counterfactuals.csv": ["scenario", "outcome", "baseline", "value", "difference", "lower", "upper"],
}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("discover") / "smoke"
    main(["discover=smoke", f"discover.output={out}", "discover.workers=2"])
    return out


def test_the_run_directory_holds_the_report_and_every_table(smoke):
    for name, columns in CONTRACT.items():
        assert list(pd.read_csv(smoke / name).columns) == columns, name
    wit = pd.read_csv(smoke / "what_it_takes.csv")
    assert list(wit.columns[:1]) == ["sponsor"] and {"cost", "win_probability", "lower", "upper"} <= set(wit.columns)
    assert {"standards.a.quality", "standards.a.initial_share"} <= set(wit.columns)
    text = (smoke / "report.md").read_text()
    assert "## " in text and "wins" in text
    page = (smoke / "report.html").read_text()
    assert "<img" in page and 'src="http' not in page and "data:image/png;base64," in page


def test_the_design_ran_in_the_sweep_store_with_every_run(smoke):
    runs = pd.read_parquet(smoke / "design" / "runs.parquet")
    assert len(runs) == 40 * 4 and (runs["status"] == "ok").all()
    assert {"standards.a.quality", "win.a", "travel_share.a", "scenario"} <= set(runs.columns)
    manifest = json.loads((smoke / "design" / "manifest.json").read_text())
    assert manifest["status"] == "complete"


def test_the_box_finds_quality_and_the_threshold_sits_where_a_starts_to_lead(smoke):
    boxes = pd.read_csv(smoke / "boxes.csv")
    assert "standards.a.quality" in set(boxes["dimension"])  # quality decides the lock-in
    quality = boxes[boxes["dimension"] == "standards.a.quality"].iloc[0]
    assert quality["lower"] > -0.5  # a wins when its quality is well above b's (0)
    thresholds = pd.read_csv(smoke / "thresholds.csv")
    assert set(thresholds["start"]) == {"empty start", "b ahead"}
    scratch = thresholds[thresholds["start"] == "empty start"].iloc[0]
    assert -0.5 < scratch["threshold"] < 0.5  # symmetric standards: a tips near equal quality
    ahead = thresholds[thresholds["start"] == "b ahead"].iloc[0]
    assert pd.isna(ahead["threshold"]) or ahead["threshold"] > scratch["threshold"]  # b's head start costs a


def test_running_again_resumes_from_what_is_on_disk(smoke, capsys):
    before = {name: pd.read_csv(smoke / name) for name in CONTRACT}
    main(["discover=smoke", f"discover.output={smoke}", "discover.workers=2"])
    out = capsys.readouterr().out
    assert "all done before" in out
    for name, table in before.items():
        pd.testing.assert_frame_equal(pd.read_csv(smoke / name), table)


@pytest.mark.parametrize("overrides, fragment", [
    (["discover.outcomes=[win.z]"], "win.z"),
    (["discover.boxes=[win.b]", "discover.uncertainties={standards.a.quality: {low: 2.0, high: 3.0}}"],
     "never happens"),
    (["discover.strategy_candidates=0"], "discover.strategy_candidates"),
    (["discover.samples=0"], "discover.samples"),
    (["discover.uncertainties.decision.revision_rat={low: 0.1, high: 0.2}"], "revision_rat"),
    (["discover.sobol_samples=6"], "power of two"),
])
def test_a_bad_discovery_config_is_one_line_and_writes_no_report(overrides, fragment, tmp_path, capsys):
    out = tmp_path / "d"
    with pytest.raises(SystemExit) as info:
        main(["discover=smoke", f"discover.output={out}", "discover.workers=1", *overrides])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and fragment in err[0]
    assert not (out / "report.md").exists()
