"""Footnote lists (domain.md §6, §8): how many documents a footnote lists, and how many its anchor sentence claims.

"Ban hành 05 kế hoạch³, 30 công văn⁴" claims 5 documents for footnote 3 and 30 for footnote 4; the auditor compares
each claim with the items the footnote lists (``Citation.is_list_item``: documents named inside an item's subject
are not counted). Only counts of documents are claims ("07 nhóm chỉ tiêu" is not).
"""

from __future__ import annotations

import bisect
from collections import Counter

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
    return _claimed(doc, doc.footnote(marker), {})


def _claimed(doc: Document, fn, blocks: dict) -> tuple[int | None, str | None]:
    """:func:`claimed_count` for the footnote ``fn``; ``blocks`` caches each block's sorted marker offsets and clause
    ends, so a block with thousands of markers is scanned once, not once per marker."""
    if fn is None or fn.position is None or fn.block_index is None:
        return None, None
    block = doc.blocks[fn.block_index]
    local = fn.position - block.start
    if fn.block_index not in blocks:
        marks = sorted((m.offset, m.marker) for m in block.markers)
        blocks[fn.block_index] = ([o for o, _ in marks], marks, [m.end() for m in _CLAUSE_END.finditer(block.text)])
    offsets, marks, clause_ends = blocks[fn.block_index]
    # the claim belongs to the text since the previous marker (or the clause start) in the same block
    start = 0
    k = bisect.bisect_left(offsets, local)
    while k > 0:
        k -= 1
        if marks[k][1] != fn.marker:
            start = marks[k][0]
            break
    k = bisect.bisect_left(clause_ends, local)  # a clause end before the marker (its space too: end < local)
    if k > 0:
        start = max(start, clause_ends[k - 1])
    claim = _claim_before(block.text, start, local)
    return claim if claim else (None, None)


def listed_count(citations: list[Citation], marker: str) -> int:
    return sum(1 for c in citations if c.in_footnote and c.footnote_marker == marker and c.is_list_item)


def footnote_checks(doc: Document, citations: list[Citation]) -> list[FootnoteCount]:
    """One count check per footnote of ``doc``, in order: how many documents it lists, the count its anchor
    sentence claims and what that count counts."""
    out = []
    listed = Counter(c.footnote_marker for c in citations if c.in_footnote and c.is_list_item)  # one pass, not one
    first: dict[str, object] = {}
    for fn in doc.footnotes:
        first.setdefault(fn.marker, fn)  # what doc.footnote(marker) answers, without a scan per footnote
    blocks: dict = {}
    for fn in doc.footnotes:  # per footnote: 40,000 footnotes × their citations took minutes
        claimed, noun = _claimed(doc, first[fn.marker], blocks)
        out.append(FootnoteCount(fn.marker, listed[fn.marker], claimed, noun, fn.text, fn.anchor_text))
    return out


def footnote_counts(doc: Document, citations: list[Citation]) -> dict[str, FootnoteCount]:
    """{marker: count check} for every footnote of ``doc`` (``footnote_checks``)."""
    return {c.marker: c for c in footnote_checks(doc, citations)}
