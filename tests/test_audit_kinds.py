"""Every finding kind on real sentences (../shared/corpus/real/, the corpus reports, or written from domain.md where
no document has one), with the sentences that must NOT raise it; and the cross-report check of local documents."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.audit import audit_document, citation_findings, corpus_date_conflicts, scope_of, text_findings
from extractor.audit.arithmetic import list_findings, passages
from extractor.audit.tables import table_findings
from extractor.extract.figures import extract_figures
from extractor.model import LIST_ITEM, PARAGRAPH, Block, Citation, Document, ReportMetadata, Table
from extractor.pipeline import read_bytes


def kinds(text: str) -> list[str]:
    return sorted(f.kind for f in text_findings(text))


# --- totals and parts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # the example (1.495, not 1.520)
        "Tổng số 1.520 hồ sơ, trong đó: 210 hồ sơ đăng ký thường trú, 1.190 hồ sơ đăng ký tạm trú, 95 hồ sơ khai báo "
        "tạm vắng.",
        "Đã ban hành 04 văn bản: 02 Kế hoạch, 03 Công văn.",  # 5 documents listed under 4
        "Đã cấp 7.570 hồ sơ (6.627 cấp mới, 468 cấp đổi, 473 cấp lại).",  # domain.md §8
    ],
)
def test_parts_that_do_not_add_up(text: str) -> None:
    assert kinds(text) == ["part_whole_mismatch"]


@pytest.mark.parametrize(
    "text",
    [
        "Tổng số 1.520 hồ sơ, trong đó: 210 hồ sơ đăng ký thường trú, 1.215 hồ sơ đăng ký tạm trú, 95 hồ sơ khai báo.",
        # "trong đó" naming examples, not a partition (18% of the total)
        "Tiếp nhận 500 hồ sơ, trong đó 60 hồ sơ trực tuyến, 30 hồ sơ quá hạn.",
        "Toàn huyện có 24.800 công dân đủ điều kiện, trong đó có 02 xã điểm.",
        # a project with an area and an amount in its parenthesis (lc-bc-vp-ccn.docx)
        "01 dự án đang hoạt động (Nhà máy BMC Yên Bái 11,14 ha, 230,2 tỷ đồng)",
        # years in the parenthesis are not parts
        "Đã tổ chức 12 hội nghị (năm 2023, 2024).",
    ],
)
def test_parts_that_add_up_or_are_no_breakdown(text: str) -> None:
    assert kinds(text) == []


def test_parts_after_a_remark_and_separated_by_semicolons() -> None:
    # lc-bc-ct38.docx 2.3: 03 + 02 + 01 + 04 = 10, not 09
    text = ("Trong năm 2025, UBND tỉnh Lào Cai đã cấp 09 giấy phép thăm dò, khai thác khoáng sản các loại (bao gồm cả "
            "cấp mới và điều chỉnh), trong đó, thăm dò: 03 giấy phép; khai thác: 02 giấy phép; Gia hạn 01 giấy phép "
            "và điều chỉnh 04 giấy phép.")
    [finding] = text_findings(text)
    assert finding.kind == "part_whole_mismatch" and "3 + 2 + 1 + 4 = 10" in finding.message_en
    assert kinds(text.replace("04 giấy phép.", "03 giấy phép.")) == []
    # the items after "Cụ thể … như sau:" break down the 09, not the "04 giấy phép" before the full stop
    doc = _doc([text.replace("04 giấy phép.", "04 giấy phép. Cụ thể đối với từng loại khoáng sản như sau:"),
                "- Đá làm VLXD thông thường 04 giấy phép;", "- Đất làm VLXD 04 giấy phép;", "- Cát 01 giấy phép."])
    assert [f.kind for f in list_findings(passages(doc, extract_figures(doc)))] == []


def test_decimal_comma_and_bare_numbers_are_no_amounts() -> None:
    # tvpl-tb624-vpcp.md: "78,6 ty" (a typo of "tỷ") is one number, and without a scale no part of 178,6 tỷ đồng
    assert kinds("phòng thí nghiệm, tổng số là 178,6 tỷ đồng (Bộ KH&CN 78,6 ty, ĐHQG TP.HCM 100 tỷ).") == []
    assert kinds("tổng số là 178,6 tỷ đồng (Bộ KH&CN 78,6 tỷ, ĐHQG TP.HCM 110 tỷ).") == ["part_whole_mismatch"]

def test_difference_phai_thu_da_thu_con() -> None:
    assert kinds("Số tiền phải thu 120 triệu đồng, đã thu 80 triệu đồng, còn 50 triệu đồng.") == ["difference_mismatch"]
    assert kinds("Số tiền phải thu 120 triệu đồng, đã thu 80 triệu đồng, còn 40 triệu đồng.") == []
    # "còn sống" is no remainder (tvpl-kh174-hcm.md)
    assert kinds("giảm tỷ suất tử vong mẹ xuống 4/100.000 trẻ sinh ra còn sống vào năm 2025") == []


def _doc(texts: list[str]) -> Document:
    blocks, pos = [], 0
    for t in texts:
        kind = LIST_ITEM if t.lstrip()[:1] in "-+" else PARAGRAPH
        blocks.append(Block(original=t, text=t, kind=kind, start=pos, end=pos + len(t), section="I.1"))
        pos += len(t) + 1
    return Document(format="txt", blocks=blocks, text="\n".join(texts))


def test_parts_in_following_items_and_parts_split_again() -> None:
    doc = _doc([
        "Tổng số hồ sơ tiếp nhận 1.520 hồ sơ, trong đó:",
        "- Đăng ký thường trú: 210 hồ sơ, gồm:",
        "+ Trực tuyến 150 hồ sơ;",
        "+ Trực tiếp 70 hồ sơ;",  # 150 + 70 = 220, not 210
        "- Đăng ký tạm trú: 1.215 hồ sơ;",
        "- Khai báo tạm vắng: 95 hồ sơ.",
    ])
    [finding] = list_findings(passages(doc, extract_figures(doc)))
    assert finding.kind == "part_whole_mismatch" and "220" in finding.message and "210" in finding.message


def test_announced_count_against_the_list() -> None:
    items = ["- Kế hoạch số 12/KH-UBND về cải cách hành chính;", "- Kế hoạch số 15/KH-UBND về chuyển đổi số;",
             "- Kế hoạch số 18/KH-UBND về Đề án 06;", "- Kế hoạch số 21/KH-UBND về an ninh trật tự."]
    doc = _doc(["Ủy ban nhân dân huyện đã ban hành 03 kế hoạch:", *items])
    [finding] = list_findings(passages(doc, extract_figures(doc)))
    assert finding.kind == "list_count_mismatch"
    assert "announces 3 kế hoạch" in finding.message_en and "has 4 items" in finding.message_en
    doc = _doc(["Ủy ban nhân dân huyện đã ban hành 04 kế hoạch:", *items])
    assert list_findings(passages(doc, extract_figures(doc))) == []


_KET_LUAN = ["- Kết luận số 12-KL/HU ngày 05/3/2024 về công tác chuyển đổi số;",
             "- Kết luận số 15-KL/HU ngày 20/3/2024 về Đề án 06;",
             "- Kết luận số 18-KL/HU ngày 02/4/2024 về cải cách hành chính;",
             "- Kết luận số 21-KL/HU ngày 16/4/2024 về an ninh trật tự."]


@pytest.mark.parametrize("head", ["Ban Thường vụ Huyện ủy đã ban hành 03 kết luận:",  # the example
                                  "Trong kỳ, Huyện ủy ban hành 03 Kết luận chỉ đạo:"])
def test_announced_ket_luan_against_the_list(head: str) -> None:
    doc = _doc([head, *_KET_LUAN])
    [finding] = list_findings(passages(doc, extract_figures(doc)))
    assert finding.kind == "list_count_mismatch" and [f.lower() for f in finding.figures] == ["03 kết luận"]
    assert "announces 3 kết luận" in finding.message_en.lower() and "has 4 items" in finding.message_en


@pytest.mark.parametrize("head", [
    "Ban Thường vụ Huyện ủy đã ban hành 04 kết luận:",  # as many as listed
    "Đã ban hành 03 thông báo:",  # four Kết luận are not the three Thông báo counted
])
def test_announced_ket_luan_that_is_no_mismatch(head: str) -> None:
    doc = _doc([head, *_KET_LUAN])
    assert list_findings(passages(doc, extract_figures(doc))) == []


@pytest.mark.parametrize(("text", "unit"), [("ban hành 03 kết luận", "kết luận"), ("02 thông báo", "thông báo"),
                                            ("04 quyết định", "quyết định"), ("trình 02 tờ trình", "tờ trình"),
                                            ("ban hành 05 hướng dẫn", "hướng dẫn")])
def test_document_types_are_counted_units(text: str, unit: str) -> None:
    [figure] = extract_figures(_doc([text]))
    assert figure.kind == "count" and figure.unit == unit


def test_de_an_06_is_no_count() -> None:
    assert [f.text for f in extract_figures(_doc(["Triển khai Đề án 06 trên địa bàn huyện."]))] == []


# --- malformed figures ------------------------------------------------------------------------------------------


def test_malformed_thousands_separators() -> None:
    # lc-bc-ct38.docx, 2.7: "số đã thu 5.378.7000.000 đồng"
    assert kinds("Tổng số tiền xử phạt vi phạm hành chính, số đã thu 5.378.7000.000 đồng") == ["malformed_number"]
    assert kinds("đã thu nhận 2.7310.000 hồ sơ") == ["malformed_number"]
    # right: dates with dots, section numbers, a phone number, a well-formed amount
    for text in ("ngày 15.08.2023", "mục 3.2.2.1. Kết quả", "liên hệ 0214.3840.123", "thu 4.215.600.000 đồng"):
        assert kinds(text) == [], text


def test_placeholder_and_zero_counts() -> None:
    # son-tra-2024: "… trên địa bàn xã 00/00, tỷ lệ 00%"
    assert kinds("- Thực hiện chi trả không dùng tiền mặt cho đối tượng An sinh xã hội trên địa bàn xã 00/00, tỷ "
                 "lệ 00%.") == ["placeholder_figure"]
    assert kinds("- Cấp phiếu lý lịch tư pháp: 00 hồ sơ, tỷ lệ 00% trên tổng số hồ sơ tiếp nhận.") == []


def test_share_over_100() -> None:
    assert kinds("Số hộ gia đình đã kích hoạt tài khoản chiếm 112% số hộ trên địa bàn.") == ["percent_over_100"]
    # a target, not a result; and over 100% against a target is real
    assert kinds("Phấn đấu đạt 85% số hồ sơ được giải quyết trực tuyến.") == []
    assert kinds("$168.411 / 83.838 = 200,87\\%$ so với chỉ tiêu Bộ giao") == []
    assert kinds("Thu ngân sách đạt 105% kế hoạch năm.") == []


# --- tables -----------------------------------------------------------------------------------------------------


def test_grand_total_over_groups() -> None:
    """lc-bc-vp-ccn.docx table 3: "Tổng cộng" 970,46 ha is groups I (460,46) and II (510) together."""
    rows = [["TT", "Cụm công nghiệp", "Diện tích (ha)"], ["I. Do UBND cấp xã quản lý", "", ""],
            ["1", "Đầm Hồng", "16"], ["2", "Âu Lâu", "444,46"], ["II. Do doanh nghiệp đầu tư", "", ""],
            ["3", "Minh Quân", "450"], ["4", "Bảo Minh", "60"], ["Tổng cộng", "", "970,46"]]
    assert table_findings(Table(index=2, rows=rows)) == []
    rows[-1][2] = "971,46"
    [finding] = table_findings(Table(index=2, rows=rows))
    assert finding.kind == "table_total_mismatch"


def test_total_column_and_numbering() -> None:
    rows = [["STT", "Đơn vị", "Tổng số", "Cấp tỉnh", "Cấp xã"], ["1", "Xã A", "30", "10", "20"],
            ["2", "Xã B", "45", "15", "30"], ["3", "Xã C", "50", "20", "30"], ["5", "Xã D", "41", "20", "20"]]
    found = table_findings(Table(index=0, rows=rows))
    assert sorted(f.kind for f in found) == ["table_numbering", "table_total_mismatch"]
    row = next(f for f in found if f.kind == "table_total_mismatch")
    assert "Xã D" in row.message and "40" in row.message_en and "41" in row.message_en
    numbering = next(f for f in found if f.kind == "table_numbering")
    assert "skip 4" in numbering.message_en


# --- citations --------------------------------------------------------------------------------------------------


def _cit(key: str, when: date | None, text: str, start: int = 0, **kw) -> Citation:
    number, _, symbol = key.partition("/")
    return Citation(doc_type=kw.pop("doc_type", "Nghị quyết"), text=text, start=start, end=start + len(text), key=key,
                    number=number, symbol=symbol, issued_date=when, **kw)


def test_year_of_the_symbol_and_a_same_numbered_document_of_another_year() -> None:
    """tvpl-kh153-cantho.md: "Nghị quyết số 163/2024/QH15 ngày 27 tháng 11 năm 2025"; and "Nghị quyết số
    50/NQ-CP ngày 13 tháng 3 năm 2025" is the 2025 resolution 50, not the 2022 one of the registry."""
    doc = Document(format="md")
    cits = [_cit("163/2024/QH15", date(2025, 11, 27), "Nghị quyết số 163/2024/QH15 ngày 27 tháng 11 năm 2025"),
            _cit("50/NQ-CP", date(2025, 3, 13), "Nghị quyết số 50/NQ-CP ngày 13 tháng 3 năm 2025 của Chính phủ")]
    assert [f.kind for f in citation_findings(doc, cits)] == ["citation_year_mismatch"]


def test_symbol_written_two_ways() -> None:
    doc = Document(format="docx")
    cits = [_cit("66.2.2025/NQ-CP", None, "Nghị quyết số 66.2.2025/NQ-CP"),
            _cit("66.2/2025/NQ-CP", None, "Nghị quyết số 66.2/2025/NQ-CP", start=200)]
    [finding] = citation_findings(doc, cits)
    assert finding.kind == "citation_symbol_variant" and "66.2/2025/NQ-CP" in finding.message


@pytest.mark.parametrize(("text", "bad"), [("theo Kế hoạch số 12/KH-UBND ngày 15/8/024 của UBND huyện", True),
                                           ("ban hành ngày 31/02/2024", True), ("ngày 29/02/2024", False),
                                           ("ngày 31 tháng 02 năm 2024", True), ("đạt 01/09 (tỷ lệ 11%)", False)])
def test_malformed_dates(text: str, bad: bool) -> None:
    doc = _doc([text])
    assert [f.kind for f in citation_findings(doc, [])] == (["malformed_date"] if bad else [])


def test_chronology_and_own_number() -> None:
    text = ("Kế hoạch số 50/KH-UBND ngày 10/01/2022 của UBND huyện về triển khai thực hiện Quyết định số "
            "06/QĐ-TTg ngày 06/02/2022 của Thủ tướng Chính phủ")
    doc = Document(format="docx", text=text, metadata=ReportMetadata(number="154", symbol="BC-UBND"))
    a = _cit("50/KH-UBND", date(2022, 1, 10), text[:41], doc_type="Kế hoạch")
    b_start = text.index("Quyết định")
    b = _cit("06/QĐ-TTg", date(2022, 2, 6), text[b_start:b_start + 41], start=b_start, doc_type="Quyết định")
    own = _cit("154/BC-UBND", None, "Báo cáo số 154/BC-UBND", start=500, doc_type="Báo cáo")
    got = [f.kind for f in citation_findings(doc, [a, b, own])]
    assert "citation_chronology" in got and "citation_of_itself" in got
    # a list, not an implementation ("… về thực hiện thủ tục hành chính … và Nghị định …")
    text2 = ("Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục hành chính trên môi "
             "trường điện tử và Nghị định số 107/2021/NĐ-CP ngày 06/12/2021")
    doc2 = Document(format="docx", text=text2)
    c = _cit("45/2020/NĐ-CP", date(2020, 4, 8), text2[:40], doc_type="Nghị định")
    s = text2.index("Nghị định số 107")
    d = _cit("107/2021/NĐ-CP", date(2021, 12, 6), text2[s:], start=s, doc_type="Nghị định")
    assert citation_findings(doc2, [c, d]) == []


# --- across reports: local documents within their place ---------------------------------------------------------

BINH_SON = ("Xã Bình Chánh", "Huyện Bình Sơn", "Tỉnh Quảng Ngãi")
BINH_SON_TOWN = (None, "Huyện Bình Sơn", "Tỉnh Quảng Ngãi")
SON_TINH = (None, "Huyện Sơn Tịnh", "Tỉnh Quảng Ngãi")
NGA_BAY = (None, "Thành phố Ngã Bảy", "Tỉnh Hậu Giang")


def test_local_document_scopes() -> None:
    assert scope_of("245/KH-CAH", None, BINH_SON) == ("district", "Huyện Bình Sơn / Tỉnh Quảng Ngãi")
    assert scope_of("12-CT/TU", None, SON_TINH) == ("province", "Tỉnh Quảng Ngãi")
    assert scope_of("06/QĐ-TTg", None, None) == ("", "")
    assert scope_of("04/UBND", "Ủy ban nhân dân huyện", BINH_SON)[0] == "district"
    assert scope_of("04/UBND", None, BINH_SON)[0] == "commune"  # unknown level: the report's own unit


def test_two_districts_reusing_a_number_do_not_conflict() -> None:
    """Constructed: two reports of huyện Bình Sơn cite the district police plan 245/KH-CAH with different dates
    (a conflict), a report of Sơn Tịnh cites its own 245/KH-CAH (no conflict with Bình Sơn's), and two reports of
    Quảng Ngãi province cite the Tỉnh ủy directive 12-CT/TU differently; Ngã Bảy's 12-CT/TU is another province's."""
    rows = [("bs-1", "245/KH-CAH", date(2023, 3, 2)), ("bs-2", "245/KH-CAH", "2023-03-12"),
            ("st-1", "245/KH-CAH", date(2023, 5, 20)),
            ("bs-1", "12-CT/TU", date(2021, 7, 1)), ("st-1", "12-CT/TU", date(2021, 7, 11)),
            ("nb-1", "12-CT/TU", date(2022, 1, 5))]
    places = {"bs-1": BINH_SON_TOWN, "bs-2": BINH_SON, "st-1": SON_TINH, "nb-1": NGA_BAY}
    found = corpus_date_conflicts(rows, {k: f"{k}.docx" for k in places}, places)
    assert [(f.key, f.document_id) for f in found] == [("12-CT/TU", None), ("245/KH-CAH", None)]
    by_key = {f.key: f for f in found}
    assert "bs-1.docx" in by_key["245/KH-CAH"].message and "st-1" not in by_key["245/KH-CAH"].message
    assert "Huyện Bình Sơn" in by_key["245/KH-CAH"].message_en
    assert "nb-1" not in by_key["12-CT/TU"].message
    # without places (an older database) only central documents are compared
    assert corpus_date_conflicts(rows, {}) == []


def test_every_finding_explains_itself() -> None:
    text = ("BÁO CÁO\nKết quả\nI. KẾT QUẢ\nĐã cấp 7.570 hồ sơ (6.627 cấp mới, 468 cấp đổi, 473 cấp lại); khám chữa "
            "bệnh bằng thẻ CCCD/CC là 156/168, đạt tỷ lệ 97%.\n")
    doc = read_bytes(text.encode("utf-8"), "r.txt")
    found = audit_document(doc, extract_figures(doc), [])
    assert sorted(f.kind for f in found) == ["part_whole_mismatch", "ratio_mismatch"]
    for f in found:
        assert f.severity == "error" and f.message and f.message_en and f.message != f.message_en
        assert f.figures and f.section == "I"
