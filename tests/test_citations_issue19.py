"""Issue 19: citation forms read off real/ documents that were missed (each sentence is printed so in the document
named; keys checked by eye on the rendered page, see corpus/real_gold/<name>.yaml), and what must NOT be read."""

from __future__ import annotations

import pytest

from extractor.extract.citations import extract_from_text


def keys(text: str) -> list[str]:
    return [c.key for c in extract_from_text(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # lc-bc-ct38.docx: a number continuing a list, without its own type word
        ("tại văn bản số 2687/TTg-KTN ngày 30/12/2014 (đối với tỉnh Lào Cai); số 1316/TTg-KTN ngày 10/8/2015 ( đối với "
         "tỉnh Yên Bái).", ["2687/TTg-KTN", "1316/TTg-KTN"]),
        # lc-bc-vp-ccn.docx: abbreviated type words, several numbers sharing one symbol
        ("Quản lý: UBND phường Âu Lâu. QĐ số 1656 và 1662/QĐ-UBND ngày 30/10/2009.", ["1656/QĐ-UBND", "1662/QĐ-UBND"]),
        ("do nằm trong tuyến đường sắt Lào Cai - Hà Nội - Hải Phòng (NQ số 187/2025/QH15 ngày 19/02/2025).",
         ["187/2025/QH15"]),
        ("các Quyết định số 12, 13 và 15/QĐ-UBND", ["12/QĐ-UBND", "13/QĐ-UBND", "15/QĐ-UBND"]),
        # words between the type word and "số"
        ("theo Giấy phép dịch vụ nổ mìn số 333/GP-ATMT ngày 10/5/2024 của Cục Kỹ thuật an toàn môi trường",
         ["333/GP-ATMT"]),  # lc-bc-vlncn-2025.docx
        ("đã được cấp Giấy phép thăm dò số 1584/GP-BTNMT ngày 18/5/2018 và được phê duyệt trữ lượng tại Quyết định số "
         "1146/QĐ-HĐTL ngày 04/9/2020.", ["1584/GP-BTNMT", "1146/QĐ-HĐTL"]),  # lc-cv6791-snnmt.pdf
        ("- Báo cáo kết quả thẩm tra TKBVTC - DT số 1327/TVM-XD ngày 28/11/2025 của Công ty cổ phần Tư vấn",
         ["1327/TVM-XD"]),  # lc-tb-sanbang.doc
        ("và tự chịu mọi chi phí, rủi ro (nếu có) theo văn bản cam kết số 487/VIMICO-ĐTXD ngằy 28/02/2025.",
         ["487/VIMICO-ĐTXD"]),  # lc-tb-sanbang.doc footnote 1 (dated despite the typo "ngằy")
        # lc-tb1894-sct.pdf: OCR "I" for "1" in the number
        ("và Kế hoạch kiểm tra số I105/KH-ĐKT ngày 10/3/2026 đã được Giám đốc Sở Công Thương phê duyệt",
         ["1105/KH-ĐKT"]),
        # symbol variants, normalised to the canonical key
        ("Căn cư Quyết định số 10/2007/QĐ_BKHCN ngày 11/5/2007", ["10/2007/QĐ-BKHCN"]),  # qlvb-qd09-2010-cantho.doc
        ("Kết quả thể hiện tại Văn bản thẩm tra số 1327 TVM.XD. Đơn vị thẩm tra có đủ điều kiện", ["1327/TVM-XD"]),
        ("Quyết định số 866/-TTg ngày 18/7/2023 của Thủ tướng chính phủ", ["866/QĐ-TTg"]),  # lc-tb-sanbang.doc
        # laws: lower-case names the registry knows, unregistered names holding "và"
        ("quy định chi tiết một số điều và biện pháp thi hành luật địa chất và khoáng sản; (ii) Quyết định số "
         "05/2025/QĐ-UBND", ["54/2024/QH15", "05/2025/QĐ-UBND"]),  # lc-cv-langlanh.doc
        ("quy định tại Điều 227 Bộ Luật hình sự năm 2015, hướng dẫn chi tiết", ["100/2015/QH13"]),  # lc-bc-ct38.docx
        ("các Nghị định hướng dẫn Luật khoáng sản của Chính phủ ban hành", ["60/2010/QH12"]),  # lc-tb-sanbang.doc
        ("theo QCVN 04:2009/BCT và Luật Phòng cháy và chữa cháy. Hồ sơ thiết kế",
         ["QCVN 04:2009/BCT", "27/2001/QH10"]),  # lc-tb-sanbang.doc (the 2001 law, rules/laws.yaml)
        ("Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;",
         ["11/2003/QH11"]),  # qlvb-qd09-2010-cantho.doc (rules/laws.yaml holds the 2003 law)
    ],
)
def test_real_forms(text: str, want: list[str]) -> None:
    assert keys(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("có 1327 người tham gia", []),  # a count, not "1327 TVM.XD"
        ("Tổng số 1327 TVM được kiểm tra", []),
        ("KH số 1 trường hợp", []),  # an abbreviation needs a number with a symbol or "số" + number of its own
        ("Kế hoạch triển khai Quyết định số 06/QĐ-TTg", ["06/QĐ-TTg"]),  # the words hold another type word
        ("đã báo cáo kết quả. Số 12 người", []),
        ("theo Kế hoạch năm 2023 đạt số 12/15 chỉ tiêu", []),  # words, "số", but no symbol
        # "và" after a law's name that rules/laws.yaml does not hold (Luật Lâm nghiệp): the name ends there
        ("Luật Lâm nghiệp và Nghị định số 12/2020/NĐ-CP", ["Luật|Lâm nghiệp|", "12/2020/NĐ-CP"]),  # + a document
        ("Luật Lâm nghiệp và các văn bản hướng dẫn", ["Luật|Lâm nghiệp|"]),
        ("Luật Lâm nghiệp và tổ chức thực hiện.", ["Luật|Lâm nghiệp|"]),
        # … and after one it holds (lc-bc-ct38.docx: Luật Thanh tra, the newest version in an undated text)
        ("Luật Thanh tra và Nghị định số 12/2020/NĐ-CP", ["84/2025/QH15", "12/2020/NĐ-CP"]),
        ("Luật Thanh tra và các văn bản hướng dẫn", ["84/2025/QH15"]),
        ("và Luật sửa đổi, bổ sung; Nghị quyết số 10-NQ/TW", ["10-NQ/TW"]),  # lc-kh-ct11-tu.docx: names no law
        ("theo quy định của pháp luật về đất đai", []),
        ("thi hành luật đầu tư công mới", []),  # lower case: only a registered name that ends there
        ("Căn cứ số 1316/ABC", []),  # "số" + a symbol no issuer code leads
    ],
)
def test_not_more(text: str, want: list[str]) -> None:
    assert keys(text) == want


def test_licence_in_a_table_cell_is_no_citation() -> None:
    from extractor.extract.citations import rules

    assert "Giấy phép" in rules().not_in_tables


def test_misspelt_ngay_still_dates() -> None:
    (c,) = extract_from_text("theo văn bản cam kết số 487/VIMICO-ĐTXD ngằy 28/02/2025.")  # lc-tb-sanbang.doc
    assert c.issued_date is not None and c.issued_date.isoformat() == "2025-02-28"


# A law named without its year is the version in force on the citing document's date (rules/laws.yaml lists each
# version): "Luật doanh nghiệp" in a 2010 decision (qlvb-qd15-2010-hanoi.doc, Điều 10.2) is the 2005 law.
_DECISION = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HÀ NỘI
Số: 15/2010/QĐ-UBND
Hà Nội, ngày {date}
QUYẾT ĐỊNH
Về việc ban hành Quy định

Căn cứ Luật doanh nghiệp và Luật Khoa học và công nghệ; Luật Doanh nghiệp năm 2020;
"""


@pytest.mark.parametrize(
    ("date", "want"),
    [
        ("20 tháng 4 năm 2010", ["60/2005/QH11", "21/2000/QH10", "59/2020/QH14"]),
        ("20 tháng 4 năm 2024", ["59/2020/QH14", "29/2013/QH13", "59/2020/QH14"]),
        # before any registered version: a name key, never a number of a later law
        ("20 tháng 4 năm 1999", ["Luật|Doanh nghiệp|", "Luật|Khoa học và công nghệ|", "59/2020/QH14"]),
    ],
)
def test_law_version_in_force_on_the_citing_date(date: str, want: list[str]) -> None:
    from extractor.api import extract, read_text

    doc = read_text(_DECISION.format(date=date))
    assert [c.key for c in extract(doc).citations] == want


def test_law_without_year_and_undated_text_is_the_newest() -> None:
    assert keys("Căn cứ Luật Doanh nghiệp;") == ["59/2020/QH14"]
    assert keys("Căn cứ Luật tổ chức HĐND và UBND ngày 26 tháng 11 năm 2003;") == ["11/2003/QH11"]  # an alias


def test_citation_in_the_header_subject(shared_corpus) -> None:
    """lc-cv7432-ubnd.pdf: "V/v triển khai thực hiện Quyết định số / 1074/QĐ-BXD ngày 29/6/2026 của Bộ / Xây dựng
    …" over three header lines is one citation, dated, and the body's four mentions stay four."""
    from extractor.api import extract, read

    doc = read(shared_corpus / "real" / "lc-cv7432-ubnd.pdf")
    cits = [c for c in extract(doc).citations if c.key == "1074/QĐ-BXD"]
    assert len(cits) == 5
    first = cits[0]
    assert first.issued_date is not None and first.issued_date.isoformat() == "2026-06-29"
    assert doc.text[first.start : first.end].startswith("Quyết định số\n1074/QĐ-BXD")
    assert first.page == 1


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # tvpl-tb624-vpcp.md, Phụ lục II row 20: the sentence's date is the letter's
        ("- Ngày 05/11/2025, VPCP có VB số 10781/VPCP-CN gửi các Bộ", [("10781/VPCP-CN", "2025-11-05")]),
        ("Ngày 15 tháng 3 năm 2024, UBND tỉnh ban hành Kế hoạch số 45/KH-UBND về chuyển đổi số",
         [("45/KH-UBND", "2024-03-15")]),
        # not an issuing verb: the date is the meeting's
        ("Ngày 15/3/2024, tổ chức hội nghị triển khai Kế hoạch số 45/KH-UBND", [("45/KH-UBND", None)]),
        # the document's own date wins
        ("Ngày 15/3/2024, UBND tỉnh ban hành Quyết định số 1/QĐ-UBND ngày 10/3/2024",
         [("01/QĐ-UBND", "2024-03-10")]),
        # only the first document after the date
        ("Ngày 15/3/2024, Sở có Công văn số 12/STTTT và Công văn số 13/STTTT",
         [("12/STTTT", "2024-03-15"), ("13/STTTT", None)]),
    ],
)
def test_date_that_opens_the_sentence(text: str, want: list[tuple[str, str | None]]) -> None:
    got = [(c.key, c.issued_date.isoformat() if c.issued_date else None) for c in extract_from_text(text)]
    assert got == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # tvpl-tb624-vpcp.md: a capitalised type word and a bare number, no "số", no symbol
        ("Chỉ 3/12 nền tảng CSDL trọng yếu theo Kế hoạch 02 được hình thành cơ bản", ["Kế hoạch|02|"]),
        ("triển khai quyết liệt Chỉ thị 18 chống thất thu thuế", ["Chỉ thị|18|"]),
        ("Kế hoạch 02", ["Kế hoạch|02|"]),  # a table column's heading
        # lc-kh-ct11-tu.docx: back-references to the directive the plan cites in full
        ("Ủy ban nhân dân tỉnh Lào Cai ban hành Kế hoạch triển khai thực hiện Chỉ thị 11 với các nội dung",
         ["Chỉ thị|11|"]),
        # not a document number
        ("Kế hoạch 2025 của Ủy ban nhân dân tỉnh", []),  # a year: the plan for 2025
        ("thực hiện Nghị quyết 3 năm liên tiếp", []),  # a quantity
        ("theo kế hoạch 02 đã đề ra", []),  # lowercase: running text
        ("Chương trình 135 và Đề án 06", []),  # programmes named by a number
        ("Thông tư 06/2021 của Bộ Xây dựng", ["Thông tư|06/2021|"]),  # number and year, no symbol
        ("Chỉ thị 18a của Tỉnh ủy", []),  # a number glued to more
        ("Công văn 15 ngày làm việc", []),  # "ngày" that is no date: a quantity
        ("Quyết định 1,5 tỷ đồng", []),
        ("Kế hoạch: 02 bản", []),  # a label and its value
        ("Chỉ thị số 11-CT/TU ngày 04/01/2026 (viết tắt là Chỉ thị 11)", ["11-CT/TU"]),  # a short name being given
    ],
)
def test_bare_number_after_a_type_word(text: str, want: list[str]) -> None:
    assert keys(text) == want


def test_bare_number_is_the_document_cited_in_full() -> None:
    """A bare "Kế hoạch 02" is the Kế hoạch 02 the same text cites in full (tvpl-tb624-vpcp.md: 02-KH/BCĐTW); a
    number two documents of that type share stays as printed."""
    text = ("Nghị quyết số 57-NQ/TW và Kế hoạch 02-KH/BCĐTW của Ban Chỉ đạo. Chỉ 3/12 nền tảng theo Kế hoạch 02 "
            "được hình thành; Chỉ thị 18 chống thất thu thuế.")
    assert keys(text) == ["57-NQ/TW", "02-KH/BCĐTW", "02-KH/BCĐTW", "Chỉ thị|18|"]
    two = "Kế hoạch số 02/KH-UBND và Kế hoạch số 02/KH-BCĐ; theo Kế hoạch 02 đã ban hành."
    assert keys(two) == ["02/KH-UBND", "02/KH-BCĐ", "Kế hoạch|02|"]


def test_number_and_year_is_the_document_cited_in_full() -> None:
    """lc-tb-sanbang.doc: "Thông tư 06/2021 ngày 30/6/2021 của Bộ Xây dựng" is the 06/2021/TT-BXD cited on page 9,
    not the Nghị định 06/2021/NĐ-CP it also cites (another type)."""
    text = ("(đối chiếu theo Thông tư 06/2021 ngày 30/6/2021 của Bộ Xây dựng quy định về phân cấp công trình). Theo "
            "Thông tư số 06/2021/TT-BXD và Nghị định số 06/2021/NĐ-CP ngày 26/01/2021 của Chính phủ")
    found = extract_from_text(text)
    assert [c.key for c in found] == ["06/2021/TT-BXD", "06/2021/TT-BXD", "06/2021/NĐ-CP"]
    assert str(found[0].issued_date) == "2021-06-30"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # lc-tb-sanbang.doc: the amending law by its own number, with or without "số"
        ("theo quy định tại Khoản 24 và khoản 25 Điều 1 Luật Xây dựng sửa đổi 62/2020/QH14 và Điều 43 Nghị định số "
         "175/2024/NĐ-CP", ["62/2020/QH14", "175/2024/NĐ-CP"]),
        ("bởi khoản 14 Điều 1 của Luật Xây dựng sửa đổi số 62/2020/QH14, được hướng dẫn bởi Điều 15",
         ["62/2020/QH14"]),
        ("Luật Cư trú 68/2020/QH14 và Luật Đất đai", ["68/2020/QH14", "31/2024/QH15"]),  # no amending words
    ],
)
def test_law_amended_by_its_own_number(text: str, want: list[str]) -> None:
    assert keys(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # tvpl-tb624-vpcp.md: an unregistered name that begins with a registered one is its own law
        ("sửa đổi, bổ sung các Luật: Luật Đầu tư công; Luật Ngân sách nhà nước", ["Luật|Đầu tư công|", "83/2015/QH13"]),
        # the registered name where it ends
        ("Luật Đầu tư quy định rõ", ["61/2020/QH14"]),
        ("theo Luật Đầu tư năm 2020 và Luật Đất đai", ["61/2020/QH14", "31/2024/QH15"]),
    ],
)
def test_registered_name_only_where_the_name_ends(text: str, want: list[str]) -> None:
    assert keys(text) == want


_UNDATED = """ỦY BAN NHÂN DÂN
THÀNH PHỐ NGÃ BẢY
Số:      /BC-UBND
Ngã Bảy, ngày      tháng     năm {year}
BÁO CÁO
Kết quả thực hiện

Thực hiện Kế hoạch số 12/KH-UBND ngày {cited} của UBND tỉnh; căn cứ Luật Ban hành văn bản quy phạm pháp luật;
"""


@pytest.mark.parametrize(
    ("year", "cited", "want"),
    [
        # ../shared/corpus/docx/nga-bay-2022.docx: a blank day; the newest cited document (2022) dates it for this
        ("2022", "15/3/2022", "80/2015/QH13"),
        ("2025", "10/4/2025", "64/2025/QH15"),  # after the 2025 law's adoption (19/02/2025)
    ],
)
def test_undated_document_is_dated_by_the_newest_document_it_cites(year: str, cited: str, want: str) -> None:
    from extractor.api import extract, read_text

    doc = read_text(_UNDATED.format(year=year, cited=cited))
    assert doc.metadata.issued_date is None
    assert [c.key for c in extract(doc).citations] == ["12/KH-UBND", want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # tvpl-tb624-vpcp.md: bills still to be drafted are no citations, the laws they amend are
        ("Khẩn trương hoàn thiện dự thảo Luật Trí tuệ nhân tạo, trình Chính phủ", []),
        ("Xây dựng Luật Thuế thu nhập cá nhân (thay thế)", []),
        ("Xây dựng Luật Thuế thu nhập doanh nghiệp sửa đổi, bổ sung", []),
        ("Xây dựng Luật sửa đổi, bổ sung 07 Luật (Luật Đấu thầu; Luật Hải quan)", ["22/2023/QH15", "54/2014/QH13"]),
        ("Chính phủ đã trình Quốc hội dự án Luật Dữ liệu", []),
        # a body's name is no drafting
        ("theo đề nghị của Sở Xây dựng Luật Đất đai quy định", ["31/2024/QH15"]),
        ("theo quy định của Luật Xây dựng năm 2014", ["50/2014/QH13"]),
    ],
)
def test_bills_are_not_citations(text: str, want: list[str]) -> None:
    assert keys(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # lc-cv6791-snnmt.pdf: an omnibus amending law, named by the count and the field of the laws it amends
        ("được sửa đổi, bổ sung bởi Luật sửa đổi, bổ sung một số điều của 15 Luật trong lĩnh vực nông nghiệp và môi "
         "trường và Điều 48 Nghị định số 08/2022/NĐ-CP",
         ["Luật|sửa đổi, bổ sung một số điều của 15 Luật trong lĩnh vực nông nghiệp và môi trường|", "08/2022/NĐ-CP"]),
        ("Căn cứ Luật sửa đổi, bổ sung một số điều của 11 Luật về quân sự năm 2025;",
         ["Luật|sửa đổi, bổ sung một số điều của 11 Luật về quân sự|2025"]),
        ("và Luật sửa đổi, bổ sung; Nghị quyết số 10-NQ/TW", ["10-NQ/TW"]),  # names no law
    ],
)
def test_omnibus_amending_law(text: str, want: list[str]) -> None:
    assert keys(text) == want
