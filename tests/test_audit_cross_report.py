"""Cross-report conflicts of local documents, through ingest (corpus/cross_report/, constructed reports of two
districts of Quảng Ngãi and one of Bình Định that reuse the numbers "245/KH-CAH" and "12-CT/TU").

The dates below were written into the reports by hand (corpus/README.md, "Cross-report samples"): 245/KH-CAH is
12/3/2024 in the Bình Sơn police report and 21/3/2024 in the Bình Sơn People's Committee report (one district:
a conflict), 02/02/2024 in Sơn Tịnh and 28/3/2024 in Tuy Phước (other districts' own plans of that number: no
conflict); the provincial directive 12-CT/TU is 05/01/2024 in Bình Sơn and 15/01/2024 in Sơn Tịnh (one province:
a conflict), 22/02/2024 in Tuy Phước (Bình Định's own directive: no conflict).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.run.ingest import ingest

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "cross_report"


def _findings(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT kind, document_id, key, text, message, message_en FROM findings "
                            "WHERE document_id IS NULL ORDER BY key").fetchall()
    finally:
        conn.close()


def _check(rows: list[tuple]) -> None:
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("citation_date_conflict", None, "12-CT/TU", "05/01/2024, 15/01/2024"),
        ("citation_date_conflict", None, "245/KH-CAH", "12/03/2024, 21/03/2024"),
    ]
    directive, plan = rows
    # the province's two districts, named; Bình Định's 22/02/2024 is not part of it
    assert "Tỉnh Quảng Ngãi" in directive[4] and "binh-son-cong-an-quy-1-2024.txt" in directive[4]
    assert "son-tinh-cong-an-quy-1-2024.txt" in directive[4] and "22/02/2024" not in directive[4]
    # one district's two reports; Sơn Tịnh's and Tuy Phước's own 245/KH-CAH are not part of it
    assert "Huyện Bình Sơn / Tỉnh Quảng Ngãi" in plan[4]
    assert "binh-son-ubnd-6-thang-2024.txt" in plan[4] and "02/02/2024" not in plan[4] and "28/03/2024" not in plan[4]
    assert plan[5].startswith("245/KH-CAH")


def test_local_conflicts_through_the_ingest_api(tmp_path: Path) -> None:
    db = tmp_path / "cross.db"
    summary = ingest([SAMPLES], db, jobs=1)
    assert summary.errors == 0
    _check(_findings(db))
    # per-report audits raise nothing on these reports
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM findings WHERE document_id IS NOT NULL").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0] == 4
    conn.close()


def test_local_conflicts_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "cross.db"
    result = CliRunner().invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert result.exit_code == 0, result.output
    _check(_findings(db))


@pytest.mark.parametrize("left_out", ["binh-son-ubnd-6-thang-2024.txt", "son-tinh-cong-an-quy-1-2024.txt"])
def test_no_conflict_between_different_places(tmp_path: Path, left_out: str) -> None:
    """Without the second Bình Sơn report, 245/KH-CAH is cited by three districts with three dates: no conflict;
    without Sơn Tịnh, 12-CT/TU is cited by one Quảng Ngãi district and one of Bình Định: no conflict."""
    files = [p for p in sorted(SAMPLES.glob("*.txt")) if p.name != left_out]
    db = tmp_path / "cross.db"
    ingest(files, db, jobs=1)
    keys = [r[2] for r in _findings(db)]
    assert keys == (["12-CT/TU"] if left_out.startswith("binh-son-ubnd") else ["245/KH-CAH"])
