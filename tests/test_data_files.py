"""Checks on the sourced data files next to countries.csv (see model/data/README.md).

vaccines.csv and travel_controls.csv are rebuilt from model/data/sources/ and compared byte
for byte; eu_dcc_connections.csv and sanctions.csv are curated by hand and checked for
form and for a few values read in their sources.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "model" / "data"
SCRIPT = DATA / "build_data_files.py"

COLUMNS = {
    "vaccines.csv": ["iso3", "vaccines_20210615", "chinese", "russian", "western", "other",
                     "russian_20210731"],
    "travel_controls.csv": ["iso3", "month", "c8_mean", "days_observed"],
    "eu_dcc_connections.csv": ["iso3", "name", "connected", "basis", "source"],
    "sanctions.csv": ["sponsor", "iso3", "regime", "since", "reference", "source"],
}
BINARY = ["chinese", "russian", "western", "other", "russian_20210731"]


def read(name: str) -> pd.DataFrame:
    """A data file with every cell as a string; empty cells stay ''."""
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return pd.read_csv(DATA / "countries.csv", keep_default_na=False).set_index("iso3")


@pytest.fixture(scope="module")
def vaccines() -> pd.DataFrame:
    return read("vaccines.csv").set_index("iso3")


@pytest.fixture(scope="module")
def travel() -> pd.DataFrame:
    return read("travel_controls.csv")


@pytest.fixture(scope="module")
def dcc() -> pd.DataFrame:
    return read("eu_dcc_connections.csv").set_index("iso3")


@pytest.fixture(scope="module")
def sanctions() -> pd.DataFrame:
    return read("sanctions.csv").set_index("iso3")


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_codes_and_order(name, countries):
    df = read(name)
    assert list(df.columns) == COLUMNS[name]
    assert len(df) > 0
    unknown = set(df["iso3"]) - set(countries.index)
    assert not unknown, f"{name}: iso3 codes not in countries.csv: {sorted(unknown)}"
    key = ["iso3", "month"] if name == "travel_controls.csv" else ["iso3"]
    assert not df.duplicated(key).any(), f"{name}: duplicate {key}"
    assert df[key].values.tolist() == df.sort_values(key)[key].values.tolist()
    assert (DATA / name).read_bytes().endswith(b"\n") and b"\r" not in (DATA / name).read_bytes()


def test_rebuild_reproduces_vaccines_and_travel_controls(tmp_path):
    command = [sys.executable, "-W", "error", str(SCRIPT), "--out", str(tmp_path)]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in ("vaccines.csv", "travel_controls.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


# vaccines.csv

def test_vaccines_cover_every_country(vaccines, countries):
    assert list(vaccines.index) == sorted(countries.index)


def test_vaccine_flags_are_binary(vaccines):
    for column in BINARY:
        assert set(vaccines[column]) <= {"0", "1", ""}, column
    assert set(vaccines["chinese"]) <= {"0", "1"}
    absent = vaccines["vaccines_20210615"] == ""
    for column in ("russian", "western", "other"):
        assert (vaccines.loc[absent, column] == "").all(), column
        assert vaccines.loc[~absent, column].isin(["0", "1"]).all(), column


def test_chinese_column_is_countries_chinese_vaccine(vaccines, countries):
    assert (vaccines["chinese"].astype(int) == countries["chinese_vaccine"]).all()


def test_vaccine_counts(vaccines):
    ones = {column: int((vaccines[column] == "1").sum()) for column in BINARY}
    assert ones == {"chinese": 100, "russian": 45, "western": 177, "other": 14,
                    "russian_20210731": 49}
    absent = set(vaccines.index[vaccines["vaccines_20210615"] == ""])
    assert absent == {"BDI", "ERI", "FSM", "HTI", "KIR", "MHL", "PLW", "PRK", "TZA", "VAT"}


@pytest.mark.parametrize(("iso3", "column", "value"), [
    ("RUS", "russian", "1"), ("RUS", "western", "0"), ("CHN", "chinese", "1"),
    ("CHN", "other", "1"),  # CanSino
    ("IND", "other", "1"), ("IND", "russian", "0"), ("IND", "russian_20210731", "1"),
    ("USA", "western", "1"), ("USA", "russian", "0"), ("CUB", "other", "1"),
    ("CUB", "western", "0"), ("HUN", "russian", "1"), ("XKX", "western", "1"),
])
def test_vaccine_spot_checks(vaccines, iso3, column, value):
    assert vaccines.loc[iso3, column] == value


def test_russian_flag_never_drops_between_june_and_july(vaccines):
    both = vaccines[(vaccines["russian"] != "") & (vaccines["russian_20210731"] != "")]
    assert not ((both["russian"] == "1") & (both["russian_20210731"] == "0")).any()


# travel_controls.csv

def test_travel_values_and_months(travel):
    months = pd.to_datetime(travel["month"], format="%Y-%m")
    assert months.min() >= pd.Timestamp("2020-01-01")
    assert months.max() <= pd.Timestamp("2022-12-01")
    assert travel["c8_mean"].str.fullmatch(r"[0-4]\.\d\d").all()
    assert travel["c8_mean"].astype(float).between(0, 4).all()
    days = travel["days_observed"].astype(int)
    assert (days * 2 >= months.dt.days_in_month).all()
    assert (days <= months.dt.days_in_month).all()


def test_travel_coverage(travel):
    assert travel["iso3"].nunique() == 180
    assert travel["month"].min() == "2020-01" and travel["month"].max() == "2022-04"


@pytest.mark.parametrize(("iso3", "month", "c8_mean"), [
    ("AFG", "2020-02", "0.72"),  # 0 until 22 Feb 2020, then 3: 7 x 3 / 29 days
    ("AUS", "2020-04", "4.00"), ("CHN", "2021-06", "3.00"), ("GBR", "2022-01", "2.00"),
    ("USA", "2021-11", "3.77"),  # 3 for 1-7 Nov 2021, 4 from 8 Nov: 113 / 30
])
def test_travel_spot_checks(travel, iso3, month, c8_mean):
    row = travel[(travel["iso3"] == iso3) & (travel["month"] == month)]
    assert row["c8_mean"].tolist() == [c8_mean]


# eu_dcc_connections.csv

def test_dcc_dates_parse(dcc):
    day = dcc["connected"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    month = dcc["connected"].str.fullmatch(r"\d{4}-\d{2}")
    assert (day | month).all()
    parsed = pd.to_datetime(dcc["connected"], format="mixed")
    assert parsed.between("2021-06-01", "2023-06-30").all()
    assert (dcc[["name", "basis", "source"]] != "").all().all()


def test_dcc_jurisdictions_are_outside_the_eu(dcc, countries):
    assert (countries.loc[dcc.index, "eu"] == 0).all()
    assert (dcc["name"] == countries.loc[dcc.index, "name"]).all()


def test_dcc_count_and_spot_checks(dcc):
    assert len(dcc) == 50
    assert dcc.loc["CHE", "connected"] == "2021-07-08"  # Implementing Decision (EU) 2021/1126
    assert dcc.loc["GBR", "connected"] == "2021-10-28"  # Implementing Decision (EU) 2021/1895
    assert dcc.loc["LBN", "connected"] == "2021-12-09"  # Implementing Decision (EU) 2021/2187
    assert dcc.loc["TUR", "connected"] == "2021-08-19"
    assert dcc.loc["AZE", "connected"] == "2023-02-14"
    assert not {"CHN", "RUS", "IND", "USA", "CAN", "AUS", "JPN"} & set(dcc.index)


# sanctions.csv

def test_sanctions_form(sanctions, countries):
    assert set(sanctions["sponsor"]) == {"eu"}
    since = pd.to_datetime(sanctions["since"], format="%Y-%m")
    assert (since <= pd.Timestamp("2021-12-01")).all()
    assert sanctions["reference"].str.fullmatch(r"\d{4}/\d{1,4}(/CFSP| \(CFSP\))").all()
    assert (sanctions[["regime", "source"]] != "").all().all()
    assert (countries.loc[sanctions.index, "eu"] == 0).all()


def test_sanctions_list(sanctions):
    assert set(sanctions.index) == {"BLR", "IRN", "MMR", "NIC", "PRK", "RUS", "SYR", "VEN"}
    assert sanctions.loc["RUS", "reference"] == "2014/512/CFSP"
    assert sanctions.loc["BLR", "reference"] == "2012/642/CFSP"
    assert sanctions.loc["SYR", "reference"] == "2013/255/CFSP"


def test_no_sanctioned_country_has_an_equivalence_decision(sanctions, dcc):
    assert not set(sanctions.index) & set(dcc.index)
