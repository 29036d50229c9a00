"""Vietnamese dates and periods (domain.md §4): real forms from the corpus, and property tests."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.lang.dates import find_dates, parse_date, parse_period

REAL_DATES = [
    # Bình Sơn: the request the report answers
    ("Công văn số 2815/TCTĐA06, ngày 06/6/2023 của Tổ Công tác Đề án 06 tỉnh", date(2023, 6, 6)),
    ("Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ", date(2022, 1, 6)),
    ("Bình Sơn, ngày 15 tháng 12 năm 2022", date(2022, 12, 15)),
    # Tuyên Quang: the Sở Tư pháp incoming-mail stamp
    ("ĐẾN Số: 4.15 Ngày 13 -01- 2023", date(2023, 1, 13)),
    ("ngày 04 /4/2022", date(2022, 4, 4)),
    ("ngày 06.01.2022", date(2022, 1, 6)),
    # real/tvpl-tb624-vpcp.md: the portal copy's typo "nám" for "năm" (57-NQ/TW of the Bộ Chính trị)
    ("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 nám 2024 của Bộ Chính trị", date(2024, 12, 22)),
    ("NGÀY 15 THÁNG 12 NĂM 2022", date(2022, 12, 15)),  # a heading in capitals
    ("Ha Noi, ngay 15 thang 12 nam 2022", date(2022, 12, 15)),  # a text typed without marks
]


@pytest.mark.parametrize(("text", "expected"), REAL_DATES)
def test_real_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ngày      tháng     năm 2022",  # a blank template date
        "Kèm theo Công văn số           /STP-HCTP ngày      /     /2023",
        "193/193, tỷ lệ 100%",  # a ratio
        "168.411 / 83.838 = 200,87%",
        "ngày 31/02/2023",  # no such day
        "quý I/2023",
        "Quyết định số 06/QĐ-TTg",
        "ngày 15 tháng 12 nêm 2022",  # another vowel, not a slipped mark of "năm"
        "ngày 15 tháng 12 nhằm 2022",  # another word
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


REAL_PERIODS = [
    ("tháng 12/2022", date(2022, 12, 1), date(2022, 12, 31)),
    ("tháng 02 năm 2024", date(2024, 2, 1), date(2024, 2, 29)),
    ("quý I/2023", date(2023, 1, 1), date(2023, 3, 31)),
    ("quý IV năm 2023", date(2023, 10, 1), date(2023, 12, 31)),
    ("6 tháng đầu năm 2023", date(2023, 1, 1), date(2023, 6, 30)),
    ("06 tháng cuối năm 2023", date(2023, 7, 1), date(2023, 12, 31)),
    ("9 tháng đầu năm 2023", date(2023, 1, 1), date(2023, 9, 30)),
    ("năm 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("02 năm (2022-2023)", date(2022, 1, 1), date(2023, 12, 31)),
    ("từ ngày 06/01/2022 đến ngày 16/12/2022", date(2022, 1, 6), date(2022, 12, 16)),
]


@pytest.mark.parametrize(("text", "start", "end"), REAL_PERIODS)
def test_real_periods(text: str, start: date, end: date) -> None:
    assert parse_period(text) == (text, start, end)


def test_period_in_a_title() -> None:
    # Bình Sơn title: the first period is the one reported on
    title = "Kết quả thực hiện Đề án 06 trong 06 tháng đầu năm 2023; phương hướng nhiệm vụ 06 tháng cuối năm 2023"
    assert parse_period(title) == ("06 tháng đầu năm 2023", date(2023, 1, 1), date(2023, 6, 30))
    # Sơn Trà: results of 2024 and tasks for 2025
    assert parse_period("kết quả thực hiện năm 2024 và nhiệm vụ năm 2025")[1:] == (date(2024, 1, 1), date(2024, 12, 31))


def test_year_of_a_date_is_not_a_period() -> None:
    assert parse_period("Ngã Bảy, ngày 08 tháng 01 năm 2023") is None
    assert parse_period("ngày 06/01/2022") is None


def test_find_dates_spans() -> None:
    text = "Chỉ thị số 05/CT-TTg ngày 23/02/2023 và Quyết định 06/QĐ-TTg ngày 06/01/2022"
    found = find_dates(text)
    assert [f.value for f in found] == [date(2023, 2, 23), date(2022, 1, 6)]
    assert [text[f.start : f.end] for f in found] == ["23/02/2023", "06/01/2022"]


dates = st.dates(min_value=date(1945, 1, 1), max_value=date(2099, 12, 31))


@given(dates, st.sampled_from(["/", "-", "."]), st.booleans(), st.booleans(), st.sampled_from(["", " "]))
def test_numeric_round_trip(d: date, sep: str, pad_day: bool, pad_month: bool, space: str) -> None:
    day = f"{d.day:02d}" if pad_day else str(d.day)
    month = f"{d.month:02d}" if pad_month else str(d.month)
    text = f"ban hành ngày {day}{space}{sep}{space}{month}{sep}{d.year} của"
    assert parse_date(text) == d


@given(dates)
def test_long_form_round_trip(d: date) -> None:
    assert parse_date(f"Hà Nội, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}") == d


MARKED_A = "aàáảãạ"


@given(dates, st.sampled_from(MARKED_A), st.sampled_from(MARKED_A), st.sampled_from(MARKED_A + "ăằắẳẵặâầấẩẫậ"),
       st.booleans())
def test_long_form_with_any_mark_slip(d: date, a1: str, a2: str, a3: str, upper: bool) -> None:
    """One slipped mark on "ngày", "tháng" or "năm" (a typo, OCR, a text without marks) keeps the date."""
    text = f"ng{a1}y {d.day} th{a2}ng {d.month} n{a3}m {d.year}"
    assert parse_date(text.upper() if upper else text) == d


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1945, 2099))
def test_invalid_dates_are_rejected(day: int, month: int, year: int) -> None:
    try:
        expected: date | None = date(year, month, day)
    except ValueError:
        expected = None
    assert parse_date(f"ngày {day}/{month}/{year}") == expected


@given(st.integers(1, 12), st.integers(1945, 2099))
def test_month_period_covers_the_month(month: int, year: int) -> None:
    _, start, end = parse_period(f"tháng {month}/{year}")
    assert (start.year, start.month, start.day) == (year, month, 1)
    assert (end.year, end.month) == (year, month)
    assert (date.fromordinal(end.toordinal() + 1)).day == 1


@given(st.integers(1, 12), st.sampled_from(["đầu", "cuối"]), st.integers(1945, 2099))
def test_months_of_year_period(n: int, side: str, year: int) -> None:
    _, start, end = parse_period(f"{n:02d} tháng {side} năm {year}")
    assert start.year == end.year == year
    assert (end.month - start.month + 1) == n
    assert (start.month == 1) if side == "đầu" else (end.month == 12 and end.day == 31)


@given(st.integers(1, 4), st.integers(1945, 2099), st.booleans())
def test_quarter_period(q: int, year: int, roman: bool) -> None:
    label = ["I", "II", "III", "IV"][q - 1] if roman else str(q)
    _, start, end = parse_period(f"quý {label}/{year}")
    assert start == date(year, 3 * q - 2, 1)
    assert end.month == 3 * q and (end.toordinal() - start.toordinal()) in range(88, 92)


@given(st.text(max_size=80))
def test_never_crashes(text: str) -> None:
    result = parse_period(text)
    assert result is None or result[1] <= result[2]
    d = parse_date(text)
    assert d is None or isinstance(d, date)
