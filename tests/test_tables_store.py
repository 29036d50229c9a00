"""Tables reach the database: every cell of the Tuyên Quang statistics table with its number, from DOCX and PDF
alike, its total row checked against its rows, and the per-page rows of PDFs."""

from __future__ import annotations

import regex
import sqlite_utils

from extractor.audit import table_findings
from extractor.pipeline import read
from extractor.run.ingest import ingest

NUMBER = regex.compile(r"^\d{1,3}(?:[.,]\d{3})*$|^\d+$")


def test_statistics_table_cells_with_numbers(tmp_path, shared_corpus):
    db_path = tmp_path / "t.db"
    ingest([shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx",
            shared_corpus / "pdf" / "tuyen-quang-cao-diem-2023.pdf"], db_path)
    db = sqlite_utils.Database(db_path)
    ids = dict(db.execute("select format, id from documents").fetchall())
    grids = {}
    for fmt, did in ids.items():
        (n_rows, n_cols, header_rows) = db.execute(
            "select n_rows, n_cols, header_rows from tables where document_id = ? and table_index = 3", [did]
        ).fetchone()
        assert (n_rows, n_cols, header_rows) == (22, 14, 5)
        cells = db.execute(
            "select row, col, text, number, header from table_cells where document_id = ? and table_index = 3",
            [did],
        ).fetchall()
        numeric = [c for c in cells if NUMBER.match(c[2])]
        assert numeric and all(c[3] is not None for c in numeric)  # every number-looking cell has its number
        by_pos = {(r, c): (text, number, header) for r, c, text, number, header in cells}
        # "1,255" is an English-style thousands separator in this pasted-from-Excel column
        assert by_pos[(21, 6)][:2] == ("1,255", 1255.0)
        assert by_pos[(21, 6)][2] == ("Tiếp nhận trực tuyến › Số hồ sơ tiếp nhận mới trong kỳ báo cáo › "
                                      "Qua Công DVC của bộ, ngành")
        assert by_pos[(17, 0)][0] == "Tổng số"
        grids[fmt] = {k: v[:2] for k, v in by_pos.items()}
    assert grids["docx"] == grids["pdf"]  # the PDF's ruled table reads exactly like the Word table


def test_total_row_is_checked_against_its_rows(shared_corpus):
    doc = read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    table = doc.tables[3]
    assert table_findings(table) == []  # the printed "Tổng số" row adds up
    # change one part: the audit must notice
    broken = [row[:] for row in table.rows]
    for r in range(6, 17):  # the rows above the "Tổng số" row
        if broken[r][6] and broken[r][6] not in ("X", "0"):
            broken[r][6] = "9,999"
            break
    table.rows = broken
    (finding,) = [f for f in table_findings(table) if f.kind == "table_total_mismatch"]
    assert "Tổng số" in finding.message or "total" in finding.message.lower()


def test_pdf_pages_are_stored(tmp_path, shared_corpus):
    db_path = tmp_path / "p.db"
    ingest([shared_corpus / "pdf" / "binh-son-6-thang-2023.pdf"], db_path)
    db = sqlite_utils.Database(db_path)
    rows = db.execute("select page, has_text, ocr from pages order by page").fetchall()
    assert len(rows) == 11 and all(r[1:] == (1, 0) for r in rows)
    assert db.execute("select pages, ocr from documents").fetchone() == (11, 0)
