"""Segmentation: block kinds, section paths ("II.1.1") and the anchor sentence of each footnote.

Reports number their sections "I." / "II." (Roman, top level), "1." / "1.1." / "3.2.2.1." (Arabic, nested by dots)
and "a)" / "b)" (letters); bullets are "-", "+" or "•" (domain.md §1). A numbered paragraph opens a section whether
or not it is styled as a heading; it is a *heading* when it is short, bold or in capitals.
"""

from __future__ import annotations

import bisect
import functools

import regex

from ..model import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block, Document
from .normalise import mostly_capitals

ROMAN = regex.compile(r"^(?P<num>[IVX]{1,5})\s*[.)]\s*(?=\S)")
ARABIC = regex.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?:\.(?!\d)|\)|(?<=\d\.\d{1,2})(?=\s))\s*(?=\S)")
LETTER = regex.compile(r"^(?P<num>[a-zđ])\)\s*(?=\S)")
BULLET = regex.compile(r"^[-+•–*·◦▪]\s*(?=\S)")
# sentence ends: . ! ? ; then a space -- but not a dot inside a number ("53.852", "06/6/2023") or an abbreviation
SENTENCE_END = regex.compile(r"(?<!\b(?:TP|Tp|ThS|TS|Ths|tr|St|v\.v|\p{Lu}))[.!?;](?=\s+|$)")


def _looks_like_heading(block: Block, rest: str) -> bool:
    if block.bold or mostly_capitals(rest):
        return True
    return len(block.text) <= 120 and not block.text.rstrip().endswith((";", ",", "."))


def number_of(text: str) -> tuple[str, str] | None:
    """('roman'|'arabic'|'letter', number) when the text opens with a section number."""
    for kind, pattern in (("roman", ROMAN), ("arabic", ARABIC), ("letter", LETTER)):
        m = pattern.match(text)
        if m:
            num = m.group("num")
            if kind == "arabic" and len(num) <= 2 and text[m.end() :][:1].isdigit():
                continue
            return kind, num
    return None


def assign_sections(doc: Document) -> None:
    roman: str | None = None
    arabic: list[str] = []
    letter: str | None = None
    for block in doc.blocks:
        if block.kind == TABLE_CELL or block.in_header:
            block.section = _path(roman, arabic, letter)
            continue
        numbered = number_of(block.text)
        if numbered:
            kind, num = numbered
            if kind == "roman":
                roman, arabic, letter = num, [], None
            elif kind == "arabic":
                arabic, letter = num.split("."), None
            else:
                letter = num
            rest = block.text[len(num) + 1 :]
            block.kind = HEADING if _looks_like_heading(block, rest) else LIST_ITEM
        elif BULLET.match(block.text):
            block.kind = LIST_ITEM
        elif block.kind == PARAGRAPH and (block.bold or (mostly_capitals(block.text) and len(block.text) < 200)):
            block.kind = HEADING
        block.section = _path(roman, arabic, letter)


def _path(roman: str | None, arabic: list[str], letter: str | None) -> str | None:
    parts = ([roman] if roman else []) + arabic + ([letter] if letter else [])
    return ".".join(parts) or None


@functools.lru_cache(maxsize=64)
def _sentence_ends(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every sentence end of ``text`` (one pass: a block with thousands of footnote marks
    was scanned from its start once per mark)."""
    found = [(m.start(), m.end()) for m in SENTENCE_END.finditer(text)]
    return [s for s, _ in found], [e for _, e in found]


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The start and end of the sentence of ``text`` containing ``offset``."""
    starts, ends = _sentence_ends(text)
    k = bisect.bisect_left(ends, offset)  # the last sentence end before ``offset``
    start = ends[k - 1] if k else 0
    k = bisect.bisect_left(starts, offset)  # the first at or after it
    end = ends[k] if k < len(starts) else len(text)
    while start < end and text[start].isspace():
        start += 1
    return start, end


def assign_anchors(doc: Document) -> None:
    for fn in doc.footnotes:
        if fn.position is None or fn.block_index is None:
            continue
        block = doc.blocks[fn.block_index]
        local = fn.position - block.start
        s, e = sentence_bounds(block.text, local)
        # a marker right after the sentence's full stop ("... đề ra.¹") belongs to that sentence
        if s == local and local > 0:
            s, e = sentence_bounds(block.text, local - 1)
        fn.anchor_text = block.text[s:e]
        if fn.page is None:
            fn.page = block.page


def segment(doc: Document) -> Document:
    assign_sections(doc)
    assign_anchors(doc)
    return doc
