"""Figures: ratios, percentages, counts and money with what they count (domain.md §5)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from extractor.extract.figures import extract_figures, figures_in_text
from extractor.model import Document, Figure
from extractor.pipeline import read
from tests.conftest import OWN_CORPUS, REPORTS


def _ratios(text: str) -> list[Figure]:
    return [f for f in figures_in_text(text) if f.kind == "ratio"]


def test_ratio_with_stated_percentage() -> None:
    [r] = _ratios(
        "- Trong năm, tổng số người khám chữa bệnh có thẻ BHYT là 168 người, trong đó, khám chữa bệnh bằng "
        "thẻ CCCD/CC là 156/168, đạt tỷ lệ 97%."
    )
    assert (r.numerator, r.denominator, r.stated_percent) == (156, 168, 97)
    assert r.value == pytest.approx(92.857, abs=1e-3)
    assert r.text == "156/168, đạt tỷ lệ 97%"
    assert r.label == "khám chữa bệnh bằng thẻ CCCD/CC"


def test_ratio_with_units_between_the_numbers() -> None:
    [r] = _ratios(
        "2.1. Tổ chức thu nhận hồ sơ cấp CCCD cho 53.852 trường hợp/53.883 chỉ tiêu Bộ Công an giao, "
        "đạt 99.94%, còn lại 31 trường hợp do công dân già yếu"
    )
    assert (r.numerator, r.denominator, r.stated_percent, r.unit) == (53852, 53883, 99.94, "trường hợp")


def test_latex_ratio_from_the_ocr_export() -> None:
    [r] = _ratios(
        "(1) Tính đến ngày 28/12/2022, tổng kích hoạt mức 2: $44.273 / 83.838$ chỉ tiêu giao, đạt tỉ lệ 52,81%."
    )
    assert (r.numerator, r.denominator, r.stated_percent) == (44273, 83838, 52.81)
    assert r.label == "tổng kích hoạt mức 2"


def test_date_lookalike_followed_by_a_percentage_is_a_ratio() -> None:
    [r] = _ratios(
        "- Thực hiện chi trả cho đối tượng hưởng lương hưu, hưởng trợ cấp bảo hiểm xã hội qua tài khoản "
        "01/09(tỷ lệ 11%)."
    )
    assert (r.numerator, r.denominator, r.stated_percent) == (1, 9, 11)


def test_date_lookalike_after_a_label_colon_is_a_ratio() -> None:
    [r] = _ratios("+ Xóa trùng thông tin: 06/12.")
    assert (r.numerator, r.denominator, r.label) == (6, 12, "Xóa trùng thông tin")


@pytest.mark.parametrize(
    "text",
    [
        "Công văn số 1232/CAH-QLHC, ngày 28/4/2023 về việc … trong đợt nghỉ lễ 30/4, 1/5 và Giỗ Tổ Hùng Vương 2023",
        "Tổ chức Hội nghị đánh giá kết quả thực hiện Đề án 06 trên địa bàn huyện quý I/2023;",
        "(tháng 12/2022 tỉ lệ DVC trong đăng ký khai sinh, khai tử, kết hôn tại Bộ phận một cửa đạt 100%)",
        "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ; Đề án 06/CP",
        "Chỉ thị số 29-CT/TU, ngày 24/4/2023 của Ban Thường vụ Tỉnh ủy; trực 24/7",
        "theo mức khoán 74 trường hợp/01 CBCS",  # a rate, not a ratio
        "tần suất phát sóng 1 tuần/1 lần",
        "(Kèm theo Công văn số           /STP-HCTP ngày      /     /2023)",
    ],
)
def test_not_ratios(text: str) -> None:
    assert _ratios(text) == []


def test_percentage_with_its_base_earlier_in_the_passage() -> None:
    text = (
        "- Kích hoạt định danh điện tử: Đã cấp tài khoản định danh mức 2 cho công dân 14 tuổi trở lên 3032. trong "
        "đó dã làm định danh mức 2: 2482 chiếm tỉ lệ 82%, đã kích hoạt định danh mức 2: 2269, đạt tỷ lệ 91,4%"
    )
    percents = [f for f in figures_in_text(text) if f.kind == "percent"]
    assert [(f.numerator, f.denominator, f.stated_percent) for f in percents] == [(2482, 3032, 82), (2269, 2482, 91.4)]


def test_counts_with_unit_and_label() -> None:
    counts = [f for f in figures_in_text("+ Hội Người cao tuổi: Đã cập nhật 20.505 trường hợp;") if f.kind == "count"]
    assert [(f.value, f.unit, f.label) for f in counts] == [(20505, "trường hợp", "Hội Người cao tuổi")]
    text = "Trong 6 tháng đầu năm, đã thu nhận: 10.260 hồ sơ cấp CCCD và 25.728 hồ sơ xác thực định danh điện tử mức 2"
    counts = [f for f in figures_in_text(text) if f.kind == "count"]
    assert [(f.value, f.unit) for f in counts] == [(10260, "hồ sơ"), (25728, "hồ sơ")]
    assert counts[0].label == "hồ sơ cấp CCCD"


def test_money_is_normalised_to_dong() -> None:
    money = [
        f
        for f in figures_in_text(
            "+ Bố trí 10 tỷ đồng để thực hiện công tác chuyển đổi số; bố trí 350 triệu cho Phòng Văn hóa; 1,5 tỷ đồng"
        )
        if f.kind == "money"
    ]
    assert [f.value for f in money] == [10_000_000_000, 350_000_000, 1_500_000_000]
    assert all(f.unit == "đồng" for f in money)


def test_no_figure_in_dates_document_numbers_or_section_numbers() -> None:
    text = "3.2.2.1. Đối với 25 dịch vụ công theo Quyết định số 422/QĐ-TTg, ngày 04/4/2022 của Thủ tướng Chính phủ"
    figs = figures_in_text(text)
    assert [(f.kind, f.value) for f in figs] == [("count", 25)]


# --- the real reports -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_docs(shared_corpus: Path) -> dict[str, Document]:
    return {name: read(shared_corpus / "docx" / f"{name}.docx") for name in REPORTS}


def _gold(name: str) -> Counter:
    data = yaml.safe_load((OWN_CORPUS / "gold" / "ratios" / f"{name}.yaml").read_text(encoding="utf-8"))
    return Counter((r["numerator"], r["denominator"], r["stated_percent"]) for r in data["ratios"] or [])


@pytest.mark.parametrize("name", REPORTS)
def test_docx_ratios_match_the_gold(docx_docs: dict[str, Document], name: str) -> None:
    """x/y ratios, and percentages whose base is stated earlier (gold entries with ``base_earlier: true``)."""
    got = Counter(
        (f.numerator, f.denominator, f.stated_percent)
        for f in extract_figures(docx_docs[name])
        if f.kind == "ratio" or (f.kind == "percent" and f.denominator is not None)
    )
    assert got == _gold(name)


def test_son_tra_percentages_with_their_base(docx_docs: dict[str, Document]) -> None:
    based = [f for f in extract_figures(docx_docs["son-tra-2024"]) if f.kind == "percent" and f.denominator]
    assert [(f.text, f.numerator, f.denominator) for f in based] == [
        ("2482 chiếm tỉ lệ 82%", 2482, 3032),
        ("2269, đạt tỷ lệ 91,4%", 2269, 2482),
    ]


# --- the speed-ups keep underthesea's answers and the patterns' meaning -----------------------------------------


def test_labels_are_tagged_with_underthesea_bundled_models(docx_docs: dict[str, Document]) -> None:
    """The noun phrase after a number comes from underthesea's public pos_tag (extractor.lang.pos), whose word
    segmentation and CRF tagger models ship in the wheel: no download when docmine runs."""
    from pathlib import Path

    import underthesea

    from extractor.lang.pos import pos_tag

    package = Path(underthesea.__file__).parent / "pipeline"
    assert (package / "pos_tag" / "pos_crf_2017_10_11.bin").is_file()
    assert (package / "word_tokenize" / "models" / "ws_crf_vlsp2013_20230727" / "models.bin").is_file()
    # "10.260 hồ sơ cấp CCCD" (Bình Sơn): the words after the number, tagged; "và" (a conjunction) ends the phrase
    assert pos_tag("hồ sơ cấp CCCD và") == (("hồ sơ", "N"), ("cấp", "N"), ("CCCD", "Np"), ("và", "C"))
    pos_tag.cache_clear()
    labels = [f.label for doc in docx_docs.values() for f in extract_figures(doc) if f.kind == "count"]
    assert pos_tag.cache_info().misses >= 50  # the labels really went through the tagger
    assert "hồ sơ cấp CCCD" in labels


def test_required_characters_of_not_figures_patterns(docx_docs: dict[str, Document]) -> None:
    """figures._excluded skips a not_figures pattern when the text lacks a character figures._required says the
    pattern needs: every text a pattern matches (in the real reports and in samples) must hold all of them."""
    import regex

    from extractor.extract.figures import ANY_DIGIT, _not_figures, _required
    from extractor.resources import load_rules

    samples = [doc.text for doc in docx_docs.values()] + [fn.text for d in docx_docs.values() for fn in d.footnotes]
    samples += [
        "ngày 06/6/2023, 13 -01- 2023, ngày      /     /2023, tháng 12/2022, 12/2022, nghỉ lễ 30/4, 1/5, năm 2022",
        "2022 - 2025, quý I/2023, 154/BC-CAT-QLHC, 55 /KH-UBND, 29-CT/TU, số 1050 và 1292, Số: 4.15, Đề án 06/CP",
        "Điều 27, Phụ lục số 02, mức độ 3,4, (1), Covid-19, 24/7, CMND 9 số, dưới 06 tuổi, 1.1. Mục",
        "điện thoại: 0912.345.678, Tổng đài: 1900.0368, 0983 456 789, Tổng số 860 hồ sơ",
    ]
    patterns = load_rules("number_conventions.yaml")["not_figures"]
    matched = 0
    for source, compiled in zip(patterns, _not_figures(), strict=True):
        needs = _required(source)
        for text in samples:
            for m in compiled.finditer(text):
                matched += 1
                for item in needs:
                    if item == ANY_DIGIT:
                        assert regex.search(r"\d", m.group()), (source, m.group())
                    else:
                        assert item in m.group(), (source, m.group(), item)
    assert matched > 100


def test_son_tra_figures_carry_section_and_offsets(docx_docs: dict[str, Document]) -> None:
    doc = docx_docs["son-tra-2024"]
    [r] = [f for f in extract_figures(doc) if f.kind == "ratio" and f.numerator == 156]
    assert r.section == "II.1.3"
    assert doc.text[r.start : r.end] == r.text == "156/168, đạt tỷ lệ 97%"


def test_tuyen_quang_footnote_ratios(docx_docs: dict[str, Document]) -> None:
    doc = docx_docs["tuyen-quang-cao-diem-2023"]
    in_notes = [f for f in extract_figures(doc) if f.kind == "ratio" and f.in_footnote]
    assert [(f.footnote_marker, f.numerator, f.denominator) for f in in_notes] == [
        ("6", 164, 164),
        ("6", 72989, 98234),
        ("7", 4, 14),
        ("7", 11, 11),
    ]
    fn = doc.footnote("6")
    assert fn is not None and fn.text[in_notes[1].start : in_notes[1].end] == "72.989/98.234 lượt tra cứu"


def test_binh_son_money(docx_docs: dict[str, Document]) -> None:
    money = [f for f in extract_figures(docx_docs["binh-son-6-thang-2023"]) if f.kind == "money"]
    assert [(f.value, f.section) for f in money] == [(10_000_000_000, "II.8"), (350_000_000, "II.8")]
