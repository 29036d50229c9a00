"""How alike two texts are, word by word: used to check one report read from two formats (DOCX vs PDF vs OCR)."""

from __future__ import annotations

from difflib import SequenceMatcher

from .normalise import normalise_text


def words(text: str) -> list[str]:
    """The words of ``text`` after normalisation (NFC, one tone-mark convention, whitespace folded)."""
    return normalise_text(text).split()


def word_similarity(a: str, b: str) -> float:
    """SequenceMatcher ratio over the two word lists (1.0 = same words in the same order)."""
    wa, wb = words(a), words(b)
    if not wa and not wb:
        return 1.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()
