"""The results folder of a sweep: written in chunks as batches finish, resumable after any stop.

Layout:
    config.yaml       the resolved sweep and base experiment
    manifest.json     config hash, design seed, package versions, times, counts, one entry per session
    design.parquet    the design points
    chunks/*.parquet  finished runs, one file per batch, while the sweep is under way
    runs.parquet, points.parquet, plots/   once every run is done (the chunks are then folded in)

Every file is written to a temporary name, flushed to disk and renamed into place, so a sweep
killed at any moment leaves only whole files. A run is finished when its row is in a chunk or in
runs.parquet; a resumed sweep runs only the others. A lock file keeps two sweeps out of one folder.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model.params import ConfigError

from .runs import RUN_KEYS

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RUNS = "runs.parquet"
POINTS = "points.parquet"
CONFIG = "config.yaml"
CHUNKS = "chunks"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def atomic_write(path: Path, write: Callable[[Path], None], *, durable: bool = True) -> None:
    """`write` a temporary file next to `path`, flush it to disk (when durable), then rename it over
    `path`. Either way a killed process leaves the old file or the new one, never part of one."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)
        if durable:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: Path, data: dict, *, durable: bool = True) -> None:
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, default=str) + "\n"), durable=durable)


def write_table(path: Path, table: pd.DataFrame) -> None:
    atomic_write(path, lambda p: table.to_parquet(p, index=False))


def read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else None


def check_folder(folder: Path, config_hash: str, inputs: dict[str, dict[str, str]] | None = None,
                 legacy_hash: str | None = None) -> bool:
    """Whether `folder` holds this sweep already (True) or is new (False); refuse anything else.

    inputs: the sweep's input files (path and sha256 by key); when the folder's sweep read one of
    them with other contents, the refusal names that file. legacy_hash: the hash without input
    contents, accepted from a folder whose manifest predates them (it records no inputs).
    """
    if not folder.exists():
        return False
    if not folder.is_dir():
        raise ConfigError(f"sweep.output: '{folder}' is a file, not a folder")
    manifest = read_manifest(folder)
    if manifest is None:
        if any(folder.iterdir()):
            raise ConfigError(f"sweep.output: '{folder}' already exists and is not a sweep results folder "
                              "(no manifest.json); choose another sweep.output")
        return False
    if "inputs" not in manifest and legacy_hash is not None and manifest.get("config_hash") == legacy_hash:
        return True
    if manifest.get("config_hash") != config_hash:
        for key, now in (inputs or {}).items():
            then = manifest.get("inputs", {}).get(key)
            if then and then["path"] == now["path"] and then["sha256"] != now["sha256"]:
                raise ConfigError(f"{key}: the contents of '{now['path']}' changed since the sweep in '{folder}' "
                                  f"started (sha256 {then['sha256'][:12]}..., now {now['sha256'][:12]}...); put "
                                  "the file back as it was to resume, or choose another sweep.output")
        raise ConfigError(f"sweep.output: '{folder}' holds a different sweep (config hash "
                          f"{manifest.get('config_hash')}, this config {config_hash}); resume it with the "
                          f"config it was started with ({folder / CONFIG}), or choose another sweep.output")
    return True


class ResultsFolder:
    """A sweep's folder, opened for writing by one sweep at a time."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder)
        self.chunks = self.path / CHUNKS
        self._lock = None

    def open(self, manifest: dict, design: pd.DataFrame, config_yaml: Callable[[], str]) -> None:
        """Create or reopen the folder: take the lock, write what a new sweep needs, drop stale temp files."""
        try:
            self.chunks.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ConfigError(f"sweep.output: cannot create '{self.path}' ({err.strerror or err})") from None
        self._lock = open(self.path / ".lock", "w")  # noqa: SIM115 (held until close)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise ConfigError(f"sweep.output: another sweep is writing to '{self.path}' right now; wait for "
                              "it to finish or choose another sweep.output") from None
        for stale in [*self.path.glob(".*.tmp"), *self.chunks.glob(".*.tmp")]:
            stale.unlink(missing_ok=True)
        if read_manifest(self.path) is None:  # first, so a stop right after still leaves a sweep folder
            self.write_manifest(manifest)
        stored = self.path / DESIGN
        if stored.is_file():
            if not pd.read_parquet(stored).equals(design):
                raise ConfigError(f"sweep.output: the design in '{stored}' differs from the one this config "
                                  "gives (another SALib or numpy version?); choose another sweep.output")
        else:
            write_table(stored, design)
        if not (self.path / CONFIG).is_file():
            atomic_write(self.path / CONFIG, lambda p: p.write_text(config_yaml()))

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()  # releases the lock
            self._lock = None

    def manifest(self) -> dict:
        return read_manifest(self.path) or {}

    def write_manifest(self, manifest: dict, *, durable: bool = True) -> None:
        """durable=False for the update after each chunk: no fsync (a resume recounts from the chunks)."""
        write_json(self.path / MANIFEST, manifest, durable=durable)

    def write_chunk(self, table: pa.Table) -> Path:
        """Keep a finished batch: one parquet file, named after its first run and a unique tag."""
        point, replication = table.column("point")[0].as_py(), table.column("replication")[0].as_py()
        path = self.chunks / f"runs-{point:07d}-{replication:05d}-{uuid.uuid4().hex[:8]}.parquet"
        atomic_write(path, lambda p: pq.write_table(table, p))
        return path

    def finished(self, columns: list[str]) -> pd.DataFrame:
        """Every finished run (from runs.parquet and the chunks), once each, in no particular order;
        integer columns with gaps come back as floats and text as plain strings (see tables.runs_table)."""
        files = [self.path / RUNS] if (self.path / RUNS).is_file() else []
        files += sorted(self.chunks.glob("*.parquet"))
        if not files:
            return pd.DataFrame({c: pd.Series(dtype="int64") for c in RUN_KEYS}).reindex(columns=columns)
        parts = [pq.read_table(f, columns=columns).replace_schema_metadata() for f in files]
        table = pa.concat_tables(parts, promote_options="permissive").to_pandas()
        # a stop between writing runs.parquet and removing the chunks leaves a run in both
        return table.drop_duplicates(subset=["point", "replication"], keep="first", ignore_index=True)

    def write_finals(self, runs: pd.DataFrame, points: pd.DataFrame) -> None:
        """Write the final tables, then fold the chunks in (their rows are all in runs.parquet)."""
        write_table(self.path / RUNS, runs)
        write_table(self.path / POINTS, points)
        for chunk in self.chunks.glob("*.parquet"):
            chunk.unlink()
        self.chunks.rmdir()
