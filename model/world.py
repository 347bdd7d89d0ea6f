"""The world countries live in: their attributes, named blocs and travel ties.

Travel is a row-normalised matrix `travel[i, j]`: the share of country i's outbound travel that
goes to j. `travel_weight[i]` is i's share of world outbound travel. Both come from a gravity
model on the embedded data, from a user's flow table, or from a synthetic graph.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
from scipy import sparse

from . import facts
from .params import ConfigError, WorldParams, validate_world

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_COUNTRIES = DATA_DIR / "countries.csv"
REQUIRED_COLUMNS = ("iso3", "name", "region", "lat", "lon", "population", "gdp_usd", "democracy")
BLOC_COLUMNS = {"EU27": "eu", "EEA": "eea", "OECD": "oecd", "BRI": "bri"}
EARTH_RADIUS_KM = 6371.0
MEMORY_LIMIT = 8e9  # bytes: a world needing more is refused before anything is allocated


@dataclass(eq=False)
class World:
    """Countries (one entry per index) and the travel ties between them."""

    codes: np.ndarray  # ISO3 (or synthetic) code per country
    names: np.ndarray
    region: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray
    gdp: np.ndarray
    democracy: np.ndarray  # EIU 0-10
    travel: np.ndarray | sparse.csr_matrix  # row-normalised outbound travel shares
    travel_weight: np.ndarray  # share of world outbound travel, sums to 1
    blocs: dict[str, np.ndarray] = field(default_factory=dict)  # bloc name -> sorted indices
    source: str = ""
    vaccine_share: dict[str, np.ndarray] = field(default_factory=dict)  # gated vaccine group -> share per country
    real: bool = False  # countries with ISO3 codes (the facts in model/facts.py apply)

    def __post_init__(self) -> None:
        self.index = {c: i for i, c in enumerate(self.codes)}
        self.blocs.setdefault("ALL", np.arange(self.n))

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def is_sparse(self) -> bool:
        return sparse.issparse(self.travel)

    def resolve(self, names: list[str] | tuple[str, ...], key: str) -> np.ndarray:
        """Indices of countries named by code or bloc; unknown names raise ConfigError naming `key`."""
        out: list[int] = []
        for name in names:
            if name in self.index:
                out.append(self.index[name])
            elif name in self.blocs:
                out.extend(self.blocs[name].tolist())
            else:
                raise ConfigError(
                    f"{key}: unknown country or bloc '{name}'; use an ISO3 code of the world "
                    f"({self.n} countries, from {self.source}) or a bloc: {', '.join(sorted(self.blocs))}")
        return np.array(sorted(set(out)), dtype=np.int64)

    def dense_travel(self) -> np.ndarray:
        return self.travel.toarray() if self.is_sparse else self.travel


# ---------------------------------------------------------------- loading countries

# Valid ranges of the numeric columns: a value outside is refused with the file, row and column named.
COLUMN_RANGES = {
    "lat": (-90.0, 90.0, "degrees"),
    "lon": (-180.0, 360.0, "degrees"),
    "population": (1.0, 1e10, "persons"),
    "gdp_usd": (1e5, 1e15, "US$"),
    "democracy": (0.0, 10.0, "EIU 0-10"),
}
ISO3 = re.compile(r"^[A-Z]{3}$")


def _read_rows(path: Path, key: str) -> list[dict]:
    if not path.is_file():
        raise ConfigError(f"{key}: no such file '{path}'")
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            text = fh.read()
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not a UTF-8 text CSV (byte {err.start}: {err.reason}); save it as UTF-8") from None
    if "\x00" in text:  # valid UTF-8, but no text file holds NUL: UTF-16 without a byte-order mark, or binary
        raise ConfigError(f"{path}: not a UTF-8 text CSV (NUL at character {text.index(chr(0))}: UTF-16 or binary); "
                          "save it as UTF-8")
    try:
        return list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise ConfigError(f"{path}: not a readable CSV ({err})") from None


def read_countries(path: str | Path) -> dict[str, np.ndarray]:
    """Read a countries CSV into column arrays; malformed files raise ConfigError naming the file and row."""
    path = Path(path)
    rows = _read_rows(path, "world.countries_file")
    if not rows:
        raise ConfigError(f"{path}: no rows; expected columns {', '.join(REQUIRED_COLUMNS)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
    if missing:
        raise ConfigError(f"{path}: missing columns {', '.join(missing)}; required: {', '.join(REQUIRED_COLUMNS)}")
    if len(rows) < 2:
        raise ConfigError(f"{path}: {len(rows)} country; a world needs at least two")
    codes = [(r["iso3"] or "").strip() for r in rows]
    for line, code in enumerate(codes, start=2):
        if not ISO3.match(code):
            raise ConfigError(f"{path}:{line}: iso3 {code!r} must be three capital letters")
    seen: set[str] = set()
    dupes = sorted({c for c in codes if c in seen or seen.add(c)})
    if dupes:
        raise ConfigError(f"{path}: duplicate iso3 codes {', '.join(dupes)}; each country once")
    cols: dict[str, np.ndarray] = {"iso3": np.array(codes)}
    for name in ("name", "region", "subregion", "borders"):
        cols[name] = np.array([r.get(name, "") or "" for r in rows], dtype=object)
    for name, (low, high, unit) in COLUMN_RANGES.items():
        values = []
        for line, r in enumerate(rows, start=2):
            try:
                v = float(r[name])
            except (TypeError, ValueError):
                raise ConfigError(f"{path}:{line}: column '{name}' = {r[name]!r} is not a number") from None
            if not (math.isfinite(v) and low <= v <= high):
                raise ConfigError(f"{path}:{line}: column '{name}' = {r[name]} must be a finite number in "
                                  f"[{low:g}, {high:g}] ({unit})")
            values.append(v)
        cols[name] = np.array(values)
    flags = [c for c in rows[0] if c in BLOC_COLUMNS.values() or c.endswith("_vaccine")]
    for col in flags:
        values = []
        for line, r in enumerate(rows, start=2):
            text = (r[col] or "0").strip()
            if text not in ("0", "1", "0.0", "1.0", "True", "False", "true", "false"):
                raise ConfigError(f"{path}:{line}: column '{col}' = {text!r} must be 0 or 1")
            values.append(text in ("1", "1.0", "True", "true"))
        cols[col] = np.array(values, dtype=bool)
    return cols


def _blocs_from(cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    blocs = {b: np.flatnonzero(cols[c]) for b, c in BLOC_COLUMNS.items() if c in cols}
    for region in sorted(set(cols["region"])):
        if region:
            blocs[region] = np.flatnonzero(cols["region"] == region)
    return blocs


# ---------------------------------------------------------------- travel ties

def great_circle_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Pairwise haversine distances between points given in degrees."""
    phi, lam = np.radians(lat), np.radians(lon)
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def gravity_flows(cols: dict[str, np.ndarray], p: WorldParams) -> np.ndarray:
    """Unnormalised travel flows: (GDP_i GDP_j)^a (pop_i pop_j)^b / d^c x border x region factors."""
    gdp, pop = cols["gdp_usd"], cols["population"]
    dist = np.maximum(great_circle_km(cols["lat"], cols["lon"]), p.min_distance_km)
    mass = gdp ** p.gdp_exponent * pop ** p.population_exponent
    flows = np.outer(mass, mass) / dist ** p.distance_exponent
    index = {c: i for i, c in enumerate(cols["iso3"])}
    border = np.zeros_like(flows, dtype=bool)
    for i, text in enumerate(cols["borders"]):
        for code in filter(None, str(text).split(";")):
            if code in index:
                border[i, index[code]] = border[index[code], i] = True
    flows *= np.where(border, p.border_factor, 1.0)
    same_region = cols["region"][:, None] == cols["region"][None, :]
    flows *= np.where(same_region, p.region_factor, 1.0)
    np.fill_diagonal(flows, 0.0)
    return flows


def read_flows(path: str | Path, index: dict[str, int]) -> np.ndarray:
    """Read a flow table (origin, destination, flow); bad rows raise ConfigError naming the file."""
    path = Path(path)
    rows = _read_rows(path, "world.flows_file")
    if not rows:
        raise ConfigError(f"{path}: no rows; expected columns origin, destination, flow")
    missing = [c for c in ("origin", "destination", "flow") if c not in rows[0]]
    if missing:
        raise ConfigError(f"{path}: missing columns {', '.join(missing)}; required: origin, destination, flow")
    flows = np.zeros((len(index), len(index)))
    for line, row in enumerate(rows, start=2):
        for end in ("origin", "destination"):
            if row[end] not in index:
                raise ConfigError(f"{path}:{line}: unknown country '{row[end]}' in column {end}")
        try:
            value = float(row["flow"])
        except (TypeError, ValueError):
            raise ConfigError(f"{path}:{line}: flow '{row['flow']}' is not a number") from None
        if not np.isfinite(value) or value < 0:
            raise ConfigError(f"{path}:{line}: flow {value} must be a finite number >= 0")
        flows[index[row["origin"]], index[row["destination"]]] += value
    np.fill_diagonal(flows, 0.0)
    if not flows.any():
        raise ConfigError(f"{path}: no travel between distinct countries; every flow is zero or missing")
    return flows


def _normalise(flows, use_sparse: bool, source: str = "world"):
    """Row-normalise flows to travel shares and compute each country's share of world travel.

    Flows are first divided by their largest value, so neither huge (1e308) nor subnormal values
    overflow or vanish when rows are summed; a row whose sum is still subnormal (its flows are tiny
    next to the largest) is divided by its own largest flow before it is normalised, as 1 / its sum
    would overflow."""
    if sparse.issparse(flows):
        flows = flows.tocsr().astype(float)
        top = flows.data.max() if flows.nnz else 0.0
        if top > 0:
            flows = flows / top
        out = np.asarray(flows.sum(axis=1)).ravel()
    else:
        top = flows.max()
        if top > 0:
            flows = flows / top
        out = flows.sum(axis=1)
    total = out.sum()
    if not total > 0 or not np.isfinite(total):
        raise ConfigError(f"{source}: the travel flows are all zero; no two distinct countries are tied")
    small = (out > 0) & (out < np.finfo(float).tiny)
    rows = out
    if small.any():  # other rows are divided by 1.0 here, which leaves them exactly as they were
        if sparse.issparse(flows):
            divisor = np.where(small, np.asarray(flows.max(axis=1).todense()).ravel(), 1.0)
            flows = flows.copy()
            flows.data = flows.data / np.repeat(divisor, np.diff(flows.indptr))
            rows = np.asarray(flows.sum(axis=1)).ravel()
        else:
            flows = flows / np.where(small, flows.max(axis=1), 1.0)[:, None]
            rows = flows.sum(axis=1)
    inv = np.divide(1.0, rows, out=np.zeros_like(rows), where=rows > 0)
    if sparse.issparse(flows):
        travel = sparse.diags(inv) @ flows
        travel = travel.tocsr() if use_sparse else travel.toarray()
    else:
        travel = flows * inv[:, None]
        if use_sparse:
            travel = sparse.csr_matrix(travel)
    return travel, out / total


def _density(flows) -> float:
    nnz = flows.nnz if sparse.issparse(flows) else np.count_nonzero(flows)
    n = flows.shape[0]
    return nnz / max(n * (n - 1), 1)


def from_countries(p: WorldParams) -> World:
    """A real-data world: gravity (default) or a user's flow table over a countries file."""
    path = Path(p.countries_file) if p.countries_file else DEFAULT_COUNTRIES
    cols = read_countries(path)
    index = {c: i for i, c in enumerate(cols["iso3"])}
    if p.kind == "flows":
        flows = read_flows(p.flows_file, index)
        source = p.flows_file
    else:
        with np.errstate(all="ignore"):  # checked just below
            flows = gravity_flows(cols, p)
        if not np.isfinite(flows).all():
            raise ConfigError(f"{path}: the gravity flows overflow; check gdp_usd and population, the "
                              "world.*_exponent values and world.min_distance_km (capitals closer than it count "
                              "as that far apart)")
        source = f"{path} (gravity flows; world.min_distance_km={p.min_distance_km:g})"
    use_sparse = p.sparse if p.sparse is not None else _density(flows) < 0.05
    travel, weight = _normalise(flows, use_sparse, source)
    blocs = _blocs_from(cols)
    blocs.update(facts.sanction_blocs(cols["iso3"]))
    vaccines = facts.vaccine_shares(cols["iso3"], cols.get("chinese_vaccine"))
    return World(
        codes=cols["iso3"], names=cols["name"], region=cols["region"], lat=cols["lat"], lon=cols["lon"],
        population=cols["population"], gdp=cols["gdp_usd"], democracy=cols["democracy"],
        travel=travel, travel_weight=weight, blocs=blocs, source=str(path), vaccine_share=vaccines, real=True,
    )


def synthetic(p: WorldParams, rng: np.random.Generator) -> World:
    """A synthetic world of identical countries on a graph.

    Each country splits its travel equally over its ties and every country carries the same weight
    (1/n) in world travel, so travel-weighted shares are shares of countries.
    """
    n, k = p.n, p.mean_degree
    dense = p.graph == "complete" or p.sparse is False
    if dense and n * n * 8 * 6 > MEMORY_LIMIT:  # the travel matrix and its derived copies
        raise ConfigError(f"world.n = {n}: a dense world of {n} countries needs about {n * n * 48 / 1e9:.0f} GB; "
                          f"use a sparse graph (world.graph=erdos_renyi ...) or fewer countries "
                          f"(at most about {int((MEMORY_LIMIT / 48) ** 0.5):,} dense)")
    seed = int(rng.integers(2**31 - 1))
    if p.graph in ("watts_strogatz", "ring_lattice") and max(2, round(k)) >= n:
        raise ConfigError(f"world.mean_degree = {k!r}: must be below world.n = {n} for a {p.graph} graph")
    if p.graph == "complete":  # built directly: networkx would hold n^2 / 2 edges as Python dicts
        flows = np.ones((n, n)) - np.eye(n)
        use_sparse = bool(p.sparse)
        graph = None
    elif p.graph == "erdos_renyi":
        graph = nx.gnp_random_graph(n, min(k / (n - 1), 1.0), seed=seed)
    elif p.graph == "barabasi_albert":
        graph = nx.barabasi_albert_graph(n, max(1, min(round(k / 2), n - 1)), seed=seed)
    elif p.graph == "watts_strogatz":
        graph = nx.watts_strogatz_graph(n, max(2, round(k)), p.rewiring, seed=seed)
    elif p.graph == "ring_lattice":
        graph = nx.watts_strogatz_graph(n, max(2, round(k)), 0.0)
    else:  # lattice_2d: a periodic square grid, n rounded to a square
        side = max(2, round(n ** 0.5))
        graph = nx.convert_node_labels_to_integers(nx.grid_2d_graph(side, side, periodic=True))
        n = graph.number_of_nodes()
    if graph is not None:
        flows = sparse.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=range(n), format="csr", dtype=float))
        use_sparse = p.sparse if p.sparse is not None else _density(flows) < 0.05
    travel, _ = _normalise(flows, use_sparse)
    weight = np.full(n, 1.0 / n)  # every synthetic country sends one unit of travel (isolated ones too)
    codes = np.array([f"C{i:05d}" for i in range(n)])
    ones = np.ones(n)
    return World(
        codes=codes, names=codes.astype(object), region=np.full(n, "synthetic", dtype=object),
        lat=np.zeros(n), lon=np.zeros(n), population=ones, gdp=ones.copy(), democracy=np.full(n, 5.0),
        travel=travel, travel_weight=weight, source=f"synthetic {p.graph} n={n}",
    )


def build_world(p: WorldParams, rng: np.random.Generator) -> World:
    """Build the world a WorldParams describes; real-data worlds are cached (they never change)."""
    validate_world(p)
    if p.kind == "synthetic":
        return synthetic(p, rng)
    return _cached_real_world(tuple(vars(p).items()))


@lru_cache(maxsize=8)
def _cached_real_world(items: tuple) -> World:
    return from_countries(WorldParams(**dict(items)))
