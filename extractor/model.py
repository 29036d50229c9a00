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

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

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
    # where issued_date came from: 'text' (the date line), 'signature' (the signing time, when the date line's day
    # is blank: e-signed PDFs whose day is drawn by a stamp that could not be read); None when there is no date
    issued_date_source: str | None = None


@dataclass
class Signature:
    """One ``/Sig`` field's signature (the ``signatures`` table), read by ``formats.pdf.signatures``."""

    index: int  # order in the file's form (0-based)
    field: str | None = None  # the signature field's name (/T)
    page: int | None = None  # page of its widget, when it has one
    signer: str | None = None  # the certificate subject's common name (CN)
    organisation: str | None = None  # the subject's organisation (O)
    unit: str | None = None  # the subject's organisational unit (OU)
    email: str | None = None
    subject: str | None = None  # the whole subject, RFC 4514
    cert_issuer: str | None = None  # the certificate authority's common name
    signed_at: datetime | None = None  # /M, with its UTC offset
    reason: str | None = None
    location: str | None = None
    name: str | None = None  # /Name, when the dictionary has one
    sub_filter: str | None = None  # adbe.pkcs7.detached, ETSI.CAdES.detached …
    byte_range: tuple[int, ...] = ()
    covers_whole_file: bool = False
    error: str | None = None  # why the PKCS#7 could not be read, when it could not


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
    signatures: list[Signature] = field(default_factory=list)  # a PDF's digital signatures

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
    # additive: the English message beside the Vietnamese ``message``, the page, and what is involved (the texts of
    # the figures and the citations the finding is about)
    message_en: str = ""
    page: int | None = None
    figures: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)


@dataclass
class FootnoteCount:
    """A footnote with the count its anchor sentence claims ("30 công văn⁴" → 30 "công văn") and how many documents
    its body lists as items (``extractor.extract.footnote_lists``); ``text`` and ``anchor_text`` are the footnote's
    body and the sentence carrying its marker, for a reader of the result (not compared)."""

    marker: str
    listed_count: int | None = None
    claimed_count: int | None = None
    claimed_noun: str | None = None
    text: str = field(default="", compare=False)
    anchor_text: str = field(default="", compare=False)

    @property
    def mismatch(self) -> bool:
        """True when the sentence claims a count and the footnote lists a different number of documents."""
        return None not in (self.claimed_count, self.listed_count) and self.claimed_count != self.listed_count


@dataclass
class Locality:
    """Where a report is from (``extractor.extract.localities``). Names are the gazetteer's pre-2025 names with their
    level word ("Huyện Bình Sơn")."""

    commune: str | None = None
    district: str | None = None
    province: str | None = None
    level: str | None = None  # the most specific level known: 'commune', 'district' or 'province'
    locality: str | None = None  # display name: the most specific unit and its province
    province_2025: str | None = None
    commune_2025: str | None = None
    merger: str | None = None  # underthesea's mapping type for the commune: unchanged, renamed, merged, divided
    source: str | None = None  # which field named it: issuer, place, title or text
    evidence: str | None = None  # the words that named it

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------------------------------------------
# The result of reading one document: one record from extraction (``extractor.pipeline.extract_all``) through the
# Python API (``extractor.extract`` returns it) to the store (``extractor.store.rows`` turns it into rows).


@dataclass
class Extraction:
    """Everything extracted from one document: the documents it cites, the figures it reports, its footnotes with
    the count the text claims and the count the footnote lists (one per footnote, in document order), the audit
    findings, its locality, and ``indicators``: what each of ``figures`` measures (None when not
    computed). Offsets index ``Document.text``, or the footnote's text when ``in_footnote``."""

    citations: list[Citation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    footnotes: list[FootnoteCount] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    locality: Locality | None = None
    indicators: list[Any] | None = None  # extract.indicators.IndicatorMatch, one per figure

    def footnote_counts(self) -> dict[str, FootnoteCount]:
        """marker → its count check (what ``extractor.audit.audit_document`` reads)."""
        return {c.marker: c for c in self.footnotes}


# table → (column names, one tuple per row): what the store writes of one document (``extractor.store.rows``)
TableRows = dict[str, tuple[tuple[str, ...], list[tuple]]]


@dataclass
class FileResult:
    """The outcome of reading one file: either a document and its extraction, or an error.

    A result that crossed from a worker to the writer is packed (``extractor.store.rows.pack``): ``rows`` holds the
    rows stored for it (``documents``: the columns the document fills; its child tables; and, when its worker
    computed them, its ``localities`` and ``indicators`` rows without the ids the store assigns), and ``document``
    and ``extraction`` are None. Plain tuples cost the single writer a third of the unpickling the document model
    did (bench/ingest_speed.py)."""

    id: str
    path: str
    file_name: str
    size: int
    format: str
    status: str = "ok"
    error: str | None = None
    document: Document | None = None
    extraction: Extraction | None = None
    seconds: float = 0.0
    rows: TableRows | None = None

    def count(self, table: str) -> int:
        """How many rows of ``footnotes``, ``citations``, ``figures`` or ``findings`` this result stores (any table
        once it is packed)."""
        if self.rows is not None:
            return len(self.rows[table][1]) if table in self.rows else 0
        if self.document is None:
            return 0
        if table == "footnotes":
            return len(self.document.footnotes)
        records = getattr(self.extraction, table, None) if table in ("citations", "figures", "findings") else None
        if records is None and table not in ("citations", "figures", "findings"):
            raise ValueError(f"{table}: count it once the result is packed (extractor.store.rows.pack)")
        return len(records or [])
