"""PDF with a text layer (reports exported from Word / LibreOffice) → Document(format="pdf").

Built on pypdfium2 page objects (``pdf_layout``): one pdfium text object per styled line fragment gives text, box,
baseline and font size at a fraction of the cost of per-character calls. Layout analysis (``pdf_lines``,
``pdf_tables``, ``pdf_blocks``) removes page numbers, splits footnote bodies off the page bottoms, recognises
superscript footnote marks, rebuilds paragraphs and turns ruled and two-column tables into table cells.

Scanned PDFs (no text layer) go to ``formats.ocr``; in a mixed PDF only the pages without a usable text layer
(``page_has_text``) are OCRed and their blocks put in page order among the others.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import regex

from ...errors import CorruptDocument, EmptyDocument, EncryptedDocument
from ...model import Document
from .blocks import assemble
from .layout import PageLayout, _FontInfo, _Scratch, _TextReader, page_has_text, read_page, split_covered_runs
from .signatures import place, read_signatures
from .textlayer import BROKEN, REPAIRED, Verdict, judge_runs

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


def _load_page(pdf: pdfium.PdfDocument, i: int, path: str | None) -> pdfium.PdfPage:
    try:
        return pdf[i]
    except pdfium.PdfiumError as err:
        raise CorruptDocument(
            f"{_name(path)}: page {i + 1} cannot be loaded ({err}); the file is damaged: ask for it again."
        ) from None


def _widget_names(page: pdfium.PdfPage, count: int) -> list[str | None]:
    """The field names (/T) of a page's form widgets (signature fields are merged field-widgets); None for a widget
    whose name is on its parent field."""
    names: list[str | None] = []
    for k in range(count):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, k)
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET:
                continue
            names.append(None)
            n = pdfium_c.FPDFAnnot_GetStringValue(annot, b"T", None, 0)
            if n > 2:
                buf = (ctypes.c_ushort * (n // 2))()
                pdfium_c.FPDFAnnot_GetStringValue(annot, b"T", buf, n)
                names[-1] = bytes(memoryview(buf).cast("B")).decode("utf-16-le", "replace").rstrip("\x00")
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return names


def read_layouts(pdf: pdfium.PdfDocument, path: str | None = None,
                 widgets: dict[str, int] | None = None) -> list[PageLayout]:
    """The runs and rules of every page; pages and text pages are closed as soon as they are read.

    A page with form widgets is read as a person sees it: the appearance streams of its annotations are flattened
    into the page first (the e-office systems draw the number after "Số:" and the day after "ngày" in signature
    widgets, not in the page text), unless the page has no text layer of its own (a scan: OCR reads the rendered
    page, stamps included). ``widgets``, when given, receives each widget's field name → page number."""
    fonts, reader, scratch = _FontInfo(), _TextReader(), _Scratch()
    layouts = []
    for i in range(len(pdf)):
        page = _load_page(pdf, i, path)
        annots = pdfium_c.FPDFPage_GetAnnotCount(page.raw)
        flattened = False
        names = _widget_names(page, annots) if annots > 0 else []
        if names:  # only form widgets (signature stamps) are flattened: links and reviewers' comments stay out
            if widgets is not None:
                for name in names:
                    if name:
                        widgets.setdefault(name, i + 1)
            if page_has_text(page) and pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) == 1:
                page.close()  # pdfium reads a flattened page's new content only once it is loaded again
                page = _load_page(pdf, i, path)
                flattened = True
        try:
            textpage = page.get_textpage()
            try:
                layout = read_page(page, textpage, i + 1, fonts, reader, scratch)
                if flattened:
                    split_covered_runs(layout, textpage)
                layouts.append(layout)
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
        signatures = read_signatures(pdf, data, find_pages=False)  # before read_layouts flattens the widgets
        widgets: dict[str, int] = {}
        layouts = read_layouts(pdf, path, widgets)
        place(signatures, widgets)
    finally:
        pdf.close()
    layers = check_text_layers(layouts)
    if not any(layout.has_text for layout in layouts):
        # a scan: every page goes through Tesseract (raises MissingTool, for this file only, when it is absent)
        from .ocr import parse_scanned

        doc = parse_scanned(data, path)
        doc.signatures = signatures
        _record_text_layers(doc, layers)
        return doc
    doc = assemble(layouts, path)
    doc.signatures = signatures
    no_text = [n for n, info in doc.page_info.items() if not info["has_text"]]
    if no_text:
        _add_ocr_pages(doc, data, path, no_text, len(layouts))
    _record_text_layers(doc, layers)
    if b"%%EOF" not in data[-2048:]:
        doc.warnings.append("the file does not end with %%EOF: it may be truncated (pdfium repaired what it could)")
    return doc


def check_text_layers(layouts: list[PageLayout]) -> dict[int, Verdict]:
    """Judge every page's text layer (``textlayer``): a known font-mapping fault is repaired in the runs; a page
    whose text stays broken loses its runs, so it is read like a page without a text layer (OCR)."""
    verdicts: dict[int, Verdict] = {}
    for layout in layouts:
        if not layout.has_text:
            continue
        verdict = judge_runs([r.text for r in layout.runs])
        verdicts[layout.number] = verdict
        if verdict.status == REPAIRED and verdict.fix:
            for run in layout.runs:
                run.text = verdict.fix(run.text)
        elif verdict.status == BROKEN:
            layout.runs = []
    return verdicts


def _record_text_layers(doc: Document, verdicts: dict[int, Verdict]) -> None:
    """Each page's text-layer status in ``page_info``, and a warning naming the repaired and the broken pages."""
    for n, v in verdicts.items():
        info = doc.page_info.setdefault(n, {})
        info["text_layer"] = v.status
        info["text_score"] = v.score.plausibility
    for info in doc.page_info.values():
        info.setdefault("text_layer", "none")
    repaired = {n: v for n, v in verdicts.items() if v.status == REPAIRED}
    broken = {n: v for n, v in verdicts.items() if v.status == BROKEN}
    if repaired:
        faults = sorted({v.fault or "" for v in repaired.values()})
        pages, names = _pages(repaired), ", ".join(faults)
        doc.warnings.append(
            f"lớp chữ của trang {pages} sai bảng mã phông ({names}), đã sửa theo bảng ánh xạ đã biết / the text layer "
            f"of page(s) {pages} has a known font-mapping fault ({names}), repaired with its character map"
        )
    if broken:
        why = "; ".join(f"trang/page {n}: {v.reason()}" for n, v in sorted(broken.items()))
        ocr = "đọc lại bằng OCR / read again with OCR" if doc.ocr else "bỏ qua / left out"
        doc.warnings.append(
            f"lớp chữ của trang {_pages(broken)} không phải văn bản tiếng Việt (phông chữ ánh xạ sai mã), {ocr}; "
            f"the text layer of page(s) {_pages(broken)} is not Vietnamese text (fonts mapped to wrong code points): "
            f"{why}"
        )


def _pages(verdicts: dict[int, Verdict]) -> str:
    return ", ".join(str(n) for n in sorted(verdicts))


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
