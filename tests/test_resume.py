"""Resumable ingest: `docmine ingest` killed with SIGKILL at random moments leaves a consistent database (no half
document, SQLite's integrity check clean), and running it again finishes the job with exactly the database an
uninterrupted run writes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from extractor.store import db as store

ROOT = Path(__file__).resolve().parent.parent


def _cli(folder: Path, db_path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    return subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", "ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True,
    )


def _stored(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("select count(*) from documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


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


def test_sigkill_at_random_moments_then_resume_equals_an_uninterrupted_run(tmp_path, folder):
    whole = tmp_path / "whole.db"
    proc = _cli(folder, whole)
    assert proc.wait(300) == 0, proc.stderr.read().decode()
    total = _stored(whole)
    assert total == 17

    rng = random.Random(6)
    db_path = tmp_path / "killed.db"
    kills = 0
    for round_ in range(3):
        proc = _cli(folder, db_path)
        before = _stored(db_path)
        # kill once a few more documents are in, leaving some for the resumed run (two workers store several
        # documents in the random moment below)
        target = min(total - 6, before + rng.randint(1, 4))
        deadline = time.monotonic() + 120
        while _stored(db_path) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.2))  # and at a random moment after that (often mid-write)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(30)
        with pytest.raises(ProcessLookupError):  # workers and the fork server go with their parent's session
            _killpg_after(proc, 10)
        assert_consistent(db_path)
        assert _stored(db_path) >= before, round_
    assert kills >= 2 and _stored(db_path) < total

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
