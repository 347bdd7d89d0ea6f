"""The directory an experiments.run command writes into, and putting it back when a run fails.

A run never deletes what it did not create. Before Hydra starts, the command resolves the run
directory (hydra.run.dir, or hydra.sweep.dir under -m) the way Hydra would, pins it with an
explicit override, records what is already there and creates what is missing. When a run (or
a multirun job) fails, `undo` removes only what the run added: its directory when the command
created it, otherwise the new entries; the small files Hydra rewrites in a directory that existed
(.hydra/*.yaml) get their old bytes back, and a job log it appended to is cut back to its old size.

A multirun job may run in another process (the joblib or submitit launchers), so the record
travels as a JSON file named by an environment variable.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from model.params import ConfigError

from .config import CONFIG_DIR, normalise_overrides

ENV = "CREDENTIAL_RACE_RUN_RECORD"
DEPTH = 3  # entries recorded below the root: job dir / its entries / inside .hydra
MAX_ENTRIES = 100_000  # beyond this the record is partial, and nothing that might have existed is removed
HYDRA_SUBDIR = ".hydra"
SAVED_BYTES = 1 << 20  # .hydra files larger than this are not kept (Hydra's are a few kB)


@dataclass
class RunDir:
    """What was in a run directory (or a multirun's sweep directory) before the command ran."""

    root: str  # absolute path
    key: str  # hydra.run.dir or hydra.sweep.dir, for messages
    created: list[str] = field(default_factory=list)  # directories this command made, outermost first
    entries: list[str] | None = None  # paths relative to root that existed; None when root is new
    complete: bool = True  # False: the listing was cut at MAX_ENTRIES
    saved: dict[str, str] = field(default_factory=dict)  # .hydra files Hydra rewrites: relative path -> base64
    sizes: dict[str, int] = field(default_factory=dict)  # log files Hydra appends to: relative path -> size
    committed: bool = False  # the run wrote its results: nothing to undo

    @classmethod
    def prepare(cls, root: str | Path, key: str) -> RunDir:
        """Record what exists at `root`, then create what is missing; ConfigError naming `key` if it cannot."""
        path = Path(os.path.abspath(root))
        record = cls(str(path), key)
        if path.exists() and not path.is_dir():
            raise ConfigError(f"{key}: '{path}' is a file, not a directory")
        if path.is_dir():
            if not os.access(path, os.W_OK | os.X_OK):
                raise ConfigError(f"{key}: '{path}' is not writable")
            record._scan(path)
            return record
        missing = [path]
        while not missing[-1].parent.exists() and missing[-1].parent != missing[-1]:
            missing.append(missing[-1].parent)
        try:
            path.mkdir(parents=True)
            failure = None
        except OSError as err:
            failure = err.strerror or str(err)
        if failure is not None:  # raised here, so that the message carries no chained OSError
            for made in missing:  # innermost first: whatever mkdir made before it failed
                with contextlib.suppress(OSError):
                    made.rmdir()
            raise ConfigError(f"{key}: cannot create '{path}' ({failure})")
        record.created = [str(p) for p in reversed(missing)]
        return record

    def _scan(self, path: Path) -> None:
        entries: list[str] = []
        for dirpath, dirnames, filenames in os.walk(path):
            rel = Path(dirpath).relative_to(path)
            depth = len(rel.parts)
            for name in [*dirnames, *filenames]:
                item = (rel / name).as_posix()
                entries.append(item)
                full = Path(dirpath) / name
                if name in filenames and full.is_file():
                    if rel.name == HYDRA_SUBDIR and full.stat().st_size <= SAVED_BYTES:
                        self.saved[item] = base64.b64encode(full.read_bytes()).decode()
                    elif name.endswith(".log"):
                        self.sizes[item] = full.stat().st_size
            if depth + 1 >= DEPTH:
                dirnames[:] = []  # do not descend further
            if len(entries) > MAX_ENTRIES:
                self.complete = False
                break
        self.entries = entries

    # --- what existed ---------------------------------------------------------------------------

    def existed(self, path: Path) -> bool | None:
        """Whether `path` existed before the command; None when the record cannot tell."""
        if self.entries is None:  # the root was made by this command
            return False
        rel = Path(path).relative_to(self.root)
        if rel == Path("."):
            return True
        if not self.complete or len(rel.parts) > DEPTH:
            return None
        return rel.as_posix() in self._entry_set

    @cached_property
    def _entry_set(self) -> set[str]:
        return set(self.entries or ())

    # --- putting it back ------------------------------------------------------------------------

    def undo(self, job_dir: str | Path | None = None) -> None:
        """Remove what a failed run added under `job_dir` (default: the root) and restore what Hydra rewrote."""
        if self.committed:
            return
        job = Path(os.path.abspath(job_dir or self.root))
        if not job.exists():
            return
        if Path(self.root) not in (job, *job.parents):
            return  # not under the directory this record describes: nothing is known
        if self.existed(job) is False:
            shutil.rmtree(job, ignore_errors=True)
            self._remove_empty_parents(job.parent)
            return
        if self.existed(job) is None:
            return
        for entry in list(job.iterdir()):
            known = self.existed(entry)
            if known is False:
                _remove(entry)
            elif known and entry.name == HYDRA_SUBDIR and entry.is_dir():
                for item in list(entry.iterdir()):
                    if self.existed(item) is False:
                        _remove(item)
        for rel, data in self.saved.items():
            target = Path(self.root) / rel
            if job in target.parents:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(data))
        for rel, size in self.sizes.items():
            target = Path(self.root) / rel
            if job in target.parents and target.is_file() and target.stat().st_size > size:
                with open(target, "r+b") as f:
                    f.truncate(size)

    def _remove_empty_parents(self, parent: Path) -> None:
        """Remove the now-empty directories this command created, innermost first, up to the root's parents."""
        mine = {Path(p) for p in self.created}
        root = Path(self.root)
        while parent != parent.parent and (parent in mine
                                           or (root in parent.parents and self.existed(parent) is False)):
            try:
                parent.rmdir()
            except OSError:
                return  # not empty: another job or another program uses it
            parent = parent.parent

    # --- passing the record to multirun jobs ----------------------------------------------------

    def publish(self) -> Path:
        """Write the record to a private temporary file and name it in the environment (for launchers)."""
        fd, name = tempfile.mkstemp(prefix="credential-race-run-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(asdict(self), f)
        os.environ[ENV] = name
        return Path(name)

    @classmethod
    def from_environment(cls) -> RunDir | None:
        name = os.environ.get(ENV)
        if not name:
            return None
        try:
            data = json.loads(Path(name).read_text())
        except (OSError, ValueError):
            return None  # a job on another machine: nothing is known, nothing is removed
        return cls(**data)

    def tidy(self) -> None:
        """Remove the directories this command created that nothing was written to, innermost first."""
        for made in reversed(self.created):
            try:
                Path(made).rmdir()
            except OSError:
                return

    @staticmethod
    def withdraw(published: Path | None) -> None:
        os.environ.pop(ENV, None)
        if published is not None:
            with contextlib.suppress(OSError):
                published.unlink()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _quote(value: str) -> str:
    """A path as a quoted Hydra override value."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def resolve(overrides: list[str], multirun: bool) -> tuple[str, str]:
    """(key, absolute directory) Hydra would use for this command: hydra.run.dir, or hydra.sweep.dir with -m.

    Composed the way hydra.main composes (job name "run", overrides as from the shell, normalised as
    the command normalises them: `KEY=5.0` for a whole number, `++` for events); sweep overrides are
    left out of a multirun's master config, as Hydra leaves them out.
    """
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode
    from omegaconf import OmegaConf

    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    context = (contextlib.nullcontext() if GlobalHydra.instance().is_initialized()  # inside a Hydra app
               else initialize_config_dir(version_base=None, config_dir=str(CONFIG_DIR), job_name="run"))
    with context:
        cfg = GlobalHydra.instance().hydra.compose_config(
            config_name="config", overrides=normalise_overrides(list(overrides)),
            run_mode=RunMode.MULTIRUN if multirun else RunMode.RUN, from_shell=True, with_log_configuration=False)
        previous = HydraConfig.instance().cfg
        HydraConfig.instance().set_config(cfg)  # for ${hydra:...} in the directory
        try:
            value = OmegaConf.select(cfg, key)
        finally:
            HydraConfig.instance().cfg = previous
    return key, os.path.abspath(str(value))


def pin(overrides: list[str], key: str, directory: str) -> list[str]:
    """The overrides with `key` set to the resolved directory (replacing the user's, if any)."""
    kept = [o for o in overrides if o.split("=", 1)[0].lstrip("+~") != key]
    return [*kept, f"{key}={_quote(directory)}"]
