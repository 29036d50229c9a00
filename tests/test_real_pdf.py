"""The genuine PDFs of ../shared/corpus/real/ (issue 19): e-signed PDFs whose number and day are drawn by signature
widgets, a text layer with a font-mapping fault, one that is garbage, and scans whose two-column header OCR reads
across. Expected values were read by eye from the pages rendered with pypdfium2 (forms drawn), not from output."""

from __future__ import annotations

import functools
import shutil
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlite_utils

from extractor.formats.pdf.ocr import document_from_pages, ocr_pages
from extractor.pipeline import prepare, read
from extractor.run.ingest import ingest

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
VN = timezone(timedelta(hours=7))


@pytest.fixture(scope="module")
def real(shared_corpus):
    @functools.cache
    def get(name: str):
        return read(shared_corpus / "real" / name)

    return get


def _line(doc, start: str) -> str:
    return next(b.text for b in doc.blocks if b.in_header and b.text.startswith(start))


# -- e-signed PDFs: the stamps' text in its place ------------------------------------------------------------------

E_SIGNED = {
    # file: (number line as printed with the stamp, number, symbol, place, date, date line as read)
    "lc-cv193-ubnd.pdf": ("Số: 193 /UBND-KT", "193", "UBND-KT", "Lào Cai", date(2026, 1, 10),
                          "Lào Cai, ngày 10 tháng 01 năm 2026"),
    "lc-cv6791-snnmt.pdf": ("Số: 6791 /SNNMT-KHTC", "6791", "SNNMT-KHTC", "Lào Cai", date(2026, 7, 17),
                            "Lào Cai, ngày 17 tháng 7 năm 2026"),
    "lc-cv7432-ubnd.pdf": ("Số: 7432 /UBND-XD", "7432", "UBND-XD", "Lào Cai", date(2026, 7, 21),
                           "Lào Cai, ngày 21 tháng 7 năm 2026"),
    "bct-cv1178-dck.pdf": ("Số: 1178 /ĐCK-CTT", "1178", "ĐCK-CTT", "Hà Nội", date(2025, 7, 9),
                           "Hà Nội, ngày 09 tháng 7 năm 2025"),
}


@pytest.mark.parametrize("name", sorted(E_SIGNED))
def test_the_number_and_day_drawn_by_signature_stamps_are_read_in_place(real, name):
    number_line, number, symbol, place, issued, date_line = E_SIGNED[name]
    doc = real(name)
    assert _line(doc, "Số:") == number_line
    assert _line(doc, place + ",") == date_line
    m = doc.metadata
    assert (m.number, m.symbol, m.place, m.issued_date, m.issued_date_source) == (
        number, symbol, place, issued, "text")
    assert not doc.ocr


def test_without_flattening_the_text_layer_has_blanks_where_the_stamps_are(shared_corpus):
    """The negative: the page text alone (what docmine read before) has no number and no day."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(shared_corpus / "real" / "lc-cv193-ubnd.pdf")
    text = pdf[0].get_textpage().get_text_range()
    assert "Số: /UBND-KT" in text and "193" not in text.split("V/v")[0]
    assert "ngày tháng năm 2026" in text


def test_the_stamps_text_does_not_glue_to_the_next_word(real):
    # "01" is drawn touching "năm" ("tháng 01năm 2026" on the page): it is a word of its own
    assert "tháng 01 năm 2026" in real("lc-cv193-ubnd.pdf").text


# -- signatures ------------------------------------------------------------------------------------------------------

UBND, SNNMT, BCT = "ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BỘ CÔNG THƯƠNG"
CUC = "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG"
SIGNATURES = {
    # Certificates have no rendered form: these were checked against what the page shows (the signer's name under the
    # signature, "Nguyễn Thành Sinh" on page 4 of lc-cv193; the office's seal over it, on page 4; the stamps on the
    # number and day of page 1) and against each signature's own /Reason ("Nguyễn Thành Sinh<…> đã ký lên văn bản này!")
    # file: [(field, page, signer, organisation, unit, signed_at)], in the form's order; the last covers the file
    "lc-cv193-ubnd.pdf": [
        ("Signature1", 4, "Nguyễn Thành Sinh", UBND, None, (2026, 1, 10, 9, 59, 58)),
        ("Signature2", 1, UBND, UBND, None, (2026, 1, 10, 10, 10, 13)),
        ("Signature3", 1, UBND, UBND, None, (2026, 1, 10, 10, 10, 20)),
        ("Signature4", 1, UBND, UBND, None, (2026, 1, 10, 10, 10, 35)),
        ("Signature5", 4, UBND, UBND, None, (2026, 1, 10, 10, 10, 50)),
    ],
    "lc-cv6791-snnmt.pdf": [
        ("Signature1", 4, "Phạm Bình Minh", UBND, SNNMT,
         (2026, 7, 17, 15, 48, 21)),
        ("Signature2", 1, SNNMT, UBND, None, (2026, 7, 17, 16, 10, 9)),
        ("Signature3", 1, SNNMT, UBND, None, (2026, 7, 17, 16, 10, 12)),
        ("Signature4", 4, SNNMT, UBND, None, (2026, 7, 17, 16, 10, 17)),
    ],
    "lc-cv7432-ubnd.pdf": [
        ("Signature1", 2, "Phan Trung Bá", UBND, "SỞ TÀI CHÍNH", (2026, 7, 20, 17, 54, 35)),
        ("Signature2", 1, UBND, UBND, None, (2026, 7, 21, 7, 29, 4)),
        ("Signature3", 1, UBND, UBND, None, (2026, 7, 21, 7, 29, 8)),
        ("Signature4", 2, UBND, UBND, None, (2026, 7, 21, 7, 29, 13)),
    ],
    "bct-cv1178-dck.pdf": [
        ("Signature1", 1, "Nguyễn Văn Thịnh", BCT, CUC,
         (2025, 7, 10, 13, 42, 6)),
        ("Signature2", 1, CUC, BCT, None,
         (2025, 7, 9, 13, 58, 32)),
        ("Signature3", 1, CUC, BCT, None,
         (2025, 7, 9, 13, 58, 41)),
        ("Signature4", 1, CUC, BCT, None,
         (2025, 7, 9, 14, 0, 22)),
    ],
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_every_signature_is_read_with_its_certificate_and_time(real, name):
    sigs = real(name).signatures
    got = [(s.field, s.page, s.signer, s.organisation, s.unit, s.signed_at) for s in sigs]
    want = [(f, p, sg, o, u, datetime(*t, tzinfo=VN)) for f, p, sg, o, u, t in SIGNATURES[name]]
    assert got == want
    # only the last signature's bytes run to the end of the file: the earlier ones were made before it was added
    assert [s.covers_whole_file for s in sigs] == [False] * (len(sigs) - 1) + [True]
    assert all(s.sub_filter == "adbe.pkcs7.detached" and s.error is None for s in sigs)
    assert all(s.reason and s.reason.endswith("đã ký lên văn bản này!") for s in sigs)


def test_signature_location_and_authority(real):
    first = real("bct-cv1178-dck.pdf").signatures[0]
    assert first.location == "BỘ CÔNG THƯƠNG - Hà Nội"
    assert first.email == "thinhnv@moit.gov.vn"
    assert first.cert_issuer == "CA phục vụ các cơ quan Nhà nước G2"
    assert first.name is None  # /Prop_Build's own /Name (the signing software) is not the signer's
    assert real("lc-cv193-ubnd.pdf").signatures[0].location == "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"


@needs_tesseract
def test_unsigned_pdfs_have_no_signatures(real):
    assert real("lc-tb1894-sct.pdf").signatures == []
    assert real("hufi-kh753.pdf").signatures == []


# -- broken text layers ----------------------------------------------------------------------------------------------


def test_the_u_horn_fault_is_repaired_and_said(real):
    doc = real("bct-cv1178-dck.pdf")
    assert "ƣ" not in doc.text and "Ƣ" not in doc.text
    assert "Kính gửi: Sở Công Thương tỉnh Lào Cai" in doc.text
    assert "hướng dẫn điều kiện thành lập" in doc.text
    assert _line(doc, "BỘ") == "BỘ CÔNG THƯƠNG"
    assert doc.page_info[1]["text_layer"] == "repaired"
    assert any("u-horn-as-oi" in w and "page(s) 1" in w for w in doc.warnings)


@needs_tesseract
def test_a_garbage_text_layer_is_replaced_by_ocr(real):
    doc = real("lc-tb1894-sct.pdf")
    assert doc.ocr
    assert [doc.page_info[n]["text_layer"] for n in (1, 2)] == ["broken", "broken"]
    for garbage in ("7ӌ1+", "L¿O", "OXұW", "ÿӏQK", "Ĉ"):
        assert garbage not in doc.text
    assert "TỈNH LÀO CAI" in doc.text and "Thực hiện Quyết định số" in doc.text
    assert any("page(s) 1, 2 is not Vietnamese text" in w for w in doc.warnings)
    m = doc.metadata
    assert (m.number, m.symbol, m.place, m.issued_date) == ("1894", "TB-SCT", "Lào Cai", date(2026, 4, 9))


# -- scans' headers ----------------------------------------------------------------------------------------------


@needs_tesseract
def test_a_scans_header_columns_are_split_and_handwriting_left_blank(real):
    doc = real("hufi-kh753.pdf")
    left = [b.text for b in doc.blocks if b.in_header and b.col == 0]
    right = [b.text for b in doc.blocks if b.in_header and b.col == 1]
    assert left[0] == "BỘ CÔNG THƯƠNG" and left[1] == "TRƯỜNG ĐẠI HỌC CÔNG THƯƠNG"
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "Số: /KH-DCT" in left  # "753" is handwritten: blank, not a misread "Á3"
    m = doc.metadata
    assert (m.number, m.symbol, m.place, m.issued_date) == (None, "KH-DCT", "Thành phố Hồ Chí Minh", None)
    assert any("document number is handwritten" in w for w in doc.warnings)
    assert any("handwritten or unreadable day" in w for w in doc.warnings)
    assert not any("CỘNG HÒA" in b.text for b in doc.blocks if not b.in_header)  # not read across the columns


@needs_tesseract
def test_a_scan_with_a_handwritten_day_takes_the_signing_date(real):
    doc = real("bct-cv2265-atmt.pdf")
    m = doc.metadata
    assert (m.number, m.symbol, m.place) == (None, "BCT-ATMT", "Hà Nội")
    assert (m.issued_date, m.issued_date_source) == (date(2026, 4, 2), "signature")  # the page shows "ngày 02 tháng 4"
    assert any("issued_date taken from the digital signature" in w for w in doc.warnings)
    assert [(s.signer, s.organisation, s.covers_whole_file) for s in doc.signatures] == [
        ("Bộ Công Thương", "Bộ Công thương", True)]
    assert _line(doc, "Hà Nội") == "Hà Nội, ngày tháng năm 2026"


REPORT_HEADERS = {
    # the five corpus reports: what their DOCX/PDF header gives, now from page 1 of the scan
    "binh-son-6-thang-2023": (None, "BC-TCTĐA06", "Bình Sơn", None),
    "de-cuong-so-ket-lam-dong-2023": (None, None, None, None),
    "nga-bay-2022": (None, "BC-UBND", "Ngã Bảy", None),
    "son-tra-2024": (None, "BC-TCTĐA06", "Sơn Trà", date(2025, 3, 17)),
    "tuyen-quang-cao-diem-2023": ("154", "BC-CAT-QLHC", "Tuyên Quang", date(2023, 1, 8)),
}


@needs_tesseract
@pytest.mark.parametrize("report", sorted(REPORT_HEADERS))
def test_corpus_scans_header_metadata_matches_the_text_pdf(shared_corpus, report):
    data = (shared_corpus / "scan" / f"{report}.pdf").read_bytes()
    doc = prepare(document_from_pages(ocr_pages(data, [1]), report, 1))
    m = doc.metadata
    assert (m.number, m.symbol, m.place, m.issued_date) == REPORT_HEADERS[report]
    text = read(shared_corpus / "pdf" / f"{report}.pdf").metadata
    assert (m.number, m.symbol, m.place, m.issued_date) == (text.number, text.symbol, text.place, text.issued_date)


# -- the database ------------------------------------------------------------------------------------------------


@needs_tesseract
def test_signatures_and_text_layers_reach_the_database(shared_corpus, tmp_path):
    names = ["lc-cv193-ubnd.pdf", "bct-cv1178-dck.pdf", "lc-tb1894-sct.pdf"]
    db_path = tmp_path / "real.db"
    ingest([shared_corpus / "real" / n for n in names], db_path, jobs=1)
    db = sqlite_utils.Database(db_path)
    rows = {r["file_name"]: r for r in db.query("select * from documents")}
    assert {n: rows[n]["status"] for n in names} == dict.fromkeys(names, "ok")
    per_doc = dict(db.execute("select d.file_name, count(s.id) from documents d left join signatures s "
                              "on s.document_id = d.id group by d.file_name").fetchall())
    assert per_doc == {"lc-cv193-ubnd.pdf": 5, "bct-cv1178-dck.pdf": 4, "lc-tb1894-sct.pdf": 0}
    last = db.execute("select s.signer, s.signed_at, s.covers_whole_file, s.byte_range from signatures s "
                      "join documents d on s.document_id = d.id where d.file_name = 'lc-cv193-ubnd.pdf' "
                      "order by s.idx desc").fetchone()
    assert last == ("ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "2026-01-10T10:10:50+07:00", 1, "[0, 2984579, 3009349, 5405]")
    assert rows["lc-cv193-ubnd.pdf"]["number"] == "193" and rows["lc-cv193-ubnd.pdf"]["issued_date_source"] == "text"
    layers = dict(db.execute("select d.file_name || '#' || p.page, p.text_layer from pages p join documents d "
                             "on p.document_id = d.id").fetchall())
    assert layers["bct-cv1178-dck.pdf#1"] == "repaired"
    assert layers["lc-tb1894-sct.pdf#1"] == layers["lc-tb1894-sct.pdf#2"] == "broken"
    assert {layers[f"lc-cv193-ubnd.pdf#{n}"] for n in range(1, 5)} == {"ok"}
    # the garbage never reaches the database as text
    garbage = db.execute("select count(*) from blocks where text like '%ӌ%' or text like '%ұ%' or text like '%ƣ%'")
    assert garbage.fetchone()[0] == 0
    assert "7ӌ1+" not in rows["lc-tb1894-sct.pdf"]["text"]


def _combined(shared_corpus) -> bytes:
    """Page 1 of bct-cv1178 (a repairable text layer) then page 2 of lc-tb1894 (garbage)."""
    import io

    import pypdfium2 as pdfium

    good = pdfium.PdfDocument(shared_corpus / "real" / "bct-cv1178-dck.pdf")
    bad = pdfium.PdfDocument(shared_corpus / "real" / "lc-tb1894-sct.pdf")
    out = pdfium.PdfDocument.new()
    out.import_pages(good, [0])
    out.import_pages(bad, [1])
    buf = io.BytesIO()
    out.save(buf)
    for pdf in (out, good, bad):
        pdf.close()
    return buf.getvalue()


def test_without_tesseract_a_broken_page_is_left_out_never_stored_as_text(shared_corpus, monkeypatch):
    from extractor.errors import MissingTool
    from extractor.pipeline import read_bytes

    monkeypatch.setenv("DOCMINE_TESSERACT", "/nonexistent/tesseract")
    doc = read_bytes(_combined(shared_corpus), "combined.pdf")
    assert "Kính gửi: Sở Công Thương tỉnh Lào Cai" in doc.text
    assert not any(ch in doc.text for ch in "ӌұӏҧӕ¿‡")
    assert {b.page for b in doc.blocks} == {1}
    assert doc.page_info[2]["text_layer"] == "broken"
    assert any("page(s) 2 is not Vietnamese text" in w and "left out" in w for w in doc.warnings)
    assert any("were not OCRed" in w for w in doc.warnings)
    # every page broken and no OCR: the file is an error, not a document of garbage
    with pytest.raises(MissingTool):
        read(shared_corpus / "real" / "lc-tb1894-sct.pdf")


@needs_tesseract
def test_a_broken_page_of_a_mixed_pdf_is_ocred_in_its_place(shared_corpus):
    from extractor.pipeline import read_bytes

    doc = read_bytes(_combined(shared_corpus), "combined.pdf")
    assert doc.ocr and {b.page for b in doc.blocks} == {1, 2}
    assert doc.page_info[1]["text_layer"] == "repaired" and doc.page_info[2]["text_layer"] == "broken"
    assert not any(ch in doc.text for ch in "ӌұӏҧӕ¿‡ƣ")
    assert any("page(s) 2 is not Vietnamese text" in w and "read again with OCR" in w for w in doc.warnings)


def test_read_signatures_finds_the_stamps_pages_on_its_own(shared_corpus):
    import pypdfium2 as pdfium

    from extractor.formats.pdf.signatures import read_signatures

    data = (shared_corpus / "real" / "lc-cv193-ubnd.pdf").read_bytes()
    pdf = pdfium.PdfDocument(data)
    try:
        sigs = read_signatures(pdf, data)
    finally:
        pdf.close()
    assert [(s.field, s.page) for s in sigs] == [("Signature1", 4), ("Signature2", 1), ("Signature3", 1),
                                                ("Signature4", 1), ("Signature5", 4)]


def test_when_the_stamps_cannot_be_read_the_signing_time_is_the_date(shared_corpus, monkeypatch):
    import pypdfium2.raw as pdfium_c

    monkeypatch.setattr(pdfium_c, "FPDFPage_Flatten", lambda page, flag: 0)  # pdfium fails to flatten
    doc = read(shared_corpus / "real" / "lc-cv193-ubnd.pdf")
    m = doc.metadata
    assert (m.number, m.symbol) == (None, "UBND-KT")  # the number only the stamp shows is not guessed
    assert (m.issued_date, m.issued_date_source) == (date(2026, 1, 10), "signature")
    assert any("issued_date taken from the digital signature's signing time" in w for w in doc.warnings)
