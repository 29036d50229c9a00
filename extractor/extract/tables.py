"""Rows for the ``tables`` and ``table_cells`` database tables, from a Document's tables (DOCX grid with merges,
or PDF ruled tables).

Statistics tables have multi-row headers with merged cells ("Tiếp nhận trực tuyến" over "Số hồ sơ tiếp nhận mới
trong kỳ báo cáo" over "Qua Cổng DVC Quốc gia"): each column gets a *header path*, the texts above it joined by
" › ". Numbers are parsed with the column's own convention (numbers.column_convention: "3,247" in an Excel-style
column is 3247). The row numbering row "(1) (2) … (14)" belongs to the header.
"""

from __future__ import annotations

from typing import Any

import regex

from ..lang.numbers import column_convention, parse_number
from ..model import Document, Table

HEADER_SEPARATOR = " › "
_COLUMN_NUMBER = regex.compile(r"^\(\d{1,2}\)$")
_CELL_NUMBER = regex.compile(r"^\s*(\d[\d.,]*)\s*(%?)\s*$")


def header_rows(table: Table) -> int:
    """How many leading rows form the header: the rows spanned by merges starting on the first row, then any rows
    of column numbers "(1) (2) …"; a first row without numbers is a header row on its own."""
    if not table.rows:
        return 0
    n = max([rs for r, _c, rs, _cs in table.merges if r == 0] or [0])
    if n == 0 and not any(_CELL_NUMBER.match(c or "") for c in table.rows[0]):
        n = 1
    while n < len(table.rows) and all(not c.strip() or _COLUMN_NUMBER.match(c.strip()) for c in table.rows[n]):
        n += 1
    return n


def _covering(table: Table) -> dict[tuple[int, int], tuple[int, int]]:
    """Grid position -> the top-left position of the merged cell covering it."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r, c, rs, cs in table.merges:
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                out[(i, j)] = (r, c)
    return out


def header_paths(table: Table, n_header: int | None = None) -> list[str]:
    """The header path of every column."""
    n_header = header_rows(table) if n_header is None else n_header
    width = max((len(r) for r in table.rows), default=0)
    cover = _covering(table)
    paths = []
    for col in range(width):
        parts: list[str] = []
        for row in range(n_header):
            r, c = cover.get((row, col), (row, col))
            text = _cell(table, r, c)
            if text and not _COLUMN_NUMBER.match(text) and (not parts or parts[-1] != text):
                parts.append(text)
        paths.append(HEADER_SEPARATOR.join(parts))
    return paths


def _cell(table: Table, row: int, col: int) -> str:
    cells = table.rows[row] if row < len(table.rows) else []
    return " ".join((cells[col] if col < len(cells) else "").split())


def cell_number(text: str, convention: str = "vi") -> float | None:
    """The number a cell holds when the whole cell is one ("3,247", "52,81%", "0"), else None."""
    m = _CELL_NUMBER.match(text or "")
    if not m:
        return None
    return parse_number(m.group(1), convention)  # type: ignore[arg-type]


def table_records(doc: Document, document_id: str | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows for ``tables``, rows for ``table_cells``) of every table of ``doc``."""
    tables_rows: list[dict[str, Any]] = []
    cell_rows: list[dict[str, Any]] = []
    for table in doc.tables:
        n_header = 0 if table.is_header else header_rows(table)
        paths = header_paths(table, n_header)
        width = len(paths)
        merges = {(r, c): (rs, cs) for r, c, rs, cs in table.merges}
        conventions = [
            column_convention(_cell(table, r, c) for r in range(n_header, len(table.rows))) for c in range(width)
        ]
        tables_rows.append({
            "document_id": document_id,
            "table_index": table.index,
            "page": table.page,
            "n_rows": len(table.rows),
            "n_cols": width,
            "header_rows": n_header,
            "is_header": int(table.is_header),
            "columns": "\n".join(paths),
        })
        for r, _cells in enumerate(table.rows):
            for c in range(width):
                text = _cell(table, r, c)
                if not text:
                    continue
                in_header = r < n_header
                rs, cs = merges.get((r, c), (1, 1))
                cell_rows.append({
                    "document_id": document_id,
                    "table_index": table.index,
                    "row": r,
                    "col": c,
                    "rowspan": rs,
                    "colspan": cs,
                    "is_header": int(in_header),
                    "header": None if in_header else (paths[c] or None),
                    "text": text,
                    "number": None if in_header else cell_number(text, conventions[c]),
                    "convention": None if in_header else conventions[c],
                })
    return tables_rows, cell_rows
