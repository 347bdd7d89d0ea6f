"""Where a sweep's batches run: in this process, in local worker processes, or on a Dask cluster.

Every executor has the same two methods: `map(fn, base, batches)` yields `fn(base, batch)` for
each batch as it finishes (in any order), and `close()`. Each worker runs one batch at a time,
one run after the other: one layer of processes, never nested parallelism.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from model.params import ConfigError

from ..workers import cores, exit_with_parent, workers_for
from .spec import SweepSpec


class Sequential:
    """Every batch in this process, in order: for debugging, profiling and tiny sweeps."""

    workers = 1
    description = "sequential (this process)"

    def map(self, fn: Callable, base: Any, batches: Iterable[list]) -> Iterator[Any]:
        for batch in batches:
            yield fn(base, batch)

    def close(self) -> None:
        pass


class Processes:
    """Local worker processes through joblib's loky backend (workers are reused between calls)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers or cores()
        self.description = f"processes ({self.workers} workers)"

    def map(self, fn: Callable, base: Any, batches: Iterable[list]) -> Iterator[Any]:
        from joblib import Parallel, delayed, parallel_config

        batches = list(batches)
        if not batches:
            return
        # one numpy (BLAS) thread per worker: the model's small matrix products gain nothing from
        # more, and they would compete with the other workers for the cores (Dask does the same)
        # each worker ends within a second of this process's death, even by SIGKILL
        with parallel_config(backend="loky", inner_max_num_threads=1, initializer=exit_with_parent,
                             initargs=(os.getpid(),)), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*tasks which were still being processed")  # on Ctrl-C
            parallel = Parallel(n_jobs=workers_for(self.workers, len(batches)), return_as="generator_unordered",
                                batch_size=1)
            yield from parallel(delayed(fn)(base, batch) for batch in batches)

    def close(self) -> None:
        pass


class Dask:
    """A dask.distributed client: to the scheduler at `address`, or to a local cluster when none.

    A local cluster starts with the first batches, with no more workers than batches."""

    def __init__(self, address: str, workers: int, timeout: float) -> None:
        self.cluster = self.client = None
        if address:
            from dask.distributed import Client

            try:
                self.client = Client(address, timeout=f"{timeout}s")
            except Exception as err:  # OSError on timeout, ValueError or TypeError on a malformed address
                raise ConfigError(f"sweep.dask_address: no Dask scheduler answered at '{address}' within "
                                  f"{timeout:g} s ({err}); start one with `dask scheduler` and workers "
                                  "with `dask worker ADDRESS --nthreads 1`, or set sweep.dask_address='' "
                                  "for a local cluster") from None
            self.workers = max(1, sum(w["nthreads"] for w in self.client.scheduler_info()["workers"].values()))
            self.description = f"dask ({self.workers} worker threads on {address})"
        else:
            self.workers = workers or cores()
            self.description = f"dask ({self.workers} worker threads on a local cluster)"

    def start_local(self, workers: int) -> None:
        """A local cluster with no dashboard. `dashboard_address=None` alone turns off the dashboard
        pages but still serves the scheduler's HTTP routes on port 8787, so the HTTP server also
        gets no routes and a free loopback port."""
        import dask
        from dask.distributed import Client, LocalCluster

        with dask.config.set({"distributed.scheduler.http.routes": []}):
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                        silence_logs=logging.ERROR)
        self.client = Client(self.cluster)

    def map(self, fn: Callable, base: Any, batches: Iterable[list]) -> Iterator[Any]:
        from dask.distributed import as_completed

        batches = list(batches)
        if not batches:
            return
        if self.client is None:
            self.start_local(workers_for(self.workers, len(batches)))
        futures = [self.client.submit(fn, base, batch, pure=False) for batch in batches]
        try:
            for future in as_completed(futures):
                yield future.result()
                future.release()
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def open_executor(spec: SweepSpec) -> Sequential | Processes | Dask:
    """The executor a sweep config asks for; a Dask address that does not answer is a ConfigError."""
    if spec.executor == "sequential":
        return Sequential()
    if spec.executor == "processes":
        return Processes(spec.workers)
    return Dask(spec.dask_address, spec.workers, spec.dask_timeout)


def batch_size(spec: SweepSpec, runs: int, workers: int) -> int:
    """Runs per batch: the config's, or about twenty batches per worker, between 1 and 50 runs.

    Batches of tens of runs keep the per-task cost (sending the config, writing a chunk: about
    10 ms) to a fraction of a percent of the runs' time; many batches per worker keep every worker
    busy until the end (the last batch is short) and let the progress bar and the folder advance.
    """
    if spec.batch_size:
        return spec.batch_size
    return max(1, min(50, -(-runs // (20 * workers))))


def batches(tasks: list, size: int) -> list[list]:
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]
