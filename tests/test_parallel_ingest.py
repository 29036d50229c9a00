"""Parallel and incremental ingest: worker processes (and a Dask cluster) store exactly what reading in one process
stores; a re-run skips unchanged files without reading them, reads files whose bytes changed, and reads everything
again when the extractor version changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlite_utils

from extractor import __version__
from extractor.run.ingest import ingest
from extractor.run.limits import Limits
from extractor.store import db as store


def _copy_reports(shared: Path, folder: Path, subs=("docx", "pdf", "text")) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for sub in subs:
        for src in sorted((shared / sub).iterdir()):
            out.append(Path(shutil.copy(src, folder / f"{sub}-{src.name}")))
    return out


def snapshot(db_path: Path) -> dict[str, list]:
    """Every stored row, row ids and write times left out, in a comparable order."""
    db = sqlite_utils.Database(db_path)
    out = {}
    for table in ("documents", *store.CHILD_TABLES, "cited_documents"):
        rows = list(db[table].rows)
        for r in rows:
            r.pop("ingested_at", None)
            if table not in ("documents", "cited_documents"):
                r.pop("id", None)
        out[table] = sorted(rows, key=lambda r: repr(sorted(r.items())))
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory, shared_corpus) -> Path:
    folder = tmp_path_factory.mktemp("parallel") / "in"
    _copy_reports(shared_corpus, folder)
    return folder


@pytest.fixture(scope="module")
def inline_db(reports) -> Path:
    db_path = reports.parent / "inline.db"
    summary = ingest([reports], db_path, jobs=0)
    assert (summary.files, summary.ok, summary.errors) == (15, 15, 0)
    return db_path


def test_two_workers_store_exactly_what_one_process_stores(reports, inline_db):
    db_path = reports.parent / "two.db"
    summary = ingest([reports], db_path, jobs=2)
    assert (summary.files, summary.ok) == (15, 15)
    assert summary.footnotes == 2 * 19 + 19  # docx + pdf footnotes (6+4+9 each) and the text exports'
    assert snapshot(db_path) == snapshot(inline_db)
    assert store.integrity_problems(db_path) == []


def test_files_sent_ahead_to_workers_replaced_every_two_files_store_the_same(reports, inline_db, monkeypatch):
    """Each worker is sent its next file before it answers (queued in its pipe). A worker that has served its
    MAX_TASKS_PER_WORKER files is drained, then replaced; a replacement is sent the files its predecessor never
    started (the memory-cap and time-limit tests in test_hostile_input.py replace workers with a file queued)."""
    from extractor.run import executors

    monkeypatch.setattr(executors, "MAX_TASKS_PER_WORKER", 2)
    started: list[int] = []  # files queued when each worker process started
    real_start = executors.GuardedWorker._start

    def counting_start(self):
        started.append(len(self.queue))
        real_start(self)

    monkeypatch.setattr(executors.GuardedWorker, "_start", counting_start)
    sent_ahead: list[int] = []  # the longest queue a worker had, seen by the writer at each result
    db_path = reports.parent / "two-per-worker.db"
    summary = ingest([reports], db_path, jobs=1, executor=_Watched(executors.ProcessPool(1, Limits.from_env()),
                                                                  sent_ahead))
    assert (summary.files, summary.ok) == (15, 15)
    assert started == [1] * 8  # 15 files, 2 per process, each process started for one file
    assert max(sent_ahead) == 2  # the second file went out while the first was read
    assert snapshot(db_path) == snapshot(inline_db)


def test_the_last_files_of_a_batch_go_to_idle_workers(reports, inline_db):
    """Files are sent ahead to busy workers until the end of the batch is in sight; each of the last two then waits
    for a worker with nothing to read, so neither worker is left with two files while the other idles."""
    from extractor.run import executors

    sent_ahead: list[int] = []
    pool = _Watched(executors.ProcessPool(2, Limits.from_env()), sent_ahead)
    summary = ingest([reports], reports.parent / "tail.db", executor=pool)
    assert (summary.files, summary.ok) == (15, 15)
    assert len(pool.idle_at_submit) == 15
    assert all(idle >= 1 for idle in pool.idle_at_submit[-2:])
    assert 0 in pool.idle_at_submit[:-2]  # before that, files were queued behind busy workers
    assert max(sent_ahead) == 2
    assert snapshot(reports.parent / "tail.db") == snapshot(inline_db)


class _Simulated:
    """Two readers, each sent up to two tasks, on a simulated clock: a task takes ``task.size`` time units."""

    capacity, readers = 4, 2

    def __init__(self):
        self.queues: list[list] = [[], []]
        self.started = [0.0, 0.0]
        self.now = 0.0

    @property
    def pending(self) -> int:
        return sum(len(q) for q in self.queues)

    @property
    def idle(self) -> int:
        return sum(1 for q in self.queues if not q)

    def submit(self, task) -> None:
        q = min(self.queues, key=len)
        if not q:
            self.started[self.queues.index(q)] = self.now
        q.append(task)

    def results(self):
        busy = [i for i, q in enumerate(self.queues) if q]
        self.now = min(self.started[i] + self.queues[i][0].size for i in busy)
        done = []
        for i in busy:
            if self.started[i] + self.queues[i][0].size <= self.now:
                done.append((self.queues[i].pop(0), None))
                self.started[i] = self.now
        return done

    def close(self) -> None:
        pass


class _SimulatedUnaware(_Simulated):
    readers = None  # an executor that does not say how many files it reads at once: everything is sent ahead


def test_sending_the_last_files_to_idle_readers_shortens_the_batch():
    """Sizes 3, 3, 5, 1, 5 on two readers. Sending ahead to the end queues the last 5 behind the first 5 (ends at
    13) while the other reader idles from 4; holding the last two back for an idle reader ends at 9."""
    from types import SimpleNamespace

    from extractor.run.executors import iter_results

    sizes = [3, 3, 5, 1, 5]
    for executor, end in ((_SimulatedUnaware(), 13), (_Simulated(), 9)):
        tasks = [SimpleNamespace(size=z, n=i) for i, z in enumerate(sizes)]
        done = [t.n for t, _ in iter_results(executor, iter(tasks))]
        assert sorted(done) == list(range(5))  # every task, once
        assert executor.now == end


class _Watched:
    """A ProcessPool that records how many files its worker had queued each time results were collected, and how
    many of its workers were idle each time a file was submitted."""

    def __init__(self, pool, seen: list[int]):
        self.pool, self.seen, self.capacity, self.readers = pool, seen, pool.capacity, pool.readers
        self.idle_at_submit: list[int] = []

    @property
    def pending(self) -> int:
        return self.pool.pending

    @property
    def idle(self) -> int:
        return self.pool.idle

    def submit(self, task) -> None:
        self.idle_at_submit.append(self.pool.idle)
        self.pool.submit(task)

    def results(self, timeout=None):
        self.seen.append(max(len(w.queue) for w in self.pool.workers))
        return self.pool.results(timeout)

    def close(self) -> None:
        self.pool.close()


def test_the_warm_up_samples_are_the_bundled_report_and_read_cleanly(own_corpus):
    """A fork server reads these before it forks workers (worker.warm_up), so they must be good reports."""
    import yaml

    from extractor.run.ingest import process_file
    from extractor.run.worker import SAMPLES
    from extractor.store.rows import citation_keys

    expected = yaml.safe_load((own_corpus / "expected" / "huyen-thach-lam-quy-1-2024.yaml").read_text("utf-8"))
    assert [s.suffix for s in SAMPLES] == [".docx", ".pdf"]
    for sample in SAMPLES:
        bundled = own_corpus / "reports" / f"huyen-thach-lam-quy-1-2024{sample.suffix}"
        assert sample.read_bytes() == bundled.read_bytes()
        result = process_file(sample, packed=True)
        assert result.status == "ok", result.error
        assert result.document is None and result.extraction is None  # packed: only the rows travel
        # the hand-checked footnotes and citations (corpus/expected), all of them
        names, values = result.rows["footnotes"]
        assert [v[names.index("marker")] for v in values] == [f["marker"] for f in expected["footnotes"]]
        assert result.count("citations") == len(expected["citations"]) == 16
        assert {c["key"] for c in expected["citations"]} == citation_keys(result.rows)


def test_dask_local_cluster_stores_the_same(reports, inline_db):
    pytest.importorskip("distributed")
    from extractor.run.executors import DaskExecutor

    db_path = reports.parent / "dask.db"
    limits = Limits.from_env()
    summary = ingest([reports], db_path, executor=DaskExecutor(1, limits, processes=False), limits=limits)
    assert (summary.files, summary.ok) == (15, 15)
    assert snapshot(db_path) == snapshot(inline_db)


def test_rerun_skips_unchanged_files_and_reads_changed_ones(tmp_path, shared_corpus):
    folder = tmp_path / "in"
    files = _copy_reports(shared_corpus, folder, subs=("docx", "text"))
    db_path = folder / "docmine.db"  # inside the folder being ingested: never read as a report
    first = ingest([folder], db_path, jobs=2)
    assert (first.files, first.ok) == (10, 10)

    again = ingest([folder], db_path, jobs=2)
    assert (again.files, again.skipped) == (0, 10)

    touched, edited = files[0], files[7]  # same bytes with a new mtime; one byte changed
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("Báo cáo", "BÁO CÁO", 1) if "Báo cáo" in text else text + "\n", encoding="utf-8")
    third = ingest([folder], db_path, jobs=2)
    assert (third.files, third.skipped) == (1, 9)
    db = sqlite_utils.Database(db_path)
    assert db["documents"].count == 10  # the edited file's earlier version is superseded, not kept beside it
    row = db.execute("select size, mtime_ns from files where path = ?", [str(touched.resolve())]).fetchone()
    assert row == (touched.stat().st_size, touched.stat().st_mtime_ns)

    db.execute("update documents set extractor_version = '0.0.1'")
    db.conn.commit()
    db.close()
    upgraded = ingest([folder], db_path, jobs=2)
    assert (upgraded.files, upgraded.skipped) == (10, 0)
    versions = {r[0] for r in sqlite_utils.Database(db_path).execute(
        "select extractor_version from documents d join files f on f.document_id = d.id")}
    assert versions == {__version__}

    forced = ingest([folder], db_path, jobs=2, force=True)
    assert (forced.files, forced.skipped) == (10, 0)


def test_same_bytes_under_two_names_are_read_once(tmp_path, shared_corpus):
    folder = tmp_path / "in"
    folder.mkdir()
    src = shared_corpus / "docx" / "nga-bay-2022.docx"
    for name in ("a.docx", "b.docx", "c.docx"):
        shutil.copy(src, folder / name)
    summary = ingest([folder], tmp_path / "out.db", jobs=2)
    assert (summary.files, summary.skipped) == (1, 2)
    db = sqlite_utils.Database(tmp_path / "out.db")
    assert db["documents"].count == 1 and db["files"].count == 3


def test_closing_a_pool_stops_every_worker_cleanly(own_corpus, monkeypatch):
    """close() tells every idle worker to exit before waiting for any, and each exits on its own (code 0), not
    killed."""
    from extractor.run import executors
    from extractor.run.executors import ProcessPool, Task, iter_results
    from extractor.run.ingest import hash_file

    events: list[str] = []
    for name in ("ask_stop", "stop"):
        real = getattr(executors._ForkHandle, name)
        monkeypatch.setattr(executors._ForkHandle, name,
                            lambda self, real=real, name=name: (events.append(name), real(self))[1])

    files = sorted((own_corpus / "reports").glob("*.docx"))
    tasks = [Task(path=str(f), id=hash_file(f)[0], size=f.stat().st_size, mtime_ns=0, format="docx", key=str(f))
             for f in files]
    pool = ProcessPool(2, Limits.from_env())
    results = [r for _, r in iter_results(pool, iter(tasks))]
    assert sorted(r.id for r in results) == sorted(t.id for t in tasks)
    assert all(r.status == "ok" for r in results)
    procs = [w.handle.proc for w in pool.workers]
    assert pool.idle == 2 and pool.pending == 0
    pool.close()
    assert events[:2] == ["ask_stop", "ask_stop"]  # both told before either is waited for
    assert events.count("stop") == 2
    assert [p.exitcode for p in procs] == [0, 0]
    assert all(w.handle is None for w in pool.workers)
