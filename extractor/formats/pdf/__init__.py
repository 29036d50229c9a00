"""PDF with a text layer (reports exported from Word / LibreOffice) → Document(format="pdf").

Built on pypdfium2 page objects (``pdf_layout``): one pdfium text object per styled line fragment gives text, box,
baseline and font size at a fraction of the cost of per-character calls. Layout analysis (``pdf_lines``,
``pdf_tables``, ``pdf_blocks``) removes page numbers, splits footnote bodies off the page bottoms, recognises
superscript footnote marks, rebuilds paragraphs and turns ruled and two-column tables into table cells.

Scanned PDFs (no text layer) go to ``formats.ocr``; in a mixed PDF only the pages without a usable text layer
(``page_has_text``) are OCRed and their blocks put in page order among the others.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import regex

from ...errors import CorruptDocument, EmptyDocument, EncryptedDocument
from ...model import Document
from .blocks import assemble
from .layout import PageLayout, _FontInfo, _Scratch, _TextReader, page_has_text, read_page

__all__ = ["page_has_text", "parse", "read_layouts"]

# pdfium refuses a page tree with no pages; such a file is empty rather than damaged
_NO_PAGES = regex.compile(rb"/Count\s*0\b")
_A_PAGE = regex.compile(rb"/Type\s*/Page(?!s)\b")
_ENCRYPT = regex.compile(rb"/Encrypt\b")


def _name(path: str | None) -> str:
    return f"PDF {path}" if path else "The PDF"


def open_pdf(data: bytes, path: str | None = None) -> pdfium.PdfDocument:
    """Open PDF bytes with pdfium, mapping its failures to docmine errors."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        # pdfium's last-error code is not reset by every failure (an empty page tree fails with the code of the
        # previous failure in the process): encrypted only when the file has an /Encrypt dictionary too
        code = getattr(err, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY) and _ENCRYPT.search(data):
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
    fonts, reader, scratch = _FontInfo(), _TextReader(), _Scratch()
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
                layouts.append(read_page(page, textpage, i + 1, fonts, reader, scratch))
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
        # a scan: every page goes through Tesseract (raises MissingTool, for this file only, when it is absent)
        from .ocr import parse_scanned

        return parse_scanned(data, path)
    doc = assemble(layouts, path)
    no_text = [n for n, info in doc.page_info.items() if not info["has_text"]]
    if no_text:
        _add_ocr_pages(doc, data, path, no_text, len(layouts))
    if b"%%EOF" not in data[-2048:]:
        doc.warnings.append("the file does not end with %%EOF: it may be truncated (pdfium repaired what it could)")
    return doc


def _add_ocr_pages(doc: Document, data: bytes, path: str | None, pages: list[int], total: int) -> None:
    """OCR the pages of a mixed PDF that have no text layer and merge them into ``doc`` in page order."""
    from ...errors import MissingTool
    from .ocr import document_from_pages, ocr_pages

    try:
        ocr_doc = document_from_pages(ocr_pages(data, pages), path, total)
    except (MissingTool, EmptyDocument) as err:
        doc.warnings.append(f"pages {', '.join(map(str, pages))} have no text layer and were not OCRed: {err}")
        return
    taken = {fn.marker for fn in doc.footnotes}
    renamed: dict[str, str] = {}
    for fn in ocr_doc.footnotes:
        if fn.marker in taken:  # the same number on an OCRed page: keep both, told apart by the page
            renamed[fn.marker] = f"{fn.marker}@p{fn.page}"
            fn.marker = renamed[fn.marker]
        doc.footnotes.append(fn)
    for block in ocr_doc.blocks:
        for m in block.markers:
            m.marker = renamed.get(m.marker, m.marker)
    doc.blocks = sorted(doc.blocks + ocr_doc.blocks, key=lambda b: b.page or 0)  # stable: keeps order within a page
    for n, info in ocr_doc.page_info.items():
        doc.page_info.setdefault(n, {}).update(info)
    doc.ocr = True
