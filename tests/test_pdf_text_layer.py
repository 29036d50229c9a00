"""The text-layer plausibility score (extractor/formats/pdf/textlayer.py, rules/text_layer.yaml): every page of every
real/ and corpus PDF, and strings that must and must not pass."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractor.formats.legacy import encode_tcvn3, encode_vni
from extractor.formats.pdf.textlayer import BROKEN, OK, REPAIRED, judge, judge_runs, score

ROOT = Path(__file__).resolve().parent.parent


def _pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _verdicts(path: Path) -> list[str | None]:
    return [judge(t).status if len(t.strip()) >= 16 else None for t in _pages(path)]


def test_no_good_page_of_the_corpus_pdfs_is_judged_broken(shared_corpus):
    # the project's own reports; corpus/real/ holds copies of ../shared/corpus/real/, judged page by page below
    paths = sorted((shared_corpus / "pdf").glob("*.pdf")) + sorted((ROOT / "corpus" / "reports").glob("*.pdf"))
    assert len(paths) >= 5
    for path in paths:
        verdicts = [v for v in _verdicts(path) if v is not None]
        assert verdicts and set(verdicts) == {OK}, path.name


def test_real_pdfs_pages(shared_corpus):
    real = shared_corpus / "real"
    got = {p.name: _verdicts(p) for p in sorted(real.glob("*.pdf"))}
    assert got == {
        "bct-cv1178-dck.pdf": [REPAIRED],  # "ƣ" for "ư"
        "bct-cv2265-atmt.pdf": [None, None, None],  # a scan: no text layer
        "hufi-kh753.pdf": [None, None, None, None],
        "lc-cv193-ubnd.pdf": [OK] * 4,
        "lc-cv6791-snnmt.pdf": [OK] * 4,
        "lc-cv7432-ubnd.pdf": [OK] * 2,
        "lc-tb1894-sct.pdf": [BROKEN, BROKEN],  # "7ӌ1+ L¿O CAI"
    }


GOOD = [
    "Công tác quản lý nhà nước về vật liệu nổ công nghiệp (VLNCN), tiền chất thuốc nổ (TCTN) thời gian vừa qua, "
    "đã được UBND tỉnh chỉ đạo triển khai và đạt được nhiều kết quả tích cực.",
    "KHUYẾN CÔNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 1178/ĐCK-CTT",
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%; khuyến nghị người dân sử dụng VNeID “định danh điện tử” mức 2.",
    # decomposed tone marks (NFD) and U+FFFE soft hyphens, as LibreOffice exports give them
    "Nga\u0303 Ba\u0309y thu\u031bc hie\u0323\u0302n \ufffe đe\u0300 a\u0301n 06 cu\u0309a Chi\u0301nh phu\u0309 "
    "tre\u0302n đi\u0323a ba\u0300n tha\u0300nh pho\u0302\u0301 nga\u0300y 15 tha\u0301ng 12 na\u0306m 2022.",
]
BAD = [
    "UBND 7ӌ1+ L¿O CAI &Ӝ1* H’A XÃ +Ӝ, &+Ӫ 1*+Ƭ$ 9,ӊ7 NAM 6Ӣ C‘NG THѬѪNG ĈӝF OұS - 7ӵ do - +ҥQK ph˙c",
    "trÍn ÿӏD b‡n WӍQK L‡o Cai v‡ .Ӄ KRҥFK NLӇP tra Vӕ .+Ĉ.7 ng‡y 10/3/2026 ÿm ÿѭӧF Gi·m ÿӕF 6ӣ CÙng 7KѭѫQJ",
    # Latin-1 text that is no legacy encoding either
    "Ãœber die Straße fährt ein Bär, während Götter schöne Lieder für Kinder singen, sagte Jürgen Müller gestern",
]


@pytest.mark.parametrize("text", GOOD)
def test_vietnamese_text_passes(text):
    assert judge(text).status == OK, score(text)


@pytest.mark.parametrize("text", BAD)
def test_garbage_does_not_pass(text):
    assert judge(text).status == BROKEN, score(text)


def test_the_u_horn_fault_is_repaired_only_where_its_characters_are():
    text = "BỘ CÔNG THƢƠNG hƣớng dẫn về công tác quản lý, nhƣ sau: Sở Công Thƣơng tỉnh Lào Cai đã đƣợc giao"
    verdict = judge(text)
    assert verdict.status == REPAIRED and verdict.fault == "u-horn-as-oi"
    assert verdict.fix(text) == text.replace("ƣ", "ư").replace("Ƣ", "Ư")
    assert verdict.score.alien > 0.004 and verdict.repaired is not None and verdict.repaired.alien == 0
    assert judge(GOOD[0]).fault is None


def test_syllable_structure_rejects_non_vietnamese_words():
    assert score("nghiệp khuyến thương quyết").syllables == 1.0
    assert score("strength qwerty blvd xyzzy").syllables == 0.0  # plain ASCII, not Vietnamese syllables
    assert score("UBND VLNCN KHTC").words == 0  # acronyms are not counted


SENTENCE = "Ủy ban nhân dân tỉnh Lào Cai báo cáo kết quả thực hiện nhiệm vụ trong năm, đề xuất giải pháp"


def test_legacy_font_codes_are_decoded_run_by_run():
    # a .VnTime run without a ToUnicode map reads "ñy ban nh©n d©n…"; the Unicode run beside it is left as it is
    runs = [encode_tcvn3(SENTENCE), "Số: 15/BC-UBND ngày 08 tháng 01 năm 2023 của Ủy ban nhân dân tỉnh"]
    verdict = judge_runs(runs)
    assert (verdict.status, verdict.fault) == (REPAIRED, "tcvn3")
    assert [verdict.fix(r) for r in runs] == [SENTENCE, runs[1]]
    vni = judge_runs([encode_vni(SENTENCE)])
    assert (vni.status, vni.fault) == (REPAIRED, "vni") and vni.fix(encode_vni(SENTENCE)) == SENTENCE


def test_a_pdf_in_a_legacy_font_reaches_the_text_decoded():
    """A PDF whose text layer holds TCVN3 codes (as a .VnTime font without ToUnicode gives them)."""
    import ctypes
    import io

    import pypdfium2.raw as pdfium_c

    from extractor.formats.pdf import parse

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    # (capitals with tone marks are TCVN3 codes 0x80-0x9F, which a WinAnsi test font cannot draw: lower case here)
    lines = ["Công an tỉnh Lào Cai báo cáo kết quả thực hiện nhiệm vụ trong năm, đề xuất giải pháp",
             "Tỉnh ủy, Hội đồng nhân dân tỉnh chỉ đạo triển khai thực hiện kế hoạch"]
    for k, line in enumerate(lines):
        obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 12.0)
        text = encode_tcvn3(line) + "\x00"
        pdfium_c.FPDFText_SetText(obj, (ctypes.c_ushort * len(text))(*map(ord, text)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, 760 - 20 * k)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    buf = io.BytesIO()
    pdf.save(buf)
    doc = parse(buf.getvalue(), "legacy.pdf")
    text = " ".join(b.original for b in doc.blocks)
    assert lines[0] in text and lines[1] in text
    assert doc.page_info[1]["text_layer"] == "repaired"
    assert any("tcvn3" in w for w in doc.warnings)
