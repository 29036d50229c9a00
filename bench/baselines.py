"""The bare-library baselines the speed benchmarks divide by, written once (ingest_speed, stage_profile, pdf_speed):
what reading a file costs a program that only takes the text out, with nothing docmine adds."""

from __future__ import annotations

import io
from pathlib import Path


def bare_docx(source: bytes | Path) -> int:
    """python-docx reading a report: paragraphs, table cells, and the footnotes part parsed as XML."""
    import docx
    from lxml import etree

    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    n = sum(len(p.text) for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                n += len(cell.text)
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob)
            n += sum(len(t.text or "") for t in root.iter("{*}t"))
    return n


def bare_pdfium(source: bytes | Path) -> int:
    """pypdfium2 loading each page and its text page and reading the text whole (``get_text_range``); the page
    count."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()
