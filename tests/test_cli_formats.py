"""The command line as a neighbour of sqlite-utils and datasette: the database given the same way to every command,
--json / --csv / --table on audit and citations, clear one-line errors that leave nothing behind, a re-run's summary
that says what is already stored, Vietnamese first with --lang en. Runs on the project's own corpus (corpus/reports):
the three reports planted with known problems (corpus/README.md)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

from extractor.cli import app, emit_rows
from extractor.messages import set_lang
from extractor.run.ingest import ingest

DISTRICT = "huyen-thach-lam-quy-1-2024.docx"


@pytest.fixture(autouse=True)
def _vietnamese():
    set_lang("vi")
    yield
    set_lang(None)


@pytest.fixture(scope="module")
def db(tmp_path_factory, own_corpus):
    path = tmp_path_factory.mktemp("cli") / "own.db"
    ingest([own_corpus / "reports"], path, jobs=0)
    return path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_audit_json_csv_and_table(db):
    as_json = run("audit", str(db), "--json", "--kind", "ratio_mismatch")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    # the district report, II.1.1: "45/50 hồ sơ …, đạt 95%" (45/50 is 90%), in each of its three formats
    district = [r for r in rows if r["file_name"].startswith("huyen-thach-lam")]
    assert {r["file_name"] for r in district} == {DISTRICT, "huyen-thach-lam-quy-1-2024.md",
                                                  "huyen-thach-lam-quy-1-2024.pdf"}
    assert all(r["kind"] == "ratio_mismatch" and r["section"] == "II.1.1" for r in rows)
    assert next(r for r in district if r["file_name"] == DISTRICT)["text"].startswith("45/50 hồ sơ")
    # the report is named by its type, number line, date and issuer (documents.name), not by a hash
    name = "Báo cáo số …/BC-TCTĐA06 ngày 05/04/2024 của Tổ Công tác Đề án 06 huyện Thạch Lâm"
    assert district and all(r["report"].startswith(name) for r in district)
    as_csv = run("audit", "--db", str(db), "--csv", "--kind", "ratio_mismatch")
    parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["text"] for r in parsed] == [r["text"] for r in rows]
    table = run("audit", "--db", str(db), "--kind", "ratio_mismatch")  # --table is the default
    assert table.stdout == run("audit", "--db", str(db), "--kind", "ratio_mismatch", "--table").stdout
    assert "Báo cáo số …/BC-TCTĐA06 ngày 05/04/2024" in " ".join(table.stdout.split())
    assert "tỷ lệ không khớp" in table.stdout and "lỗi" in table.stdout
    # the commune's report has no planted problem: no ratio finding
    assert not any(r["file_name"].startswith("xa-my-thanh-dong") for r in rows)


def test_two_formats_at_once_is_an_error(db):
    result = run("audit", str(db), "--json", "--csv")
    assert result.exit_code == 2 and "--json, --csv, --table" in result.output


def test_unknown_kind_lists_the_kinds(db):
    result = run("audit", str(db), "--kind", "ratio")
    assert result.exit_code == 2
    assert "không có loại phát hiện ratio" in result.output
    for kind in ("ratio_mismatch", "footnote_count_mismatch", "part_whole_mismatch", "citation_date_conflict"):
        assert kind in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_citations_of_a_file_and_of_the_database(db, own_corpus):
    from_file = json.loads(run("citations", str(own_corpus / "reports" / DISTRICT), "--json").stdout)
    stored = json.loads(run("citations", "--db", str(db), "--document", DISTRICT, "--json").stdout)
    assert [(r["key"], r["issued_date"]) for r in from_file] == [(r["key"], r["issued_date"]) for r in stored]
    # the district dates Quyết định 06/QĐ-TTg 18/01/2022 (planted; the registry says 06/01/2022)
    assert ("06/QĐ-TTg", "2022-01-18") in {(r["key"], r["issued_date"]) for r in stored}
    as_csv = list(csv.DictReader(io.StringIO(run("citations", str(db), "--document", DISTRICT, "--csv").stdout)))
    assert len(as_csv) == len(stored) and as_csv[0]["report"].startswith("Báo cáo số …/BC-TCTĐA06")
    table = run("citations", str(own_corpus / "reports" / DISTRICT))
    assert f"({len(from_file)})" in table.stdout and "Trích dẫn trong" in table.stdout
    missing = run("citations", "--db", str(db), "--document", "khong-co-bao-cao-nay")
    assert missing.exit_code == 2 and "không có văn bản nào khớp" in missing.output


def test_database_in_a_missing_folder(tmp_path, own_corpus):
    target = tmp_path / "no-such-folder" / "x.db"
    for args in (["ingest", str(own_corpus / "reports"), "--db", str(target)], ["audit", str(target)],
                 ["serve", "--db", str(target)], ["export", str(target), "--to", str(tmp_path / "out")]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.output.count("\n") == 1 and "no-such-folder không tồn tại" in result.output, args
    assert not (tmp_path / "no-such-folder").exists() and not (tmp_path / "out").exists()


def test_a_file_that_is_not_a_docmine_database(tmp_path, own_corpus):
    text = tmp_path / "notes.txt"
    text.write_text("ghi chú", encoding="utf-8")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table x (a)").connection.close()
    for path, why in ((text, "không phải tệp SQLite"), (other, "không có bảng documents")):
        for args in (["ingest", str(own_corpus / "reports"), "--db", str(path)], ["audit", "--db", str(path)],
                     ["export", str(path), "--to", str(tmp_path / "out")]):
            result = run(*args)
            assert result.exit_code == 2, args
            assert f"{path} không phải cơ sở dữ liệu docmine ({why})" in result.output, args
            assert result.output.count("\n") == 1
    assert text.read_text(encoding="utf-8") == "ghi chú"
    assert [r[0] for r in sqlite3.connect(other).execute("select name from sqlite_master")] == ["x"]


def test_an_empty_input_folder(tmp_path):
    (tmp_path / "inbox").mkdir()
    result = run("ingest", str(tmp_path / "inbox"), "--db", str(tmp_path / "new.db"))
    assert result.exit_code == 2 and "không có tệp nào để đọc" in result.output
    assert not (tmp_path / "new.db").exists()


def test_a_rerun_says_what_is_already_stored(tmp_path, own_corpus):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(own_corpus / "reports" / DISTRICT, folder)
    first = run("ingest", str(folder), "--db", str(tmp_path / "x.db"), "-q", "--jobs", "0")
    assert first.exit_code == 0, first.output
    assert "trong cơ sở dữ liệu nay có: 1 văn bản (1 đọc được, 0 lỗi)" in first.stdout
    again = run("--lang", "en", "ingest", str(folder), "--db", str(tmp_path / "x.db"), "-q", "--jobs", "0")
    assert "no file read in this run" in again.stdout
    assert "1 files unchanged since an earlier run, already stored" in again.stdout
    assert "the database now holds: 1 documents (1 ok, 0 errors)" in again.stdout


def test_the_same_database_spelling_everywhere(db, tmp_path):
    by_argument = run("audit", str(db), "--json").stdout
    assert by_argument == run("audit", "--db", str(db), "--json").stdout
    env = CliRunner(env={"DOCMINE_DB": str(db)}).invoke(app, ["audit", "--json"]).stdout
    assert env == by_argument
    clash = run("audit", str(db), "--db", str(tmp_path / "other.db"))
    assert clash.exit_code == 2 and "hai cơ sở dữ liệu khác nhau" in clash.output


def test_emit_rows_formats():
    rows = [{"report": "Báo cáo 154/BC-CAT-QLHC", "n": 3, "none": None}, {"report": "Đề cương", "n": 0, "none": None}]
    out = io.StringIO()
    emit_rows(rows, "json", out=out)
    assert json.loads(out.getvalue()) == rows
    out = io.StringIO()
    emit_rows(rows, "csv", columns=["n", "report"], out=out)
    assert out.getvalue() == "n,report\n3,Báo cáo 154/BC-CAT-QLHC\n0,Đề cương\n"
    out = io.StringIO()
    emit_rows(rows, "table", headers={"report": "báo cáo"}, out=out)
    assert "báo cáo" in out.getvalue() and "Đề cương" in out.getvalue()
    with pytest.raises(ValueError, match="format must be one of"):
        emit_rows(rows, "xml")
