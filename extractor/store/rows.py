"""The rows stored for one read document, built from its :class:`~extractor.model.FileResult` where it was read.

``pack`` turns a result's document and extraction into rows (``FileResult.rows``: table → column names and one
tuple per row) and drops them, so the workers spend the CPU of building rows and the single writer
(``store.db.write_result``) only inserts them. Pure Python, no database: the workers import it without SQLite.
"""

from __future__ import annotations

import json
from datetime import date
from operator import itemgetter
from typing import Any

from ..extract.tables import table_records
from ..model import Document, Extraction, FileResult, TableRows
from ..prepare.similarity import d_words, minhash_signature

DOCUMENTS = "documents"  # the entry of a result's rows holding the documents columns the document fills
MINHASH = "minhashes"  # the entry holding its MinHash signature: store.schema.MINHASHES (no database code here)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def rows_of(result: FileResult) -> TableRows:
    """The rows ``write_result`` stores for ``result`` (its ``rows`` when it was packed); empty for an error."""
    if result.rows is not None:
        return result.rows
    doc, ex = result.document, result.extraction
    if doc is None:
        return {}
    fields = document_fields(doc)
    rows: TableRows = {DOCUMENTS: (tuple(fields), [tuple(fields.values())])}
    for table, dict_rows in _child_rows(result.id, doc, ex or Extraction()).items():
        if dict_rows:
            names = tuple(dict_rows[0])
            get = itemgetter(*names)  # every row of a child table has every column (_child_rows)
            rows[table] = (names, [get(r) for r in dict_rows])
    if ex is not None:
        rows.update(derived_rows(ex) or {})
    # its MinHash signature (store/reports.py groups files by it), computed where it was read: in the single
    # writer, at the end of the run, it was two thirds of the writer's CPU per file (bench/ingest_speed.py)
    rows[MINHASH] = (("signature",), [(minhash_signature(doc.text or ""),)])
    return rows


def pack(result: FileResult) -> FileResult:
    """``result`` with its rows built (``rows_of``) and its document and extraction dropped: what a worker sends
    the writer."""
    result.rows = rows_of(result)
    result.document = result.extraction = None
    return result


def citation_keys(rows: TableRows) -> set[str]:
    """The citation keys a document's rows cite."""
    if "citations" not in rows:
        return set()
    names, values = rows["citations"]
    i = names.index("key")
    return {r[i] for r in values if r[i]}


def document_fields(doc: Document) -> dict[str, Any]:
    """The ``documents`` columns a read document fills (the file's own, path and status, are added when written)."""
    m = doc.metadata
    return {
        "ocr": int(doc.ocr),
        "pages": doc.pages,
        "doc_type": m.doc_type,
        "number": m.number,
        "symbol": m.symbol,
        "issuer": m.issuer,
        "place": m.place,
        "issued_date": _iso(m.issued_date),
        "period": m.period,
        "period_start": _iso(m.period_start),
        "period_end": _iso(m.period_end),
        "title": m.title,
        "signer": m.signer,
        "text": doc.text,
        "footnote_count": len(doc.footnotes),
        "warnings": json.dumps(doc.warnings, ensure_ascii=False) if doc.warnings else None,
        "issued_date_source": m.issued_date_source,
        "search_words": d_words(m.title, doc.text),
    }


def _child_rows(did: str, doc: Document, ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    """Every child table's rows of one document, as dicts (one comprehension per table of schema.md)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    rows["blocks"] = [
        {"document_id": did, "idx": i, "kind": b.kind, "section": b.section, "page": b.page, "start": b.start,
         "end": b.end, "text": b.text, "table_index": b.table, "row": b.row, "col": b.col}
        for i, b in enumerate(doc.blocks)
    ]
    counts = ex.footnote_counts()
    rows["footnotes"] = []
    for fn in doc.footnotes:
        count = counts.get(fn.marker)
        rows["footnotes"].append(
            {"document_id": did, "marker": fn.marker, "text": fn.text, "anchor_text": fn.anchor_text or None,
             "claimed_count": count.claimed_count if count else None,
             "claimed_noun": count.claimed_noun if count else None,
             "listed_count": count.listed_count if count else None, "position": fn.position,
             "page": fn.page, "kind": fn.kind, "search_words": d_words(fn.text)}
        )
    rows["citations"] = [
        {"document_id": did, "doc_type": c.doc_type, "number": c.number, "symbol": c.symbol, "key": c.key,
         "issued_date": _iso(c.issued_date), "issuer": c.issuer, "subject": c.subject,
         "in_footnote": int(c.in_footnote), "footnote_marker": c.footnote_marker, "text": c.text, "start": c.start,
         "end": c.end, "section": c.section, "page": c.page, "is_list_item": int(c.is_list_item),
         "search_words": d_words(c.text, c.subject)}
        for c in ex.citations
    ]
    rows["figures"] = [
        {"document_id": did, "kind": f.kind, "value": f.value, "numerator": f.numerator,
         "denominator": f.denominator, "stated_percent": f.stated_percent, "unit": f.unit, "label": f.label,
         "text": f.text, "section": f.section, "in_footnote": int(f.in_footnote),
         "footnote_marker": f.footnote_marker, "start": f.start, "end": f.end, "page": f.page}
        for f in ex.figures
    ]
    rows["findings"] = [
        {"document_id": f.document_id or did, "kind": f.kind, "severity": f.severity, "message": f.message,
         "key": f.key, "text": f.text, "section": f.section, **finding_extra(f)}
        for f in ex.findings
    ]
    rows["tables"], rows["table_cells"] = table_records(doc, did)
    rows["pages"] = [
        {"document_id": did, "page": n, "has_text": _flag(info.get("has_text", not info.get("ocr_confidence"))),
         "ocr": int("ocr_confidence" in info), "ocr_confidence": info.get("ocr_confidence"),
         "deskew_angle": info.get("deskew_angle"), "ocr_words": info.get("ocr_words"),
         "text_layer": info.get("text_layer"), "text_score": info.get("text_score")}
        for n, info in sorted(doc.page_info.items())
    ]
    rows["signatures"] = [
        {"document_id": did, "idx": s.index, "field": s.field, "page": s.page, "signer": s.signer,
         "organisation": s.organisation, "unit": s.unit, "email": s.email, "subject": s.subject,
         "cert_issuer": s.cert_issuer, "signed_at": s.signed_at.isoformat() if s.signed_at else None,
         "reason": s.reason, "location": s.location, "sub_filter": s.sub_filter,
         "byte_range": json.dumps(list(s.byte_range)) if s.byte_range else None,
         "covers_whole_file": int(s.covers_whole_file), "error": s.error}
        for s in doc.signatures
    ]
    return rows


def _flag(value: object) -> int | None:
    return None if value is None else int(bool(value))


def derived_rows(extraction: Extraction) -> TableRows | None:
    """A document's ``localities`` and ``indicators`` rows from what ``extract_all`` found where it was read
    (``Extraction.locality`` and ``.indicators``), without the ids the store assigns: ``document_id`` and, for
    indicators, ``figure_id`` (one row per figure, in order; ``store.derive.insert_document_rows``). None when it
    did not compute them."""
    if extraction.locality is None or extraction.indicators is None \
            or len(extraction.indicators) != len(extraction.figures):
        return None
    locality = extraction.locality.as_row()
    return {
        "localities": (tuple(locality), [tuple(locality.values())]),
        "indicators": (INDICATOR_COLUMNS, [
            tuple(indicator_values(f, m).values())
            for f, m in zip(extraction.figures, extraction.indicators, strict=True)
        ]),
    }


INDICATOR_COLUMNS = ("indicator", "matched_by", "kind", "value", "unit", "indicator_id", "indicator_en",
                     "indicator_group", "stance")


def indicator_values(figure: Any, match: Any) -> dict[str, Any]:
    """The ``indicators`` columns of one figure (a Figure or a stored figures row) and its
    ``extract.indicators.IndicatorMatch``, the ids aside."""
    return {"indicator": match.indicator, "matched_by": match.matched_by, "kind": figure.kind, "value": figure.value,
            "unit": figure.unit, "indicator_id": match.indicator_id, "indicator_en": match.indicator_en,
            "indicator_group": match.group, "stance": match.stance}


def finding_extra(f: Any) -> dict[str, Any]:
    """The additive columns of a findings row: English message, page, figures and citations involved (JSON)."""
    return {"message_en": f.message_en or None, "page": f.page,
            "figures": json.dumps(f.figures, ensure_ascii=False) if f.figures else None,
            "citations": json.dumps(f.citations, ensure_ascii=False) if f.citations else None}
