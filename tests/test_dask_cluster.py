"""Ingest through a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes started separately on
loopback, sent each file's bytes (the workers need no access to the files), with this process the single writer.
The database equals a local run's."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_script
from test_resume import assert_consistent, snapshot

from extractor.run.ingest import ingest
from extractor.run.limits import Limits

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    module = load_script(ROOT / "bench/dask_speed.py")
    return module


def test_a_guarded_worker_reads_a_file_from_the_bytes_it_is_sent(own_corpus, tmp_path):
    """What a Dask worker on another machine gets: a name it cannot open, and the bytes."""
    from extractor.run.executors import GuardedWorker, Task

    src = own_corpus / "reports" / "huyen-thach-lam-quy-1-2024.docx"
    elsewhere = str(tmp_path / "not-on-this-machine" / src.name)
    worker = GuardedWorker(Limits.from_env(), launcher="subprocess")
    try:
        task = Task(path=elsewhere, id="0" * 64, size=src.stat().st_size, mtime_ns=0, format="docx", key=elsewhere)
        result = worker.run(task, (elsewhere, src.read_bytes()))
    finally:
        worker.close()
    assert result.status == "ok", result.error
    assert result.path == elsewhere and result.file_name == src.name
    names, values = result.rows["documents"]
    assert result.count("citations") > 0 and dict(zip(names, values[0], strict=True))["title"]


def test_ingest_through_a_scheduler_and_two_worker_processes_equals_a_local_run(own_corpus, tmp_path, bench):
    from distributed import Client

    from extractor.run.executors import DaskExecutor

    folder = own_corpus / "reports"
    local = tmp_path / "local.db"
    ingest([folder], local, jobs=0)
    with bench.loopback_cluster(2, tmp_path / "cluster") as address:
        assert address.startswith("tcp://127.0.0.1:")
        with Client(address) as client:  # two workers, each its own process
            info = client.scheduler_info()["workers"]
            assert len(info) == 2 and all(w["host"] == "127.0.0.1" for w in info.values())
            pids = set(client.run(lambda: __import__("os").getpid()).values())
        assert len(pids) == 2
        executor = DaskExecutor(1, Limits.from_env(), scheduler=address)
        assert executor.readers == 2 and executor.send_bytes
        remote = tmp_path / "remote.db"
        summary = ingest([folder], remote, executor=executor)
    assert summary.ok == 9 and summary.errors == 0
    assert snapshot(remote) == snapshot(local)
    assert_consistent(remote)
