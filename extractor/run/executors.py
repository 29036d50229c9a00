"""Where ``process_file`` runs: guarded worker processes on this machine, or a Dask cluster.

Every file is read in a *guarded worker*: a separate process with a capped address space (``RLIMIT_AS``) that reads
one file at a time, watched by its parent. A worker that exceeds the per-file time limit is killed and replaced;
one that dies (out of memory, a native crash on damaged bytes) is replaced too; either way the file becomes an
'error' row with a message that says so and the batch goes on. Submissions are bounded (``capacity``), so memory stays
flat however many files there are.

- :class:`ProcessPool` — N guarded workers forked from a ``multiprocessing`` fork server that has imported and
  warmed up the pipeline once (a replacement worker starts in milliseconds).
- :class:`DaskExecutor` — the same per-file work as Dask tasks, on a ``LocalCluster`` or the scheduler at an
  address. Inside each Dask worker thread the task is handed to a guarded worker started with
  ``python -m extractor.run.worker`` (Dask's worker processes are daemonic and may not fork multiprocessing children),
  so time and memory limits hold on a cluster too. Each file's bytes travel with its task (no shared folder needed),
  or, with ``send_bytes=False``, workers read it at the same absolute path on every machine.
- :class:`InlineExecutor` — in this process, no isolation (``--jobs 0``; for debugging).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import pickle
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Protocol

from ..errors import DocmineError
from ..formats.progress import PageEvent, forward
from ..store.rows import pack
from .job import FileResult, process_file
from .limits import Limits, crash_error, file_at_fault, timeout_error
from .scratch import reap

MAX_TASKS_PER_WORKER = int(os.environ.get("DOCMINE_WORKER_MAX_TASKS", 500))  # then a fresh worker (leaks stay bounded)


@dataclass(frozen=True)
class Task:
    """One file to read: the path as given, and what the parent learnt of it before submitting."""

    path: str
    id: str  # sha256 of the bytes, computed by the parent
    size: int
    mtime_ns: int
    format: str  # the parent's guess from the leading bytes (used only if the worker never answers)
    key: str  # the resolved path, which the files table records
    retry: bool = False  # the automatic retry of a file whose worker died in an earlier run (its last chance)


def error_result(task: Task, err: DocmineError) -> FileResult:
    return FileResult(
        id=task.id, path=task.path, file_name=Path(task.path).name, size=task.size, format=task.format,
        status="error", error=f"{type(err).__name__}: {err}",
    )


class Executor(Protocol):
    capacity: int  # how many tasks may be in flight at once
    readers: int  # how many files are read at the same time (worker processes, Dask threads)

    @property
    def pending(self) -> int: ...

    @property
    def idle(self) -> int:
        """Readers with nothing to read: a task submitted now starts at once."""
        ...

    def submit(self, task: Task) -> None: ...

    def results(self, timeout: float | None = None) -> list[tuple[Task, FileResult]]:
        """Block until at least one submitted task is finished (read, failed, timed out), or ``timeout`` seconds
        have passed; [] when none pending or none finished in time."""
        ...

    def close(self) -> None: ...


# -- launchers: how a guarded worker process is started ------------------------------------------------------------
Request = str | tuple[str, bytes]  # what a guarded worker is sent: a path to read, or a name and the file's bytes


class _Handle(Protocol):
    def send(self, request: Request | None) -> None: ...
    def recv(self) -> tuple[FileResult, bool]: ...
    def fileno_conn(self) -> Connection: ...
    def kill(self) -> int | None: ...
    def ask_stop(self) -> None: ...  # tell it to exit after the file it is reading, without waiting
    def stop(self) -> None: ...


def _forkserver_entry(conn: Connection, limits: Limits) -> None:
    from .worker import serve, warm_up

    warm_up()  # a no-op when the fork server has preloaded extractor.run.worker_preload
    serve(conn, conn, limits)


class _ForkHandle:
    _ctx = None

    def __init__(self, limits: Limits):
        if _ForkHandle._ctx is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["extractor.run.worker_preload"])
            _ForkHandle._ctx = ctx
        ctx = _ForkHandle._ctx
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_forkserver_entry, args=(child, limits), daemon=True, name="docmine-worker")
        self.proc.start()
        child.close()

    def send(self, request: Request | None) -> None:
        self.conn.send(request)

    def recv(self) -> tuple[FileResult, bool]:
        return self.conn.recv()

    def fileno_conn(self) -> Connection:
        return self.conn

    def kill(self) -> int | None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()
        reap(self.proc.pid)
        return self.proc.exitcode

    def ask_stop(self) -> None:
        with contextlib.suppress(OSError):  # asked twice, or gone already: the worker reads only the first
            self.conn.send(None)

    def stop(self) -> None:
        self.ask_stop()
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()
        reap(self.proc.pid)


class _SubprocessHandle:
    def __init__(self, limits: Limits):
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "extractor.run.worker", str(req_r), str(rep_w), pickle.dumps(limits).hex()],
            pass_fds=(req_r, rep_w), stdin=subprocess.DEVNULL, env=env, start_new_session=True,
        )
        os.close(req_r)
        os.close(rep_w)
        self.requests = Connection(req_w, readable=False)
        self.replies = Connection(rep_r, writable=False)

    def send(self, request: Request | None) -> None:
        self.requests.send(request)

    def recv(self) -> tuple[FileResult, bool]:
        return self.replies.recv()

    def fileno_conn(self) -> Connection:
        return self.replies

    def kill(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            code = self.proc.wait(5)
        except subprocess.TimeoutExpired:
            code = None
        self.requests.close()
        self.replies.close()
        reap(self.proc.pid)
        return code

    def ask_stop(self) -> None:
        with contextlib.suppress(OSError):  # asked twice, or gone already: the worker reads only the first
            self.requests.send(None)

    def stop(self) -> None:
        self.ask_stop()
        try:
            self.proc.wait(2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(2)
        self.requests.close()
        self.replies.close()
        reap(self.proc.pid)


LAUNCHERS = {"forkserver": _ForkHandle, "subprocess": _SubprocessHandle}


def _main_is_importable() -> bool:
    """multiprocessing re-imports the parent's main script in each worker; a script read from stdin cannot be."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return main_file is None or Path(main_file).exists()


class GuardedWorker:
    """One worker process reading the files sent to it one at a time, in order, replaced when killed, crashed or
    worn out.

    Up to ``ProcessPool.depth`` files may be sent ahead: the worker starts its next file as soon as it has sent an
    answer, instead of waiting for the writer to finish storing the other workers' results and hand it one. The
    time limit runs for the file at the head of the queue from when the worker starts it. When the process is
    replaced, the files sent ahead that it never started are sent again to the new one.
    """

    def __init__(self, limits: Limits, launcher: str = "forkserver"):
        self.limits = limits
        if launcher == "forkserver" and not _main_is_importable():
            launcher = "subprocess"
        self.launcher = LAUNCHERS[launcher]
        self.handle: _Handle | None = None
        self.queue: deque[tuple[Task, Request]] = deque()  # sent, not answered yet; the head is being read
        self.deadline = float("inf")
        self.served = 0
        self.retried: set[str] = set()  # files read again after their worker was killed from outside

    @property
    def task(self) -> Task | None:
        """The file being read now (None when idle)."""
        return self.queue[0][0] if self.queue else None

    @property
    def conn(self) -> Connection:
        assert self.handle is not None
        return self.handle.fileno_conn()

    def accepts(self, depth: int) -> bool:
        """Whether another file may be sent now: fewer than ``depth`` queued, and a worker that has served its
        MAX_TASKS_PER_WORKER files is drained before it is replaced."""
        if not self.queue:
            return True
        return len(self.queue) < depth and self.served + len(self.queue) < MAX_TASKS_PER_WORKER

    def send(self, task: Task, request: Request | None = None) -> None:
        """Queue ``task``: ``request`` is what the process is sent (by default the task's path)."""
        if self.handle is not None and not self.queue and self.served >= MAX_TASKS_PER_WORKER:
            self.handle.stop()
            self.handle = None
        request = request or task.path
        self.queue.append((task, request))
        if self.handle is None:
            self._start()  # sends the whole queue
        else:
            if len(self.queue) == 1:
                self._start_clock()
            self._send(request)

    def _start(self) -> None:
        """A new process, sent every queued file (those the last one never started)."""
        self.handle = self.launcher(self.limits)
        self.served = 0
        self._start_clock()
        for _, request in self.queue:
            self._send(request)

    def _send(self, request: Request) -> None:
        assert self.handle is not None
        with contextlib.suppress(OSError):  # a worker that died while idle answers EOF: receive() reports it
            self.handle.send(request)

    def _start_clock(self) -> None:
        timeout = self.limits.timeout_seconds
        self.deadline = time.monotonic() + timeout if timeout > 0 and self.queue else float("inf")

    def _replace(self, kill: bool) -> int | None:
        """Stop (or kill) the process and start another for the files still queued; returns the exit code."""
        assert self.handle is not None
        code = self.handle.kill() if kill else self.handle.stop()
        self.handle = None
        self.deadline = float("inf")
        if self.queue:
            self._start()
        return code

    def receive(self) -> tuple[Task, FileResult] | None:
        """The answer for the file at the head of the queue (call when the connection is readable); None when the
        worker died of something that was not the file and the file is being read again, or sent a page event
        (``formats.progress``, handed to this context's listener) before its answer."""
        assert self.handle is not None and self.queue
        try:
            answer = self.handle.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            return self._died()
        if isinstance(answer, PageEvent):  # a page of the head file read (its answer comes later)
            forward(answer, self.queue[0][0].path)
            return None
        result, retire = answer
        task, _ = self.queue.popleft()
        self.served += 1
        if retire:  # the worker exits after this answer (it came near its memory cap)
            self._replace(kill=False)
        else:
            self._start_clock()  # it has started the next file queued, if any
        return task, result

    def _died(self) -> tuple[Task, FileResult] | None:
        """The process died reading the head file: killed from outside (not the file's fault), the file is read
        again at once by a fresh process, once; else (or the second time) it becomes an error row."""
        assert self.handle is not None
        task = self.queue[0][0]
        code = self.handle.kill()
        self.handle = None
        self.deadline = float("inf")
        if not file_at_fault(code) and task.id not in self.retried:
            self.retried.add(task.id)
            self._start()  # the same file first, then those queued behind it
            return None
        self.queue.popleft()
        self.served += 1
        if self.queue:
            self._start()
        return task, error_result(task, crash_error(code, self.limits, retried_now=task.id in self.retried,
                                                    final=task.retry))

    def kill_for_timeout(self) -> tuple[Task, FileResult]:
        assert self.handle is not None and self.queue
        task, _ = self.queue.popleft()
        self._replace(kill=True)
        return task, error_result(task, timeout_error(self.limits))

    def run(self, task: Task, request: Request | None = None) -> FileResult:
        """Read one file and wait for it (with the time limit)."""
        self.send(task, request)
        while True:
            remaining = self.deadline - time.monotonic()
            ready = wait([self.conn], timeout=None if remaining == float("inf") else max(0.0, remaining))
            done = self.receive() if ready else self.kill_for_timeout()
            if done is not None:  # (None: read again by a fresh process)
                return done[1]

    def ask_stop(self) -> None:
        """Tell an idle worker to exit, without waiting for it (``close`` then reaps it)."""
        if self.handle is not None and not self.queue:
            self.handle.ask_stop()

    def close(self) -> None:
        if self.handle is not None:
            if self.queue:
                self.handle.kill()
            else:
                self.handle.stop()
            self.handle = None
        self.queue.clear()


class ProcessPool:
    """``jobs`` guarded workers on this machine, each sent up to ``depth`` files ahead."""

    def __init__(self, jobs: int, limits: Limits, launcher: str = "forkserver", depth: int = 2):
        self.depth = max(1, depth)
        self.workers = [GuardedWorker(limits, launcher) for _ in range(max(1, jobs))]
        self.readers = len(self.workers)
        self.capacity = self.readers * self.depth

    @property
    def pending(self) -> int:
        """Slots taken: the files sent and not answered, and all of a worker's while it is drained."""
        return sum(len(w.queue) if w.accepts(self.depth) else self.depth for w in self.workers)

    @property
    def idle(self) -> int:
        return sum(1 for w in self.workers if not w.queue)

    def submit(self, task: Task) -> None:
        open_ = [w for w in self.workers if w.accepts(self.depth)]
        if not open_:
            raise RuntimeError("submit() with every worker busy: call results() first")
        min(open_, key=lambda w: len(w.queue)).send(task)  # the least loaded (an idle worker first)

    def results(self, timeout: float | None = None) -> list[tuple[Task, FileResult]]:
        busy = [w for w in self.workers if w.queue]
        if not busy:
            return []
        soonest = min(w.deadline for w in busy)
        if soonest != float("inf"):
            left = max(0.0, soonest - time.monotonic())
            timeout = left if timeout is None else min(timeout, left)
        ready = set(wait([w.conn for w in busy], timeout=timeout))
        done = [d for d in (w.receive() for w in busy if w.conn in ready) if d is not None]
        now = time.monotonic()
        done += [w.kill_for_timeout() for w in busy if w.queue and now >= w.deadline]
        return done

    def close(self) -> None:
        for w in self.workers:  # all told first, so they exit at the same time
            w.ask_stop()
        for w in self.workers:
            w.close()


class InlineExecutor:
    """Read files in this process, one at a time: no time or memory limit (for debugging, ``--jobs 0``)."""

    capacity = readers = 1

    def __init__(self, limits: Limits):
        from .worker import warm_up

        self.limits = limits
        self._queue: list[Task] = []
        warm_up(freeze=False)  # imports and models first, then what is alive is left out of collections until close
        gc.freeze()  # (no gc.collect first, as a fork server does: a full collection costs 85 ms on every run)

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def idle(self) -> int:
        return 0 if self._queue else 1

    def submit(self, task: Task) -> None:
        self._queue.append(task)

    def results(self, timeout: float | None = None) -> list[tuple[Task, FileResult]]:
        done = [(t, process_file(t.path, self.limits, finish=pack)) for t in self._queue]
        self._queue.clear()
        return done

    def close(self) -> None:
        gc.unfreeze()  # the caller's objects are collected as before


# -- Dask --------------------------------------------------------------------------------------------------------------
_guards = threading.local()
_all_guards: list[GuardedWorker] = []
_guards_lock = threading.Lock()


def run_guarded(task: Task, limits: Limits, request: Request) -> FileResult:
    """A Dask task: read one file (a path, or a name and its bytes) in this Dask worker thread's own guarded worker
    process."""
    worker: GuardedWorker | None = getattr(_guards, "worker", None)
    if worker is None or worker.limits != limits:
        if worker is not None:
            worker.close()
        worker = _guards.worker = GuardedWorker(limits, launcher="subprocess")
        with _guards_lock:
            _all_guards.append(worker)
    return worker.run(task, request)


def stop_guards() -> int:
    """Stop the guarded worker processes this process started for Dask tasks (run on each Dask worker)."""
    with _guards_lock:
        guards = list(_all_guards)
        _all_guards.clear()
    for worker in guards:
        worker.close()
    return len(guards)


atexit.register(stop_guards)


class DaskExecutor:
    """Dask distributed: ``scheduler`` is an address ("tcp://host:8786"), or None for a LocalCluster of ``jobs``
    single-threaded worker processes (``processes=False``: threads in this process, for tests).

    ``send_bytes`` (the default): the parent reads each file and sends its bytes with the task, so the Dask workers
    need no access to the files (no shared folder; the path is only the name recorded). False: each worker reads
    the file at its absolute path, which must then be the same on every machine (a shared folder). Either way this
    process stays the single writer of the database. Workers that join the cluster during a run are given files too
    (how many are reading is asked of the scheduler again every few seconds).
    """

    REFRESH_SECONDS = 5.0

    def __init__(self, jobs: int, limits: Limits, scheduler: str | None = None, processes: bool = True,
                 send_bytes: bool = True):
        try:
            from distributed import Client, LocalCluster, wait
        except ImportError:
            raise DocmineError(
                "--executor dask needs Dask distributed: pip install 'docmine[dask]' (or 'dask[distributed]')."
            ) from None
        self.limits = limits
        self.send_bytes = send_bytes
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=max(1, jobs), threads_per_worker=1, processes=processes, dashboard_address=None,
            )
            self.client = Client(self.cluster)
        self._jobs = max(1, jobs)
        self._wait = wait
        self._futures: dict[str, tuple[object, Task]] = {}
        self._seq = 0
        self._refreshed = 0.0
        self._refresh_readers()

    def _refresh_readers(self) -> None:
        self.readers = sum(self.client.nthreads().values()) or self._jobs
        self.capacity = 2 * self.readers  # keep every worker thread fed while the parent writes
        self._refreshed = time.monotonic()

    @property
    def pending(self) -> int:
        return len(self._futures)

    @property
    def idle(self) -> int:
        return max(0, self.readers - len(self._futures))

    def submit(self, task: Task) -> None:
        self._seq += 1
        key = f"docmine-read-{self._seq}-{task.id[:16]}"
        if self.send_bytes:
            try:
                request: Request = (task.path, Path(task.path).read_bytes())
            except OSError:  # gone since it was hashed: the worker reports it as the local pool would
                request = str(Path(task.path).resolve())
        else:
            request = str(Path(task.path).resolve())
        future = self.client.submit(run_guarded, task, self.limits, request, key=key, pure=False, retries=0)
        self._futures[future.key] = (future, task)

    def results(self, timeout: float | None = None) -> list[tuple[Task, FileResult]]:
        if not self._futures:
            return []
        if time.monotonic() - self._refreshed > self.REFRESH_SECONDS:
            self._refresh_readers()
        try:
            with self.client.as_current():  # distributed.wait uses the current client
                done, _ = self._wait([f for f, _ in self._futures.values()], timeout=timeout,
                                     return_when="FIRST_COMPLETED")
        except TimeoutError:
            return []
        out = []
        for future in done:
            _, task = self._futures.pop(future.key)
            try:
                result = future.result()
            except Exception as err:  # the Dask worker itself died or the task could not run
                result = error_result(task, crash_error(None, self.limits, final=task.retry))
                result.error = f"{result.error} (Dask: {type(err).__name__}: {err})"
            out.append((task, result))
            future.release()
        return out

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the workers may be gone already
            self.client.run(stop_guards)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(kind: str, jobs: int, limits: Limits, scheduler: str | None = None) -> Executor:
    if kind == "dask":
        return DaskExecutor(jobs, limits, scheduler)
    if kind != "process":
        raise ValueError(f"Unknown executor {kind!r}: use 'process' or 'dask'.")
    if jobs <= 0:
        return InlineExecutor(limits)
    return ProcessPool(jobs, limits)


def iter_results(executor: Executor, tasks: Iterator[Task],
                 patience: Callable[[], float | None] | None = None) -> Iterator[tuple[Task, FileResult] | None]:
    """Submit ``tasks`` with at most ``executor.capacity`` in flight; yield results as they finish.

    ``patience``: how long the caller may wait for the next result (None: as long as it takes); when nothing has
    finished by then, None is yielded (the writer commits its open group, ``ingest.Writer``).

    The workers that finished are given their next file before the results are handed on: the caller (the
    single writer) stores a result while they read, instead of them waiting for it.

    A file is queued behind one being read (sent ahead) only while at least ``executor.readers`` files follow it;
    the last ones go to readers with nothing to read. Otherwise, at the end of a batch, one worker could still have
    two files to read while another sat idle: 0.1-0.2 s of one core lost in a 4-second run of 100 files with two
    workers. To see the end coming, up to ``readers + 1`` tasks are taken from ``tasks`` before they are submitted.
    """
    tasks = iter(tasks)
    readers = getattr(executor, "readers", None)  # an executor that does not say reads as if the stream never ends
    ahead: deque[Task] = deque()  # taken from ``tasks``, not submitted yet
    more = True

    def refill() -> None:
        nonlocal more
        while True:
            while more and len(ahead) <= (readers or 0):
                task = next(tasks, None)
                if task is None:
                    more = False
                else:
                    ahead.append(task)
            if not ahead or executor.pending >= executor.capacity:
                return
            if readers and not more and len(ahead) <= readers and not executor.idle:
                return  # one of the last files: it waits for a reader with nothing to read
            executor.submit(ahead.popleft())

    refill()
    while executor.pending:
        timeout = patience() if patience else None
        done = executor.results() if timeout is None else executor.results(timeout)
        refill()
        if done:
            yield from done
        elif timeout is not None:
            yield None
