"""The citation rules in rules/*.yaml: every example parses as its entry says, every registry entry is well formed."""

from __future__ import annotations

from datetime import date

import pytest
import regex

from extractor.extract.citations import _issuer_from_symbol, extract_from_text, rules
from extractor.resources import load_rules

TYPES = load_rules("doc_types.yaml")["types"]
EXAMPLES = [(t["canonical"], ex) for t in TYPES for ex in t["examples"]]


@pytest.mark.parametrize(("canonical", "example"), EXAMPLES)
def test_doc_type_examples(canonical: str, example: str) -> None:
    cits = extract_from_text(example)
    assert cits, example
    assert cits[0].doc_type == canonical
    assert cits[0].key


def test_abbreviations_are_unique() -> None:
    seen: dict[str, str] = {}
    for t in TYPES:
        for a in t.get("abbreviations") or []:
            assert a not in seen, f"{a} is both {seen[a]} and {t['canonical']}"
            seen[a] = t["canonical"]


@pytest.mark.parametrize(
    ("symbol", "issuer"),
    [
        ("QĐ-TTg", "Thủ tướng Chính phủ"),
        ("2020/NĐ-CP", "Chính phủ"),
        ("UBND-TTHC", "Ủy ban nhân dân"),
        ("CV-BHXH", "Bảo hiểm xã hội"),
        ("KH-CAH(QLHC)", "Công an huyện"),
        ("TB-VP.UBND", "Văn phòng Ủy ban nhân dân"),
        ("KH-C06-TTDLDC", "Cục Cảnh sát quản lý hành chính về trật tự xã hội"),
        ("QĐ-TCT68", None),
    ],
)
def test_issuer_codes(symbol: str, issuer: str | None) -> None:
    assert _issuer_from_symbol(symbol, party=False) == issuer


def test_party_issuer_code() -> None:
    assert _issuer_from_symbol("CT/TU", party=True) == "Tỉnh ủy"


def test_issuer_names_hold_their_separators() -> None:
    # every listed name survives as one issuer after "của"
    for name in load_rules("issuers.yaml")["names"]:
        cits = extract_from_text(f"Công văn số 12/UBND ngày 01/02/2023 của {name} về việc thử")
        assert cits[0].issuer == name, name


REGISTRY = load_rules("known_documents.yaml")["documents"]


@pytest.mark.parametrize("entry", REGISTRY, ids=[e["key"] for e in REGISTRY])
def test_registry_entry(entry: dict) -> None:
    assert isinstance(entry["date"], date)
    assert regex.fullmatch(r"\d{2,3}/(?:(?:19|20)\d\d/)?[A-ZĐ][\w.-]*", entry["key"]), entry["key"]
    if entry.get("name"):
        cits = extract_from_text(f"theo {entry['name']} năm {entry['date'].year};")
    else:
        cits = extract_from_text(f"{entry['doc_type']} số {entry['key']} ngày {entry['date']:%d/%m/%Y}")
    assert [c.key for c in cits] == [entry["key"]]
    for alias in entry.get("aliases") or []:
        assert extract_from_text(f"{entry['doc_type']} số {alias};")[0].key == entry["key"]


def test_registry_keys_are_unique() -> None:
    keys = [e["key"] for e in REGISTRY]
    assert len(keys) == len(set(keys))


def test_known_central_dates() -> None:
    by_key = rules().by_key
    assert by_key["06/QĐ-TTg"]["date"] == date(2022, 1, 6)
    assert by_key["422/QĐ-TTg"]["date"] == date(2022, 4, 4)
    assert by_key["68/2020/QH14"]["name"] == "Luật Cư trú"


def test_type_words_pattern_matches_as_the_longest_first_alternation(own_corpus) -> None:
    """The type-word pattern is built as a prefix tree for speed; on real report text it finds exactly the spans
    of the plain alternation, longest word first ("Công văn hỏa tốc" whole, not "Công văn")."""
    r = rules()
    words = sorted(r.type_words, key=len, reverse=True)
    plain = regex.compile(r"(?i)(?<![\p{L}\d])(?:" + "|".join(regex.escape(w) for w in words) + r")(?![\p{L}])")
    texts = [p.read_text(encoding="utf-8") for p in sorted((own_corpus / "reports").glob("*.md"))]
    texts.append("Công văn hỏa tốc số 12/CV; KẾ HOẠCH LIÊN NGÀNH số 3/KH-LN; chương trình công tác; Quy chế phối")
    found = 0
    for text in texts:
        spans = [m.span() for m in r.type_re.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)]
        found += len(spans)
    assert found > 100
    assert r.type_re.search("theo Công văn hỏa tốc số 12").group() == "Công văn hỏa tốc"
