"""Indicators: figures grouped by what they count. Every rule's examples (real corpus text) must fall under it, and
on the real reports the "hồ sơ cấp CCCD" figures of three reports come together."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from extractor.extract.figures import figures_in_text
from extractor.extract.indicators import indicator_for, normalise_label, rules, words_after
from extractor.run.ingest import ingest
from extractor.store import derive as derived
from extractor.store.derive import refresh_derived

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("rule", "example"), [(r.name, ex) for r in rules() for ex in r.examples])
def test_rule_examples(rule, example):
    figures = figures_in_text(example)
    got = [indicator_for(f.kind, f.unit, f.label, f.text, words_after(example, f.end))[0] for f in figures]
    assert rule in got, (example, got)


def test_unmatched_figures_keep_their_label_normalised():
    assert indicator_for("count", "máy", "Máy  Scanner", "01 máy") == ("máy scanner", "label")
    assert normalise_label("Hồ sơ cấp CCCD:") == normalise_label("hồ sơ cấp CCCD") == "hồ sơ cấp cccd"
    assert normalise_label("  ") is None


def test_words_after_stop_at_the_clause():
    text = "đã thu nhận: 10.260 hồ sơ cấp CCCD, 25.728 hồ sơ xác lập"
    end = text.index(" cấp")
    assert words_after(text, end) == " cấp CCCD"


def test_real_reports_grouped(tmp_path, shared_corpus):
    db = tmp_path / "ind.db"
    ingest([shared_corpus / "docx"], db)
    conn = sqlite3.connect(db)
    built_by_ingest = conn.execute("select count(*) from indicators").fetchone()[0]
    counts = refresh_derived(db)
    assert counts["indicators"] == built_by_ingest == conn.execute("select count(*) from figures").fetchone()[0]
    rows = conn.execute(
        "select d.file_name, f.text from indicators i join figures f on f.id = i.figure_id "
        "join documents d on d.id = i.document_id where i.indicator = 'hồ sơ cấp CCCD'"
    ).fetchall()
    by_report = {}
    for name, text in rows:
        by_report.setdefault(name, set()).add(text)
    assert "10.260 hồ sơ" in by_report["binh-son-6-thang-2023.docx"]  # "đã thu nhận: 10.260 hồ sơ cấp CCCD"
    assert "7.570 hồ sơ" in by_report["nga-bay-2022.docx"]  # "Đã cấp 7.570 hồ sơ CCCD (6.627 cấp mới, …)"
    assert "1943 hồ sơ" in by_report["son-tra-2024.docx"]  # "Cấp Căn cước gắn chíp: 1943 hồ sơ"
    # the age-eligible population is a different indicator ("62.989 trường hợp trong độ tuổi cấp CCCD")
    assert "62.989 trường hợp" not in by_report["nga-bay-2022.docx"]
    # re-ingesting a document cascades its derived rows away; a refresh brings them back
    conn.close()
    ingest([shared_corpus / "docx" / "nga-bay-2022.docx"], db, force=True)  # read again: ingest rebuilds them
    conn = sqlite3.connect(db)
    orphans = conn.execute("select count(*) from indicators where figure_id not in (select id from figures)")
    assert orphans.fetchone()[0] == 0
    assert conn.execute("select count(*) from localities").fetchone()[0] == 5


def test_ingest_builds_derived_tables_and_a_failed_rebuild_keeps_the_old_ones(tmp_path, monkeypatch):
    db = tmp_path / "own.db"
    reports = sorted((ROOT / "corpus" / "reports").glob("*.docx"))
    ingest(reports, db, jobs=0)
    conn = sqlite3.connect(db)
    before = {t: conn.execute(f"select * from {t} order by 1, 2").fetchall() for t in ("localities", "indicators")}
    conn.close()
    assert len(before["localities"]) == len(reports) and before["indicators"]

    def fail_on_indicators(conn, table):
        if table == "indicators":
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        original(conn, table)

    original = derived.create_derived
    monkeypatch.setattr(derived, "create_derived", fail_on_indicators)
    with pytest.raises(sqlite3.OperationalError):
        refresh_derived(db)  # localities was already dropped and refilled when indicators failed: rolled back
    conn = sqlite3.connect(db)
    after = {t: conn.execute(f"select * from {t} order by 1, 2").fetchall() for t in ("localities", "indicators")}
    assert after == before


def test_ingest_updates_derived_rows_of_the_documents_it_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(derived, "BATCH", 2)  # three reports: rows computed in two batches
    folder = tmp_path / "in"
    folder.mkdir()
    reports = []
    for src in sorted((ROOT / "corpus" / "reports").glob("*.docx")):
        reports.append(folder / src.name)
        shutil.copy(src, reports[-1])
    db = tmp_path / "inc.db"

    def tables():
        conn = sqlite3.connect(db)
        try:
            return {
                "localities": conn.execute("select * from localities order by document_id").fetchall(),
                "indicators": conn.execute("select * from indicators order by figure_id").fetchall(),
                "documents": [r[0] for r in conn.execute("select id from documents where status = 'ok' order by id")],
            }
        finally:
            conn.close()

    ingest(reports[:2], db, jobs=0)
    ingest([folder], db, jobs=0)  # writes the third report only: its rows are added, the first two kept
    incremental = tables()
    assert [r[0] for r in incremental["localities"]] == incremental["documents"] and len(incremental["documents"]) == 3
    refresh_derived(db)  # a whole rebuild gives the same rows
    assert tables() == incremental

    with zipfile.ZipFile(reports[0], "a") as z:  # a corrected version at the same path (other bytes)
        z.comment = b"corrected"
    ingest([folder], db, jobs=0)
    after = tables()
    assert after["documents"] != incremental["documents"] and len(after["documents"]) == 3
    assert [r[0] for r in after["localities"]] == after["documents"]  # the old version's row went with it
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from indicators where figure_id not in (select id from figures)"
                        ).fetchone()[0] == 0
    assert conn.execute("select count(*) from indicators").fetchone()[0] == conn.execute(
        "select count(*) from figures").fetchone()[0]


def test_a_run_after_a_killed_one_writes_the_derived_rows_it_missed(tmp_path):
    db = tmp_path / "killed.db"
    reports = sorted((ROOT / "corpus" / "reports").glob("*.docx"))
    ingest(reports, db, jobs=0)
    conn = sqlite3.connect(db)
    whole = conn.execute("select * from localities order by document_id").fetchall()
    n_indicators = conn.execute("select count(*) from indicators").fetchone()[0]
    victim = whole[0][0]
    with conn:  # as if the run was killed after storing this document, before its derived rows
        conn.execute("delete from indicators where document_id = ?", (victim,))
        conn.execute("delete from localities where document_id = ?", (victim,))
    conn.close()
    summary = ingest(reports, db, jobs=0)  # nothing to read again
    assert summary.skipped == len(reports) and summary.ok == 0
    conn = sqlite3.connect(db)
    assert conn.execute("select * from localities order by document_id").fetchall() == whole
    assert conn.execute("select count(*) from indicators").fetchone()[0] == n_indicators
