"""Indicators: figures grouped by what they count, so one measure compares across localities and periods.

Each figure gets an indicator name from ``rules/indicators.yaml`` (the first rule whose terms occur in the figure's
label, unit, text and the words right after the number, compared without case or diacritics), or else its own label,
normalised (lowercase, one tone-mark convention, spaces folded).

>>> indicator_for("count", "hồ sơ", "hồ sơ cấp CCCD", "10.260 hồ sơ")
('hồ sơ cấp CCCD', 'rule')
>>> indicator_for("count", "hồ sơ", "Cấp tài khoản định danh điện tử", "219 hồ sơ")
('tài khoản định danh điện tử', 'rule')
>>> indicator_for("count", "máy tính", "Máy  tính", "4 máy tính")
('máy tính', 'label')
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import regex

from ..resources import load_rules
from .localities import fold

# the words after a number up to the end of its clause: "10.260 hồ sơ| cấp CCCD, …"
CLAUSE_END = regex.compile(r"[,;.:()\n]")


@dataclass(frozen=True)
class IndicatorRule:
    name: str
    description: str
    kinds: tuple[str, ...]
    units: tuple[str, ...]  # folded
    any: tuple[str, ...]  # folded
    none: tuple[str, ...]  # folded
    examples: tuple[str, ...]


@functools.cache
def rules() -> tuple[IndicatorRule, ...]:
    out = []
    for r in load_rules("indicators.yaml")["indicators"]:
        out.append(IndicatorRule(
            name=r["name"], description=r.get("description", ""), kinds=tuple(r.get("kinds") or ()),
            units=tuple(fold(u) for u in r.get("units") or ()), any=tuple(fold(t) for t in r.get("any") or ()),
            none=tuple(fold(t) for t in r.get("none") or ()), examples=tuple(r.get("examples") or ()),
        ))
    return tuple(out)


def normalise_label(label: str | None) -> str | None:
    """The label as a grouping key: NFC, one tone-mark convention, lowercase, spaces folded, edges trimmed.

    >>> normalise_label("  Hồ sơ  cấp CCCD: ")
    'hồ sơ cấp cccd'
    """
    if not label:
        return None
    from ..prepare.normalise import normalise_text

    text = normalise_text(label).lower()
    text = " ".join(text.split()).strip(" :;,.-–+()\"“”")
    return text or None


def indicator_for(kind: str, unit: str | None, label: str | None, text: str | None,
                  after: str = "") -> tuple[str | None, str]:
    """(indicator, how) for one figure: how is 'rule' when a rule of indicators.yaml matched, else 'label'."""
    context = fold(" ".join(x for x in (label, text, after) if x))
    unit_key = fold(unit or "")
    for rule in rules():
        if rule.kinds and kind not in rule.kinds:
            continue
        if rule.units and unit_key not in rule.units:
            continue
        if rule.any and not any(t in context for t in rule.any):
            continue
        if any(t in context for t in rule.none):
            continue
        return rule.name, "rule"
    return normalise_label(label), "label"


def words_after(text: str, end: int, limit: int = 60) -> str:
    """The words after a figure up to the end of its clause ("10.260 hồ sơ| cấp CCCD, …" → " cấp CCCD")."""
    tail = text[end : end + limit]
    m = CLAUSE_END.search(tail)
    return tail[: m.start()] if m else tail


def classify(figures: Iterable[Any], text: str | None, notes: dict[str, str]) -> list[tuple[str | None, str]]:
    """(indicator, how) for each figure of one document (objects or rows with ``kind``, ``unit``, ``label``,
    ``text``, ``end``, ``in_footnote``, ``footnote_marker``): the document's ``text`` and its footnote ``notes``
    (marker → text) give the words after each figure."""
    out = []
    for f in figures:
        source = notes.get(f.footnote_marker) if f.in_footnote else text
        after = words_after(source, f.end) if source and f.end is not None else ""
        out.append(indicator_for(f.kind, f.unit, f.label, f.text, after))
    return out


@dataclass
class _StoredFigure:
    id: int
    document_id: str
    kind: str
    value: float | None
    unit: str | None
    label: str | None
    text: str | None
    end: int | None
    in_footnote: int | None
    footnote_marker: str | None


def rows(conn: Any, document_ids: Collection[str] | None = None) -> list[dict[str, Any]]:
    """One ``indicators`` row per figure of a sqlite3 connection (of ``document_ids`` only, when given); figures in
    footnotes read their footnote's text."""
    def only(col: str) -> str:  # the documents asked for, as a JSON array parameter
        return "" if document_ids is None else f" and {col} in (select value from json_each(?))"

    params = () if document_ids is None else (json.dumps(sorted(document_ids)),)
    texts = dict(conn.execute("select id, text from documents where status = 'ok'" + only("id"), params).fetchall())
    notes: dict[str, dict[str, str]] = {}
    for d, m, t in conn.execute("select document_id, marker, text from footnotes where 1" + only("document_id"),
                                params).fetchall():
        notes.setdefault(d, {})[m] = t
    by_document: dict[str, list[_StoredFigure]] = {}
    for r in conn.execute(
        "select id, document_id, kind, value, unit, label, text, [end], in_footnote, footnote_marker from figures "
        "where 1" + only("document_id") + " order by id", params,
    ).fetchall():
        by_document.setdefault(r[1], []).append(_StoredFigure(*r))
    out = []
    for did, figures in by_document.items():
        for f, (name, how) in zip(figures, classify(figures, texts.get(did), notes.get(did, {})), strict=True):
            out.append({"figure_id": f.id, "document_id": did, "indicator": name, "matched_by": how, "kind": f.kind,
                        "value": f.value, "unit": f.unit})
    return out
