"""Each worker's scratch folder, and what the parent cleans up when a worker is gone.

A worker reads every file with ``tempfile`` pointed at its own folder, ``<tmp>/docmine-worker-<pid>``: LibreOffice's
copy of a .doc and its profile, Tesseract's page images. A helper program started in its own process group
(LibreOffice) writes a ``*.docmine-pgid`` file there while it runs. When the parent stops or kills the worker (the
per-file time limit), it kills those process groups and removes the folder, so neither processes nor copies of the
input survive a killed worker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from pathlib import Path

PGID_SUFFIX = ".docmine-pgid"


def scratch_dir(pid: int) -> Path:
    return Path(tempfile.gettempdir()) / f"docmine-worker-{pid}"


def use_scratch() -> Path:
    """In a worker: make its scratch folder the default for ``tempfile`` (removed by :func:`reap`)."""
    path = scratch_dir(os.getpid())
    path.mkdir(mode=0o700, exist_ok=True)
    tempfile.tempdir = str(path)
    return path


def kill_groups(folder: Path) -> int:
    """Kill the process groups recorded under ``folder``; returns how many were still alive."""
    killed = 0
    for record in folder.rglob(f"*{PGID_SUFFIX}"):
        with contextlib.suppress(OSError, ValueError):
            pgid = int(record.read_text(encoding="ascii").strip())
            if pgid > 1 and pgid != os.getpgrp():
                os.killpg(pgid, signal.SIGKILL)
                killed += 1
    return killed


def reap(pid: int | None) -> None:
    """After a worker is gone: kill what it started in other process groups, remove its scratch folder."""
    if pid is None:
        return
    folder = scratch_dir(pid)
    if folder.is_dir():
        kill_groups(folder)
        shutil.rmtree(folder, ignore_errors=True)
