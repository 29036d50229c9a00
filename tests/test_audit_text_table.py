"""text_table_mismatch on the project's own reports (corpus/reports/*.docx): their body figures agree with their
statistics tables (hand-checked, corpus/README.md), and a body figure changed against its table is found."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph

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


# --- one sentence added to a real DOCX report ----------------------------------------------------------------------
# The sentences are written in the reports' own wording (corpus/sources/*.yaml) and put after a paragraph of the
# report by python-docx, in that paragraph's style; the report is then read as any DOCX is.

THACH_LAM = "huyen-thach-lam-quy-1-2024"  # quý I/2024; rows Thị trấn Thạch Lâm … Xã Tân Lợi, Tổng số 4.310 | 12.345
AN_KHANG = "cong-an-tinh-an-khang-2023"  # năm 2023; rows Thành phố An Khang … Huyện Vĩnh Xuân, Tổng số 45.210 | 312.540
MY_THANH_DONG = "xa-my-thanh-dong-6-thang-2024"  # 6 tháng đầu năm 2024; rows Ấp Mỹ Hòa … Ấp Đông Bình, Tổng 1.284


def _with_sentence(tmp_path: Path, name: str, after: str, sentence: str):
    d = docx.Document(str(REPORTS / f"{name}.docx"))
    anchor = next(p for p in d.paragraphs if p.text.startswith(after))
    new = copy.deepcopy(anchor._p)
    anchor._p.addnext(new)
    para = Paragraph(new, anchor._parent)
    for run in para.runs[1:]:
        run._r.getparent().remove(run._r)
    para.runs[0].text = sentence
    out = tmp_path / f"{name}.docx"
    d.save(str(out))
    doc = read(out)
    assert sentence.rstrip(";.") in doc.text
    return text_table_findings(doc, extract_figures(doc))


@pytest.mark.parametrize(
    ("name", "after", "sentence"),
    [
        # another commune's row, stated as the table gives it: that row is compared, not the total
        (THACH_LAM, "- Toàn huyện có 24.800", "- Xã Thạch Bình đã kích hoạt 2.236 tài khoản định danh điện tử mức 2;"),
        (AN_KHANG, "Thực hiện Nghị định số 59", "Huyện Phú Hòa đã kích hoạt 57.890 tài khoản định danh điện tử mức 2."),
        # a commune, or a district, that is not a row of the table: no row to compare, and not the total
        (THACH_LAM, "- Toàn huyện có 24.800",
         "- Xã Phú Lộc (huyện Phú Hòa) đã kích hoạt 1.530 tài khoản định danh điện tử mức 2;"),
        (THACH_LAM, "- Toàn huyện có 24.800",
         "- Huyện Phú Hòa đã kích hoạt 9.870 tài khoản định danh điện tử mức 2, cao hơn huyện ta;"),
        (MY_THANH_DONG, "2. Đẩy mạnh hướng dẫn", "3. Học tập ấp Mỹ An (xã Mỹ Thạnh Tây) đã thu nhận 310 hồ sơ Căn cước "
         "công dân."),
        # cumulative ("lũy kế", "đến nay") against the table of the period
        (THACH_LAM, "- Toàn huyện có 24.800",
         "- Lũy kế từ khi triển khai, toàn huyện đã kích hoạt 18.420 tài khoản định danh điện tử mức 2;"),
        (AN_KHANG, "- Lũy kế từ khi triển khai",
         "- Lũy kế đến nay, toàn tỉnh đã thu nhận 96.305 hồ sơ cấp Căn cước công dân."),
        # another period than the report's, the table's header naming none
        (THACH_LAM, "- Toàn huyện có 24.800", "- Năm 2023, toàn huyện đã kích hoạt 9.870 tài khoản định danh điện tử "
         "mức 2;"),
        # targets ("phấn đấu", "chỉ tiêu"), not results
        (THACH_LAM, "1. Tập trung kích hoạt",
         "2. Phấn đấu trong quý II/2024 kích hoạt thêm 15.000 tài khoản định danh điện tử mức 2."),
        (MY_THANH_DONG, "2. Đẩy mạnh hướng dẫn",
         "3. Phấn đấu 6 tháng cuối năm 2024 thu nhận 1.500 hồ sơ Căn cước công dân."),
        (AN_KHANG, "2. Tiếp tục làm sạch", "3. Phấn đấu năm 2024 kích hoạt 400.000 tài khoản định danh điện tử mức 2."),
    ],
)
def test_sentences_that_are_not_the_cell(tmp_path: Path, name: str, after: str, sentence: str) -> None:
    assert _with_sentence(tmp_path, name, after, sentence) == []


def test_total_of_the_report_against_the_total_row(tmp_path: Path) -> None:
    sentence = "- Toàn huyện Thạch Lâm đã kích hoạt 12.354 tài khoản định danh điện tử mức 2;"
    [finding] = _with_sentence(tmp_path, THACH_LAM, "- Toàn huyện có 24.800", sentence)
    assert finding.message == (
        "Số liệu 12.354 tài khoản (tài khoản định danh điện tử đã kích hoạt) trong câu “- Toàn huyện Thạch Lâm đã "
        "kích hoạt 12.354 tài khoản định danh điện tử mức 2” khác với Bảng 1, dòng “Tổng số”, cột “Tài khoản mức 2 "
        "đã kích hoạt”: 12.345; đối chiếu và sửa một trong hai.")
    assert finding.severity == "error"


def test_commune_against_its_own_row(tmp_path: Path) -> None:
    sentence = "- Xã Thạch Bình đã thu nhận 846 hồ sơ Căn cước công dân;"
    [finding] = _with_sentence(tmp_path, THACH_LAM, "- Toàn huyện có 24.800", sentence)
    assert finding.message == (
        "Số liệu 846 hồ sơ (hồ sơ cấp Căn cước thu nhận) trong câu “- Xã Thạch Bình đã thu nhận 846 hồ sơ Căn cước "
        "công dân” khác với Bảng 1, dòng “Xã Thạch Bình”, cột “Hồ sơ Căn cước công dân”: 864; đối chiếu và sửa một "
        "trong hai.")


def test_period_of_the_report_against_the_total_row(tmp_path: Path) -> None:
    sentence = "- Trong quý I/2024, toàn huyện đã thu nhận 4.301 hồ sơ Căn cước công dân;"
    [finding] = _with_sentence(tmp_path, THACH_LAM, "- Toàn huyện có 24.800", sentence)
    assert finding.message_en == (
        "4.301 hồ sơ (Căn cước card applications received) in “- Trong quý I/2024, toàn huyện đã thu nhận 4.301 hồ sơ "
        "Căn cước công dân” differs from table 1, row “Tổng số”, column “Hồ sơ Căn cước công dân”: 4.310; check which "
        "one is right.")
