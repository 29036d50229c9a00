"""Scanned PDFs through Tesseract (vie): text, footnotes and marks from the page layout, confidence per page.

The fast tests OCR two pages; the full scan corpus (53 pages, a few minutes on 2 cores) is marked slow."""

from __future__ import annotations

import difflib

import pytest

from extractor.errors import MissingTool
from extractor.formats.pdf import ocr
from extractor.pipeline import prepare, read

needs_tesseract = pytest.mark.skipif(ocr.find_tesseract() is None, reason="tesseract not installed")


def _word_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


@pytest.fixture(scope="module")
def binh_son_p1(shared_corpus):
    data = (shared_corpus / "scan" / "binh-son-6-thang-2023.pdf").read_bytes()
    pages = ocr.ocr_pages(data, [1, 2], workers=2)
    return prepare(ocr.document_from_pages(pages, "binh-son.pdf", total_pages=11))


@needs_tesseract
def test_first_page_text_and_confidence(binh_son_p1) -> None:
    doc = binh_son_p1
    assert doc.ocr is True
    assert "Công văn số 2815/TCTĐA06, ngày 06/6/2023 của Tổ Công tác Đề án 06 tỉnh" in doc.text
    assert "I. KHÁI QUÁT TÌNH HÌNH VÀ KẾT QUẢ TRIỂN KHAI ĐỀ ÁN 06" in doc.text
    assert doc.page_info[1]["ocr_confidence"] > 90
    assert doc.page_info[1]["deskew_angle"] == pytest.approx(-0.5, abs=0.15)  # p.1 is skewed by -0.53°
    assert doc.page_info[2]["deskew_angle"] == 0.0


@needs_tesseract
def test_footnotes_recovered_from_layout(binh_son_p1) -> None:
    doc = binh_son_p1
    first = doc.footnote("1")
    assert first is not None and first.text.startswith("Công văn số 04/UBND, ngày 03/01/2023")
    assert "885/TCTĐA06, ngày 04/4/2023" in first.text  # continued at the bottom of page 2 without a mark
    assert first.anchor_text.startswith("- Tổ Trưởng Tổ Công tác Đề án 06 huyện")
    assert "13 văn bản chỉ đạo" in doc.text  # the raised mark after "bản" is not in the text
    second = doc.footnote("2")
    assert second is not None and second.text.startswith("Công văn số 1708-CV/HU, ngày 28/4/2023")
    assert "885/TCTĐA06" not in doc.text  # footnote bodies stay out of the body text


def test_missing_tesseract_is_a_clear_error(shared_corpus, monkeypatch) -> None:
    monkeypatch.setenv("DOCMINE_TESSERACT", "/nonexistent/tesseract")
    data = (shared_corpus / "scan" / "son-tra-2024.pdf").read_bytes()
    with pytest.raises(MissingTool, match="tesseract-ocr-vie"):
        ocr.parse_scanned(data, "son-tra-2024.pdf")


REPORTS = ["binh-son-6-thang-2023", "de-cuong-so-ket-lam-dong-2023", "nga-bay-2022", "son-tra-2024",
           "tuyen-quang-cao-diem-2023"]


@pytest.mark.slow
@needs_tesseract
@pytest.mark.parametrize("name", REPORTS)
def test_scan_matches_docx(shared_corpus, name: str) -> None:
    scanned = prepare(ocr.parse_scanned((shared_corpus / "scan" / f"{name}.pdf").read_bytes(), f"{name}.pdf"))
    docx = read(shared_corpus / "docx" / f"{name}.docx")
    assert scanned.ocr and len(scanned.page_info) == scanned.pages
    assert all(info["ocr_confidence"] > 80 for info in scanned.page_info.values())
    full_scan = scanned.text + " " + " ".join(f.text for f in scanned.footnotes)
    full_docx = docx.text + " " + " ".join(f.text for f in docx.footnotes)
    assert _word_ratio(full_scan, full_docx) >= 0.9
    from extractor.extract.citations import extract_citations

    want = {c.key for c in extract_citations(docx) if c.key}
    got = {c.key for c in extract_citations(scanned) if c.key}
    assert len(want & got) >= 0.9 * len(want), sorted(want - got)
    assert len(got - want) <= 0.05 * max(1, len(want)), sorted(got - want)
    from extractor.extract.figures import extract_figures

    want_r = {(f.numerator, f.denominator) for f in extract_figures(docx) if f.kind == "ratio"}
    got_r = {(f.numerator, f.denominator) for f in extract_figures(scanned) if f.kind == "ratio"}
    assert len(want_r & got_r) >= 0.9 * len(want_r), sorted(want_r - got_r)


@pytest.mark.parametrize(
    ("read_as", "fixed"),
    [
        ("06/QĐÐ-TTg", "06/QĐ-TTg"),  # binh-son p.1: a doubled Đ, the second one an eth
        ("05⁄CT-", "05/CT-"),  # fraction slash
        ("05/CT-TTE,", "05/CT-TTg,"),  # de-cuong p.1
        ("/STP-HCTPngày", "/STP-HCTP ngày"),  # de-cuong p.1, italic line
        ("VNelD;", "VNeID;"),
        ("TCTĐA06,", "TCTĐA06,"),
    ],
)
def test_word_fixes(read_as: str, fixed: str) -> None:
    assert ocr._fix_word(read_as) == fixed


def test_tsv_words() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t2\t2\t1\t0\t237\t334\t1000\t36\t-1\t\n"
        "5\t1\t2\t2\t1\t13\t1187\t334\t69\t30\t81.25\tbản”\n"
        "5\t1\t2\t2\t1\t14\t1260\t334\t40\t30\t96.5\tVNelD\n"
    )
    words = ocr.parse_tsv(tsv)
    assert [w.text for w in words] == ["bản”", "VNeID"]
    assert words[0].key == (2, 2, 1) and words[0].right == 1256
