"""The world countries live in: their attributes, named blocs and travel ties.

Travel is a row-normalised matrix `travel[i, j]`: the share of country i's outbound travel that
goes to j. `travel_weight[i]` is i's share of world outbound travel. Both come from a gravity
model on the embedded data, from a user's flow table, or from a synthetic graph.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
from scipy import sparse

from .params import ConfigError, WorldParams, validate_world

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_COUNTRIES = DATA_DIR / "countries.csv"
REQUIRED_COLUMNS = ("iso3", "name", "region", "lat", "lon", "population", "gdp_usd", "democracy")
BLOC_COLUMNS = {"EU27": "eu", "EEA": "eea", "OECD": "oecd", "BRI": "bri"}
EARTH_RADIUS_KM = 6371.0


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

def read_countries(path: str | Path) -> dict[str, np.ndarray]:
    """Read a countries CSV into column arrays; malformed files raise ConfigError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"world.countries_file: no such file '{path}'")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise ConfigError(f"{path}: no rows; expected columns {', '.join(REQUIRED_COLUMNS)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
    if missing:
        raise ConfigError(f"{path}: missing columns {', '.join(missing)}; required: {', '.join(REQUIRED_COLUMNS)}")
    codes = [r["iso3"].strip() for r in rows]
    seen: set[str] = set()
    dupes = sorted({c for c in codes if c in seen or seen.add(c)})
    if dupes:
        raise ConfigError(f"{path}: duplicate iso3 codes {', '.join(dupes)}; each country once")
    cols: dict[str, np.ndarray] = {"iso3": np.array(codes)}
    for name in ("name", "region", "subregion", "borders"):
        cols[name] = np.array([r.get(name, "") or "" for r in rows], dtype=object)
    for name in ("lat", "lon", "population", "gdp_usd", "democracy"):
        try:
            cols[name] = np.array([float(r[name]) for r in rows])
        except (TypeError, ValueError) as err:
            raise ConfigError(f"{path}: column '{name}' must be numeric and filled ({err})") from None
    for name in ("population", "gdp_usd"):
        if (cols[name] <= 0).any():
            bad = cols["iso3"][cols[name] <= 0][:5]
            raise ConfigError(f"{path}: column '{name}' must be > 0 (see {', '.join(bad)})")
    for bloc, col in BLOC_COLUMNS.items():
        if col in rows[0]:
            cols[bloc] = np.array([(r[col] or "0").strip() in ("1", "1.0", "True", "true") for r in rows])
    return cols


def _blocs_from(cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    blocs = {b: np.flatnonzero(cols[b]) for b in BLOC_COLUMNS if b in cols}
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
    if not path.is_file():
        raise ConfigError(f"world.flows_file: no such file '{path}'")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("origin", "destination", "flow") if c not in (reader.fieldnames or [])]
        if missing:
            raise ConfigError(f"{path}: missing columns {', '.join(missing)}; required: origin, destination, flow")
        flows = np.zeros((len(index), len(index)))
        for line, row in enumerate(reader, start=2):
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


def _normalise(flows, use_sparse: bool):
    """Row-normalise flows to travel shares and compute each country's share of world travel."""
    if sparse.issparse(flows):
        flows = flows.tocsr()
        out = np.asarray(flows.sum(axis=1)).ravel()
    else:
        out = flows.sum(axis=1)
    total = out.sum()
    if total <= 0:
        raise ConfigError("world: the travel flows are all zero")
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
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
    flows = read_flows(p.flows_file, index) if p.kind == "flows" else gravity_flows(cols, p)
    use_sparse = p.sparse if p.sparse is not None else _density(flows) < 0.05
    travel, weight = _normalise(flows, use_sparse)
    return World(
        codes=cols["iso3"], names=cols["name"], region=cols["region"], lat=cols["lat"], lon=cols["lon"],
        population=cols["population"], gdp=cols["gdp_usd"], democracy=cols["democracy"],
        travel=travel, travel_weight=weight, blocs=_blocs_from(cols), source=str(path),
    )


def synthetic(p: WorldParams, rng: np.random.Generator) -> World:
    """A synthetic world of identical countries on a graph.

    Each country splits its travel equally over its ties and every country carries the same weight
    (1/n) in world travel, so travel-weighted shares are shares of countries.
    """
    n, k = p.n, p.mean_degree
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
