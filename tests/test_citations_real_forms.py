"""Citation forms real writers use (issue 19 item 5), with real sentences from corpus/real/ and what must NOT match."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.extract.citations import extract_from_text, rules


def keys(text: str) -> list[str]:
    return [c.key for c in extract_from_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tvpl-cv1539: a law named with its number
        ("Căn cứ khoản 2 Điều 49 Luật Quản lý thuế số 38/2019/QH14 ngày 13/6/2019 của Quốc hội", ["38/2019/QH14"]),
        # tvpl-cv5608: lower-case name, and the registry name with the year
        ("theo đúng quy định tại Luật đất đai số 31/2024/QH15 và Nghị định số 71/2024/NĐ-CP",
         ["31/2024/QH15", "71/2024/NĐ-CP"]),
        ("trước ngày Luật Đất đai năm 2024 có hiệu lực thi hành", ["31/2024/QH15"]),
        # names holding commas and "và": matched against rules/laws.yaml, not cut at the comma
        ("Căn cứ Luật Trật tự, an toàn giao thông đường bộ ngày 27 tháng 6 năm 2024;", ["36/2024/QH15"]),
        ("Luật Tài nguyên, môi trường biển và hải đảo", ["82/2015/QH13"]),
        ("Luật Địa chất và khoáng sản ngày 29/11/2024", ["54/2024/QH15"]),
        ("theo Bộ luật Lao động năm 2019", ["45/2019/QH14"]),
        # tvpl-kh174: the writer dropped the comma of "Phòng, chống"
        ("truyền thông Luật Phòng chống bạo lực gia đình, Bộ tiêu chí", ["13/2022/QH15"]),
        # an amending law is a law of its own
        ("Luật sửa đổi, bổ sung một số điều của Luật Đất đai",
         ["Luật|sửa đổi, bổ sung một số điều của Luật Đất đai|"]),
        # the 2025 decimal numbering
        ("Nghị quyết số 66.2/2025/NQ-CP ngày 15/5/2025 của Chính phủ", ["66.2/2025/NQ-CP"]),
        # technical standards (lc-tb-sanbang)
        ("đáp ứng QCVN 122:2024/BGTVT và TCVN 4054:2005", ["QCVN 122:2024/BGTVT", "TCVN 4054:2005"]),
        # numbers after a list without their own type word
        ("Công văn số 5120/UBND-KT và số 5121/UBND-KT ngày 02/3/2025 của UBND tỉnh", ["5120/UBND-KT", "5121/UBND-KT"]),
        # stray spaces (tvpl-cv1539 "TT- BTC") and "&" in a unit (tvpl-kh174)
        ("tại Điều 10 Thông tư số 111/2013/TT- BTC ngày 15/8/2013", ["111/2013/TT-BTC"]),
        ("Công văn số 8935/BNV-CTTN&BĐG ngày 03 tháng 10 năm 2025", ["8935/BNV-CTTN&BĐG"]),
        ("Kế hoạch số 245 /KH- UBND ngày 01/7/2025", ["245/KH-UBND"]),
        # Thông tư liên tịch (qlvb-ct09)
        ("Thông tư liên tịch số 02/2008/TTLT-BKHCN-BNV ngày 12/2/2008", ["02/2008/TTLT-BKHCN-BNV"]),
    ],
)
def test_real_forms(text, expected):
    assert keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "đạt số 1.234 hồ sơ",  # a quantity, not a decimal number
        "diện tích 66.2 ha",  # a decimal without a symbol
        "Luật này có hiệu lực",  # no name
        "QCVN chưa ban hành",  # no number
        "theo khoản 2 Điều 3 của Luật",  # bare "Luật"
    ],
)
def test_not_citations(text):
    assert keys(text) == []


def test_law_registry_dates_and_issuer():
    c = extract_from_text("Luật Giao dịch điện tử năm 2023")[0]
    assert (c.key, c.issuer, c.number, c.symbol) == ("20/2023/QH15", "Quốc hội", "20", "2023/QH15")
    entry = rules().by_key["36/2024/QH15"]
    assert entry["date"] == date(2024, 6, 27)
    # every registry key is a law's number: NN/YYYY/QHnn, and the year is the year of its date
    for law in rules().law_registry.values():
        number, year, qh = law["key"].split("/")
        assert number.isdigit() and qh.startswith("QH") and int(year) == law["date"].year


def test_unknown_law_keeps_a_name_key():
    assert keys("theo Luật Cư trú năm 2006,") == ["Luật|Cư trú|2006"]
