"""extract → audit for one prepared Document: citations, figures, footnote counts, findings and the rows of the
derived ``localities`` and ``indicators`` tables, as the store writes them (the Python API's ``extractor.extract``
wraps this for use without a database)."""

from __future__ import annotations

from .audit import audit_document
from .citations import extract_citations
from .figures import extract_figures
from .footnote_lists import footnote_counts
from .indicators import classify
from .localities import locality_of
from .model import Document
from .store import Extraction


def extract_all(doc: Document) -> Extraction:
    """Run every extractor and the per-document audits on a prepared document (see ``pipeline.read``)."""
    extraction = Extraction()
    extraction.citations = extract_citations(doc)
    extraction.footnote_counts = footnote_counts(doc, extraction.citations)
    extraction.figures = extract_figures(doc)
    extraction.findings = audit_document(doc, extraction.figures, extraction.citations, extraction.footnote_counts)
    # the derived tables' rows, here rather than in the single writer: it stores, the workers compute
    extraction.locality = locality_of(doc)
    extraction.indicators = classify(extraction.figures, doc.text, {fn.marker: fn.text for fn in doc.footnotes})
    return extraction
