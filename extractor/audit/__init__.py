"""Audits: the checks an analyst makes on a report (domain.md §8), each producing findings a person can act on.

Audits read the extracted records (``Figure``, ``Citation``, footnote counts, tables) and never re-extract them.
Every finding is made by :func:`findings.make`: severity, the figures or citations involved, where (section, page),
and a message in Vietnamese (``message``) with English beside it (``message_en``), from ``rules/audit.yaml``.

- :mod:`.arithmetic`: ratio_mismatch, footnote_count_mismatch, part_whole_mismatch, difference_mismatch,
  list_count_mismatch, malformed_number, percent_over_100, placeholder_figure;
- :mod:`.tables`: table_total_mismatch (rows, columns, sub-totals), table_numbering;
- :mod:`.text_tables`: text_table_mismatch (a body figure against the table cell of its indicator);
- :mod:`.citations`: citation_date_conflict, citation_after_report, citation_contradicts_registry,
  citation_year_mismatch, citation_symbol_variant, malformed_date, citation_chronology, citation_of_itself;
- :mod:`.corpus`: citation_date_conflict across reports of the same place (or nationwide for central documents).
"""

from __future__ import annotations

from ..model import Citation, Document, Figure, Finding
from .arithmetic import (
    FootnoteCounts,
    footnote_findings,
    list_findings,
    part_whole_in_text,
    passage_findings,
    passages,
    ratio_findings,
    text_findings,
)
from .citations import citation_findings, registry
from .corpus import audit_corpus, corpus_date_conflicts, is_central, scope_of
from .display import format_findings
from .messages import fmt_date, fmt_number, fmt_percent
from .tables import document_table_findings, logical_tables, table_findings
from .text_tables import text_table_findings


def audit_document(
    doc: Document,
    figures: list[Figure],
    citations: list[Citation],
    footnote_counts: FootnoteCounts | None = None,
    document_id: str | None = None,
) -> list[Finding]:
    """Every finding for one report."""
    findings: list[Finding] = []
    findings += ratio_findings(figures)
    findings += footnote_findings(footnote_counts or {}, doc)
    ps = passages(doc, figures)
    for p in ps:
        findings += passage_findings(p)
    findings += list_findings([p for p in ps if p.kind != "footnote"])
    findings += document_table_findings(doc)
    findings += text_table_findings(doc, figures)
    findings += citation_findings(doc, citations)
    for f in findings:
        f.document_id = document_id
    return findings


__all__ = [
    "audit_corpus", "audit_document", "citation_findings", "corpus_date_conflicts", "fmt_date", "fmt_number",
    "fmt_percent", "footnote_findings", "format_findings", "is_central", "logical_tables", "part_whole_in_text",
    "ratio_findings", "registry", "scope_of", "table_findings", "text_findings", "text_table_findings",
]
