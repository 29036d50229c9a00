"""Vietnamese dates and reporting periods (domain.md §4). Day first, always.

Dates: "ngày 06/6/2023", "06/01/2022", "ngày 15 tháng 12 năm 2022", "ngày 13 -01- 2023", "06.01.2022".
Periods: "tháng 12/2022", "tháng 12 năm 2022", "quý I/2023", "quý IV năm 2023", "6 tháng đầu năm 2023",
"06 tháng cuối năm 2023", "9 tháng đầu năm 2023", "năm 2024", "02 năm (2022-2023)",
"từ ngày 06/01/2022 đến ngày 16/12/2022".

Public API (imported by metadata and citations):

- ``parse_date(text) -> date | None``: the first complete, valid date written in ``text``.
- ``parse_period(text) -> (period_text, start, end) | None``: the first reporting period in ``text``.
- ``find_dates(text) -> list[DateMatch]``: every complete date with its span, for extractors that need offsets.

Blank template dates ("ngày      tháng     năm 2022", "ngày  /  /2023") are not dates: ``parse_date`` returns
None for them (``parse_period`` still sees "năm 2022").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import regex

_YEAR = r"(?:19|20)\d\d"
# numeric: 06/6/2023, 06-01-2022, 06.01.2022, "13 -01- 2023" (stray spaces, as in stamps and OCR)
_NUMERIC = regex.compile(
    rf"(?<![\d/.\-])(?P<d>[0-3]?\d)\s{{0,2}}(?P<sep>[/.\-–])\s{{0,2}}(?P<m>[01]?\d)\s{{0,2}}(?P=sep)\s{{0,2}}"
    rf"(?P<y>{_YEAR})(?![\d/])"
)
# long form: "ngày 15 tháng 12 năm 2022" (the "ngày" is required so a period "6 tháng đầu năm" never matches). The
# three words are known by their letters whatever their marks: a typo or an OCR slip of one mark ("tháng 12 nám 2024"
# in real/tvpl-tb624-vpcp.md) or a text typed without marks ("ngay 15 thang 12 nam 2022") is the same date, since the
# "ngày D tháng M năm YYYY" frame around two numbers and a year is unmistakable
_A = "aàáảãạ"
_NGAY, _THANG, _NAM = rf"ng[{_A}]y", rf"th[{_A}]ng", rf"n[{_A}ăằắẳẵặâầấẩẫậ]m"
_LONG = regex.compile(
    rf"(?i)\b{_NGAY}\s{{1,3}}(?P<d>[0-3]?\d)\s{{1,3}}{_THANG}\s{{1,3}}(?P<m>[01]?\d)\s{{1,3}}{_NAM}\s{{1,3}}"
    rf"(?P<y>{_YEAR})\b"
)


@dataclass(frozen=True)
class DateMatch:
    """A complete date found in a text: ``text[start:end]`` is how it is written (without a leading "ngày")."""

    start: int
    end: int
    value: date
    text: str


def _valid(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Every complete and valid day-month-year date in ``text``, in order of appearance."""
    found: list[DateMatch] = []
    for pattern in (_LONG, _NUMERIC):
        for m in pattern.finditer(text):
            value = _valid(m.group("d"), m.group("m"), m.group("y"))
            if value is None:
                continue
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            found.append(DateMatch(m.start(), m.end(), value, m.group(0)))
    found.sort(key=lambda f: f.start)
    return found


def parse_date(text: str | None) -> date | None:
    """The first complete, valid date in ``text`` ("Sơn Trà, ngày 08 tháng 01 năm 2023" → 2023-01-08), else None."""
    if not text:
        return None
    found = find_dates(text)
    return found[0].value if found else None


# ---------------------------------------------------------------------------------------------------------------
# Periods

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_MONTH_YEAR = regex.compile(
    rf"(?i)(?<!ngày\s{{0,3}}\d{{1,2}}\s{{0,3}})\btháng\s{{1,3}}(?P<m>[01]?\d)\s{{0,2}}(?:/|-|\s{{1,3}}năm\s{{1,3}})\s{{0,2}}"
    rf"(?P<y>{_YEAR})\b"
)
_QUARTER = regex.compile(
    rf"(?i)\bquý\s{{1,3}}(?P<q>IV|I{{1,3}}|[1-4])\s{{0,2}}(?:/|-|\s{{1,3}}năm\s{{1,3}})\s{{0,2}}(?P<y>{_YEAR})\b"
)
# "6 tháng đầu năm 2023", "06 tháng cuối năm 2023", "9 tháng đầu năm 2023", "6 tháng năm 2023"
_MONTHS_OF_YEAR = regex.compile(
    rf"(?i)\b(?P<n>0?[1-9]|1[0-2])\s{{1,3}}tháng\s{{1,3}}(?:(?P<side>đầu|cuối)\s{{1,3}})?năm\s{{1,3}}(?P<y>{_YEAR})\b"
)
# "năm 2024", "Năm 2022"
_YEAR_ONLY = regex.compile(rf"(?i)\bnăm\s{{1,3}}(?P<y>{_YEAR})\b(?!\s{{0,2}}[-–]\s{{0,2}}{_YEAR})")
# "(2022-2023)", "giai đoạn 2022 - 2025", "02 năm 2022-2023"
_YEAR_SPAN = regex.compile(
    rf"(?i)(?:\b\d{{1,2}}\s{{1,3}}năm\s{{0,3}}\(\s{{0,2}}|\bgiai\s{{1,3}}đoạn\s{{1,3}}|\bnăm\s{{1,3}})?"
    rf"(?P<a>{_YEAR})\s{{0,2}}[-–]\s{{0,2}}(?P<b>{_YEAR})(?![\d/])(?:\s{{0,2}}\))?"
)
# "từ ngày 06/01/2022 đến ngày 16/12/2022" -- the two dates are found with find_dates
_RANGE = regex.compile(r"(?i)\btừ\s{1,3}(?:ngày\s{1,3})?(?P<a>[^\n]{6,30}?)\s{0,3}(?:đến|tới)\s{1,3}(?:ngày\s{1,3})?")


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


@dataclass(frozen=True)
class _Period:
    start_offset: int
    end_offset: int
    text: str
    start: date
    end: date


def _periods(text: str) -> list[_Period]:
    out: list[_Period] = []

    def add(s: int, e: int, a: date, b: date) -> None:
        if a <= b:
            out.append(_Period(s, e, text[s:e], a, b))

    for m in _RANGE.finditer(text):
        first = find_dates(m.group("a"))
        if not first:
            continue
        tail = find_dates(text[m.end() : m.end() + 40])
        if not tail or tail[0].start > 2:
            continue
        add(m.start(), m.end() + tail[0].end, first[0].value, tail[0].value)
    for m in _MONTHS_OF_YEAR.finditer(text):
        n, y = int(m.group("n")), int(m.group("y"))
        side = (m.group("side") or "đầu").lower()
        if side == "đầu":
            add(m.start(), m.end(), date(y, 1, 1), _month_end(y, n))
        else:
            add(m.start(), m.end(), date(y, 13 - n, 1), date(y, 12, 31))
    for m in _QUARTER.finditer(text):
        q = m.group("q").upper()
        qn = _ROMAN.get(q) or int(q)
        y = int(m.group("y"))
        add(m.start(), m.end(), date(y, 3 * qn - 2, 1), _month_end(y, 3 * qn))
    for m in _MONTH_YEAR.finditer(text):
        mo, y = int(m.group("m")), int(m.group("y"))
        if 1 <= mo <= 12:
            add(m.start(), m.end(), date(y, mo, 1), _month_end(y, mo))
    for m in _YEAR_SPAN.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a < b <= a + 10:
            add(m.start(), m.end(), date(a, 1, 1), date(b, 12, 31))
    for m in _YEAR_ONLY.finditer(text):
        y = int(m.group("y"))
        add(m.start(), m.end(), date(y, 1, 1), date(y, 12, 31))
    return out


def find_periods(text: str) -> list[tuple[int, int, str, date, date]]:
    """Every period in ``text`` not contained in a longer one: (start, end, text, first day, last day)."""
    found = _periods(text or "")
    # the year of a complete date ("ngày 08 tháng 01 năm 2023", "06/01/2022") is not a period
    dates = find_dates(text or "")
    kept: list[_Period] = []
    for p in sorted(found, key=lambda p: (p.start_offset, -(p.end_offset - p.start_offset))):
        if any(k.start_offset <= p.start_offset and p.end_offset <= k.end_offset for k in kept):
            continue
        is_range = p.text[:2].lower() == "từ"
        if not is_range and any(d.start < p.end_offset and p.start_offset < d.end for d in dates):
            continue
        kept.append(p)
    return [(p.start_offset, p.end_offset, p.text, p.start, p.end) for p in kept]


def parse_period(text: str | None) -> tuple[str, date, date] | None:
    """The first reporting period in ``text``: ("6 tháng đầu năm 2023", 2023-01-01, 2023-06-30), else None."""
    if not text:
        return None
    found = find_periods(text)
    if not found:
        return None
    _, _, ptext, start, end = found[0]
    return ptext, start, end


_DAY_WORD = regex.compile(r"(?i)(?:ngày[ \t]*)?")
_BLANK_DATE = regex.compile(
    rf"(?i)ngày[ \t]*(?:/[ \t]*/[ \t]*{_YEAR}|\.{{2,}}[ \t/]*\.*[ \t/]*{_YEAR}|tháng[ \t]+năm[ \t]+{_YEAR})\b"
)


def date_at(text: str, pos: int) -> tuple[date | None, int] | None:
    """A date written exactly at ``pos`` ("ngày 06/6/2023", "06/01/2022", "ngày 08 tháng 4 năm 2020", or a blank
    template "ngày / /2023"): (date or None for a blank, end offset), else None."""
    m = _LONG.match(text, pos)
    if m:
        return _valid(m.group("d"), m.group("m"), m.group("y")), m.end()
    lead = _DAY_WORD.match(text, pos)
    start = lead.end() if lead else pos
    m = _NUMERIC.match(text, start)
    if m:
        value = _valid(m.group("d"), m.group("m"), m.group("y"))
        if value is not None:
            return value, m.end()
        return None
    m = _BLANK_DATE.match(text, pos)
    if m:
        return None, m.end()
    return None
