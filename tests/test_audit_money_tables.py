"""Money cells in statistics tables (domain.md §5: tỷ = 10^9, triệu = 10^6, nghìn = 10^3): "1,25 tỷ đồng" beside
"750.000.000 đồng" adds up to "2 tỷ đồng", and a column headed "(triệu đồng)" keeps its bare numbers in triệu.
The numbers are read by extractor/lang/numbers.py and the money words come from rules/number_conventions.yaml."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.audit.tables import column_scale, table_findings
from extractor.lang.numbers import money_multipliers
from extractor.model import Table


def _table(header: str, cells: list[str], total: str) -> Table:
    rows = [["STT", "Nội dung", header]]
    rows += [[str(i), f"Xã {name}", c] for i, (name, c) in enumerate(zip(["Tân Lợi", "Thạch Bình", "Thạch Hưng",
                                                                           "Mỹ Hòa"], cells, strict=False), 1)]
    rows.append(["", "Tổng cộng", total])
    return Table(index=1, rows=rows)


@pytest.mark.parametrize(("header", "cells", "total"), [
    ("Kinh phí hỗ trợ", ["1,25 tỷ đồng", "750.000.000 đồng"], "2 tỷ đồng"),
    ("Kinh phí hỗ trợ", ["1.250.000.000 đồng", "750 triệu đồng", "0,5 tỷ"], "2,5 tỷ đồng"),
    ("Kinh phí (triệu đồng)", ["1.250", "750", "0,5 tỷ đồng"], "2.500"),
    ("Tổng mức đầu tư (tỷ đồng)", ["230,2", "11,14", "900"], "1.141,34"),
    ("Số tiền (đồng)", ["10.006.866.385", "54.243.000.000"], "64.249.866.385"),
])
def test_money_columns_that_add_up(header: str, cells: list[str], total: str) -> None:
    assert table_findings(_table(header, cells, total)) == []


def test_money_total_that_does_not_add_up() -> None:
    [finding] = table_findings(_table("Kinh phí hỗ trợ", ["1,25 tỷ đồng", "750.000.000 đồng"], "2,1 tỷ đồng"))
    assert finding.kind == "table_total_mismatch"
    assert finding.message == ("Bảng 2, dòng “Tổng cộng”, cột 3 (Kinh phí hỗ trợ): các dòng cộng lại được "
                               "2.000.000.000 nhưng dòng tổng ghi 2.100.000.000; sửa dòng tổng hoặc các dòng số liệu.")


def test_money_total_in_a_column_of_trieu() -> None:
    [finding] = table_findings(_table("Kinh phí (triệu đồng)", ["1.250", "0,75 tỷ đồng"], "1.900"))
    assert "các dòng cộng lại được 2.000 nhưng dòng tổng ghi 1.900" in finding.message


@pytest.mark.parametrize(("header", "scale"), [("Kinh phí (triệu đồng)", 10**6), ("TMĐT dự kiến (tỷ đồng)", 10**9),
                                               ("Số tiền (đồng)", 1), ("Hồ sơ Căn cước công dân", 1),
                                               ("Kinh phí (nghìn đồng)", 10**3)])
def test_column_scale(header: str, scale: int) -> None:
    assert column_scale(header) == scale


def test_text_beside_amounts_is_no_money_column() -> None:
    # a column of remarks ("Quy mô tối đa (75 ha)") is not summed
    assert table_findings(_table("Ghi chú", ["1,25 tỷ đồng", "chưa bố trí"], "2 tỷ đồng")) == []


_WORDS = ["tỷ", "triệu", "nghìn"]


@given(st.lists(st.tuples(st.integers(1, 999), st.sampled_from(_WORDS)), min_size=2, max_size=4))
def test_any_amounts_add_up_in_dong(parts: list[tuple[int, str]]) -> None:
    total = sum(n * money_multipliers()[w] for n, w in parts)
    cells = [f"{n} {w} đồng" for n, w in parts]
    written = f"{total:,}".replace(",", ".") + " đồng"
    assert table_findings(_table("Kinh phí hỗ trợ", cells, written)) == []
    wrong = f"{total + 1000:,}".replace(",", ".") + " đồng"
    assert [f.kind for f in table_findings(_table("Kinh phí hỗ trợ", cells, wrong))] == ["table_total_mismatch"]
