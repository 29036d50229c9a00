"""docmine's Datasette plugin (copied into a plugins folder by ``docmine serve``): bounds on what one query may
hold in memory, and error pages that do not depend on the terminal.

- Every SQLite connection Datasette opens gets a cap on one string or blob (``SQLITE_LIMIT_LENGTH``: ``select
  zeroblob(1e9)`` or a ``group_concat`` of everything fails with "string or blob too big" instead of allocating a
  gigabyte), a 16 MB page cache, and the process a hard limit on SQLite's heap (sorts and temporary tables beyond
  it fail with "out of memory" for that query only). With the row limit (max_returned_rows) and the time limit
  (sql_time_limit_ms) set on the command line, one request holds a bounded amount of memory.
- Datasette prints every handled exception with ``rich`` (with locals): with rich 15 and an output that is not
  UTF-8 that print itself failed, and a 404 or 400 became a 500. The print is switched off: 404 and 400 pages are
  rendered as Datasette means them; an unexpected error is still printed, with the plain traceback.
"""

from __future__ import annotations

import sqlite3

import datasette.handle_exception
from datasette import hookimpl

MAX_VALUE_BYTES = 32 * 1024 * 1024  # one string or blob (a report's text is far less)
CACHE_KB = 16 * 1024  # page cache per connection
HEAP_BYTES = 256 * 1024 * 1024  # all of SQLite's memory in this process

datasette.handle_exception.rich = None


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute(f"PRAGMA cache_size = -{CACHE_KB}")
    conn.execute(f"PRAGMA hard_heap_limit = {HEAP_BYTES}")
    conn.execute(f"PRAGMA soft_heap_limit = {HEAP_BYTES // 2}")
