"""Regenerate ``vaccines.csv`` and ``travel_controls.csv`` from the files in ``sources/``.

Usage::

    python model/data/build_data_files.py            # writes both CSVs next to this script
    python model/data/build_data_files.py --out DIR  # writes them into DIR instead
    python model/data/build_data_files.py --summary  # also prints the monthly world-mean C8

Inputs (all shipped in ``model/data/sources/``, provenance in ``model/data/README.md``)
    * ``owid_vaccines_20210615.csv`` and ``owid_vaccines_20210731.csv``: the ``iso_code``,
      ``vaccines`` and ``last_observation_date`` columns of two dated copies of Our World in
      Data's vaccination ``locations.csv``;
    * ``oxcgrt_c8_internationaltravel_20220516.csv``: OxCGRT's daily national C8 timeseries;
    * ``../countries.csv``: the country list and its ``chinese_vaccine`` column.

Nothing is downloaded. The output is deterministic: rows sorted, UTF-8, ``\\n`` line endings,
fixed decimals with half-up rounding. ``eu_dcc_connections.csv`` and ``sanctions.csv`` are
curated by hand (see the README) and are not built here.
"""

from __future__ import annotations

import argparse
import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
COUNTRIES = HERE / "countries.csv"
OWID_20210615 = SOURCES / "owid_vaccines_20210615.csv"
OWID_20210731 = SOURCES / "owid_vaccines_20210731.csv"
OXCGRT_C8 = SOURCES / "oxcgrt_c8_internationaltravel_20220516.csv"

# Codes the sources use for entities that countries.csv spells differently.
OWID_CODES = {"OWID_KOS": "XKX"}
OXCGRT_CODES = {"RKS": "XKX"}

# Vaccine names as OWID writes them, grouped (compared case-insensitively: OWID writes
# both "CanSino" and "Cansino"). A name in no group stops the build, so that a new name
# is classified on purpose rather than by default.
CHINESE = {"sinopharm/beijing", "sinopharm/wuhan", "sinopharm/hayatvax", "bbibp-corv", "sinovac"}
RUSSIAN = {"sputnik v", "sputnik light", "epivaccorona", "covivac"}
WESTERN = {"pfizer/biontech", "moderna", "oxford/astrazeneca", "covishield", "johnson&johnson"}
OTHER = {"covaxin", "abdala", "soberana02", "qazvac", "rbd-dimer", "cansino"}

VACCINE_COLUMNS = ["iso3", "vaccines_20210615", "chinese", "russian", "western", "other",
                   "russian_20210731"]
TRAVEL_COLUMNS = ["iso3", "month", "c8_mean", "days_observed"]
FIRST_MONTH, LAST_MONTH = "2020-01", "2022-12"
MISSING = {"", "NA", "."}


def vaccine_names(field: str) -> list[str]:
    """Split an OWID ``vaccines`` field into lower-case names; check every name is known."""
    names = [name.strip().lower() for name in field.split(",") if name.strip()]
    unknown = set(names) - CHINESE - RUSSIAN - WESTERN - OTHER
    if unknown:
        raise ValueError(f"unclassified vaccine name(s) {sorted(unknown)} in {field!r}; "
                         "add them to a group in build_data_files.py")
    return names


def has_group(field: str, group: set[str]) -> str:
    """'1' if the field names a vaccine of the group, '0' if not."""
    return "1" if set(vaccine_names(field)) & group else "0"


def read_owid(path: Path) -> dict[str, str]:
    """iso3 -> raw ``vaccines`` field of one OWID locations extract."""
    owid = pd.read_csv(path, dtype=str, keep_default_na=False)
    codes = owid["iso_code"].replace(OWID_CODES)
    if not codes.is_unique:
        raise ValueError(f"{path.name}: duplicate iso_code")
    return dict(zip(codes, owid["vaccines"], strict=True))


def build_vaccines(countries: pd.DataFrame) -> list[dict[str, str]]:
    june, july = read_owid(OWID_20210615), read_owid(OWID_20210731)
    rows = []
    for iso3, chinese in zip(countries["iso3"], countries["chinese_vaccine"], strict=True):
        field = june.get(iso3)
        row = {"iso3": iso3, "vaccines_20210615": field or "", "chinese": str(int(chinese))}
        for column, group in (("russian", RUSSIAN), ("western", WESTERN), ("other", OTHER)):
            row[column] = "" if field is None else has_group(field, group)
        row["russian_20210731"] = "" if iso3 not in july else has_group(july[iso3], RUSSIAN)
        rows.append(row)
    return sorted(rows, key=lambda r: r["iso3"])


def read_c8(path: Path = OXCGRT_C8) -> pd.DataFrame:
    """Long table iso3, date, c8 (float, NaN where the source has no value)."""
    wide = pd.read_csv(path, dtype=str, keep_default_na=False)
    wide = wide.drop(columns=[wide.columns[0], "country_name"])
    long = wide.melt(id_vars="country_code", var_name="day", value_name="value")
    long["iso3"] = long["country_code"].replace(OXCGRT_CODES)
    long["date"] = pd.to_datetime(long["day"], format="%d%b%Y")
    long["c8"] = pd.to_numeric(long["value"].where(~long["value"].isin(MISSING)))
    return long[["iso3", "date", "c8"]]


def half_up(value: float, places: int = 2) -> str:
    return str(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def build_travel(countries: pd.DataFrame) -> list[dict[str, str]]:
    """Monthly mean of the daily C8 level per country.

    A country-month is written when at least half of its days have a value; the mean is over
    the days that have one. Months the source does not reach to their last day are left out.
    """
    c8 = read_c8()
    c8 = c8[c8["iso3"].isin(set(countries["iso3"]))]
    last_day = c8["date"].max()
    c8 = c8.assign(month=c8["date"].dt.strftime("%Y-%m"))
    complete = {month for month in c8["month"].unique()
                if pd.Period(month).end_time.normalize() <= last_day
                and FIRST_MONTH <= month <= LAST_MONTH}
    rows = []
    for (iso3, month), days in c8[c8["month"].isin(complete)].groupby(["iso3", "month"]):
        observed = days["c8"].dropna()
        if len(observed) * 2 < pd.Period(month).days_in_month:
            continue
        rows.append({"iso3": iso3, "month": month, "c8_mean": half_up(observed.mean()),
                     "days_observed": str(len(observed))})
    return sorted(rows, key=lambda r: (r["iso3"], r["month"]))


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def world_means(travel: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Unweighted and GDP-weighted (countries.csv ``gdp_usd``) mean of c8_mean per month."""
    merged = travel.merge(countries[["iso3", "gdp_usd"]], on="iso3")
    grouped = merged.groupby("month")
    return pd.DataFrame({
        "countries": grouped.size(),
        "unweighted": grouped["c8_mean"].mean(),
        "gdp_weighted": grouped.apply(
            lambda g: (g["c8_mean"] * g["gdp_usd"]).sum() / g["gdp_usd"].sum(),
            include_groups=False),
    })


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output directory")
    parser.add_argument("--summary", action="store_true",
                        help="print the monthly world-mean C8 for 2021-01..2022-12")
    args = parser.parse_args(argv)
    countries = pd.read_csv(COUNTRIES, keep_default_na=False)
    write_csv(args.out / "vaccines.csv", VACCINE_COLUMNS, build_vaccines(countries))
    travel_rows = build_travel(countries)
    write_csv(args.out / "travel_controls.csv", TRAVEL_COLUMNS, travel_rows)
    if args.summary:
        travel = pd.DataFrame(travel_rows).astype({"c8_mean": float})
        table = world_means(travel[travel["month"] >= "2021-01"], countries)
        print(table.round(2).to_string())
        print(f"{len(travel_rows)} country-months in travel_controls.csv")


if __name__ == "__main__":
    main()
