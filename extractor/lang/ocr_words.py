"""Conservative repair of Tesseract's Vietnamese diacritic misreadings ("vận chuyền" for "vận chuyển", "nguy hiêm"
for "nguy hiểm"), checked against the Viet74K word list that underthesea ships (``corpus/data/Viet74K.txt``, 73,901
entries, read once from the installed package: no download, and nothing changes when it is missing).

A syllable is compared by its key: its letters without the tone mark plus the tone, so "hoà" and "hòa", "thuỷ" and
"thủy" (old and new tone placement) are the same syllable. One edit changes exactly one mark of one syllable: the
tone (any of the six, none included), or one vowel shape (a/ă/â, e/ê, o/ô/ơ, u/ư) or d/đ.

A word is replaced only when exactly one edit of it forms a two-word Viet74K entry with a free neighbour: one
written in the same case (a name is no neighbour of a lowercase word) and not already part of an entry with its
other neighbour ("địa bàn" in "địa bàn tỉnh" does not pair "bàn tính"):
- a word that is no Vietnamese syllable ("nguy hiêm" -> "nguy hiểm"), unless another edit of it, pairing with
  nothing, is more frequent (wordfreq's Vietnamese list): "dân đên" means "đến", not "dân đen";
- a valid syllable that forms no entry with either of its two neighbours, when the edit is ``real_word_ratio``
  times more frequent ("vận chuyền hàng" -> "vận chuyển hàng": chuyển is 24 times as frequent as chuyền; "cấp
  tỉnh" stays: "cấp tính" is an entry, but tỉnh and tính are equally common). Without wordfreq this is off.
Numbers, symbols, words with digits, capitalised words (names: "Nguyễn" is not in Viet74K) and capitals-only
abbreviations in mixed-case text ("UBND", "BCT") are never touched; a capitals-only text is repaired in capitals
("KÉT QUẢ" -> "KẾT QUẢ"). Settings are in rules/ocr.yaml ``correction``.

Known proper names are repaired as a whole (:class:`NameIndex`): a run of two or more words whose letters, all marks
dropped, spell exactly one known name ("THÀNH PHÓ HÒ CHÍ MINH" -> "THÀNH PHỐ HỒ CHÍ MINH": "phó" and "hò" are
common syllables, so the word-by-word repair must leave them) takes that name's marks, in the text's own case.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import regex

TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền, sắc, ngã, hỏi, nặng
# one vowel-shape (or đ) edit: each letter and the letters one mark away from it
SHAPES = {
    "a": "ăâ", "ă": "aâ", "â": "aă", "e": "ê", "ê": "e", "o": "ôơ", "ô": "oơ", "ơ": "oô", "u": "ư", "ư": "u",
    "d": "đ", "đ": "d",
}
# a word: letters between punctuation; apostrophes and hyphens make it no syllable (loanwords are left alone)
TOKEN = regex.compile(r"\p{L}+")
WORD = regex.compile(r"\S+")
EDGED = regex.compile(r"[\p{P}\p{S}]*(\p{L}+)[\p{P}\p{S}]*")  # letters between punctuation: "(hiểm),"
VIET74K = ("corpus", "data", "Viet74K.txt")
REAL_WORD_RATIO = 20.0  # rules/ocr.yaml correction.real_word_ratio


def syllable_key(syllable: str) -> str:
    """The lowercase letters without the tone mark, then the tone mark (if any): "Hoà" and "hòa" -> "hoa\u0300"."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tones = [c for c in decomposed if c in TONES]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return base + (tones[0] if len(tones) == 1 else "".join(tones))


def variants(key: str) -> set[str]:
    """Keys one mark away from ``key``: another tone (or none), or one vowel shape or d/đ changed."""
    base, tone = (key[:-1], key[-1]) if key and key[-1] in TONES else (key, "")
    out = {base + t for t in ("", *TONES) if t != tone}
    for i, ch in enumerate(base):
        for other in SHAPES.get(ch, ""):
            out.add(base[:i] + other + base[i + 1 :] + tone)
    out.discard(key)
    return out


@dataclass
class Lexicon:
    """Valid syllables (key -> the lexicon's spelling) and adjacent syllable pairs of its entries."""

    syllables: dict[str, str]
    pairs: set[tuple[str, str]]  # the two-word entries: where a word may be corrected to
    covered: set[tuple[str, str]]  # adjacent syllables of every entry: a word in one of these is left alone

    @classmethod
    def from_lines(cls, lines) -> Lexicon:
        syllables: dict[str, str] = {}
        pairs: set[tuple[str, str]] = set()
        covered: set[tuple[str, str]] = set()
        for line in lines:
            parts = line.strip().split()
            if not parts or any(not TOKEN.fullmatch(p) for p in parts):
                continue  # "a-ba-giua", "A-đam": hyphenated loanwords are not syllables
            keys = [syllable_key(p) for p in parts]
            for part, key in zip(parts, keys, strict=True):
                syllables.setdefault(key, part.lower())
            adjacent = set(itertools.pairwise(keys))
            covered |= adjacent
            if len(keys) == 2:
                pairs |= adjacent
        return cls(syllables, pairs, covered)

    def spell(self, key: str, like: str) -> str:
        """The lexicon's spelling of ``key`` in the case pattern of ``like``."""
        word = self.syllables[key]
        if like.isupper() and len(like) > 1:
            return word.upper()
        if like[:1].isupper():
            return word[:1].upper() + word[1:]
        return word


def viet74k_path() -> Path | None:
    """Viet74K.txt inside the installed underthesea package (located without importing it), or None."""
    try:
        spec = importlib.util.find_spec("underthesea")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder).joinpath(*VIET74K)
        if path.is_file():
            return path
    return None


@functools.cache
def lexicon() -> Lexicon | None:
    """The Viet74K lexicon, loaded once; None when underthesea (or its word list) is not installed."""
    path = viet74k_path()
    if path is None:
        return None
    with path.open(encoding="utf-8") as fh:
        return Lexicon.from_lines(fh)


@dataclass
class Change:
    start: int  # offset of the replaced word in the input text
    old: str
    new: str


def _tokens(text: str, all_caps_text: bool) -> list[tuple[int, str] | None]:
    """Each whitespace-separated word as (offset, letters) when it may be corrected, else None (a break)."""
    out: list[tuple[int, str] | None] = []
    for m in WORD.finditer(text):
        word = m.group(0)
        core = EDGED.fullmatch(word)
        if core is None:
            out.append(None)  # digits or symbols inside: "V/v", "BCT-ATMT", "1,2,3", "06/QĐ-TTg"
            continue
        letters = core.group(1)
        if letters.isupper() and len(letters) > 1 and not all_caps_text:
            out.append(None)  # an abbreviation in running text: UBND, BCT, TTg's caps
            continue
        out.append((m.start() + core.start(1), letters))
    return out


def _frequency() -> Callable[[str], float] | None:
    """wordfreq's Vietnamese syllable frequency (shipped with the package), or None when it is not installed."""
    try:
        from wordfreq import word_frequency
    except ImportError:
        return None
    return functools.partial(word_frequency, lang="vi")


def _shape(word: str) -> str:
    return "upper" if word.isupper() and len(word) > 1 else "title" if word[:1].isupper() else "lower"


def corrections(text: str, lex: Lexicon | None = None, real_word_ratio: float | None = REAL_WORD_RATIO,
                frequency: Callable[[str], float] | None = None) -> list[Change]:
    """The words of ``text`` to replace (see the module's docstring), in order. ``real_word_ratio``: how many times
    more frequent (wordfreq, Vietnamese) an edit must be than a valid syllable to replace it; None turns that
    repair off (only syllables that are no Vietnamese syllable are repaired)."""
    lex = lex if lex is not None else lexicon()
    if lex is None or not text:
        return []
    if frequency is None:
        frequency = _frequency()
    letters_only = regex.sub(r"[^\p{L}]", "", text)
    all_caps_text = bool(letters_only) and letters_only.isupper()
    tokens = _tokens(text, all_caps_text)
    keys = [syllable_key(t[1]) if t else None for t in tokens]
    shapes = [_shape(t[1]) if t else None for t in tokens]
    changes: list[Change] = []
    for i, tok in enumerate(tokens):
        if tok is None:
            continue
        key = keys[i]
        valid = key in lex.syllables
        if shapes[i] == "title" or (valid and (real_word_ratio is None or frequency is None)):
            continue  # a capitalised word may be a name ("Nguyễn", not in Viet74K); without frequencies, valid is kept
        left = keys[i - 1] if i > 0 else None
        right = keys[i + 1] if i + 1 < len(keys) else None
        if valid and (left is None or right is None or (left, key) in lex.covered or (key, right) in lex.covered):
            continue  # part of a lexicon entry (right as it is), or without a word on each side to judge it by
        # a neighbour pairs only when it is written like this word (no pairing "tỉnh" with the name "Yên"), and
        # when it is not already part of an entry with its other neighbour ("địa bàn" in "địa bàn tỉnh")
        free_left = (left is not None and shapes[i - 1] == shapes[i]
                     and (keys[i - 2] if i > 1 else None, left) not in lex.covered)
        free_right = (right is not None and shapes[i + 1] == shapes[i]
                      and (right, keys[i + 2] if i + 2 < len(keys) else None) not in lex.covered)
        candidates = [v for v in variants(key) if v in lex.syllables]
        paired = {
            v for v in candidates
            if (free_left and (left, v) in lex.pairs) or (free_right and (v, right) in lex.pairs)
        }
        if len(paired) != 1:
            continue
        choice = paired.pop()
        start, word = tok
        if frequency is not None:
            share = frequency(lex.syllables[choice])
            if valid and frequency(word.lower()) * real_word_ratio > share:  # type: ignore[operator]
                continue  # "tỉnh" / "tính", "hằng" / "hàng": both common words, either may be meant
            if any(frequency(lex.syllables[v]) > share for v in candidates if v != choice):
                continue  # "dân đên": "dân đen" is an entry, but the far more common "đến" is what was meant
        new = lex.spell(choice, word)
        if new != word:
            changes.append(Change(start, word, new))
    return changes


def mark_key(word: str) -> str:
    """A word's letters without any mark, lowercase (đ -> d): "PHÓ", "phố" and "Phô" share one key."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class NameIndex:
    """Known proper names (provinces, issuing bodies) by the mark keys of their words; a key two differently marked
    names share maps to None, and such a run is left as written."""

    names: dict[tuple[str, ...], tuple[str, ...] | None]
    longest: int

    @classmethod
    def from_names(cls, names) -> NameIndex:
        index: dict[tuple[str, ...], tuple[str, ...] | None] = {}
        for name in names:
            words = tuple(TOKEN.findall(name))
            if len(words) < 2 or len(words) != len(name.split()):
                continue  # one word is too little to go by; "Lao động - Thương binh": the dash breaks a run
            key = tuple(mark_key(w) for w in words)
            seen = index.get(key, words)
            same = seen is not None and [syllable_key(w) for w in seen] == [syllable_key(w) for w in words]
            index[key] = seen if same else None
        return cls(index, max((len(k) for k in index), default=0))


def _recase(word: str, like: str) -> str:
    """``word`` written in the case of ``like`` letter by letter (the two have the same letters but for marks)."""
    if len(word) != len(like):
        return word.upper() if like.isupper() else word
    return "".join(c.upper() if o.isupper() else c.lower() for c, o in zip(word, like, strict=True))


def _name_runs(text: str, names: NameIndex) -> list[tuple[int, int, list[Change]]]:
    """Each run of words of ``text`` that spells a known name but for its marks: (start, end, its changes). The
    longest run first; a run is made of whole words only, with no digit or symbol inside."""
    tokens = _tokens(text, all_caps_text=True)  # capitals are not abbreviations here: "HÒ CHÍ MINH" is a name
    keys = [mark_key(t[1]) if t else None for t in tokens]
    runs: list[tuple[int, int, list[Change]]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(names.longest, len(tokens) - i), 1, -1):
            window = keys[i : i + n]
            if None in window:
                continue
            name = names.names.get(tuple(window))  # type: ignore[arg-type]
            if name is None:
                continue
            run = tokens[i : i + n]
            changes = [Change(start, word, _recase(want, word))
                       for (start, word), want in zip(run, name, strict=True)  # type: ignore[misc]
                       if syllable_key(word) != syllable_key(want)]
            last_start, last_word = run[-1]  # type: ignore[misc]
            runs.append((run[0][0], last_start + len(last_word), changes))  # type: ignore[index]
            i += n
            break
        else:
            i += 1
    return runs


def name_corrections(text: str, names: NameIndex) -> list[Change]:
    """The words of ``text`` to re-mark so that each run of words spelling a known name but for its marks is that
    name ("THÀNH PHÓ HÒ CHÍ MINH" -> "THÀNH PHỐ HỒ CHÍ MINH")."""
    return [c for _, _, changes in _name_runs(text, names) for c in changes]


def repairs(text: str, names: NameIndex | None = None, real_word_ratio: float | None = REAL_WORD_RATIO,
            lex: Lexicon | None = None) -> list[Change]:
    """Every repair of ``text``, in order: known names first (:func:`name_corrections`), then the word-by-word
    repair (:func:`corrections`) of the words outside them (a known name is right as the index spells it)."""
    runs = _name_runs(text, names) if names is not None else []
    named = [c for _, _, changes in runs for c in changes]
    words = [c for c in corrections(text, lex, real_word_ratio)
             if not any(start <= c.start < end for start, end, _ in runs)]
    return sorted(named + words, key=lambda c: c.start)


def correct(text: str, lex: Lexicon | None = None, real_word_ratio: float | None = REAL_WORD_RATIO) -> str:
    """``text`` with its OCR diacritic misreadings repaired (unchanged when nothing is sure, or without a lexicon)."""
    return apply_changes(text, corrections(text, lex, real_word_ratio))


def apply_changes(text: str, changes: list[Change]) -> str:
    """``text`` with ``changes`` (from :func:`corrections` on that same text) made."""
    for change in reversed(changes):
        text = text[: change.start] + change.new + text[change.start + len(change.old) :]
    return text
