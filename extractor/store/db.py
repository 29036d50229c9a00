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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import regex
import sqlite_utils

from .. import __version__
from ..extract.tables import table_records
from ..model import Citation, Document, Figure, Finding
from .derive import DERIVED, create_missing, derived_rows
from .schema import FOREIGN_KEYS, FTS, INDEXES, PRIMARY_KEYS, TABLES, columns

if TYPE_CHECKING:
    from ..extract.localities import Locality

CHILD_TABLES = ("blocks", "footnotes", "citations", "figures", "findings", "tables", "table_cells", "pages")


@dataclass
class Extraction:
    """What the extractors found in one document (see ``extractor.pipeline.extract_all``)."""

    citations: list[Citation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # footnote marker -> (listed_count, claimed_count, claimed_noun)
    footnote_counts: dict[str, tuple[int | None, int | None, str | None]] = field(default_factory=dict)
    # what the derived tables say of this document, computed where it was read (derived.insert_document_rows):
    # its locality, and (indicator, matched_by) for each of ``figures``
    locality: Locality | None = None
    indicators: list[tuple[str | None, str]] | None = None


@dataclass
class Rows:
    """What ``write_result`` stores of one read document, built where the document was read (``pack``), so the
    single writer only inserts them: the workers spend the CPU of building rows, and a result of plain tuples costs
    the writer a third of the unpickling the document and extraction objects did (bench/ingest_speed.py).

    ``document``: the documents columns the document fills (the file's own, path and status, are added when it is
    written); ``tables``: child table → (column names, one tuple per row); ``keys``: the citation keys it cites;
    ``derived``: its localities and indicators rows (indicators without ``figure_id``, one per figures row in
    order; ``derived.insert_document_rows``), or None when the worker did not compute them.
    """

    document: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, tuple[tuple[str, ...], list[tuple]]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    derived: dict[str, tuple[tuple[str, ...], list[tuple]]] | None = None

    def count(self, table: str) -> int:
        return len(self.tables[table][1]) if table in self.tables else 0


class StoredResult(Protocol):
    """What the store reads of one file's result (``extractor.run.job.FileResult``, which the run stage builds): either
    a document and its extraction, or, once ``pack``-ed, the ``rows`` to store."""

    id: str
    path: str
    file_name: str
    size: int
    format: str
    status: str
    error: str | None
    document: Document | None
    extraction: Extraction | None
    rows: Rows | None


def rows_of(result: StoredResult) -> Rows:
    """The rows ``write_result`` stores for ``result`` (its ``rows`` when it was packed)."""
    if result.rows is not None:
        return result.rows
    doc, ex = result.document, result.extraction
    if doc is None:
        return Rows()
    tables = {}
    for table, dict_rows in _child_rows(result).items():
        if dict_rows:
            names = tuple(dict_rows[0])
            get = itemgetter(*names)  # every row of a child table has every column (_child_rows)
            tables[table] = (names, [get(r) for r in dict_rows])
    return Rows(
        document=_document_fields(doc), tables=tables,
        keys={c.key for c in (ex.citations if ex else []) if c.key},
        derived=derived_rows(ex) if ex else None,
    )


def pack(result: StoredResult) -> StoredResult:
    """``result`` with its rows built (``rows_of``) and its document and extraction dropped: what a worker sends
    the writer."""
    result.rows = rows_of(result)
    result.document = result.extraction = None
    return result


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) a docmine database with every table of the schema."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    existing = set(db.table_names())
    with db.atomic():
        for table in TABLES:
            cols = columns(table)
            if table in DERIVED:  # created by derived.create_missing below, with their cascading foreign keys
                continue
            if table not in existing:
                pk = PRIMARY_KEYS.get(table, "id")
                db.table(table).create(cols, pk=pk, foreign_keys=FOREIGN_KEYS.get(table, []))
                for index in INDEXES.get(table, []):
                    db.table(table).create_index(index)
            else:  # a database from an earlier version: add the columns it lacks (never drop or rename)
                have = set(db.table(table).columns_dict)
                for name, typ in cols.items():
                    if name not in have:
                        db.table(table).add_column(name, typ)
        if "meta" not in existing:
            db.table("meta").create({"key": str, "value": str}, pk="key")
        if "pending_keys" not in existing:  # citation keys whose corpus rows a running ingest has yet to recompute
            db.table("pending_keys").create({"key": str}, pk="key")
        create_missing(db.conn)
    for table, cols in FTS.items():
        if not db.table(f"{table}_fts").exists():
            db.table(table).enable_fts(cols, create_triggers=True, tokenize="unicode61 remove_diacritics 2")
        # rows are indexed by write_result, a document's at a time (_index_text): the per-row insert trigger cost
        # twice as much. The delete and update triggers stay, so a row leaves the index with the values it went in.
        db.execute(f"DROP TRIGGER IF EXISTS [{table}_ai]")
    db.table("meta").upsert({"key": "extractor_version", "value": __version__}, pk="key")


def known_ids(db: sqlite_utils.Database) -> dict[str, tuple[str, str | None]]:
    """document id -> (status, extractor_version) of every stored row."""
    return {
        row[0]: (row[1], row[2])
        for row in db.execute("select id, status, extractor_version from documents").fetchall()
    }


def _document_row(result: StoredResult, fields: dict[str, Any]) -> dict[str, Any]:
    """The documents row: the file's columns, and ``fields``, those the document fills (``_document_fields``)."""
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


def _document_fields(doc: Document) -> dict[str, Any]:
    m = doc.metadata
    return {
        "ocr": int(doc.ocr),
        "pages": doc.pages,
        "doc_type": m.doc_type,
        "number": m.number,
        "symbol": m.symbol,
        "issuer": m.issuer,
        "place": m.place,
        "issued_date": _iso(m.issued_date),
        "period": m.period,
        "period_start": _iso(m.period_start),
        "period_end": _iso(m.period_end),
        "title": m.title,
        "signer": m.signer,
        "text": doc.text,
        "footnote_count": len(doc.footnotes),
        "warnings": json.dumps(doc.warnings, ensure_ascii=False) if doc.warnings else None,
    }


def _child_rows(result: StoredResult) -> dict[str, list[dict[str, Any]]]:
    doc, ex = result.document, result.extraction or Extraction()
    if doc is None:
        return {}
    did = result.id
    rows: dict[str, list[dict[str, Any]]] = {}
    rows["blocks"] = [
        {"document_id": did, "idx": i, "kind": b.kind, "section": b.section, "page": b.page, "start": b.start,
         "end": b.end, "text": b.text, "table_index": b.table, "row": b.row, "col": b.col}
        for i, b in enumerate(doc.blocks)
    ]
    rows["footnotes"] = []
    for fn in doc.footnotes:
        listed, claimed, noun = ex.footnote_counts.get(fn.marker, (None, None, None))
        rows["footnotes"].append(
            {"document_id": did, "marker": fn.marker, "text": fn.text, "anchor_text": fn.anchor_text or None,
             "claimed_count": claimed, "claimed_noun": noun, "listed_count": listed, "position": fn.position,
             "page": fn.page, "kind": fn.kind}
        )
    rows["citations"] = [
        {"document_id": did, "doc_type": c.doc_type, "number": c.number, "symbol": c.symbol, "key": c.key,
         "issued_date": _iso(c.issued_date), "issuer": c.issuer, "subject": c.subject,
         "in_footnote": int(c.in_footnote), "footnote_marker": c.footnote_marker, "text": c.text, "start": c.start,
         "end": c.end, "section": c.section, "page": c.page, "is_list_item": int(c.is_list_item)}
        for c in ex.citations
    ]
    rows["figures"] = [
        {"document_id": did, "kind": f.kind, "value": f.value, "numerator": f.numerator,
         "denominator": f.denominator, "stated_percent": f.stated_percent, "unit": f.unit, "label": f.label,
         "text": f.text, "section": f.section, "in_footnote": int(f.in_footnote),
         "footnote_marker": f.footnote_marker, "start": f.start, "end": f.end, "page": f.page}
        for f in ex.figures
    ]
    rows["findings"] = [
        {"document_id": f.document_id or did, "kind": f.kind, "severity": f.severity, "message": f.message,
         "key": f.key, "text": f.text, "section": f.section}
        for f in ex.findings
    ]
    rows["tables"], rows["table_cells"] = table_records(doc, did)
    rows["pages"] = [
        {"document_id": did, "page": n, "has_text": _flag(info.get("has_text", not info.get("ocr_confidence"))),
         "ocr": int("ocr_confidence" in info), "ocr_confidence": info.get("ocr_confidence"),
         "deskew_angle": info.get("deskew_angle"), "ocr_words": info.get("ocr_words")}
        for n, info in sorted(doc.page_info.items())
    ]
    return rows


def _flag(value: object) -> int | None:
    return None if value is None else int(bool(value))


def write_result(db: sqlite_utils.Database, result: StoredResult, *, defer_corpus: bool = False) -> None:
    """Replace everything stored for this document in one transaction.

    The corpus-wide rows its citation keys touch (``cited_documents``, citation_date_conflict findings) are
    recomputed in the same transaction, or, with ``defer_corpus`` (what ingest does), the keys are queued in
    ``pending_keys`` in that transaction and ``refresh_pending`` recomputes them once for a whole batch: a key cited
    by every report would otherwise be recomputed from all its mentions after every report (quadratic in the run).
    """
    rows = rows_of(result)
    with db.atomic():
        stored = db.execute("select 1 from documents where id = ?", [result.id]).fetchone() is not None
        old_keys = _keys_of(db, result.id) if stored else set()
        if stored:
            delete_document(db, result.id, refresh=False)
        insert_rows(db.conn, "documents", [_document_row(result, rows.document)])  # the old row deleted above
        for table, (names, values) in rows.tables.items():
            insert_values(db.conn, table, names, values)
        _index_text(db, result.id)
        _corpus_changed(db, old_keys | rows.keys, defer_corpus)


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
    db.execute("delete from documents where id = ?", [document_id])
    if refresh:
        _corpus_changed(db, keys, defer_corpus)


def _keys_of(db: sqlite_utils.Database, document_id: str) -> set[str]:
    return {
        r[0]
        for r in db.execute(
            "select distinct key from citations where document_id = ? and key is not null", [document_id]
        ).fetchall()
    }


def refresh_cited_documents(db: sqlite_utils.Database, keys: set[str] | None = None) -> None:
    """Recompute ``cited_documents`` for ``keys`` (all keys when None) from the citations table."""
    if keys is None:
        db.execute("delete from cited_documents")
        rows = db.execute(
            "select key, document_id, doc_type, number, symbol, issued_date, issuer from citations "
            "where key is not null order by document_id, start"
        ).fetchall()
    elif not keys:
        return
    else:
        keys_json = json.dumps(sorted(keys))  # one parameter, however many keys a run touched
        db.execute("delete from cited_documents where key in (select value from json_each(?))", [keys_json])
        rows = db.execute(
            "select key, document_id, doc_type, number, symbol, issued_date, issuer from citations "
            "where key in (select value from json_each(?)) order by document_id, start",  # deterministic order
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
    insert_rows(db.conn, "cited_documents", records)  # their old rows deleted above


CORPUS_KINDS = ("citation_date_conflict",)


def refresh_corpus_findings(db: sqlite_utils.Database, keys: set[str] | None = None) -> None:
    """Recompute the findings about the whole corpus (document_id NULL) for ``keys`` (all when None): one central
    document cited with different dates by different reports."""
    from ..audit import corpus_date_conflicts

    kinds = ",".join("?" * len(CORPUS_KINDS))
    if keys is None:
        db.execute(f"delete from findings where document_id is null and kind in ({kinds})", list(CORPUS_KINDS))
        rows = db.execute("select document_id, key, issued_date from citations where key is not null").fetchall()
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
            "select document_id, key, issued_date from citations where key in (select value from json_each(?))",
            [keys_json],
        ).fetchall()
    findings = corpus_date_conflicts(rows, {})
    if not findings:
        return
    ids = sorted({r[0] for r in rows})
    names = dict(db.execute(
        "select id, coalesce(file_name, path, id) from documents where id in (select value from json_each(?))",
        [json.dumps(ids)],
    ).fetchall())
    findings = corpus_date_conflicts(rows, names)
    if findings:
        db.table("findings").insert_all(
            [{"document_id": None, "kind": f.kind, "severity": f.severity, "message": f.message, "key": f.key,
              "text": f.text, "section": f.section} for f in findings],
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
