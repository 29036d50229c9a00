"""extract → audit for one prepared Document: citations, figures, footnote counts and findings."""

from __future__ import annotations

from .model import Document
from .store import Extraction


def extract(doc: Document) -> Extraction:
    """Run every extractor and the per-document audits on a prepared document (see ``pipeline.read``)."""
    extraction = Extraction()
    try:
        from .citations import extract_citations
        from .footnote_lists import footnote_counts
    except ImportError:  # citation extraction not installed in this build
        pass
    else:
        extraction.citations = extract_citations(doc)
        extraction.footnote_counts = footnote_counts(doc, extraction.citations)
    return extraction
