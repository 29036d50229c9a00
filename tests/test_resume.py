"""Resumable ingest: `docmine ingest` killed with SIGKILL between documents or inside a document's transaction leaves
a consistent database (no half document, SQLite's integrity check clean), and running it again finishes the job with
exactly the database an uninterrupted run writes.

The kills happen at chosen points (``DOCMINE_TEST_POINT``, ``extractor.run.testpoints``), not at random moments: a
test that raced the writer failed on a loaded machine when every file was stored before the kill."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils
from conftest import stored_documents

from extractor.store import db as store

ROOT = Path(__file__).resolve().parent.parent


def _cli(folder: Path, db_path: Path, point: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    env.pop("DOCMINE_TEST_POINT", None)
    if point:
        env["DOCMINE_TEST_POINT"] = point
    env.update(DOCMINE_GROUP_DOCUMENTS="2", DOCMINE_GROUP_MS="600000")  # groups of two documents, never by time
    return subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", "ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True,
    )


def snapshot(db_path: Path) -> dict[str, list]:
    db = sqlite_utils.Database(db_path)
    out = {}
    for table in ("documents", *store.CHILD_TABLES, "cited_documents"):
        rows = list(db[table].rows)
        for r in rows:
            r.pop("ingested_at", None)
            if table not in ("documents", "cited_documents"):
                r.pop("id", None)
        out[table] = sorted(rows, key=lambda r: repr(sorted(r.items())))
    out["files"] = sorted((r["path"], r["document_id"]) for r in db["files"].rows)
    return out


def assert_consistent(db_path: Path) -> None:
    assert store.integrity_problems(db_path) == []
    db = sqlite_utils.Database(db_path)
    for row in db.execute(
        "select d.id, d.status, d.footnote_count, (select count(*) from footnotes f where f.document_id = d.id), "
        "(select count(*) from blocks b where b.document_id = d.id) from documents d"
    ).fetchall():
        _doc_id, status, footnote_count, footnotes, blocks = row
        if status == "ok":  # a whole document: its blocks and every footnote it announces
            assert blocks > 0 and footnotes == footnote_count, row
        else:
            assert blocks == footnotes == 0, row
    orphans = db.execute("select count(*) from files where document_id not in (select id from documents)")
    assert orphans.fetchone()[0] <= 2  # at most the files being read when killed point ahead of their document


@pytest.fixture(scope="module")
def folder(tmp_path_factory, shared_corpus) -> Path:
    folder = tmp_path_factory.mktemp("resume") / "in"
    folder.mkdir()
    for sub in ("docx", "pdf", "text"):
        for src in sorted((shared_corpus / sub).iterdir()):
            shutil.copy(src, folder / f"{sub}-{src.name}")
    shutil.copy(shared_corpus / "legacy" / "son-tra-2024-tcvn3.docx", folder)
    (folder / "empty.docx").write_bytes(b"")
    return folder


def test_sigkill_between_documents_and_inside_a_transaction_then_resume_equals_an_uninterrupted_run(tmp_path,
                                                                                                    folder):
    whole = tmp_path / "whole.db"
    proc = _cli(folder, whole)
    assert proc.wait(300) == 0, proc.stderr.read().decode()
    total = stored_documents(whole)
    assert total == 17

    db_path = tmp_path / "killed.db"
    # (point, documents in the database after the kill), groups of two: killed once the 3rd document of the run is
    # committed (with the 4th, its group); inside the 2nd one's savepoint (it and the 1st, its open group, rolled
    # back); once the 5th is committed (with the 6th)
    for point, expected in (("after:3", 4), ("inside:2", 4), ("after:5", 10)):
        proc = _cli(folder, db_path, point)
        assert proc.wait(300) == -signal.SIGKILL, (point, proc.stderr.read().decode())
        with pytest.raises(ProcessLookupError):  # workers and the fork server go with their parent's session
            _killpg_after(proc, 10)
        assert_consistent(db_path)
        assert stored_documents(db_path) == expected, point

    proc = _cli(folder, db_path)
    assert proc.wait(300) == 0, proc.stderr.read().decode()
    assert_consistent(db_path)
    assert snapshot(db_path) == snapshot(whole)


def _killpg_after(proc: subprocess.Popen, seconds: float) -> None:
    """Wait for the killed run's workers to notice and exit; raise ProcessLookupError once none is left."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        os.killpg(proc.pid, 0)  # raises ProcessLookupError when the session is empty
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)  # stragglers: clean up, and fail the test
    raise AssertionError("worker processes outlived the killed ingest by more than 10 s")
