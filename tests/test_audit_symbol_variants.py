"""citation_symbol_variant: one document whose number and symbol a report writes two ways, or with another year.

The sentences are real: lc-tb-sanbang.doc (../shared/corpus/real/, pages 2, 5, 6, 10 and 11 of its LibreOffice PDF
read by eye) writes "Nghị định số 175/2024/NĐ-CP ngày 30/12/2024" some forty times and, on page 5, twice
"khoản 2 Điều 45 Nghị định số 175/2025/NĐ-CP" with no date; it writes "Báo cáo … số 1327/TVM-XD ngày 28/11/2025" on
pages 2, 5, 6 and 10 and "Văn bản thẩm tra số 1327 TVM.XD" on page 11. The citation records below are the ones the
extractor makes (key, raw text); the negatives are documents that only share a number.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extractor.audit.citations import citation_findings, symbol_variants, written_symbol, year_variants
from extractor.model import Citation, Document
from extractor.pipeline import extract_all, read


def _cit(key: str | None, text: str, when: date | None = None, *, doc_type: str = "Nghị định", start: int = 0,
         subject: str | None = None) -> Citation:
    number, _, symbol = (key or "").partition("/")
    return Citation(doc_type=doc_type, text=text, start=start, end=start + len(text), key=key, number=number or None,
                    symbol=symbol or None, issued_date=when, subject=subject)


def _doc(*citations: Citation) -> tuple[Document, list[Citation]]:
    """A document whose text holds the mentions one per line, each citation placed at its mention."""
    text, placed = "", []
    for c in citations:
        text += ("\n" if text else "")
        placed.append(Citation(**{**c.__dict__, "start": len(text), "end": len(text) + len(c.text)}))
        text += c.text
    return Document(format="docx", text=text), placed


D175 = "Nghị định số 175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ"
D175_DATED = _cit("175/2024/NĐ-CP", D175, date(2024, 12, 30))
D175_UNDATED = _cit("175/2024/NĐ-CP", "Nghị định số 175/2024/NĐ-CP")
ODD_YEAR = ("(Liệt kê các văn bản pháp lý có liên quan trong hồ sơ trình theo quy định tại khoản 2 Điều 45 Nghị "
            "định số 175/2025/NĐ-CP)")


# --- another year in the symbol ------------------------------------------------------------------------------------


def test_decree_cited_with_another_year() -> None:
    odd = _cit("175/2025/NĐ-CP", "Nghị định số 175/2025/NĐ-CP")
    doc, cits = _doc(D175_DATED, D175_UNDATED, D175_DATED, odd, odd)
    [finding] = citation_findings(doc, cits)
    assert finding.kind == "citation_symbol_variant" and finding.severity == "warning"
    assert finding.message == (
        "Nghị định 175/2025/NĐ-CP (2 lần, không ghi ngày) trùng số, loại và cơ quan ban hành với 175/2024/NĐ-CP "
        "ngày 30/12/2024 (trích dẫn 3 lần): kiểm tra năm trong số ký hiệu tại “Nghị định số 175/2025/NĐ-CP”.")
    assert finding.message_en == (
        "Nghị định 175/2025/NĐ-CP (2 mentions, undated) has the number, type and issuer of 175/2024/NĐ-CP of "
        "30/12/2024 (cited 3 times): check the year of its symbol in “Nghị định số 175/2025/NĐ-CP”.")
    assert finding.text == "Nghị định số 175/2025/NĐ-CP" and finding.key == "175/2025/NĐ-CP"
    assert finding.citations == ["Nghị định số 175/2025/NĐ-CP", D175]


def test_the_quote_shows_the_words_before_the_mention() -> None:
    doc = Document(format="docx", text=D175 + "\n" + ODD_YEAR)
    dated = _cit("175/2024/NĐ-CP", D175, date(2024, 12, 30))
    mention = "Nghị định số 175/2025/NĐ-CP"
    start = doc.text.index(mention)
    odd = _cit("175/2025/NĐ-CP", mention, start=start)
    [finding] = year_variants([dated, dated, odd], doc)
    assert finding.message.endswith("tại “…lý có liên quan trong hồ sơ trình theo quy định tại khoản 2 Điều 45 "
                                    "Nghị định số 175/2025/NĐ-CP”.")


@pytest.mark.parametrize(
    "cits",
    [
        # two different documents that share a number: another issuer (06/QĐ-TTg, the Đề án 06, and a province's
        # 06/QĐ-UBND), with and without the year in the symbol
        [_cit("06/QĐ-TTg", "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ", date(2022, 1, 6),
              doc_type="Quyết định"),
         _cit("06/QĐ-UBND", "Quyết định số 06/QĐ-UBND của UBND tỉnh", doc_type="Quyết định")],
        [_cit("06/2022/QĐ-TTg", "Quyết định số 06/2022/QĐ-TTg ngày 06/01/2022", date(2022, 1, 6),
              doc_type="Quyết định"),
         _cit("06/2023/QĐ-UBND", "Quyết định số 06/2023/QĐ-UBND", doc_type="Quyết định")],
        # the same number, type and issuer in two years, each dated in its own year: two decrees
        [_cit("06/2021/NĐ-CP", "Nghị định số 06/2021/NĐ-CP ngày 26/01/2021 của Chính phủ", date(2021, 1, 26)),
         _cit("06/2022/NĐ-CP", "Nghị định số 06/2022/NĐ-CP ngày 07/01/2022 của Chính phủ", date(2022, 1, 7))],
        # the other year cited as often as the dated one: nothing says which is usual
        [D175_DATED, _cit("175/2025/NĐ-CP", "Nghị định số 175/2025/NĐ-CP")],
        # neither year confirmed by a date or the registry
        [D175_UNDATED, D175_UNDATED, _cit("175/2025/NĐ-CP", "Nghị định số 175/2025/NĐ-CP")],
        # the other year has a subject of its own: another document
        [D175_DATED, _cit("175/2024/NĐ-CP", D175, date(2024, 12, 30), subject="quy định chi tiết một số điều và biện "
                          "pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng"),
         _cit("175/2025/NĐ-CP", "Nghị định số 175/2025/NĐ-CP về quản lý chất thải rắn",
              subject="quản lý chất thải rắn")],
        # the same document without its year (domain.md §2: 142/NQ-HĐND is 142/2022/NQ-HĐND)
        [_cit("142/2022/NQ-HĐND", "Nghị quyết số 142/2022/NQ-HĐND ngày 09/12/2022", date(2022, 12, 9),
              doc_type="Nghị quyết"),
         _cit("142/NQ-HĐND", "Nghị quyết số 142/NQ-HĐND", doc_type="Nghị quyết")],
    ],
)
def test_documents_that_only_share_a_number(cits: list[Citation]) -> None:
    doc, placed = _doc(*cits)
    assert [f.kind for f in citation_findings(doc, placed)] == []


def test_other_year_with_a_date_is_a_year_mismatch_only() -> None:
    # "Nghị định số 175/2025/NĐ-CP ngày 30/12/2024": the date names the 2024 decree; one finding says so
    odd = _cit("175/2025/NĐ-CP", "Nghị định số 175/2025/NĐ-CP ngày 30/12/2024", date(2024, 12, 30))
    doc, cits = _doc(D175_DATED, D175_DATED, odd)
    assert [f.kind for f in citation_findings(doc, cits)] == ["citation_year_mismatch"]


# --- one key written two ways ------------------------------------------------------------------------------------

REPORT_1327 = ("Báo cáo kết quả thẩm tra TKBVTC - DT số 1327/TVM-XD ngày 28/11/2025 của Công ty cổ phần Tư vấn đầu "
               "tư mỏ và công nghiệp - Vinacomin")
THAM_TRA_1327 = "Kết quả thể hiện tại Văn bản thẩm tra số 1327 TVM.XD"


@pytest.mark.parametrize(("key", "text", "written"), [
    ("1327/TVM-XD", REPORT_1327, "1327/TVM-XD"),
    ("1327/TVM-XD", THAM_TRA_1327, "1327 TVM.XD"),
    ("55/KH-UBND", "Kế hoạch số 55 /KH-UBND ngày 12/3/2023", "55/KH-UBND"),  # a stray space is no way of writing it
    ("05/CT-TTg", "Chỉ thị 05/CT- TTg", "05/CT-TTg"),
    ("50/2014/QH13", "Luật Xây dựng năm 2014", None),  # a law by its name spells no symbol
])
def test_written_symbol(key: str, text: str, written: str | None) -> None:
    assert written_symbol(_cit(key, text)) == written


def test_one_key_written_two_ways_from_the_citation_records() -> None:
    # the extractor reads "1327 TVM.XD" into the key 1327/TVM-XD and keeps the raw text
    report = _cit("1327/TVM-XD", REPORT_1327, date(2025, 11, 28), doc_type="Báo cáo")
    odd = _cit("1327/TVM-XD", "Văn bản thẩm tra số 1327 TVM.XD", doc_type="Văn bản")
    doc, cits = _doc(report, report, report, report, odd)
    [finding] = citation_findings(doc, cits)
    assert finding.kind == "citation_symbol_variant"
    assert finding.message == (
        "Cùng một văn bản được ghi số, ký hiệu theo 2 cách: “1327/TVM-XD” (4 lần), “1327 TVM.XD” (1 lần tại “Văn "
        "bản thẩm tra số 1327 TVM.XD”); thống nhất theo đúng thể thức (Nghị định 30/2020/NĐ-CP).")
    assert finding.message_en == (
        "One document's number and symbol are written 2 ways: “1327/TVM-XD” (4 times), “1327 TVM.XD” (1 time in “Văn "
        "bản thẩm tra số 1327 TVM.XD”); write it one way, as Nghị định 30/2020/NĐ-CP prescribes.")
    assert finding.text == "Văn bản thẩm tra số 1327 TVM.XD" and finding.key == "1327/TVM-XD"


def test_two_keys_that_differ_in_punctuation() -> None:
    # the example: "66.2.2025/NQ-CP" beside "66.2/2025/NQ-CP", each read as written
    doc, cits = _doc(_cit("66.2/2025/NQ-CP", "Nghị quyết số 66.2/2025/NQ-CP", doc_type="Nghị quyết"),
                     _cit("66.2/2025/NQ-CP", "Nghị quyết số 66.2/2025/NQ-CP", doc_type="Nghị quyết"),
                     _cit("66.2.2025/NQ-CP", "Nghị quyết số 66.2.2025/NQ-CP", doc_type="Nghị quyết"))
    [finding] = symbol_variants(cits, doc)
    assert finding.message.startswith("Cùng một văn bản được ghi số, ký hiệu theo 2 cách: “66.2/2025/NQ-CP” (2 lần), "
                                      "“66.2.2025/NQ-CP” (1 lần tại “Nghị quyết số 66.2.2025/NQ-CP”)")
    assert finding.text == "Nghị quyết số 66.2.2025/NQ-CP"


@pytest.mark.parametrize("texts", [
    # stray spaces and dashes (domain.md §3) are one way of writing it
    ["Kế hoạch số 55/KH-UBND ngày 12/3/2023", "Kế hoạch số 55 /KH-UBND", "Kế hoạch số 55/KH – UBND"],
    # a law by its name beside its number
    ["Luật Xây dựng số 50/2014/QH13", "Luật Xây dựng năm 2014", "luật xây dựng"],
])
def test_one_way_of_writing(texts: list[str]) -> None:
    key = "55/KH-UBND" if texts[0].startswith("Kế") else "50/2014/QH13"
    doc, cits = _doc(*(_cit(key, t, doc_type=t.split(" số")[0]) for t in texts))
    assert symbol_variants(cits, doc) == []


# --- the real document -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sanbang(shared_corpus: Path):
    return extract_all(read(shared_corpus / "real" / "lc-tb-sanbang.doc"))


def test_sanbang_decree_of_another_year(sanbang) -> None:
    [finding] = [f for f in sanbang.findings if f.kind == "citation_symbol_variant" and f.key == "175/2025/NĐ-CP"]
    assert finding.message.startswith("Nghị định 175/2025/NĐ-CP (2 lần, không ghi ngày) trùng số, loại và cơ quan "
                                      "ban hành với 175/2024/NĐ-CP ngày 30/12/2024 (trích dẫn ")
    assert "khoản 2 Điều 45 Nghị định số 175/2025/NĐ-CP”" in finding.message
