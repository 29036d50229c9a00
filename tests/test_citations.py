"""Citation extraction (domain.md §3): the hard cases, each pinned with a real sentence from ../shared/corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from extractor.extract.citations import extract_citations, extract_from_text, key_for
from extractor.model import Block, Document, Footnote, Marker
from extractor.prepare.normalise import normalise_document
from extractor.prepare.segment import segment

GOLD = Path(__file__).resolve().parent.parent / "corpus" / "gold" / "citations"


def one(text: str):
    cits = extract_from_text(text)
    assert len(cits) == 1, [c.text for c in cits]
    return cits[0]


def test_full_form_with_issuer_and_subject() -> None:
    # Bình Sơn, opening paragraph
    c = one(
        "Thực hiện Công văn số 2815/TCTĐA06, ngày 06/6/2023 của Tổ Công tác Đề án 06 tỉnh về việc báo cáo định kỳ kết "
        "quả thực hiện các nhiệm vụ của Đề án 06 trên địa bàn tỉnh Quảng Ngãi."
    )
    assert (c.doc_type, c.number, c.symbol, c.key) == ("Công văn", "2815", "TCTĐA06", "2815/TCTĐA06")
    assert c.issued_date == date(2023, 6, 6)
    assert c.issuer == "Tổ Công tác Đề án 06 tỉnh"
    assert c.subject.startswith("báo cáo định kỳ kết quả") and c.subject.endswith("tỉnh Quảng Ngãi")
    assert c.text == "Công văn số 2815/TCTĐA06, ngày 06/6/2023 của Tổ Công tác Đề án 06 tỉnh"


def test_stray_spaces_in_symbol() -> None:
    # Bình Sơn I: "05/CT- TTg"; Tuyên Quang II.1.5: "55 /KH-UBND"
    c = one("Căn cứ nội dung, nhiệm vụ, lộ trình đã đề ra trong Chỉ thị số 05/CT- TTg, ngày 23/02/2023 của Thủ tướng")
    assert (c.symbol, c.key, c.issued_date) == ("CT-TTg", "05/CT-TTg", date(2023, 2, 23))
    c = one("(Kế hoạch số 55 /KH-UBND ngày 12/4/2022 của UBND tỉnh Tuyên Quang).")
    assert (c.key, c.issuer) == ("55/KH-UBND", "UBND tỉnh Tuyên Quang")


def test_without_so_and_issuer_from_symbol() -> None:
    # Lâm Đồng outline II.1.1
    text = "Đặc biệt là tại Chỉ thị số 05/CT-TTg, ngày 23/02/2023; Chỉ thị 18/CT-TTg, ngày 30/5/2023;"
    cits = extract_from_text(text)
    assert [(c.key, c.issued_date, c.issuer) for c in cits] == [
        ("05/CT-TTg", date(2023, 2, 23), "Thủ tướng Chính phủ"),
        ("18/CT-TTg", date(2023, 5, 30), "Thủ tướng Chính phủ"),
    ]


def test_number_without_symbol() -> None:
    # Lâm Đồng outline 3.2.2.3
    c = one("- Kết quả thực hiện Nghị quyết số 50, ngày 08/4/2022 của Chính phủ về số hóa và tái sử dụng kết quả")
    assert (c.number, c.symbol, c.key, c.issuer) == ("50", None, "Nghị quyết|50|2022-04-08", "Chính phủ")


def test_symbolless_list_is_two_documents() -> None:
    # Bình Sơn, Phòng Tư pháp huyện
    cits = extract_from_text(
        "phối hợp thực hiện quy trình nhập dữ liệu trên nền CSDLQGvDC theo hướng dẫn tại Quy trình số 1050 và 1292 "
        "của Cục Hộ tịch - Bộ Tư pháp và Cục Cảnh sát QLHC về TTXH - Bộ Công an."
    )
    assert [c.key for c in cits] == ["Quy trình|1050|", "Quy trình|1292|"]
    assert {c.issuer for c in cits} == {"Cục Hộ tịch - Bộ Tư pháp và Cục Cảnh sát QLHC về TTXH - Bộ Công an"}


def test_party_document() -> None:
    c = one("triển khai thực hiện Chỉ thị số 29-CT/TU, ngày 24/4/2023 của Ban Thường vụ Tỉnh ủy;")
    assert (c.number, c.symbol, c.key, c.issuer) == ("29", "CT/TU", "29-CT/TU", "Ban Thường vụ Tỉnh ủy")
    c = one("Công văn số 1708-CV/HU, ngày 28/4/2023 về việc triển khai")
    assert (c.doc_type, c.key, c.issuer) == ("Công văn", "1708-CV/HU", "Huyện ủy")


def test_legal_document_with_year_and_long_date() -> None:
    c = one(
        "theo đúng quy định của Chính phủ tại Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về "
        "thực hiện thủ tục hành chính trên môi trường điện"
    )
    assert (c.symbol, c.key, c.issued_date, c.issuer) == ("2020/NĐ-CP", "45/2020/NĐ-CP", date(2020, 4, 8), "Chính phủ")


def test_same_document_without_year_gets_the_full_key() -> None:
    # Lâm Đồng outline: "142/2022/NQ-HĐND" in 3.1, "142/NQ-HĐND" in 3.2.2.3
    cits = extract_from_text(
        "theo Nghị quyết 142/2022/NQ-HĐND ngày 09/12/2022 của HĐND tỉnh Lâm Đồng. (1) Kết quả thực hiện Nghị quyết "
        "số 142/NQ-HĐND ngày 09/12/2022 của HĐND tỉnh Lâm Đồng Ban hành quy định mức thu"
    )
    assert [c.key for c in cits] == ["142/2022/NQ-HĐND", "142/2022/NQ-HĐND"]
    assert cits[1].symbol == "NQ-HĐND" and cits[1].issuer == "HĐND tỉnh Lâm Đồng"
    # the registry knows Nghị định 104/2022/NĐ-CP
    assert one("theo Nghị định số 104/NĐ-CP;").key == "104/2022/NĐ-CP"


def test_laws_by_name() -> None:
    c = one("hết giá trị sử dụng sau ngày 31/12/2022 theo Luật Cư trú năm 2020;")
    assert (c.doc_type, c.key, c.text, c.issuer) == ("Luật", "68/2020/QH14", "Luật Cư trú năm 2020", "Quốc hội")
    assert one("theo quy định của Luật Cư trú và các văn bản hướng dẫn.").key == "68/2020/QH14"
    assert one("tuyên truyền Luật Căn cước; vận động mở tài khoản").key == "26/2023/QH15"
    # a different year is a different law: the registered 2006 version, a name key for a year it does not hold
    assert one("theo Luật Cư trú năm 2006,").key == "81/2006/QH11"
    assert one("theo Luật Cư trú năm 2013,").key == "Luật|Cư trú|2013"
    # "Luật sửa đổi, bổ sung một số điều của Luật …" is a law of its own (issue 19), named by the law it amends
    cits = extract_from_text(
        "tại Luật Ban hành văn bản quy phạm pháp luật, Luật sửa đổi, bổ sung một số điều của Luật Ban hành vãn bản "
        "quy phạm pháp luật và các văn bản hướng dẫn thi hành."
    )
    assert [c.key for c in cits] == [  # an undated string: the newest version of the law named without its year
        "64/2025/QH15", "Luật|sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật|"
    ]


def test_van_ban_and_lowercase_types() -> None:
    c = one("chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh tại Văn bản số 3814/UBND-NC ngày 19/9/2022, trong đó")
    assert (c.doc_type, c.key, c.issuer) == ("Văn bản", "3814/UBND-NC", "Ủy ban nhân dân")
    c = one("(1) Về hạ tầng công nghệ thông tin hướng dẫn số 1552/BTTTT-THH ngày 26/4/2022 của Bộ Thông tin và "
            "Truyền thông.")
    assert (c.doc_type, c.key, c.issuer) == ("Hướng dẫn", "1552/BTTTT-THH", "Bộ Thông tin và Truyền thông")
    c = one("Ủy ban nhân dân tỉnh ban hành quyết định số 619/QĐ-UBND phê duyệt 09 danh mục DVC")
    assert (c.doc_type, c.key) == ("Quyết định", "619/QĐ-UBND")


def test_blank_template_number() -> None:
    c = one("(Kèm theo Công văn số /STP-HCTP ngày / /2023)")
    assert (c.number, c.symbol, c.issued_date, c.key) == (None, "STP-HCTP", None, "Công văn|/STP-HCTP|")


def test_issuers_that_hold_ve_and_va() -> None:
    c = one(
        "Theo Công văn số 5672/C06-TTDLDC ngày 22/8/2022 của Cục Cảnh sát QLHC về TTXH - Bộ Công an hướng dẫn 07 "
        "phương thức sử dụng thông tin công dân"
    )
    assert c.issuer == "Cục Cảnh sát QLHC về TTXH - Bộ Công an"
    c = one("lộ trình của Quyết định số 27/QĐ-UBQGCS ngày 15/3/2022 của Ủy ban quốc gia về chuyển đổi số với các "
            "mục tiêu")
    assert c.issuer == "Ủy ban quốc gia về chuyển đổi số"
    c = one("Công văn số 1848/TCTTKĐA06-CAT ngày 15 tháng 12 năm 2022 của Tổ công tác triển khai Đề án 06 UBND tỉnh "
            "Hậu Giang về việc báo cáo tổng kết")
    assert (c.issued_date, c.issuer) == (date(2022, 12, 15), "Tổ công tác triển khai Đề án 06 UBND tỉnh Hậu Giang")


def test_issuer_stops_where_the_subject_starts() -> None:
    c = one("Chỉ thị số 05/CT-TTg, ngày 23/02/2023 của Thủ tướng Chính phủ Tiếp tục đẩy mạnh triển khai đề án")
    assert c.issuer == "Thủ tướng Chính phủ"
    c = one("Nghị định số 59/2022/NĐ-CP ngày 05/9/2022 của Chính phủ quy định về định danh và xác thực điện tử")
    assert c.issuer == "Chính phủ"
    c = one("Quyết định số 422/QĐ-TTg ngày 04/4/2022 của Thủ tướng Chính phủ trên Cổng dịch vụ công quốc gia")
    assert c.issuer == "Thủ tướng Chính phủ"


@pytest.mark.parametrize(
    "text",
    [
        "Tổ Công tác Đề án 06/CP xã Sơn Trà báo cáo kết quả triển khai thực hiện Đề án 06/CP trong năm 2024",
        "lấy người dân và doanh nghiệp là trung tâm trong triển khai, thực hiện Đề án số 06;",
        "(Đánh giá chi tiết tại Phụ lục số 02);",
        "- Công an thành phố ban hành 02 Công văn chỉ đạo Công an các xã, phường",
        "SỞ TƯ PHÁP TỈNH TUYÊN QUANG ĐẾN Số: 4.15 Ngày 13 -01- 2023 Chuyên:..... Số và ký hiệu HS:.....",
        "5. Tổ chức thực hiện nghiêm Nghị quyết của Chính phủ về đơn giản hóa TTHC, giấy tờ công dân",
        "Kịp thời xây dựng Kế hoạch triển khai thực hiện Đề án 06 của UBND thành phố.",
        "Cư trú 193/193, tỷ lệ 100%; Cấp đổi, cấp lại Căn cước: 13/13, tỷ lệ 100%.",
        "Số: 154 /BC-CAT-QLHC",
    ],
)
def test_not_citations(text: str) -> None:
    assert extract_from_text(text) == []


def _doc(blocks: list[Block], footnotes: list[Footnote] | None = None) -> Document:
    doc = Document(format="docx", blocks=blocks, footnotes=footnotes or [])
    normalise_document(doc)
    segment(doc)
    return doc


def test_own_number_and_self_reference_are_excluded() -> None:
    doc = _doc(
        [
            Block("Số: 154 /BC-CAT-QLHC", kind="table_cell", in_header=True, table=0, row=0, col=0),
            Block("Thực hiện Kế hoạch số 199/KH-UBND ngày 20/10/2022 của Ủy ban nhân dân tỉnh về thực hiện cao điểm"),
            Block("(Kèm theo Báo cáo số: /BC-CAT-QLHC ngày 08/01/2023 của Công an tỉnh)"),
        ]
    )
    cits = extract_citations(doc)
    assert [c.key for c in cits] == ["199/KH-UBND"]
    assert doc.text[cits[0].start : cits[0].end] == cits[0].text


def test_footnote_items_and_nested_documents() -> None:
    # Bình Sơn footnote 2 and the start of footnote 1
    doc = _doc(
        [Block("- Tổ Công tác tham mưu BTV Huyện ủy ban hành văn bản triển khai", markers=[Marker(50, "2")])],
        [
            Footnote(
                "2",
                "Công văn số 1708-CV/HU, ngày 28/4/2023 về việc triển khai thực hiện Chỉ thị số 29-CT/TU, ngày "
                "24/4/2023 của Ban Thường vụ Tỉnh ủy",
            )
        ],
    )
    cits = extract_citations(doc)
    assert [(c.key, c.in_footnote, c.footnote_marker, c.is_list_item) for c in cits] == [
        ("1708-CV/HU", True, "2", True),
        ("29-CT/TU", True, "2", False),
    ]
    fn = doc.footnotes[0]
    assert all(fn.text[c.start : c.end] == c.text for c in cits)


def test_key_for() -> None:
    assert key_for("Chỉ thị", "5", "CT-TTg") == "05/CT-TTg"
    assert key_for("Nghị định", "45", "2020/NĐ-CP") == "45/2020/NĐ-CP"
    assert key_for("Chỉ thị", "29", "CT/TU", party=True) == "29-CT/TU"
    assert key_for("Nghị quyết", "50", None, date(2022, 4, 8)) == "Nghị quyết|50|2022-04-08"


def test_table_for_the_cli() -> None:
    cits = extract_from_text("Chỉ thị số 05/CT-TTg, ngày 23/02/2023; Chỉ thị 18/CT-TTg, ngày 30/5/2023;")
    from extractor.cli import citation_row, format_citations_table

    table = format_citations_table([citation_row("x.txt", c) for c in cits], "x.txt")
    assert table.row_count == 2


@pytest.mark.parametrize("name", ["binh-son-6-thang-2023", "nga-bay-2022", "tuyen-quang-cao-diem-2023"])
def test_real_reports_match_gold(shared_corpus: Path, name: str) -> None:
    from extractor.pipeline import read

    gold = yaml.safe_load((GOLD / f"{name}.yaml").read_text(encoding="utf-8"))
    cits = extract_citations(read(shared_corpus / "docx" / f"{name}.docx"))
    assert [(c.key, c.footnote_marker) for c in cits] == [(g["key"], g["marker"]) for g in gold["citations"]]
    assert [c.issued_date.isoformat() if c.issued_date else None for c in cits] == [
        g["issued_date"] for g in gold["citations"]
    ]


def test_wrong_dates_are_kept_as_printed(shared_corpus: Path) -> None:
    from extractor.pipeline import read

    cits = extract_citations(read(shared_corpus / "docx" / "de-cuong-so-ket-lam-dong-2023.docx"))
    dates_422 = [c.issued_date for c in cits if c.key == "422/QĐ-TTg"]
    assert dates_422 == [date(2022, 4, 4), date(2023, 4, 4), date(2022, 4, 4)]
    assert len(cits) == 21


def test_spacy_annotation_layer() -> None:
    # the saved pipeline under models/docmine_vi: underthesea words, each citation a Span displaCy can render
    from extractor.annotate import annotate, render_html

    text = (
        "Phòng Tư pháp: theo hướng dẫn tại Quy trình số 1050 và 1292 của Cục Hộ tịch - Bộ Tư pháp.\n"
        "Căn cứ Chỉ thị số 05/CT- TTg, ngày 23/02/2023 của Thủ tướng Chính phủ về đẩy mạnh thực hiện Đề án 06"
    )
    doc = annotate(text)
    assert doc.text == text
    assert "Thủ tướng" in [t.text for t in doc] or "Chính phủ" in [t.text for t in doc]
    spans = doc.spans["citations"]
    assert [(s.text, s.label_) for s in spans] == [
        ("Quy trình số 1050", "Quy trình"),
        ("1292 của Cục Hộ tịch - Bộ Tư pháp", "Quy trình"),
        ("Chỉ thị số 05/CT- TTg, ngày 23/02/2023 của Thủ tướng Chính phủ", "Chỉ thị"),
    ]
    assert spans[2]._.citation.key == "05/CT-TTg"
    html = render_html(doc)
    assert "TTg" in html and "Chỉ thị" in html and "Quy trình" in html


@pytest.mark.parametrize(
    ("sentence", "keys"),
    [
        # lc-tb1894-sct.pdf / lc-bc-vlncn-2025.docx: a name of 15 words holding commas and "và"
        ("theo quy định của Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ năm 2024 và", ["42/2024/QH15"]),
        # bct-cv2265-atmt.pdf / lc-cv7432-ubnd.pdf
        ("Căn cứ Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ;", ["55/2024/QH15"]),
    ],
)
def test_long_registry_law_names(sentence: str, keys: list[str]) -> None:
    assert [c.key for c in extract_from_text(sentence)] == keys


def test_unregistered_law_keeps_a_name_key() -> None:
    # negative: a law sharing the first words of registered ones ("Luật Quản lý, sử dụng …") is not one of them
    keys = [c.key for c in extract_from_text(
        "Luật Quản lý, sử dụng vốn nhà nước đầu tư vào sản xuất, kinh doanh tại doanh nghiệp")]
    assert len(keys) == 1 and keys[0].startswith("Luật|Quản lý")


def test_law_name_followed_by_its_symbol_without_so() -> None:
    # lc-tb-sanbang.doc: the law's own symbol and date right after its name, no "số"
    text = "Luật Địa chất và Khoáng sản 54/2024/QH15 ngày 29/11/2024 (hiệu lực ngày 01/7/2025)"
    (c,) = [c for c in extract_from_text(text) if c.doc_type == "Luật"]
    assert c.key == "54/2024/QH15" and c.issued_date.isoformat() == "2024-11-29"
    # a number that is no law's symbol is not taken into the law's mention
    assert all(c.key != "12/KH-UBND" or c.doc_type != "Luật" for c in extract_from_text("Luật Đất đai 12/KH-UBND"))
