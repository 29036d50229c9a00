"""Group commits (ingest.Writer): several whole documents per transaction, committed after a number of documents or
a time since the group's first one; a document is still stored all or nothing, and a run killed mid-group loses only
the open group, which the next run reads again, ending with the database a clean run writes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from test_resume import assert_consistent, snapshot

from extractor.run.executors import Task, error_result
from extractor.run.ingest import FileIndex, GroupBounds, IngestSummary, Writer, dispatch, ingest
from extractor.store import db as store

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _committed(db_path: Path) -> int:
    """Documents another connection sees (committed ones only)."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("select count(*) from documents").fetchone()[0]
    finally:
        conn.close()


def _task(tmp_path: Path, n: int) -> Task:
    path = tmp_path / f"f{n}.txt"
    return Task(path=str(path), id=f"{n:064x}", size=1, mtime_ns=n, format="text", key=str(path))


def _writer(tmp_path: Path, bounds: GroupBounds, clock: Clock) -> tuple[Writer, Path]:
    db_path = tmp_path / "g.db"
    db = store.open_db(db_path)
    return Writer(db, FileIndex(db), IngestSummary(), bounds=bounds, clock=clock), db_path


def _result(task: Task):
    from extractor.errors import CorruptDocument

    return error_result(task, CorruptDocument("not a report"))


def test_a_group_is_committed_after_its_document_count(tmp_path):
    clock = Clock()
    writer, db_path = _writer(tmp_path, GroupBounds(documents=3, seconds=3600), clock)
    seen = []
    for n in range(7):
        task = _task(tmp_path, n)
        writer.store(task, _result(task))
        seen.append(_committed(db_path))
    assert seen == [0, 0, 3, 3, 3, 6, 6]  # the 7th waits in the open group
    assert writer.commits == 2 and writer.group == 1
    writer.commit()
    assert _committed(db_path) == 7 and writer.time_left() is None
    writer.db.close()


def test_a_group_is_committed_once_its_time_is_up(tmp_path):
    clock = Clock()
    writer, db_path = _writer(tmp_path, GroupBounds(documents=32, seconds=0.1), clock)
    for n, at in enumerate((0.0, 0.04, 0.099)):
        clock.now = at
        task = _task(tmp_path, n)
        writer.store(task, _result(task))
    assert _committed(db_path) == 0 and writer.time_left() == pytest.approx(0.001)
    clock.now = 0.1
    task = _task(tmp_path, 3)
    writer.store(task, _result(task))  # 100 ms after the group's first document: committed with it
    assert _committed(db_path) == 4 and writer.commits == 1
    clock.now = 0.15
    task = _task(tmp_path, 4)
    writer.store(task, _result(task))  # a new group, timed from its own first document
    assert writer.time_left() == pytest.approx(0.1)
    writer.db.close()


class _Slow:
    """One reader taking 0.15 s (of ``clock``) per file: longer than the writer's 0.1 s group time."""

    capacity = readers = 1

    def __init__(self, clock: Clock):
        self.clock, self.queue, self.waits = clock, [], []
        self.finish_at = 0.0

    @property
    def pending(self) -> int:
        return len(self.queue)

    @property
    def idle(self) -> int:
        return 0 if self.queue else 1

    def submit(self, task) -> None:
        self.queue.append(task)
        self.finish_at = self.clock.now + 0.15

    def results(self, timeout=None):
        self.waits.append(timeout)
        if timeout is not None and self.clock.now + timeout < self.finish_at:
            self.clock.now += timeout
            return []
        self.clock.now = self.finish_at
        task = self.queue.pop(0)
        return [(task, _result(task))]

    def close(self) -> None:
        pass


def test_the_open_group_is_committed_while_the_next_result_is_awaited(tmp_path):
    """A slow file does not keep the documents before it uncommitted: when no result arrives within the group's
    time, the writer commits."""
    clock = Clock()
    writer, db_path = _writer(tmp_path, GroupBounds(documents=32, seconds=0.1), clock)
    tasks = [_task(tmp_path, n) for n in range(3)]
    executor = _Slow(clock)
    dispatch(iter(tasks), writer, lambda: executor)
    # no group open for the first file: waited without a time limit; then each wait is the open group's time left
    assert executor.waits == [None, pytest.approx(0.1), None, pytest.approx(0.1), None]
    assert writer.commits == 2 and _committed(db_path) == 2  # the third is in the open group until ingest ends
    writer.db.close()


def test_a_document_that_fails_to_store_is_absent_and_recorded_the_rest_of_its_group_stored(
        tmp_path, own_corpus, monkeypatch):
    reports = own_corpus / "reports"
    files = [reports / f"{name}.docx" for name in
             ("cong-an-tinh-an-khang-2023", "huyen-thach-lam-quy-1-2024", "xa-my-thanh-dong-6-thang-2024")]
    folder = tmp_path / "in"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder)
    real_insert = store.insert_values
    failing = "huyen-thach-lam-quy-1-2024.docx"
    state = {"document": None}

    # not a storage error (disk full, I/O: those stop the run, test_hostile_batch): the document's own failure
    def failing_insert(conn, table, names, values):  # the footnotes come after the document row and its blocks
        if table == "documents":
            state["document"] = values[0][names.index("file_name")]
        if table == "footnotes" and state["document"] == failing:
            raise sqlite3.IntegrityError("CHECK constraint failed (simulated)")
        return real_insert(conn, table, names, values)

    monkeypatch.setattr(store, "insert_values", failing_insert)
    db_path = tmp_path / "out.db"
    summary = ingest([folder], db_path, jobs=0, group=GroupBounds(documents=10, seconds=3600))
    monkeypatch.undo()
    assert (summary.ok, summary.errors) == (2, 1)
    db = sqlite_utils.Database(db_path)
    rows = {r["file_name"]: r for r in db["documents"].rows}
    assert rows[failing]["status"] == "error"
    assert rows[failing]["error"].startswith(
        "IntegrityError while storing this file: CHECK constraint failed (simulated)")
    failed_id = rows[failing]["id"]
    for table in store.CHILD_TABLES:  # none of its rows: not the blocks written before the footnotes failed
        assert db.execute(f"select count(*) from [{table}] where document_id = ?", [failed_id]).fetchone()[0] == 0
    assert db.execute("select count(*) from documents_fts where rowid = (select rowid from documents where id = ?)",
                      [failed_id]).fetchone()[0] == 1  # its error row, indexed as any other
    assert_consistent(db_path)  # the other two whole: blocks, and every footnote they announce
    assert {n for n, r in rows.items() if r["status"] == "ok"} == {f.name for f in files} - {failing}
    assert db.execute("select count(*) from footnotes").fetchone()[0] > 0


_KILL_MID_GROUP = """
import os, signal, sys
from extractor.run.ingest import GroupBounds, ingest
seen = []
def kill_after_fifth(result):  # the 5th result is stored in the open second group (groups of 3): SIGKILL now
    seen.append(result)
    if len(seen) == 5:
        os.kill(os.getpid(), signal.SIGKILL)
ingest([sys.argv[1]], sys.argv[2], kill_after_fifth, jobs=0, group=GroupBounds(documents=3, seconds=3600))
"""


def test_a_run_killed_mid_group_loses_only_the_open_group_and_a_rerun_equals_a_clean_run(tmp_path, own_corpus):
    folder = own_corpus / "reports"
    total = len(list(folder.iterdir()))
    assert total == 9
    clean = tmp_path / "clean.db"
    ingest([folder], clean, jobs=0)

    killed = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.run([sys.executable, "-c", _KILL_MID_GROUP, str(folder), str(killed)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == -9, proc.stderr
    db = sqlite_utils.Database(killed)
    assert db["documents"].count == 3  # the first group; the 4th and 5th were in the open group
    assert db["files"].count == 3
    assert_consistent(killed)
    db.close()

    summary = ingest([folder], killed, jobs=0)
    assert summary.skipped == 3 and summary.files == total - 3  # the open group's files are read again
    assert snapshot(killed) == snapshot(clean)
    assert store.integrity_problems(killed) == []
