"""A PDF whose pages are partly text layer, partly scanned images: only the image pages are OCRed, and their
blocks land in page order among the others."""

from __future__ import annotations

import shutil

import pypdfium2 as pdfium
import pytest

from extractor.pipeline import read_bytes

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


def _mixed(shared_corpus) -> bytes:
    """Pages 1-2 of son-tra from the exported PDF (text layer), page 3 from the scan (image only)."""
    text_pdf = pdfium.PdfDocument(shared_corpus / "pdf" / "son-tra-2024.pdf")
    scan_pdf = pdfium.PdfDocument(shared_corpus / "scan" / "son-tra-2024.pdf")
    out = pdfium.PdfDocument.new()
    out.import_pages(text_pdf, [0, 1])
    out.import_pages(scan_pdf, [2])
    import io

    buf = io.BytesIO()
    out.save(buf)
    for pdf in (out, text_pdf, scan_pdf):
        pdf.close()
    return buf.getvalue()


@needs_tesseract
def test_only_the_image_page_is_ocred(shared_corpus):
    doc = read_bytes(_mixed(shared_corpus), "mixed.pdf")
    assert doc.ocr and doc.pages == 3
    assert [doc.page_info[n]["has_text"] for n in (1, 2)] == [True, True]
    assert "ocr_confidence" in doc.page_info[3] and "ocr_confidence" not in doc.page_info[1]
    pages = [b.page for b in doc.blocks]
    assert pages == sorted(pages) and pages[-1] == 3
    # the text-layer pages read exactly as the exported PDF does
    full = read_bytes((shared_corpus / "pdf" / "son-tra-2024.pdf").read_bytes(), "son-tra-2024.pdf")
    first_two = [b.text for b in full.blocks if b.page in (1, 2)]
    assert [b.text for b in doc.blocks if b.page in (1, 2)] == first_two
    assert doc.metadata.symbol == "BC-TCTĐA06"
    ocr_text = " ".join(b.text for b in doc.blocks if b.page == 3)
    assert len(ocr_text.split()) > 100
