"""``docmine export``: every table of a docmine database as CSV and Parquet files, and one Excel workbook.

The workbook has one sheet per table with the findings sheet first (what an auditor opens first); the CSV files are
UTF-8 with a byte-order mark so spreadsheet programs show Vietnamese correctly. The derived tables (localities,
indicators) are rebuilt before exporting, so the files match what ``docmine serve`` shows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("csv", "parquet", "xlsx")
FIRST = ("findings", "documents", "localities", "indicators", "footnotes", "citations", "cited_documents", "figures")
EXCEL_CELL_LIMIT = 32767  # characters in one Excel cell
WORKBOOK = "docmine.xlsx"


@dataclass
class ExportSummary:
    directory: Path
    rows: dict[str, int] = field(default_factory=dict)  # table → rows written
    files: list[Path] = field(default_factory=list)
    truncated_cells: int = 0  # Excel cells cut to 32,767 characters (the CSV and Parquet files keep them whole)


INTERNAL = {"pending_keys", "minhashes"}  # ingest's own queue (empty after every completed run), grouping's cache


def tables(conn: sqlite3.Connection) -> list[str]:
    """The database's data tables, findings first: full-text-search shadow tables and SQLite's own are skipped."""
    rows = conn.execute("select name, sql from sqlite_master where type = 'table'").fetchall()
    fts = {name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")}
    names = [name for name, _ in rows]
    shadow = {n for n in names for v in fts if n.startswith(f"{v}_")}
    data = [n for n in names if n not in fts and n not in shadow and not n.startswith("sqlite_") and n not in INTERNAL]
    return sorted(data, key=lambda n: (FIRST.index(n) if n in FIRST else len(FIRST), n))


def export(db_path: str | Path, to: str | Path, formats: tuple[str, ...] = FORMATS) -> ExportSummary:
    """Write ``<table>.csv`` / ``<table>.parquet`` for every table and ``docmine.xlsx`` into the folder ``to``."""
    import pandas as pd

    from .store.derive import refresh_derived

    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown export format(s) {sorted(unknown)}: choose from {', '.join(FORMATS)}")
    refresh_derived(db_path)
    out = Path(to)
    out.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(out)
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        frames = {name: pd.read_sql_query(f"select * from [{name}]", conn) for name in tables(conn)}
        labels = dict(conn.execute(
            "select d.id, json_array(coalesce(r.name, d.name, d.file_name), r.doc_type) "
            "from documents d left join reports r on r.id = d.report_id").fetchall())
    finally:
        conn.close()
    frames = {name: _with_report(frame, labels) for name, frame in frames.items()}
    for name, frame in frames.items():
        summary.rows[name] = len(frame)
        if "csv" in formats:
            path = out / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8-sig")
            summary.files.append(path)
        if "parquet" in formats:
            path = out / f"{name}.parquet"
            _parquet(frame, path)
            summary.files.append(path)
    if "xlsx" in formats:
        path = out / WORKBOOK
        summary.truncated_cells = _workbook(frames, path)
        summary.files.append(path)
    return summary


def _with_report(frame, labels: dict[str, str]):
    """``frame`` with the report's name and type beside each ``document_id`` (``report``, ``report_type``), so a
    person reading a sheet sees which report a row is from, not a 64-character hash."""
    import json

    if "document_id" not in frame.columns or "report" in frame.columns:
        return frame
    frame = frame.copy()
    at = list(frame.columns).index("document_id") + 1
    pairs = [json.loads(labels[d]) if d in labels else [None, None] for d in frame["document_id"]]
    frame.insert(at, "report_type", [p[1] for p in pairs])
    frame.insert(at, "report", [p[0] for p in pairs])
    return frame


def _parquet(frame, path: Path) -> None:
    try:
        frame.to_parquet(path, index=False, engine="pyarrow")
    except (TypeError, ValueError, ArithmeticError):  # a column SQLite typed loosely (numbers and text mixed)
        mixed = frame.copy()
        for col in mixed.columns:
            if mixed[col].dtype == object:
                mixed[col] = mixed[col].map(lambda v: None if v is None else str(v))
        mixed.to_parquet(path, index=False, engine="pyarrow")


def _workbook(frames: dict, path: Path) -> int:
    """One sheet per table (frames are in sheet order); returns how many cells were cut to Excel's limit."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    truncated = 0
    for name, frame in frames.items():
        ws = wb.create_sheet(title=name[:31])
        ws.freeze_panes = "A2"
        for i, col in enumerate(frame.columns, start=1):
            width = 60 if col in ("text", "message", "anchor_text", "subject", "title") else 16
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            cells = []
            for value in row:
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    if len(value) > EXCEL_CELL_LIMIT:
                        value, truncated = value[: EXCEL_CELL_LIMIT - 1] + "…", truncated + 1
                elif value is not None and value != value:  # NaN → empty cell
                    value = None
                cells.append(value)
            ws.append(cells)
    wb.save(path)
    return truncated
