"""How alike two texts are, word by word: one report read from two formats (DOCX vs PDF vs OCR), and the folding
that search and near-duplicate detection share."""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from difflib import SequenceMatcher
from typing import Any

import regex

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


# --- near-duplicate detection: one report received as DOCX, PDF, scan, .doc, text export (store/reports.py) -------

# MinHash over word shingles of the folded text. Measured on ../shared/corpus (every format of the five reports and
# the 24 documents of real/, 49 files): exact Jaccard of 4-word shingles is at least 0.889 between two files of one
# report (the worst: the Tuyên Quang scan's OCR against its DOCX) and at most 0.266 between two different documents
# (two legal-portal pages sharing the site's chrome, real/tvpl-cv5608 and tvpl-tb637). The threshold sits in the gap,
# far from both sides, so MinHash's estimation error (about 0.04 at 128 permutations) does not cross it.
SHINGLE_WORDS = 4
NEAR_DUPLICATE = 0.5
NUM_PERM = 128
MINHASH_SEED, MINHASH_SCHEME = 1, "affine32"  # fixed: stored signatures stay comparable across runs
MIN_SHINGLES = 30  # a text shorter than this (a failed OCR, an empty page) is never grouped by its text

_TOKEN = regex.compile(r"[\p{L}\p{N}]+")  # what SQLite FTS5's unicode61 tokenizer calls a token


class _Uncombined(dict):
    """``str.translate`` table dropping combining characters, filled one code point at a time as texts meet them
    (the same test as ``unicodedata.combining``, asked once per distinct character instead of once per character:
    a character-by-character join over every report's text was a fifth of a DOCX's ingest, bench/ingest_speed.py)."""

    def __missing__(self, code: int) -> str | None:
        value = None if unicodedata.combining(chr(code)) else chr(code)
        self[code] = value
        return value


_UNCOMBINED = _Uncombined()


def _fold_lowered(text: str) -> str:
    """``fold`` of a text already lower-cased: đ/Đ as d, decomposed (NFD), combining characters dropped."""
    return unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d")).translate(_UNCOMBINED)


class _Folded(dict):
    """``str.translate`` table giving each character of a lower-cased text its ``_fold_lowered`` form, filled one
    code point at a time as texts meet them. One translation of the text instead of a decomposition and a
    translation of the longer decomposed text, and the same result: NFD decomposes each character on its own and
    then only reorders runs of combining characters, which are all dropped, so the folded text is the folded
    characters one after another."""

    def __missing__(self, code: int) -> str:
        value = _fold_lowered(chr(code))
        self[code] = value
        return value


_FOLDED = _Folded()


def fold(text: str) -> str:
    """``text`` lower-cased, without tone marks or diacritics, đ/Đ as d: "Định danh ĐIỆN TỬ" → "dinh danh dien tu"."""
    return text.lower().translate(_FOLDED)


def folded_tokens(text: str) -> list[str]:
    """The words of ``text`` folded (``fold``), split as full-text search splits them."""
    return _TOKEN.findall(fold(text))


def d_words(*texts: str | None) -> str | None:
    """The distinct space-separated words of ``texts`` holding đ/Đ, folded ("Quyết định 06/QĐ-TTg." → "dinh
    06/qd-ttg."), space-separated; None when there are none. Full-text search (unicode61 remove_diacritics 2) folds
    every diacritic but đ, so these words, indexed beside the text, let "dinh danh" find "định danh" (and typing
    "định" still finds the text itself). A word is kept whole, symbol and all, because Datasette searches each typed
    word as a phrase: "06/QD-TTg" must find the tokens 06, qd, ttg side by side."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in (text or "").split():
            if "đ" in word or "Đ" in word:
                seen.setdefault(fold(word), None)
    return " ".join(seen) or None


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The k-word shingles of ``text`` folded: OCR's lost tone marks and the formats' different spacing and
    punctuation do not change them."""
    words = folded_tokens(text)
    return set(map(" ".join, zip(*(words[i:] for i in range(k)), strict=False)))  # k words side by side


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets (what MinHash estimates)."""
    return len(a & b) / len(a | b) if a or b else 1.0


@functools.cache
def permutations() -> Any:
    """The permutations datasketch draws for ``MINHASH_SEED`` and ``MINHASH_SCHEME`` (the same for every signature:
    drawn once instead of by every ``MinHash``)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


# MurmurHash3's 32-bit finalizer (fmix32): datasketch's affine32 scheme mixes every input hash with it before its
# permutations (datasketch.minhash._fmix); tests/test_similarity.py checks the signatures against datasketch's own
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


def minhash_signature(text: str) -> bytes | None:
    """The MinHash signature (``NUM_PERM`` values, stored as 64-bit) of ``text``'s shingles, as bytes to store;
    None when the text has fewer than ``MIN_SHINGLES`` shingles.

    The signature is datasketch's for ``MINHASH_SCHEME`` (``MinHash(...).update_batch`` of the shingles' UTF-8
    bytes), computed in fewer passes: each shingle is hashed as datasketch hashes it (``sha1_hash32``: the first
    four bytes of its SHA-1, little-endian) in one loop, and the scheme's mixing and affine permutations (h → a·h + b
    modulo 2^32, the minimum per permutation) are applied to the whole array of hashes at once, where datasketch
    goes through a Python list of them twice (a third of a PDF report's signature time, bench/stage_profile.py)."""
    import numpy as np

    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    sha1 = hashlib.sha1
    hv = np.frombuffer(b"".join([sha1(g.encode("utf-8")).digest()[:4] for g in grams]), dtype="<u4").astype(np.uint32)
    s1, m1, s2, m2, s3 = _FMIX32
    hv ^= hv >> s1
    hv *= np.uint32(m1)
    hv ^= hv >> s2
    hv *= np.uint32(m2)
    hv ^= hv >> s3
    a, b = permutations()
    with np.errstate(over="ignore"):  # the multiplication wraps around: arithmetic modulo 2^32, as intended
        signature = (hv[:, None] * a + b).min(axis=0)
    return signature.astype("<u8").tobytes()


def signature_similarity(a: bytes, b: bytes) -> float:
    """The Jaccard similarity two MinHash signatures (``minhash_signature``) estimate."""
    import numpy as np

    va, vb = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    return float(np.count_nonzero(va == vb)) / len(va)
