"""The text-export parser (extractor/formats/text.py) on the five real exports of ../shared/corpus/text/, checked
against the DOCX of the same report, plus decoding and the hard cases of each footnote convention.

The DOCX files of the corpus were rebuilt from these very exports (corpus README), so the footnotes must come out
identical -- including the OCR-derived Tuyên Quang export: its OCR errors ("KÉT QUẢ", "Giai quyết") are in the DOCX
too, so no allowance for OCR noise is needed and none is made.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import pytest
from conftest import REPORTS
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.errors import EmptyDocument
from extractor.formats.text import decode_text, detect_encoding, parse
from extractor.model import TABLE_CELL, Document
from extractor.pipeline import read, read_bytes
from extractor.prepare.normalise import fold_spaces
from extractor.prepare.similarity import word_similarity

# word similarity of the text export's body to the DOCX body, measured on the corpus: 1.0 for all but
# son-tra (0.9988: the export lists the signer's name between the two signature titles, the DOCX under them)
MIN_BODY_SIMILARITY = 0.99


@functools.cache
def _pair(corpus: Path, report: str) -> tuple[Document, Document]:
    return read(corpus / "text" / f"{report}.txt"), read(corpus / "docx" / f"{report}.docx")


@pytest.fixture
def pair(shared_corpus: Path, request: pytest.FixtureRequest) -> tuple[Document, Document]:
    return _pair(shared_corpus, request.param)


@pytest.fixture
def text_doc(shared_corpus: Path, request: pytest.FixtureRequest) -> Document:
    return _pair(shared_corpus, request.param)[0]


# ---------------------------------------------------------------------------------------------------------------
# Against the DOCX


@pytest.mark.parametrize("pair", REPORTS, indirect=True)
def test_footnotes_equal_docx(pair):
    text, docx = pair
    assert [f.marker for f in text.footnotes] == [f.marker for f in docx.footnotes]
    for ft, fd in zip(text.footnotes, docx.footnotes, strict=True):
        assert fold_spaces(ft.text) == fold_spaces(fd.text), ft.marker
        assert ft.anchor_text == fd.anchor_text, ft.marker
        assert ft.position == fd.position, ft.marker


@pytest.mark.parametrize("pair", REPORTS, indirect=True)
def test_body_close_to_docx(pair):
    text, docx = pair
    assert word_similarity(text.text, docx.text) >= MIN_BODY_SIMILARITY


@pytest.mark.parametrize("pair", REPORTS, indirect=True)
def test_header_lines_equal_docx(pair):
    text, docx = pair
    assert [b.text for b in text.blocks if b.in_header] == [b.text for b in docx.blocks if b.in_header]


@pytest.mark.parametrize("text_doc", REPORTS, indirect=True)
def test_no_footnote_text_or_markup_in_body(text_doc):
    for fn in text_doc.footnotes:
        assert fn.position is not None, fn.marker
        # a note's opening words are never in the body (its closing words may be: notes echo the body)
        assert fn.text[:60] not in text_doc.text, fn.marker
    for debris in ("<sup>", "[bookmark", "footnoteRef", "**", "$", "\t", "⁽", "¹", "²", "³", "\ue010", "\ue012"):
        assert debris not in text_doc.text, debris
        assert all(debris not in fn.text for fn in text_doc.footnotes), debris


# ---------------------------------------------------------------------------------------------------------------
# Hard cases, per convention


@pytest.mark.parametrize("text_doc", ["binh-son-6-thang-2023"], indirect=True)
def test_binh_son_markdown_page_breaks(text_doc):
    assert text_doc.format == "md"
    fn1 = text_doc.footnote("1").text
    # note 1 runs over the "---" page break: "… Công văn số 1313/TCT-ĐA06, ngày 09/5/2023 về việc" + "tiếp tục …"
    assert "Công văn số 1313/TCT-ĐA06, ngày 09/5/2023 về việc tiếp tục thực hiện các giải pháp nhằm đạt" in fn1
    assert fn1.endswith("Công văn số 1673/TCT-ĐA06, ngày 08/6/2023 về việc báo cáo tiến độ triển khai các nhiệm vụ "
                        "của Đề án 06.")
    fn4 = text_doc.footnote("4").text
    assert "cập nhật, bổ sung thông tin Hội, đoàn thể trên CSDLQGvDC; Công văn số 943/CAH(QLHC)" in fn4
    # the body sentence cut by note 1 is whole again
    assert ("đã ban hành 13 văn bản chỉ đạo, triển khai thực hiện Đề án 06 nhằm phát huy sức mạnh tổng hợp của hệ "
            "thống chính trị, nâng cao hiệu quả") in text_doc.text
    fn = text_doc.footnote("1")
    assert text_doc.text[fn.position - len("13 văn bản") : fn.position] == "13 văn bản"
    for continuation in ("tiếp tục thực hiện các giải pháp nhằm đạt chỉ tiêu 100% Công dân",
                         "thông tin Hội, đoàn thể trên CSDLQGvDC; Công văn số 943"):
        assert continuation not in text_doc.text
    blocks = {b.text: b for b in text_doc.blocks}
    assert blocks["I. KHÁI QUÁT TÌNH HÌNH VÀ KẾT QUẢ TRIỂN KHAI ĐỀ ÁN 06"].bold
    assert blocks["2. Về công tác tuyên truyền thực hiện Đề án 06"].bold  # "## **2. …**"
    assert blocks["* Chỉ đạo của phòng, ban, ngành"].bold  # "**\* Chỉ đạo …**"
    assert not blocks["Kính gửi: Tổ Công tác Đề án 06 tỉnh."].bold
    assert "- Bảo hiểm xã hội huyện" in blocks  # "*- Bảo hiểm xã hội huyện*": italic, not bold
    assert not blocks["- Bảo hiểm xã hội huyện"].bold


@pytest.mark.parametrize("text_doc", ["nga-bay-2022"], indirect=True)
def test_nga_bay_inline_notes_and_broken_lines(text_doc):
    assert text_doc.format == "txt"
    fn1 = text_doc.footnote("1")
    assert fn1.text.startswith(
        "- Văn bản của Chính phủ, Thủ tướng Chính phủ và các Bộ, Ngành: Nghị quyết số 50/NQ-CP ngày 08/4/2022"
    )
    # two paragraphs in the note, one line each in the original
    assert fn1.original.split("\n")[1].startswith("- Văn bản của UBND tỉnh: Quyết định số 453/QĐ-UBND")
    assert fn1.text.endswith("Công văn số 1617/CAT-PC06 ngày 03/11/2022…")
    assert text_doc.footnote("4").original.split("\n")[-1] == "."  # the export's lone full stop
    # "Hậu Giang([footnoteRef:1])." -> "Hậu Giang." with the mark after "Giang"
    assert text_doc.text[fn1.position - len("tỉnh Hậu Giang") : fn1.position + 1] == "tỉnh Hậu Giang."
    # lines broken mid-sentence are joined
    assert ("trách nhiệm của lãnh đạo các cấp, các ngành trong chỉ đạo triển khai thực hiện Đề án 06 ngày càng "
            "được nâng lên") in text_doc.text
    assert "tránh qua loa, hình thức; gắn công tác tuyên truyền với công tác hướng dẫn Nhân dân cách thức" in (
        text_doc.text
    )
    # bookmark tags gone, the heading kept whole
    assert "\nII. KÉT QUẢ CÁC MẶT CÔNG TÁC\n" in text_doc.text


@pytest.mark.parametrize("text_doc", ["tuyen-quang-cao-diem-2023"], indirect=True)
def test_tuyen_quang_ocr_superscripts(text_doc):
    assert [f.marker for f in text_doc.footnotes] == [str(n) for n in range(1, 10)]
    # "⁽¹⁾ thẩm định …" are enumerators: kept in the body as "(1)", not footnotes
    assert "được xúc tiến để triển khai thực hiện: (1) thẩm định phê duyệt Kế hoạch thuê DVC" in text_doc.text
    assert "; (2) Xây dựng Trung tâm giám sát, điều hành Đô thị thông minh tỉnh (IOC); (3) thẩm định" in text_doc.text
    # note 3 continues on the next page, before that page's notes: "… hơn 01 chủ" + "hộ; Nhóm chỉ tiêu …"
    assert "hộ có nhiều hơn 01 chủ hộ; Nhóm chỉ tiêu xóa trùng thông tin công dân" in text_doc.footnote("3").text
    # multi-paragraph notes
    assert text_doc.footnote("4").original.split("\n")[1].startswith("Công an tỉnh phối hợp Sở Thông tin")
    assert len(text_doc.footnote("5").original.split("\n")) == 7
    assert text_doc.footnote("8").original.split("\n")[1].startswith("Năm 2025: 100% các trường học")
    # body sentences cut by notes and page breaks
    assert "đặt tại trụ sở tiếp công dân của Ủy ban nhân dân cấp xã, niêm yết các TTHC" in text_doc.text
    assert "đúng tiến độ, yêu cầu của Chính phủ, các Bộ, ngành ở Trung ương" in text_doc.text
    assert "phải hoàn thành trong năm 2022, tuy nhiên chưa đảm bảo 100%" in text_doc.text
    # LaTeX: "$168.411 / 83.838 = 200,87\%$"
    assert "đã được thu nhận: 168.411/83.838 = 200,87% so với chỉ tiêu Bộ giao." in text_doc.text
    fn9 = text_doc.footnote("9")
    assert text_doc.text[fn9.position - len("Bộ Công an ") : fn9.position + 1] == "Bộ Công an ."  # "an ⁹."
    for note_text in ("hộ; Nhóm chỉ tiêu xóa trùng", "Công an tỉnh phối hợp Sở Thông tin", "Năm 2025: 100%",
                      "+ Ngày 17/8/2022, Ban chỉ đạo Đề án 06 xã Thái Hòa"):
        assert note_text not in text_doc.text


@pytest.mark.parametrize("text_doc", ["tuyen-quang-cao-diem-2023"], indirect=True)
def test_tuyen_quang_tab_table(text_doc):
    data = [t for t in text_doc.tables if not t.is_header]
    assert [len(t.rows) for t in data] == [22, 6]
    assert data[0].rows[6] == ["1", "Xác nhận số Chứng minh nhân dân khi đã được cấp thẻ Căn cước công dân", "4",
                               "X", "X", "X", "42", "42", "0", "0", "0", "0", "0", "0"]
    cells = [b for b in text_doc.blocks if b.kind == TABLE_CELL and b.table == data[0].index]
    total = next(b for b in cells if b.text == "Tổng số")
    row = {b.col: b.text for b in cells if b.row == total.row}
    assert (row[6], row[10]) == ("25,372", "13,552")


@pytest.mark.parametrize("text_doc", ["son-tra-2024", "de-cuong-so-ket-lam-dong-2023"], indirect=True)
def test_plain_exports(text_doc):
    assert text_doc.format == "txt"
    assert not text_doc.footnotes
    assert "[bookmark" not in text_doc.text


@pytest.mark.parametrize("text_doc", ["son-tra-2024"], indirect=True)
def test_son_tra_tab_header(text_doc):
    header = [(b.row, b.col, b.text) for b in text_doc.blocks if b.in_header]
    assert header == [
        (0, 0, "UBND XÃ SƠN TRÀ"),
        (0, 0, "TỔ CÔNG TÁC ĐỀ ÁN 06/CP"),
        (0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (0, 1, "Độc lập – Tự do – Hạnh phúc"),
        (1, 0, "Số: /BC-TCTĐA06"),
        (1, 1, "Sơn Trà, ngày 17 tháng 03 năm 2025"),
    ]
    assert text_doc.metadata.place == "Sơn Trà"


# ---------------------------------------------------------------------------------------------------------------
# The project's own corpus (corpus/reports/*.md)

# notes whose paragraphs are "- " items, one a line, joined by hard breaks in the note's markdown paragraph
OWN_LIST_NOTES = {
    "huyen-thach-lam-quy-1-2024": [
        "- Công văn số 112/TCTĐA06 ngày 16/01/2024 về việc đẩy mạnh thu nhận hồ sơ định danh điện tử mức 2;",
        "- Công văn số 205/TCTĐA06 ngày 02/02/2024 về việc bảo đảm dịch vụ công trực tuyến trong dịp Tết Nguyên đán;",
        "- Công văn số 318/TCTĐA06 ngày 27/02/2024 về việc làm sạch dữ liệu hộ tịch;",
        "- Công văn số 402/TCTĐA06 ngày 18/3/2024 về việc báo cáo kết quả thực hiện Đề án 06 quý I/2024.",
    ],
    "cong-an-tinh-an-khang-2023": [
        "- Kế hoạch số 118/KH-CAT-PC06 ngày 06/02/2023 về thu nhận hồ sơ cấp Căn cước công dân và định danh điện tử "
        "năm 2023;",
        '- Kế hoạch số 245/KH-CAT-PC06 ngày 17/3/2023 về làm sạch dữ liệu dân cư theo tiêu chí "đúng, đủ, sạch, '
        'sống";',
        "- Kế hoạch số 390/KH-CAT-PC06 ngày 12/5/2023 về cao điểm kích hoạt tài khoản định danh điện tử mức 2;",
        "- Kế hoạch số 604/KH-CAT-PC06 ngày 14/8/2023 về kiểm tra công tác thực hiện Đề án 06 tại Công an cấp huyện.",
    ],
}


@pytest.mark.parametrize("name", sorted(OWN_LIST_NOTES))
def test_note_items_after_hard_breaks_stay_in_the_note(own_corpus, name):
    """A markdown paragraph opening with ``<sup>N</sup>`` is note N to its end, "- " items and hard breaks
    included; the blank line and the page rule end it."""
    doc = read(own_corpus / "reports" / f"{name}.md")
    items = OWN_LIST_NOTES[name]
    fn = doc.footnote("2")
    assert fn.original == "\n".join(items)
    assert fn.original == read(own_corpus / "reports" / f"{name}.docx").footnote("2").original
    for item in items:
        assert item not in doc.text
    if name == "huyen-thach-lam-quy-1-2024":  # the body paragraph after the note and the "---" stays body
        assert ("\n- Phòng Tư pháp hướng dẫn Ủy ban nhân dân các xã, thị trấn số hóa Sổ hộ tịch theo Quy trình số "
                "1050") in doc.text
    else:
        assert "\n3. Làm sạch dữ liệu dân cư\n" in doc.text


# ---------------------------------------------------------------------------------------------------------------
# Decoding and bad input (small inputs written here)

REPORT = "Số: 12/BC-UBND\n\nBÁO CÁO\n\nKết quả năm 2023 đạt 53.852 trường hợp.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + REPORT.encode("utf-8"), "utf-8-sig"),
        (REPORT.encode("utf-16"), "utf-16"),
        (REPORT.encode("utf-16-le"), "utf-16-le"),
        (REPORT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_decode_unicode(data, encoding):
    assert detect_encoding(data) == encoding
    assert decode_text(data) == (REPORT, encoding)


def test_cp1258_fallback_warns():
    # Windows-1258 has "ê" but writes the tone apart: "huyê" + U+0323 (0xF2) for "huyện"
    data = "Báo cáo năm 2023 cu\u0309a huyê\u0323n".encode("cp1258")
    assert detect_encoding(data) == "8bit"
    text, encoding = decode_text(data)
    assert encoding == "cp1258" and unicodedata.normalize("NFC", text) == "Báo cáo năm 2023 của huyện"
    doc = read_bytes(data, "bao-cao.txt")
    assert doc.text == "Báo cáo năm 2023 của huyện"
    assert len(doc.warnings) == 1 and "cp1258" in doc.warnings[0]


def test_tcvn3_text_export_is_decoded(shared_corpus):
    """A text export saved in TCVN3 (ABC): the son-tra export re-encoded as .VnTime bytes reads like the original."""
    from extractor.formats.legacy import encode_tcvn3

    original = (shared_corpus / "text" / "son-tra-2024.txt").read_text(encoding="utf-8")
    # TCVN3 has no dashes or curly quotes: the file as a .VnTime-era editor would have saved it
    nfc = unicodedata.normalize("NFC", original).translate(str.maketrans("–“”", "-\"\""))
    data = encode_tcvn3(nfc).encode("latin-1")
    assert detect_encoding(data) == "8bit"
    _, encoding = decode_text(data)
    assert encoding == "tcvn3"
    doc = read_bytes(data, "son-tra-tcvn3.txt")
    assert doc.text == read_bytes(nfc.encode("utf-8"), "son-tra.txt").text
    assert "TCVN3" in doc.warnings[0]


@pytest.mark.parametrize("data", [b"", b"  \n\t\n", b"\xef\xbb\xbf\n", b"[bookmark: _GoBack]\n\n"])
def test_no_text_raises(data):
    with pytest.raises(EmptyDocument):
        parse(data, "empty.txt")


def test_latex_superscript_marks_and_notes():
    data = (
        "Đã ban hành 05 kế hoạch$^{1}$ và 02 công văn.\n\n"
        "$^{1}$ Kế hoạch số 50/KH-UBND ngày 20/3/2023 của $\\mathrm{UBND}$ huyện\n"
    ).encode()
    doc = read_bytes(data, "latex.md")
    assert doc.text == "Đã ban hành 05 kế hoạch và 02 công văn."
    fn = doc.footnote("1")
    assert fn.text == "Kế hoạch số 50/KH-UBND ngày 20/3/2023 của UBND huyện"
    assert doc.text[: fn.position].endswith("05 kế hoạch")


def test_single_line_breaks_split_paragraphs_not_sentences():
    data = "1. Ưu điểm\n- Công tác tuyên truyền được thực hiện thường xuyên với nhiều\nhình thức phong phú.\n".encode()
    doc = parse(data, "x.txt")
    assert [b.original for b in doc.blocks] == [
        "1. Ưu điểm",
        "- Công tác tuyên truyền được thực hiện thường xuyên với nhiều hình thức phong phú.",
    ]


MARKUP = ["\n", "\n\n", "\t", " ", "**", "*", "#", "---", "<sup>2</sup>", "¹", "⁽¹⁾", "$", "^{1}", "\\", "[", "]",
          "[1: () ", "([footnoteRef:1])", "[bookmark: x]", "Số: 1/BC", "Hà Nội, ngày 1 tháng 2 năm 2023", "1.", "- ",
          "a", "Đ", "của", "văn bản", ".", ";", ":", "\ufeff", "\r\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=60))
def test_any_markup_parses_or_is_empty(pieces):
    """Whatever the mix of conventions, the parser returns a consistent document or says the file is empty."""
    data = "".join(pieces).encode()
    try:
        doc = read_bytes(data, "fuzz.txt")
    except EmptyDocument:
        return
    assert doc.blocks or doc.footnotes
    for block in doc.blocks:
        assert all(0 <= m.offset <= len(block.text) for m in block.markers)
        assert "\ue010" not in block.text and "\ue012" not in block.text
