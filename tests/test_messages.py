"""rules/strings.yaml: every user-facing string has Vietnamese and English with the same placeholders; every table
and column of the schema has a Vietnamese description; every kind of finding the audit writes has a name."""

from __future__ import annotations

import string

from extractor.messages import entry, finding_kinds, set_lang, strings, t, table_descriptions
from extractor.store.schema import TABLES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_entry_has_both_languages_and_the_same_placeholders():
    data = strings()
    n = 0
    for section in ("cli", "severity", "finding_kinds", "site"):
        for key, value in data[section].items():
            assert set(value) == {"vi", "en"}, f"{section}.{key}"
            assert value["vi"].strip() and value["en"].strip(), f"{section}.{key}"
            assert _fields(value["vi"]) == _fields(value["en"]), f"{section}.{key}"
            n += 1
    assert n > 90


def test_every_table_and_column_has_a_vietnamese_description():
    vi = strings()["tables"]
    for table, (_, cols) in TABLES.items():
        assert vi[table]["vi"], table
        assert set(vi[table]["columns"]) == set(cols), table
    described = table_descriptions("vi")
    assert described["findings"]["columns"]["severity"] == "'error' (lỗi) hoặc 'warning' (cảnh báo)"
    assert table_descriptions("en")["findings"]["columns"]["severity"] == "'error' or 'warning'"


def test_every_kind_the_audit_writes_has_a_name():
    from extractor.resources import load_rules

    written = set(load_rules("audit.yaml")["severity"])  # every kind the audit writes has a severity there
    assert written and written <= set(finding_kinds())


def test_language_switch():
    try:
        set_lang("en")
        assert t("cli.no_findings") == "No findings."
        set_lang("vi")
        assert t("cli.no_findings") == "Không có phát hiện nào."
        assert t("cli.db_missing", path="x.db").startswith("không có cơ sở dữ liệu x.db")
    finally:
        set_lang(None)
    assert entry("severity.error") == {"vi": "lỗi", "en": "error"}
