"""Audits (domain.md §8): the real problems of the corpus are found, and nothing is raised for right figures."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from extractor.audit import (
    audit_corpus,
    audit_document,
    citation_findings,
    corpus_date_conflicts,
    part_whole_in_text,
    ratio_findings,
    table_findings,
)
from extractor.extract.citations import extract_citations
from extractor.extract.figures import extract_figures, figures_in_text
from extractor.extract.footnote_lists import footnote_counts
from extractor.model import Citation, Document, Finding, ReportMetadata, Table
from extractor.pipeline import read
from tests.conftest import REPORTS

# --- ratio_mismatch -------------------------------------------------------------------------------------------


def test_ratio_mismatch_message() -> None:
    [finding] = ratio_findings(figures_in_text("khám chữa bệnh bằng thẻ CCCD/CC là 156/168, đạt tỷ lệ 97%."))
    assert finding.kind == "ratio_mismatch" and finding.severity == "error"
    assert finding.message_en.startswith("Stated 97% but 156/168 = 92.9%")
    assert finding.message.startswith("Ghi 97% nhưng 156/168 = 92,9%")


@pytest.mark.parametrize(
    "text",
    [
        "Số hóa kết quả giải quyết hồ sơ: 772/774, tỷ lệ số hóa 99.74%",  # 99.742
        "Sở Lao động Thương binh và Xã hội (178/1.655, đạt 10.7%)",  # 10.755 truncated
        "$168.411 / 83.838 = 200,87\\%$ so với chỉ tiêu Bộ giao",  # 200.876 truncated, over 100% is real
        "qua tài khoản 01/09(tỷ lệ 11%)",
        "Đã thực hiện chi trả không dùng tiền mặt 00/00 người có công đạt 00%.",  # nothing to compute
        "đã làm 1191/1239 hồ sơ cấp Căn cước cho công dân dưới 14 tuổi đạt tỷ lệ 96%",
    ],
)
def test_right_ratios_raise_nothing(text: str) -> None:
    assert ratio_findings(figures_in_text(text)) == []


# --- part_whole_mismatch --------------------------------------------------------------------------------------


def test_parenthetical_breakdown_that_does_not_add_up() -> None:
    text = (
        "- Số CCCD trong độ tuổi cấp năm 2022: 10.704 hồ sơ. Đã cấp 7.570 hồ sơ CCCD (6.627 cấp mới, 468 cấp đổi, "
        "473 cấp lại); còn lại 3.134 hồ sơ. Trong đó, nhận 00 hồ sơ trực tuyến."
    )
    [(_, _, message)] = part_whole_in_text(text)
    assert "add up to 7.568 but the total says 7.570" in message


@pytest.mark.parametrize(
    ("right", "wrong"),
    [
        (
            "thủ tục đăng ký thường trú: 13 hồ sơ (trong đó, đã trả kết quả: 03 hồ sơ; chưa trả kết quả: 01 hồ sơ; "
            "chưa phân loại: 09 hồ sơ).",
            ("13 hồ sơ", "14 hồ sơ"),
        ),
        (
            "Có 13 nhiệm vụ, trong đó: Có 12 nhiệm vụ phải triển khai thực hiện trong năm 2022, 01 nhiệm vụ phải triển "
            "khai thực hiện trong năm 2023.",
            ("Có 13", "Có 15"),
        ),
        (
            "Trên địa bàn thành phố có 62.989 trường hợp trong độ tuổi cấp CCCD. Đã cấp CCCD: 53.061 trường hợp "
            "(từ khi triển khai cấp CCCD), còn lại chưa cấp 9.928 trường hợp.",
            ("9.928", "9.929"),
        ),
        (
            "Đã nhận 10.706 số thẻ CCCD và chuyển 9.757 thẻ CCCD cho công dân, còn lại 949 nguyên nhân tồn",
            ("949", "948"),
        ),
        ("cho 53.852 trường hợp/53.883 chỉ tiêu Bộ Công an giao, đạt 99.94%, còn lại 31 trường hợp", ("31", "30")),
        ("Đã triển khai tại địa phương 23/25 DVC, còn 02 DVC liên thông chưa thực hiện", ("02 DVC", "03 DVC")),
        ("Huyện Lâm Bình: 11/11 đơn vị (01 trung tâm y tế, 02 phòng khám đa khoa, 08 trạm y tế)", ("08", "07")),
    ],
)
def test_breakdowns_from_the_corpus(right: str, wrong: tuple[str, str]) -> None:
    assert part_whole_in_text(right) == []
    assert len(part_whole_in_text(right.replace(*wrong))) == 1


@pytest.mark.parametrize(
    "text",
    [
        # the total of "trong đó" is 46 Tổ / 193 thành viên, split over two sentences and two units
        "Thành lập 46 Tổ công tác, có 193 thành viên; trong đó, xã, phường có 06 Tổ, 43 thành viên. Ấp, khu vực có "
        "40 Tổ, 150 thành viên.",
        # "90 ngày" is not the total of the parenthesis
        "thời gian giao chỉ có 90 ngày, dậm (chỉ tiêu kích hoạt tài khoản định danh điện tử mức 2: 83.838 trường hợp; "
        "chỉ tiêu kích hoạt tài khoản định danh điện tử Mức 1, Mức 2: 686.085 trường hợp)",
        # enumerated remainders, no total
        "(1) còn 17.774 trường hợp không có CCCD; (2) còn 4.323 trường hợp sai định dạng; (3) còn 46.863 trường hợp",
        "Số hồ sơ CC02 đã nộp về PC06 18.224 hồ sơ, còn lại 33.554 hồ sơ.",
    ],
)
def test_not_breakdowns(text: str) -> None:
    assert part_whole_in_text(text) == []


# --- table_total_mismatch -------------------------------------------------------------------------------------


def _tuyen_quang_table(shared_corpus: Path) -> Table:
    doc = read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    return next(t for t in doc.tables if any(r and r[0] == "Tổng số" for r in t.rows))


def test_table_totals(shared_corpus: Path) -> None:
    table = _tuyen_quang_table(shared_corpus)
    assert table_findings(table) == []  # the "Tổng số" row of section I adds up in every column
    rows = [list(r) for r in table.rows]
    i = next(i for i, r in enumerate(rows) if r[1].startswith("Đăng ký thương"))
    rows[i][6] = "12,713"  # one more online application than the total counts
    [finding] = table_findings(Table(index=table.index, rows=rows))
    assert finding.kind == "table_total_mismatch"
    assert "add up to 25.373 but the total says 25.372" in finding.message_en


# --- citations ------------------------------------------------------------------------------------------------


def _cit(key: str, when: date | None, text: str, doc_type: str = "Quyết định") -> Citation:
    return Citation(doc_type=doc_type, text=text, start=0, end=len(text), key=key, issued_date=when)


def test_citation_date_conflict_within_a_report() -> None:
    doc = Document(format="docx", metadata=ReportMetadata())
    cits = [
        _cit("422/QĐ-TTg", date(2022, 4, 4), "Quyết định số 422/QĐ-TTg, ngày 04/4/2022"),
        _cit("422/QĐ-TTg", date(2023, 4, 4), "Quyết định 422/QĐ-TTg, ngày 04/4/2023"),
        _cit("422/QĐ-TTg", date(2022, 4, 4), "Quyết định 422/QĐ-TTg, ngày 4/4/2022"),
    ]
    kinds = sorted(f.kind for f in citation_findings(doc, cits))
    assert kinds == ["citation_contradicts_registry", "citation_date_conflict"]


def test_citation_after_report_and_registry_type() -> None:
    doc = Document(format="docx", metadata=ReportMetadata(issued_date=date(2023, 1, 8)))
    cits = [
        _cit("08/TTr-CAT-QLHC", date(2023, 1, 1), "Tờ trình số 08/TTr-CAT-QLHC ngày 01/01/2023", "Tờ trình"),
        _cit("99/KH-UBND", date(2023, 2, 1), "Kế hoạch số 99/KH-UBND ngày 01/02/2023", "Kế hoạch"),
        _cit("05/CT-TTg", date(2023, 2, 23), "Quyết định số 05/CT-TTg", "Quyết định"),
    ]
    findings = citation_findings(doc, cits)
    assert [(f.kind, f.key) for f in findings] == [
        ("citation_after_report", "99/KH-UBND"),
        ("citation_after_report", "05/CT-TTg"),
        ("citation_contradicts_registry", "05/CT-TTg"),
    ]
    assert "is a Chỉ thị, but this report calls it a Quyết định" in findings[2].message_en


def test_cross_report_conflicts_only_between_reports_and_central_documents() -> None:
    rows = [
        ("a", "06/QĐ-TTg", date(2022, 1, 6)),
        ("b", "06/QĐ-TTg", "2022-01-18"),
        ("a", "06/QĐ-TTg", date(2022, 1, 6)),
        ("a", "04/UBND", date(2023, 1, 3)),
        ("b", "04/UBND", date(2022, 5, 1)),  # two different local documents
        ("c", "422/QĐ-TTg", date(2022, 4, 4)),
        ("c", "422/QĐ-TTg", date(2023, 4, 4)),  # one report's own conflict
    ]
    [finding] = corpus_date_conflicts(rows, {"a": "binh-son.docx", "b": "nga-bay.docx"})
    assert finding.document_id is None and finding.key == "06/QĐ-TTg"
    assert "06/01/2022 in binh-son.docx; 18/01/2022 in nga-bay.docx" in finding.message_en
    assert "registry gives 06/01/2022" in finding.message_en


# --- the real reports, end to end -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def audited(shared_corpus: Path) -> dict[str, tuple[Document, list, list[Finding]]]:
    out = {}
    for name in REPORTS:
        doc = read(shared_corpus / "docx" / f"{name}.docx")
        cits = extract_citations(doc)
        findings = audit_document(doc, extract_figures(doc), cits, footnote_counts(doc, cits), document_id=name)
        out[name] = (doc, cits, findings)
    return out


def test_exactly_the_real_problems_are_found(audited) -> None:
    got = {name: sorted((f.kind, f.key) for f in findings) for name, (_, _, findings) in audited.items()}
    assert got == {
        "binh-son-6-thang-2023": [("footnote_count_mismatch", None)],
        "de-cuong-so-ket-lam-dong-2023": [
            ("citation_contradicts_registry", "422/QĐ-TTg"),
            ("citation_date_conflict", "422/QĐ-TTg"),
        ],
        "nga-bay-2022": [("citation_contradicts_registry", "06/QĐ-TTg"), ("part_whole_mismatch", None)],
        # "00/00" left in seven items of II.2.2 and II.4 ("chi trả không dùng tiền mặt … 00/00, tỷ lệ 00%")
        "son-tra-2024": [("placeholder_figure", None)] * 7 + [("ratio_mismatch", None)],
        "tuyen-quang-cao-diem-2023": [],
    }


def test_footnote_that_claims_30_cong_van(audited) -> None:
    [finding] = audited["binh-son-6-thang-2023"][2]
    assert "claims 30 công văn" in finding.message_en and "footnote 4 lists 21" in finding.message_en


def test_real_messages(audited) -> None:
    messages = {f.kind: f.message_en for _, _, fs in audited.values() for f in fs}
    assert messages["ratio_mismatch"].startswith("Stated 97% but 156/168 = 92.9%")
    assert "7.570" in messages["part_whole_mismatch"] and "7.568" in messages["part_whole_mismatch"]
    assert "04/04/2022" in messages["citation_date_conflict"] and "04/04/2023" in messages["citation_date_conflict"]


def test_06_qd_ttg_across_reports(audited, tmp_path: Path) -> None:
    rows = [(name, c.key, c.issued_date) for name, (_, cits, _) in audited.items() for c in cits]
    conflicts = corpus_date_conflicts(rows, {name: name for name in audited})
    assert [f.key for f in conflicts] == ["06/QĐ-TTg"]
    assert "06/01/2022 in binh-son-6-thang-2023" in conflicts[0].message_en
    assert "18/01/2022 in nga-bay-2022" in conflicts[0].message_en
    # the same through a database
    db = tmp_path / "docmine.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, path TEXT, file_name TEXT)")
        conn.execute("CREATE TABLE citations (document_id TEXT, key TEXT, issued_date TEXT)")
        conn.executemany("INSERT INTO documents VALUES (?, ?, ?)", [(n, n, f"{n}.docx") for n in audited])
        conn.executemany(
            "INSERT INTO citations VALUES (?, ?, ?)", [(d, k, w.isoformat() if w else None) for d, k, w in rows]
        )
    [finding] = audit_corpus(db)
    assert "nga-bay-2022.docx" in finding.message


def test_format_findings_groups_by_report_and_kind(audited) -> None:
    by_doc = {name: findings for name, (_, _, findings) in audited.items()}
    console = Console(record=True, width=200)
    from extractor.cli import format_findings

    rows = [{"report": name, **vars(f)} for name, fs in by_doc.items() for f in fs]
    console.print(format_findings(rows))
    out = console.export_text()
    assert "son-tra-2024 — 8 phát hiện" in out and "ratio_mismatch" in out
    assert "tuyen-quang" not in out  # no table for a report without findings


# --- the project's own corpus, every format ---------------------------------------------------------------------

OWN_FINDINGS = {
    # planted (corpus/README.md): the police report's 45.210 hồ sơ whose parts add to 45.190; the district's
    # "45/50 …, đạt 95%", "05 công văn" with 4 listed, and 06/QĐ-TTg dated 18/01/2022; the commune: nothing
    "cong-an-tinh-an-khang-2023": ["part_whole_mismatch"],
    "huyen-thach-lam-quy-1-2024": ["citation_contradicts_registry", "footnote_count_mismatch", "ratio_mismatch"],
    "xa-my-thanh-dong-6-thang-2024": [],
}


@pytest.mark.parametrize("ext", ["docx", "pdf", "md"])
@pytest.mark.parametrize("name", sorted(OWN_FINDINGS))
def test_own_corpus_planted_findings(own_corpus: Path, name: str, ext: str) -> None:
    """Exactly the planted problems, in each format. In the PDF the commune's statistics table is cut by a page
    break (rows 1-3 on page 2, rows 4-6 and "Tổng số" on page 3): its total must be checked against all six rows."""
    doc = read(own_corpus / "reports" / f"{name}.{ext}")
    citations = extract_citations(doc)
    findings = audit_document(doc, extract_figures(doc), citations, footnote_counts(doc, citations))
    assert sorted(f.kind for f in findings) == OWN_FINDINGS[name]
    if name == "cong-an-tinh-an-khang-2023":
        assert "add up to 45.190 but the total says 45.210" in findings[0].message_en
