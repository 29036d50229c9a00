"""Vietnamese number conventions (domain.md §5): examples from the corpus and hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.lang.numbers import column_convention, decimals, is_zero_padded, mask_latex, numbers_in, parse_number


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("53.852", 53852),  # "53.852 trường hợp" (Tuyên Quang)
        ("52,81", 52.81),  # "đạt tỉ lệ 52,81%"
        ("99.94", 99.94),  # mixed usage: "đạt 99.94%"
        ("98.5", 98.5),  # "đạt tỉ lệ 98.5%" (Bình Sơn)
        ("10.7", 10.7),
        ("200,87", 200.87),
        ("1.231", 1231),  # "1.231/1.231" (Sơn Trà)
        ("10.706.000", 10706000),
        ("1.234,5", 1234.5),
        ("02", 2),  # zero-padded counts
        ("00", 0),
        ("6316", 6316),
        ("1,5", 1.5),  # "1,5 tỷ đồng"
    ],
)
def test_vietnamese_running_text(token: str, value: float) -> None:
    assert parse_number(token) == value


@pytest.mark.parametrize(("token", "value"), [("12,712", 12712), ("5,909", 5909), ("1,234.5", 1234.5), ("42", 42)])
def test_english_table_columns(token: str, value: float) -> None:
    assert parse_number(token, "en") == value


def test_not_numbers() -> None:
    assert parse_number("") is None
    assert parse_number("4.15a") is None
    assert parse_number("1.23.4") is None


def test_column_convention_from_the_tuyen_quang_table() -> None:
    # column (6) of the statistics table: Excel-style thousands
    assert column_convention(["42", "5", "12,712", "1,800", "34", "8,886", "25,372"]) == "en"
    assert column_convention(["53.852", "52,81"]) == "vi"
    assert column_convention(["4", "4", "4"]) == "vi"


def test_decimals_give_the_stated_precision() -> None:
    assert decimals("52,81") == 2
    assert decimals("97") == 0
    assert decimals("53.852") == 0
    assert decimals("10.7") == 1


def test_zero_padded() -> None:
    assert is_zero_padded("02") and is_zero_padded("00")
    assert not is_zero_padded("20") and not is_zero_padded("2")


def test_latex_fragments_are_blanked_in_place() -> None:
    text = "Tổng số: $168.411 / 83.838 = 200,87\\%$ so với chỉ tiêu"
    masked = mask_latex(text)
    assert len(masked) == len(text)
    assert "168.411 / 83.838 = 200,87 %" in masked
    assert [v for _, _, v in numbers_in(masked)] == [168411, 83838, 200.87]


def test_numbers_glued_to_letters_are_not_numbers() -> None:
    assert [v for _, _, v in numbers_in("Số hồ sơ CC02 đã nộp về PC06 18.224 hồ sơ")] == [18224]


def _vi(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**12))
def test_vietnamese_thousands_round_trip(n: int) -> None:
    assert parse_number(_vi(n)) == n


@given(st.integers(min_value=0, max_value=10**12))
def test_english_thousands_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}", "en") == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_comma_decimal_round_trip(whole: int, frac: int) -> None:
    token = f"{_vi(whole)},{frac:02d}"
    assert parse_number(token) == pytest.approx(whole + frac / 100)
    assert decimals(token) == 2


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=99))
def test_dot_with_one_or_two_digits_is_a_decimal_point(whole: int, frac: int) -> None:
    # "99.94%", "98.5%": not three digits after the dot, so not a thousands separator
    assert parse_number(f"{whole}.{frac:02d}") == pytest.approx(whole + frac / 100)


@given(st.integers(min_value=0, max_value=999))
def test_zero_padding_does_not_change_the_value(n: int) -> None:
    assert parse_number(f"{n:03d}") == n


@given(st.lists(st.integers(min_value=1000, max_value=10**7), min_size=2, max_size=12))
def test_a_column_of_excel_thousands_is_english(values: list[int]) -> None:
    assert column_convention(f"{v:,}" for v in values) == "en"


@given(st.text(alphabet="0123456789.,$\\% abcđ", max_size=40))
def test_mask_latex_keeps_length(text: str) -> None:
    assert len(mask_latex(text)) == len(text)
