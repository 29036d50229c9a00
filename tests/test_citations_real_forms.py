"""Citation forms real writers use (issue 19 item 5), with real sentences from corpus/real/ and what must NOT match."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from extractor.extract.citations import extract_from_text, rules
from extractor.resources import load_rules


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
    # a year the registry holds no version of is a law it does not know: a name key, never a number
    assert keys("theo Luật Cư trú năm 2013,") == ["Luật|Cư trú|2013"]
    assert keys("theo Luật Cư trú năm 2006,") == ["81/2006/QH11"]  # the 2006 version is registered


# rules/laws.yaml as data: every entry checked against a source (issue 19: "a registry of the laws and codes in
# force … in rules/ as data with its source")
_KEY = re.compile(r"(?P<number>[1-9]\d{0,2}|0[1-9])/(?P<year>(?:19|20)\d\d)/QH(?P<term>\d{1,2})")
# each Quốc hội term, from the 1st of July of the year of its election (its first session sits in July; its
# predecessor's last one ended in spring): a law adopted in it carries that term's QH number
_TERMS = {10: date(1997, 7, 1), 11: date(2002, 7, 1), 12: date(2007, 7, 1), 13: date(2011, 7, 1),
          14: date(2016, 7, 1), 15: date(2021, 7, 1)}


def _registry() -> list[dict]:
    return load_rules("laws.yaml")["laws"]


def test_registry_entries_are_well_formed():
    laws = _registry()
    assert len(laws) >= 80
    for law in laws:
        assert set(law) <= {"name", "key", "date", "aliases", "source", "seen"}, law
        assert law["name"].startswith(("Luật ", "Bộ luật ")), law
        assert isinstance(law["date"], date), law
        m = _KEY.fullmatch(law["key"])
        assert m, law
        assert int(m["year"]) == law["date"].year, law  # 31/2024/QH15 adopted in 2024
        term = int(m["term"])
        assert _TERMS[term] <= law["date"] < _TERMS.get(term + 1, date.max), law  # the legislature of its date
        sources = law.get("source") or []
        sources = [sources] if isinstance(sources, str) else sources
        assert all(s.startswith(("https://", "http://")) for s in sources), law
        assert sources or law.get("seen"), f"{law['name']} {law['key']}: no source and not seen in a document"
        assert all(isinstance(a, str) and a.startswith(("Luật ", "Bộ luật ")) for a in law.get("aliases") or []), law


def test_registry_has_no_duplicates():
    laws = _registry()
    pairs = Counter((law["name"], law["date"]) for law in laws)
    assert [p for p, n in pairs.items() if n > 1] == []
    numbers = Counter(law["key"] for law in laws)
    assert [k for k, n in numbers.items() if n > 1] == []  # one number, one law
    # two versions of one name are never adopted in the same year: the year written after a name picks one
    years = Counter((law["name"], law["date"].year) for law in laws)
    assert [p for p, n in years.items() if n > 1] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tvpl-tb624-vpcp.md, Phụ lục I row 4: names holding commas, matched whole against the registry
        ("Xây dựng Luật sửa đổi, bổ sung 07 Luật (Luật Đấu thầu; Luật Đầu tư theo phương thức đối tác công tư; Luật "
         "Hải quan; Luật Thuế xuất khẩu, thuế nhập khẩu; Luật Đầu tư;",
         ["22/2023/QH15", "64/2020/QH14", "54/2014/QH13", "107/2016/QH13", "61/2020/QH14"]),
        ("Luật Quản lý, sử dụng tài sản công)", ["15/2017/QH14"]),
        # row 5: the name printed short ("thuế" left out the second time), an alias of the registry
        ("Xây dựng Luật sửa đổi, bổ sung một số điều Luật Thuế xuất khẩu, nhập khẩu", ["107/2016/QH13"]),
        # row 3: "và" inside a name
        ("Xây dựng các Luật sửa đổi, bổ sung các Luật: (1) Luật Ngân sách nhà nước; (2) Luật Quản lý và đầu tư vốn "
         "nhà nước tại doanh nghiệp; (3) Luật Doanh nghiệp; (4) Luật Quản lý thuế.",
         ["83/2015/QH13", "68/2025/QH15", "59/2020/QH14", "38/2019/QH14"]),
        # lc-bc-ct38.docx 2.7 (a 2026 report, undated day): the newest Luật Thanh tra
        ("Công tác đôn đốc, xử lý sau thanh tra được thực hiện đúng trình tự, thủ tục theo quy định của Luật Thanh "
         "tra và các văn bản hướng dẫn thi hành.", ["84/2025/QH15"]),
        # lc-tb-sanbang.doc: the 2001 law of its own name, not its 2024 successor of another name
        ("phải tuân thủ các quy định về an toàn cháy nổ trong khai thác mỏ lộ thiên theo QCVN 04:2009/BCT và Luật "
         "Phòng cháy và chữa cháy. Hồ sơ thiết kế", ["QCVN 04:2009/BCT", "27/2001/QH10"]),
        # the year written after the name picks the version
        ("trước ngày Luật Đất đai năm 2013 hết hiệu lực", ["45/2013/QH13"]),
        ("theo Luật Thanh tra năm 2022 và", ["11/2022/QH15"]),
    ],
)
def test_registered_names_resolve_to_their_numbers(text, expected):
    assert keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a law the registry does not hold that shares its first words with registered ones (Luật Quản lý thuế,
        # Luật Quản lý, sử dụng tài sản công): not given their number (the 2014 law 69/2014/QH13 is not registered)
        "Luật Quản lý, sử dụng vốn nhà nước đầu tư vào sản xuất, kinh doanh tại doanh nghiệp",
        # Luật Thuế thu nhập cá nhân is not registered (its 2025 successor is unchecked)
        "theo quy định của Luật Thuế thu nhập cá nhân (thay thế)",
        # names a registered name begins ("Luật Giáo dục", "Luật Thương mại") are left out of the registry
        "Luật Giáo dục đại học",
        "Luật Thương mại điện tử",
    ],
)
def test_unregistered_names_get_no_number(text):
    found = keys(text)
    assert found and all(k.startswith("Luật|") for k in found), found


def _dated(day: str, body: str) -> list[str]:
    from extractor.api import extract, read_text

    doc = read_text(f"ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 12/BC-UBND\nLào Cai, ngày {day}\nBÁO CÁO\n\n{body}\n")
    return [c.key for c in extract(doc).citations]


@pytest.mark.parametrize(
    ("day", "want"),
    [
        ("10 tháng 01 năm 2026", ["84/2025/QH15", "63/2025/QH15"]),
        ("10 tháng 01 năm 2024", ["11/2022/QH15", "76/2015/QH13"]),
        ("10 tháng 01 năm 2012", ["56/2010/QH12", "32/2001/QH10"]),
        ("10 tháng 01 năm 2009", ["Luật|Thanh tra|", "32/2001/QH10"]),  # before the first registered Luật Thanh tra
    ],
)
def test_registered_versions_follow_the_citing_date(day, want):
    # lc-bc-ct38.docx 2.7, and "Luật Tổ chức Chính phủ" without its year
    body = ("Công tác xử lý sau thanh tra được thực hiện theo quy định của Luật Thanh tra và các văn bản hướng dẫn "
            "thi hành; Căn cứ Luật Tổ chức Chính phủ;")
    assert _dated(day, body) == want
