"""extractor/lang/ocr_words.py: Tesseract's Vietnamese diacritic misreadings repaired against Viet74K (underthesea),
on real OCR output of the scans of corpus/real/ (expected values read off the pages rendered with pypdfium2), with
the words that must stay as written, and zero changes on the header fields of every clean document."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import api
from extractor.lang import ocr_words
from extractor.lang.ocr_words import (
    NameIndex,
    apply_changes,
    correct,
    corrections,
    lexicon,
    name_corrections,
    repairs,
    syllable_key,
    variants,
)
from extractor.model import Block, Document
from extractor.prepare.metadata import extract_metadata, known_names

ROOT = Path(__file__).resolve().parent.parent

# real/bct-cv2265-atmt.pdf page 1, the "V/v" subject as Tesseract reads it; the page reads "V/v triển khai thực
# hiện thủ tục cấp Giấy phép vận chuyển hàng hóa nguy hiểm loại 1,2,3,4,9"
CV2265_OCR = "triên khai thực hiện thủ tục câp Giấy phép vận chuyền hàng hóa nguy hiêm loại 1,2,3,4,9"
# "câp" stays: "cấp" and "cập" are both one mark away and neither pairs with a free neighbour ("tục" belongs to
# "thủ tục", "Giấy" is capitalised)
CV2265_FIXED = "triển khai thực hiện thủ tục câp Giấy phép vận chuyển hàng hóa nguy hiểm loại 1,2,3,4,9"
# real/bct-cv1178-dck.pdf page 1: the page reads "V/v hướng dẫn về công tác quản lý, phát triển cụm công nghiệp
# theo địa giới hành chính mới"
CV1178_OCR = "hướng dẫn về công tác quản lý, phát triên cụm công nghiệp theo địa giới hành chính mới"


def test_viet74k_is_loaded_from_the_installed_underthesea():
    lex = lexicon()
    assert lex is not None
    assert ocr_words.viet74k_path().name == "Viet74K.txt"
    assert syllable_key("chuyển") in lex.syllables and syllable_key("hiêm") not in lex.syllables
    assert (syllable_key("vận"), syllable_key("chuyển")) in lex.pairs
    assert (syllable_key("vận"), syllable_key("chuyền")) not in lex.pairs


def test_tone_placement_is_one_syllable():
    assert syllable_key("hoà") == syllable_key("hòa") == syllable_key("HÒA")
    assert syllable_key("thuỷ") == syllable_key("thủy")
    assert syllable_key("hoà") != syllable_key("hoa")


def test_variants_change_exactly_one_mark():
    got = variants(syllable_key("hiêm"))
    assert syllable_key("hiểm") in got and syllable_key("hiếm") in got and syllable_key("hiem") in got
    assert syllable_key("hiễm") in got
    assert syllable_key("hiếu") not in got  # a letter, not a mark
    assert syllable_key("đen") in variants(syllable_key("den")) and syllable_key("dên") in variants(syllable_key("den"))
    assert syllable_key("hiểu") not in variants(syllable_key("hiêm"))


def test_bct_cv2265_subject():
    assert correct(CV2265_OCR) == CV2265_FIXED
    got = [(c.old, c.new) for c in corrections(CV2265_OCR)]
    assert got == [("triên", "triển"), ("chuyền", "chuyển"), ("hiêm", "hiểm")]


def test_bct_cv1178_subject():
    assert correct(CV1178_OCR) == CV1178_OCR.replace("phát triên", "phát triển")


def test_capitals_are_repaired_in_capitals():
    # nga-bay-2022's section heading, as in its DOCX/PDF/text (a misreading carried into the reconstructed text)
    assert correct("II. KÉT QUẢ CÁC MẶT CÔNG TÁC") == "II. KẾT QUẢ CÁC MẶT CÔNG TÁC"


@pytest.mark.parametrize("text", [
    "đội bóng chuyền nữ",  # a rarer valid word inside its entry
    "báo cáo hằng năm của tỉnh",  # hằng/hàng: both common (x18 < 20)
    "thủ tục hành chính cấp tỉnh",  # "cấp tính" is an entry, but "tỉnh" is as common as "tính"
    "có thẻ BHYT",  # "có thể" is an entry and far more common: no word after "thẻ" to judge it by
    "Nguyễn Văn Thịnh",  # not in Viet74K, "nguyên văn" is an entry: names are never touched
    "huyện Lục Yên, tỉnh Yên Bái",  # "yên tĩnh": a name is no neighbour of a lowercase word
    "dân đên phải",  # "dân đen" is an entry, but "đến" (not "đen") was meant
    "THÀNH PHÓ HÒ CHÍ MINH",  # hufi-kh753's header: "phó" is a word, "phố" only x2.7 more common
    "Chỉ thị 05/CT-TTg của UBND tỉnh",  # abbreviations, symbols, numbers
    "loại 1,2,3,4,9",
    "gắn chip",  # a loanword, not a Vietnamese syllable, no pair
])
def test_what_must_stay(text):
    assert correct(text) == text


def test_without_viet74k_nothing_changes(monkeypatch):
    monkeypatch.setattr(ocr_words, "viet74k_path", lambda: None)
    ocr_words.lexicon.cache_clear()
    try:
        assert ocr_words.lexicon() is None
        assert correct(CV2265_OCR) == CV2265_OCR
    finally:
        monkeypatch.undo()
        ocr_words.lexicon.cache_clear()
    assert ocr_words.lexicon() is not None


def test_without_frequencies_only_non_syllables_are_repaired(monkeypatch):
    monkeypatch.setattr(ocr_words, "_frequency", lambda: None)
    assert correct(CV2265_OCR) == CV2265_OCR.replace("triên", "triển").replace("hiêm", "hiểm")


def _header_document(ocr: bool) -> Document:
    lines = ["BỘ CÔNG THƯƠNG", "Số: /BCT-ATMT", "V/v triên khai thực hiện thủ tục câp",
             "Giấy phép vận chuyền hàng hóa nguy", "hiêm loại 1,2,3,4,9", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày tháng năm 2026"]
    blocks = [Block(original=t, text=t, in_header=True, col=0 if i < 5 else 1) for i, t in enumerate(lines)]
    blocks.append(Block(original="Kính gửi: Ủy ban nhân dân các tỉnh, thành phố",
                        text="Kính gửi: Ủy ban nhân dân các tỉnh, thành phố"))
    return Document(format="pdf", ocr=ocr, blocks=blocks)


def test_metadata_of_an_ocred_document_is_repaired_and_the_change_recorded():
    doc = _header_document(ocr=True)
    meta = extract_metadata(doc)
    assert meta.title == CV2265_FIXED
    assert meta.issuer == "BỘ CÔNG THƯƠNG" and meta.place == "Hà Nội"
    assert [w for w in doc.warnings if w.startswith("Sửa dấu")] == [
        "Sửa dấu đọc sai của OCR trong trường title: 'triên' → 'triển', 'chuyền' → 'chuyển', 'hiêm' → 'hiểm' / "
        "OCR diacritic misreadings repaired in title (raw OCR text kept in the document's blocks)"
    ]
    assert "vận chuyền" in doc.blocks[3].original  # the raw OCR text stays


def test_metadata_of_a_text_layer_is_left_alone():
    doc = _header_document(ocr=False)
    assert extract_metadata(doc).title == CV2265_OCR
    assert not [w for w in doc.warnings if w.startswith("Sửa dấu")]


# real/hufi-kh753.pdf, page 1: Tesseract reads the header's third line "THÀNH PHỐ HỒ CHÍ MINH" as below; "phó" (vice)
# and "hò" are common syllables, so the word-by-word repair must leave them, but the run spells a known province
HUFI_ISSUER_OCR = "BỘ CÔNG THƯƠNG - TRƯỜNG ĐẠI HỌC CÔNG THƯƠNG - THÀNH PHÓ HÒ CHÍ MINH"


def test_a_known_name_is_re_marked_as_a_whole():
    assert corrections(HUFI_ISSUER_OCR) == []
    got = [(c.old, c.new) for c in name_corrections(HUFI_ISSUER_OCR, known_names())]
    assert got == [("PHÓ", "PHỐ"), ("HÒ", "HỒ")]
    assert apply_changes(HUFI_ISSUER_OCR, repairs(HUFI_ISSUER_OCR, known_names())) == (
        "BỘ CÔNG THƯƠNG - TRƯỜNG ĐẠI HỌC CÔNG THƯƠNG - THÀNH PHỐ HỒ CHÍ MINH")


@pytest.mark.parametrize(("text", "want"), [
    ("Thành phó Hồ Chí Minh, ngày 23", "Thành phố Hồ Chí Minh, ngày 23"),  # the text's own case is kept
    ("UBND TINH LAO CAI", "UBND TỈNH LÀO CAI"),  # the gazetteer's full name "Tỉnh Lào Cai", the longest run
    ("Sở Công Thương Lao Cai", "Sở Công Thương Lào Cai"),  # its short name
    ("SỞ GIAO DỤC VA ĐAO TẠO", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"),  # a body of rules/issuers.yaml
    ("Bộ Công An", "Bộ Công An"),  # right but for case: nothing to re-mark
    ("thành phố Hồ Chí Minh", "thành phố Hồ Chí Minh"),  # already right
    ("Hồ Chí 5 Minh", "Hồ Chí 5 Minh"),  # a digit breaks the run
    ("phó giám đốc", "phó giám đốc"),  # no known name
])
def test_name_repair_cases(text, want):
    assert apply_changes(text, name_corrections(text, known_names())) == want


def test_names_that_fold_alike_are_left_as_written():
    index = NameIndex.from_names(["Hà Nam", "Hạ Nậm", "Hòa Bình", "Hoà Bình", "Huế"])
    assert name_corrections("HA NAM", index) == []  # two names: which one was meant is not known
    assert [c.new for c in name_corrections("Hoa Binh", index)] == ["Hòa", "Bình"]  # one name, two tone placements
    assert name_corrections("Hue", index) == []  # a one-word name is too little to go by


def test_the_word_repair_leaves_a_known_name_alone():
    index = NameIndex.from_names(["Bình Hiêm"])  # a made-up name whose second word Viet74K would "repair"
    text = "hàng hóa nguy hiêm, xã Bình Hiêm"
    assert [(c.old, c.new) for c in repairs(text, index)] == [("hiêm", "hiểm")]


def test_hufi_issuer_is_repaired_and_the_unread_signer_is_said():
    doc = api.read(ROOT / "corpus" / "real" / "hufi-kh753.pdf")
    assert doc.metadata.issuer == "BỘ CÔNG THƯƠNG - TRƯỜNG ĐẠI HỌC CÔNG THƯƠNG - THÀNH PHỐ HỒ CHÍ MINH"
    assert doc.metadata.signer is None  # a red script-font name stamp: never the misread "QMái doan Sam"
    assert any(w.startswith("Không đọc được tên người ký") for w in doc.warnings)
    assert any(w.startswith("Sửa dấu đọc sai của OCR trong trường issuer: 'PHÓ' → 'PHỐ', 'HÒ' → 'HỒ'")
               for w in doc.warnings)


def _field_changes(paths: list[Path]) -> dict[str, list]:
    """The header-field changes on each document read from its text layer / DOCX / text (OCRed ones left out)."""
    out = {}
    for path in paths:
        doc = api.read(path)
        if doc.ocr:
            continue
        m = doc.metadata
        out[path.name] = [(name, c.old, c.new) for name in ("issuer", "title", "place")
                          for c in repairs(getattr(m, name) or "", known_names())]
    return out


def test_no_change_on_the_project_corpus():
    paths = sorted(p for p in (ROOT / "corpus" / "reports").iterdir() if p.suffix in {".docx", ".pdf", ".md"})
    paths += sorted(p for p in (ROOT / "corpus" / "real").iterdir() if p.name != "README.md")
    changes = _field_changes(paths)
    assert len(changes) >= 28  # 9 own reports, 21 of the 24 real documents have a text layer
    assert {k: v for k, v in changes.items() if v} == {}


@pytest.mark.shared
def test_no_change_on_the_shared_corpus_clean_layers(shared_corpus):
    paths = [p for sub in ("docx", "pdf", "text", "legacy") for p in sorted((shared_corpus / sub).iterdir())]
    changes = _field_changes(paths)
    assert len(changes) == 18  # 5 DOCX, 5 PDF text layers, 5 text exports, 3 legacy files
    assert {k: v for k, v in changes.items() if v} == {}
