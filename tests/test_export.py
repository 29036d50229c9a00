"""`docmine export`: CSV and Parquet for every table open in pandas, and the Excel workbook opens with openpyxl
(findings sheet first), all with the database's row counts."""

from __future__ import annotations

import sqlite3

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.export import sheet_names, tables
from extractor.run.ingest import ingest


@pytest.fixture(scope="module")
def exported(tmp_path_factory, shared_corpus):
    tmp = tmp_path_factory.mktemp("export")
    db = tmp / "reports.db"
    ingest([shared_corpus / "docx"], db)
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--to", str(tmp / "out")])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    counts = {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in tables(conn)}
    conn.close()
    return tmp / "out", counts


def test_every_table_exported(exported):
    _, counts = exported
    assert {"documents", "findings", "citations", "figures", "footnotes", "cited_documents", "localities",
            "indicators"} <= set(counts)
    assert not any(name.endswith("_fts") for name in counts)
    assert counts["documents"] == 5 and counts["findings"] >= 5 and counts["localities"] == 5


def test_csv_and_parquet_open_in_pandas(exported):
    out, counts = exported
    for table, n in counts.items():
        csv = pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig")
        parquet = pd.read_parquet(out / f"{table}.parquet")
        assert len(csv) == len(parquet) == n, table
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig")
    assert "tuyen-quang-cao-diem-2023.docx" in set(docs["file_name"])
    assert set(pd.read_parquet(out / "localities.parquet")["province_2025"]) >= {"Thành phố Cần Thơ"}


def test_excel_workbook(exported):
    out, counts = exported
    wb = openpyxl.load_workbook(out / "docmine.xlsx", read_only=True)
    assert wb.sheetnames[0] == "findings"
    queries = set(sheet_names().values())  # the canned queries' sheets (tests/test_export_workbook.py)
    assert set(wb.sheetnames) == set(counts) | queries and not set(counts) & queries
    for table, n in counts.items():
        rows = list(wb[table].iter_rows(values_only=True))
        assert len(rows) - 1 == n, table  # the header row, then one row per database row
    header = list(next(wb["findings"].iter_rows(values_only=True)))
    # named beside the hash
    assert header[:7] == ["id", "document_id", "report", "report_type", "file_name", "kind", "severity"]


def test_unknown_format_is_a_clear_error(tmp_path):
    db = tmp_path / "x.db"
    sqlite3.connect(db).close()
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--to", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2
    assert "không có định dạng xuất pdf" in result.output
