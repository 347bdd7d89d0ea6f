"""Country facts beyond countries.csv, joined to a real-data world by ISO3 (model/data/README.md).

- `vaccine_shares`: the share of each country's vaccine products (OWID, 2021-06-15) in each group
  a destination may not recognise: Chinese (Sinopharm, Sinovac), Russian (Sputnik V and Light,
  EpiVacCorona, CoviVac) and other (Covaxin, Abdala, Soberana, QazVac, CanSino, ZF2001). Western
  products (Pfizer/BioNTech, Moderna, Oxford/AstraZeneca, Johnson & Johnson) are recognised
  everywhere. The share of products stands in for the share of travellers holding each vaccine.
- `sanction_blocs`: countries under a sponsor's country-wide sanctions (EU: 8 regimes in 2021),
  as blocs named `<SPONSOR>_SANCTIONS` (e.g. `EU_SANCTIONS`).
- `travel_controls`: the monthly world mean of OxCGRT's C8 international travel controls (0-4).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
VACCINE_GROUPS = {
    "chinese": {"Sinopharm/Beijing", "Sinopharm/Wuhan", "Sinopharm/HayatVax", "BBIBP-CorV", "Sinovac"},
    "russian": {"Sputnik V", "Sputnik Light", "EpiVacCorona", "CoviVac"},
    "western": {"Pfizer/BioNTech", "Moderna", "Oxford/AstraZeneca", "Covishield", "Johnson&Johnson"},
}
GATED_GROUPS = ("chinese", "russian", "other")


@lru_cache(maxsize=4)
def _rows(name: str) -> tuple[dict, ...]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def _group_of(product: str) -> str:
    return next((g for g, names in VACCINE_GROUPS.items() if product in names), "other")


def vaccine_shares(codes: np.ndarray, chinese_flag: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per gated group, each country's share of its vaccine products in that group.

    `chinese_flag` (countries.csv `chinese_vaccine`, which adds dated news evidence to OWID) counts
    one Chinese product for a country whose OWID list names none."""
    listed = {r["iso3"]: [p.strip() for p in r["vaccines_20210615"].split(",") if p.strip()]
              for r in _rows("vaccines.csv")}
    shares = {g: np.zeros(len(codes)) for g in GATED_GROUPS}
    for i, code in enumerate(codes):
        groups = [_group_of(p) for p in listed.get(str(code), [])]
        if chinese_flag is not None and chinese_flag[i] and "chinese" not in groups:
            groups.append("chinese")
        for g in GATED_GROUPS:
            if groups:
                shares[g][i] = groups.count(g) / len(groups)
    return shares


def sanction_blocs(codes: np.ndarray) -> dict[str, np.ndarray]:
    """`<SPONSOR>_SANCTIONS` -> indices of the world's countries under that sponsor's sanctions."""
    index = {str(c): i for i, c in enumerate(codes)}
    blocs: dict[str, list[int]] = {}
    for r in _rows("sanctions.csv"):  # every sponsor's bloc exists, empty if none of its countries is in the world
        members = blocs.setdefault(f"{r['sponsor'].upper()}_SANCTIONS", [])
        if r["iso3"] in index:
            members.append(index[r["iso3"]])
    return {name: np.array(sorted(members), dtype=np.int64) for name, members in blocs.items()}


def travel_controls(codes: np.ndarray) -> dict[str, float]:
    """Month 'YYYY-MM' -> the unweighted mean C8 level (0-4) over the world's countries with data
    (worked out once per set of countries; every model of a world reads the same)."""
    return dict(_travel_controls(tuple(str(c) for c in codes)))


@lru_cache(maxsize=8)
def _travel_controls(codes: tuple[str, ...]) -> dict[str, float]:
    wanted = set(codes)
    by_month: dict[str, list[float]] = {}
    for r in _rows("travel_controls.csv"):
        if r["iso3"] in wanted and r["c8_mean"]:
            by_month.setdefault(r["month"], []).append(float(r["c8_mean"]))
    return {month: float(np.mean(values)) for month, values in sorted(by_month.items())}
