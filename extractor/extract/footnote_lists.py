"""Footnote lists (domain.md §6, §8): how many documents a footnote lists, and how many its anchor sentence claims.

"Ban hành 05 kế hoạch³, 30 công văn⁴" claims 5 documents for footnote 3 and 30 for footnote 4; the auditor compares
each claim with the items the footnote lists (``Citation.is_list_item``: documents named inside an item's subject
are not counted). Only counts of documents are claims ("07 nhóm chỉ tiêu" is not).
"""

from __future__ import annotations

import regex

from ..model import Citation, Document, FootnoteCount
from .citations import rules

_COUNT = regex.compile(r"(?<![\d.,/])(?P<n>\d{1,4})[ \t]+(?P<noun>[\p{L}]+(?:[ \t]+[\p{L}]+)?)")
_SENTENCE_STOP = regex.compile(r"[;.]")
_CLAUSE_END = regex.compile(r"[;.:](?=\s)")


def _claim_before(text: str, start: int, end: int) -> tuple[int, str] | None:
    """The document count written just before ``end`` ("… ban hành 13 văn bản" → (13, "văn bản"))."""
    nouns = rules().count_nouns
    best: tuple[int, str] | None = None
    for m in _COUNT.finditer(text, start, end):
        words = m.group("noun").split()
        for k in (2, 1):
            noun = " ".join(words[:k]).lower()
            if noun in nouns:
                noun_end = m.start("noun") + len(" ".join(words[:k]))
                # the count must sit right before the marker ("05 kế hoạch³"), allowing a few qualifying words
                tail = text[noun_end:end]
                if len(tail.split()) <= 3 and not _SENTENCE_STOP.search(tail):
                    best = (int(m.group("n")), noun)
                break
    return best


def claimed_count(doc: Document, marker: str) -> tuple[int | None, str | None]:
    """The count the sentence carrying ``marker`` claims for it, else (None, None)."""
    fn = doc.footnote(marker)
    if fn is None or fn.position is None or fn.block_index is None:
        return None, None
    block = doc.blocks[fn.block_index]
    local = fn.position - block.start
    # the claim belongs to the text since the previous marker (or the clause start) in the same block
    start = 0
    for other in block.markers:
        if other.offset < local and other.marker != marker:
            start = max(start, other.offset)
    for m in _CLAUSE_END.finditer(block.text, 0, local):  # endpos: as if the text ended at the marker
        if m.end() > start:
            start = m.end()
    claim = _claim_before(block.text, start, local)
    return claim if claim else (None, None)


def listed_count(citations: list[Citation], marker: str) -> int:
    return sum(1 for c in citations if c.in_footnote and c.footnote_marker == marker and c.is_list_item)


def footnote_checks(doc: Document, citations: list[Citation]) -> list[FootnoteCount]:
    """One count check per footnote of ``doc``, in order: how many documents it lists, the count its anchor
    sentence claims and what that count counts."""
    out = []
    for fn in doc.footnotes:
        claimed, noun = claimed_count(doc, fn.marker)
        out.append(FootnoteCount(fn.marker, listed_count(citations, fn.marker), claimed, noun, fn.text,
                                 fn.anchor_text))
    return out


def footnote_counts(doc: Document, citations: list[Citation]) -> dict[str, FootnoteCount]:
    """{marker: count check} for every footnote of ``doc`` (``footnote_checks``)."""
    return {c.marker: c for c in footnote_checks(doc, citations)}
