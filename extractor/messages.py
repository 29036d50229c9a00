"""docmine's user-facing strings, Vietnamese first with English beside: ``rules/strings.yaml`` is the one place they
live; this module picks the language and fills the placeholders.

The language is ``vi`` unless ``set_lang("en")`` was called (``docmine --lang en``) or ``DOCMINE_LANG=en`` is set.
``t("cli.db_missing", path=...)`` returns the text of one entry; table and column descriptions for Datasette come
from ``table_descriptions()`` (Vietnamese from the strings file, English from ``extractor/store/schema.py``).
"""

from __future__ import annotations

import os
from typing import Any

from .resources import load_rules

LANGS = ("vi", "en")
STRINGS_FILE = "strings.yaml"
_lang: str | None = None


def strings() -> dict[str, Any]:
    """The parsed ``rules/strings.yaml`` (read once per process)."""
    return load_rules(STRINGS_FILE)


def set_lang(lang: str | None) -> None:
    """Choose the language for the rest of the process (None: back to DOCMINE_LANG / Vietnamese)."""
    if lang is not None and lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    global _lang
    _lang = lang


def lang() -> str:
    """The current language: ``set_lang``'s, else DOCMINE_LANG's (when it is vi or en), else ``vi``."""
    if _lang is not None:
        return _lang
    env = (os.environ.get("DOCMINE_LANG") or "").strip().lower()[:2]
    return env if env in LANGS else "vi"


def entry(key: str) -> dict[str, str]:
    """The ``{vi: …, en: …}`` entry at a dotted key such as ``cli.db_missing``."""
    node: Any = strings()
    for part in key.split("."):
        node = node[part]
    return node


def t(key: str, lang_: str | None = None, **values: Any) -> str:
    """The text of ``key`` in the current language (or ``lang_``), placeholders filled from ``values``."""
    text = entry(key)[lang_ or lang()]
    return text.format(**values) if values else text


def severity(value: str | None, lang_: str | None = None) -> str:
    """A finding's severity in words ('error' → 'lỗi'); unknown values are shown as they are."""
    known = strings()["severity"]
    return known[value][lang_ or lang()] if value in known else (value or "")


def finding_kinds() -> dict[str, dict[str, str]]:
    """Every kind of finding docmine reports, with its short name in each language."""
    return strings()["finding_kinds"]


def table_descriptions(lang_: str | None = None) -> dict[str, dict[str, Any]]:
    """Per-table Datasette metadata in the chosen language: ``{table: {description, columns: {col: text}}}``.
    English is the schema's own text (the public interface); Vietnamese comes from the strings file, falling back
    to the English line for a column added to the schema but not yet translated."""
    from .store.schema import datasette_tables

    out = datasette_tables()
    if (lang_ or lang()) == "en":
        return out
    vi = strings()["tables"]
    for table, meta in out.items():
        mine = vi.get(table) or {}
        meta["description"] = mine.get("vi") or meta["description"]
        cols = mine.get("columns") or {}
        meta["columns"] = {c: cols.get(c) or text for c, text in meta["columns"].items()}
    return out


__all__ = ["LANGS", "entry", "finding_kinds", "lang", "set_lang", "severity", "strings", "t", "table_descriptions"]
