"""Legacy Vietnamese encodings: TCVN3 (.VnTime / .VnTimeH) and VNI decoding by font name, text-file detection."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.formats import legacy
from extractor.resources import load_rules

# Every Vietnamese letter (lower case), each vowel with all five tones
LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    "bcdghklmnpqrstvx"
)
UPPER = LOWER.upper()


def test_every_letter_has_a_tcvn3_and_vni_spelling() -> None:
    assert len(set(LOWER)) == 12 * 6 + 1 + 16  # 12 vowels x (plain + 5 tones), đ, 16 consonants
    vni_letters = load_rules("vni.yaml")["letters"]
    for ch in LOWER + UPPER:
        if not ch.isascii():
            assert ch.lower() in vni_letters, ch
        assert all(ord(c) < 0x100 for c in legacy.encode_tcvn3(ch)), ch
        assert all(ord(c) < 0x100 for c in legacy.encode_vni(ch)), ch


@pytest.mark.parametrize("letter", list(LOWER + UPPER))
def test_tcvn3_round_trip(letter: str) -> None:
    assert legacy.decode_run(legacy.encode_tcvn3(letter), ".VnTime") == letter


@pytest.mark.parametrize("letter", list(UPPER))
def test_tcvn3_capitals_font_round_trip(letter: str) -> None:
    # .VnTimeH holds the lowercase code and draws it as a capital
    coded = legacy.encode_tcvn3(letter, capitals=True)
    assert all(ord(c) < 0x100 for c in coded)
    assert legacy.decode_run(coded, ".VnTimeH") == letter


@pytest.mark.parametrize("letter", list(LOWER + UPPER))
def test_vni_round_trip(letter: str) -> None:
    assert legacy.decode_run(legacy.encode_vni(letter), "VNI-Times") == letter


@given(st.text(alphabet=LOWER + UPPER + " .,;:0123456789/-()", max_size=60))
def test_round_trip_text(text: str) -> None:
    assert legacy.decode_tcvn3(legacy.encode_tcvn3(text)) == text
    assert legacy.decode_vni(legacy.encode_vni(text)) == text


def test_real_runs_from_the_corpus() -> None:
    # runs of legacy/son-tra-2024-tcvn3.docx, with the font each is set in
    assert legacy.decode_run("B¸o c¸o", ".VnTime") == "Báo cáo"
    assert legacy.decode_run("UBND X· S¥N TRµ", ".VnTimeH") == "UBND XÃ SƠN TRÀ"
    assert legacy.decode_run("Tæ C¤NG T¸C §Ò ¸N 06/CP", ".VnTimeH") == "TỔ CÔNG TÁC ĐỀ ÁN 06/CP"
    assert legacy.decode_run("ñ", ".VnTimeH") + legacy.decode_run("y ban nh©n d©n", ".VnTime") == "Ủy ban nhân dân"
    assert legacy.decode_run("Lùc l\xadîng C«ng an cÊp x·", ".VnTime") == "Lực lượng Công an cấp xã"
    assert legacy.decode_run("Baùo caùo keát quaû thöïc hieän Ñeà aùn 06", "VNI-Times") == (
        "Báo cáo kết quả thực hiện Đề án 06"
    )
    # a Unicode font is left alone
    assert legacy.decode_run("B¸o c¸o", "Times New Roman") == "B¸o c¸o"
    # Word keeps TCVN3 codes 0x91-0x94 as Windows-1252 quotes: they stay quotes
    assert legacy.decode_run("\u201c§Ò ¸n 06\u201d", ".VnTime") == "\u201cĐề án 06\u201d"


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", True),
        (".VnTimeH", True),
        (".VnArial NarrowH", True),
        ("VNI-Times", True),
        ("VNI-Helve", True),
        ("Times New Roman", False),
        ("Arial", False),
        ("", False),
        (None, False),
    ],
)
def test_is_legacy_font(font: str | None, expected: bool) -> None:
    assert legacy.is_legacy_font(font) is expected


def test_capitals_fonts() -> None:
    assert legacy.font_encoding(".VnTimeH") == legacy.TCVN3_CAPITALS
    assert legacy.font_encoding(".VnArial NarrowH") == legacy.TCVN3_CAPITALS
    assert legacy.font_encoding(".VnTime") == legacy.TCVN3


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not installed")
def test_tcvn3_table_matches_glibc_iconv() -> None:
    table = load_rules("tcvn3.yaml")
    entries = {**table["letters"], **table["capitals"]}
    assert len(entries) >= 130
    raw = bytes(sorted(entries))
    out = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw, capture_output=True, check=True)
    # iconv composes a base letter with a following combining tone; decode one code at a time instead
    for code in sorted(entries):
        one = subprocess.run(
            ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([code]), capture_output=True, check=True
        ).stdout.decode()
        assert one == entries[code], hex(code)
    assert out.stdout.decode()  # the whole table converts without error


SAMPLE = "Báo cáo kết quả thực hiện Đề án 06 của Tổ công tác trên địa bàn xã Sơn Trà năm 2024; Ủy ban nhân dân."


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (legacy.encode_tcvn3(SAMPLE).encode("latin-1"), "tcvn3"),
        (legacy.encode_vni(SAMPLE).encode("cp1252"), "vni"),
        (None, "cp1258"),
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),
    ],
)
def test_detect_and_decode(encoded: bytes | None, encoding: str) -> None:
    if encoded is None:  # Windows-1258 writes tones as combining marks after the letter
        encoded = _cp1258(SAMPLE)
    text, found = legacy.detect_and_decode(encoded)
    assert found == encoding
    assert unicodedata.normalize("NFC", text) == SAMPLE


def _cp1258(text: str) -> bytes:
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            # keep the base letter's shape (â, ơ, ư ...) precomposed, the tone as a combining mark
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            head = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += head.encode("cp1258") + tones.encode("cp1258")
    return out


def test_tcvn3_docx_reads_like_the_unicode_docx(shared_corpus) -> None:
    """legacy/son-tra-2024-tcvn3.docx (.VnTime/.VnTimeH runs) gives the text of docx/son-tra-2024.docx."""
    from extractor.pipeline import read

    legacy_doc = read(shared_corpus / "legacy" / "son-tra-2024-tcvn3.docx")
    unicode_doc = read(shared_corpus / "docx" / "son-tra-2024.docx")
    ratio = difflib.SequenceMatcher(None, legacy_doc.text.split(), unicode_doc.text.split(), autojunk=False).ratio()
    assert ratio >= 0.99
    assert "UBND XÃ SƠN TRÀ" in legacy_doc.text
    assert "Lực lượng Công an cấp xã đã thực hiện tốt vai trò Cơ quan Thường trực" in legacy_doc.text
