"""Batch ingest: find the files, have each one read (``run.job.process_file``, wherever an executor runs it) and store
it, with one writer: this process.

``ingest`` is four steps, each a function: ``iter_files`` walks the inputs, ``plan`` decides which files to read
(the rest are unchanged or copies of stored content), ``iter_results`` (``run.executors``) dispatches them to the
readers, and a :class:`Writer` stores the results. A file that cannot be read becomes an 'error' row with a message;
the batch goes on.

Incremental and resumable: the ``files`` table maps a path to its size, modification time and document id. A file
whose path, size and mtime are unchanged, and whose document was written by this docmine version, is skipped
without being read. Any other file is hashed; if a document with that content id was already written by this
version it is skipped too (a renamed or touched copy), otherwise it is read.

Group commits: each document is stored whole inside a savepoint, and several documents share one transaction (a
group), committed after ``GroupBounds.documents`` documents or ``GroupBounds.seconds`` after its first one, whichever
comes first (and when the run ends). A run killed at any moment loses at most the open group and the files being
read; their rows were never committed, so the next run finds them not stored and reads them again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from ..errors import DocmineError
from ..formats.progress import PageEvent, listening
from ..store.db import delete_document, open_db, pack, refresh_pending, write_result
from ..store.derive import current, insert_document_rows, refresh_derived
from ..version import __version__
from . import job, testpoints
from .job import FileResult, file_id, guess_format, hash_file, read_head
from .limits import Limits, awaits_retry, file_too_large
from .lock import SUFFIX as LOCK_SUFFIX
from .lock import holding_lock, is_storage_error
from .walk import SKIP_NAMES, Entry, display, iter_files, unread_id, walk

if TYPE_CHECKING:
    from .executors import Executor, Task

__all__ = ["SKIP_NAMES", "FileResult", "GroupBounds", "IngestSummary", "Writer", "file_id", "guess_format",
           "hash_file", "ingest", "iter_files", "plan", "process_file", "read_head", "unread_id"]

MAX_FAILED_KEPT = 100  # the summary keeps the first failures only (memory stays flat in the number of files)


def count_files(paths: Iterable[str | Path], follow_links: bool = False) -> int:
    """How many names ingest will go through (files read, and the names it records as not read)."""
    return sum(1 for _ in walk(paths, follow_links))


def process_file(path: str | Path, limits: Limits | None = None, *, packed: bool = False) -> FileResult:
    """``run.job.process_file``; ``packed``: return the rows the store writes instead of the document and its
    extraction (``store.rows.pack``), as the workers do."""
    return job.process_file(path, limits, finish=pack if packed else None)


@dataclass
class IngestSummary:
    files: int = 0  # files read in this run (ok + errors)
    ok: int = 0
    errors: int = 0
    skipped: int = 0  # unchanged since a previous run (or a copy of content already stored): not read again
    footnotes: int = 0
    citations: int = 0
    figures: int = 0
    findings: int = 0
    by_format: Counter = field(default_factory=Counter)
    by_format_status: Counter = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)  # the first MAX_FAILED_KEPT failures
    seconds: float = 0.0

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.by_format[result.format] += 1
        self.by_format_status[(result.format, result.status)] += 1
        if result.status == "ok":
            self.ok += 1
            self.footnotes += result.count("footnotes")
            self.citations += result.count("citations")
            self.figures += result.count("figures")
            self.findings += result.count("findings")
        else:
            self.fail(result.path, result.error or "")

    def fail(self, path: str, error: str) -> None:
        self.errors += 1
        if len(self.failed) < MAX_FAILED_KEPT:
            self.failed.append((path, error))


class FileIndex:
    """The ``files`` table: path → size, mtime and document id, for the fast unchanged-file pass."""

    def __init__(self, db: sqlite_utils.Database, retry_errors: bool = False):
        self.db = db
        self.retry_errors = retry_errors

    def _current(self, version: str | None, status: str | None, error: str | None = None) -> bool:
        """Written by this version and not to be read again: a worker death is read again once by itself."""
        return version == __version__ and not (status == "error" and (self.retry_errors or awaits_retry(error)))

    def unchanged(self, key: str, st: os.stat_result) -> bool:
        row = self.db.execute(
            "select f.size, f.mtime_ns, d.extractor_version, d.status, d.error from files f "
            "join documents d on d.id = f.document_id where f.path = ?", [key]
        ).fetchone()
        return bool(row) and row[0] == st.st_size and row[1] == st.st_mtime_ns and self._current(*row[2:])

    def stored(self, document_id: str) -> bool:
        row = self.db.execute("select extractor_version, status, error from documents where id = ?",
                              [document_id]).fetchone()
        return bool(row) and self._current(*row)

    def awaits_retry(self, document_id: str) -> bool:
        """Whether this content's row is a worker death an earlier run left for one automatic retry."""
        row = self.db.execute("select error from documents where id = ?", [document_id]).fetchone()
        return bool(row) and awaits_retry(row[0])

    def record(self, key: str, size: int, mtime_ns: int, document_id: str) -> None:
        """Point ``key`` at ``document_id``. A version of the file this path held before, that no other path holds,
        is superseded: it is deleted in the same transaction, so a corrected report replaces the old one."""
        with self.db.atomic():
            row = self.db.execute("select document_id from files where path = ?", [key]).fetchone()
            self.db.execute(
                "insert or replace into files (path, size, mtime_ns, document_id, seen_at) values (?, ?, ?, ?, ?)",
                [key, size, mtime_ns, document_id, datetime.now(UTC).isoformat(timespec="seconds")],
            )
            old = row[0] if row else None
            if old and old != document_id and not self.db.execute(
                "select 1 from files where document_id = ? limit 1", [old]
            ).fetchone():
                delete_document(self.db, old, defer_corpus=True)


@dataclass(frozen=True)
class GroupBounds:
    """When the writer commits its open group: after ``documents`` documents, or ``seconds`` after the group's first
    document was stored, whichever comes first. One transaction's fixed cost (the commit, the WAL frames of pages
    every document touches: indexes, full-text segments) is shared by the group."""

    documents: int = int(os.environ.get("DOCMINE_GROUP_DOCUMENTS", 32))
    seconds: float = float(os.environ.get("DOCMINE_GROUP_MS", 100)) / 1000


class Writer:
    """The single writer: stores each result whole (its document, child and derived rows, its path in ``files``
    and the removal of the version it supersedes) inside a savepoint, several documents per transaction.

    A document whose storing fails is rolled back to its savepoint, never half present, and stored as an 'error'
    row saying why; the rest of its group is kept. A storage error (disk full, an I/O error: ``lock.is_storage_error``)
    stops the run instead: the document is rolled back, the group before it committed, and the error raised
    (``lock.holding_lock`` makes it one clear line). ``on_result`` sees each result once stored in the open group
    (committed at most ``bounds.seconds`` later, or lost with the group if the run is killed first).

    Test points (``run.testpoints``): ``inside`` n fires inside the n-th document's savepoint (its rows written),
    ``after`` n once the group holding the n-th document is committed.
    """

    def __init__(self, db: sqlite_utils.Database, index: FileIndex, summary: IngestSummary, *,
                 bounds: GroupBounds | None = None, on_result: Callable[[FileResult], None] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.db, self.index, self.summary = db, index, summary
        self.bounds = bounds or GroupBounds()
        self.on_result = on_result
        self.clock = clock
        self.per_document = current(db.conn)  # derived rows written with each document (else rebuilt at the end)
        self.group = 0  # documents in the open group
        self.opened: float | None = None  # when the open group's first document was stored
        self.stored: list[str] = []  # content ids written this run (committed or in the open group)
        self.in_flight: set[str] = set()  # content ids handed to readers and not stored yet (``plan``)
        self.commits = 0

    def time_left(self) -> float | None:
        """Seconds until the open group must be committed (None: no group open): how long the caller may wait
        for the next result before calling ``commit_due``."""
        if self.opened is None:
            return None
        return max(0.0, self.opened + self.bounds.seconds - self.clock())

    def store(self, task: Task, result: FileResult) -> None:
        result.path, result.file_name = display(task.path), display(Path(task.path).name)
        if result.rows is None:  # from an executor that did not pack it
            pack(result)
        self._begin()
        try:
            self._write(task, result)
        except Exception as err:  # this document only: its savepoint is rolled back, the group goes on
            if is_storage_error(err):  # the disk, not the document: stop (``ingest`` commits the group so far)
                raise
            result = self._store_failure(task, result, err)
        self.group += 1
        self.in_flight.discard(task.id)
        self.stored.append(task.id)
        self.summary.add(result)
        if self.on_result:
            self.on_result(result)
        self.commit_due()

    def _begin(self) -> None:
        if self.opened is None:
            if not self.db.conn.in_transaction:
                self.db.execute("BEGIN")
            self.opened = self.clock()

    def _write(self, task: Task, result: FileResult) -> None:
        with self.db.atomic():  # a savepoint inside the group: the document whole or not at all
            write_result(self.db, result, defer_corpus=True)
            if self.per_document and result.status == "ok":
                insert_document_rows(self.db.conn, result.id, result.rows)  # its localities, indicators
            self.index.record(task.key, task.size, task.mtime_ns, result.id)
            testpoints.reached("inside", len(self.stored) + 1)

    def _store_failure(self, task: Task, result: FileResult, err: Exception) -> FileResult:
        """The file as an 'error' row saying why it could not be stored; if even that fails (the database itself
        is failing), the group so far is committed and the error raised."""
        failed = FileResult(id=result.id, path=result.path, file_name=result.file_name, size=result.size,
                            format=result.format, status="error", seconds=result.seconds,
                            error=f"{type(err).__name__} while storing this file: {err}; not stored.")
        pack(failed)
        try:
            self._write(task, failed)
        except Exception:
            self.commit()
            raise
        return failed

    def commit_due(self) -> None:
        """Commit the open group if it is full or old enough."""
        if self.opened is not None and (self.group >= self.bounds.documents
                                        or self.clock() - self.opened >= self.bounds.seconds):
            self.commit()

    def commit(self) -> None:
        if self.opened is None:
            return
        self.db.conn.commit()
        first = len(self.stored) - self.group + 1
        self.group, self.opened = 0, None
        self.commits += 1
        for n in range(first, len(self.stored) + 1):  # each document of the group is committed now
            testpoints.reached("after", n)


def plan(paths: Iterable[str | Path], db_path: str | Path, writer: Writer, *, limits: Limits, force: bool,
         on_skip: Callable[[Path], None] | None = None, follow_links: bool = False) -> Iterator[Task]:
    """The files to read, as tasks, lazily, walking the inputs safely (``run.walk``). The others are skipped
    (unchanged, or a copy of content stored or being read), recorded as failures (vanished, unreadable) or, when not
    to be read (a FIFO, a link out of the folders, a file over the size limit), stored as errors at once without
    their bytes being read or hashed."""
    done: set[str] = set()  # only filled with --force, to read each content once per run
    db_files = {str(Path(db_path).resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal", LOCK_SUFFIX)}

    def skip(path: Path) -> None:
        writer.summary.skipped += 1
        if on_skip:
            on_skip(path)

    for entry in walk(paths, follow_links):
        if entry.key in db_files:  # the database being written, inside a folder being ingested
            continue
        try:
            st = entry.path.stat() if entry.skip is None else entry.path.lstat()
            if not force and writer.index.unchanged(entry.key, st):
                skip(entry.path)
                continue
            refused = entry.skip or file_too_large(st.st_size, limits)
            # recorded without reading (or hashing) it: a FIFO, a link out, a file over the limit
            unread = _not_read(entry, st, refused) if refused else None
            task = None if refused else _to_read(entry, st, writer, done if force else None)
        except OSError as err:  # vanished or unreadable since it was listed: nothing to store
            writer.summary.fail(display(entry.path), f"OSError: {err}")
            continue
        if unread is not None:
            writer.store(*unread)
            continue
        if task is None:
            skip(entry.path)
            continue
        if force:
            done.add(task.id)
        writer.in_flight.add(task.id)
        yield task


def _not_read(entry: Entry, st: os.stat_result, refused: DocmineError) -> tuple[Task, FileResult]:
    """The task and 'error' result of a name that is not read: its id from its path and size, not its bytes."""
    from .executors import Task, error_result

    head = read_head(entry.path) if entry.skip is None else b""
    task = Task(path=str(entry.path), id=unread_id(entry.key, st.st_size), size=st.st_size, mtime_ns=st.st_mtime_ns,
                format=guess_format(head) if head else "unknown", key=entry.key)
    return task, error_result(task, refused)


def _to_read(entry: Entry, st: os.stat_result, writer: Writer, done: set[str] | None) -> Task | None:
    """The file hashed, as a task to read; None when its content is stored already or being read (``done``, with
    --force: the contents read this run), the path then recorded as a copy of it."""
    from .executors import Task

    digest, head = hash_file(entry.path)
    if digest in writer.in_flight or (digest in done if done is not None else writer.index.stored(digest)):
        writer.index.record(entry.key, st.st_size, st.st_mtime_ns, digest)
        return None
    return Task(path=str(entry.path), id=digest, size=st.st_size, mtime_ns=st.st_mtime_ns, format=guess_format(head),
                key=entry.key, retry=writer.index.awaits_retry(digest))


def _chain(first: Task, rest: Iterator[Task]) -> Iterator[Task]:
    yield first
    yield from rest


def dispatch(tasks: Iterator[Task], writer: Writer, make_pool: Callable[[], Executor]) -> None:
    """Have every task read and its result stored. The readers (``make_pool``; the caller closes them) are started
    only when there is something to read. While results are awaited, the open group is committed when its time is
    up."""
    from .executors import iter_results

    first = next(tasks, None)
    if first is None:
        return
    for done in iter_results(make_pool(), _chain(first, tasks), patience=writer.time_left):
        if done is None:  # no result within the open group's time
            writer.commit_due()
        else:
            writer.store(*done)


@holding_lock  # one writer per database: a second ingest waits (extractor.run.lock)
def ingest(
    paths: Iterable[str | Path],
    db_path: str | Path,
    on_result: Callable[[FileResult], None] | None = None,
    *,
    jobs: int | None = None,
    executor: str | Executor = "process",
    scheduler: str | None = None,
    limits: Limits | None = None,
    force: bool = False,
    retry_errors: bool = False,
    on_skip: Callable[[Path], None] | None = None,
    follow_links: bool = False,
    group: GroupBounds | None = None,
    on_page: Callable[[PageEvent], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the database at ``db_path``; returns counts for the summary.

    ``jobs``: worker processes (None: one per core; 0: read in this process without limits). ``executor``:
    'process' (this machine), 'dask' (``scheduler`` address, or a LocalCluster), or an ``executors.Executor``
    instance (closed at the end). ``force``: read every file again; ``retry_errors``: read again the files that
    failed before. ``follow_links``: follow symbolic links out of the folders given (``extractor.run.walk``).
    ``on_result``: called with each result once stored (in the open group, see ``Writer``). ``group``: when the
    writer commits (``GroupBounds``; by default 32 documents or 100 ms). ``on_page``: called with each page a
    reader reports while it reads a file (``formats.progress.PageEvent``: the OCR of a scanned PDF, page by page,
    from the worker processes too), before that file's ``on_result``.
    """
    from .executors import make_executor

    started = time.perf_counter()
    limits = limits or Limits.from_env()
    jobs = os.cpu_count() or 1 if jobs is None else jobs
    db = open_db(db_path)
    summary = IngestSummary()
    writer = Writer(db, FileIndex(db, retry_errors=retry_errors), summary, bounds=group, on_result=on_result)

    pools: list[Executor] = []

    def make_pool() -> Executor:
        pools.append(executor if not isinstance(executor, str) else make_executor(executor, jobs, limits, scheduler))
        return pools[0]

    try:
        tasks = plan(paths, db_path, writer, limits=limits, force=force, on_skip=on_skip, follow_links=follow_links)
        with listening(on_page):  # the page events of the files read (``run.progress`` counts them)
            dispatch(tasks, writer, make_pool)
        writer.commit()
        refresh_pending(db)  # cited_documents and corpus findings of the keys this run (or a killed one) queued
    finally:
        try:
            for pool in pools or ([] if isinstance(executor, str) else [executor]):
                pool.close()
        finally:
            with contextlib.suppress(sqlite3.Error):  # stopped by an error or Ctrl-C: keep the whole documents
                writer.commit()  # stored so far (a document's savepoint is rolled back before an error leaves it)
            db.close()
    # localities and indicators rows a killed run did not write (or, when a derived table had other columns, all)
    refresh_derived(db_path, [] if writer.per_document else writer.stored, pending=False)
    summary.seconds = time.perf_counter() - started
    return summary
