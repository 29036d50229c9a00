"""The stage order, written once: read (formats) → prepare (normalise → segment → metadata) → extract → audit.

``read``/``read_bytes`` turn a file into a ready :class:`~extractor.model.Document`; ``extract_all`` runs every
extractor and the per-document audits on it, giving the one result record, :class:`~extractor.model.Extraction`,
that the Python API's ``extractor.extract`` returns and the store turns into rows (``extractor.store.rows``)."""

from __future__ import annotations

from pathlib import Path

from .audit import audit_document
from .extract.citations import extract_citations
from .extract.figures import extract_figures
from .extract.footnote_lists import footnote_checks
from .extract.indicators import classify
from .extract.localities import locality_of
from .formats import parse_bytes
from .model import Document, Extraction
from .prepare.metadata import extract_metadata
from .prepare.normalise import normalise_document
from .prepare.segment import segment


def prepare(doc: Document) -> Document:
    """Normalise, segment and read the report metadata of a freshly parsed document."""
    normalise_document(doc)
    segment(doc)
    doc.metadata = extract_metadata(doc)
    return doc


def read_bytes(data: bytes, path: str | None = None) -> Document:
    """Parse bytes of any supported format (recognised by content, not name) into a prepared Document."""
    return prepare(parse_bytes(data, path))


def read(path: str | Path) -> Document:
    """Read one report file into the document model."""
    path = Path(path)
    return read_bytes(path.read_bytes(), str(path))


def extract_all(doc: Document) -> Extraction:
    """Run every extractor and the per-document audits on a prepared document (see ``pipeline.read``)."""
    extraction = Extraction()
    extraction.citations = extract_citations(doc)
    extraction.footnotes = footnote_checks(doc, extraction.citations)
    extraction.figures = extract_figures(doc)
    extraction.findings = audit_document(doc, extraction.figures, extraction.citations,
                                         extraction.footnote_counts())
    # the derived tables' rows, here rather than in the single writer: it stores, the workers compute
    extraction.locality = locality_of(doc)
    extraction.indicators = classify(extraction.figures, doc.text, {fn.marker: fn.text for fn in doc.footnotes})
    return extraction
