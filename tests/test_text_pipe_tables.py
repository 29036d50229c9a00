"""Pipe tables in markdown exports ("| a | b |" over "|---|---|"): the text parser gives the table model the DOCX
parser gives (rows of cell texts, one TABLE_CELL block per cell), so the table audits work on .md exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.audit import document_table_findings, text_table_findings
from extractor.extract.figures import extract_figures
from extractor.model import TABLE_CELL
from extractor.pipeline import read, read_bytes

REPORTS = Path(__file__).resolve().parent.parent / "corpus" / "reports"
NAMES = ["huyen-thach-lam-quy-1-2024", "xa-my-thanh-dong-6-thang-2024", "cong-an-tinh-an-khang-2023"]


def _data_tables(doc):
    return [t.rows for t in doc.tables if not t.is_header and len(t.rows) > 2]


@pytest.mark.parametrize("name", NAMES)
def test_markdown_table_is_the_docx_table(name: str) -> None:
    md, docx = read(REPORTS / f"{name}.md"), read(REPORTS / f"{name}.docx")
    assert _data_tables(md) == _data_tables(docx)
    [table] = [t for t in md.tables if len(t.rows) > 2]
    cells = [(b.row, b.col, b.text) for b in md.blocks if b.kind == TABLE_CELL and b.table == table.index]
    assert cells == [(r, c, text) for r, row in enumerate(table.rows) for c, text in enumerate(row) if text]


def test_thach_lam_table_as_read() -> None:
    # corpus/reports/huyen-thach-lam-quy-1-2024.md, section II.3, as printed in the PDF
    md = read(REPORTS / "huyen-thach-lam-quy-1-2024.md")
    [rows] = _data_tables(md)
    assert rows[0] == ["STT", "Đơn vị", "Hồ sơ Căn cước công dân", "Tài khoản mức 2 đã kích hoạt"]
    assert rows[2] == ["2", "Xã Thạch Bình", "864", "2.236"]
    assert rows[-1] == ["", "Tổng số", "4.310", "12.345"]
    assert "| Xã Thạch Bình |" not in md.text and "|---|" not in md.text


def test_table_audit_on_a_markdown_export() -> None:
    text = (REPORTS / "huyen-thach-lam-quy-1-2024.md").read_text(encoding="utf-8")
    assert "| 2 | Xã Thạch Bình | 864 | 2.236 |" in text
    wrong = text.replace("| 2 | Xã Thạch Bình | 864 | 2.236 |", "| 2 | Xã Thạch Bình | 846 | 2.236 |")
    doc = read_bytes(wrong.encode("utf-8"), "huyen-thach-lam-quy-1-2024.md")
    [finding] = document_table_findings(doc)
    assert finding.kind == "table_total_mismatch"
    assert finding.message == ("Bảng 2, dòng “Tổng số”, cột 3 (Hồ sơ Căn cước công dân): các dòng cộng lại được 4.292 "
                               "nhưng dòng tổng ghi 4.310; sửa dòng tổng hoặc các dòng số liệu.")


@pytest.mark.parametrize("name", NAMES)
def test_text_table_audit_agrees_with_docx(name: str) -> None:
    md, docx = read(REPORTS / f"{name}.md"), read(REPORTS / f"{name}.docx")
    assert text_table_findings(md, extract_figures(md)) == text_table_findings(docx, extract_figures(docx)) == []


def test_body_figure_against_a_markdown_table() -> None:
    text = (REPORTS / "huyen-thach-lam-quy-1-2024.md").read_text(encoding="utf-8")
    assert "đã kích hoạt 12.345 tài khoản" in text
    doc = read_bytes(text.replace("đã kích hoạt 12.345 tài khoản", "đã kích hoạt 12.354 tài khoản").encode(),
                     "huyen-thach-lam-quy-1-2024.md")
    [finding] = text_table_findings(doc, extract_figures(doc))
    assert "dòng “Tổng số”, cột “Tài khoản mức 2 đã kích hoạt”: 12.345" in finding.message


def test_cells_with_markup() -> None:
    data = ("**BÁO CÁO**\n\nKết quả như sau:\n\n"
            "| STT | Đơn vị | Ghi chú |\n"
            "|:---:|:-------|-------:|\n"
            "| 1 | **Xã Tân Lợi** | dòng một<br>dòng hai |\n"
            "| 2 | Ấp Mỹ Hòa \\| Mỹ Lợi |\n"
            "| | *Tổng số* | x |\n\n"
            "Đoạn sau bảng.\n").encode()
    doc = read_bytes(data, "t.md")
    [table] = [t for t in doc.tables if len(t.rows) > 2]
    assert table.rows == [["STT", "Đơn vị", "Ghi chú"], ["1", "Xã Tân Lợi", "dòng một\ndòng hai"],
                          ["2", "Ấp Mỹ Hòa | Mỹ Lợi", ""], ["", "Tổng số", "x"]]
    assert doc.blocks[-1].text == "Đoạn sau bảng." and doc.blocks[-1].kind != TABLE_CELL


@pytest.mark.parametrize("lines", [
    # no separator line: a paragraph that happens to hold pipes
    ["| a | b |", "| 1 | 2 |"],
    # a separator of another width
    ["| a | b | c |", "|---|---|", "| 1 | 2 | 3 |"],
    # a legal-portal header cell between lone "|" lines (real/tvpl-*.md)
    ["|", "**ỦY BAN NHÂN DÂN**", "|"],
])
def test_not_pipe_tables(lines: list[str]) -> None:
    doc = read_bytes(("**BÁO CÁO**\n\n" + "\n".join(lines) + "\n\nNội dung báo cáo.\n").encode(), "t.md")
    assert [t for t in doc.tables if not t.is_header and len(t.rows) > 1] == []


_CELL = st.text(alphabet=st.sampled_from("abcĐđăâêôơư0123456789.,% -()"), max_size=12).map(str.strip)


@given(st.integers(2, 5).flatmap(lambda w: st.lists(st.lists(_CELL, min_size=w, max_size=w), min_size=2,
                                                     max_size=6)))
def test_any_pipe_table_reads_back(rows: list[list[str]]) -> None:
    rows[0] = [f"Cột {j}" for j in range(len(rows[0]))]  # a header row of non-empty cells
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    doc = read_bytes(("**BÁO CÁO**\n\nBảng:\n\n" + "\n".join(lines) + "\n").encode(), "t.md")
    [table] = [t for t in doc.tables if t.rows and t.rows[0] == rows[0]]
    assert table.rows == rows
