"""One report, many files (store/reports.py): every format of each corpus report groups into one ``reports`` row, no
two different documents do (real/ included), aggregates count each report once; search without diacritics and đ;
citation look-up by a loosely typed key; report names in exports and on the command line."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from extractor.cli import app
from extractor.prepare.similarity import (
    NEAR_DUPLICATE,
    d_words,
    fold,
    jaccard,
    minhash_signature,
    shingles,
    signature_similarity,
)
from extractor.run.ingest import ingest
from extractor.serve import PACK
from extractor.store.reports import DocumentFacts, group_documents, identity, issuer_key, rank, report_name

FORMATS = ("docx", "pdf", "scan", "legacy", "text")


def _report_of(path: str) -> str:
    """The corpus report a file holds (its stem; the TCVN3 copy is Sơn Trà), or the file itself for real/."""
    p = Path(path)
    return str(p) if p.parent.name == "real" else p.stem.removesuffix("-tcvn3")


@pytest.fixture(scope="module")
def every_format(tmp_path_factory, shared_corpus) -> Path:
    db = tmp_path_factory.mktemp("reports") / "all.db"
    ingest([shared_corpus / f for f in (*FORMATS, "real")], db)
    return db


@pytest.fixture(scope="module")
def pdf_only(tmp_path_factory, shared_corpus) -> Path:
    db = tmp_path_factory.mktemp("reports") / "pdf.db"
    ingest([shared_corpus / "pdf"], db)
    return db


def _rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- pure functions -----------------------------------------------------------------------------------------------

def test_identity_needs_type_number_symbol_and_date():
    assert identity("Báo cáo", "154", "BC-CAT-QLHC", "2023-01-08") == ("bao cao", "154", "bccatqlhc", "2023-01-08")
    assert identity("Quyết định", "09", "2010/QĐ-UBND", "2010-01-21") == identity("Quyết định", "9", "2010/QD-UBND",
                                                                                 "2010-01-21")
    assert identity("Báo cáo", None, "BC-UBND", "2025-03-17") is None  # a draft's blank number
    assert identity("Báo cáo", "154", "BC-CAT-QLHCTuyênQuang", None) is None  # the scan: OCR lost the date


def test_issuer_key_agrees_across_formats_and_tells_bodies_apart():
    assert issuer_key("ỦY BAN NHÂN DÂN - TỈNH LÀO CAI") == issuer_key("UBND tỉnh Lào Cai")
    assert issuer_key("UBND TỈNH LÀO CAI - SỞ CÔNG THƯƠNG") != issuer_key("UBND tỉnh Lào Cai")
    assert issuer_key(None) is None


def test_report_name_reads_as_a_vietnamese_label():
    assert report_name("Báo cáo", "154", "BC-CAT-QLHC", "Công an tỉnh Tuyên Quang", "2023-01-08") == (
        "Báo cáo số 154/BC-CAT-QLHC ngày 08/01/2023 của Công an tỉnh Tuyên Quang")
    assert report_name("Báo cáo", None, "BC-UBND", "ỦY BAN NHÂN DÂN - TỈNH LÀO CAI", None, "Kết quả thực hiện") == (
        "Báo cáo số …/BC-UBND của ỦY BAN NHÂN DÂN TỈNH LÀO CAI về Kết quả thực hiện")
    assert report_name(title="Thông báo kết luận của Thủ tướng") == "Thông báo kết luận của Thủ tướng"
    assert report_name(file_name="x.pdf") == "x.pdf"


def test_best_source_text_layer_signed_pdf_later_correction():
    scan = DocumentFacts("a", format="pdf", ocr=1, number="154", issued_date="2023-01-08")
    draft = DocumentFacts("b", format="docx", number=None, issued_date=None)
    docx = DocumentFacts("c", format="docx", number="154", issued_date="2023-01-08")
    pdf = DocumentFacts("d", format="pdf", number="154", issued_date="2023-01-08")
    corrected = DocumentFacts("e", format="pdf", number="154", issued_date="2023-01-10")
    assert [d.id for d in sorted([scan, draft, docx, pdf, corrected], key=rank)] == ["e", "d", "c", "b", "a"]


def test_fold_and_d_words():
    assert fold("Định danh ĐIỆN TỬ") == "dinh danh dien tu"
    assert d_words("Quyết định 06/QĐ-TTg của Thủ tướng") == "dinh 06/qd-ttg"
    assert d_words("không có chữ nào") is None


def test_shingle_similarity_of_formats_and_of_different_reports(shared_corpus):
    """The measurement behind NEAR_DUPLICATE, redone on two reports: the OCR of a scan against the Word file stays
    far above it, two different reports far below it, and the MinHash estimate stays on the same side."""
    from extractor.pipeline import read

    docx = read(shared_corpus / "docx" / "son-tra-2024.docx").text
    scan = read(shared_corpus / "scan" / "son-tra-2024.pdf").text
    other = read(shared_corpus / "docx" / "binh-son-6-thang-2023.docx").text
    assert jaccard(shingles(docx), shingles(scan)) > 0.85
    assert jaccard(shingles(docx), shingles(other)) < 0.1
    assert signature_similarity(minhash_signature(docx), minhash_signature(scan)) > NEAR_DUPLICATE + 0.2
    assert signature_similarity(minhash_signature(docx), minhash_signature(other)) < NEAR_DUPLICATE - 0.3
    assert minhash_signature("quá ngắn") is None


def test_different_identities_never_group_by_text(shared_corpus):
    """Two numbered reports from one template (same text) stay two reports; the same text without a number line
    joins either."""
    from extractor.pipeline import read

    text = read(shared_corpus / "docx" / "son-tra-2024.docx").text
    sig = minhash_signature(text)
    a = DocumentFacts("a", doc_type="Báo cáo", number="1", symbol="BC-UBND", issued_date="2024-01-01")
    b = DocumentFacts("b", doc_type="Báo cáo", number="2", symbol="BC-UBND", issued_date="2024-02-01")
    reports = group_documents([a, b], {"a": sig, "b": sig})
    assert sorted(len(r.files) for r in reports) == [1, 1]
    c = DocumentFacts("c", format="pdf", ocr=1)
    reports = group_documents([a, c], {"a": sig, "c": sig})
    assert [([f.id for f in r.files], r.grouped_by) for r in reports] == [(["a", "c"], "text")]


def test_own_corpus_three_formats_three_reports(tmp_path, own_corpus):
    """corpus/reports: three reports, each as DOCX, PDF and Markdown: three reports rows of three files."""
    db = tmp_path / "own.db"
    ingest([own_corpus / "reports"], db, jobs=0)
    groups = _rows(db, "select group_concat(d.file_name, ' '), r.files from reports r "
                   "join documents d on d.report_id = r.id group by r.id")
    assert sorted(len({Path(f).stem for f in names.split()}) for names, _ in groups) == [1, 1, 1]
    assert sorted(n for _, n in groups) == [3, 3, 3]
    best = _rows(db, "select d.format from reports r join documents d on d.id = r.best_document_id")
    assert best == [("pdf",)] * 3


# --- the corpus ---------------------------------------------------------------------------------------------------

@pytest.mark.shared
def test_every_format_of_each_report_groups_together_and_nothing_else(every_format):
    rows = _rows(every_format, "select report_id, path, duplicate_of is null from documents where status = 'ok'")
    groups: dict[str, set[str]] = {}
    for report_id, path, _ in rows:
        assert report_id is not None, path
        groups.setdefault(report_id, set()).add(_report_of(path))
    assert all(len(names) == 1 for names in groups.values()), groups  # no two documents in one report
    assert len(groups) == len({_report_of(p) for _, p, _ in rows})  # no document split over two reports
    files = dict(_rows(every_format, "select name, files from reports where files > 1"))
    assert sorted(files.values()) == [4, 4, 4, 5, 6]  # Sơn Trà: docx, pdf, scan, .doc, TCVN3 docx, text
    assert _rows(every_format, "select count(*) from reports")[0][0] == 5 + 24 + 1  # and real/ with its README
    # one best source per report; the others say which report they duplicate
    assert _rows(every_format, "select count(*) from documents where duplicate_of is null and status = 'ok'"
                 )[0][0] == 30
    assert _rows(every_format, "select count(*) from documents d join documents b on b.id = d.duplicate_of "
                 "where b.report_id != d.report_id or b.duplicate_of is not null")[0][0] == 0


@pytest.mark.shared
def test_best_sources_are_the_pdfs_with_a_text_layer(every_format):
    best = _rows(every_format, "select d.path, d.format, d.ocr, r.grouped_by, r.name from reports r "
                 "join documents d on d.id = r.best_document_id where r.files > 1 order by d.path")
    assert [(Path(p).parent.name, f, o) for p, f, o, _, _ in best] == [("pdf", "pdf", 0)] * 5
    names = {Path(p).stem: (g, n) for p, _, _, g, n in best}
    assert names["tuyen-quang-cao-diem-2023"] == (  # the scan reads its number line too (OCR header)
        "metadata", "Báo cáo số 154/BC-CAT-QLHC ngày 08/01/2023 của Công an tỉnh Tuyên Quang")
    assert names["son-tra-2024"][1].startswith("Báo cáo số …/BC-TCTĐA06 ngày 17/03/2025 của Tổ Công tác Đề án "
                                               "06/CP xã Sơn Trà về Kết quả thực hiện Đề án 06/CP năm 2024")


@pytest.mark.shared
def test_pivot_totals_equal_one_format_alone(every_format, pdf_only):
    pack = yaml.safe_load(PACK.read_text(encoding="utf-8"))["queries"]
    corpus_only = "d.path not like '%/real/%'"

    def totals(db: Path, extra: str = "1") -> list[tuple]:
        return _rows(db, "select i.indicator, count(*), round(sum(i.value), 3) from indicators i "
                     f"join documents d on d.id = i.document_id where d.duplicate_of is null and {extra} "
                     "group by 1 order by 1")

    assert totals(every_format, corpus_only) == totals(pdf_only)
    pivot = pack["indicator_by_locality_and_period"]["sql"]
    assert _rows(every_format, pivot, {"indicator": ""}) == _rows(pdf_only, pivot, {"indicator": ""})
    # cited documents: each report once
    sql = "select key, mentions, documents from cited_documents where key = '06/QĐ-TTg'"
    assert _rows(every_format, sql) == _rows(pdf_only, sql) == [("06/QĐ-TTg", 4, 2)]
    by_report = _rows(every_format, pack["findings_by_report"]["sql"])
    reports = [r[0] for r in by_report]
    assert len(reports) == len(set(reports))  # every report listed once
    # per report (the whole-corpus row differs: the every-format database holds real/ too, whose reports conflict)
    corpus = [r for r in _rows(pdf_only, pack["findings_by_report"]["sql"]) if r[0] != "(whole corpus)"]
    assert [r[3:6] for r in by_report if r[0] in {c[0] for c in corpus}] == [r[3:6] for r in corpus]


# --- search -------------------------------------------------------------------------------------------------------

def _search(db: Path, path: str) -> list[dict]:
    from datasette.app import Datasette

    async def get():
        ds = Datasette([str(db)], metadata={})
        resp = await ds.client.get(path)
        assert resp.status_code == 200, resp.text
        return resp.json()

    return asyncio.run(get())


@pytest.mark.shared
def test_search_ignores_diacritics_and_d(every_format):
    name = every_format.stem

    def hits(q: str, table: str = "documents") -> set[str]:
        return {r["rowid"] if "rowid" in r else r.get("id") for r in _search(
            every_format, f"/{name}/{table}.json?_search={q}&_shape=array&_size=max"
                          f"&_col={'file_name' if table == 'documents' else 'document_id'}")}

    accented = hits("định danh điện tử")
    assert len(accented) >= 20
    assert hits("dinh danh dien tu") >= accented
    assert hits("DINH DANH DIEN TU") == hits("dinh danh dien tu")
    assert hits("quyet dinh 06/QD-TTg") == hits("quyết định 06/QĐ-TTg") != set()
    assert hits("qđ 06") == hits("qd 06")
    assert hits("quyet dinh 06/QD-TTg", "citations") == hits("quyết định 06/QĐ-TTg", "citations") != set()
    assert hits("dinh danh dien tu", "footnotes") >= hits("định danh điện tử", "footnotes")
    assert hits("xyzzyqq") == set()


@pytest.mark.shared
def test_cited_document_found_by_a_loosely_typed_key(every_format):
    sql = yaml.safe_load(PACK.read_text(encoding="utf-8"))["queries"]["find_cited_document"]["sql"]
    for typed in ("06/QD-TTg", "QĐ 06", "qd 06/qđ-ttg", "quyet dinh 06", "  06/qđ-TTG  ", ""):
        assert _rows(every_format, sql, {"q": typed})[0][0] == "06/QĐ-TTg", typed
    assert _rows(every_format, sql, {"q": "nghi dinh 59"})[0][0] == "59/2022/NĐ-CP"
    for junk in ('"', "\\", "a\"b\\", "xyzzyqq 06"):  # never an SQL or FTS error
        assert _rows(every_format, sql, {"q": junk}) == [], junk
    hits = _search(every_format, f"/{every_format.stem}/cited_documents.json?_search=QĐ+06&_shape=array")
    assert "06/QĐ-TTg" in {r["key"] for r in hits}


def test_an_older_database_gets_search_words_and_its_index(tmp_path, own_corpus):
    """A database whose full-text index predates search_words: opening it fills them and indexes them."""
    import sqlite_utils

    from extractor.store.db import open_db

    db_path = tmp_path / "old.db"
    ingest([own_corpus / "reports" / "cong-an-tinh-an-khang-2023.docx"], db_path, jobs=0)
    old = sqlite_utils.Database(db_path)
    old["documents"].disable_fts()
    old.execute("update documents set search_words = null")
    old["documents"].enable_fts(["title", "text"], tokenize="unicode61 remove_diacritics 2")
    old.close()
    open_db(db_path).close()
    rows = _rows(db_path, "select count(*) from documents where search_words is not null")
    assert rows == [(1,)]
    assert _rows(db_path, "select count(*) from documents_fts where documents_fts match 'search_words : dinh'"
                 ) == [(1,)]


# --- names in exports and on the command line ----------------------------------------------------------------------

@pytest.mark.shared
def test_exports_put_the_report_beside_every_document_id(every_format, tmp_path):
    import pandas as pd

    from extractor.export import export

    export(every_format, tmp_path, ("csv",))
    for table in ("findings", "citations"):
        frame = pd.read_csv(tmp_path / f"{table}.csv", encoding="utf-8-sig")
        cols = list(frame.columns)
        assert cols[cols.index("document_id") + 1: cols.index("document_id") + 3] == ["report", "report_type"]
    row = frame[frame["report"].str.startswith("Báo cáo số 154/BC-CAT-QLHC", na=False)].iloc[0]  # Tuyên Quang
    assert row["report_type"] == "Báo cáo"
    assert not (tmp_path / "minhashes.csv").exists()


@pytest.mark.shared
def test_reports_command_json_csv_table(every_format):
    runner = CliRunner()
    out = runner.invoke(app, ["reports", "--db", str(every_format), "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert len(rows) == 30 and rows[0]["files"] == 6 and rows[0]["best_file"] == "son-tra-2024.pdf"
    out = runner.invoke(app, ["reports", "--db", str(every_format), "--csv"])
    assert out.stdout.splitlines()[0].startswith("name,doc_type,number,symbol,issued_date,files,grouped_by")
    assert len(out.stdout.strip().splitlines()) >= 31
    out = runner.invoke(app, ["reports", "--db", str(every_format), "--json", "--csv"])
    assert out.exit_code == 2
