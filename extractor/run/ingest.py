"""Batch ingest: find the files, read each one (parse → normalise → segment → extract → audit) and store it.

``process_file`` is the whole per-file job and returns a picklable :class:`~extractor.store.db.FileResult`, so it can
run anywhere (this process, a guarded worker, a Dask cluster: ``extractor.run.executors``); ``ingest`` is the single
writer that stores results one transaction per document. A file that cannot be read becomes an 'error' row with a
message; the batch goes on.

Incremental and resumable: the ``files`` table maps a path to its size, modification time and document id. A file
whose path, size and mtime are unchanged, and whose document was written by this docmine version, is skipped
without being read. Any other file is hashed; if a document with that content id was already written by this
version it is skipped too (a renamed or touched copy), otherwise it is read. Documents are committed one at a time,
so a run killed at any moment loses at most the files being read, and the next run picks up from there.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from ..errors import DocmineError, EmptyDocument
from ..formats import DESCRIPTIONS, parser_for, sniff
from ..store.db import FileResult, delete_document, open_db, pack, refresh_pending, write_result
from ..store.derive import current, insert_document_rows, refresh_derived
from ..version import __version__
from . import testpoints
from .limits import Limits, awaits_retry, check_docx_xml, check_pdf_pages, file_too_large, memory_note, near_memory_cap
from .lock import SUFFIX as LOCK_SUFFIX
from .lock import holding_lock
from .walk import SKIP_NAMES, display, iter_files, unread_id, walk  # noqa: F401 (SKIP_NAMES, iter_files: API)

if TYPE_CHECKING:
    from .executors import Executor, Task

MAX_FAILED_KEPT = 100  # the summary keeps the first failures only (memory stays flat in the number of files)


def count_files(paths: Iterable[str | Path], follow_links: bool = False) -> int:
    """How many names ingest will go through (files read, and the names it records as not read)."""
    return sum(1 for _ in walk(paths, follow_links))


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> tuple[str, bytes]:
    """sha256 of the file's bytes (read in chunks) and its first 64 KB."""
    digest = hashlib.sha256()
    head = b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            if not head:
                head = chunk[: 1 << 16]
            digest.update(chunk)
    return digest.hexdigest(), head


def read_head(path: Path) -> bytes:
    """The first 64 KB of a file (what :func:`guess_format` needs), without reading the rest."""
    with path.open("rb") as fh:
        return fh.read(1 << 16)


def guess_format(head: bytes) -> str:
    """What the leading bytes say, without opening a ZIP (for files whose reader never answered)."""
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in head else "zip"
    return sniff(head)


def _error(result: FileResult, message: str) -> FileResult:
    result.status, result.error = "error", message
    result.document = result.extraction = None
    return result


def process_file(path: str | Path, limits: Limits | None = None, *, packed: bool = False) -> FileResult:
    """Read one file completely; never raises for a bad file (the error is in the result).

    ``packed``: return the rows the store writes instead of the document and its extraction (``store.pack``), as
    the workers do: building them is then the worker's work, and they cost the single writer less to receive."""
    from ..pipeline import extract_all, prepare

    limits = limits or Limits.from_env()
    path = Path(path)
    started = time.perf_counter()
    size = path.stat().st_size
    too_large = file_too_large(size, limits)
    if too_large:  # refused before its bytes are read or hashed (a 20 GB sparse file took a minute to hash)
        return FileResult(id=unread_id(display(path.resolve()), size), path=display(path), file_name=display(path.name),
                          size=size, format=guess_format(read_head(path)), status="error",
                          error=f"{type(too_large).__name__}: {too_large}")
    data = path.read_bytes()
    result = FileResult(id=file_id(data), path=str(path), file_name=path.name, size=len(data), format=sniff(data))
    try:
        if result.format == "pdf":
            check_pdf_pages(data, limits)
        elif result.format == "docx":
            check_docx_xml(data)
        doc = parser_for(result.format)(data, str(path))
        del data
        doc.path = str(path)
        result.format = doc.format or result.format
        prepare(doc)
        if not doc.text.strip() and not doc.footnotes:
            raise EmptyDocument("The document holds no readable text.")
        result.document = doc
        result.extraction = extract_all(doc)
        if packed:
            pack(result)
    except DocmineError as err:
        _error(result, f"{type(err).__name__}: {err}")
    except MemoryError:
        _error(result, f"MemoryError: reading the file needs more than the {limits.worker_memory_mb} MB a worker "
                       "may use (DOCMINE_WORKER_MEMORY_MB, --memory-mb); not read.")
    except RecursionError:
        _error(result, "CorruptDocument: the file's structure is nested too deeply to read (damaged or built to "
                       "crash readers); not read.")
    except Exception as err:  # a bug or an unforeseen damaged file: record it, keep the batch going
        where = traceback.extract_tb(err.__traceback__)[-1]
        _error(result, f"{type(err).__name__} while reading this file "
                       f"({DESCRIPTIONS.get(result.format, result.format)}): {err} "
                       f"(at {Path(where.filename).name}:{where.lineno}); the file may be damaged — please report it.")
    if result.status == "error" and not result.error.startswith("MemoryError") and near_memory_cap(limits):
        result.error += memory_note(limits)
    result.seconds = time.perf_counter() - started
    return result


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
            self.errors += 1
            if len(self.failed) < MAX_FAILED_KEPT:
                self.failed.append((result.path, result.error or ""))


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


def _chain(first: Task, rest: Iterator[Task]) -> Iterator[Task]:
    yield first
    yield from rest


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
) -> IngestSummary:
    """Ingest files and folders into the database at ``db_path``; returns counts for the summary.

    ``jobs``: worker processes (None: one per core; 0: read in this process without limits). ``executor``:
    'process' (this machine), 'dask' (``scheduler`` address, or a LocalCluster), or an ``executors.Executor``
    instance (closed at the end). ``force``: read every file again; ``retry_errors``: read again the files that
    failed before. ``follow_links``: follow symbolic links out of the folders given (``extractor.run.walk``).
    """
    from .executors import Task, error_result, iter_results, make_executor

    started = time.perf_counter()
    limits = limits or Limits.from_env()
    jobs = os.cpu_count() or 1 if jobs is None else jobs
    db = open_db(db_path)
    index = FileIndex(db, retry_errors=retry_errors)
    per_document = current(db.conn)  # derived rows written with each document (else rebuilt at the end)
    summary = IngestSummary()
    in_flight: set[str] = set()  # content ids being read now (at most the executor's capacity)
    done_this_run: set[str] = set()  # only filled with --force, to read each content once per run
    stored: list[str] = []  # content ids written this run

    def skip(path: Path) -> None:
        summary.skipped += 1
        if on_skip:
            on_skip(path)

    db_files = {str(Path(db_path).resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal", LOCK_SUFFIX)}

    def tasks() -> Iterator[Task]:
        for entry in walk(paths, follow_links):
            path, key = entry.path, entry.key
            if key in db_files:  # the database being written, inside a folder being ingested
                continue
            try:
                st = path.stat() if entry.skip is None else path.lstat()
                if not force and index.unchanged(key, st):
                    skip(path)
                    continue
                refused = entry.skip or file_too_large(st.st_size, limits)
                if refused:  # recorded without reading (or hashing) it: a FIFO, a link out, a file over the limit
                    head = read_head(path) if entry.skip is None else b""
                    task = Task(path=str(path), id=unread_id(key, st.st_size), size=st.st_size,
                                mtime_ns=st.st_mtime_ns, format=guess_format(head) if head else "unknown", key=key)
                    store(task, error_result(task, refused))
                    continue
                digest, head = hash_file(path)
            except OSError as err:  # vanished or unreadable since it was listed: nothing to store
                summary.errors += 1
                if len(summary.failed) < MAX_FAILED_KEPT:
                    summary.failed.append((display(path), f"OSError: {err}"))
                continue
            if digest in in_flight or (digest in done_this_run if force else index.stored(digest)):
                index.record(key, st.st_size, st.st_mtime_ns, digest)
                skip(path)
                continue
            task = Task(path=str(path), id=digest, size=st.st_size, mtime_ns=st.st_mtime_ns,
                        format=guess_format(head), key=key, retry=index.awaits_retry(digest))
            in_flight.add(digest)
            yield task

    def store(task: Task, result: FileResult) -> None:
        result.path, result.file_name = display(task.path), display(Path(task.path).name)
        if result.rows is None:  # from an executor that did not pack it
            pack(result)
        with db.atomic():  # the document, its path and the removal of the version it supersedes: all or nothing
            write_result(db, result, defer_corpus=True)
            if per_document and result.status == "ok":
                insert_document_rows(db.conn, result.id, result.rows)  # its localities, indicators
            index.record(task.key, task.size, task.mtime_ns, result.id)
            testpoints.reached("inside", len(stored) + 1)
        in_flight.discard(task.id)
        stored.append(task.id)
        testpoints.reached("after", len(stored))
        if force:
            done_this_run.add(task.id)
        summary.add(result)
        if on_result:
            on_result(result)

    pool = None
    try:
        pending = tasks()
        first = next(pending, None)  # start workers only when there is something to read
        if first is not None:
            pool = executor if not isinstance(executor, str) else make_executor(executor, jobs, limits, scheduler)
            for task, result in iter_results(pool, _chain(first, pending)):
                store(task, result)
        refresh_pending(db)  # cited_documents and corpus findings of the keys this run (or a killed one) queued
    finally:
        if pool is not None:
            pool.close()
        elif not isinstance(executor, str):
            executor.close()
        db.close()
    # localities and indicators rows a killed run did not write (or, when a derived table had other columns, all)
    refresh_derived(db_path, [] if per_document else stored, pending=False)
    summary.seconds = time.perf_counter() - started
    return summary
