"""Indicators: figures grouped by what they count. Every rule's examples (real corpus text) must fall under it, and
on the real reports the "hồ sơ cấp CCCD" figures of three reports come together."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from extractor.extract.indicators import (
    Headings,
    classify_text,
    contexts,
    normalise_label,
    phrase_for,
    rules,
    stance_for,
)
from extractor.run.ingest import ingest
from extractor.store import derive as derived
from extractor.store.derive import refresh_derived

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("rule", "example"), [(r.id, ex) for r in rules() for ex in r.examples])
def test_rule_examples(rule, example):
    got = [m.indicator_id for m in classify_text(example)]
    assert rule in got, (example, got)


def test_every_indicator_has_names_a_group_and_an_example():
    for r in rules():
        assert r.name and r.name_en and r.group and r.examples, r.id
        assert r.id.count(".") == 1 and r.id == r.id.lower(), r.id


def test_the_nearest_topic_decides_between_two_in_one_sentence():
    text = "Trong 6 tháng đầu năm, đã thu nhận: 10.260 hồ sơ cấp CCCD và 25.728 hồ sơ xác thực định danh điện tử mức 2;"
    assert [m.indicator_id for m in classify_text(text)] == ["cccd.applications", "eid.applications"]
    text = "Đã cấp CCCD: 53.061 trường hợp (từ khi triển khai cấp CCCD), còn lại chưa cấp 9.928 trường hợp (Công dân bỏ"
    assert [m.indicator_id for m in classify_text(text)] == ["cccd.issued", "cccd.not_issued"]


def test_the_heading_names_what_the_sentence_does_not():
    text = ("II. KẾT QUẢ THỰC HIỆN\n1. Công tác cấp Căn cước công dân\n"
            "- Lũy kế từ khi triển khai, toàn tỉnh đã cấp 88.114/88.532 chỉ tiêu Bộ Công an giao, đạt 99,53%.")
    (m,) = classify_text(text)  # cong-an-tinh-an-khang-2023: "đã cấp" says issued, the heading says what
    assert (m.indicator_id, m.matched_by, m.stance) == ("cccd.issued", "heading", "result")
    (m,) = classify_text(text.replace("đã cấp", "thu nhận"))
    assert (m.indicator_id, m.matched_by, m.stance) == ("cccd.applications", "heading", "result")
    (m,) = classify_text(text.replace("Căn cước công dân", "kiểm tra"))
    assert m.matched_by == "phrase"


def test_figures_nothing_matches_keep_a_whole_phrase_of_their_own_words():
    # the label figures gives these ("tử mức 2, đã kích hoạt", "Hội Cựu chiến binh") is not what they count
    (m,) = classify_text("Chuyển 01 hồ sơ vụ việc có dấu hiệu tội phạm sang cơ quan Cảnh sát điều tra")
    assert (m.indicator, m.indicator_id, m.matched_by) == ("hồ sơ vụ việc", None, "phrase")
    (m,) = classify_text("Các cụm công nghiệp hiện có 234 dự án, cơ sở sản xuất thứ cấp")
    assert m.indicator == "dự án"
    (m,) = classify_text("tỷ lệ lấp đầy bình quân đạt trên 30%.")
    assert m.indicator == "tỷ lệ lấp đầy bình quân"
    # lc-bc-vp-ccn: a label that is a piece of a list of places is not a name of what is measured
    text = ("một số cụm có tỷ lệ lấp đầy cao như Đầm Hồng, Bắc Duyên Hải, Đông Phố Mới, Sơn Mãn (100%), "
            "Bắc Văn Yên (88,05%)")
    assert [m.indicator for m in classify_text(text)] == ["tỷ lệ", "tỷ lệ"]
    assert phrase_for("count", "máy", "Máy  Scanner", "", "") == "máy"
    assert normalise_label("Hồ sơ cấp CCCD:") == normalise_label("hồ sơ cấp CCCD") == "hồ sơ cấp cccd"
    assert normalise_label("  ") is None


@pytest.mark.parametrize(("sentence", "stance"), [
    ("1. Tập trung kích hoạt tài khoản định danh điện tử mức 2, phấn đấu đạt trên ", "target"),  # thach-lam
    ("Đánh giá tiến độ: So với chỉ tiêu ", "target"),  # son-tra-2024: "So với chỉ tiêu 80% UBND tỉnh giao"
    ("So với chỉ tiêu 30% do UBND tỉnh giao thì toàn xã có đạt chỉ tiêu ", "result"),  # son-tra-2024: 27%
    ("tổng số tiền đầu tư dự kiến khoảng ", "plan"),
    ("6. Thực hiện chi trả không dùng tiền mặt tối thiểu ", "target"),
    ("Trong năm, đã thu nhận ", "result"),
    ("tỷ lệ hồ sơ trực tuyến toàn trình đạt ", "result"),  # "đạt" alone says nothing
    ("4. Tiếp tục thúc đẩy, nâng cao tỉ lệ người dân tham gia ", "plan"),
])
def test_stance_from_the_words_before_the_figure(sentence, stance):
    assert stance_for(sentence) == stance


def test_a_plan_heading_makes_its_figures_plans_unless_their_sentence_says_otherwise():
    text = ("IV. NHIỆM VỤ TRỌNG TÂM NĂM 2025\n1. Triển khai thu nhận 500 hồ sơ cấp Căn cước cho học sinh.\n"
            "2. Duy trì các tổ hướng dẫn (đã có 1.733 tổ hướng dẫn được thành lập).")
    assert [m.stance for m in classify_text(text)] == ["plan", "result"]


def test_contexts_stop_at_the_sentence_and_the_next_figure():
    text = "Năm 2023. Đã thu nhận: 10.260 hồ sơ cấp CCCD và 25.728 hồ sơ xác thực, còn lại"
    a, b = text.index("10.260"), text.index("25.728")
    c1, c2 = contexts(text, [(a, a + 12), (b, b + 12)], Headings.of(text))
    assert (c1.before, c1.after) == (" Đã thu nhận: ", " cấp CCCD và ")
    assert (c2.before, c2.after) == (" Đã thu nhận: 10.260 hồ sơ cấp CCCD và ", " xác thực")


def test_real_reports_grouped(tmp_path, shared_corpus):
    db = tmp_path / "ind.db"
    ingest([shared_corpus / "docx"], db)
    conn = sqlite3.connect(db)
    built_by_ingest = conn.execute("select count(*) from indicators").fetchone()[0]
    counts = refresh_derived(db)
    assert counts["indicators"] == built_by_ingest == conn.execute("select count(*) from figures").fetchone()[0]
    rows = conn.execute(
        "select d.file_name, f.text from indicators i join figures f on f.id = i.figure_id "
        "join documents d on d.id = i.document_id where i.indicator_id in ('cccd.applications', 'cccd.issued')"
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
