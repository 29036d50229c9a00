"""One writer per database: ``docmine ingest`` takes an exclusive lock on ``<db>.lock`` for its whole run.

A second ingest on the same database waits for the first to finish (it says so once, in Vietnamese and English),
then goes on: the files the first stored are unchanged and skipped. Two writers never interleave, so neither
meets "database is locked" and no document is lost. The lock is ``flock`` on a side file (not on the database:
closing any other descriptor of the database file would drop SQLite's own POSIX locks); the kernel releases it
when the holder exits, even killed, so a stale lock file never blocks. Where the filesystem has no ``flock``
(some network mounts) the run goes on unlocked, with a warning.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from ..errors import StorageError

T = TypeVar("T")

SUFFIX = ".lock"


def lock_path(db_path: str | Path) -> Path:
    return Path(str(db_path) + SUFFIX)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def waiting_message(db_path: str | Path, holder: str) -> str:
    who = f" (tiến trình/process {holder})" if holder else ""
    return (f"docmine: một lệnh ingest khác{who} đang ghi vào {db_path}; chờ lệnh đó xong rồi tiếp tục… / "
            f"another ingest{who} is writing {db_path}; waiting for it to finish, then going on…")


@contextlib.contextmanager
def ingest_lock(db_path: str | Path, on_wait: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the database's ingest lock for the ``with`` block, waiting for another holder first."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as err:  # a read-only folder: the database cannot be written either, which open_db reports
        on_wait(f"docmine: không tạo được tệp khóa / cannot create the lock file {path} ({err.strerror}); "
                "going on without it")
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            on_wait(waiting_message(db_path, holder))
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as err:  # ENOLCK: no flock on this filesystem
            on_wait(f"docmine: không khóa được / cannot lock {path} ({err.strerror}); going on without the lock")
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def storage_error(err: Exception, db_path: str | Path) -> StorageError:
    """One clear message for an operating-system or SQLite error met while writing the database."""
    detail = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    full = (isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT)) or "full" in detail.lower()
    if full:
        what = "Ổ đĩa đầy / the disk is full"
    elif isinstance(err, OSError):
        what = "Lỗi hệ thống / an operating-system error"
    else:
        what = "Lỗi ghi cơ sở dữ liệu / the database could not be written"
    where = f" ({err.filename})" if isinstance(err, OSError) and err.filename else ""
    return StorageError(
        f"{what}: {detail}{where} while writing {db_path}. The run stopped; what was committed before stays and the "
        "document being written was rolled back. "
        + ("Free some space, then run the same ingest again: it goes on where it stopped."
           if full else "Fix the cause, then run the same ingest again: it goes on where it stopped.")
    )


# SQLite errors of the file or the disk (not of docmine's own SQL: IntegrityError, ProgrammingError are bugs)
_STORAGE = (sqlite3.OperationalError, sqlite3.DatabaseError)
_NOT_STORAGE = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)


def is_storage_error(err: BaseException) -> bool:
    """Whether ``err`` is the disk's or the database file's (disk full, an I/O error), not docmine's own: the run
    stops on it (``holding_lock``), instead of recording the document it met as not stored."""
    return isinstance(err, OSError) or (isinstance(err, _STORAGE) and not isinstance(err, _NOT_STORAGE))


def holding_lock(func: Callable[..., T]) -> Callable[..., T]:
    """Decorate a function whose second argument is the database path: it runs holding that database's lock, and
    an OS or SQLite storage error it meets (disk full) becomes a :class:`StorageError` with one clear message."""

    @functools.wraps(func)
    def locked(paths, db_path, *args, **kwargs):
        with ingest_lock(db_path):
            try:
                return func(paths, db_path, *args, **kwargs)
            except (*_NOT_STORAGE, FileNotFoundError):  # (a missing input: the caller's to report)
                raise
            except (OSError, *_STORAGE) as err:
                raise storage_error(err, db_path) from err

    return locked
