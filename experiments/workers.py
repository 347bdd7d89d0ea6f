"""Worker processes: how many a command may start (no more than the cores it may use, unless the
user asks to oversubscribe, and never more than it has jobs for), and that they end with it."""

from __future__ import annotations

import os
import threading
import time

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


def exit_with_parent(parent: int, poll: float = 0.5) -> None:
    """Run in a worker process as it starts: end it within `poll` seconds of the death of `parent`.

    A worker pool outlives a command killed with SIGKILL (loky keeps idle workers for five
    minutes); once orphaned, a worker is adopted by another process, which this thread notices.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os._exit(1)  # no cleanup to do: the worker holds no results the command could still collect

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
