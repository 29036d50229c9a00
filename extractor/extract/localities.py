"""Each report's locality: the commune / district / province it reports on, across the 2025 administrative merger.

The names come from what the report says about itself, in this order: the issuer ("Tổ Công tác Đề án 06 huyện Bình
Sơn"), the place line ("Sơn Trà, ngày 17 tháng 03 năm 2025"), the title ("… trên địa bàn thành phố Ngã Bảy") and the
body ("… trên địa bàn tỉnh Quảng Ngãi"). Every candidate is checked against the pre-2025 gazetteer in
``rules/gazetteer.yaml`` (63 provinces with their districts and communes, and each province's 2025 name), compared on
keys that ignore case, spelling of tone marks ("Hoà"/"Hòa") and diacritics, so "UBND XÃ SƠN TRÀ" and "xã Sơn Trà" are
one place. A commune is then mapped to its 2025 commune and province with underthesea's public
``underthesea.convert_address``; districts were abolished in 2025, so for a district or province only the 2025
province is given.

underthesea's public API converts one address but does not list the units it knows, so the gazetteer is docmine's own
data, generated from the address data in the underthesea wheel by ``corpus/build_gazetteer.py`` (the names
``convert_address`` is then asked about are its own); nothing private of underthesea is called.

>>> loc = locate(issuer="Tổ Công tác Đề án 06 huyện Bình Sơn", place="Bình Sơn")
>>> loc.district, loc.province, loc.province_2025
('Huyện Bình Sơn', 'Tỉnh Quảng Ngãi', 'Tỉnh Quảng Ngãi')
>>> loc = locate(issuer="UBND XÃ SƠN TRÀ")
>>> loc.commune, loc.district, loc.commune_2025, loc.merger
('Xã Sơn Trà', 'Huyện Trà Bồng', 'Xã Tây Trà', 'merged')
>>> locate(issuer="UBND thành phố Ngã Bảy").province_2025
'Thành phố Cần Thơ'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Locality
from ..prepare.normalise import mostly_capitals
from ..resources import load_rules

LEVEL_ORDER = ("commune", "district", "province")


# --------------------------------------------------------------------------------------------------------------
# The gazetteer (rules/gazetteer.yaml)


def fold(text: str) -> str:
    """A matching key: lowercase, no diacritics (đ → d), letters and digits only. "Hoà" and "Hòa" fold alike.

    >>> fold("Sơn Trà") == fold("SƠN TRÀ") == fold("Son Tra")
    True
    >>> fold("Thừa Thiên Huế"), fold("Hoà Bình") == fold("Hòa Bình")
    ('thuathienhue', True)
    """
    # the keys underthesea's address converter matches on (tests/test_localities.py holds the two equal): NFC, then
    # the Icelandic eth "ð" that legacy keyboards type for "đ", then every mark dropped
    text = unicodedata.normalize("NFC", text).lower().translate(_D)
    return _NOT_KEY.sub("", unicodedata.normalize("NFKD", text))


_D = str.maketrans({"đ": "d", "ð": "d"})
_NOT_KEY = re.compile(r"[^a-z0-9]+")


_PREFIXES = {
    "commune": ("Xã ", "Phường ", "Thị trấn "),
    "district": ("Huyện ", "Quận ", "Thị xã ", "Thành phố "),
    "province": ("Tỉnh ", "Thành phố "),
}


def _short(name: str, level: str) -> str:
    for prefix in _PREFIXES[level]:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@dataclass
class _Gazetteer:
    provinces: dict[str, str]  # folded short name → "Tỉnh Quảng Ngãi"
    province_new: dict[str, str]  # old full name → 2025 full name
    districts: dict[str, set[tuple[str, str]]]  # folded short name → {(district, province)}
    communes: dict[str, set[tuple[str, str, str]]]  # folded short name → {(commune, district, province)}
    district_kinds: dict[tuple[str, str], str]  # (district, province) → its own name, e.g. "Thành phố Ngã Bảy"


@functools.cache
def gazetteer() -> _Gazetteer:
    data = load_rules("gazetteer.yaml")["provinces"]
    provinces = {fold(info["short"]): name for name, info in data.items()}
    province_new = {name: info["new"] for name, info in data.items() if info["new"]}
    districts: dict[str, set[tuple[str, str]]] = {}
    communes: dict[str, set[tuple[str, str, str]]] = {}
    kinds: dict[tuple[str, str], str] = {}
    for prov, info in data.items():
        for dist, wards in info["districts"].items():
            districts.setdefault(fold(_short(dist, "district")), set()).add((dist, prov))
            kinds[(dist, prov)] = dist
            for ward in wards:
                communes.setdefault(fold(_short(ward, "commune")), set()).add((ward, dist, prov))
    return _Gazetteer(provinces, province_new, districts, communes, kinds)


# --------------------------------------------------------------------------------------------------------------
# Candidates in the report's own words


@functools.cache
def _rules() -> tuple[regex.Pattern, dict[str, str], set[str], int]:
    rules = load_rules("localities.yaml")
    levels: dict[str, str] = rules["levels"]
    words = "|".join(regex.escape(w) for w in sorted(levels, key=len, reverse=True))
    n = int(rules.get("max_name_words", 4))
    name = rf"\p{{Lu}}[\p{{L}}\p{{M}}]*(?:(?:\s+|\s*-\s*)\p{{Lu}}[\p{{L}}\p{{M}}]*){{0,{n - 1}}}"
    pattern = regex.compile(rf"(?<![\p{{L}}])(?P<level>(?i:{words}))\s+(?P<name>{name})")
    return pattern, {k.lower(): v for k, v in levels.items()}, {fold(w) for w in rules["not_names"]}, n


@functools.cache
def _level_word() -> regex.Pattern:
    """Any level word, any case: a line without one names no unit (a quick test before the full pattern)."""
    words = "|".join(regex.escape(w) for w in sorted(load_rules("localities.yaml")["levels"], key=len, reverse=True))
    return regex.compile(rf"(?i:{words})")


@dataclass
class _Candidate:
    level: str  # 'commune', 'district', 'province', 'city' or 'any' (a bare place name)
    name: str
    source: str
    evidence: str


def _title_case_capitals(text: str) -> str:
    """"UBND XÃ SƠN TRÀ" → "Ubnd Xã Sơn Trà": headings in capitals, so the capitalised-name rule applies."""
    return text.title() if mostly_capitals(text) else text


def candidates(text: str, source: str) -> list[_Candidate]:
    """Level word + capitalised name pairs in ``text`` ("huyện Bình Sơn", "XÃ SƠN TRÀ")."""
    pattern, levels, not_names, _ = _rules()
    out = []
    level_word = _level_word()
    for line in text.splitlines():
        if not level_word.search(line):
            continue
        line = _title_case_capitals(line)
        for m in pattern.finditer(line):
            words = m.group("name").split()
            if fold(words[0]) in not_names:
                continue
            out.append(_Candidate(levels[m.group("level").lower()], m.group("name"), source, m.group(0)))
    return out


def _prefixes(name: str) -> list[str]:
    """"Bình Sơn Trong" → ["Bình Sơn Trong", "Bình Sơn", "Bình"]: names end where the gazetteer says."""
    words = name.split()
    return [" ".join(words[:i]) for i in range(len(words), 0, -1)]


# --------------------------------------------------------------------------------------------------------------
# Resolution


def _resolve(c: _Candidate, g: _Gazetteer) -> tuple[str, str, set] | None:
    """(level, short name, gazetteer entries) for the longest prefix of the candidate's name that is a unit."""
    order = {
        "commune": ("commune",),
        "district": ("district",),
        "province": ("province",),
        "city": ("province", "district"),
        "any": ("district", "commune", "province"),
    }[c.level]
    for name in _prefixes(c.name):
        key = fold(name)
        for level in order:
            if level == "province" and key in g.provinces:
                return level, name, {g.provinces[key]}
            if level == "district" and key in g.districts:
                entries = g.districts[key]
                if c.level == "city":  # "thành phố X" at district level is a city, not a huyện of the same name
                    entries = {e for e in entries if e[0].startswith("Thành phố ")} or entries
                return level, name, entries
            if level == "commune" and key in g.communes:
                return level, name, g.communes[key]
    return None


_Found = tuple[str, str, set, _Candidate]  # (level, short name, gazetteer entries, the candidate)


def locate(issuer: str | None = None, place: str | None = None, title: str | None = None,
           text: str | None = None) -> Locality:
    """The locality a report names for itself (see the module docstring for the order of evidence)."""
    g = gazetteer()
    found, first_named = _evidence(g, issuer, place, title, text)
    loc = _narrowed(found)
    if loc.level:
        most = getattr(loc, loc.level)
        loc.locality = most if loc.level == "province" else f"{most}, {loc.province}"
    elif first_named is not None:  # a unit the gazetteer does not know: keep it as the report names it
        word = first_named.evidence[: len(first_named.evidence) - len(first_named.name)].strip()
        loc.level = first_named.level if first_named.level in LEVEL_ORDER else "district"
        loc.source, loc.evidence = first_named.source, first_named.evidence
        loc.locality = f"{word.capitalize()} {first_named.name}"
    if loc.province:
        loc.province_2025 = g.province_new.get(loc.province)
    if loc.commune:
        _merge_commune(loc)
    return loc


def _evidence(g: _Gazetteer, issuer: str | None, place: str | None, title: str | None,
              text: str | None) -> tuple[list[_Found], _Candidate | None]:
    """The units the report's fields name that the gazetteer knows, in the order of evidence, and the first unit
    the issuer or title names at all (known or not)."""
    found: list[_Found] = []
    named = False  # whether the issuer or title names a unit at all (known to the gazetteer or not)
    for source, value in (("issuer", issuer), ("title", title)):
        for c in candidates(value or "", source):
            named = True
            r = _resolve(c, g)
            if r:
                found.append((*r, c))
    # a bare place line ("Tuyên Quang, ngày …") only when the issuer and title name no unit: when they name one the
    # gazetteer does not know, guessing from the place line would give a namesake elsewhere
    first_named = next(iter(candidates(issuer or "", "issuer") + candidates(title or "", "title")), None)
    if place and not named:
        c = _Candidate("any", place.strip(), "place", place.strip())
        r = _resolve(c, g)
        if r:
            found.append((*r, c))
    if text:  # the body: its most named province, then the first district/commune it names
        provinces = [(next(iter(r[2])), c) for c in candidates(text[:20000], "text")
                     if (r := _resolve(c, g)) and r[0] == "province"]
        for prov, _ in Counter(p for p, _ in provinces).most_common(1):
            found.append(("province", prov, {prov}, next(c for p, c in provinces if p == prov)))
    return found, first_named


def _narrowed(found: list[_Found]) -> Locality:
    """The commune, district and province the evidence agrees on (the first evidence of each level wins; a
    commune or district is kept only when one unit remains once narrowed by the others), with its level and the
    words that named it."""
    loc = Locality()
    province = district = commune = None
    evidence: dict[str, _Candidate] = {}
    for level, _, entries, c in found:
        if level == "province" and province is None:
            province = next(iter(entries))
            evidence.setdefault(level, c)
        elif level == "district" and district is None:
            district = entries
            evidence.setdefault(level, c)
        elif level == "commune" and commune is None:
            commune = entries
            evidence.setdefault(level, c)
    if commune is not None:
        narrowed = {e for e in commune if province in (None, e[2])} or commune
        if district is not None:
            names = {d for d, _ in district}
            narrowed = {e for e in narrowed if e[1] in names} or narrowed
        if len(narrowed) == 1:
            loc.commune, dist, prov = next(iter(narrowed))
            district, province = {(dist, prov)}, prov
    if district is not None:
        narrowed_d = {e for e in district if province in (None, e[1])} or district
        if len(narrowed_d) == 1:
            loc.district, province = next(iter(narrowed_d))
    loc.province = province
    for level in LEVEL_ORDER:
        if getattr(loc, level):
            loc.level = level
            c = evidence.get(level) or evidence.get("commune") or evidence.get("district")
            if c is not None:
                loc.source, loc.evidence = c.source, c.evidence
            break
    return loc


def _merge_commune(loc: Locality) -> None:
    from underthesea import convert_address

    result = convert_address(f"{loc.commune}, {loc.district}, {loc.province}")
    if result.status.value == "success" and result.new.ward:
        loc.commune_2025 = result.new.ward
        loc.province_2025 = result.new.province or loc.province_2025
        loc.merger = result.mapping_type.value if result.mapping_type else None


def locality_of(doc: Any) -> Locality:
    """The locality of a prepared :class:`~extractor.model.Document` (from its metadata and text)."""
    m = doc.metadata
    return locate(m.issuer, m.place, m.title, doc.text)
