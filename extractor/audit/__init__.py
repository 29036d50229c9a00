"""Audits: the checks an analyst makes on a report (domain.md §8), each producing findings a person can act on.

Per report (:func:`audit_document`):
- ratio_mismatch: a stated percentage that its ratio does not give ("Stated 97% but 156/168 = 92.9%"), allowing
  rounding or truncation to the stated precision (rules/audit.yaml ``percent_agreement``);
- footnote_count_mismatch: "ban hành 30 công văn⁴" while footnote 4 lists 21;
- part_whole_mismatch: a total and its stated parts -- a parenthetical breakdown ("7.570 hồ sơ CCCD (6.627 cấp
  mới, 468 cấp đổi, 473 cấp lại)"), "Có 13 nhiệm vụ, trong đó: 12 nhiệm vụ …, 01 nhiệm vụ …", and
  "… X …, còn lại Y" after a total;
- table_total_mismatch: a "Tổng số" row of a statistics table vs the rows above it, column by column;
- citation_date_conflict: one key with several dates in the report;
- citation_after_report: a cited document dated after the report itself;
- citation_contradicts_registry: a central document (rules/known_documents.yaml) cited with another date or type.

Across reports (:func:`corpus_date_conflicts` over (document_id, key, date) rows, :func:`audit_corpus` over a
database): one central document cited with different dates in different reports.
"""

from __future__ import annotations

import bisect
import functools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import regex

from ..extract.figures import DEN, NUM, _excluded, _unit_at
from ..lang.numbers import column_convention, decimals, mask_latex, parse_number, percent_agrees
from ..model import Citation, Document, Figure, Finding, Table
from ..resources import load_rules

FootnoteCounts = Mapping[str, tuple[int | None, int | None, str | None]]


@functools.cache
def _settings() -> dict:
    return load_rules("audit.yaml")


# ---------------------------------------------------------------------------------------------------------------
# formatting


def fmt_number(value: float, digits: int = 0) -> str:
    """Vietnamese style, as the reports write it: 7568 -> "7.568", 92.857 (1 digit) -> "92,9"."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_percent(value: float, digits: int = 0) -> str:
    """A percentage as the brief's messages write it: 92.857 (1 digit) -> "92.9"."""
    return f"{value:.{digits}f}"


def fmt_date(d: date | str | None) -> str:
    if d is None:
        return "?"
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d)
        except ValueError:
            return d
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _quote(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


# ---------------------------------------------------------------------------------------------------------------
# ratio_mismatch


_NUM = regex.compile(NUM)
_DEN = regex.compile(DEN)
_DIGIT = regex.compile(r"\d")
_STATED_PERCENT = regex.compile(rf"({NUM})\s*\\?%")
_PART_SPLIT_SEMICOLON = regex.compile(r";")
_PART_SPLIT = regex.compile(r",|\bvà\b")
_PERCENT_OR_COLON = regex.compile(r"[%:]")
_REMAINDER = regex.compile(r"\bcòn lại\b|\bcòn\b", regex.I)
_REMAINDER_VALUE = regex.compile(rf"(?:\s+[\p{{L}}]+){{0,4}}?\s*:?\s*(?P<y>{NUM})")
_SENTENCE_END = regex.compile(r"\.(?=\s)")
_PERCENT_AFTER = regex.compile(r"\s*%")
_SLASH_END = regex.compile(r"/\s*$")
_COLUMN_NUMBER = regex.compile(r"\(?\d+\)?")
_CODE_SPLIT = regex.compile(r"[-/]")
_STT = regex.compile(r"\d{1,3}\.?")  # a row number in a table's first column


def _stated_token(fig: Figure) -> str:
    m = _STATED_PERCENT.search(mask_latex(fig.text))
    return m.group(1) if m else ""


def ratio_findings(figures: Iterable[Figure]) -> list[Finding]:
    """A stated percentage its ratio does not give: x/y ratios, and percentages whose base the text states
    earlier ("Tổng số 2.000 hồ sơ; đã giải quyết 1.500 hồ sơ, đạt 80%")."""
    out = []
    modes = _settings()["percent_agreement"]
    for fig in figures:
        if fig.kind not in ("ratio", "percent") or fig.stated_percent is None:
            continue
        if not fig.denominator or fig.numerator is None:
            continue
        computed = 100.0 * fig.numerator / fig.denominator
        token = _stated_token(fig)
        digits = decimals(token) if token else 0
        if percent_agrees(computed, fig.stated_percent, digits, modes):
            continue
        shown = max(1, digits)
        out.append(
            Finding(
                kind="ratio_mismatch",
                severity="error",
                message=(
                    f"Stated {fmt_percent(fig.stated_percent, digits)}% but {fmt_number(fig.numerator)}/"
                    f"{fmt_number(fig.denominator)} = {fmt_percent(computed, shown)}%: correct the percentage or the "
                    f"counts in {_quote(fig.text)}."
                ),
                text=fig.text,
                section=fig.section,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------------------
# footnote_count_mismatch


def footnote_findings(counts: FootnoteCounts, doc: Document | None = None) -> list[Finding]:
    out = []
    for marker, (listed, claimed, noun) in counts.items():
        if listed is None or claimed is None or listed == claimed:
            continue
        fn = doc.footnote(marker) if doc else None
        anchor = fn.anchor_text if fn and fn.anchor_text else ""
        noun = noun or "văn bản"
        where = f" in {_quote(anchor)}" if anchor else ""
        out.append(
            Finding(
                kind="footnote_count_mismatch",
                severity="error",
                message=(
                    f"The text claims {claimed} {noun}{where} but footnote {marker} lists {listed}: "
                    f"correct the count or complete the footnote's list."
                ),
                text=anchor or None,
                section=doc.section_at(fn.position) if doc and fn and fn.position is not None else None,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------------------
# part_whole_mismatch

_PAREN_TOTAL = regex.compile(
    rf"(?:(?P<ratio>{NUM})\s*/\s*)?(?P<total>{DEN})(?P<tail>(?:\s+[\p{{L}}\d]+){{0,8}}?)\s*\.?\s*\((?P<inner>[^()]*)\)"
)
_TRONG_DO = regex.compile(
    rf"(?P<total>{NUM})(?P<tail>[^.;()\d]{{0,40}}?)[,:]?\s*trong đó\s*[:,]?\s*(?P<rest>[^.;]*)", regex.I
)
_TRONG_DO_WORDS = regex.compile(r"trong đó", regex.I)  # what _TRONG_DO cannot match without (a fast search)


@functools.cache
def _openers() -> regex.Pattern:
    words = "|".join(regex.escape(w) for w in _settings()["breakdown_openers"])
    return regex.compile(rf"^\s*(?:{words})\s*[:,]?\s*", regex.I)


def _parts(inner: str) -> list[tuple[float, str | None]] | None:
    """The (value, unit) of each part of a breakdown, or None when it is not a list of counts."""
    if "%" in inner or "/" in inner:
        return None
    pieces = [p for p in (_PART_SPLIT_SEMICOLON if ";" in inner else _PART_SPLIT).split(inner) if p.strip()]
    if len(pieces) < 2:
        return None
    out = []
    for piece in pieces:
        excluded = _excluded(piece)
        nums = [m for m in _NUM.finditer(piece) if not any(s <= m.start() < e for s, e in excluded)]
        if len(nums) != 1:
            return None
        value = parse_number(nums[0].group())
        if value is None:
            return None
        unit = _unit_at(piece, nums[0].end())
        out.append((value, unit.lower() if unit else None))
    return out


def _compatible(total_unit: str | None, parts: list[tuple[float, str | None]], explicit: bool) -> bool:
    units = {u for _, u in parts if u}
    if len(units) > 1:
        return False
    if explicit:
        return True
    return total_unit is not None  # "11/11 đơn vị (01 trung tâm y tế, 02 phòng khám đa khoa, 08 trạm y tế)"


def _part_whole_message(total: float, parts: list[float], text: str) -> str:
    return (
        f"The parts add up to {fmt_number(sum(parts))} but the total says {fmt_number(total)} "
        f"({' + '.join(fmt_number(p) for p in parts)} = {fmt_number(sum(parts))}): check {_quote(text)}."
    )


def part_whole_in_text(text: str) -> list[tuple[int, int, str]]:
    """(start, end, message) of every total in ``text`` whose stated parts do not add up to it."""
    out: list[tuple[int, int, str]] = []
    if not _DIGIT.search(text):  # every check needs a number
        return out
    masked = mask_latex(text)
    sentence_ends: list[int] | None = None  # ends of ". " in masked, computed when first needed

    # (the excluded spans are asked for last, after the cheaper tests: cached, shared with extractor.extract.figures)
    def is_excluded(s: int, e: int) -> bool:
        return any(a < e and s < b for a, b in _excluded(masked))

    # "7.570 hồ sơ CCCD (6.627 cấp mới, 468 cấp đổi, 473 cấp lại)"; "11/11 đơn vị (01 …, 02 …, 08 …)"
    for m in _PAREN_TOTAL.finditer(masked) if "(" in masked and ")" in masked else ():
        if _PERCENT_OR_COLON.search(m.group("tail")):
            continue
        inner = m.group("inner")
        opener = _openers().match(inner)
        parts = _parts(inner[opener.end() :] if opener else inner)
        if not parts:
            continue
        total_tok = m.group("ratio") or m.group("total")
        total = parse_number(total_tok)
        unit = _unit_at(masked, m.end("total"))
        if total is None or not _compatible(unit.lower() if unit else None, parts, bool(opener)):
            continue
        if is_excluded(m.start("total"), m.end("total")):
            continue
        values = [v for v, _ in parts]
        if abs(sum(values) - total) > 1e-6:
            out.append((m.start(), m.end(), _part_whole_message(total, values, text[m.start() : m.end()])))

    # "Có 13 nhiệm vụ, trong đó: Có 12 nhiệm vụ …, 01 nhiệm vụ …"
    for m in _TRONG_DO.finditer(masked) if _TRONG_DO_WORDS.search(masked) else ():
        unit = _unit_at(masked, m.end("total"))
        total = parse_number(m.group("total"))
        if not unit or total is None:
            continue
        rest = m.group("rest")
        if "%" in rest or "/" in rest or is_excluded(m.start("total"), m.end("total")):
            continue
        rest_excluded = _excluded(rest)
        nums = [n for n in _NUM.finditer(rest) if not any(s <= n.start() < e for s, e in rest_excluded)]
        if len(nums) < 2 or "%" in rest or "/" in rest:
            continue
        units = [_unit_at(rest, n.end()) for n in nums]
        if any(u is None or u.lower() != unit.lower() for u in units):
            continue
        values = [parse_number(n.group()) or 0.0 for n in nums]
        if abs(sum(values) - total) > 1e-6:
            out.append((m.start(), m.end(), _part_whole_message(total, values, text[m.start() : m.end()])))

    # "62.989 trường hợp … Đã cấp CCCD: 53.061 trường hợp (…), còn lại chưa cấp 9.928 trường hợp"
    for m in _REMAINDER.finditer(masked):
        # (matched at m.end() rather than on masked[m.end():]: the number never starts right at m.end(), where
        # the lookbehind of NUM would see the slice start instead of the "n" of "còn")
        after = _REMAINDER_VALUE.match(masked, m.end())
        if not after:
            continue
        y = parse_number(after.group("y"))
        if y is None:
            continue
        if sentence_ends is None:
            sentence_ends = [e.end() for e in _SENTENCE_END.finditer(masked)]
        sentence_start = _passage_start(sentence_ends, m.start())
        before = _main_numbers(masked, sentence_start, m.start(), _excluded(masked))
        if len(before) < 2:
            continue
        (t_s, _t_e, t_v, _t_ratio), (_x_s, _x_e, x_v, x_ratio) = before[-2], before[-1]
        if m.group().lower() == "còn" and not x_ratio:
            continue  # a bare "còn" is a remainder only right after a ratio ("23/25 DVC, còn 02 DVC")
        if x_ratio:  # "53.852 trường hợp/53.883 chỉ tiêu …, còn lại 31": numerator + rest = denominator
            x_v, t_v = t_v, x_v
        if t_v < x_v or t_v < y:
            continue
        if abs(x_v + y - t_v) > 1e-6:
            end = after.end()
            out.append(
                (
                    t_s,
                    end,
                    f"{fmt_number(x_v)} + {fmt_number(y)} (còn lại) = {fmt_number(x_v + y)}, not the total "
                    f"{fmt_number(t_v)}: check {_quote(text[t_s:end])}.",
                )
            )
    return out


def _passage_start(sentence_ends: list[int], pos: int) -> int:
    """The start of the sentence before the one holding ``pos`` (a total is often stated one sentence earlier).

    ``sentence_ends``: the ends of every ". " of the text; those of ``text[:pos]`` are the ones whose space is
    before ``pos`` (end < pos)."""
    k = bisect.bisect_left(sentence_ends, pos)
    return sentence_ends[k - 2] if k >= 2 else 0


def _main_numbers(text: str, start: int, end: int, excluded) -> list[tuple[int, int, float, bool]]:
    """Numbers of text[start:end] outside parentheses, dates and percentages; the flag marks a ratio denominator."""
    out = []
    depth = 0
    i = start
    spans = []
    for j in range(start, end):
        ch = text[j]
        if ch == "(":
            if depth == 0:
                spans.append((i, j))
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                i = j + 1
    if depth == 0:
        spans.append((i, end))
    for s, e in spans:
        for m in _DEN.finditer(text[s:e]):
            a, b = s + m.start(), s + m.end()
            if any(x < b and a < y for x, y in excluded):
                continue
            if _PERCENT_AFTER.match(text, b):
                continue
            value = parse_number(m.group())
            if value is None:
                continue
            is_den = bool(_SLASH_END.search(text[max(0, a - 3) : a]))
            out.append((a, b, value, is_den))
    return out


def part_whole_findings(doc: Document) -> list[Finding]:
    out = []
    for block in doc.blocks:
        if block.in_header or not block.text:
            continue
        for s, e, message in part_whole_in_text(block.text):
            out.append(
                Finding(
                    kind="part_whole_mismatch",
                    severity="error",
                    message=message,
                    text=block.text[s:e],
                    section=block.section,
                )
            )
    for fn in doc.footnotes:
        for s, e, message in part_whole_in_text(fn.text):
            out.append(
                Finding(
                    kind="part_whole_mismatch",
                    severity="error",
                    message=f"Footnote {fn.marker}: {message}",
                    text=fn.text[s:e],
                )
            )
    return out


# ---------------------------------------------------------------------------------------------------------------
# table_total_mismatch


def _is_total_row(row: list[str]) -> bool:
    labels = tuple(_settings()["total_row_labels"])
    for cell in row[:3]:
        c = cell.strip().lower()
        if c and any(c == lab or c.startswith(lab + " ") or c.startswith(lab + ":") for lab in labels):
            return True
    return False


def _cell_value(cell: str, convention: str) -> float | None:
    cell = cell.strip()
    if not cell or cell in ("-", "–"):
        return None
    return parse_number(cell, convention)  # type: ignore[arg-type]


def table_findings(table: Table) -> list[Finding]:
    if table.is_header or len(table.rows) < 3:
        return []
    width = max(len(r) for r in table.rows)
    conventions = [column_convention(r[j] for r in table.rows if j < len(r)) for j in range(width)]
    out = []
    block_start = 0
    for i, row in enumerate(table.rows):
        numeric = [j for j, c in enumerate(row) if _cell_value(c, conventions[j]) is not None]
        if _is_total_row(row):
            data = [
                r
                for r in table.rows[block_start:i]
                if any(_cell_value(c, conventions[j]) is not None for j, c in enumerate(r))
            ]
            label = next((c.strip() for c in row[:3] if c.strip()), "Tổng số")
            for j in numeric:
                total = _cell_value(row[j], conventions[j])
                cells = [r[j].strip() if j < len(r) else "" for r in data]
                values = [_cell_value(c, conventions[j]) for c in cells]
                if len(data) < 2 or any(
                    v is None and c not in ("", "-", "–") for v, c in zip(values, cells, strict=True)
                ):
                    continue
                parts = [v for v in values if v is not None]
                if len(parts) < 2 or total is None or abs(sum(parts) - total) <= 1e-6:
                    continue
                header = _column_header(table, j)
                out.append(
                    Finding(
                        kind="table_total_mismatch",
                        severity="error",
                        message=(
                            f"Table {table.index + 1}, row “{label}”, column {j + 1}{header}: the rows above add up "
                            f"to {fmt_number(sum(parts))} but the total says {fmt_number(total)}; correct the total "
                            f"or the rows."
                        ),
                        text=f"{label}: {row[j].strip()}",
                    )
                )
            block_start = i + 1
        elif not numeric:
            block_start = i + 1  # a section row ("I. LĨNH VỰC CỦA CÔNG AN TỈNH") or a header row
    return out


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
            out[-1] = Table(index=prev.index, rows=rows, page=table.page, is_header=False)
        else:
            out.append(table)
    return out


def _column_header(table: Table, j: int) -> str:
    for row in table.rows[:4]:
        if j < len(row) and row[j].strip() and not _COLUMN_NUMBER.fullmatch(row[j].strip()):
            return f" ({' '.join(row[j].split())[:60]})"
    return ""


# ---------------------------------------------------------------------------------------------------------------
# citations


@functools.cache
def registry() -> dict[str, dict[str, Any]]:
    """Known central documents by key and alias (rules/known_documents.yaml; "date" or "issued_date")."""
    try:
        data = load_rules("known_documents.yaml")
    except FileNotFoundError:
        return {}
    entries = data.get("documents", []) if isinstance(data, dict) else (data or [])
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        when = entry.get("date") or entry.get("issued_date")
        if isinstance(when, str):
            when = date.fromisoformat(when)
        record = dict(entry, date=when)
        for key in [entry.get("key"), *(entry.get("aliases") or [])]:
            if key:
                out[str(key)] = record
    return out


def _mention(c: Citation) -> str:
    return _quote(c.text, 90)


def citation_findings(doc: Document, citations: list[Citation]) -> list[Finding]:
    out = []
    reg = registry()
    by_key: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        if c.key:
            by_key[c.key].append(c)
    # citation_date_conflict within the report
    for key, mentions in by_key.items():
        dated: dict[date, Citation] = {}
        for c in mentions:
            if c.issued_date and c.issued_date not in dated:
                dated[c.issued_date] = c
        if len(dated) < 2:
            continue
        listing = "; ".join(f"{fmt_date(d)} in {_mention(c)}" for d, c in sorted(dated.items()))
        entry = reg.get(key)
        advice = (
            f" The registry gives {fmt_date(entry['date'])}."
            if entry and entry.get("date")
            else " Check the original document and correct the wrong date."
        )
        out.append(
            Finding(
                kind="citation_date_conflict",
                severity="error",
                key=key,
                message=f"{key} is cited with {len(dated)} different dates in this report: {listing}.{advice}",
                text=" | ".join(c.text for c in dated.values()),
                section=next(iter(dated.values())).section,
            )
        )
    # citation_after_report
    report_date = doc.metadata.issued_date
    if report_date:
        seen: set[tuple[str | None, date]] = set()
        for c in citations:
            if c.issued_date and c.issued_date > report_date and (c.key, c.issued_date) not in seen:
                seen.add((c.key, c.issued_date))
                out.append(
                    Finding(
                        kind="citation_after_report",
                        severity="warning",
                        key=c.key,
                        text=c.text,
                        section=c.section,
                        message=(
                            f"{c.key or c.doc_type} is dated {fmt_date(c.issued_date)}, after the report itself "
                            f"({fmt_date(report_date)}): check the date in {_mention(c)}."
                        ),
                    )
                )
    # citation_contradicts_registry
    seen_reg: set[tuple[str, str]] = set()
    for c in citations:
        entry = reg.get(c.key or "")
        if not entry:
            continue
        true_date = entry.get("date")
        if c.issued_date and true_date and c.issued_date != true_date and (c.key, "date") not in seen_reg:
            seen_reg.add((c.key, "date"))  # type: ignore[arg-type]
            out.append(
                Finding(
                    kind="citation_contradicts_registry",
                    severity="error",
                    key=c.key,
                    text=c.text,
                    section=c.section,
                    message=(
                        f"{entry.get('doc_type', c.doc_type)} {entry['key']} was issued on {fmt_date(true_date)}, "
                        f"but this report dates it {fmt_date(c.issued_date)} in {_mention(c)}: correct the date."
                    ),
                )
            )
        true_type = entry.get("doc_type")
        if (
            true_type
            and c.doc_type
            and c.doc_type not in ("Văn bản",)
            and c.doc_type != true_type
            and (c.key, "type") not in seen_reg
        ):
            seen_reg.add((c.key, "type"))  # type: ignore[arg-type]
            out.append(
                Finding(
                    kind="citation_contradicts_registry",
                    severity="warning",
                    key=c.key,
                    text=c.text,
                    section=c.section,
                    message=(
                        f"{entry['key']} is a {true_type}, but this report calls it a {c.doc_type} in "
                        f"{_mention(c)}: correct the document type."
                    ),
                )
            )
    return out


# ---------------------------------------------------------------------------------------------------------------
# the whole report


def audit_document(
    doc: Document,
    figures: list[Figure],
    citations: list[Citation],
    footnote_counts: FootnoteCounts | None = None,
    document_id: str | None = None,
) -> list[Finding]:
    """Every finding for one report."""
    findings: list[Finding] = []
    findings += ratio_findings(figures)
    findings += footnote_findings(footnote_counts or {}, doc)
    findings += part_whole_findings(doc)
    for table in logical_tables(doc.tables):
        findings += table_findings(table)
    findings += citation_findings(doc, citations)
    for f in findings:
        f.document_id = document_id
    return findings


# ---------------------------------------------------------------------------------------------------------------
# across reports


@functools.cache  # a pure function of the key once the rules are loaded; asked for every citation in the corpus
def _is_central(key: str) -> bool:
    if key in registry():
        return True
    central = set(_settings()["central_issuers"])
    symbol = key.split("/", 1)[1] if "/" in key else ""
    codes = _CODE_SPLIT.split(symbol)
    return any(code in central for code in codes[1:] or codes)


def corpus_date_conflicts(
    rows: Iterable[tuple[str, str | None, date | str | None]], names: Mapping[str, str] | None = None
) -> list[Finding]:
    """Central documents cited with different dates in different reports.

    ``rows`` are (document_id, key, issued_date) of every citation in the database; ``names`` maps a document id to
    the name to show (its file name). Two reports must disagree outright (no date in common): a report citing
    both the right and a wrong date is that report's own conflict, found by :func:`audit_document`.
    """
    names = names or {}
    seen: dict[str, dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc_id, key, when in rows:
        if not key or not when or not _is_central(key):
            continue
        if isinstance(when, str):
            try:
                when = date.fromisoformat(when)
            except ValueError:
                continue
        seen[key][when].add(doc_id)
    out = []
    for key in sorted(seen):
        dates = seen[key]
        if len(dates) < 2:
            continue
        docs_by_date = {d: ids for d, ids in dates.items()}
        all_docs = set().union(*docs_by_date.values())
        if len(all_docs) < 2:
            continue
        # two reports must disagree outright (no date in common); a report that itself uses two dates, one of
        # them the others' date, is that report's own conflict, found by audit_document
        per_doc: dict[str, set[date]] = defaultdict(set)
        for d, ids in docs_by_date.items():
            for i in ids:
                per_doc[i].add(d)
        sets = list(per_doc.values())
        if not any(not (a & b) for n, a in enumerate(sets) for b in sets[n + 1 :]):
            continue
        listing = "; ".join(
            f"{fmt_date(d)} in {', '.join(sorted(names.get(i, i[:12]) for i in ids))}"
            for d, ids in sorted(docs_by_date.items())
        )
        entry = registry().get(key)
        advice = (
            f" The registry gives {fmt_date(entry['date'])}: correct the other reports."
            if entry and entry.get("date")
            else " Check the original and correct the wrong reports."
        )
        out.append(
            Finding(
                kind="citation_date_conflict",
                severity="error",
                key=key,
                document_id=None,
                message=f"{key} is dated differently across reports: {listing}.{advice}",
                text=", ".join(fmt_date(d) for d in sorted(docs_by_date)),
            )
        )
    return out


def audit_corpus(db: str | Path | sqlite3.Connection) -> list[Finding]:
    """Cross-report findings for a docmine database (reads the ``citations`` and ``documents`` tables)."""
    conn = db if isinstance(db, sqlite3.Connection) else sqlite3.connect(str(db))
    try:
        names = dict(conn.execute("SELECT id, COALESCE(file_name, path, id) FROM documents").fetchall())
        rows = conn.execute(
            "SELECT document_id, key, issued_date FROM citations WHERE key IS NOT NULL AND issued_date IS NOT NULL"
        ).fetchall()
    finally:
        if not isinstance(db, sqlite3.Connection):
            conn.close()
    return corpus_date_conflicts(rows, names)
