"""How many worker processes a command may start: no more than the cores it may use, unless the
user asks to oversubscribe, and never more than it has jobs for."""

from __future__ import annotations

import os

from model.params import ConfigError


def cores() -> int:
    """CPU cores this process may use (its affinity mask, which containers and `taskset` narrow)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_workers(requested: int, key: str, *, allow: bool, flag: str | None) -> None:
    """ConfigError naming `key` when more workers than cores are asked for and `allow` is not set.

    flag: the setting that allows it (e.g. sweep.oversubscribe=true), named in the message.
    """
    available = cores()
    if requested > available and not allow:
        hint = f", or set {flag} to start them anyway" if flag else ""
        raise ConfigError(f"{key} = {requested}: more than the {available} cores this process may use; "
                          f"use {available} or fewer{hint}")


def workers_for(requested: int, jobs: int) -> int:
    """Workers to start for `jobs` jobs: `requested` (0 = one per core), at most one per job, at least 1."""
    return max(1, min(requested or cores(), jobs))
