"""Indicators: figures grouped by what they count. Every rule's examples (real corpus text) must fall under it, and
on the real reports the "hồ sơ cấp CCCD" figures of three reports come together."""

from __future__ import annotations

import sqlite3

import pytest

from extractor.figures import figures_in_text
from extractor.indicators import indicator_for, normalise_label, rules, words_after
from extractor.ingest import ingest
from extractor.serve import refresh_derived


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
    counts = refresh_derived(db)
    conn = sqlite3.connect(db)
    assert counts["indicators"] == conn.execute("select count(*) from figures").fetchone()[0]
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
    ingest([shared_corpus / "docx" / "nga-bay-2022.docx"], db)
    refresh_derived(db)
    conn = sqlite3.connect(db)
    orphans = conn.execute("select count(*) from indicators where figure_id not in (select id from figures)")
    assert orphans.fetchone()[0] == 0
    assert conn.execute("select count(*) from localities").fetchone()[0] == 5
