"""Text normalisation (domain.md §7): NFC, one tone-mark convention, invisible characters removed, whitespace folded.

The convention is the one Vietnamese government documents mostly use today: in an open syllable ending in
"oa", "oe" or "uy" the tone mark sits on the first vowel ("hòa", "khỏe", "ủy", "thủy"); when a consonant follows,
on the second ("hoàng", "thuyết") -- both conventions agree there. "quý" keeps its mark on "y" ("qu" is a consonant).

``normalise_document`` fills ``Block.text``, ``Block.start``/``end``, ``Document.text`` and ``Footnote.text``, and
re-maps footnote marker offsets from the original to the normalised text.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from ..model import Document, Marker

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (combining, NFD)
# "oà" -> "òa", "oè" -> "òe", "uỷ" -> "ủy" at the end of a word (NFD: the tone follows the second vowel)
_OLD_STYLE = regex.compile(rf"([oO][aAeE]|(?<![qQ])[uU][yY])([{_TONES}])(?![\p{{L}}\p{{M}}])")
# a tone mark on the a/e of "oa"/"oe" or on the y of "uy", precomposed (NFC): the only way an NFC text can hold an
# old-style syllable, so a text without one is left as it is (the NFD round trip costs most of normalising)
_OLD_STYLE_NFC = re.compile("[oO][{}]|[uU][{}]".format(
    "".join(unicodedata.normalize("NFC", v + t) for v in "aAeE" for t in _TONES),
    "".join(unicodedata.normalize("NFC", v + t) for v in "yY" for t in _TONES),
))
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width spaces and joiners, soft hyphen
_SPACES = regex.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# str.split() splits on exactly what _SPACES matches, and also on these four separators
_SPLIT_ONLY = re.compile("[\x1c-\x1f]")
# private-use sentinel standing in for a footnote marker while the text is normalised
_SENTINEL = "\ue000"
_PAREN_MARK = regex.compile(r"\( ?\ue000 ?\)")


def _fix_tone(match: regex.Match) -> str:
    pair, tone = match.group(1), match.group(2)
    return pair[0] + tone + pair[1]


def normalise_tone_marks(text: str) -> str:
    """Move tone marks of open "oa/oe/uy" syllables to the first vowel; returns NFC text."""
    if unicodedata.is_normalized("NFC", text) and not _OLD_STYLE_NFC.search(text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_STYLE.sub(_fix_tone, decomposed))


def fold_spaces(text: str) -> str:
    """Runs of whitespace (Unicode's, no-break and ideographic spaces included) → one space; edges trimmed."""
    if _SPLIT_ONLY.search(text):
        return _SPACES.sub(" ", text).strip()
    return " ".join(text.split())  # the same, several times faster


def mostly_capitals(text: str) -> bool:
    """More than 80% of the letters are capitals: a heading or stamp in capitals ("BÁO CÁO KẾT QUẢ …", "UBND XÃ SƠN
    TRÀ"). Counted with map over the string, in C: it runs on every block and line of every report.

    >>> mostly_capitals("UBND XÃ SƠN TRÀ"), mostly_capitals("Ủy ban nhân dân"), mostly_capitals("2024")
    (True, False, False)
    """
    letters = sum(map(str.isalpha, text))
    return bool(letters) and sum(map(str.isupper, text)) / letters > 0.8


def normalise_text(text: str) -> str:
    """NFC, one tone-mark convention, invisible characters dropped, whitespace folded to single spaces."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", text)
    return fold_spaces(normalise_tone_marks(text))


def normalise_with_markers(original: str, markers: list[Marker]) -> tuple[str, list[Marker]]:
    """Normalise ``original`` and return the markers re-positioned in the normalised text."""
    if not markers:
        return normalise_text(original), []
    ordered = sorted(markers, key=lambda m: m.offset)
    pieces = []
    last = 0
    for m in ordered:
        offset = max(0, min(m.offset, len(original)))
        pieces.append(original[last:offset])
        pieces.append(_SENTINEL)
        last = offset
    pieces.append(original[last:])
    # "Hậu Giang(¹)." -- marks written in parentheses leave "()" behind once the marker is lifted out
    text = _PAREN_MARK.sub(_SENTINEL, normalise_text("".join(pieces)))
    out: list[str] = []
    new_markers: list[Marker] = []
    i = 0
    length = 0
    for ch in text:
        if ch == _SENTINEL:
            new_markers.append(Marker(length, ordered[i].marker))
            i += 1
            continue
        if ch == " " and out and out[-1] == " ":
            continue  # a sentinel between two spaces left a double space
        out.append(ch)
        length += 1
    result = "".join(out)
    stripped = result.rstrip()
    if len(stripped) != len(result):
        new_markers = [Marker(min(m.offset, len(stripped)), m.marker) for m in new_markers]
    lead = len(stripped) - len(stripped.lstrip())
    if lead:
        new_markers = [Marker(max(0, m.offset - lead), m.marker) for m in new_markers]
    return stripped.lstrip(), new_markers


def normalise_document(doc: Document) -> Document:
    """Fill the normalised text of every block and footnote; build Document.text with block offsets."""
    parts: list[str] = []
    originals: list[str] = []
    offset = 0
    kept = []
    for block in doc.blocks:
        text, markers = normalise_with_markers(block.original, block.markers)
        if not text and not markers:
            continue
        block.text = text
        block.markers = markers
        block.start = offset
        block.end = offset + len(text)
        parts.append(text)
        originals.append(block.original)
        offset = block.end + 1  # "\n" between blocks
        kept.append(block)
    doc.blocks = kept
    doc.text = "\n".join(parts)
    doc.original_text = "\n".join(originals)
    positions: dict[str, tuple[int, int]] = {}
    for i, block in enumerate(doc.blocks):
        for m in block.markers:
            positions.setdefault(m.marker, (block.start + m.offset, i))
    for fn in doc.footnotes:
        fn.text = normalise_text(fn.original)
        if fn.marker in positions:
            fn.position, fn.block_index = positions[fn.marker]
    return doc
