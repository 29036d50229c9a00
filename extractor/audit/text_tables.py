"""text_table_mismatch: a figure of the body that states the same indicator as a cell of the report's table with
another value ("Tổng số đã thu nhận 4.320 hồ sơ Căn cước công dân" above a table whose "Tổng số" row gives 4.310).

Both sides are read by the indicator taxonomy (``extract.indicators``, rules/indicators.yaml): the body figure in
its sentence, each numeric cell as "<cell> <column header>" with its row label before it. A finding is raised only
on a clear conflict:

- the body figure is a result (not "phấn đấu đạt 85%", not a plan) counted or given as a percentage, and its
  indicator was named in its own sentence; the cell's column is not a target ("Kế hoạch", "Chỉ tiêu giao");
- same scope: the sentence names one of the table's rows ("xã Thạch Bình đã thu nhận 864 hồ sơ") and that row is
  compared, or it names no other unit (a lower one, "xã …", "thôn …", or another of the report's level, "huyện Phú
  Hòa" in a report of huyện Thạch Lâm) and the table's total row is compared;
- same period: a cumulative figure ("lũy kế", "đến nay": rules/audit.yaml ``cumulative_words``) only against a
  cumulative column, and the period words of the sentence and of the header, or of the report's own period when the
  header names none (``period_words``: "quý I", "6 tháng" …), do not differ;
- exactly one value of that indicator in the compared row, and the body's value nowhere in the table's cells of
  that indicator.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..extract.figures import figures_in_text
from ..extract.indicators import Context, classify, indicator_for, stance_for, words
from ..extract.tables import header_paths, header_rows
from ..model import TABLE_CELL, Document, Figure, Finding, Table
from .findings import make
from .messages import quote, settings
from .tables import _Grid, _is_total_row, logical_tables

_KINDS = ("count", "percent")


@dataclass(frozen=True)
class _Cell:
    table: int  # the table's number (1-based, as people count)
    row: int
    label: str  # the row label ("Tổng số", "Xã Thạch Bình")
    header: str
    value: float
    text: str
    indicator: str
    kind: str  # count | percent
    unit: str | None  # what the count counts, from the header ("hồ sơ", "tài khoản")
    is_total: bool


@functools.cache
def _period() -> regex.Pattern:
    return regex.compile("|".join(settings()["period_words"]), regex.I)


@functools.cache
def _lower_unit() -> regex.Pattern:
    """A unit below the report's own named in a sentence: "xã Thạch Bình", "Xã Phú Lộc", "thôn 3", "ấp Mỹ Lợi"."""
    levels = "|".join(regex.escape(w) for w in settings()["lower_unit_words"])
    return regex.compile(rf"(?<![\p{{L}}])(?i:{levels})\s+(?:\p{{Lu}}|\d)")


@functools.cache
def _named_unit() -> regex.Pattern:
    """A unit of the report's level or above named in a sentence, with its name: "huyện Phú Hòa", "tỉnh An Khang"."""
    levels = "|".join(regex.escape(w) for w in settings()["peer_unit_words"])
    return regex.compile(rf"(?<![\p{{L}}])(?i:{levels})\s+(?P<name>\p{{Lu}}\p{{L}}*(?:\s+\p{{Lu}}\p{{L}}*){{0,3}})")


def _other_unit(sentence: str, own_place: str | None) -> bool:
    """The sentence speaks of a unit that is not the report's whole: a lower unit ("xã Phú Lộc") or another unit of
    the report's level ("huyện Phú Hòa" in a report of huyện Thạch Lâm)."""
    if _lower_unit().search(sentence):
        return True
    own = words(own_place).strip() if own_place else None
    return any(not own or not words(m["name"]).strip().startswith(own) for m in _named_unit().finditer(sentence))


def _periods(text: str) -> frozenset[str]:
    return frozenset(words(m.group()).strip() for m in _period().finditer(text))


@functools.cache
def _cumulative() -> regex.Pattern:
    return regex.compile("|".join(regex.escape(w) for w in settings()["cumulative_words"]), regex.I)


def _same_period(sentence: str, header: str, own_period: str | None = None) -> bool:
    """A cumulative figure ("lũy kế", "đến nay") is never a period's cell, nor the reverse; two named periods
    must be the same ("quý I" beside a "6 tháng" column is not). A header that names no period is of the report's
    own ("Năm 2023, toàn huyện đã kích hoạt …" is not the column of a quý I/2024 report)."""
    if bool(_cumulative().search(sentence)) != bool(_cumulative().search(header)):
        return False
    a, b = _periods(sentence), _periods(header) or _periods(own_period or "")
    return not (a and b and a != b)


def _is_target(header: str) -> bool:
    low = header.lower()
    return stance_for(header + " ") != "result" or any(w in low for w in settings()["target_headers"])


def _cell_indicator(kind_text: str, label: str) -> tuple[str | None, Figure | None]:
    """The indicator of a cell read as "<value> <header>" after its row label, and the figure so read."""
    figs = [f for f in figures_in_text(kind_text) if f.kind in _KINDS]
    if len(figs) != 1 or figs[0].value is None:
        return None, None
    f = figs[0]
    match = indicator_for(f.kind, f.unit, f.label, Context(label + " ", f.text, kind_text[f.end :]))
    return (match.indicator_id if match.matched_by == "rule" else None), f


def table_cells(table: Table, number: int) -> list[_Cell]:
    """The numeric cells of a data table with the indicator each states (cells of target columns left out)."""
    if table.is_header or len(table.rows) < 2:
        return []
    n_header = header_rows(table)
    paths = header_paths(table, n_header)
    g = _Grid(table)
    out = []
    for i in range(n_header, len(table.rows)):
        label = g.label(i)
        total = _is_total_row(table.rows[i])
        for j in g.numeric(i):
            header = paths[j] if j < len(paths) else ""
            value = g.value(i, j)
            if not header or value is None or _is_target(header):
                continue
            cell = g.cell(i, j)
            percent = "%" in cell or "%" in header or "tỷ lệ" in header.lower()
            text = f"{cell}{'%' if percent and '%' not in cell else ''} {header}"
            indicator, fig = _cell_indicator(text, label)
            if indicator and fig:
                unit = fig.unit.lower() if fig.unit else None
                out.append(_Cell(number, i, label, header, value, cell, indicator, fig.kind, unit, total))
    return out


def _scope_rows(sentence: str, cells: list[_Cell], own_place: str | None = None) -> list[_Cell]:
    """The cells of the row the sentence speaks of: a row it names, else the total row when it names no other
    unit (a lower one, or another of the report's level) of its own."""
    folded = words(sentence)
    named = [c for c in cells if not c.is_total and len(words(c.label).strip()) >= 4 and words(c.label) in folded]
    if named:
        rows = {(c.table, c.row) for c in named}
        return [c for c in cells if (c.table, c.row) in rows]
    if _other_unit(sentence, own_place):
        return []
    return [c for c in cells if c.is_total]


def _agrees(kind: str, value: float, cell: _Cell) -> bool:
    if kind == "percent":
        return abs(value - cell.value) < 0.5 + 1e-9  # "52,8%" beside "52,81"
    return abs(value - cell.value) < 1e-6


def _claims(f: Figure) -> list[tuple[str, float]]:
    """What a body figure states: its count or percentage, and the count of a percentage with its part
    ("đã kích hoạt 12.345 tài khoản, chiếm tỷ lệ 49,78%" states 12.345 accounts too)."""
    out = [(f.kind, f.value)] if f.value is not None else []
    if f.kind == "percent" and f.numerator is not None:
        out.append(("count", f.numerator))
    return out


def text_table_findings(doc: Document, figures: list[Figure]) -> list[Finding]:
    """Body figures that state a table cell's indicator with another value."""
    data = [t for t in logical_tables(doc.tables) if not t.is_header]
    cells = [c for n, t in enumerate(data, 1) for c in table_cells(t, n)]
    if not cells:
        return []
    cell_blocks = [(b.start, b.end) for b in doc.blocks if b.kind == TABLE_CELL]
    body = [f for f in figures if not f.in_footnote and f.kind in _KINDS and f.value is not None
            and not any(s <= f.start < e for s, e in cell_blocks)]
    out = []
    for f, match in zip(body, classify(body, doc.text, {}) if body else [], strict=True):
        if match.indicator_id is None or match.matched_by != "rule" or match.stance != "result":
            continue
        unit = f.unit.lower() if f.unit else None
        lo, hi = _sentence(doc.text, f)
        sentence = " ".join(doc.text[lo:hi].split())
        # the sentence states the cell's value elsewhere ("… 2.146 hồ sơ …, trong đó đã được phê duyệt 1.987 tài
        # khoản"): it speaks of that cell in another figure, not against it
        near = [g for g in figures if not g.in_footnote and lo <= g.start < hi]
        stated = {g.value for g in near} | {g.numerator for g in near if g.numerator is not None}
        for kind, value in _claims(f):
            own = unit if kind == f.kind else None  # a percentage's "%" is not what its part counts
            same = [c for c in cells if c.indicator == match.indicator_id and c.kind == kind
                    and (not own or not c.unit or own == c.unit)]
            if not same or any(_agrees(kind, value, c) for c in same):
                continue
            rows = [c for c in _scope_rows(sentence, same, doc.metadata.place)
                    if _same_period(sentence, c.header, doc.metadata.period)]
            if len({c.value for c in rows}) != 1 or rows[0].value in stated:
                continue
            cell = rows[0]
            params = {"figure": f.text, "quote": quote(sentence), "table": cell.table, "label": cell.label,
                      "header": cell.header, "cell": cell.text, "indicator": match.indicator or match.indicator_id,
                      "indicator_en": match.indicator_en or match.indicator_id}
            out.append(make("text_table_mismatch", params, text=sentence, figures=[f]))
    return out


def _sentence(text: str, f: Figure) -> tuple[int, int]:
    """Where the sentence (or list item) of ``f`` starts and ends."""
    lo = max(text.rfind("\n", 0, f.start), text.rfind(". ", 0, f.start), text.rfind(";", 0, f.start)) + 1
    ends = [i for i in (text.find("\n", f.end), text.find(". ", f.end), text.find(";", f.end)) if i >= 0]
    return lo, min(ends) if ends else len(text)
