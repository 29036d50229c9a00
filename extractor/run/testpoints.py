"""Chosen points where a test stops or holds an ingest, so that tests of killing and of concurrency do not depend on
timing: ``DOCMINE_TEST_POINT="<where>:<n>[:<action>]"`` acts when the writer reaches point ``where`` for the n-th
document of the run.

- ``where``: ``inside`` (the document's rows are written, its transaction not committed yet) or ``after`` (it is
  committed).
- ``action``: ``kill`` (default: the process sends itself SIGKILL, as the operator's ``kill -9``) or ``hold`` (it
  waits until the file named by ``DOCMINE_TEST_RELEASE`` exists, then goes on).

Unset (always, outside tests) it costs one dictionary lookup per document.
"""

from __future__ import annotations

import os
import signal
import time


def reached(where: str, count: int) -> None:
    spec = os.environ.get("DOCMINE_TEST_POINT")
    if not spec:
        return
    point, n, *action = spec.split(":")
    if point != where or int(n) != count:
        return
    if (action or ["kill"])[0] == "hold":
        release = os.environ.get("DOCMINE_TEST_RELEASE", "")
        while release and not os.path.exists(release):
            time.sleep(0.02)
        return
    os.kill(os.getpid(), signal.SIGKILL)


def worker_reading(path: str) -> None:
    """In a worker, before it reads ``path``: ``DOCMINE_TEST_WORKER_DIE="<name part>:<SIGNAL>:<times>:<log file>"``
    makes it die by that signal when the file name holds the part, the first ``times`` times (counted in the log
    file, one line per death, so the count holds across worker processes)."""
    spec = os.environ.get("DOCMINE_TEST_WORKER_DIE")
    if not spec:
        return
    part, name, times, log = spec.split(":", 3)
    if part not in os.path.basename(path):
        return
    try:
        with open(log, encoding="utf-8") as fh:
            died = sum(1 for _ in fh)
    except FileNotFoundError:
        died = 0
    if died >= int(times):
        return
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {path}\n")
    os.kill(os.getpid(), getattr(signal, name))
