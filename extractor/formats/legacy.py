"""Legacy 8-bit Vietnamese encodings (domain.md §7): TCVN3 (ABC; .VnTime, and .VnTimeH for capitals) and VNI
(VNI-Times: base letter + separate tone/shape code), decoded to Unicode by font name, and detection of the encoding
of a legacy text file.

The mapping tables are data: ``rules/tcvn3.yaml`` (checked against glibc ``iconv -f TCVN5712-1``) and
``rules/vni.yaml``. Word keeps a legacy font's 8-bit codes as the Latin-1 characters of the same numbers, so a run
in .VnTime reads "B¸o c¸o" and the DOCX parser calls :func:`decode_run` with the run's font name.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import regex

from ..resources import load_rules

TCVN3 = "tcvn3"
TCVN3_CAPITALS = "tcvn3-capitals"
VNI = "vni"


@dataclass(frozen=True)
class _Tables:
    tcvn3_decode: dict[int, str]  # str.translate table (code point -> letter): VN3 letters and VN1 capitals
    tcvn3_capitals: dict[int, str]  # VN1 capitals with tone marks
    tcvn3_encode: dict[str, str]  # Unicode letter -> TCVN3 character (VN3 first, then VN1 capitals)
    tcvn3_prefixes: tuple[str, ...]
    tcvn3_caps_suffix: str
    tcvn3_not_caps: frozenset[str]
    vni_decode: dict[str, str]  # VNI spelling (one or two characters, either case) -> letter
    vni_encode: dict[str, str]  # letter (either case) -> VNI spelling
    vni_pattern: regex.Pattern
    vni_prefixes: tuple[str, ...]


@functools.cache
def _tables() -> _Tables:
    tc = load_rules("tcvn3.yaml")
    letters = {int(k): v for k, v in tc["letters"].items()}
    capitals = {int(k): v for k, v in tc["capitals"].items()}
    encode: dict[str, str] = {}
    for code, letter in [*letters.items(), *capitals.items()]:
        encode.setdefault(letter, chr(code))
    vn = load_rules("vni.yaml")
    vni_decode: dict[str, str] = {}
    vni_encode: dict[str, str] = {}
    for letter, spelling in vn["letters"].items():
        for lt, sp in ((letter, spelling), (letter.upper(), spelling.upper())):
            vni_encode[lt] = sp
            vni_decode[sp] = lt
        if len(spelling) == 2:  # a capital base with a lower-case mark ("Aù") is still that capital
            vni_decode.setdefault(spelling[0].upper() + spelling[1], letter.upper())
    alternatives = sorted(vni_decode, key=len, reverse=True)  # two-code spellings before one-code ones
    pattern = regex.compile("|".join(regex.escape(a) for a in alternatives))
    fonts = tc["fonts"]
    return _Tables(
        tcvn3_decode={**letters, **capitals},
        tcvn3_capitals=capitals,
        tcvn3_encode=encode,
        tcvn3_prefixes=tuple(fonts["prefixes"]),
        tcvn3_caps_suffix=fonts["capitals_suffix"],
        tcvn3_not_caps=frozenset(n.lower() for n in fonts.get("not_capitals") or []),
        vni_decode=vni_decode,
        vni_encode=vni_encode,
        vni_pattern=pattern,
        vni_prefixes=tuple(vn["fonts"]["prefixes"]),
    )


def font_encoding(font_name: str | None) -> str | None:
    """'tcvn3', 'tcvn3-capitals' (.VnTimeH and the other capitals fonts), 'vni', or None for a Unicode font."""
    if not font_name:
        return None
    t = _tables()
    name = font_name.strip().lower()
    if name.startswith(t.tcvn3_prefixes):
        if name.replace(" ", "").endswith(t.tcvn3_caps_suffix) and name not in t.tcvn3_not_caps:
            return TCVN3_CAPITALS
        return TCVN3
    if name.startswith(t.vni_prefixes):
        return VNI
    return None


def is_legacy_font(font_name: str | None) -> bool:
    """True for a TCVN3 (.VnTime, .VnTimeH, .VnArial ...) or VNI (VNI-Times ...) font name."""
    return font_encoding(font_name) is not None


def decode_tcvn3(text: str, capitals: bool = False) -> str:
    """TCVN3 text (codes as Latin-1 characters) to Unicode NFC; ``capitals`` for .VnTimeH-style fonts."""
    t = _tables()
    # Word's ‘ ’ “ ” (codes 0x91-0x94 read as Windows-1252) are not code points 0x80-0x9F: they stay punctuation
    out = unicodedata.normalize("NFC", text.translate(t.tcvn3_decode))
    return out.upper() if capitals else out


def decode_vni(text: str) -> str:
    """VNI text (base letters followed by tone/shape codes, as Latin-1 characters) to Unicode NFC."""
    t = _tables()
    return unicodedata.normalize("NFC", t.vni_pattern.sub(lambda m: t.vni_decode[m.group()], text))


def decode_run(text: str, font_name: str) -> str:
    """Decode the text of one run set in ``font_name``; text in a Unicode font is returned unchanged."""
    kind = font_encoding(font_name)
    if kind == TCVN3:
        return decode_tcvn3(text)
    if kind == TCVN3_CAPITALS:
        return decode_tcvn3(text, capitals=True)
    if kind == VNI:
        return decode_vni(text)
    return text


def encode_tcvn3(text: str, capitals: bool = False) -> str:
    """Unicode to TCVN3 codes (as Latin-1 characters); with ``capitals``, the lowercase codes a .VnTimeH run holds.
    Characters TCVN3 lacks pass through unchanged."""
    t = _tables()
    text = unicodedata.normalize("NFC", text.lower() if capitals else text)
    return "".join(t.tcvn3_encode.get(ch, ch) for ch in text)


def encode_vni(text: str) -> str:
    """Unicode to VNI spelling (as Latin-1 characters)."""
    t = _tables()
    return "".join(t.vni_encode.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# -- text files -------------------------------------------------------------------------------------------------


def _bytes_tcvn3(data: bytes) -> str:
    t = _tables()
    chars = []
    for b in data:
        ch = t.tcvn3_decode.get(b) or t.tcvn3_capitals.get(b)
        chars.append(ch if ch is not None else chr(b))
    return unicodedata.normalize("NFC", "".join(chars))


def _bytes_vni(data: bytes) -> str:
    return decode_vni(data.decode("cp1252", errors="replace"))


def _decoders() -> dict[str, object]:
    return {
        "tcvn3": _bytes_tcvn3,
        "vni": _bytes_vni,
        "cp1258": lambda d: unicodedata.normalize("NFC", d.decode("cp1258", errors="replace")),
        "cp1252": lambda d: d.decode("cp1252", errors="replace"),
    }


@functools.cache
def _vietnamese_letters() -> frozenset[str]:
    t = _tables()
    letters = set(t.tcvn3_encode) | {c.upper() for c in t.tcvn3_encode} | set(t.vni_encode)
    return frozenset(c for c in letters if c.isalpha())


_WORD = regex.compile(r"\p{L}+")
_PUNCTUATION = frozenset("–—‘’“”…•·°²³")  # non-ASCII characters real Vietnamese text holds besides letters


def _score(text: str, common: frozenset[str]) -> int:
    letters = _vietnamese_letters()
    hits = sum(1 for w in _WORD.findall(text) if w in common)
    bad = sum(1 for ch in text if ord(ch) > 0x7E and ch not in letters and ch not in _PUNCTUATION and not ch.isspace())
    return 2 * hits - bad


def detect_and_decode(data: bytes) -> tuple[str, str]:
    """Decode a text file, recognising UTF-8/UTF-16 and the legacy 8-bit encodings (TCVN3, VNI, Windows-1258).
    Returns (text, encoding name): 'utf-8', 'utf-8-sig', 'utf-16', 'tcvn3', 'vni', 'cp1258' or 'cp1252'."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    rules = load_rules("legacy_detect.yaml")
    common = frozenset(unicodedata.normalize("NFC", str(w)) for w in rules["common_syllables"])
    decoders = _decoders()
    sample = data[:200_000]
    scores = [(_score(decoders[name](sample), common), -i, name) for i, name in enumerate(rules["candidates"])]
    name = max(scores)[2]
    return decoders[name](data), name  # type: ignore[operator]
