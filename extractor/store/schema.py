"""The database users query (design/schema.md): tables, columns, types and descriptions in one place.

``store`` creates the tables from this, ``serve`` turns it into Datasette metadata, and a test checks that the README
documents every table and column listed here. Columns of schema.md are a public interface: add, never rename or drop.
"""

from __future__ import annotations

import sqlite3
from typing import Any

# table -> (description, {column: (type, description)})
TABLES: dict[str, tuple[str, dict[str, tuple[type, str]]]] = {
    "documents": (
        "One row per input file: its format, whether it could be read, the report's own metadata and its text.",
        {
            "id": (str, "sha256 of the file bytes (re-ingesting the same bytes replaces this row)"),
            "path": (str, "where the file was read from"),
            "file_name": (str, "the file's name"),
            "format": (str, "what the bytes are (docx, pdf, doc, txt, md …), whatever the extension says"),
            "status": (str, "'ok' or 'error'"),
            "error": (str, "why the file could not be read, and what to do"),
            "ocr": (int, "1 when the text came from OCR"),
            "pages": (int, "page count when known"),
            "doc_type": (str, "the report's own type (Báo cáo …), from its title"),
            "number": (str, "the report's own number (\"Số: 154/BC-CAT-QLHC\" → 154); NULL when blank"),
            "symbol": (str, "the report's own symbol (\"BC-CAT-QLHC\")"),
            "issuer": (str, "the body that issued the report"),
            "place": (str, "the place in the date line (\"Tuyên Quang, ngày …\")"),
            "issued_date": (str, "the report's date, ISO YYYY-MM-DD; NULL when blank in the original"),
            "period": (str, "the period reported on, as written (\"06 tháng đầu năm 2023\")"),
            "period_start": (str, "first day of the period, ISO"),
            "period_end": (str, "last day of the period, ISO"),
            "title": (str, "the subject lines after \"BÁO CÁO\""),
            "signer": (str, "who signed (rank and name)"),
            "text": (str, "the normalised body text (NFC, one tone-mark convention, whitespace folded; footnote "
                     "bodies not included)"),
            "size": (int, "file size in bytes"),
            "footnote_count": (int, "how many footnotes and endnotes the document has"),
            "warnings": (str, "JSON list of non-fatal problems met while reading"),
            "extractor_version": (str, "the docmine version that produced this row"),
            "ingested_at": (str, "when this row was written (UTC, ISO)"),
            "issued_date_source": (str, "where issued_date came from: 'text' (the date line) or 'signature' (the "
                                   "signing time of the PDF's last digital signature, when the date line's day is "
                                   "blank or unreadable; a warning says so)"),
            "report_id": (str, "→ reports.id: the report this file is one copy of (DOCX, PDF, scan … of one document)"),
            "duplicate_of": (str, "→ documents.id: the report's best source when this file adds nothing new to it; "
                             "NULL for the best source itself (aggregates read only rows where it is NULL)"),
            "name": (str, "a readable label: the report's name (\"Báo cáo số 154/BC-CAT-QLHC ngày 08/01/2023 của Công "
                     "an tỉnh Tuyên Quang\"), with the file name when the report has several files"),
            "search_words": (str, "the words holding đ/Đ, written with d (\"định\" → \"dinh\"): indexed with the "
                             "text so full-text search finds \"dinh danh\" as \"định danh\" (it ignores the other "
                             "marks)"),
        },
    ),
    "footnotes": (
        "One row per footnote or endnote, with its full body (joined across pages) and the sentence carrying it.",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id"),
            "marker": (str, "the footnote's mark as printed (\"1\", \"2\" …; endnotes \"i\", \"ii\" …)"),
            "text": (str, "the full footnote body, normalised"),
            "anchor_text": (str, "the body sentence that carries the marker"),
            "claimed_count": (int, "the count the anchor sentence claims (\"30 công văn⁴\" → 30), else NULL"),
            "claimed_noun": (str, "what the claimed count counts (\"công văn\")"),
            "listed_count": (int, "how many documents the footnote lists as items"),
            "position": (int, "character offset of the marker in documents.text"),
            "page": (int, "page of the marker when known"),
            "kind": (str, "'footnote' or 'endnote'"),
            "search_words": (str, "the words holding đ/Đ, written with d (\"định\" → \"dinh\"): indexed with the "
                             "text so full-text search finds \"dinh danh\" as \"định danh\" (it ignores the other "
                             "marks)"),
        },
    ),
    "citations": (
        "One row per mention of a document (Công văn, Kế hoạch, Quyết định …) in a report's body or footnotes.",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id"),
            "doc_type": (str, "canonical type: Công văn, Kế hoạch, Quyết định, Nghị định, Nghị quyết, Chỉ thị, "
                         "Thông báo, Thông tư, Công điện, Tờ trình, Báo cáo, Hướng dẫn, Quy trình, Quy chế, "
                         "Chương trình, Luật, Văn bản"),
            "number": (str, "the number as printed, leading zeros kept; NULL if none"),
            "symbol": (str, "everything after the first \"/\", spaces removed, dashes unified; NULL if none"),
            "key": (str, "canonical identity grouping mentions of one document: \"45/2020/NĐ-CP\", "
                    "\"2815/TCTĐA06\", \"29-CT/TU\"; a number cited without its symbol (\"Kế hoạch 02\") takes "
                    "the key of the one document of that type and number the report cites in full, else "
                    "\"Nghị quyết|50|2022-04-08\"; a law by name its number in rules/laws.yaml, else "
                    "\"Luật|<name>|<year>\""),
            "issued_date": (str, "the date given at this mention, ISO"),
            "issuer": (str, "the body named at this mention (\"của …\"), else the one implied by the symbol"),
            "subject": (str, "the \"về việc …\" text when present"),
            "in_footnote": (int, "1 when the mention is inside a footnote body"),
            "footnote_marker": (str, "the footnote's marker when in_footnote"),
            "text": (str, "the mention exactly as it reads in the document"),
            "start": (int, "offset of text within documents.text, or within footnotes.text when in_footnote"),
            "end": (int, "end offset (exclusive) of text"),
            "section": (str, "the heading path the mention sits under, e.g. \"II.1\""),
            "page": (int, "page number when known"),
            "is_list_item": (int, "1 when the mention is an item of a footnote's list (not merely named in an "
                             "item's subject)"),
            "search_words": (str, "the words holding đ/Đ, written with d (\"định\" → \"dinh\"): indexed with the "
                             "text so full-text search finds \"dinh danh\" as \"định danh\" (it ignores the other "
                             "marks)"),
        },
    ),
    "figures": (
        "One row per number that reports something: ratios, percentages, counts and money, with what they count.",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id"),
            "kind": (str, "'ratio', 'percent', 'count' or 'money'"),
            "value": (float, "the number (for a ratio: numerator ÷ denominator × 100; money in đồng)"),
            "numerator": (float, "for ratios"),
            "denominator": (float, "for ratios"),
            "stated_percent": (float, "the percentage written next to it, if any"),
            "unit": (str, "\"hồ sơ\", \"trường hợp\", \"%\", \"đồng\" …"),
            "label": (str, "what is counted, as the text says it"),
            "text": (str, "the figure as it reads in the document"),
            "section": (str, "the heading path it sits under"),
            "in_footnote": (int, "1 when inside a footnote body"),
            "footnote_marker": (str, "the footnote's marker when in_footnote"),
            "start": (int, "offset of text within documents.text (or footnotes.text when in_footnote)"),
            "end": (int, "end offset (exclusive)"),
            "page": (int, "page number when known"),
        },
    ),
    "findings": (
        "One row per problem an auditor should look at, with a message a person can act on.",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id; NULL for a finding about the whole corpus"),
            "kind": (str, "ratio_mismatch, footnote_count_mismatch, part_whole_mismatch, difference_mismatch, "
                     "list_count_mismatch, table_total_mismatch, table_numbering, malformed_number, percent_over_100, "
                     "placeholder_figure, citation_date_conflict, citation_after_report, "
                     "citation_contradicts_registry, citation_year_mismatch, citation_symbol_variant, malformed_date, "
                     "citation_chronology, citation_of_itself (README: Findings)"),
            "severity": (str, "'error' or 'warning'"),
            "message": (str, "one sentence a person can act on, in Vietnamese"),
            "key": (str, "the citation key involved, if any"),
            "text": (str, "the text involved"),
            "section": (str, "the heading path of the text involved"),
            "message_en": (str, "the same message in English"),
            "page": (int, "page number of the text involved, when known"),
            "figures": (str, "JSON list of the figures involved, as they read in the document"),
            "citations": (str, "JSON list of the citations involved, as they read in the document"),
        },
    ),
    "cited_documents": (
        "One row per distinct citation key across the whole database, kept right as reports are ingested.",
        {
            "key": (str, "the citation key (see citations.key)"),
            "doc_type": (str, "the most frequent type given for it"),
            "number": (str, "its number"),
            "symbol": (str, "its symbol"),
            "issued_date": (str, "the most cited date, ISO"),
            "dates": (str, "JSON list of every distinct date seen"),
            "issuer": (str, "the most frequent issuer given"),
            "mentions": (int, "how many mentions across all reports"),
            "documents": (int, "how many reports cite it"),
            "search_words": (str, "the key, type and issuer folded to plain letters (\"06/QĐ-TTg\" → \"06 qd ttg\"): "
                             "search by a key typed loosely (\"QĐ 06\", \"qd 06/qđ-ttg\")"),
        },
    ),
    "blocks": (
        "The ordered blocks of each readable document: headings, paragraphs, list items and table cells.",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id"),
            "idx": (int, "position in reading order"),
            "kind": (str, "'heading', 'paragraph', 'list_item' or 'table_cell'"),
            "section": (str, "heading path, e.g. \"II.1.1\""),
            "page": (int, "page when known"),
            "start": (int, "offset of the block in documents.text"),
            "end": (int, "end offset"),
            "text": (str, "the normalised text of the block"),
            "table_index": (int, "for table cells: which table of the document"),
            "row": (int, "for table cells: row"),
            "col": (int, "for table cells: column"),
        },
    ),
    "files": (
        "One row per file path ingest has read: lets a re-run skip files whose size and modification time are "
        "unchanged without reading them again.",
        {
            "path": (str, "the file's absolute path"),
            "size": (int, "its size in bytes when last read"),
            "mtime_ns": (int, "its modification time when last read (nanoseconds since 1970-01-01 UTC)"),
            "document_id": (str, "→ documents.id: the content read from this path"),
            "seen_at": (str, "when ingest last read or hashed this path (UTC, ISO)"),
        },
    ),
    "localities": (
        "One row per readable report: the commune / district / province it reports on (pre-2025 names from the "
        "gazetteer) and where that unit is after the 2025 administrative merger. Rebuilt by docmine serve and "
        "docmine export (extractor/extract/localities.py).",
        {
            "document_id": (str, "→ documents.id"),
            "commune": (str, "the commune (xã, phường, thị trấn) the report is from, e.g. \"Xã Sơn Trà\"; NULL when "
                        "the report is from a district or province"),
            "district": (str, "its district (huyện, quận, thị xã, thành phố), e.g. \"Huyện Bình Sơn\""),
            "province": (str, "its province before the 2025 merger, e.g. \"Tỉnh Hậu Giang\""),
            "level": (str, "the most specific level known: 'commune', 'district' or 'province'"),
            "locality": (str, "display name: the most specific unit and its province; a unit the gazetteer does "
                         "not know is kept as the report names it (\"Huyện Thạch Lâm\")"),
            "province_2025": (str, "the province after the 2025 merger (\"Tỉnh Hậu Giang\" → \"Thành phố Cần Thơ\")"),
            "commune_2025": (str, "the commune after the 2025 merger (underthesea's address converter), for a "
                             "commune-level report"),
            "merger": (str, "what the 2025 merger did to the commune: unchanged, renamed, merged or divided"),
            "source": (str, "which field named the place: issuer, place, title or text"),
            "evidence": (str, "the words that named it (\"huyện Bình Sơn\")"),
        },
    ),
    "indicators": (
        "Một dòng cho mỗi số liệu: chỉ tiêu mà số liệu đo (\"hồ sơ cấp Căn cước thu nhận\") theo danh mục chỉ tiêu "
        "Đề án 06 trong rules/indicators.yaml, và số liệu là kết quả, chỉ tiêu phấn đấu hay kế hoạch. / One row per "
        "figure: the indicator it measures, from the Đề án 06 taxonomy of rules/indicators.yaml (or a phrase of its "
        "own words), and whether it is a result, a target or a plan (extractor/extract/indicators.py).",
        {
            "figure_id": (int, "→ figures.id"),
            "document_id": (str, "→ documents.id"),
            "indicator": (str, "tên chỉ tiêu / the indicator's name in the reports' words: the taxonomy's name, or for "
                          "a figure no indicator matches a whole phrase of its own words (\"hội nghị tập huấn\")"),
            "matched_by": (str, "'rule' when an indicator of rules/indicators.yaml matched the figure's sentence, "
                           "'heading' when it matched the heading above it, 'phrase' when the figure's own words "
                           "name it"),
            "kind": (str, "the figure's kind: 'ratio', 'percent', 'count' or 'money'"),
            "value": (float, "the figure's value (copied from figures.value)"),
            "unit": (str, "the figure's unit (copied from figures.unit)"),
            "indicator_id": (str, "mã chỉ tiêu / the taxonomy's stable id (\"cccd.applications\", "
                             "\"eid.activated\"); NULL for a phrase"),
            "indicator_en": (str, "the indicator's name in English; NULL for a phrase"),
            "indicator_group": (str, "lĩnh vực / the Đề án 06 area (\"Căn cước\", \"Định danh điện tử\", "
                                "\"Dịch vụ công, thủ tục hành chính\" …)"),
            "stance": (str, "'result' (kết quả đã đạt), 'target' (chỉ tiêu, phấn đấu) or 'plan' (kế hoạch, dự "
                       "kiến): pivots of results read only 'result'"),
        },
    ),
    "tables": (
        "One row per table of a document (DOCX and PDF ruled tables, text-export tab tables), with its column headers.",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id"),
            "table_index": (int, "which table of the document, in reading order (0-based)"),
            "page": (int, "page where the table starts, when known"),
            "n_rows": (int, "rows, header rows included"),
            "n_cols": (int, "columns on the table grid"),
            "header_rows": (int, "how many rows at the top are headers (multi-row headers from merged cells)"),
            "is_header": (int, "1 for the report's borderless header table (number line, place and date)"),
            "columns": (str, "the header path of each column, one per line (\"Tiếp nhận trực tuyến › Qua Cổng DVC\")"),
        },
    ),
    "table_cells": (
        "One row per non-empty table cell, with its header path and the number it holds parsed in the column's own "
        "convention (Vietnamese \"12.345,6\" or English \"12,345.6\").",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id"),
            "table_index": (int, "→ tables.table_index of the same document"),
            "row": (int, "row on the grid (0-based)"),
            "col": (int, "column on the grid (0-based)"),
            "rowspan": (int, "rows the cell spans"),
            "colspan": (int, "columns the cell spans"),
            "is_header": (int, "1 when the cell is in a header row"),
            "header": (str, "the column's header path, joined by \" › \""),
            "text": (str, "the cell text, normalised"),
            "number": (float, "the number the cell holds, when it is one"),
            "convention": (str, "'vi' (dot thousands, comma decimal) or 'en', decided per column from its values"),
        },
    ),
    "pages": (
        "One row per page of a PDF: whether it had a usable text layer, and for OCRed pages the mean Tesseract "
        "confidence and the deskew angle applied.",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id"),
            "page": (int, "page number (1-based)"),
            "has_text": (int, "1 when the page had a usable text layer"),
            "ocr": (int, "1 when the page's text came from OCR"),
            "ocr_confidence": (float, "mean word confidence (0-100) Tesseract gave the page"),
            "deskew_angle": (float, "degrees the page image was rotated before OCR"),
            "ocr_words": (int, "words OCR read on the page"),
            "text_layer": (str, "the page's text layer: 'ok', 'repaired' (a known font-mapping fault fixed, e.g. "
                           "\"ƣ\" for \"ư\"), 'broken' (not Vietnamese text: the page was OCRed instead, or left "
                           "out when OCR is not available) or 'none' (a scan)"),
            "text_score": (float, "the text layer's Vietnamese plausibility (0-1, rules/text_layer.yaml), before "
                           "repair"),
        },
    ),
    "signatures": (
        "One row per digital signature of a PDF (/Sig fields): the certificate's subject, the signing time, and "
        "whether the signed bytes cover the whole file. Read offline: the certificate chain is not validated.",
        {
            "id": (int, "row id"),
            "document_id": (str, "→ documents.id"),
            "idx": (int, "order of the signature in the document's form (0-based)"),
            "field": (str, "the signature field's name (\"Signature1\")"),
            "page": (int, "page of the field's widget (the stamp), when it has one"),
            "signer": (str, "the certificate subject's common name (CN): a person or an office's seal"),
            "organisation": (str, "the subject's organisation (O)"),
            "unit": (str, "the subject's organisational unit (OU), e.g. the department inside the organisation"),
            "email": (str, "the subject's e-mail address"),
            "subject": (str, "the whole certificate subject (RFC 4514)"),
            "cert_issuer": (str, "the certificate authority that issued the certificate (its CN)"),
            "signed_at": (str, "the signing time /M, ISO with its UTC offset"),
            "reason": (str, "/Reason as written (\"… đã ký lên văn bản này!\")"),
            "location": (str, "/Location as written"),
            "sub_filter": (str, "the signature format (adbe.pkcs7.detached, ETSI.CAdES.detached …)"),
            "byte_range": (str, "the signed /ByteRange, JSON [start, length, start, length]"),
            "covers_whole_file": (int, "1 when the signed bytes run to the end of the file (the file was not changed "
                                  "after this signature); earlier signatures of a multiply signed file give 0"),
            "error": (str, "why the signature's PKCS#7 data could not be read, when it could not"),
        },
    ),
}

TABLES["reports"] = (
    "One row per report (văn bản): the files of one document (Word draft, signed PDF, scan, .doc, text export, "
    "corrected versions) grouped by their metadata or, without it, by near-duplicate text "
    "(extractor/store/reports.py). Aggregates count each report once, through its best source.",
    {
        "id": (str, "the best source's documents.id"),
        "name": (str, "a readable Vietnamese label: \"Báo cáo số 154/BC-CAT-QLHC ngày 08/01/2023 của Công an tỉnh "
                 "Tuyên Quang\"; the title or file name when the document has no number line"),
        "doc_type": (str, "the report's type (Báo cáo, Công văn …), from its best source that gives one"),
        "number": (str, "its number"),
        "symbol": (str, "its symbol"),
        "issuer": (str, "the body that issued it"),
        "place": (str, "the place in its date line"),
        "issued_date": (str, "its date, ISO YYYY-MM-DD"),
        "title": (str, "its subject lines"),
        "best_document_id": (str, "→ documents.id: the best source: a text layer over OCR, signed (number and date "
                             "filled) over a draft, the PDF over the Word file, a later correction over an earlier"),
        "files": (int, "how many files (documents rows) hold this report"),
        "grouped_by": (str, "'metadata' when its files share type, number, symbol and date; 'text' when one joined "
                       "by near-duplicate text (MinHash over word shingles) or it has no full number line"),
    },
)

PRIMARY_KEYS = {"documents": "id", "cited_documents": "key", "files": "path"}
FOREIGN_KEYS = {t: [("document_id", "documents", "id")] for t in ("footnotes", "citations", "figures", "findings",
                                                                  "blocks", "tables", "table_cells", "pages",
                                                                  "signatures")}
FTS = {"documents": ["title", "text", "search_words"], "footnotes": ["text", "search_words"],
       "citations": ["text", "subject", "search_words"]}
# full-text indexes kept by triggers (a small table rewritten by key): search cited documents by a loose key
CORPUS_FTS = {"cited_documents": ["key", "doc_type", "issuer", "search_words"]}
# columns added with a REFERENCES clause (ALTER TABLE … ADD COLUMN, for new and older databases alike)
REFERENCES = {("documents", "report_id"): ("reports", "id"), ("documents", "duplicate_of"): ("documents", "id")}
INDEXES = {
    "files": [["document_id"]],
    "footnotes": [["document_id"]],
    "citations": [["document_id"], ["key"]],
    "figures": [["document_id"], ["kind"]],
    "findings": [["document_id"], ["kind"]],
    "blocks": [["document_id"]],
    "tables": [["document_id"]],
    "table_cells": [["document_id", "table_index"]],
    "pages": [["document_id"]],
    "signatures": [["document_id"]],
}


def columns(table: str) -> dict[str, type]:
    return {name: typ for name, (typ, _) in TABLES[table][1].items()}


def datasette_tables() -> dict[str, Any]:
    """Per-table Datasette metadata: description and column descriptions."""
    out: dict[str, Any] = {}
    for table, (description, cols) in TABLES.items():
        out[table] = {"description": description, "columns": {c: d for c, (_, d) in cols.items()}}
    return out


# ---------------------------------------------------------------------------------------------------------------
# The derived tables' DDL (rebuilt by ``store.derive``; created with the rest of the schema by ``store.db.open_db``)

DERIVED = ("localities", "indicators")
# derived table → its foreign keys (column, table, column); rows go when their document or figure goes
DERIVED_KEYS = {
    "localities": [("document_id", "documents", "id")],
    "indicators": [("figure_id", "figures", "id"), ("document_id", "documents", "id")],
}


def create_derived(conn: sqlite3.Connection, table: str) -> None:
    """(Re)create one derived table, empty, with its cascading foreign keys and their indexes."""
    types = {str: "TEXT", int: "INTEGER", float: "REAL"}
    cols = [f"[{c}] {types[t]}" for c, t in columns(table).items()]
    fks = [f"FOREIGN KEY([{c}]) REFERENCES [{t}]([{tc}]) ON DELETE CASCADE" for c, t, tc in DERIVED_KEYS[table]]
    conn.execute(f"DROP TABLE IF EXISTS [{table}]")
    conn.execute(f"CREATE TABLE [{table}] ({', '.join(cols + fks)})")
    for c, _, _ in DERIVED_KEYS[table]:
        conn.execute(f"CREATE INDEX [idx_{table}_{c}] ON [{table}]([{c}])")


def create_missing(conn: sqlite3.Connection) -> None:
    """Create the derived tables a database lacks, empty (``store.db.open_db`` does, with the rest of the schema)."""
    for table in DERIVED:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
            create_derived(conn, table)


def derived_current(conn: sqlite3.Connection, table: str) -> bool:
    """Whether the derived ``table`` exists with the columns this docmine writes."""
    have = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
    return have == list(columns(table))


def current(conn: sqlite3.Connection) -> bool:
    """Whether every derived table has the columns this docmine writes (when one has other columns, only a full
    ``store.derive.refresh_derived`` brings it up to date)."""
    return all(derived_current(conn, table) for table in DERIVED)


MINHASHES = "minhashes"  # store/reports.py's cache: one MinHash signature per readable document


def create_report_tables(conn: sqlite3.Connection) -> None:
    """``reports`` (if missing; its columns from store/schema.py) and the internal ``minhashes`` cache."""
    types = {str: "TEXT", int: "INTEGER", float: "REAL"}
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reports'").fetchone():
        cols = [f"[{c}] {types[t]}{' PRIMARY KEY' if c == 'id' else ''}" for c, t in columns("reports").items()]
        cols.append("FOREIGN KEY([best_document_id]) REFERENCES [documents]([id]) ON DELETE SET NULL")
        conn.execute(f"CREATE TABLE [reports] ({', '.join(cols)})")
    conn.execute(f"CREATE TABLE IF NOT EXISTS [{MINHASHES}] ([document_id] TEXT PRIMARY KEY REFERENCES "
                 "[documents]([id]) ON DELETE CASCADE, [ingested_at] TEXT, [signature] BLOB)")
