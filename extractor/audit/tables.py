"""Statistics tables (domain.md §8): totals by row and by column, sub-totals by group, row numbering.

- table_total_mismatch: a "Tổng số/Tổng cộng/Cộng" row against the rows above it, column by column (rows of a
  group, every row since the last total, or the group sub-totals: the total must be one of them); and a total
  column ("Tổng số" over "Cấp tỉnh", "Cấp xã") against its part columns, row by row, where the table's other
  rows show which columns those are;
- table_numbering: the STT column repeating or skipping a number.

A table cut by a page break (PDF) is checked whole (:func:`logical_tables`).
"""

from __future__ import annotations

import functools

import regex

from ..extract.tables import header_paths, header_rows
from ..lang.numbers import column_convention, money_multipliers, parse_number
from ..model import Document, Finding, Table
from .findings import make
from .messages import fmt_number, settings

_COLUMN_NUMBER = regex.compile(r"\(?\d+\)?")
_STT = regex.compile(r"\d{1,3}\.?")  # a row number in a table's first column
_GROUP = regex.compile(r"^(?:[IVX]{1,5}|[A-Z])\s*[.)]?(?:\s|$)")  # "I. LĨNH VỰC …", "II", "A."
_STT_HEADER = regex.compile(r"^(?:STT|TT|Số TT|Số thứ tự)$", regex.I)
_DASHES = ("", "-", "–", "x", "X")
# sums agree within float noise only: 1.000 đồng off "1.000 tỷ đồng" is a mismatch (relative 1e-9)
_CLOSE = 1e-12


def _is_total_label(cell: str) -> bool:
    c = " ".join(cell.split()).lower().strip(" .:")
    return any(c == lab or c.startswith(lab + " ") or c.startswith(lab + ":") for lab in settings()["total_row_labels"])


def _is_total_row(row: list[str]) -> bool:
    return any(_is_total_label(c) for c in row[:3] if c.strip())


@functools.cache
def _multipliers() -> dict[str, int]:
    """Money words (rules/number_conventions.yaml ``money_multipliers``) by their lower-case form."""
    return {k.lower(): v for k, v in money_multipliers().items()}


@functools.cache
def _money_cell() -> regex.Pattern:
    """A cell that is one amount with its unit: "1.250.000.000 đồng", "1,25 tỷ đồng", "750 triệu"."""
    words = "|".join(regex.escape(w) for w in sorted(_multipliers(), key=len, reverse=True))
    return regex.compile(rf"(?P<n>\d+(?:[.,]\d+)*)\s*(?P<m>{words})(?:\s+đồng)?\.?", regex.I)


@functools.cache
def _header_scale() -> regex.Pattern:
    """The money unit a column header states: "Kinh phí (triệu đồng)", "TMĐT dự kiến (tỷ đồng)", "Số tiền (đồng)"."""
    words = "|".join(regex.escape(w) for w in sorted(_multipliers(), key=len, reverse=True))
    return regex.compile(rf"\(\s*(?P<m>{words})(?:\s+đồng)?\s*\)", regex.I)


def column_scale(header: str) -> int:
    """How many đồng one unit of a column's bare numbers is: 10^6 under "(triệu đồng)", 1 otherwise."""
    m = _header_scale().search(header or "")
    return _multipliers()[m["m"].lower()] if m else 1


def _value(cell: str, convention: str, scale: int = 1) -> float | None:
    """A cell's number; an amount with its own unit ("1,25 tỷ đồng") in the unit of its column (``scale`` đồng),
    so that "1,25 tỷ đồng" and "750.000.000 đồng" add up to "2 tỷ đồng"."""
    cell = cell.strip()
    if cell in _DASHES:
        return None
    value = parse_number(cell, convention)  # type: ignore[arg-type]
    if value is None and (m := _money_cell().fullmatch(cell)):
        n = parse_number(m["n"], convention)  # type: ignore[arg-type]
        value = None if n is None else n * _multipliers()[m["m"].lower()] / scale
    return value


class _Grid:
    """A table's cells as numbers, with each column's convention ("3,247" in an Excel-style column is 3247)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.width = max(len(r) for r in table.rows)
        self.conventions = [column_convention(r[j] for r in table.rows if j < len(r)) for j in range(self.width)]
        self.scales = [column_scale(_column_header(table, j)) for j in range(self.width)]

    def cell(self, i: int, j: int) -> str:
        row = self.table.rows[i]
        return row[j].strip() if j < len(row) else ""

    def value(self, i: int, j: int) -> float | None:
        return _value(self.cell(i, j), self.conventions[j], self.scales[j])

    def numeric(self, i: int) -> list[int]:
        return [j for j in range(self.width) if self.value(i, j) is not None]

    def label(self, i: int) -> str:
        return next((c.strip() for c in self.table.rows[i][:3] if c.strip() and not _STT.fullmatch(c.strip())), "")


def _column_header(table: Table, j: int) -> str:
    for row in table.rows[:4]:
        if j < len(row) and row[j].strip() and not _COLUMN_NUMBER.fullmatch(row[j].strip()):
            return " ".join(row[j].split())[:60]
    return ""


def _column_agrees(g: _Grid, rows: list[int], j: int, total: float) -> tuple[bool, list[float]]:
    """Whether the numbers of column ``j`` in ``rows`` add up to ``total`` (None when a cell is not a number)."""
    cells = [g.cell(i, j) for i in rows]
    if any(g.value(i, j) is None and c not in _DASHES for i, c in zip(rows, cells, strict=True)):
        return True, []  # text in the column: not a column of counts
    parts = [v for i in rows if (v := g.value(i, j)) is not None]
    return len(parts) < 2 or abs(sum(parts) - total) <= _CLOSE * max(1.0, abs(total)), parts


def _total_rows(g: _Grid, table: Table, section: str | None) -> list[Finding]:
    """Each total row against the rows of its group, all rows since the previous total, the group rows, or the
    sub-totals before it: a total that is none of these sums is a mismatch."""
    out = []
    block: list[int] = []  # data rows since the last total or section row
    since: list[int] = []  # leaf data rows since the last total row
    groups: list[int] = []  # numbered group rows ("I", "II") with figures, since the last total row
    subtotals: list[int] = []  # total rows since the last grand total
    for i, row in enumerate(table.rows):
        numeric = g.numeric(i)
        if _is_total_row(row):
            for j in numeric:
                total = g.value(i, j)
                assert total is not None
                candidates = [block, since, groups, subtotals + block, subtotals]
                results = [_column_agrees(g, rows, j, total) for rows in candidates if len(rows) >= 2]
                if not results or any(ok for ok, _ in results):
                    continue
                parts = results[0][1]
                header = _column_header(table, j)
                params = {"table": table.index + 1, "label": g.label(i) or "Tổng số", "column": j + 1,
                          "header": f" ({header})" if header else "", "sum": fmt_number(sum(parts)),
                          "total": fmt_number(total)}
                out.append(make("table_total_mismatch", params, text=f"{g.label(i)}: {row[j].strip()}",
                                section=section, page=table.page))
            subtotals = [*subtotals, i] if block or since else subtotals
            block, since, groups = [], [], []
        elif not numeric:
            block = []  # a section row ("I. LĨNH VỰC CỦA CÔNG AN TỈNH") or a header row
        elif _GROUP.match(row[0].strip() if row else ""):
            groups.append(i)
            block = []
        else:
            block.append(i)
            since.append(i)
    return out


def _part_columns(g: _Grid, j: int, data: list[int], paths: list[str]) -> list[int] | None:
    """The columns a total column ``j`` adds up, when the table's rows show it: the columns after it up to the next
    total column, or those under the same parent header; the set for which most rows agree."""
    after = []
    for k in range(j + 1, g.width):
        if _is_total_label(paths[k].split(" › ")[-1]):
            break
        after.append(k)
    parent = paths[j].rsplit(" › ", 1)[0] if " › " in paths[j] else None
    siblings = [k for k in range(g.width) if k != j and parent and paths[k].startswith(parent + " › ")]
    for cols in (after, siblings):
        if len(cols) < 2:
            continue
        rows = [i for i in data if g.value(i, j) is not None and all(g.value(i, k) is not None for k in cols)]
        agree = [i for i in rows if abs(sum(g.value(i, k) or 0 for k in cols) - (g.value(i, j) or 0)) <= 1e-6]
        if len(rows) >= 3 and len(agree) >= max(2, 0.6 * len(rows)):
            return cols
    return None


def _total_columns(g: _Grid, table: Table, section: str | None) -> list[Finding]:
    n_header = header_rows(table)
    if n_header == 0:
        return []
    paths = header_paths(table, n_header)
    if len(paths) < g.width:
        paths += [""] * (g.width - len(paths))
    data = [i for i in range(n_header, len(table.rows)) if g.numeric(i)]
    out = []
    for j, path in enumerate(paths):
        if not path or not _is_total_label(path.split(" › ")[-1]):
            continue
        cols = _part_columns(g, j, data, paths)
        if not cols:
            continue
        for i in data:
            total = g.value(i, j)
            values = [g.value(i, k) for k in cols]
            if total is None or any(v is None for v in values):
                continue
            s = sum(v or 0.0 for v in values)
            if abs(s - total) <= _CLOSE * max(1.0, abs(total)):
                continue
            params = {"table": table.index + 1, "label": g.label(i), "columns": ", ".join(str(k + 1) for k in cols),
                      "sum": fmt_number(s), "header": path.split(" › ")[-1], "total": fmt_number(total)}
            out.append(make("table_total_mismatch", params, template_name="table_row_total_mismatch",
                            text=" | ".join(c.strip() for c in table.rows[i]), section=section, page=table.page))
    return out


def _numbering(g: _Grid, table: Table, section: str | None) -> list[Finding]:
    """Row numbers of the STT column that repeat or skip one (a group row or a 1 starts the count again)."""
    if not any(_STT_HEADER.match(g.cell(i, 0)) for i in range(min(4, len(table.rows)))):
        return []
    seq: list[int] = []
    problems: list[tuple[str, str, str]] = []
    prev = None
    for i in range(len(table.rows)):
        cell = g.cell(i, 0).rstrip(".")
        if not cell.isdigit():
            if cell and _GROUP.match(cell + " "):
                prev = None
            continue
        n = int(cell)
        seq.append(n)
        if prev is not None and n != 1:
            if n == prev:
                problems.append(("lặp lại số", "repeat", str(n)))
            elif n > prev + 1:
                problems.append(("bỏ qua số", "skip", f"{prev + 1}–{n - 1}" if n - 1 > prev + 1 else str(prev + 1)))
        prev = n
    if not problems:
        return []
    vi = "; ".join(f"{a} {c}" for a, _, c in problems)
    en = "; ".join(f"{b} {c}" for _, b, c in problems)
    params = {"table": table.index + 1, "problem_vi": vi, "problem_en": en,
              "sequence": ", ".join(map(str, seq[:40])) + (" …" if len(seq) > 40 else "")}
    return [make("table_numbering", params, text=", ".join(map(str, seq)), section=section, page=table.page)]


def table_findings(table: Table, section: str | None = None) -> list[Finding]:
    """Every finding of one (logical) table."""
    if table.is_header or len(table.rows) < 3:
        return []
    g = _Grid(table)
    return _total_rows(g, table, section) + _total_columns(g, table, section) + _numbering(g, table, section)


def _continues(prev: Table, table: Table) -> bool:
    """``table`` is ``prev`` cut by a page break (PDF): same width, on the next page, no header row of its own --
    its first non-blank row is a numbered data row ("4 | Ấp Thạnh Quới | 187 | 298")."""
    if prev.is_header or table.is_header or not prev.rows or not table.rows:
        return False
    if max(map(len, prev.rows)) != max(map(len, table.rows)):
        return False
    if prev.page is None or table.page is None or table.page != prev.page + 1:
        return False
    first = next((r for r in table.rows if any(c.strip() for c in r)), None)
    return bool(first) and _STT.fullmatch(first[0].strip()) is not None


def logical_tables(tables: list[Table]) -> list[Table]:
    """The tables as printed: a table continued on the next page is joined to its first part (blank rows dropped),
    so that a "Tổng số" row is checked against all the rows above it."""
    out: list[Table] = []
    for table in tables:
        if out and _continues(out[-1], table):
            prev = out[-1]
            rows = prev.rows + [r for r in table.rows if any(c.strip() for c in r)]
            out[-1] = Table(index=prev.index, rows=rows, page=table.page, is_header=False, merges=prev.merges)
        else:
            out.append(table)
    return out


def document_table_findings(doc: Document) -> list[Finding]:
    """The findings of every table of ``doc``, with the section its cells sit under."""
    sections = {}
    for block in doc.blocks:
        if block.table is not None and block.table not in sections:
            sections[block.table] = block.section
    out = []
    for table in logical_tables(doc.tables):
        out += table_findings(table, sections.get(table.index))
    return out
