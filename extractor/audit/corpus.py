"""Across reports: one document cited with different dates by different reports (citation_date_conflict with no
document_id).

A central document (registry or central issuer) is one document nationwide. A local one ("245/KH-CAH", "12-CT/TU",
"04/UBND") is compared only between reports of the place it belongs to: its issuer's level (from the symbol, or the
"của …" issuer of the mention, rules/audit.yaml ``local_scope``) picks the report's unit of that level (the
district for CAH, the province for TU); a key whose level is unknown is scoped by the report's most specific unit.
"""

from __future__ import annotations

import functools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import regex

from ..model import Finding
from .citations import registry
from .findings import make
from .messages import fmt_date, settings

_CODE_SPLIT = regex.compile(r"[-/().]")
Place = tuple[str | None, str | None, str | None]  # (commune, district, province) of a report
_LEVELS = ("commune", "district", "province")


@functools.cache  # a pure function of the key once the rules are loaded; asked for every citation in the corpus
def is_central(key: str) -> bool:
    if key in registry():
        return True
    central = set(settings()["central_issuers"])
    symbol = key.split("/", 1)[1] if "/" in key else ""
    codes = _CODE_SPLIT.split(symbol)
    return any(code in central for code in codes[1:] or codes)


@functools.cache
def _code_level(key: str) -> str | None:
    codes = [c for c in _CODE_SPLIT.split(key.split("/", 1)[1] if "/" in key else "") if c]
    scope = settings()["local_scope"]
    for level in _LEVELS:
        if any(c in scope[level] for c in codes):
            return level
    return None


@functools.cache  # as _code_level: asked for every mention of every local key, of a few distinct issuers
def _issuer_level(issuer: str | None) -> str | None:
    if not issuer:
        return None
    words = settings()["issuer_level_words"]
    low = issuer.lower()
    for level in ("commune", "district", "province"):
        if any(regex.search(rf"\b{regex.escape(w)}\b", low) for w in words[level]):
            return level
    return None


def scope_of(key: str, issuer: str | None, place: Place | None) -> tuple[str, str] | None:
    """("district", "Huyện Bình Sơn") for a local key cited by a report of that district; ("", "") for a central
    key; None when the report's place at the key's level is unknown (nothing to compare it with)."""
    if is_central(key):
        return ("", "")
    if not place:
        return None
    level = _code_level(key) or _issuer_level(issuer)
    if level is None:  # the report's most specific unit
        level = next((lv for lv, name in zip(_LEVELS, place, strict=True) if name), None)
    if level is None:
        return None
    name = place[_LEVELS.index(level)]
    if not name:
        return None
    # a district or commune name is unique only within its province
    return (level, " / ".join(n for n in place[_LEVELS.index(level):] if n))


def _as_date(when: date | str | None) -> date | None:
    if isinstance(when, str):
        try:
            return date.fromisoformat(when)
        except ValueError:
            return None
    return when


def corpus_date_conflicts(rows: Iterable[Sequence], names: Mapping[str, str] | None = None,
                          places: Mapping[str, Place] | None = None) -> list[Finding]:
    """Documents cited with different dates in different reports of the same scope.

    ``rows`` are (document_id, key, issued_date[, issuer]) of every citation; ``names`` maps a document id to the
    name to show; ``places`` a document id to its (commune, district, province) -- without it only central
    documents are compared. Two reports must disagree outright (no date in common): a report citing both the
    right and a wrong date is that report's own conflict, found by :func:`audit_document`.
    """
    names, places = names or {}, places or {}
    seen: dict[tuple[str, tuple[str, str]], dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        doc_id, key, when = row[0], row[1], _as_date(row[2])
        if not key or not when:
            continue
        scope = scope_of(key, row[3] if len(row) > 3 else None, places.get(doc_id))
        if scope is None:
            continue
        seen[(key, scope)][when].add(doc_id)
    return [f for (key, scope), dates in sorted(seen.items()) if (f := _conflict(key, scope, dates, names))]


def _conflict(key: str, scope: tuple[str, str], dates: dict[date, set[str]], names: Mapping[str, str]
              ) -> Finding | None:
    if len(dates) < 2:
        return None
    per_doc: dict[str, set[date]] = defaultdict(set)
    for d, ids in dates.items():
        for i in ids:
            per_doc[i].add(d)
    sets = list(per_doc.values())
    if len(sets) < 2 or not any(not (a & b) for n, a in enumerate(sets) for b in sets[n + 1 :]):
        return None

    def listing(word: str) -> str:
        return "; ".join(f"{fmt_date(d)} {word} {', '.join(sorted(names.get(i, i[:12]) for i in ids))}"
                         for d, ids in sorted(dates.items()))

    entry = registry().get(key)
    true = entry.get("date") if entry else None
    params = {
        "key": key, "listing_vi": listing("tại"), "listing_en": listing("in"),
        "scope_vi": f" cùng địa bàn {scope[1]}" if scope[1] else "",
        "scope_en": f" of {scope[1]}" if scope[1] else "",
        "advice_vi": f" Danh mục văn bản ghi ngày {fmt_date(true)}: sửa các báo cáo ghi sai." if true
        else " Đối chiếu văn bản gốc và sửa các báo cáo ghi sai.",
        "advice_en": f" The registry gives {fmt_date(true)}: correct the other reports." if true
        else " Check the original and correct the wrong reports.",
    }
    return make("citation_date_conflict", params, template_name="corpus_date_conflict", key=key,
                text=", ".join(fmt_date(d) for d in sorted(dates)))


def audit_corpus(db: str | Path | sqlite3.Connection) -> list[Finding]:
    """Cross-report findings for a docmine database (reads ``documents``, ``citations`` and, when present,
    ``localities``)."""
    conn = db if isinstance(db, sqlite3.Connection) else sqlite3.connect(str(db))
    try:
        names = dict(conn.execute("SELECT id, COALESCE(file_name, path, id) FROM documents").fetchall())
        cols = {r[1] for r in conn.execute("PRAGMA table_info(citations)")}
        issuer = "issuer" if "issuer" in cols else "NULL"
        rows = conn.execute(f"SELECT document_id, key, issued_date, {issuer} FROM citations "
                            "WHERE key IS NOT NULL AND issued_date IS NOT NULL").fetchall()
        places = {}
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'localities'").fetchone():
            places = {r[0]: (r[1], r[2], r[3]) for r in
                      conn.execute("SELECT document_id, commune, district, province FROM localities")}
    finally:
        if not isinstance(db, sqlite3.Connection):
            conn.close()
    return corpus_date_conflicts(rows, names, places)
