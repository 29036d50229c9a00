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
from collections.abc import Callable
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
    legacy: tuple[str, ...]


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
    return _Rules(int(t["min_words"]), float(t["min_syllables"]), float(t["max_alien"]), syllable, allowed, repairs,
                  tuple(cfg.get("legacy") or ()))


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


# tokens up to this long are remembered (a word with its punctuation: "(quyết", "định)."); a longer one, which a
# page of garbage without blanks can make as long as the page, is counted each time
_CACHED_TOKEN = 48


def _token_counts(token: str) -> tuple[int, int, int, int]:
    """(characters, alien characters, words, Vietnamese syllables) of one token of a page's text (no blanks in it):
    ``score``'s counts, which add up over the tokens since no character class and no word spans a blank."""
    if token.isascii():  # no character of it is alien or neutral
        chars, alien = len(token), 0
    else:
        allowed = _rules().allowed
        chars = alien = 0
        for ch in token:
            if ch in _NEUTRAL:
                continue
            chars += 1
            if not ch.isascii() and ch not in allowed and unicodedata.category(ch) != "Mn":
                alien += 1
    words = good = 0
    for w in _WORD.findall(token):
        if w.isascii() and (w.isupper() or len(w) == 1):
            continue  # acronyms (UBND, VLNCN) and single letters (a, b, c list items) say nothing
        words += 1
        if _is_syllable(w):
            good += 1
    return chars, alien, words, good


_cached_token_counts = functools.lru_cache(maxsize=65536)(_token_counts)


def score(text: str) -> Score:
    """How Vietnamese ``text`` looks (see rules/text_layer.yaml).

    The page is counted token by token (``str.split`` drops exactly the ``isspace`` characters ``score`` skips),
    each distinct token once: a page of the corpus reports holds ~515 tokens, ~255 of them distinct, and most recur
    from page to page. Measured on the five corpus PDFs: 2.6 ms per file (3.2 with no token seen before) with a
    Counter of the page's characters and one of its words, 1.3 ms (2.5) this way."""
    text = unicodedata.normalize("NFC", text)
    chars = alien = words = good = 0
    for token, n in Counter(text.split()).items():  # counted in C
        c, a, w, g = _cached_token_counts(token) if len(token) <= _CACHED_TOKEN else _token_counts(token)
        chars += n * c
        alien += n * a
        words += n * w
        good += n * g
    return Score(words=words, syllables=good / words if words else 1.0, alien=alien / chars if chars else 0.0,
                 chars=chars)


def repair_map(text: str) -> tuple[str, dict[int, str]] | None:
    """The known fault whose tell-tale characters ``text`` holds: (its name, its str.translate map)."""
    for name, tell, table in _rules().repairs:
        if any(ch in text for ch in tell):  # a few substring scans in C: cheaper than the set of a page's characters
            return name, table
    return None


@dataclass
class Verdict:
    status: str  # OK, REPAIRED or BROKEN
    score: Score  # before repair
    repaired: Score | None = None
    fault: str | None = None  # the repair's name
    fix: Callable[[str], str] | None = None  # applied to each run's text

    def reason(self) -> str:
        s = self.repaired or self.score
        return (f"{s.syllables:.0%} âm tiết tiếng Việt hợp lệ, {s.alien:.1%} ký tự lạ / {s.syllables:.0%} valid "
                f"Vietnamese syllables, {s.alien:.1%} characters no Vietnamese text uses")


# Word's curly quotes and dashes (cp1252 0x91-0x97) are the only characters above U+00FF a legacy run holds
_CP1252_PUNCTUATION = frozenset("‘’“”–—…•")


def _eight_bit(run: str) -> bool:
    """A run that can be legacy 8-bit text: codes 0x80-0xFF read as Latin-1, nothing a Unicode font would add."""
    return any(0x80 <= ord(c) <= 0xFF for c in run) and all(ord(c) <= 0xFF or c in _CP1252_PUNCTUATION for c in run)


def _legacy(decode: Callable[[str], str]) -> Callable[[str], str]:
    return lambda run: decode(run) if _eight_bit(run) else run


def _candidates(text: str) -> list[tuple[str, Callable[[str], str]]]:
    """The repairs worth trying on a page: the character maps whose tell-tale characters it holds, then the legacy
    font encodings (TCVN3, VNI: a .VnTime or VNI-Times font embedded without a ToUnicode map), run by run."""
    from ..legacy import decode_tcvn3, decode_vni

    out: list[tuple[str, Callable[[str], str]]] = []
    fix = repair_map(text)
    if fix is not None:
        name, table = fix
        out.append((name, lambda run, table=table: run.translate(table)))
    if any(0x80 <= ord(c) <= 0xFF for c in text):
        legacy = {"tcvn3": decode_tcvn3, "vni": decode_vni}
        out += [(name, _legacy(legacy[name])) for name in _rules().legacy]
    return out


def judge_runs(runs: list[str]) -> Verdict:
    """Whether a page's text (its runs) is Vietnamese (OK), becomes so with a known repair (REPAIRED: the best
    passing one), or is not (BROKEN)."""
    text = " ".join(runs)
    first = score(text)
    if first.passes() and repair_map(text) is None:
        return Verdict(OK, first)
    candidates = _candidates(text)
    best: Verdict | None = None
    for name, fix in candidates:
        again = score(" ".join(fix(r) for r in runs))
        if again.passes() and (best is None or again.plausibility > best.repaired.plausibility):  # type: ignore[union-attr]
            best = Verdict(REPAIRED, first, again, name, fix)
    if best is not None:
        return best
    if first.passes():  # a tell-tale character alone, in good text
        return Verdict(OK, first)
    return Verdict(BROKEN, first, None, candidates[0][0] if candidates else None)


def judge(text: str) -> Verdict:
    """``judge_runs`` for one string."""
    return judge_runs([text])
