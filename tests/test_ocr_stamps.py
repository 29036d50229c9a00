"""Seals and signatures laid as small images over a page with drawn text are removed before the page is rendered
for OCR (extractor/formats/pdf/ocr.py, drop_stamps; rules/ocr.yaml ``stamps``): the red seal of
corpus/real/lc-tb1894-sct.pdf page 2 covers "Hoàng" of the signer's name, read "Høxăñg" with the seal."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractor import api
from extractor.formats.pdf import ocr

REAL = Path(__file__).resolve().parent.parent / "corpus" / "real"
needs_tesseract = pytest.mark.skipif(ocr.find_tesseract() is None, reason="tesseract not installed")


def _dropped(name: str) -> list[int]:
    pdf = pdfium.PdfDocument(REAL / name)
    try:
        return [ocr.drop_stamps(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()


def test_seal_and_signature_removed_from_the_signed_page():
    # page 2: the seal (x 326-434 pt) and the signature (x 360-554 pt) images; page 1 has no image
    assert _dropped("lc-tb1894-sct.pdf") == [0, 2]


@pytest.mark.parametrize("name", ["hufi-kh753.pdf", "bct-cv2265-atmt.pdf", "lc-cv193-ubnd.pdf", "bct-cv1178-dck.pdf"])
def test_scans_and_clean_pdfs_are_left_alone(name):
    # a scan's page image is the whole page (and it draws no text): removing it would remove the page
    assert not any(_dropped(name))


def test_thresholds_come_from_the_rules():
    cfg = ocr._rules()["stamps"]
    assert 0.045 < cfg["max_area"] < 0.5 and cfg["min_text_objects"] > 0


@needs_tesseract
def test_signer_under_the_red_seal_is_read():
    doc = api.read(REAL / "lc-tb1894-sct.pdf")
    assert doc.metadata.signer == "Hoàng Văn Thuân"
    assert "Hoàng Văn Thuân" in "\n".join(b.text for b in doc.blocks)
