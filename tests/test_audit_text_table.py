"""text_table_mismatch on the project's own reports (corpus/reports/*.docx): their body figures agree with their
statistics tables (hand-checked, corpus/README.md), and a body figure changed against its table is found."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from extractor.audit import text_table_findings
from extractor.extract.figures import extract_figures
from extractor.pipeline import read

REPORTS = Path(__file__).resolve().parent.parent / "corpus" / "reports"


@pytest.mark.parametrize("name", ["huyen-thach-lam-quy-1-2024", "xa-my-thanh-dong-6-thang-2024",
                                  "cong-an-tinh-an-khang-2023"])
def test_body_agrees_with_its_table(name: str) -> None:
    doc = read(REPORTS / f"{name}.docx")
    assert text_table_findings(doc, extract_figures(doc)) == []


def test_body_count_against_the_total_row() -> None:
    # "đã kích hoạt 12.345 tài khoản, chiếm tỷ lệ 49,78%" beside the table's "Tổng số | 4.310 | 12.345"
    doc = read(REPORTS / "huyen-thach-lam-quy-1-2024.docx")
    figures = [replace(f, numerator=12354.0) if f.numerator == 12345 else f for f in extract_figures(doc)]
    [finding] = text_table_findings(doc, figures)
    assert finding.kind == "text_table_mismatch" and "Tổng số" in finding.message and "12.345" in finding.message
    assert "Tài khoản mức 2 đã kích hoạt" in finding.message_en
