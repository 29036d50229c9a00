"""``docmine export``: every table of a docmine database as CSV and Parquet files, and one Excel workbook a person
can open and read.

Every row that names a document by its ``document_id`` (a 64-character hash) has the report's name, its type and the
file's name beside it (``report``, ``report_type``, ``file_name``: ``store.queries.document_labels``). The CSV files
are UTF-8 with a byte-order mark so Excel shows Vietnamese correctly; INTEGER columns stay whole numbers ("3", not
"3.0") even where some rows are empty.

The workbook (``docmine.xlsx``) opens on the findings sheet, then one sheet per canned query of the audit pack (the
answers ``docmine serve`` gives in one click, run here with their default parameters; SQL read from
``extractor/data/audit_pack.yaml`` through ``store.queries``), named in Vietnamese (``rules/strings.yaml``, section
``sheets``), then the other tables. Every sheet has a styled, frozen header row with an autofilter, column widths
from its content (capped), ISO dates as Excel dates (dd/mm/yyyy) and numbers as numbers.

The derived tables (localities, indicators, reports) are rebuilt before exporting, so the files match what
``docmine serve`` shows.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .resources import load_rules
from .store.queries import audit_pack, canned_query, connect_readonly, document_labels

FORMATS = ("csv", "parquet", "xlsx")
FIRST = ("findings", "reports", "documents", "localities", "indicators", "footnotes", "citations", "cited_documents",
         "figures")
EXCEL_CELL_LIMIT = 32767  # characters in one Excel cell
SHEET_NAME_LIMIT = 31  # characters in an Excel sheet name
WORKBOOK = "docmine.xlsx"
LABELS = ("report", "report_type", "file_name")  # put beside every document_id
MAX_WIDTH, MIN_WIDTH = 60, 6  # column widths, in characters
WIDTH_SAMPLE = 2000  # rows looked at to size a column
DATE_FORMAT, DATETIME_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM"  # as Vietnamese documents write dates
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_UTC_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]00:?00)?")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HASH = re.compile(r"[0-9a-f]{64}")  # a sha256 id: nobody reads it, so its column stays narrow
HASH_WIDTH = 12


@dataclass
class ExportSummary:
    directory: Path
    rows: dict[str, int] = field(default_factory=dict)  # table → rows written
    files: list[Path] = field(default_factory=list)
    truncated_cells: int = 0  # Excel cells cut to 32,767 characters (the CSV and Parquet files keep them whole)
    sheets: dict[str, int] = field(default_factory=dict)  # canned-query sheet name → rows
    query_errors: dict[str, str] = field(default_factory=dict)  # canned query → why it could not run (no sheet)


INTERNAL = {"pending_keys", "minhashes"}  # ingest's own queue (empty after every completed run), grouping's cache


def tables(conn: sqlite3.Connection) -> list[str]:
    """The database's data tables, findings first: full-text-search shadow tables and SQLite's own are skipped."""
    rows = conn.execute("select name, sql from sqlite_master where type = 'table'").fetchall()
    fts = {name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")}
    names = [name for name, _ in rows]
    shadow = {n for n in names for v in fts if n.startswith(f"{v}_")}
    data = [n for n in names if n not in fts and n not in shadow and not n.startswith("sqlite_") and n not in INTERNAL]
    return sorted(data, key=lambda n: (FIRST.index(n) if n in FIRST else len(FIRST), n))


def sheet_names(lang: str = "vi") -> dict[str, str]:
    """Each canned query's sheet name (query name → name): ``rules/strings.yaml``'s ``sheets`` in ``lang``, else the
    query's title; made Excel-safe (no ``[]:*?/\\``, at most 31 characters) and unique ignoring case."""
    named = load_rules("strings.yaml").get("sheets") or {}
    out: dict[str, str] = {}
    taken = set(FIRST)
    for query, spec in audit_pack()["queries"].items():
        wanted = named.get(query, {}).get(lang) or spec["title"].split(" / ")[0]
        out[query] = name = _unique(_sheet_safe(wanted), taken)
        taken.add(name.casefold())
    return out


def _sheet_safe(name: str) -> str:
    name = " ".join(SHEET_FORBIDDEN.sub(" ", name).split()).strip("'")
    return name[:SHEET_NAME_LIMIT].rstrip() or "query"


def _unique(name: str, taken: set[str]) -> str:
    n, candidate = 1, name
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
    return candidate


def export(db_path: str | Path, to: str | Path, formats: tuple[str, ...] = FORMATS, lang: str = "vi") -> ExportSummary:
    """Write ``<table>.csv`` / ``<table>.parquet`` for every table and ``docmine.xlsx`` (tables and canned queries,
    sheet names in ``lang``) into the folder ``to``."""
    from .store.derive import refresh_derived

    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown export format(s) {sorted(unknown)}: choose from {', '.join(FORMATS)}")
    refresh_derived(db_path)
    out = Path(to)
    out.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(out)
    conn = connect_readonly(db_path)
    try:
        labels = document_labels(conn)
        frames = {name: _with_report(_table_frame(conn, name), labels) for name in tables(conn)}
        answers = _canned_frames(conn, labels, lang, summary) if "xlsx" in formats else {}
    finally:
        conn.close()
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
        order = list(frames.items())
        sheets = order[:1] + list(answers.items()) + order[1:]  # findings, the canned queries, the other tables
        summary.truncated_cells = _workbook(sheets, path)
        summary.files.append(path)
    return summary


def _table_frame(conn: sqlite3.Connection, table: str):
    """One table as a DataFrame; INTEGER columns with empty rows stay whole numbers (pandas' nullable Int64)."""
    import pandas as pd

    frame = pd.read_sql_query(f"select * from [{table}]", conn)
    for row in conn.execute(f"pragma table_info([{table}])"):
        col, declared = row[1], (row[2] or "").upper()
        if "INT" in declared and col in frame.columns and frame[col].dtype.kind == "f":
            values = frame[col].dropna()
            if (values == values.round()).all():
                frame[col] = frame[col].astype("Int64")
    return frame


def _canned_frames(conn: sqlite3.Connection, labels: dict, lang: str, summary: ExportSummary) -> dict[str, Any]:
    """Every canned query's rows (default parameters) by sheet name; a query that fails is recorded, not fatal."""
    import pandas as pd

    out = {}
    for query, sheet in sheet_names(lang).items():
        try:
            columns, rows = canned_query(conn, query)
        except sqlite3.Error as err:  # e.g. an older database without a table the query reads
            summary.query_errors[query] = str(err)
            continue
        out[sheet] = _with_report(pd.DataFrame(rows, columns=columns), labels)
        summary.sheets[sheet] = len(rows)
    return out


def _with_report(frame, labels: dict[str, dict[str, Any]]):
    """``frame`` with the report's name and type and the file's name beside each ``document_id`` (``report``,
    ``report_type``, ``file_name``; those it already has are left as they are), so a person reading a sheet sees
    which report a row is from, not a 64-character hash."""
    if "document_id" not in frame.columns or "report" in frame.columns:
        return frame
    frame = frame.copy()
    at = list(frame.columns).index("document_id") + 1
    blank: dict[str, Any] = {}
    found = [labels.get(d, blank) for d in frame["document_id"]]
    for column in reversed(LABELS):
        if column not in frame.columns:
            frame.insert(at, column, [f.get(column) for f in found])
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


def _empty(value: Any) -> bool:
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _column_kind(values) -> str | None:
    """'date' when every value of a column is an ISO date, 'datetime' when every one is an ISO time in UTC (or
    without a zone), else None: only such columns become Excel dates (a time in another zone stays text)."""
    present = [v for v in values if not _empty(v)]
    if not present or not all(isinstance(v, str) for v in present):
        return None
    if all(ISO_DATE.fullmatch(v) for v in present):
        return "date"
    if all(ISO_UTC_DATETIME.fullmatch(v) for v in present):
        return "datetime"
    return None


def _as_date(value: str, kind: str) -> date | datetime | str:
    try:
        if kind == "date":
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:  # "2023-02-30": keep what the document says
        return value


def _width(header: str, values, kind: str | None) -> float:
    """A column's width in characters: its longest value (longest line) in the first rows or its header with room
    for the filter button, between MIN_WIDTH and MAX_WIDTH; a column of sha256 ids stays narrow."""
    longest = len(str(header)) + 3
    sample = [v for v in values[:WIDTH_SAMPLE] if not _empty(v)]
    if kind:
        longest = max(longest, 12)
    elif sample and all(isinstance(v, str) and HASH.fullmatch(v) for v in sample):
        longest = max(longest, HASH_WIDTH)
    else:
        for value in sample:
            longest = max(longest, max((len(line) for line in str(value).splitlines()), default=0) + 1)
            if longest >= MAX_WIDTH:
                break
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest)))


def _workbook(sheets: list[tuple[str, Any]], path: Path) -> int:
    """One sheet per (name, frame), in order; returns how many cells were cut to Excel's limit."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E78")
    header_border = Border(bottom=Side(style="thin", color="000000"))
    header_align = Alignment(vertical="center")
    wb = Workbook(write_only=True)
    truncated = 0
    for name, frame in sheets:
        ws = wb.create_sheet(title=name[:SHEET_NAME_LIMIT])
        ws.freeze_panes = "A2"
        columns = list(frame.columns)
        kinds = []
        for i, col in enumerate(columns, start=1):
            values = frame.iloc[:, i - 1].tolist()
            kinds.append(_column_kind(values))
            ws.column_dimensions[get_column_letter(i)].width = _width(col, values, kinds[-1])
        last = get_column_letter(max(1, len(columns)))
        ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
        header = []
        for col in columns:
            cell = WriteOnlyCell(ws, value=str(col))
            cell.font, cell.fill, cell.border, cell.alignment = header_font, header_fill, header_border, header_align
            header.append(cell)
        ws.append(header)
        for row in frame.itertuples(index=False, name=None):
            cells = []
            for value, kind in zip(row, kinds, strict=True):
                if _empty(value):
                    value = None
                elif kind:
                    value = _as_date(value, kind)
                    if not isinstance(value, str):
                        value = WriteOnlyCell(ws, value=value)
                        value.number_format = DATE_FORMAT if kind == "date" else DATETIME_FORMAT
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    if len(value) > EXCEL_CELL_LIMIT:
                        value, truncated = value[: EXCEL_CELL_LIMIT - 1] + "…", truncated + 1
                cells.append(value)
            ws.append(cells)
    wb.save(path)
    return truncated
