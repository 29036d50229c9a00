"""Is a page's text layer Vietnamese text? A plausibility score from character classes and syllable structure, the
repair of known font-mapping faults, and the verdict per page (rules/text_layer.yaml says why and how).

A PDF page whose fonts map glyphs to the wrong code points looks right but reads as garbage ("7ӌ1+ L¿O CAI" for
"TỈNH LÀO CAI"). The parser scores every page with a text layer; a page that fails is repaired when one of the
known character maps makes it pass ("ƣ" → "ư"), and otherwise treated as a page without text (OCRed), so garbage
never reaches the database as text.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from dataclasses import dataclass

import regex

from ...resources import load_rules

OK, REPAIRED, BROKEN = "ok", "repaired", "broken"

_TONES = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))
_WORD = regex.compile(r"\p{L}+")
_NEUTRAL = frozenset("\ufffe\uffff\u00a0\u00ad\ufeff")


@dataclass(frozen=True)
class _Rules:
    min_words: int
    min_syllables: float
    max_alien: float
    syllable: regex.Pattern
    allowed: frozenset[str]  # non-ASCII characters Vietnamese text uses
    repairs: tuple[tuple[str, frozenset[str], dict[int, str]], ...]


@functools.cache
def _rules() -> _Rules:
    cfg = load_rules("text_layer.yaml")
    alt = lambda items: "|".join(regex.escape(x) for x in sorted(items, key=len, reverse=True))  # noqa: E731
    syllable = regex.compile(f"(?:{alt(cfg['onsets'])})?(?:{alt(cfg['nuclei'])})(?:{alt(cfg['codas'])})?")
    base = set("abcdefghijklmnopqrstuvwxyzăâđêôơư")
    letters = set()
    for ch in base:
        for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
            letters.add(unicodedata.normalize("NFC", ch + tone))
    letters |= {c.upper() for c in letters}
    t = cfg["thresholds"]
    repairs = tuple(
        (r["name"], frozenset(r["tell"]), {ord(k): v for k, v in r["map"].items()}) for r in cfg.get("repairs") or []
    )
    allowed = frozenset(letters | set(cfg["allowed_symbols"]))
    return _Rules(int(t["min_words"]), float(t["min_syllables"]), float(t["max_alien"]), syllable, allowed, repairs)


@dataclass
class Score:
    words: int  # words counted for syllable structure
    syllables: float  # share of them that are Vietnamese syllables (1.0 when none counted)
    alien: float  # share of non-blank characters no Vietnamese text uses
    chars: int  # non-blank characters

    @property
    def plausibility(self) -> float:
        """One number for the page (0-1): the syllable share, lowered by the alien share."""
        return round(max(0.0, min(self.syllables, 1.0 - 50 * self.alien)), 3)

    def passes(self) -> bool:
        r = _rules()
        if self.alien > r.max_alien:
            return False
        return self.words < r.min_words or self.syllables >= r.min_syllables


@functools.lru_cache(maxsize=65536)
def _is_syllable(word: str) -> bool:
    plain = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word.lower()).translate(_TONES))
    return _rules().syllable.fullmatch(plain) is not None


def score(text: str) -> Score:
    """How Vietnamese ``text`` looks (see rules/text_layer.yaml)."""
    r = _rules()
    text = unicodedata.normalize("NFC", text)
    chars = alien = 0
    for ch, n in Counter(text).items():  # the page's distinct characters, counted in C
        if ch.isspace() or ch in _NEUTRAL:
            continue
        chars += n
        if not ch.isascii() and ch not in r.allowed and unicodedata.category(ch) != "Mn":
            alien += n
    words = good = 0
    for w, n in Counter(_WORD.findall(text)).items():
        if w.isascii() and (w.isupper() or len(w) == 1):
            continue  # acronyms (UBND, VLNCN) and single letters (a, b, c list items) say nothing
        words += n
        if _is_syllable(w):
            good += n
    return Score(words=words, syllables=good / words if words else 1.0, alien=alien / chars if chars else 0.0,
                 chars=chars)


def repair_map(text: str) -> tuple[str, dict[int, str]] | None:
    """The known fault whose tell-tale characters ``text`` holds: (its name, its str.translate map)."""
    present = set(text)
    for name, tell, table in _rules().repairs:
        if tell & present:
            return name, table
    return None


@dataclass
class Verdict:
    status: str  # OK, REPAIRED or BROKEN
    score: Score  # before repair
    repaired: Score | None = None
    fault: str | None = None  # the repair's name
    table: dict[int, str] | None = None  # the repair's str.translate map

    def reason(self) -> str:
        s = self.repaired or self.score
        return (f"{s.syllables:.0%} âm tiết tiếng Việt hợp lệ, {s.alien:.1%} ký tự lạ / {s.syllables:.0%} valid "
                f"Vietnamese syllables, {s.alien:.1%} characters no Vietnamese text uses")


def judge(text: str) -> Verdict:
    """Whether a page's text is Vietnamese (OK), becomes so with a known repair (REPAIRED), or is not (BROKEN)."""
    first = score(text)
    fix = repair_map(text)
    if first.passes() and fix is None:
        return Verdict(OK, first)
    if fix is not None:
        name, table = fix
        again = score(text.translate(table))
        if again.passes():
            return Verdict(REPAIRED, first, again, name, table)
        return Verdict(BROKEN, first, again, name)
    return Verdict(BROKEN, first)
