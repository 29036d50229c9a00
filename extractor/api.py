"""The Python API: read a report into the document model and extract what an auditor checks, with no database.

``read(path)`` reads any supported file (DOCX, PDF, scans, .doc, text exports; recognised by its bytes) into a
:class:`~extractor.model.Document`; ``read_text(text)`` does the same for text already in memory. ``extract(doc)``
returns an :class:`~extractor.model.Extraction` (also named ``extractor.Extracted``): the documents it cites, the
figures it reports, its footnotes with the count the text claims and the count the footnote lists, the audit
findings, and the report's locality.

>>> import extractor
>>> doc = extractor.read_text('''Số: 12/BC-UBND
... Bình Sơn, ngày 08 tháng 01 năm 2023
... BÁO CÁO
... Kết quả thực hiện Đề án 06 năm 2022
... Thực hiện Quyết định số 06/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ, UBND huyện Bình Sơn báo cáo như sau:
... 1. Đã thu nhận 10.260 hồ sơ cấp CCCD; kích hoạt 156/168 tài khoản, đạt tỷ lệ 97%.
... ''')
>>> doc.metadata.symbol, doc.metadata.issued_date.isoformat(), doc.metadata.period
('BC-UBND', '2023-01-08', 'năm 2022')
>>> result = extractor.extract(doc)
>>> [(c.key, c.issued_date.isoformat()) for c in result.citations]
[('06/QĐ-TTg', '2022-01-18')]
>>> [(f.kind, f.text) for f in result.figures]
[('count', '10.260 hồ sơ'), ('ratio', '156/168 tài khoản, đạt tỷ lệ 97%')]
>>> [finding.kind for finding in result.findings]
['ratio_mismatch', 'citation_contradicts_registry']
>>> print(result.findings[0].message_en[:31])
Stated 97% but 156/168 = 92.9%:
>>> result.locality.locality
'Huyện Bình Sơn, Tỉnh Quảng Ngãi'
"""

from __future__ import annotations

from pathlib import Path

from .model import Document, Extraction, FootnoteCount

# the names this API gave the result record before it was one (extractor.model.Extraction) from extraction to store
Extracted = Extraction
FootnoteCheck = FootnoteCount


def read(path: str | Path) -> Document:
    """Read one report file (any supported format, recognised by its bytes) into the document model.

    Raises an :mod:`extractor.errors` exception (``UnsupportedFormat``, ``CorruptDocument`` …) for a file it cannot
    read, with a message saying what the file is and what to do.
    """
    from .pipeline import read as read_file

    return read_file(path)


def read_text(text: str, name: str | None = None) -> Document:
    """Read a report held in memory as text (plain text, or a markdown / text export with footnotes).

    >>> doc = read_text('''BÁO CÁO
    ... Kết quả năm 2024
    ... 1. Đã ban hành 03 kế hoạch<sup>1</sup> để triển khai.
    ...
    ... ---
    ... <sup>1</sup> Kế hoạch số 50/KH-UBND ngày 08/4/2022; Kế hoạch số 62/KH-UBND ngày 10/5/2022.
    ... ''')
    >>> [(fn.marker, fn.anchor_text) for fn in doc.footnotes]
    [('1', 'Đã ban hành 03 kế hoạch để triển khai.')]
    >>> check = extract(doc).footnotes[0]
    >>> check.claimed_count, check.listed_count, check.mismatch
    (3, 2, True)
    """
    from .pipeline import read_bytes

    return read_bytes(text.encode("utf-8"), name)


def extract(document: Document) -> Extraction:
    """Citations, figures, footnote counts, findings and locality of a document from ``read`` / ``read_text``: the
    record ``docmine ingest`` stores (``extractor.pipeline.extract_all``)."""
    from .pipeline import extract_all

    return extract_all(document)
