"""A local Dask cluster started by a sweep serves no dashboard, on port 8787 or anywhere else."""

from __future__ import annotations

import operator
import urllib.error
import urllib.request

import psutil
import pytest

from experiments.sweeps.executors import Dask


def listening_ports(process: psutil.Process) -> set[int]:
    ports = set()
    for p in [process, *process.children(recursive=True)]:
        try:
            ports |= {c.laddr.port for c in p.net_connections("tcp") if c.status == psutil.CONN_LISTEN}
        except psutil.NoSuchProcess:
            pass
    return ports


@pytest.mark.slow
def test_a_local_cluster_serves_no_dashboard():
    executor = Dask("", 1, 10.0)
    try:
        assert executor.cluster is None  # started with the first batches
        assert list(executor.map(operator.add, [1], [[2]])) == [[1, 2]]  # runs a task: the cluster is up
        assert executor.cluster is not None
        assert 8787 not in listening_ports(psutil.Process())
        http_port = executor.client.scheduler_info()["services"]["dashboard"]  # the scheduler's HTTP server
        for page in ("status", "info/main/workers.html", "health"):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(f"http://127.0.0.1:{http_port}/{page}", timeout=10)
            assert info.value.code == 404
    finally:
        executor.close()
