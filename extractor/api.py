"""The Python API: read a report into the document model and extract what an auditor checks, with no database.

``read(path)`` reads any supported file (DOCX, PDF, scans, .doc, text exports; recognised by its bytes) into a
:class:`~extractor.model.Document`; ``read_text(text)`` does the same for text already in memory. ``extract(doc)``
returns an :class:`Extracted`: the documents it cites, the figures it reports, its footnotes with the count the text
claims and the count the footnote lists, the audit findings, and the report's locality.

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

from dataclasses import dataclass, field
from pathlib import Path

from .extract.localities import Locality
from .model import Citation, Document, Figure, Finding


@dataclass
class FootnoteCheck:
    """A footnote with the count its anchor sentence claims and how many documents it lists."""

    marker: str
    text: str
    anchor_text: str
    claimed_count: int | None = None
    claimed_noun: str | None = None
    listed_count: int | None = None

    @property
    def mismatch(self) -> bool:
        """True when the sentence claims a count and the footnote lists a different number of documents."""
        return None not in (self.claimed_count, self.listed_count) and self.claimed_count != self.listed_count


@dataclass
class Extracted:
    """Everything ``extract`` found in one document (offsets index ``Document.text`` or the footnote's text)."""

    citations: list[Citation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    footnotes: list[FootnoteCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    locality: Locality = field(default_factory=Locality)


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


def extract(document: Document) -> Extracted:
    """Citations, figures, footnote counts, findings and locality of a document from ``read`` / ``read_text``."""
    from .pipeline import extract_all

    found = extract_all(document)
    footnotes = []
    for fn in document.footnotes:
        listed, claimed, noun = found.footnote_counts.get(fn.marker, (None, None, None))
        footnotes.append(FootnoteCheck(fn.marker, fn.text, fn.anchor_text, claimed, noun, listed))
    return Extracted(found.citations, found.figures, footnotes, found.findings, found.locality)
