"""Normalisation (domain.md §7): NFC, one tone-mark convention, whitespace folding, marker positions kept."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from extractor.model import Marker
from extractor.prepare.normalise import normalise_text, normalise_with_markers


def test_decomposed_and_old_style_tone_marks_become_one_form():
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân")
    assert normalise_text(decomposed) == "Ủy ban nhân dân"
    assert normalise_text("Uỷ ban nhân dân xã Hoà Bình") == "Ủy ban nhân dân xã Hòa Bình"
    assert normalise_text("khoẻ, thuỷ lợi") == "khỏe, thủy lợi"
    # consonant after the pair, "qu", and diphthongs followed by a vowel keep their mark
    assert normalise_text("hoàng, thuyết, quý, ngoài, hoạt") == "hoàng, thuyết, quý, ngoài, hoạt"


def test_whitespace_and_invisible_characters():
    assert normalise_text("  Số:\u00a0\u00a0 154 /BC\u200b-CAT\t\n") == "Số: 154 /BC-CAT"


def test_marker_position_survives_normalisation():
    original = "đã  ban hành 13 văn bản\u00a0chỉ đạo"
    text, (marker,) = normalise_with_markers(original, [Marker(original.index("\u00a0"), "1")])
    assert text == "đã ban hành 13 văn bản chỉ đạo"
    assert text[: marker.offset] == "đã ban hành 13 văn bản"


def test_marker_written_in_parentheses():
    text, (marker,) = normalise_with_markers("tỉnh Hậu Giang(). Sau", [Marker(15, "1")])
    assert text == "tỉnh Hậu Giang. Sau" and marker.offset == len("tỉnh Hậu Giang")


LETTERS = list("aăâeêioôơuưyđAĂÂĐOUY àáảãạèéẻẽẹ \t\n\u00a0.,;òủ")
TONES = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # combining (decomposed) tone marks
vietnamese = st.text(alphabet=st.sampled_from(LETTERS + TONES), max_size=60)


@given(vietnamese)
def test_normalisation_is_idempotent_and_nfc(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "  " not in once and once == once.strip()


@given(vietnamese, st.lists(st.integers(min_value=0, max_value=60), max_size=4))
def test_markers_after_words_keep_text_and_order(text, offsets):
    # markers sit after a word, a punctuation mark or a space (never inside a syllable)
    cut = [o for o in sorted({min(o, len(text)) for o in offsets})
           if o == len(text) or o == 0 or unicodedata.category(text[o])[0] not in "LM"]
    markers = [Marker(o, str(i + 1)) for i, o in enumerate(cut)]
    out, moved = normalise_with_markers(text, markers)
    assert out == normalise_text(text)
    assert [m.marker for m in moved] == [m.marker for m in markers]
    for before, after in zip(markers, moved, strict=True):
        assert out[: after.offset].rstrip() == normalise_text(text[: before.offset])


# Vietnamese letters in both tone-mark conventions, decomposed forms, every kind of space and the separators
# str.split() treats as spaces
_TRICKY = st.text(
    alphabet=st.sampled_from([*"oauyeqOAUYEQ hòàoeèuỷýỳaáẠ", "\u0300", "\u0301", "\u0323", "\u00a0", "\u3000",
                              "\u2009", "\x1c", "\x1f", "\n", "\t", "\u200b", "\u00ad", ".", "1"]),
    max_size=40,
)


@given(_TRICKY)
def test_fast_paths_agree_with_the_full_normalisation(text):
    """Texts already in NFC without an old-style syllable skip the NFD round trip, and whitespace is folded by
    str.split: both give exactly what the full regex path gives."""
    from extractor.prepare.normalise import _OLD_STYLE, _SPACES, _fix_tone, fold_spaces, normalise_tone_marks

    slow_tones = unicodedata.normalize("NFC", _OLD_STYLE.sub(_fix_tone, unicodedata.normalize("NFD", text)))
    assert normalise_tone_marks(text) == slow_tones
    assert fold_spaces(text) == _SPACES.sub(" ", text).strip()


def test_fast_paths_on_real_cases():
    assert normalise_text("Thủ tướng  Chính\u00a0phủ") == "Thủ tướng Chính phủ"  # NFC, new style: fast path
    assert normalise_text("Thuỷ lợi, hoà giải") == "Thủy lợi, hòa giải"  # old style found in NFC
    assert normalise_text("a\x1cb") == "a\x1cb"  # a file separator is not a space in the text
