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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..extract.indicators import classify
from ..extract.localities import locate
from ..model import TableRows
from .db import insert_rows, insert_values, open_db, refresh_pending
from .rows import indicator_values
from .schema import DERIVED, DERIVED_KEYS, columns, create_derived, create_missing, current, derived_current

BATCH = 100  # documents whose rows are computed together (memory stays flat in the size of the database)


def _orphans(conn: sqlite3.Connection) -> bool:
    """Whether a derived row points at a document or figure no longer stored."""
    return any(
        conn.execute(f"SELECT 1 FROM [{table}] WHERE [{col}] NOT IN (SELECT [{pc}] FROM [{parent}]) LIMIT 1").fetchone()
        for table in DERIVED
        for col, parent, pc in DERIVED_KEYS[table]
    )


def locality_rows(conn: sqlite3.Connection, document_ids: Collection[str] | None = None) -> list[dict[str, Any]]:
    """One ``localities`` row per readable document (only ``document_ids`` when given), from its stored metadata
    and text (``extract.localities.locate``)."""
    sql = "select id, issuer, place, title, text from documents where status = 'ok'"
    params: tuple = ()
    if document_ids is not None:
        sql += " and id in (select value from json_each(?))"
        params = (json.dumps(sorted(document_ids)),)
    return [{"document_id": did, **locate(issuer, place, title, text).as_row()}
            for did, issuer, place, title, text in conn.execute(sql, params).fetchall()]


def write_rows(conn: sqlite3.Connection, document_ids: list[str]) -> None:
    """Compute from the database and insert the derived rows of ``document_ids`` (whose rows the caller has
    deleted, or which are new), a batch of documents at a time; in the caller's transaction. ``refresh_derived``
    uses it, and ``insert_document_rows`` for a document whose worker did not compute its rows."""
    computes = {"localities": locality_rows, "indicators": indicator_rows}
    for i in range(0, len(document_ids), BATCH):  # a batch of documents' texts in memory at a time
        batch = document_ids[i : i + BATCH]
        for table, rows_for in computes.items():
            insert_rows(conn, table, rows_for(conn, batch), list(columns(table)))



@dataclass
class _StoredFigure:
    """A figures row as ``extract.indicators.classify`` reads it."""

    id: int
    kind: str
    value: float | None
    unit: str | None
    label: str | None
    text: str | None
    start: int | None
    end: int | None
    in_footnote: int | None
    footnote_marker: str | None


def indicator_rows(conn: sqlite3.Connection, document_ids: Collection[str]) -> list[dict[str, Any]]:
    """One ``indicators`` row per figure of ``document_ids``, classified from the stored figures, the document's
    text and its footnotes' texts (figures in footnotes are read in their footnote)."""
    params = (json.dumps(sorted(document_ids)),)
    texts = dict(conn.execute("SELECT id, text FROM documents WHERE status = 'ok' "
                              "AND id IN (SELECT value FROM json_each(?))", params).fetchall())
    notes: dict[str, dict[str, str]] = {}
    for d, m, t in conn.execute("SELECT document_id, marker, text FROM footnotes "
                                "WHERE document_id IN (SELECT value FROM json_each(?))", params):
        notes.setdefault(d, {})[m] = t
    by_document: dict[str, list[_StoredFigure]] = {}
    for r in conn.execute(
        "SELECT document_id, id, kind, value, unit, label, text, start, [end], in_footnote, footnote_marker "
        "FROM figures WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY id", params,
    ):
        by_document.setdefault(r[0], []).append(_StoredFigure(*r[1:]))
    out = []
    for did, figures in by_document.items():
        for f, m in zip(figures, classify(figures, texts.get(did), notes.get(did, {})), strict=True):
            out.append({"figure_id": f.id, "document_id": did, **indicator_values(f, m)})
    return out


def insert_document_rows(conn: sqlite3.Connection, document_id: str, rows: TableRows | None) -> None:
    """The derived rows of one document just stored, from its rows (``FileResult.rows``: the ``localities`` and
    ``indicators`` entries ``store.rows.derived_rows`` made where it was read; ``write_rows`` computes them here
    from the database when they are missing). In the caller's transaction."""
    figure_ids = [r[0] for r in conn.execute("SELECT id FROM figures WHERE document_id = ? ORDER BY id",
                                             (document_id,))]
    if not rows or "indicators" not in rows or len(rows["indicators"][1]) != len(figure_ids):
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
    rebuild(db_path, schema=pending)  # pending=False: the caller (ingest) has just opened it with store.open_db
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
    if pending:
        db = open_db(db_path)  # the schema (and an older database's missing columns) first
        try:  # and the corpus rows of citation keys an ingest run queued (pending_keys), killed runs' included
            refresh_pending(db)
        finally:
            db.close()
    conn = sqlite3.connect(str(db_path), isolation_level=None)  # transactions explicit: DDL included
    try:
        if document_ids is not None and not current(conn):
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
                    create_derived(conn, table)
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


__all__ = ["DERIVED", "DERIVED_KEYS", "create_missing", "current", "derived_current", "insert_document_rows",
           "locality_rows", "refresh_derived",
           "refresh_localities_indicators", "write_rows"]
