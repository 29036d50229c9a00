"""Read-only questions the command line and the exports ask a docmine database: the SQL lives here, the display in
``extractor/cli.py`` (rows are plain dicts, so any display can take them).

``check_database`` tells a docmine database from anything else before a command touches it; every other function
takes an open ``sqlite3.Connection`` (``connect_readonly``).
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path
from typing import Any

import yaml

from ..resources import PACKAGE

SQLITE_MAGIC = b"SQLite format 3\x00"
PACK = PACKAGE / "data" / "audit_pack.yaml"  # the canned queries (and Datasette's display settings), as shipped


class NotADocmineDatabase(Exception):
    """The file exists but is not a docmine database. ``reason`` is 'not_sqlite' or 'no_documents_table'."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = Path(path), reason


def check_database(path: str | Path, *, may_be_new: bool = False) -> None:
    """Raise ``NotADocmineDatabase`` unless ``path`` is a docmine database. With ``may_be_new`` (ingest), a missing
    or empty file, or an SQLite file with no tables yet, is fine: ingest creates the tables."""
    path = Path(path)
    if may_be_new and (not path.exists() or path.stat().st_size == 0):
        return
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise NotADocmineDatabase(path, "not_sqlite")
    conn = connect_readonly(path)
    try:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    except sqlite3.DatabaseError:
        raise NotADocmineDatabase(path, "not_sqlite") from None
    finally:
        conn.close()
    if "documents" not in names and not (may_be_new and not names):
        raise NotADocmineDatabase(path, "no_documents_table")


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (nothing a query does can change the file); rows come back as ``sqlite3.Row``."""
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"pragma table_info([{table}])")}


def report_name_sql(conn: sqlite3.Connection, alias: str = "d") -> str:
    """The SQL expression naming a document for a person: ``documents.name`` where the database has that column,
    else its type, number and symbol, date and issuer ("Báo cáo 154/BC-CAT-QLHC, 15/06/2023 — Công an tỉnh Tuyên
    Quang"), else
    its file name. The date is dd/mm/yyyy, as Vietnamese documents write it."""
    a = alias
    composed = (f"case when coalesce({a}.number, {a}.symbol, {a}.issued_date, {a}.issuer) is null then null else "
                f"nullif(trim(coalesce({a}.doc_type, '') || coalesce(' ' || {a}.number || '/' || {a}.symbol, "
                f"' ' || {a}.symbol, ' số ' || {a}.number, '') || coalesce(', ' || substr({a}.issued_date, 9, 2) || "
                f"'/' || substr({a}.issued_date, 6, 2) || '/' || substr({a}.issued_date, 1, 4), '') || "
                f"coalesce(' — ' || {a}.issuer, '')), '') end")
    parts = [f"{alias}.name"] if "name" in _columns(conn, "documents") else []
    return f"coalesce({', '.join([*parts, composed, f'{alias}.file_name', f'{alias}.id'])})"


def document_labels(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Every document id → its report's name and type and the file's name (for exports: beside every
    ``document_id``). The name is the ``reports`` row's (one name for the Word draft, the signed PDF and the scan of
    one report) where the database groups files into reports, else the document's own (``report_name_sql``)."""
    own = report_name_sql(conn)
    if "reports" in _tables(conn) and "report_id" in _columns(conn, "documents"):
        sql = (f"select d.id, coalesce(r.name, {own}) as report, coalesce(r.doc_type, d.doc_type) as report_type, "
               "d.file_name from documents d left join reports r on r.id = d.report_id")
    else:
        sql = f"select d.id, {own} as report, d.doc_type as report_type, d.file_name from documents d"
    return {r["id"]: {k: r[k] for k in ("report", "report_type", "file_name")} for r in conn.execute(sql)}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}


@functools.cache
def audit_pack() -> dict[str, Any]:
    """The audit pack as shipped (``extractor/data/audit_pack.yaml``): Datasette's display settings and the canned
    queries (``queries``: name → title, description, sql, optional chart), the one place their SQL lives."""
    return yaml.safe_load(PACK.read_text(encoding="utf-8"))


class _Blank(dict):
    """Query parameters where every parameter not given is '' (as Datasette passes an empty form field), so a canned
    query falls back to its own default ("coalesce(nullif(:indicator, ''), 'cccd.applications')")."""

    def __missing__(self, key: str) -> str:
        return ""


def canned_query(conn: sqlite3.Connection, name: str,
                 params: dict[str, str] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run the canned query ``name`` of the audit pack: its column names and rows. Parameters not in ``params`` are
    empty, so each query shows what its Datasette page shows when first opened."""
    cur = conn.execute(audit_pack()["queries"][name]["sql"], _Blank(params or {}))
    return [c[0] for c in cur.description], [tuple(r) for r in cur.fetchall()]


def finding_kinds_stored(conn: sqlite3.Connection) -> list[str]:
    """The kinds of finding present in the database."""
    return [r[0] for r in conn.execute("select distinct kind from findings where kind is not null order by kind")]


def findings(conn: sqlite3.Connection, kinds: list[str] | None = None) -> list[dict[str, Any]]:
    """Every finding with its report's name (NULL for a finding about the whole corpus), worst first."""
    sql = (f"select f.document_id, case when d.id is null then null else {report_name_sql(conn)} end as report, "
           "d.file_name, f.kind, f.severity, f.section, f.message, f.key, f.text from findings f "
           "left join documents d on d.id = f.document_id")
    params: list[str] = []
    if kinds:
        sql += f" where f.kind in ({','.join('?' * len(kinds))})"
        params = list(kinds)
    sql += " order by f.document_id is not null, report, f.severity = 'error' desc, f.kind, f.section, f.id"
    return [dict(r) for r in conn.execute(sql, params)]


def match_documents(conn: sqlite3.Connection, text: str) -> list[str]:
    """Ids of the documents whose id, file name or report name contains ``text`` (case-insensitive)."""
    like = f"%{text}%"
    sql = (f"select d.id from documents d where d.id like ? or d.file_name like ? or {report_name_sql(conn)} like ? "
           "order by d.file_name")
    return [r[0] for r in conn.execute(sql, [like, like, like])]


def citations(conn: sqlite3.Connection, document_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Stored citations in reading order, each with its report's name."""
    sql = (f"select c.document_id, {report_name_sql(conn)} as report, d.file_name, c.in_footnote, c.footnote_marker, "
           "c.is_list_item, c.section, c.doc_type, c.key, c.issued_date, c.issuer, c.subject, c.text "
           "from citations c join documents d on d.id = c.document_id")
    params: list[str] = []
    if document_ids is not None:
        sql += f" where c.document_id in ({','.join('?' * len(document_ids))})"
        params = list(document_ids)
    sql += " order by d.file_name, c.document_id, c.in_footnote, c.id"
    return [dict(r) for r in conn.execute(sql, params)]


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    """What the database holds: documents (ok / error) and their footnotes, citations, figures and findings."""
    row = conn.execute(
        "select count(*), coalesce(sum(status = 'ok'), 0), coalesce(sum(status = 'error'), 0) from documents"
    ).fetchone()
    out = {"documents": row[0], "ok": row[1], "errors": row[2]}
    for table in ("footnotes", "citations", "figures", "findings"):
        out[table] = conn.execute(f"select count(*) from [{table}]").fetchone()[0]
    return out


__all__ = ["PACK", "NotADocmineDatabase", "audit_pack", "canned_query", "check_database", "citations",
           "connect_readonly", "document_labels", "finding_kinds_stored", "findings", "match_documents",
           "report_name_sql", "totals"]
