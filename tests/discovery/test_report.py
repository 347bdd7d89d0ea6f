"""The report: every file written, the CSV contract's exact columns, an HTML page with nothing
outside it, labels in the words, and nothing left behind when writing fails."""

import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from experiments.discovery.cart import cart_rules
from experiments.discovery.counterfactuals import run_counterfactuals
from experiments.discovery.declare import Outcome, Parameter
from experiments.discovery.evaluate import common_seeds
from experiments.discovery.prim import find_box
from experiments.discovery.report import write_report
from experiments.discovery.sensitivity import sobol
from experiments.discovery.thresholds import Threshold, find_threshold, hysteresis
from experiments.discovery.what_it_takes import cheapest_strategy, linear_cost

from .conftest import UNIT_CUBE

LABELS = {"x1": ("privacy weight", "utils"), "x2": ("network weight", ""), "y": "China's certificate wins",
          "decision.rationality": ("rationality", "1/utility")}
SEEDS = common_seeds(12)
FILES = ["boxes.csv", "counterfactuals.csv", "figures", "report.html", "report.md", "sensitivity.csv",
         "thresholds.csv", "what_it_takes.csv"]


def toy(params, seed):
    luck = 0.05 * np.random.default_rng(seed).normal()
    level = params.get("decision.rationality", 0.5) + luck
    return {"y": float(level > 0.4), "share": params.get("x1", 0.0) + 2 * params.get("x2", 0.0) + luck}


@pytest.fixture(scope="module")
def results(planted_box_runs):
    lever = Parameter("decision.rationality", 0.0, 1.0)
    return {
        "boxes": [find_box(planted_box_runs, "y", UNIT_CUBE, resamples=2)],
        "carts": [cart_rules(planted_box_runs, "y", UNIT_CUBE)],
        "sensitivity": [sobol(toy, UNIT_CUBE[:2], ["share"], SEEDS[:2], samples=16)],
        "thresholds": [find_threshold(toy, lever, "y", SEEDS, grid=11, resamples=50),
                       hysteresis(toy, toy, lever, "y", SEEDS, grid=5, resamples=20)],
        "strategies": [cheapest_strategy(toy, [lever], linear_cost({"decision.rationality": 1.0}), "y", SEEDS[:4],
                                         candidates=12, sponsor="china")],
        "counterfactuals": [run_counterfactuals(toy, {"x1": 0.1}, {"more_privacy": {"x1": 0.2}},
                                                [Outcome("share"), Outcome("y", "binary")], SEEDS)],
    }


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.references = []

    def handle_starttag(self, tag, attrs):
        self.references += [(tag, k, v) for k, v in attrs if k in ("src", "href", "srcset", "data", "action")]


def test_every_file_with_the_contract_columns(tmp_path, results):
    folder = write_report(tmp_path / "report", labels=LABELS, **results)
    assert sorted(p.name for p in folder.iterdir()) == FILES
    assert list(pd.read_csv(folder / "boxes.csv").columns) == ["outcome", "box", "coverage", "density", "mass",
                                                               "dimension", "lower", "upper", "qp"]
    assert list(pd.read_csv(folder / "sensitivity.csv").columns) == ["outcome", "parameter", "method", "S1",
                                                                     "S1_conf", "ST", "ST_conf", "mu_star", "sigma"]
    assert list(pd.read_csv(folder / "thresholds.csv").columns) == ["standard", "lever", "threshold", "lower", "upper",
                                                                          "start"]
    assert list(pd.read_csv(folder / "what_it_takes.csv").columns) == ["sponsor", "decision.rationality", "cost",
                                                                       "win_probability", "lower", "upper"]
    assert list(pd.read_csv(folder / "counterfactuals.csv").columns) == ["scenario", "outcome", "baseline", "value",
                                                                         "difference", "lower", "upper"]
    assert len(pd.read_csv(folder / "thresholds.csv")) == 3  # one search and a hysteresis pair
    boxes = pd.read_csv(folder / "boxes.csv")
    assert set(boxes["dimension"]) == {"x1", "x2"} and boxes["upper"].isna().any()  # open bound: empty cell
    assert len(list((folder / "figures").glob("*.png"))) >= 5


def test_html_is_self_contained_and_words_use_labels(tmp_path, results):
    folder = write_report(tmp_path / "report", labels=LABELS, **results)
    page = (folder / "report.html").read_text()
    links = Links()
    links.feed(page)
    assert links.references and all(v.startswith("data:image/png;base64,") for _, k, v in links.references)
    assert not re.search(r"https?://|<link|<script", page)
    md = (folder / "report.md").read_text()
    assert "## China's certificate wins" in md
    assert "privacy weight between" in md and "network weight >" in md
    assert "once rationality is above" in md  # the tipping point, in words with the label
    assert "rationality (decision.rationality)" in md  # tables: label and key
    assert "**What it would take.**" in md and "**Counterfactuals.**" in md and "Sobol" in md


def test_empty_results_still_write_the_headers(tmp_path):
    folder = write_report(tmp_path / "empty")
    for name, columns in [("thresholds.csv", ["standard", "lever", "threshold", "lower", "upper", "start"]),
                          ("what_it_takes.csv", ["sponsor", "cost", "win_probability", "lower", "upper"])]:
        assert list(pd.read_csv(folder / name).columns) == columns


def test_a_failure_midway_leaves_nothing_behind(tmp_path, results, monkeypatch):
    def broken(self, labels=None):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(Threshold, "figure", broken)
    with pytest.raises(RuntimeError, match="figure failed"):
        write_report(tmp_path / "report", labels=LABELS, **results)
    assert list(tmp_path.iterdir()) == []  # no report folder, no temporary folder

    monkeypatch.undo()
    folder = write_report(tmp_path / "report", labels=LABELS, **results)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    monkeypatch.setattr(Threshold, "figure", broken)
    with pytest.raises(RuntimeError):
        write_report(folder, **results)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before  # the old report, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_rewriting_an_existing_report_replaces_it(tmp_path, results):
    folder = write_report(tmp_path / "report", boxes=results["boxes"])
    write_report(folder, thresholds=results["thresholds"][:1], labels=LABELS)
    assert pd.read_csv(folder / "boxes.csv").empty and len(pd.read_csv(folder / "thresholds.csv")) == 1
    assert [p.name for p in (folder / "figures").iterdir()] == ["threshold_0_decision_rationality.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_switches_and_choices_read_as_on_the_command_line():
    """A switch is 'true'/'false' (never '1' or 'False') in boxes and in what it takes; numbers keep
    their units."""
    from experiments.discovery.what_it_takes import Strategy
    from experiments.discovery.words import format_bound

    labels = {"budget": ("deal budget", "set-up costs")}
    assert format_bound("platform", "categorical", {False}, None) == "platform is false"
    assert format_bound("standard", "categorical", ["divoc", "shc"], None) == "standard is divoc or shc"
    found = Strategy(sponsor="china", outcome="win", levers={"platform": np.True_, "checks": "offline", "budget": 3.5},
                     cost=28.5, win_probability=0.6, lower=0.45, upper=0.74, reached=True, target=0.5,
                     candidates=pd.DataFrame(), confirmed=pd.DataFrame(), budget="4 x 2")
    text = found.describe(labels)
    assert "platform = true, checks = offline, deal budget = 3.5 set-up costs;" in text


def test_a_tipping_point_names_its_standard_and_outcome_in_words():
    labels = {"eu_dcc": ("EU DCC", ""), "win.eu_dcc": ("EU DCC wins", ""), "x": ("openness", "")}
    none = Threshold(standard="eu_dcc", outcome="win.eu_dcc", lever="x", start="", low=0.0, high=1.0, log=False,
                     threshold=float("nan"), lower=float("nan"), upper=float("nan"), direction="rises",
                     reason="P(win.eu_dcc) stays above 1/2 across [0, 1]", note="", curve=pd.DataFrame(),
                     intercept=float("nan"), slope=float("nan"), runs=pd.DataFrame(), level=0.95)
    assert none.describe(labels) == ("EU DCC: no tipping point along openness: "
                                     "P(EU DCC wins) stays above 1/2 across [0, 1].")
