"""The SQLite store (design/schema.md), written with sqlite-utils.

One transaction per document: its row and all its child rows (blocks, footnotes, citations, figures, findings) are
replaced together, and the corpus-wide ``cited_documents`` rows for the keys it touches are recomputed in the same
transaction, so an interrupted run never leaves half a document and re-ingesting the same bytes never duplicates.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import regex
import sqlite_utils

from ..model import Extraction, FileResult
from ..prepare.similarity import d_words, folded_tokens
from ..version import __version__
from .rows import DOCUMENTS, MINHASH, citation_keys, pack, rows_of
from .schema import (
    CORPUS_FTS,
    DERIVED,
    FOREIGN_KEYS,
    FTS,
    INDEXES,
    MINHASHES,
    PRIMARY_KEYS,
    REFERENCES,
    TABLES,
    columns,
    create_missing,
    create_report_tables,
)

CHILD_TABLES = ("blocks", "footnotes", "citations", "figures", "findings", "tables", "table_cells", "pages",
                "signatures")


def open_db(path: str | Path, *, schema: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) a docmine database with every table of the schema; ``schema=False``: one whose
    schema was brought up to date by this process just before (ingest, then its reports rebuild), without checking
    every table again."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    if schema:
        ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    existing = set(db.table_names())
    with db.atomic():
        for table in TABLES:
            cols = columns(table)
            if table in DERIVED or table == "reports":  # created by schema.create_missing and
                continue  # reports.create_tables below, with their foreign keys' actions
            if table not in existing:
                pk = PRIMARY_KEYS.get(table, "id")
                db.table(table).create({c: t for c, t in cols.items() if (table, c) not in REFERENCES}, pk=pk,
                                       foreign_keys=FOREIGN_KEYS.get(table, []))
                for index in INDEXES.get(table, []):
                    db.table(table).create_index(index)
            # a database from an earlier version (and the REFERENCES columns of a new one): add the columns it
            # lacks (never drop or rename)
            have = set(db.table(table).columns_dict)
            for name, typ in cols.items():
                if name in have:
                    continue
                if (table, name) in REFERENCES:  # with its foreign key, so Datasette labels and links it
                    parent, parent_col = REFERENCES[(table, name)]
                    db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{name}] TEXT REFERENCES [{parent}]([{parent_col}])")
                    db.execute(f"CREATE INDEX IF NOT EXISTS [idx_{table}_{name}] ON [{table}]([{name}])")
                else:
                    db.table(table).add_column(name, typ)
        if "meta" not in existing:
            db.table("meta").create({"key": str, "value": str}, pk="key")
        if "pending_keys" not in existing:  # citation keys whose corpus rows a running ingest has yet to recompute
            db.table("pending_keys").create({"key": str}, pk="key")
        create_missing(db.conn)
        create_report_tables(db.conn)
    for table, cols in {**FTS, **CORPUS_FTS}.items():
        _ensure_fts(db, table, cols)
        if table in FTS:
            # rows are indexed by write_result, a document's at a time (_index_text): the per-row insert trigger
            # cost twice as much. The delete and update triggers stay, so a row leaves the index with the values it
            # went in.
            db.execute(f"DROP TRIGGER IF EXISTS [{table}_ai]")
    db.table("meta").upsert({"key": "extractor_version", "value": __version__}, pk="key")


# table -> the columns its search_words come from (the đ-words, folded: prepare.similarity.d_words)
SEARCH_SOURCES = {"documents": ("title", "text"), "footnotes": ("text",), "citations": ("text", "subject"),
                  "cited_documents": ("key", "doc_type", "issuer")}


def cited_search_words(*values: str | None) -> str:
    """cited_documents.search_words: every word of the key, type and issuer folded ("06/QĐ-TTg" → "06 qd ttg")."""
    return " ".join(folded_tokens(" ".join(v for v in values if v)))


def _ensure_fts(db: sqlite_utils.Database, table: str, cols: list[str]) -> None:
    """The full-text index of ``table`` over ``cols`` (unicode61, diacritics removed). An index over other columns
    (a database from before search_words) is dropped, the rows' search_words filled, and the index built again.
    The update trigger fires only when an indexed column changes (report_id, duplicate_of and name are rewritten
    by every reports rebuild without re-indexing the text)."""
    fts = f"{table}_fts"
    if db.table(fts).exists() and [c for c in db.table(fts).columns_dict] != cols:
        db.table(table).disable_fts()
    if not db.table(fts).exists():
        sources = SEARCH_SOURCES[table]
        words = cited_search_words if table in CORPUS_FTS else d_words
        names = ", ".join(f"[{c}]" for c in sources)
        with db.atomic():
            for rowid, *values in db.execute(f"SELECT rowid, {names} FROM [{table}] WHERE search_words IS NULL"
                                             ).fetchall():
                db.execute(f"UPDATE [{table}] SET search_words = ? WHERE rowid = ?", [words(*values), rowid])
        db.table(table).enable_fts(cols, create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    names = ", ".join(f'"{c}"' for c in cols)
    old = ", ".join(f'old."{c}"' for c in cols)
    new = ", ".join(f'new."{c}"' for c in cols)
    db.execute(f"DROP TRIGGER IF EXISTS [{table}_au]")
    db.execute(f'CREATE TRIGGER [{table}_au] AFTER UPDATE OF {names} ON [{table}] BEGIN\n'
               f'  INSERT INTO [{fts}] ([{fts}], rowid, {names}) VALUES(\'delete\', old.rowid, {old});\n'
               f'  INSERT INTO [{fts}] (rowid, {names}) VALUES (new.rowid, {new});\nEND')


def _document_row(result: FileResult, fields: dict[str, Any]) -> dict[str, Any]:
    """The documents row: the file's columns, and ``fields``, those the document fills (``rows.document_fields``)."""
    return {
        "id": result.id,
        "path": result.path,
        "file_name": result.file_name,
        "format": result.format,
        "status": result.status,
        "error": result.error,
        "size": result.size,
        "extractor_version": __version__,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "ocr": 0,
        "footnote_count": 0,
        **fields,
    }


def write_result(db: sqlite_utils.Database, result: FileResult, *, defer_corpus: bool = False) -> None:
    """Replace everything stored for this document in one transaction.

    The corpus-wide rows its citation keys touch (``cited_documents``, citation_date_conflict findings) are
    recomputed in the same transaction, or, with ``defer_corpus`` (what ingest does), the keys are queued in
    ``pending_keys`` in that transaction and ``refresh_pending`` recomputes them once for a whole batch: a key cited
    by every report would otherwise be recomputed from all its mentions after every report (quadratic in the run).
    """
    rows = rows_of(result)
    names, values = rows.get(DOCUMENTS, ((), [()]))
    fields = dict(zip(names, values[0], strict=True))
    with db.atomic():
        stored = db.execute("select 1 from documents where id = ?", [result.id]).fetchone() is not None
        old_keys = _keys_of(db, result.id) if stored else set()
        if stored:
            delete_document(db, result.id, refresh=False)
        document = _document_row(result, fields)
        insert_rows(db.conn, "documents", [document])  # the old row deleted above
        for table, (names, values) in rows.items():
            if table not in (DOCUMENTS, MINHASH) and table not in DERIVED:  # derived rows:
                insert_values(db.conn, table, names, values)  # store.derive.insert_document_rows
        if MINHASH in rows:  # the signature its worker computed, current for this ingested_at (store/reports.py)
            insert_values(db.conn, MINHASHES, ("document_id", "ingested_at", "signature"),
                          [(result.id, document["ingested_at"], *rows[MINHASH][1][0])])
        _index_text(db, result.id)
        _corpus_changed(db, old_keys | citation_keys(rows), defer_corpus)


def _index_text(db: sqlite_utils.Database, document_id: str) -> None:
    """Add a document's rows to the full-text indexes (in the transaction that wrote them)."""
    for table, cols in FTS.items():
        names = ", ".join(f"[{c}]" for c in cols)
        key = "id" if table == "documents" else "document_id"
        db.execute(f"INSERT INTO [{table}_fts] (rowid, {names}) SELECT rowid, {names} FROM [{table}] WHERE [{key}] = ?",
                   [document_id])


def _corpus_changed(db: sqlite_utils.Database, keys: set[str], defer: bool) -> None:
    if defer:
        db.conn.executemany("INSERT OR IGNORE INTO pending_keys (key) VALUES (?)", [(k,) for k in sorted(keys)])
    else:
        refresh_cited_documents(db, keys)
        refresh_corpus_findings(db, keys)


def refresh_pending(db: sqlite_utils.Database) -> int:
    """Recompute ``cited_documents`` and the corpus findings for the keys queued by ``write_result(...,
    defer_corpus=True)`` and empty the queue, in one transaction; returns how many keys. A run killed before this
    leaves its keys queued, and the next run's call finishes them."""
    with db.atomic():
        keys = {r[0] for r in db.execute("select key from pending_keys").fetchall()}
        if keys:
            refresh_cited_documents(db, keys)
            refresh_corpus_findings(db, keys)
            db.execute("delete from pending_keys")
    return len(keys)


def insert_rows(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]],
                names: list[str] | None = None) -> None:
    """Rows of one table as dicts (``insert_values``): ``names`` are the columns written (by default the keys of
    the first row; a row lacking one writes NULL)."""
    if rows:
        names = names or list(rows[0])
        insert_values(conn, table, names, [[r.get(n) for n in names] for r in rows])


def insert_values(conn: sqlite3.Connection, table: str, names: Sequence[str], values: list[Sequence]) -> None:
    """Rows of one table, each a sequence of values for ``names``, through one prepared INSERT (sqlite3
    ``executemany``), in the caller's transaction.

    Every table's rows go in this way (documents, child and derived rows): they are plain scalars, and sqlite-utils'
    ``insert_all`` would inspect and convert every value in Python first, which was half of the store stage's time
    on a PDF report (bench/stage_profile.py, bench/ingest_speed.py).
    """
    if values:
        conn.executemany(
            f"INSERT INTO [{table}] ({', '.join(f'[{n}]' for n in names)}) VALUES ({', '.join('?' * len(names))})",
            values,
        )


def delete_document(db: sqlite_utils.Database, document_id: str, refresh: bool = True,
                    defer_corpus: bool = False) -> None:
    """Delete a document and its rows; ``refresh``: recompute (or with ``defer_corpus``, queue) its keys' corpus
    rows."""
    keys = _keys_of(db, document_id) if refresh else set()
    tables = set(db.table_names())
    for table in CHILD_TABLES:
        if table in tables:
            db.execute(f"delete from [{table}] where document_id = ?", [document_id])
    db.execute("update documents set duplicate_of = null where duplicate_of = ?", [document_id])  # until the
    db.execute("delete from documents where id = ?", [document_id])  # reports rebuild names a new best source
    if refresh:
        _corpus_changed(db, keys, defer_corpus)


def _keys_of(db: sqlite_utils.Database, document_id: str) -> set[str]:
    return {
        r[0]
        for r in db.execute(
            "select distinct key from citations where document_id = ? and key is not null", [document_id]
        ).fetchall()
    }


# citations (and other child rows) of a report's best source only: a file that duplicates another adds nothing
BEST_SOURCE = "document_id not in (select id from documents where duplicate_of is not null)"


def refresh_cited_documents(db: sqlite_utils.Database, keys: set[str] | None = None) -> None:
    """Recompute ``cited_documents`` for ``keys`` (all keys when None) from the citations table."""
    if keys is None:
        db.execute("delete from cited_documents")
        rows = db.execute(
            "select key, document_id, doc_type, number, symbol, issued_date, issuer from citations "
            f"where key is not null and {BEST_SOURCE} order by document_id, start"
        ).fetchall()
    elif not keys:
        return
    else:
        keys_json = json.dumps(sorted(keys))  # one parameter, however many keys a run touched
        db.execute("delete from cited_documents where key in (select value from json_each(?))", [keys_json])
        rows = db.execute(
            "select key, document_id, doc_type, number, symbol, issued_date, issuer from citations "
            f"where key in (select value from json_each(?)) and {BEST_SOURCE} "
            "order by document_id, start",  # deterministic order
            [keys_json],
        ).fetchall()
    by_key: dict[str, list[tuple]] = {}
    for row in rows:
        by_key.setdefault(row[0], []).append(row[1:])
    records = []
    for key, mentions in sorted(by_key.items()):
        dates = Counter(r[4] for r in mentions if r[4])
        types = Counter(r[1] for r in mentions if r[1])
        issuers = Counter(r[5] for r in mentions if r[5])
        records.append({
            "key": key,
            "doc_type": types.most_common(1)[0][0] if types else None,
            "number": next((r[2] for r in mentions if r[2]), None),
            "symbol": next((r[3] for r in mentions if r[3]), None),
            "issued_date": _most_common(dates),
            "dates": json.dumps(sorted(dates)),
            "issuer": issuers.most_common(1)[0][0] if issuers else None,
            "mentions": len(mentions),
            "documents": len({r[0] for r in mentions}),
        })
        records[-1]["search_words"] = cited_search_words(key, records[-1]["doc_type"], records[-1]["issuer"])
    insert_rows(db.conn, "cited_documents", records)  # their old rows deleted above


CORPUS_KINDS = ("citation_date_conflict",)


def refresh_corpus_findings(db: sqlite_utils.Database, keys: set[str] | None = None) -> None:
    """Recompute the findings about the whole corpus (document_id NULL) for ``keys`` (all when None): one central
    document cited with different dates by different reports."""
    from ..audit import corpus_date_conflicts

    kinds = ",".join("?" * len(CORPUS_KINDS))
    if keys is None:
        db.execute(f"delete from findings where document_id is null and kind in ({kinds})", list(CORPUS_KINDS))
        rows = db.execute("select document_id, key, issued_date, issuer from citations where key is not null "
                          f"and {BEST_SOURCE}").fetchall()
    else:
        if not keys:
            return
        keys_json = json.dumps(sorted(keys))
        db.execute(
            f"delete from findings where document_id is null and kind in ({kinds}) "
            "and key in (select value from json_each(?))",
            [*CORPUS_KINDS, keys_json],
        )
        rows = db.execute(
            "select document_id, key, issued_date, issuer from citations where key in (select value from json_each(?)) "
            f"and {BEST_SOURCE}",
            [keys_json],
        ).fetchall()
    ids = sorted({r[0] for r in rows})
    places = {r[0]: (r[1], r[2], r[3]) for r in db.execute(  # local documents compare within their place
        "select document_id, commune, district, province from localities "
        "where document_id in (select value from json_each(?))", [json.dumps(ids)]).fetchall()} \
        if db["localities"].exists() else {}
    findings = corpus_date_conflicts(rows, {}, places)
    if not findings:
        return
    names = dict(db.execute(
        "select id, coalesce(file_name, path, id) from documents where id in (select value from json_each(?))",
        [json.dumps(ids)],
    ).fetchall())
    findings = corpus_date_conflicts(rows, names, places)
    if findings:
        from .rows import finding_extra

        db.table("findings").insert_all(
            [{"document_id": None, "kind": f.kind, "severity": f.severity, "message": f.message, "key": f.key,
              "text": f.text, "section": f.section, **finding_extra(f)} for f in findings],
            alter=True,
        )


def _most_common(counter: Counter) -> str | None:
    if not counter:
        return None
    # most mentions first; ties go to the earliest date (deterministic)
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


_WORD = regex.compile(r"[\p{L}\p{N}]")  # a character the FTS tokenizer keeps


def integrity_problems(path: str | Path) -> list[str]:
    """SQLite's own integrity check plus docmine's: no child row without its document, every row with words in its
    full-text index and no index entry left of a deleted row."""
    conn = sqlite3.connect(str(path))
    try:
        problems = [r[0] for r in conn.execute("pragma integrity_check").fetchall() if r[0] != "ok"]
        for table in CHILD_TABLES:
            n = conn.execute(
                f"select count(*) from [{table}] where document_id is not null and document_id not in "
                "(select id from documents)"
            ).fetchone()[0]
            if n:
                problems.append(f"{n} {table} rows without their document")
        problems += _fts_problems(conn)
    finally:
        conn.close()
    return problems


def _fts_problems(conn: sqlite3.Connection) -> list[str]:
    """Rows missing from, or gone but still in, the full-text indexes (read from the index itself: fts5vocab)."""
    problems = []
    for table, cols in FTS.items():
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [f"{table}_fts"]).fetchone():
            continue
        conn.execute(f"CREATE VIRTUAL TABLE temp.[{table}_fts_check] USING fts5vocab(main, [{table}_fts], instance)")
        try:
            indexed = {r[0] for r in conn.execute(f"SELECT DISTINCT doc FROM temp.[{table}_fts_check]")}
        finally:
            conn.execute(f"DROP TABLE temp.[{table}_fts_check]")
        names = ", ".join(f"[{c}]" for c in cols)
        worded = {r[0] for r in conn.execute(f"SELECT rowid, {names} FROM [{table}]")
                  if any(v and _WORD.search(str(v)) for v in r[1:])}
        if worded - indexed:
            problems.append(f"{len(worded - indexed)} {table} rows missing from {table}_fts")
        stored = {r[0] for r in conn.execute(f"SELECT rowid FROM [{table}]")}
        if indexed - stored:
            problems.append(f"{len(indexed - stored)} deleted {table} rows still in {table}_fts")
    return problems


__all__ = ["CHILD_TABLES", "Extraction", "FileResult", "delete_document", "ensure_schema", "insert_rows",
           "insert_values", "integrity_problems", "open_db", "pack", "refresh_cited_documents",
           "refresh_corpus_findings", "refresh_pending", "rows_of", "write_result"]
