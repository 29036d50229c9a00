"""The PDF parser on the five corpus reports (PDFs exported from the DOCX files by LibreOffice): same footnotes and
body text as the DOCX, page furniture removed, marks, header table, tables; and bad PDFs raising the right error."""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractor.errors import CorruptDocument, EmptyDocument, EncryptedDocument
from extractor.formats.pdf import page_has_text, parse
from extractor.model import TABLE_CELL, Document
from extractor.pipeline import read, read_bytes
from extractor.prepare.similarity import word_similarity
from tests.conftest import REPORTS

_CACHE: dict[tuple[str, str], Document] = {}


def _read(corpus: Path, fmt: str, name: str) -> Document:
    key = (fmt, name)
    if key not in _CACHE:
        _CACHE[key] = read(corpus / fmt / f"{name}.{fmt}")
    return _CACHE[key]


# ---------------------------------------------------------------------------------------------------------------
# PDF against DOCX on every report


@pytest.mark.parametrize("name", REPORTS)
def test_pdf_footnotes_match_docx(shared_corpus: Path, name: str) -> None:
    pdf, docx = _read(shared_corpus, "pdf", name), _read(shared_corpus, "docx", name)
    assert pdf.format == "pdf"
    assert [fn.marker for fn in pdf.footnotes] == [fn.marker for fn in docx.footnotes]
    for fn_docx in docx.footnotes:
        fn_pdf = pdf.footnote(fn_docx.marker)
        assert word_similarity(fn_pdf.text, fn_docx.text) >= 0.98, fn_docx.marker
        assert fn_pdf.position is not None, f"mark {fn_docx.marker} not found in the body"


@pytest.mark.parametrize("name", REPORTS)
def test_pdf_body_matches_docx(shared_corpus: Path, name: str) -> None:
    pdf, docx = _read(shared_corpus, "pdf", name), _read(shared_corpus, "docx", name)
    assert word_similarity(pdf.text, docx.text) >= 0.97
    for fn in pdf.footnotes:  # no footnote text leaks into the body
        opening = " ".join(fn.text.split()[:8])
        assert opening not in pdf.text, fn.marker


@pytest.mark.parametrize("name", REPORTS)
def test_pdf_pages_and_no_page_numbers(shared_corpus: Path, name: str) -> None:
    pdf = _read(shared_corpus, "pdf", name)
    raw = pdfium.PdfDocument(shared_corpus / "pdf" / f"{name}.pdf")
    assert pdf.pages == len(raw) > 0
    raw.close()
    assert all(info["has_text"] for info in pdf.page_info.values())
    # the page numbers LibreOffice prints at the top of pages 2.. are furniture, not text
    assert not [b.text for b in pdf.blocks if b.kind != TABLE_CELL and b.text.strip().isdigit()]


# ---------------------------------------------------------------------------------------------------------------
# Bình Sơn: a footnote running over a page break, and a body sentence interrupted by the footnote area


def test_binh_son_footnote_across_page_break(shared_corpus: Path) -> None:
    doc = _read(shared_corpus, "pdf", "binh-son-6-thang-2023")
    fn4 = doc.footnote("4")
    assert fn4.page == 3
    assert fn4.text.startswith("Công văn số 03/CAH-QLHC, ngày 03/01/2023 về việc triển khai các biện pháp")
    # the last lines of note 4 are at the top of page 4's footnote area, before note 5
    assert fn4.text.endswith(
        "Công văn số 1671/CAH-QLHC, ngày 08/6/2023 về việc tăng cường các giải pháp thu nhận hồ sơ xác thực định "
        "danh điện tử (VNeID)."
    )
    assert doc.footnote("5").text == (
        "Công văn số 766/CV-BHXH, ngày 10/5/2023 về việc làm sạch dữ liệu cho người đang tham gia BHXH, BHYT chưa "
        "được xác thực đúng với CSDLQGvDC."
    )
    # the body paragraph broken by page 3's footnote area comes out whole
    whole = (
        "+ Chủ trì tham mưu, triển khai và phối hợp kiểm tra việc thực hiện các nội dung về việc triển khai các biện "
        "pháp, giải pháp để đáp ứng các điều kiện Sổ hộ khẩu, Sổ tạm trú hết giá trị sử dụng sau ngày 31/12/2022 "
        "theo Luật Cư trú năm 2020;"
    )
    assert whole in [b.text for b in doc.blocks]
    assert "18/5/2023 về việc giao chỉ tiêu" not in doc.text


def test_binh_son_marks(shared_corpus: Path) -> None:
    doc = _read(shared_corpus, "pdf", "binh-son-6-thang-2023")
    fn1 = doc.footnote("1")
    assert doc.text[fn1.position - 19 : fn1.position] == "ban hành 13 văn bản"
    assert "văn bản1" not in doc.text
    # "Ban hành 05 kế hoạch³, 30 công văn⁴": two marks in one line
    fn3, fn4 = doc.footnote("3"), doc.footnote("4")
    assert doc.text[fn3.position - 11 : fn3.position] == "05 kế hoạch"
    assert doc.text[fn4.position - 11 : fn4.position] == "30 công văn"
    # a document symbol broken at "-" over a line end in a footnote is joined without a space
    assert "Kế hoạch số 541/KH-CAH(QLHC), ngày 02/3/2023" in doc.footnote("3").text


def test_binh_son_header_title_and_signature(shared_corpus: Path) -> None:
    doc = _read(shared_corpus, "pdf", "binh-son-6-thang-2023")
    header = [b for b in doc.blocks if b.in_header]
    assert [(b.text, b.row, b.col) for b in header] == [
        ("Số: /BC-TCTĐA06", 0, 0),
        ("Bình Sơn, ngày tháng năm 2023", 0, 1),
    ]
    assert doc.blocks[:2] == header
    assert doc.tables[0].is_header and doc.tables[0].rows == [["Số: /BC-TCTĐA06", "Bình Sơn, ngày tháng năm 2023"]]
    title = doc.blocks[2]
    assert (title.text, title.bold, title.centered) == ("BÁO CÁO", True, True)
    heading = next(b for b in doc.blocks if b.text.startswith("I. KHÁI QUÁT"))
    assert heading.bold and not heading.centered
    # signature block: "Nơi nhận:" list in the left cell, signer in the right cell
    sign = doc.tables[-1]
    assert sign.rows[0][0].startswith("Nơi nhận: - Như trên; - TT Huyện ủy,")
    assert sign.rows[0][1] == "TỔ TRƯỞNG CHỦ TỊCH ỦY BAN NHÂN DÂN Nguyễn Tường Duy"


# ---------------------------------------------------------------------------------------------------------------
# Ngã Bảy: marks written "(1)" in superscript; Tuyên Quang: superscript "(1)" enumerators that are not footnotes


def test_nga_bay_parenthesised_marks(shared_corpus: Path) -> None:
    doc = _read(shared_corpus, "pdf", "nga-bay-2022")
    assert [fn.marker for fn in doc.footnotes] == ["1", "2", "3", "4"]
    fn1 = doc.footnote("1")
    assert doc.text[fn1.position - 9 : fn1.position + 1] == "Hậu Giang."
    assert "Hậu Giang(" not in doc.text and "Hậu Giang()" not in doc.text
    assert fn1.text.startswith("- Văn bản của Chính phủ, Thủ tướng Chính phủ và các Bộ, Ngành: Nghị quyết số 50/")


def test_tuyen_quang_enumerators_are_not_footnotes(shared_corpus: Path) -> None:
    pdf, docx = _read(shared_corpus, "pdf", "tuyen-quang-cao-diem-2023"), _read(
        shared_corpus, "docx", "tuyen-quang-cao-diem-2023"
    )
    enumerated = "xúc tiến để triển khai thực hiện: (1) thẩm định phê duyệt Kế hoạch"
    assert enumerated in pdf.text and enumerated in docx.text
    assert "(SOC) tỉnh Tuyên Quang”; (2) Xây dựng Trung tâm giám sát" in pdf.text
    assert len(pdf.footnotes) == len(docx.footnotes) == 9
    fn1 = pdf.footnote("1")
    assert pdf.text[fn1.position - 20 : fn1.position + 1] == "tại cơ quan đơn vị mình."[-21:]


def test_tuyen_quang_stamp_and_statistics_table(shared_corpus: Path) -> None:
    doc = _read(shared_corpus, "pdf", "tuyen-quang-cao-diem-2023")
    stamp = doc.tables[1]
    assert stamp.rows == [
        ["SỞ TƯ PHÁP TỈNH TUYÊN QUANG ĐẾN Số: 4.15 Ngày 13 -01- 2023 Chuyên:..... Số và ký hiệu HS:....."]
    ]
    stats = doc.tables[3]
    # 19 rows on page 15 and 3 more on page 16 (where LibreOffice repeats the 5 heading rows)
    assert (len(stats.rows), len(stats.rows[0]), stats.page) == (22, 14, 16)
    row = next(r for r in stats.rows if r[1] == "Đăng ký thương trú")
    assert row[6:8] == ["12,712", "12,706"]
    assert stats.rows[-1][1] == "Đăng ký kết hôn"
    assert (0, 5, 1, 4) in stats.merges  # "Tiếp nhận trực tuyến" spans four columns
    assert len(doc.tables) == 5


def test_son_tra_two_row_header(shared_corpus: Path) -> None:
    doc = _read(shared_corpus, "pdf", "son-tra-2024")
    assert [(b.text, b.row, b.col) for b in doc.blocks if b.in_header] == [
        ("UBND XÃ SƠN TRÀ", 0, 0),
        ("TỔ CÔNG TÁC ĐỀ ÁN 06/CP", 0, 0),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0, 1),
        ("Độc lập – Tự do – Hạnh phúc", 0, 1),
        ("Số: /BC-TCTĐA06", 1, 0),
        ("Sơn Trà, ngày 17 tháng 03 năm 2025", 1, 1),
    ]


def test_de_cuong_dash_between_vietnamese_words_keeps_its_space(shared_corpus: Path) -> None:
    doc = _read(shared_corpus, "pdf", "de-cuong-so-ket-lam-dong-2023")
    # "khai tử- xóa" is broken after the dash in the PDF; the space after it is kept
    assert "đăng ký khai tử- xóa đăng ký thường trú- trợ cấp mai táng phí" in doc.text
    assert doc.footnotes == []


# ---------------------------------------------------------------------------------------------------------------
# bad input


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def encrypted_pdf(user: bytes = b"secret", owner: bytes = b"owner") -> bytes:
    """A one-page PDF encrypted with the standard security handler (RC4 40-bit, revision 2): it opens only
    with the user password."""
    file_id = hashlib.md5(b"docmine test").digest()
    perms = -4
    o_value = _rc4(hashlib.md5((owner + _PAD)[:32]).digest()[:5], (user + _PAD)[:32])
    key = hashlib.md5((user + _PAD)[:32] + o_value + struct.pack("<i", perms) + file_id).digest()[:5]
    u_value = _rc4(key, _PAD)
    content = b"BT /F1 24 Tf 72 720 Td (Secret report of the working group) Tj ET"
    obj_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    stream = _rc4(obj_key, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <" + u_value.hex().encode()
        + b"> /P %d >>" % perms,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), xref)
    return bytes(out)


def test_encrypted_pdf_raises_encrypted_document() -> None:
    data = encrypted_pdf()
    with pytest.raises(EncryptedDocument, match="password"):
        parse(data, "locked.pdf")
    with pytest.raises(EncryptedDocument):
        read_bytes(data, "locked.pdf")
    # the file is a genuine encrypted PDF: with the password pdfium reads its text
    pdf = pdfium.PdfDocument(data, password="secret")
    page = pdf[0]
    textpage = page.get_textpage()
    assert textpage.get_text_range().strip() == "Secret report of the working group"
    assert page_has_text(page, textpage)
    textpage.close()
    page.close()
    pdf.close()


def test_an_encrypted_pdf_does_not_make_the_next_failure_encrypted() -> None:
    # pdfium keeps its last error code across loads: after a password failure, an empty or damaged PDF read in the
    # same process must still be reported as what it is (a batch worker reads many files)
    empty = pdfium.PdfDocument.new()
    buf = io.BytesIO()
    empty.save(buf)
    empty.close()
    for data, error, message in ((buf.getvalue(), EmptyDocument, "no pages"),
                                 (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", CorruptDocument, "damaged")):
        with pytest.raises(EncryptedDocument):
            parse(encrypted_pdf(), "locked.pdf")
        with pytest.raises(error, match=message):
            parse(data, "next.pdf")


def test_truncated_pdf_raises_corrupt_document(shared_corpus: Path) -> None:
    data = (shared_corpus / "pdf" / "son-tra-2024.pdf").read_bytes()
    with pytest.raises(CorruptDocument, match="damaged or truncated"):
        parse(data[: len(data) // 2], "son-tra-2024.pdf")
    with pytest.raises(CorruptDocument):
        read_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "cut.pdf")


def test_scan_without_text_layer_goes_to_ocr(shared_corpus: Path, monkeypatch) -> None:
    from extractor.errors import MissingTool

    path = shared_corpus / "scan" / "son-tra-2024.pdf"
    monkeypatch.setenv("DOCMINE_TESSERACT", "/nonexistent/tesseract")  # OCR is asked for, and says what is missing
    with pytest.raises(MissingTool, match=r"tesseract-ocr-vie"):
        parse(path.read_bytes(), str(path))
    pdf = pdfium.PdfDocument(path)
    page = pdf[0]
    assert not page_has_text(page)
    page.close()
    pdf.close()


def test_pdf_without_pages_is_empty() -> None:
    pdf = pdfium.PdfDocument.new()
    import io

    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    with pytest.raises(EmptyDocument, match="no pages"):
        parse(buf.getvalue())


def test_word_similarity() -> None:
    assert word_similarity("Hòa  bình\nđộc lập", "hoà bình độc lập".replace("h", "H", 1)) == 1.0
    assert word_similarity("a b c d", "a b x d") == 0.75
    assert word_similarity("", "") == 1.0
