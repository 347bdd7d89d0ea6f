"""Regenerate ``model/data/countries.csv`` from the sourced facts file.

Usage::

    python model/data/build_countries.py [--facts PATH] [--out PATH]

Inputs
    * ``country_facts.csv`` (default ``model/data/sources/country_facts.csv``, a verbatim
      copy of the project's shared facts file, shipped so the build needs nothing outside
      the repository):
      one row per entity (200 rows) with World Bank 2020 population and GDP,
      the EIU Democracy Index 2020, BRI MoU status, Chinese-vaccine receipt and
      EU/EEA/OECD membership. Every row is kept.
    * the ``countryinfo`` package (region, subregion, capital, capital
      coordinates, land borders) and ``pycountry`` (ISO alpha-2 -> alpha-3 for
      border codes that countryinfo writes as alpha-2).

Rules (documented in README.md next to this file)
    * Imputation, each flagged in a ``*_imputed`` 0/1 column, never a silent 0:
      - population missing: countryinfo's population for that entity;
      - GDP missing: population x median GDP per capita of the same subregion,
        over rows whose GDP and population are both real;
      - democracy missing: median real EIU 2020 score of the same subregion,
        falling back to the region median when the subregion has no score.
    * Borders: countryinfo's land borders, codes normalised to ISO alpha-3,
      restricted to codes in the file, corrected by the hand-checked
      BORDERS_ADD / BORDERS_REMOVE lists, then symmetrised.
    * ``bri`` and ``chinese_vaccine``: empty cells become 0 (README lists them).

Output is deterministic: rows sorted by iso3, fixed decimals (lat/lon 4,
democracy 2, population and GDP whole units, half-up rounding), UTF-8, ``\\n``
line endings. The model reads only the CSV; nothing imports this script.
"""

from __future__ import annotations

import argparse
import csv
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pycountry
from countryinfo import CountryInfo

HERE = Path(__file__).resolve().parent
DEFAULT_FACTS = HERE / "sources" / "country_facts.csv"
DEFAULT_OUT = HERE / "countries.csv"

COLUMNS = [
    "iso3", "name", "entity_type", "region", "subregion", "capital", "lat", "lon",
    "borders", "population", "gdp_usd", "democracy", "population_imputed",
    "gdp_imputed", "democracy_imputed", "eu", "eea", "oecd", "bri", "chinese_vaccine",
]

# countryinfo has two records for some ISO3 codes; name (lower-case) the one used.
PREFERRED_RECORD = {
    "GBR": "united kingdom",      # not "wales"
    "MMR": "myanmar",             # not "burma"
    "PSE": "palestine",           # "palestine, state of" lacks borders
    "VAT": "vatican city state",  # population 764; the other record says 453
}

# Entities countryinfo lacks (coordinates: Wikipedia city article).
MANUAL_GEO = {
    "XKX": {"region": "Europe", "subregion": "Southern Europe", "capital": "Pristina",
            "lat": 42.6629, "lon": 21.1655, "borders": ["ALB", "MKD", "MNE", "SRB"]},
}

CAPITAL_NAME_FIXES = {"MAC": "Macao"}  # countryinfo leaves Macao's capital empty

# countryinfo capital_latlng values that are wrong (see README), replaced by the
# capital's coordinates from its Wikipedia article (see README).
CAPITAL_COORD_FIXES = {
    "ATG": (17.1274, -61.8468),   # countryinfo: St. John's, Newfoundland (Canada)
    "BRA": (-15.7939, -47.8828),  # countryinfo: centre of Brazil, not Brasilia
    "DJI": (11.5886, 43.1450),    # countryinfo: ~45 km inland of Djibouti city
    "GRD": (12.0561, -61.7488),   # countryinfo: a point in north-east France
    "MNE": (42.4411, 19.2636),    # countryinfo: ~40 km north-east of Podgorica
    "TLS": (-8.5569, 125.5603),   # countryinfo: New Delhi
    "TUN": (36.8065, 10.1815),    # countryinfo: centre of Tunisia, not Tunis
}

BORDER_CODE_ALIASES = {"KOS": "XKX"}  # countryinfo's non-ISO code for Kosovo

# Hand-checked corrections to countryinfo's borders; each pair applies both ways.
BORDERS_ADD = [
    ("KWT", "IRQ"),  # countryinfo's Kuwait lists IRN instead of IRQ
    ("TCD", "SDN"),  # countryinfo's Chad lists SSD instead of SDN
]
BORDERS_REMOVE = [
    ("KWT", "IRN"),  # no land border (Kuwait list error)
    ("TCD", "SSD"),  # no land border (Chad list error)
    ("MMR", "BTN"),  # no land border (Myanmar list error; MMR-IND is kept)
    ("SRB", "ALB"),  # only via Kosovo, which is its own row here
    ("IND", "AFG"),  # claimed via Kashmir only; not a de facto border
    ("IND", "LKA"),  # Palk Strait, no land border
    ("CYP", "GBR"),  # Akrotiri/Dhekelia are an overseas territory, not the UK proper
    ("SUR", "FRA"),  # via French Guiana, which is not in the file (as for BRA)
]


def load_facts(path: Path) -> pd.DataFrame:
    """Read the facts file as strings so empty cells stay '' (not NaN or 'NA')."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def countryinfo_records(iso3_codes: list[str]) -> dict[str, dict]:
    """Map each ISO3 code to its countryinfo record, resolving duplicates explicitly.

    Looks records up by their ``ISO.alpha3`` field rather than by name, so no fuzzy
    matching can attach the wrong country. Raises if a code has several records
    and no PREFERRED_RECORD entry, so a new countryinfo release cannot silently
    change which record is used.
    """
    by_code: dict[str, list[str]] = {}
    everything = CountryInfo.all()
    for key, record in everything.items():
        code = (record.get("ISO") or {}).get("alpha3")
        if code in iso3_codes:
            by_code.setdefault(code, []).append(key)
    chosen = {}
    for code, keys in by_code.items():
        if len(keys) > 1 and PREFERRED_RECORD.get(code) not in keys:
            raise ValueError(f"{code}: several countryinfo records {sorted(keys)}")
        chosen[code] = everything[PREFERRED_RECORD.get(code, keys[0])]
    return chosen


def normalise_code(code: str) -> str:
    """Return an ISO alpha-3 code for a countryinfo border code (alpha-2 or alias)."""
    code = BORDER_CODE_ALIASES.get(code, code)
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
        return country.alpha_3 if country else code
    return code


def geo_fields(iso3: str, record: dict | None) -> dict:
    """Region, subregion, capital, coordinates and raw borders for one entity."""
    if iso3 in MANUAL_GEO:
        return dict(MANUAL_GEO[iso3])
    if record is None:
        raise ValueError(f"{iso3}: not in countryinfo and no MANUAL_GEO entry")
    capital = record.get("capital") or ""
    if isinstance(capital, list):  # e.g. the Vatican record stores ["Vatican City"]
        capital = capital[0] if capital else ""
    latlng = record.get("capital_latlng") or (None, None)
    lat, lon = CAPITAL_COORD_FIXES.get(iso3, latlng)
    return {
        "region": record.get("region") or "",
        "subregion": record.get("subregion") or "",
        "capital": CAPITAL_NAME_FIXES.get(iso3, capital),
        "lat": lat,
        "lon": lon,
        "borders": [normalise_code(c) for c in record.get("borders") or []],
    }


def build_borders(raw: dict[str, list[str]]) -> dict[str, str]:
    """Clean borders: keep known codes, apply fixes, symmetrise, sort, join by ';'."""
    codes = set(raw)
    links = {(a, b) for a, bs in raw.items() for b in bs if b in codes and b != a}
    links |= set(BORDERS_ADD)
    links |= {(b, a) for a, b in links}
    links -= set(BORDERS_REMOVE) | {(b, a) for a, b in BORDERS_REMOVE}
    neighbours: dict[str, list[str]] = {code: [] for code in codes}
    for a, b in links:
        neighbours[a].append(b)
    return {code: ";".join(sorted(ns)) for code, ns in neighbours.items()}


def to_number(cell: str) -> float:
    """Parse a facts cell, '' -> NaN."""
    return float(cell) if cell != "" else math.nan


def impute_population(df: pd.DataFrame, records: dict[str, dict]) -> pd.DataFrame:
    """Fill missing population from countryinfo's population and flag it."""
    missing = df["population"].isna()
    fill = df.loc[missing, "iso3"].map(lambda c: float(records[c]["population"]))
    df.loc[missing, "population"] = fill
    df["population_imputed"] = missing.astype(int)
    return df


# Sourced estimates used instead of the subregion rule where that rule is far off (still flagged).
# PRK: Bank of Korea estimate of North Korea's 2020 nominal GNI, 35.0 trillion won (reported by
# BusinessKorea, Dec 2021), at the 2020 average rate of about 1,180 won per US$.
SOURCED_GDP = {"PRK": 35.0e12 / 1180.0}


def impute_gdp(df: pd.DataFrame) -> pd.DataFrame:
    """Fill missing GDP with a sourced estimate (SOURCED_GDP) or else population x subregion
    median GDP per capita; flag it."""
    missing = df["gdp_usd"].isna()
    real = df[~missing & (df["population_imputed"] == 0)]
    for code, value in SOURCED_GDP.items():
        df.loc[missing & (df["iso3"] == code), "gdp_usd"] = value
    missing_now = df["gdp_usd"].isna()
    per_capita = real["gdp_usd"] / real["population"]
    per_capita = per_capita.groupby(real["subregion"]).median()
    fill = df.loc[missing_now, "population"] * df.loc[missing_now, "subregion"].map(per_capita)
    if fill.isna().any():
        raise ValueError("a subregion has no real GDP per capita")
    df.loc[missing_now, "gdp_usd"] = fill
    df["gdp_imputed"] = missing.astype(int)
    return df


def impute_democracy(df: pd.DataFrame) -> pd.DataFrame:
    """Fill missing EIU scores with the subregion (else region) median; flag it."""
    missing = df["democracy"].isna()
    real = df[~missing]
    by_subregion = real.groupby("subregion")["democracy"].median()
    by_region = real.groupby("region")["democracy"].median()
    fill = df.loc[missing, "subregion"].map(by_subregion)
    fill = fill.fillna(df.loc[missing, "region"].map(by_region))
    df.loc[missing, "democracy"] = fill.map(lambda x: round_half_up(x, 2))
    df["democracy_imputed"] = missing.astype(int)
    return df


def round_half_up(x: float, places: int) -> float:
    """Round the decimal (repr) form of x half-up, so 7.535 -> 7.54 everywhere."""
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def fmt(x: float, places: int) -> str:
    """Fixed-decimal text for x (half-up, no '-0.0000'); places=0 gives an integer."""
    d = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return str(abs(d) if d == 0 else d)


def assemble(facts: pd.DataFrame) -> pd.DataFrame:
    """Join facts with geography, impute, and return the table in output order."""
    codes = sorted(facts["iso3"])
    records = countryinfo_records(codes)
    geo = {code: geo_fields(code, records.get(code)) for code in codes}
    borders = build_borders({code: g["borders"] for code, g in geo.items()})
    df = pd.DataFrame({
        "iso3": facts["iso3"],
        "name": facts["name"],
        "entity_type": facts["entity_type"],
        "population": facts["population_2020"].map(to_number),
        "gdp_usd": facts["gdp_usd_2020"].map(to_number),
        "democracy": facts["eiu_democracy_2020"].map(to_number),
        "eu": facts["eu_member"].astype(int),
        "eea": facts["eea_member"].astype(int),
        "oecd": facts["oecd_member"].astype(int),
        "bri": facts["bri_mou"].replace("", "0").astype(int),
        "chinese_vaccine": (
            facts["chinese_vaccine_by_2021q2"].replace("", "0").astype(int)
        ),
    })
    for field in ("region", "subregion", "capital", "lat", "lon"):
        df[field] = df["iso3"].map(lambda c, f=field: geo[c][f])
    df["borders"] = df["iso3"].map(borders)
    df = impute_population(df, records)
    df = impute_gdp(df)
    df = impute_democracy(df)
    return df.sort_values("iso3").reset_index(drop=True)[COLUMNS]


def validate(df: pd.DataFrame) -> None:
    """Fail loudly on gaps the README promises cannot occur."""
    text_cols = ["iso3", "name", "entity_type", "region", "subregion", "capital"]
    for col in text_cols:
        empty = df.loc[df[col] == "", "iso3"].tolist()
        if empty:
            raise ValueError(f"empty {col} for {empty}")
    for col in ["lat", "lon", "population", "gdp_usd", "democracy"]:
        if df[col].isna().any():
            gaps = df.loc[df[col].isna(), "iso3"].tolist()
            raise ValueError(f"missing {col} for {gaps}")


def write_csv(df: pd.DataFrame, out: Path) -> None:
    """Write with fixed formatting so the same inputs give byte-identical output."""
    places = {"lat": 4, "lon": 4, "democracy": 2, "population": 0, "gdp_usd": 0}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in df.itertuples(index=False):
            values = row._asdict()
            writer.writerow([
                fmt(values[c], places[c]) if c in places else values[c] for c in COLUMNS
            ])


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=DEFAULT_FACTS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    df = assemble(load_facts(args.facts))
    validate(df)
    write_csv(df, args.out)
    print(f"wrote {len(df)} rows to {args.out}")


if __name__ == "__main__":
    main()
