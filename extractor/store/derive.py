"""Derived tables: ``localities`` and ``indicators``, rebuilt from the stored documents and figures.

They hold no extraction of their own (``extractor/extract/localities.py`` and
``extractor/extract/indicators.py`` compute them from what ingest stored), so they are cheap to bring up to date
and always consistent with it: ``docmine ingest`` writes a document's rows in the transaction that stores the
document (and, at the end of a run, those a killed run left out); ``docmine serve`` and ``docmine export`` rebuild
them whole before they read the database (one written by an older docmine, or by ``store.write_result`` directly,
is then current too). Both first finish ``pending_keys``: the citation keys whose corpus-wide rows
(``cited_documents``, citation_date_conflict findings) ingest queued rather than recompute after every report.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from pathlib import Path
from typing import Any

from .schema import columns

DERIVED = ("localities", "indicators")
# derived table → its foreign keys (column, table, column); rows go when their document or figure goes
DERIVED_KEYS = {
    "localities": [("document_id", "documents", "id")],
    "indicators": [("figure_id", "figures", "id"), ("document_id", "documents", "id")],
}
BATCH = 100  # documents whose rows are computed together (memory stays flat in the size of the database)


def _create_derived(conn: sqlite3.Connection, table: str) -> None:
    types = {str: "TEXT", int: "INTEGER", float: "REAL"}
    cols = [f"[{c}] {types[t]}" for c, t in columns(table).items()]
    fks = [f"FOREIGN KEY([{c}]) REFERENCES [{t}]([{tc}]) ON DELETE CASCADE" for c, t, tc in DERIVED_KEYS[table]]
    conn.execute(f"DROP TABLE IF EXISTS [{table}]")
    conn.execute(f"CREATE TABLE [{table}] ({', '.join(cols + fks)})")
    for c, _, _ in DERIVED_KEYS[table]:
        conn.execute(f"CREATE INDEX [idx_{table}_{c}] ON [{table}]([{c}])")


def _current(conn: sqlite3.Connection, table: str) -> bool:
    """Whether ``table`` exists with the columns this docmine writes."""
    have = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
    return have == list(columns(table))


def _orphans(conn: sqlite3.Connection) -> bool:
    """Whether a derived row points at a document or figure no longer stored."""
    return any(
        conn.execute(f"SELECT 1 FROM [{table}] WHERE [{col}] NOT IN (SELECT [{pc}] FROM [{parent}]) LIMIT 1").fetchone()
        for table in DERIVED
        for col, parent, pc in DERIVED_KEYS[table]
    )


def create_missing(conn: sqlite3.Connection) -> None:
    """Create the derived tables a database lacks, empty (``store.open_db`` does, with the rest of the schema)."""
    for table in DERIVED:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
            _create_derived(conn, table)


def current(conn: sqlite3.Connection) -> bool:
    """Whether every derived table has the columns this docmine writes (when one has other columns, only a full
    ``refresh_derived`` brings it up to date)."""
    return all(_current(conn, table) for table in DERIVED)


def write_rows(conn: sqlite3.Connection, document_ids: list[str]) -> None:
    """Compute from the database and insert the derived rows of ``document_ids`` (whose rows the caller has
    deleted, or which are new), a batch of documents at a time; in the caller's transaction. ``refresh_derived``
    uses it, and ``insert_document_rows`` for a document whose worker did not compute its rows."""
    from ..extract import indicators, localities
    from .db import insert_rows

    modules = {"localities": localities, "indicators": indicators}
    for i in range(0, len(document_ids), BATCH):  # a batch of documents' texts in memory at a time
        batch = document_ids[i : i + BATCH]
        for table, module in modules.items():
            insert_rows(conn, table, module.rows(conn, batch), list(columns(table)))


def derived_rows(extraction: Any) -> dict[str, tuple[tuple[str, ...], list[tuple]]] | None:
    """A document's localities and indicators rows from what ``extract_all`` found where it was read
    (``Extraction.locality`` and ``.indicators``), without the ids the store assigns: ``document_id`` and, for
    indicators, ``figure_id`` (one row per figure, in order). None when it did not compute them."""
    if extraction.locality is None or extraction.indicators is None \
            or len(extraction.indicators) != len(extraction.figures):
        return None
    locality = extraction.locality.as_row()
    return {
        "localities": (tuple(locality), [tuple(locality.values())]),
        "indicators": (("indicator", "matched_by", "kind", "value", "unit"), [
            (name, how, f.kind, f.value, f.unit)
            for f, (name, how) in zip(extraction.figures, extraction.indicators, strict=True)
        ]),
    }


def insert_document_rows(conn: sqlite3.Connection, document_id: str,
                         rows: dict[str, tuple[tuple[str, ...], list[tuple]]] | None) -> None:
    """The derived rows of one document just stored, from ``derived_rows`` (``Rows.derived``, computed by its
    worker; ``write_rows`` computes them here from the database when they are missing). In the caller's
    transaction."""
    from .db import insert_values

    figure_ids = [r[0] for r in conn.execute("SELECT id FROM figures WHERE document_id = ? ORDER BY id",
                                             (document_id,))]
    if rows is None or len(rows["indicators"][1]) != len(figure_ids):
        write_rows(conn, [document_id])
        return
    names, values = rows["localities"]
    insert_values(conn, "localities", ("document_id", *names), [(document_id, *v) for v in values])
    names, values = rows["indicators"]
    insert_values(conn, "indicators", ("figure_id", "document_id", *names),
                  [(fid, document_id, *v) for fid, v in zip(figure_ids, values, strict=True)])


def refresh_derived(db_path: str | Path, document_ids: Collection[str] | None = None, *,
                    pending: bool = True) -> dict[str, int]:
    """``refresh_localities_indicators``, then the ``reports`` grouping (``store/reports.py``: rebuilt whole after
    every ingest, serve and export, cheap as each file's MinHash signature is kept); returns the localities and
    indicators row counts."""
    from .reports import rebuild

    counts = refresh_localities_indicators(db_path, document_ids, pending=pending)
    rebuild(db_path)
    return counts


def refresh_localities_indicators(db_path: str | Path, document_ids: Collection[str] | None = None, *,
                                  pending: bool = True) -> dict[str, int]:
    """Bring ``localities`` and ``indicators`` up to date with the stored documents and figures; returns their row
    counts.

    ``document_ids=None`` rebuilds both tables from every document. With ``document_ids``, only those documents'
    rows, and those of readable documents that have none yet (written by an older docmine, or by
    ``store.write_result`` without ingest), are computed again and rows of documents no longer stored are dropped;
    the rest are kept, so the cost follows the run, not the database (a full rebuild happens anyway when a table is
    missing or has other columns). Either way in one transaction: a failure or a kill leaves the old rows.

    ``pending``: first bring the schema up to date (``store.open_db``) and finish the citation keys ingest runs
    queued (``store.refresh_pending``); ingest, which has just done both on its own connection, says False.
    """
    from .db import open_db, refresh_pending

    if pending:
        db = open_db(db_path)  # the schema (and an older database's missing columns) first
        try:  # and the corpus rows of citation keys an ingest run queued (pending_keys), killed runs' included
            refresh_pending(db)
        finally:
            db.close()
    conn = sqlite3.connect(str(db_path), isolation_level=None)  # transactions explicit: DDL included
    try:
        if document_ids is not None and not all(_current(conn, table) for table in DERIVED):
            document_ids = None
        full = document_ids is None
        if full:
            ids = sorted(r[0] for r in conn.execute("SELECT id FROM documents"))
        else:  # and readable documents without rows yet
            missing = conn.execute("SELECT id FROM documents WHERE status = 'ok' AND id NOT IN "
                                   "(SELECT document_id FROM localities)").fetchall()
            ids = sorted(set(document_ids) | {r[0] for r in missing})
            if not ids and not _orphans(conn):  # nothing to do: no transaction, no checkpoint
                return {table: conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0] for table in DERIVED}
        conn.execute("BEGIN IMMEDIATE")  # both tables changed at once, or neither
        try:
            for table in DERIVED:
                if full:
                    _create_derived(conn, table)
                    continue
                conn.execute(f"DELETE FROM [{table}] WHERE document_id IN (SELECT value FROM json_each(?))",
                             (json.dumps(ids),))
                for col, parent, parent_col in DERIVED_KEYS[table]:  # rows whose document or figure is gone
                    conn.execute(f"DELETE FROM [{table}] WHERE [{col}] NOT IN (SELECT [{parent_col}] FROM [{parent}])")
            write_rows(conn, ids)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        counts = {table: conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0] for table in DERIVED}
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL folded back: a copy of the file alone is whole
    finally:
        conn.close()
    return counts


__all__ = ["DERIVED", "DERIVED_KEYS", "create_missing", "current", "insert_document_rows", "refresh_derived",
           "refresh_localities_indicators", "write_rows"]
