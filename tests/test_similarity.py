"""prepare.similarity's folding, shingles, MinHash signatures and đ-words are computed in fewer passes than the plain
definitions (kept here as the reference): the results must be the same, on every Unicode character and on real
reports, since stored signatures and search words are compared across runs."""

from __future__ import annotations

import random
import unicodedata

import pytest

from extractor.pipeline import read
from extractor.prepare import similarity
from tests.conftest import OWN_CORPUS, REPORTS, SHARED_CORPUS


def _fold(text: str) -> str:
    """The definition: lower-cased, đ/Đ as d, decomposed (NFD), combining characters dropped."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _shingles(text: str, k: int = similarity.SHINGLE_WORDS) -> set[str]:
    words = similarity._TOKEN.findall(_fold(text))
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _minhash(text: str) -> bytes | None:
    """The signature as datasketch computes it with its own defaults (sha1_hash32, its permutations)."""
    from datasketch import MinHash

    grams = _shingles(text)
    if len(grams) < similarity.MIN_SHINGLES:
        return None
    m = MinHash(num_perm=similarity.NUM_PERM, seed=similarity.MINHASH_SEED, scheme=similarity.MINHASH_SCHEME)
    m.update_batch([g.encode("utf-8") for g in grams])
    return m.hashvalues.astype("<u8").tobytes()


def _d_words(*texts: str | None) -> str | None:
    seen: dict[str, None] = {}
    for text in texts:
        for word in (text or "").split():
            if "đ" in word or "Đ" in word:
                seen.setdefault(_fold(word), None)
    return " ".join(seen) or None


def _texts() -> list[str]:
    files = sorted((OWN_CORPUS / "reports").glob("*.docx"))
    if (SHARED_CORPUS / "docx").is_dir():
        files += [SHARED_CORPUS / "docx" / f"{name}.docx" for name in REPORTS]
    return [read(path).text for path in files]


def test_fold_of_every_character() -> None:
    """Every code point (surrogates aside), 512 at a time, and each alone."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for i in range(0, len(chars), 512):
        chunk = "".join(chars[i : i + 512])
        assert similarity.fold(chunk) == _fold(chunk), hex(i)
    for ch in chars[:0x3000]:
        assert similarity.fold(ch) == _fold(ch), hex(ord(ch))


def test_fold_of_mixed_texts() -> None:
    """Combining marks before, between and after letters (NFD reorders them), a final sigma (lower-casing depends on
    the next character), characters that lower-case to two (İ), decomposed Vietnamese."""
    rng = random.Random(7)
    marks = ["\u0301", "\u0323", "\u0309", "\u0345"]
    pool = [chr(c) for c in range(0x20, 0x2000)] + list("ΣσςİĐđǅﬃ ") * 40 + marks * 40
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert similarity.fold(text) == _fold(text), repr(text)
        assert similarity.d_words(text) == _d_words(text), repr(text)
    assert similarity.fold("ΟΔΟΣ ΟΔΟΣ.") == _fold("ΟΔΟΣ ΟΔΟΣ.") == "οδος οδος."
    assert similarity.fold("Định danh ĐIỆN TỬ") == "dinh danh dien tu"


@pytest.mark.parametrize("text", [
    "", "đ", "Đ", " đ ", "Quyết định 06/QĐ-TTg. Định danh", "ađb\x1cđc\u00a0Đd\u3000x", "a" * 5000 + " đ",
    "đ\tĐ\nđ\rđ\x0bđ\x0cđ\x85đ\u2028đ",
])
def test_d_words(text: str) -> None:
    assert similarity.d_words(text, None, text) == _d_words(text, None, text)


def test_reports() -> None:
    texts = _texts()
    assert len(texts) >= 3
    for text in texts:
        assert similarity.fold(text) == _fold(text)
        for k in (1, 2, 4, 5):
            assert similarity.shingles(text, k) == _shingles(text, k)
        assert similarity.minhash_signature(text) == _minhash(text)
        assert similarity.d_words(text[:2000], text) == _d_words(text[:2000], text)
    # a text of fewer than MIN_SHINGLES shingles has no signature
    assert similarity.minhash_signature(" ".join(texts[0].split()[:20])) is None
