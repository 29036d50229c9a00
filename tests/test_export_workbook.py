"""`docmine export` for a person who opens the files: the workbook's sheets have a styled frozen header row with an
autofilter, widths from their content, dates as dates and numbers as numbers, the report's name beside every
document_id, and the canned queries as sheets with Vietnamese names; the CSV files carry a BOM and read back
Vietnamese exactly. Built on the project's own corpus (corpus/reports: three reports, each as .md, .docx and .pdf)."""

from __future__ import annotations

import csv
import re
from datetime import datetime

import openpyxl
import pypdfium2
import pytest
from typer.testing import CliRunner

from extractor import export as export_module
from extractor.cli import app
from extractor.export import FIRST, SHEET_NAME_LIMIT, _sheet_safe, _unique, export, sheet_names
from extractor.resources import load_rules
from extractor.run.ingest import ingest
from extractor.store import queries

AN_KHANG = "Báo cáo số 2468/BC-CAT-PC06 ngày 15/12/2023 của Công an tỉnh An Khang"  # its number line, date, issuer
EXCEL_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@pytest.fixture(scope="module")
def exported(tmp_path_factory, own_corpus):
    tmp = tmp_path_factory.mktemp("export-workbook")
    db = tmp / "reports.db"
    ingest([own_corpus / "reports"], db, jobs=0)
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--to", str(tmp / "out")])
    assert result.exit_code == 0, result.output
    assert "Văn bản được trích nhiều nhất" in result.output  # the canned-query sheets are listed with the tables
    return tmp / "out", db


@pytest.fixture(scope="module")
def workbook(exported):
    return openpyxl.load_workbook(exported[0] / "docmine.xlsx")  # not read-only: widths, filters and styles load


def _rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _column(ws, name: str) -> str:
    return next(cell.column_letter for cell in ws[1] if cell.value == name)


def test_header_row_is_styled_frozen_and_filtered(workbook):
    for name in ("findings", "documents", "Báo cáo có phát hiện"):
        ws = workbook[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", name
        assert all(cell.font.bold for cell in ws[1]), name
        assert ws["A1"].fill.fgColor.rgb.endswith("1F4E78"), name
        assert not ws["A2"].font.bold, name  # only the header


def test_column_widths_follow_the_content_and_are_capped(workbook):
    ws = workbook["findings"]
    kinds = [r["kind"] for r in _rows(ws)]
    assert ws.column_dimensions[_column(ws, "kind")].width == max(len(k) for k in kinds) + 1
    assert ws.column_dimensions[_column(ws, "severity")].width == len("severity") + 3  # header + filter button
    assert ws.column_dimensions[_column(ws, "message")].width == 60  # long sentences: capped
    # a sha256 nobody reads stays narrow: as wide as its header, not its 64 characters
    assert ws.column_dimensions[_column(ws, "document_id")].width == len("document_id") + 3


def test_report_name_and_type_beside_every_document_id(workbook):
    for table in ("findings", "figures", "citations", "footnotes", "localities", "indicators"):
        header = [cell.value for cell in workbook[table][1]]
        at = header.index("document_id")
        assert header[at + 1: at + 4] == ["report", "report_type", "file_name"], table
    rows = _rows(workbook["findings"])
    part_whole = [r for r in rows if r["kind"] == "part_whole_mismatch" and r["report"] == AN_KHANG]
    # 38.450 + 5.120 + 1.620 = 45.190, not the 45.210 the report writes: found in each of its three files
    assert {r["file_name"] for r in part_whole} == {f"cong-an-tinh-an-khang-2023.{x}" for x in ("md", "docx", "pdf")}
    assert {r["report_type"] for r in part_whole} == {"Báo cáo"}
    corpus_wide = [r for r in rows if r["document_id"] is None]
    assert corpus_wide and all(r["report"] is None for r in corpus_wide)  # no report to name
    assert not any(re.fullmatch(r"[0-9a-f]{64}", r["report"] or "") for r in rows)  # never the hash as a name


def test_dates_are_dates_and_numbers_are_numbers(workbook):
    ws = workbook["documents"]
    header = [cell.value for cell in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("file_name")].value.endswith("an-khang-2023.md"))
    cell = {name: c for name, c in zip(header, row, strict=True)}
    assert cell["issued_date"].value == datetime(2023, 12, 15)  # "An Khang, ngày 15 tháng 12 năm 2023"
    assert cell["issued_date"].number_format == "DD/MM/YYYY"
    assert cell["period_end"].value == datetime(2023, 12, 31)
    assert isinstance(cell["ingested_at"].value, datetime) and cell["ingested_at"].number_format == "DD/MM/YYYY HH:MM"
    assert cell["footnote_count"].value == 2 and isinstance(cell["size"].value, int)
    assert cell["number"].value == "2468"  # a document number is text ("04" keeps its zero), never a number
    assert cell["period"].value == "năm 2023"  # text that is not an ISO date stays text


def test_canned_queries_are_sheets_with_vietnamese_names(workbook):
    pack_order = list(queries.audit_pack()["queries"])
    named = load_rules("strings.yaml")["sheets"]
    assert workbook.sheetnames[0] == "findings"
    assert workbook.sheetnames[1: 1 + len(pack_order)] == [named[q]["vi"] for q in pack_order]
    assert {"Báo cáo có phát hiện", "Văn bản được trích nhiều nhất", "Báo cáo và các tệp"} <= set(workbook.sheetnames)
    cited = _rows(workbook["Văn bản được trích nhiều nhất"])
    first = cited[0]
    # all three reports cite Quyết định 06/QĐ-TTg (two of them with its true date, 06/01/2022)
    assert (first["key"], first["doc_type"], first["reports"]) == ("06/QĐ-TTg", "Quyết định", 3)
    assert first["issued_date"] == datetime(2022, 1, 6)
    files = {r["report"]: r for r in _rows(workbook["Báo cáo và các tệp"])}
    assert files[AN_KHANG]["files"] == 3  # the .md, .docx and .pdf of one report
    assert len(files) == 3
    # a query with parameters runs with its defaults: "Một chỉ tiêu qua các báo cáo" is cccd.applications
    assert any("45.210" in (r["as_written"] or "") for r in _rows(workbook["Một chỉ tiêu qua các báo cáo"]))


def test_every_canned_query_has_an_excel_safe_name_in_both_languages():
    named = load_rules("strings.yaml")["sheets"]
    assert set(named) == set(queries.audit_pack()["queries"])
    for lang in ("vi", "en"):
        names = sheet_names(lang)
        assert len({n.casefold() for n in names.values()} | set(FIRST)) == len(names) + len(FIRST), lang
        for query, name in names.items():
            assert name == named[query][lang], (lang, query)  # the strings file's names are already safe
            assert 0 < len(name) <= SHEET_NAME_LIMIT and not EXCEL_FORBIDDEN.search(name), name


def test_sheet_names_made_safe_and_unique():
    assert _sheet_safe("Chỉ tiêu: 06/QĐ-TTg [quý I]*?") == "Chỉ tiêu 06 QĐ-TTg quý I"
    assert _sheet_safe("'Báo cáo'") == "Báo cáo"
    assert len(_sheet_safe("Một chỉ tiêu theo địa bàn và kỳ báo cáo của tỉnh")) == SHEET_NAME_LIMIT
    assert _sheet_safe("???") == "query"
    assert _unique("Findings", {"findings"}) == "Findings (2)"
    assert _unique("Báo cáo", {"khác"}) == "Báo cáo"
    long = "x" * SHEET_NAME_LIMIT
    assert _unique(long, {long, f"{'x' * 27} (2)"}) == f"{'x' * 27} (3)"


def test_a_canned_query_that_cannot_run_is_recorded_and_the_rest_exported(exported, tmp_path, monkeypatch):
    _, db = exported
    pack = queries.audit_pack()
    broken = {**pack, "queries": {
        **pack["queries"],
        "broken": {"title": "Hỏng / Broken", "sql": "select * from no_such_table"},
        "unnamed": {"title": "Thử: tên/dài [quá] / Test", "sql": "select 1 as x"},
    }}
    monkeypatch.setattr(queries, "audit_pack", lambda: broken)
    monkeypatch.setattr(export_module, "audit_pack", lambda: broken)
    summary = export(db, tmp_path, ("xlsx",))
    assert "no such table: no_such_table" in summary.query_errors["broken"]
    wb = openpyxl.load_workbook(tmp_path / "docmine.xlsx", read_only=True)
    assert "Hỏng" not in wb.sheetnames and "Báo cáo có phát hiện" in wb.sheetnames
    assert summary.sheets["Thử tên dài quá"] == 1  # no name in the strings file: its title, made safe


def test_csv_has_a_bom_and_reads_back_vietnamese(exported, own_corpus):
    out, _ = exported
    raw = (out / "reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (out / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        reports = list(csv.DictReader(fh))
    assert next(iter(reports[0])) == "id"  # the BOM is not part of the first column's name
    an_khang = next(r for r in reports if r["name"] == AN_KHANG)
    assert an_khang["issuer"] == "Công an tỉnh An Khang" and an_khang["files"] == "3"
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as fh:
        findings = list(csv.DictReader(fh))
    assert any(r["report"] == AN_KHANG and "38.450 + 5.120 + 1.620 = 45.190" in r["message"] for r in findings)
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        documents = {r["file_name"]: r for r in csv.DictReader(fh)}
    pdf = own_corpus / "reports" / "cong-an-tinh-an-khang-2023.pdf"
    assert documents[pdf.name]["pages"] == str(len(pypdfium2.PdfDocument(pdf)))  # "2", never "2.0"
    assert documents["cong-an-tinh-an-khang-2023.docx"]["pages"] == ""  # unknown for a DOCX: empty
