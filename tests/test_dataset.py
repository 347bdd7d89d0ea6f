"""Checks on the shipped world dataset, model/data/countries.csv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
CSV = REPO / "model" / "data" / "countries.csv"
SCRIPT = REPO / "model" / "data" / "build_countries.py"
FACTS = REPO / "model" / "data" / "sources" / "country_facts.csv"  # shipped copy

COLUMNS = [
    "iso3", "name", "entity_type", "region", "subregion", "capital", "lat", "lon",
    "borders", "population", "gdp_usd", "democracy", "population_imputed",
    "gdp_imputed", "democracy_imputed", "eu", "eea", "oecd", "bri", "chinese_vaccine",
]
REQUIRED = [c for c in COLUMNS if c != "borders"]  # borders is '' for islands

# Empty cells of country_facts.csv (see model/data/sources/SOURCES.md); only these
# rows may carry an imputation flag, and all of them must.
EMPTY_IN_FACTS = {
    "population": {"VAT"},
    "gdp": {"ERI", "PRK", "SSD", "VAT", "VEN"},
    "democracy": {
        "AND", "ATG", "BHS", "BLZ", "BRB", "BRN", "DMA", "FRO", "FSM", "GRD", "KIR",
        "KNA", "LCA", "LIE", "MAC", "MCO", "MDV", "MHL", "NRU", "PLW", "SLB", "SMR",
        "SOM", "SSD", "STP", "SYC", "TON", "TUV", "VAT", "VCT", "VUT", "WSM", "XKX",
    },
}


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    """The shipped CSV; 'NA' stays a string, empty cells become NaN."""
    return pd.read_csv(CSV, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def neighbours(df: pd.DataFrame) -> dict[str, set[str]]:
    """iso3 -> set of bordering iso3 codes."""
    return {
        row.iso3: set(row.borders.split(";")) if isinstance(row.borders, str) else set()
        for row in df.itertuples()
    }


def test_columns_and_size(df):
    assert list(df.columns) == COLUMNS
    assert len(df) >= 190


def test_iso3_unique_and_well_formed(df):
    assert df["iso3"].is_unique
    assert df["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert list(df["iso3"]) == sorted(df["iso3"])


def test_contains_special_entities(df):
    wanted = {"AND", "LIE", "MCO", "SMR", "VAT", "TWN", "HKG", "MAC", "XKX", "PSE",
              "FRO", "CHN", "USA", "IND"}
    assert wanted <= set(df["iso3"])


def test_no_missing_required_values(df):
    missing = {c: df.loc[df[c].isna(), "iso3"].tolist() for c in REQUIRED}
    assert {c: v for c, v in missing.items() if v} == {}


def test_regions(df):
    assert set(df["region"]) == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    assert (df["subregion"].str.len() > 0).all()


def test_coordinates_in_range(df):
    assert df["lat"].between(-90, 90).all()
    assert df["lon"].between(-180, 180).all()


@pytest.mark.parametrize(("iso3", "lat", "lon"), [
    ("DEU", 52.5, 13.4), ("CHN", 39.9, 116.4), ("USA", 38.9, -77.0),
    ("AUS", -35.3, 149.1), ("TWN", 25.0, 121.5), ("XKX", 42.7, 21.2),
    ("HKG", 22.3, 114.2), ("MAC", 22.2, 113.5), ("BRA", -15.8, -47.9),
    ("TLS", -8.6, 125.6), ("ATG", 17.1, -61.8), ("GRD", 12.1, -61.7),
    ("TUN", 36.8, 10.2),
])
def test_capital_coordinates_spot_checks(df, iso3, lat, lon):
    row = df.set_index("iso3").loc[iso3]
    assert abs(row["lat"] - lat) < 0.2 and abs(row["lon"] - lon) < 0.2


def test_borders_known_and_symmetric(neighbours):
    for code, ns in neighbours.items():
        assert code not in ns
        unknown = ns - set(neighbours)
        assert not unknown, f"{code} borders unknown codes {unknown}"
        for other in ns:
            assert code in neighbours[other], f"{code} lists {other} but not vice versa"


def test_borders_sorted(df):
    lists = df["borders"].dropna().str.split(";")
    assert all(codes == sorted(codes) for codes in lists)


def test_border_spot_checks(neighbours):
    assert neighbours["XKX"] == {"ALB", "MKD", "MNE", "SRB"}
    assert neighbours["HKG"] == {"CHN"} and neighbours["MAC"] == {"CHN"}
    assert {"NPL", "HKG", "MAC"} <= neighbours["CHN"]
    for island in ("JPN", "AUS", "TWN", "FRO", "ISL", "CYP", "LKA"):
        assert neighbours[island] == set()


@pytest.mark.parametrize("field", ["population", "gdp", "democracy"])
def test_flags_match_empty_facts_cells(df, field):
    flag = df[f"{field}_imputed"]
    assert set(flag.unique()) <= {0, 1}
    assert set(df.loc[flag == 1, "iso3"]) == EMPTY_IN_FACTS[field]


def test_imputed_gdp_follows_rule(df):
    real = df[(df["gdp_imputed"] == 0) & (df["population_imputed"] == 0)]
    per_capita = real["gdp_usd"] / real["population"]
    per_capita = per_capita.groupby(real["subregion"]).median()
    sourced = {"PRK": 35.0e12 / 1180.0}  # Bank of Korea estimate, see model/data/README.md
    for row in df[df["gdp_imputed"] == 1].itertuples():
        expected = sourced.get(row.iso3, row.population * per_capita[row.subregion])
        assert row.gdp_usd == pytest.approx(expected, rel=1e-9, abs=1.0)


def test_imputed_democracy_follows_rule(df):
    real = df[df["democracy_imputed"] == 0]
    by_subregion = real.groupby("subregion")["democracy"].median()
    by_region = real.groupby("region")["democracy"].median()
    for row in df[df["democracy_imputed"] == 1].itertuples():
        expected = by_subregion.get(row.subregion, by_region[row.region])
        assert row.democracy == pytest.approx(expected, abs=0.0051)


def test_membership_counts(df):
    assert df["eu"].sum() == 27
    assert df["eea"].sum() == 30
    assert df["oecd"].sum() == 38
    assert (df.loc[df["eu"] == 1, "eea"] == 1).all()


def test_binary_columns(df):
    for col in ["eu", "eea", "oecd", "bri", "chinese_vaccine"]:
        assert set(df[col].unique()) <= {0, 1}, col
    assert df.set_index("iso3").loc[["CHN", "HKG", "MAC"], "bri"].eq(0).all()


def test_value_ranges(df):
    assert (df["population"] > 0).all()
    assert (df["gdp_usd"] > 0).all()
    assert df["democracy"].between(0, 10).all()


def test_build_script_reproduces_shipped_csv(tmp_path):
    if not FACTS.is_file():
        pytest.fail(f"shipped facts file not found at {FACTS}; it is needed to rebuild the CSV")
    out = tmp_path / "countries.csv"
    command = [sys.executable, "-W", "error", str(SCRIPT),
               "--facts", str(FACTS), "--out", str(out)]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CSV.read_bytes()
