"""Numbers as Vietnamese reports write them (domain.md §5; rules/number_conventions.yaml).

Vietnamese style groups thousands with "." and marks decimals with ",": "53.852" is 53852 and "52,81" is 52.81.
Writers mix in the English decimal point ("99.94%", "98.5%"): a dot followed by exactly three digits groups
thousands, any other dot is a decimal point. Tables pasted from Excel are English style ("12,712" is 12712); which
convention a table column uses is decided from all its values (:func:`column_convention`). Counts are often
zero-padded ("02 Công văn", "00 hồ sơ"). OCR/markdown exports wrap numbers in LaTeX ("$44.273 / 83.838$",
"200,87\\%"): :func:`mask_latex` blanks that markup without moving any character.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Literal

import regex

from ..resources import load_rules

Convention = Literal["vi", "en"]

# A number as written: digits with optional "." / "," separators, not glued to letters or other digits
# ("PC06", "CC02" and "4.15a" are not numbers; "06/6/2023" is split by the callers, which look at the "/").
NUMBER = regex.compile(r"(?<![\p{L}\d.,])\d+(?:[.,]\d+)*(?![\p{L}\d])(?!,\d)")
_WRITTEN_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")
_SEPARATOR_GROUP = regex.compile(r"([.,])(\d+)")


@functools.cache
def _conventions() -> dict:
    return load_rules("number_conventions.yaml")


def money_multipliers() -> dict[str, int]:
    return dict(_money_multipliers())


@functools.cache
def _money_multipliers() -> dict[str, int]:
    return {str(k): int(v) for k, v in _conventions()["money_multipliers"].items()}


def _grouped(groups: list[str]) -> bool:
    """True when ``groups`` (split on one separator) read as thousands groups: "53", "852" / "10", "706", "000"."""
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and len(groups) > 1


def _split(token: str, convention: Convention) -> tuple[str, str] | None:
    """(integer digits, fraction digits) of a written number, or None when it is not one."""
    token = token.strip().replace(" ", "")
    if not token or not _WRITTEN_NUMBER.fullmatch(token):
        return None
    has_dot, has_comma = "." in token, "," in token
    if has_dot and has_comma:
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, frac = token.rpartition(decimal)
        if decimal in whole or not _grouped(whole.split(group)):
            return None
        return whole.replace(group, ""), frac
    if not has_dot and not has_comma:
        return token, ""
    sep = "." if has_dot else ","
    groups = token.split(sep)
    thousands_sep = "." if convention == "vi" else ","
    if sep == thousands_sep:
        if _grouped(groups):
            return "".join(groups), ""
        if len(groups) == 2:  # "99.94" (vi, mixed usage) or "12,5" in an English column written by a Vietnamese
            return groups[0], groups[1]
        return None
    # the decimal mark of the convention
    if len(groups) == 2:
        return groups[0], groups[1]
    if _grouped(groups):  # "1,234,567" can only be grouping
        return "".join(groups), ""
    return None


def parse_number(token: str, convention: Convention = "vi") -> float | None:
    """The value of a written number, or None when ``token`` is not one.

    ``vi`` (running text): "53.852" -> 53852, "52,81" -> 52.81, "99.94" -> 99.94, "1.234,5" -> 1234.5, "02" -> 2.
    ``en`` (an English-style table column): "12,712" -> 12712, "1,234.5" -> 1234.5, "10.7" -> 10.7.
    """
    parts = _split(token, convention)
    if parts is None:
        return None
    whole, frac = parts
    return float(whole + "." + frac) if frac else float(int(whole))


def parse_count(token: str) -> float | None:
    """The value of a number that counts things ("hồ sơ", "trường hợp" …), which cannot be fractional: as
    :func:`parse_number`, except that commas each followed by exactly three digits group thousands, as in text
    pasted from Excel ("12,712 hồ sơ" is 12712; "1,5" stays 1.5)."""
    if "," in token and "." not in token and _grouped(token.strip().split(",")):
        return parse_number(token, "en")
    return parse_number(token)


def percent_agrees(computed: float, stated: float, digits: int, modes: Iterable[str] = ("round", "truncate")) -> bool:
    """True when ``stated`` (written with ``digits`` decimals) is ``computed`` rounded to that precision, or cut
    off there (writers truncate: "10.7%" for 10.755, "200,87%" for 200.877), per ``modes``."""
    unit = 10.0**-digits
    eps = 1e-9 * max(1.0, abs(computed))
    if "round" in modes and abs(computed - stated) <= unit / 2 + eps:
        return True
    return "truncate" in modes and stated - eps <= computed < stated + unit - eps


def decimals(token: str, convention: Convention = "vi") -> int:
    """How many decimal digits ``token`` states ("52,81" -> 2, "97" -> 0, "53.852" -> 0): the precision a
    percentage was rounded to."""
    parts = _split(token, convention)
    return len(parts[1]) if parts else 0


def is_zero_padded(token: str) -> bool:
    """ "02", "05", "00" -- the padded counts administrative writing uses."""
    return len(token) >= 2 and token[0] == "0" and token.isdigit()


def column_convention(values: Iterable[str]) -> Convention:
    """Which convention a table column uses, judged from all its cells.

    English evidence: a comma followed by exactly three digits ("12,712"), or a dot followed by one or two digits
    ("10.7"). Vietnamese evidence: a dot followed by three digits ("53.852") or a comma followed by one or two
    digits ("52,81"). Ties and columns without separators are Vietnamese.
    """
    en = vi = 0
    for raw in values:
        for m in NUMBER.finditer(raw or ""):
            tok = m.group()
            for sep, after in _SEPARATOR_GROUP.findall(tok):
                three = len(after) == 3
                if (sep == "," and three) or (sep == "." and not three):
                    en += 1
                else:
                    vi += 1
    return "en" if en > vi else "vi"


@functools.cache
def _latex_pattern() -> regex.Pattern:
    conv = _conventions()
    pieces = [regex.escape(conv["latex_percent"])] + [regex.escape(s) for s in conv["latex_blank"]]
    return regex.compile("|".join(pieces))


def mask_latex(text: str) -> str:
    """``text`` with LaTeX math markup blanked, same length: "$44.273 / 83.838$" -> " 44.273 / 83.838 ",
    "200,87\\%" -> "200,87 %"."""
    percent = _conventions()["latex_percent"]

    def blank(m: regex.Match) -> str:
        s = m.group()
        if s == percent:
            return " " * (len(s) - 1) + "%"
        return " " * len(s)

    if "$" not in text and "\\" not in text:
        return text
    return _latex_pattern().sub(blank, text)


def numbers_in(text: str, convention: Convention = "vi") -> list[tuple[int, int, float]]:
    """(start, end, value) of every number in ``text``."""
    out = []
    for m in NUMBER.finditer(text):
        value = parse_number(m.group(), convention)
        if value is not None:
            out.append((m.start(), m.end(), value))
    return out
