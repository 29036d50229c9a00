"""The document model every parser fills and every extractor reads, and the extracted record types.

Data flows one way: a format parser (``extractor.formats``) builds a :class:`Document` whose blocks and footnotes
carry their *original* text (``original``) and the positions of footnote markers inside it; ``normalise`` fills the
normalised ``text`` fields and re-maps marker positions; ``segment`` assigns block kinds and section paths and the
anchor sentence of each footnote; extractors read ``Document.text`` and ``Footnote.text`` and return records whose
``start``/``end`` offsets point into those strings.

Offsets: ``Block.start``/``Block.end`` index ``Document.text``; ``Footnote.position`` is the offset in
``Document.text`` where the marker sits (the marker itself is *not* part of the text: "ban hành 13 văn bản¹" is
stored as "ban hành 13 văn bản" with the footnote position right after "bản").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Block kinds
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
TABLE_CELL = "table_cell"
BLOCK_KINDS = (HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL)


@dataclass
class Marker:
    """A footnote reference inside a block: ``offset`` indexes the block's text (original before normalisation,
    normalised after)."""

    offset: int
    marker: str


@dataclass
class Block:
    """One unit of body text in reading order: a heading, paragraph, list item or table cell."""

    original: str
    kind: str = PARAGRAPH
    text: str = ""  # normalised (filled by normalise)
    page: int | None = None
    section: str | None = None  # heading path such as "II.1.1" (filled by segment)
    start: int = 0  # offsets of ``text`` within Document.text (filled by normalise)
    end: int = 0
    markers: list[Marker] = field(default_factory=list)
    # parser hints used by segment to recognise headings
    bold: bool = False
    centered: bool = False
    # for table cells
    table: int | None = None
    row: int | None = None
    col: int | None = None
    in_header: bool = False  # the report's header table (issuer, number line, place and date)


@dataclass
class Footnote:
    """A footnote (or endnote) body with where its marker sits in the body text."""

    marker: str
    original: str
    text: str = ""  # normalised full body, joined across pages
    position: int | None = None  # offset in Document.text where the marker sits; None if the marker was not found
    anchor_text: str = ""  # the body sentence that carries the marker
    page: int | None = None
    kind: str = "footnote"  # 'footnote' or 'endnote'
    block_index: int | None = None  # index of the block holding the marker


@dataclass
class Table:
    """A table as rows of cell texts (normalised), in document order."""

    index: int
    rows: list[list[str]]
    page: int | None = None
    is_header: bool = False  # the report's borderless header table
    # merged cells as (row, col, rowspan, colspan) on the grid; covered positions hold "" in ``rows``
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class ReportMetadata:
    """The report's own identity, from its header and title (schema.md ``documents`` columns)."""

    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    place: str | None = None
    issued_date: date | None = None
    period: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    title: str | None = None
    signer: str | None = None


@dataclass
class Document:
    """A parsed report. ``text`` is the normalised body (blocks joined by newlines, footnote bodies excluded)."""

    format: str
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int | None = None
    ocr: bool = False
    path: str | None = None
    text: str = ""
    original_text: str = ""
    metadata: ReportMetadata = field(default_factory=ReportMetadata)
    warnings: list[str] = field(default_factory=list)
    # per-page details a parser may record (e.g. OCR confidence): {page_number: {...}}
    page_info: dict[int, dict] = field(default_factory=dict)

    def footnote(self, marker: str) -> Footnote | None:
        # an index of the first footnote of each marker, rebuilt when the list is replaced or changes length (a
        # scan per call made audits of a report with 40,000 footnotes quadratic); a hit is checked, a miss scans
        key = (id(self.footnotes), len(self.footnotes))
        cache = self.__dict__.get("_footnote_index")
        if cache is None or cache[0] != key:
            index: dict[str, Footnote] = {}
            for fn in self.footnotes:
                index.setdefault(fn.marker, fn)
            cache = self.__dict__["_footnote_index"] = (key, index)
        found = cache[1].get(marker)
        if found is not None and found.marker == marker:
            return found
        for fn in self.footnotes:
            if fn.marker == marker:
                return fn
        return None

    def block_at(self, offset: int) -> Block | None:
        """The block whose text span contains ``offset`` (of Document.text)."""
        import bisect

        # the block starts, kept while the blocks list and its last start stay the same (one list per call made a
        # lookup per figure or finding quadratic in the number of blocks)
        key = (id(self.blocks), len(self.blocks), self.blocks[-1].start if self.blocks else None)
        cache = self.__dict__.get("_block_starts")
        if cache is None or cache[0] != key:
            cache = self.__dict__["_block_starts"] = (key, [b.start for b in self.blocks])
        starts = cache[1]
        i = bisect.bisect_right(starts, offset) - 1
        if 0 <= i < len(self.blocks) and self.blocks[i].start <= offset <= self.blocks[i].end:
            return self.blocks[i]
        return None

    def section_at(self, offset: int) -> str | None:
        block = self.block_at(offset)
        return block.section if block else None

    def page_at(self, offset: int) -> int | None:
        block = self.block_at(offset)
        return block.page if block else None


# ---------------------------------------------------------------------------------------------------------------
# Extracted records (schema.md tables). Offsets index Document.text, or Footnote.text when ``in_footnote``.


@dataclass
class Citation:
    doc_type: str
    text: str
    start: int
    end: int
    number: str | None = None
    symbol: str | None = None
    key: str | None = None
    issued_date: date | None = None
    issuer: str | None = None
    subject: str | None = None
    in_footnote: bool = False
    footnote_marker: str | None = None
    section: str | None = None
    page: int | None = None
    is_list_item: bool = False  # an item of a footnote's list (not merely named inside another item's subject)


@dataclass
class Figure:
    kind: str  # 'ratio', 'percent', 'count', 'money'
    value: float | None
    text: str
    start: int
    end: int
    numerator: float | None = None
    denominator: float | None = None
    stated_percent: float | None = None
    unit: str | None = None
    label: str | None = None
    section: str | None = None
    in_footnote: bool = False
    footnote_marker: str | None = None
    page: int | None = None


@dataclass
class Finding:
    kind: str
    severity: str  # 'error' or 'warning'
    message: str
    key: str | None = None
    text: str | None = None
    document_id: str | None = None
    section: str | None = None
