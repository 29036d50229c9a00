"""PDF with a text layer (reports exported from Word / LibreOffice) → Document(format="pdf").

Built on pypdfium2 page objects (``pdf_layout``): one pdfium text object per styled line fragment gives text, box,
baseline and font size at a fraction of the cost of per-character calls. Layout analysis (``pdf_lines``,
``pdf_tables``, ``pdf_blocks``) removes page numbers, splits footnote bodies off the page bottoms, recognises
superscript footnote marks, rebuilds paragraphs and turns ruled and two-column tables into table cells.

Scanned PDFs (no text layer) raise EmptyDocument: they need OCR. ``page_has_text`` tells which pages need it.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import regex

from ..errors import CorruptDocument, EmptyDocument, EncryptedDocument
from ..model import Document
from .pdf_blocks import assemble
from .pdf_layout import PageLayout, _FontInfo, _TextReader, page_has_text, read_page

__all__ = ["page_has_text", "parse", "read_layouts"]

# pdfium refuses a page tree with no pages; such a file is empty rather than damaged
_NO_PAGES = regex.compile(rb"/Count\s*0\b")
_A_PAGE = regex.compile(rb"/Type\s*/Page(?!s)\b")


def _name(path: str | None) -> str:
    return f"PDF {path}" if path else "The PDF"


def open_pdf(data: bytes, path: str | None = None) -> pdfium.PdfDocument:
    """Open PDF bytes with pdfium, mapping its failures to docmine errors."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedDocument(
                f"{_name(path)} is password-protected or encrypted: ask the sender for an unprotected copy "
                "(or open it with the password and print it to a new PDF)."
            ) from None
        if _NO_PAGES.search(data) and not _A_PAGE.search(data):
            raise EmptyDocument(f"{_name(path)} has no pages: re-export or re-send the report.") from None
        raise CorruptDocument(
            f"{_name(path)} is damaged or truncated and cannot be read (pdfium: {err}): ask the sender for the "
            "file again, or re-export it from the original document."
        ) from None


def read_layouts(pdf: pdfium.PdfDocument, path: str | None = None) -> list[PageLayout]:
    """The runs and rules of every page; pages and text pages are closed as soon as they are read."""
    fonts, reader = _FontInfo(), _TextReader()
    layouts = []
    for i in range(len(pdf)):
        try:
            page = pdf[i]
        except pdfium.PdfiumError as err:
            raise CorruptDocument(
                f"{_name(path)}: page {i + 1} cannot be loaded ({err}); the file is damaged: ask for it again."
            ) from None
        try:
            textpage = page.get_textpage()
            try:
                layouts.append(read_page(page, textpage, i + 1, fonts, reader))
            finally:
                textpage.close()
        finally:
            page.close()
    return layouts


def parse(data: bytes, path: str | None = None) -> Document:
    pdf = open_pdf(data, path)
    try:
        if len(pdf) == 0:
            raise EmptyDocument(f"{_name(path)} has no pages: re-export or re-send the report.")
        layouts = read_layouts(pdf, path)
    finally:
        pdf.close()
    if not any(layout.has_text for layout in layouts):
        raise EmptyDocument(
            f"{_name(path)} appears to be a scan without a text layer ({len(layouts)} page(s) of images): it needs "
            "OCR (Tesseract with the Vietnamese data, package tesseract-ocr-vie) before docmine can read it."
        )
    doc = assemble(layouts, path)
    no_text = [n for n, info in doc.page_info.items() if not info["has_text"]]
    if no_text:
        doc.warnings.append(f"pages without a text layer (need OCR): {', '.join(map(str, no_text))}")
    if b"%%EOF" not in data[-2048:]:
        doc.warnings.append("the file does not end with %%EOF: it may be truncated (pdfium repaired what it could)")
    return doc
