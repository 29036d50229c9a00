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
         ["QCVN 04:2009/BCT", "Luật|Phòng cháy và chữa cháy|"]),  # lc-tb-sanbang.doc
        ("Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;",
         ["Luật|Tổ chức Hội đồng nhân dân và Ủy ban nhân dân|2003"]),  # qlvb-qd09-2010-cantho.doc
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
        ("Luật Thanh tra và Nghị định số 12/2020/NĐ-CP", ["Luật|Thanh tra|", "12/2020/NĐ-CP"]),  # "và" + a document
        ("Luật Thanh tra và các văn bản hướng dẫn", ["Luật|Thanh tra|"]),
        ("Luật Thanh tra và tổ chức thực hiện.", ["Luật|Thanh tra|"]),
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
