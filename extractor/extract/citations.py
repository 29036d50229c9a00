"""Citations: every document a report cites, in its body and its footnotes (schema.md ``citations``).

The forms (domain.md §3) are read by one grammar over the normalised text of each block and footnote::

    TYPE ["số"] NUMBER["/"SYMBOL] [("," | "và") NUMBER["/"SYMBOL]]* [","] [DATE] ["của" ISSUER] [DATE] [SUBJECT]

- TYPE is a document-type word from ``rules/doc_types.yaml`` ("Công văn", "hướng dẫn", "Chỉ thị"); a bare symbol
  whose type code is known ("(Quyết định số 03/QĐ-TCT68 …)", "theo 45/2020/NĐ-CP") is read without it.
- NUMBER may be blank in a template ("Công văn số /STP-HCTP ngày / /2023"); a number without a symbol needs "số"
  ("Nghị quyết số 50, ngày 08/4/2022"). Party documents join number and type with a hyphen ("29-CT/TU").
- ISSUER follows "của" and ends at punctuation, a stop word or the subject; bodies whose names hold "về" or "và"
  ("Cục Cảnh sát QLHC về TTXH", "Bộ Thông tin và Truyền thông") come from ``rules/issuers.yaml``. Without "của",
  the issuer is the one the symbol implies (TTg → Thủ tướng Chính phủ).
- Laws are also cited by name ("Luật Cư trú năm 2020"); ``rules/known_documents.yaml`` gives their keys.

Not citations: the report's own number line and header, references to the report itself (its own symbol),
incoming-mail stamps ("ĐẾN Số: 4.15"), the project name "Đề án 06/CP", and generic mentions without a number.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import regex

from ..lang.dates import date_at
from ..model import Block, Citation, Document
from ..prepare.metadata import subject_blocks
from ..prepare.similarity import fold
from ..resources import load_rules
from .spans import overlaps

# ---------------------------------------------------------------------------------------------------------------
# Rules


def _strip_marks(text: str) -> str:
    """Lowercase ASCII skeleton used to compare names ("Luật Ban hành vãn bản" == "luat ban hanh van ban"):
    ``prepare.similarity.fold`` (one translation of the text) with whitespace folded."""
    return " ".join(fold(text).split())


def _law_skeleton(name: str) -> str:
    """A law's name compared without tone marks, case and commas ("Luật Phòng chống bạo lực gia đình" == "Luật
    Phòng, chống bạo lực gia đình")."""
    return _strip_marks(name.replace(",", " "))


@dataclass
class _Rules:
    type_words: dict[str, str]  # lowercase word -> canonical type
    abbreviations: dict[str, str]  # type code in a symbol -> canonical type
    count_nouns: dict[str, str]  # lowercase noun -> canonical type
    default_type: str
    not_documents: list[regex.Pattern]
    codes: dict[str, str]
    names: list[str]
    locality: list[str]
    stop_words: list[list[str]]
    registry: list[dict]
    stops_by_first: dict[str, list[list[str]]] = field(default_factory=dict)  # stop phrases by their first word
    upper_codes: dict[str, str] = field(default_factory=dict)  # issuer codes by their upper-case form
    empty_stop: bool = False
    by_key: dict[str, dict] = field(default_factory=dict)
    law_names: dict[str, dict] = field(default_factory=dict)
    # every version of a law the registry holds, oldest first ("Luật Doanh nghiệp" 2005 and 2020): a law named
    # without its year is the version in force on the citing document's date
    law_versions: dict[str, list[dict]] = field(default_factory=dict)
    law_registry: dict[str, dict] = field(default_factory=dict)  # skeleton of a law's full name -> entry
    bill_before: regex.Pattern | None = None  # "dự thảo Luật …": a bill still to be drafted, no citation
    type_re: regex.Pattern | None = None
    names_re: regex.Pattern | None = None
    short_words: dict[str, str] = field(default_factory=dict)  # "QĐ" -> Quyết định, only before "số"
    short_re: regex.Pattern | None = None
    not_in_tables: set[str] = field(default_factory=set)  # types that are no citation in a table cell
    type_codes: dict[str, str] = field(default_factory=dict)  # canonical type -> its code in a symbol ("QĐ")
    bare_types: set[str] = field(default_factory=set)  # types cited by a bare number: "theo Kế hoạch 02"
    bare_not_before: set[str] = field(default_factory=set)  # words that make such a number a quantity ("2 năm")
    bare_naming: regex.Pattern | None = None  # "(viết tắt là Chỉ thị 11)": a short name being given, no mention


@functools.cache
def rules() -> _Rules:
    types = load_rules("doc_types.yaml")
    issuers = load_rules("issuers.yaml")
    known = load_rules("known_documents.yaml")
    laws = load_rules("laws.yaml")
    type_words: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    count_nouns: dict[str, str] = {}
    for t in types["types"]:
        for w in t["words"]:
            type_words[w.lower()] = t["canonical"]
        for a in t.get("abbreviations") or []:
            abbreviations[a] = t["canonical"]
        for n in t.get("count_nouns") or []:
            count_nouns[n.lower()] = t["canonical"]
    short_words = {w: t["canonical"] for t in types["types"] for w in t.get("short_words") or []}
    r = _Rules(
        type_words=type_words,
        abbreviations=abbreviations,
        count_nouns=count_nouns,
        default_type=types.get("default_type", "Công văn"),
        not_documents=[regex.compile(p, regex.IGNORECASE) for p in types.get("not_documents") or []],
        codes={str(k): v for k, v in issuers["codes"].items()},
        names=sorted(issuers["names"], key=len, reverse=True),
        locality=issuers["locality"],
        stop_words=[w.lower().split() for w in issuers["stop_words"]],
        registry=known["documents"],
    )
    for stop in r.stop_words:
        if stop:
            r.stops_by_first.setdefault(stop[0], []).append(stop)
        else:
            r.empty_stop = True
    r.upper_codes = {k.upper(): v for k, v in r.codes.items()}
    for entry in r.registry:
        r.by_key[entry["key"]] = entry
        for alias in entry.get("aliases") or []:
            r.by_key.setdefault(alias, entry)
        if entry.get("name"):
            r.law_names[_strip_marks(entry["name"])] = entry
    for law in sorted(laws["laws"], key=lambda law: str(law["date"]), reverse=True):  # rules/laws.yaml, newest first
        entry = {"key": law["key"], "doc_type": "Luật", "date": law["date"], "issuer": "Quốc hội", "name": law["name"]}
        for name in [law["name"], *(law.get("aliases") or [])]:
            r.law_registry.setdefault(_law_skeleton(name), r.law_names.get(_strip_marks(law["name"]), entry))
            r.law_versions.setdefault(_strip_marks(name), []).insert(0, entry)
        r.law_names.setdefault(_strip_marks(law["name"]), entry)
        r.by_key.setdefault(law["key"], entry)
    if laws.get("bill_words"):
        alts = _phrases(laws["bill_words"])
        bodies = _phrases(laws.get("bill_not_after") or [])  # "Sở Xây dựng", "Bộ Xây dựng": a body, no drafting
        not_body = rf"(?<!(?:{bodies})[ \t]+)" if bodies else ""
        r.bill_before = regex.compile(rf"(?i)(?<![\p{{L}}]){not_body}(?:{alts})(?:[ \t]+(?:các|một|mới|\d+))?[ \t]+$")
    r.type_re = regex.compile(r"(?i)(?<![\p{L}\d])(?:" + _trie(type_words) + r")(?![\p{L}])")
    r.short_words = short_words
    r.type_codes = {t["canonical"]: t["abbreviations"][0] for t in types["types"] if t.get("abbreviations")}
    r.not_in_tables = {t["canonical"] for t in types["types"] if t.get("not_in_tables")}
    bare = types.get("bare_number") or {}
    r.bare_types = set(bare.get("types") or ())
    r.bare_not_before = {w.lower() for w in bare.get("not_before") or ()}
    if bare.get("naming"):
        alts = _phrases(bare["naming"])
        r.bare_naming = regex.compile(rf"(?i)(?:{alts})[ \t:]*[\"“]?$")
    if short_words:  # "QĐ số 1656 …": case-sensitive, and only before "số"
        alts = "|".join(regex.escape(w) for w in sorted(short_words, key=len, reverse=True))
        r.short_re = regex.compile(r"(?<![\p{L}\d])(?:" + alts + r")(?=[ \t]+(?:số|sô|sổ)[ \t]*[\dIl])")
    r.names_re = regex.compile(r"(?i)(?:" + "|".join(regex.escape(n) for n in r.names) + r")(?![\p{L}])")
    return r


def _phrases(phrases: Iterable[str]) -> str:
    """One regex alternation of ``phrases`` whose words may be parted by any run of spaces or tabs, longest first:
    "sau đây gọi là" before "gọi là"."""
    longest_first = sorted(phrases, key=len, reverse=True)
    return "|".join((_SP + "+").join(regex.escape(w) for w in p.split()) for p in longest_first)


def _trie(words: Iterable[str]) -> str:
    r"""One regex alternation of lowercase ``words`` as a prefix tree: "công (?:văn(?: khẩn)?|điện)" rather than
    "công văn khẩn|công văn|công điện", which the engine tries a word at a time at every position of the text. A
    longer word is tried before its prefix, as in the longest-first alternation it replaces.

    >>> _trie(["công văn", "công văn khẩn", "công điện"])
    'công\\ (?:văn(?:\\ khẩn)?|điện)'
    """
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [regex.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


# ---------------------------------------------------------------------------------------------------------------
# The grammar

_SP = r"[ \t]"
# one part of a symbol: "UBND", "TTg", "TCTĐA06", "VP.UBND", "C06", "QyĐ"
_TOK = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:&[A-ZĐ][A-Za-zĐđ0-9]*)?(?:\.[A-ZĐ][A-Za-zĐđ0-9]*)*(?![\p{L}\d])"
# "-", "- " and " -X"; spaced both sides only before an upper-case code ("1234 / QĐ - UBND", not "UBND - Bộ")
_DASH = r"(?:[-–—_]" + _SP + r"?|" + _SP + r"[-–—](?=\S)|" + _SP + r"[-–—]" + _SP + r"(?=[A-ZĐ][A-ZĐ0-9]))"
_SYMBOL = rf"(?:(?:19|20)\d\d{_SP}?/{_SP}?)?{_TOK}(?:{_DASH}{_TOK}|\({_TOK}(?:[-–—]{_TOK})*\))*"
# the 2025 decimal numbering: "Nghị quyết số 66.2/2025/NQ-CP"
_NUMBER = r"(?:[Il](?=\d{2,4}[ \t]?/))?\d{1,5}(?:\.\d{1,2}(?=[ \t]?/))?(?:[a-z](?![\p{L}]))?"
# number and symbol as written after a type word ("2815/TCTĐA06", "55 /KH-UBND", "1708-CV/HU", "     /STP-HCTP")
_NUMSYM = regex.compile(
    rf"(?P<num>{_NUMBER})?(?:"
    rf"-{_SP}?(?P<ptype>[A-ZĐ][A-Za-zĐ]{{0,4}}){_SP}?/{_SP}?(?P<psym>{_SYMBOL})"
    rf"|{_SP}*/{_SP}*(?P<gap>[-–](?=[A-ZĐ]))?(?P<sym>{_SYMBOL})"
    # "số 1327 TVM.XD": a space for the "/", a dot or "_" for the "-" (read only after a type word and "số")
    rf"|{_SP}+(?P<vsym>[A-ZĐ][A-ZĐ0-9]{{1,9}}[._-][A-ZĐ][A-ZĐ0-9]{{1,9}})(?![\p{{L}}\d/])"
    rf")?"
)
# words between a type word and "số": "Giấy phép khai thác khoáng sản số 333/GP-ATMT", "Báo cáo kết quả thẩm tra
# TKBVTC - DT số 1327/TVM-XD" (at most seven words, no punctuation that ends a clause)
_BETWEEN = regex.compile(rf"(?:{_SP}+(?:[\p{{L}}][\p{{L}}\d]*|[-–])){{1,7}}?{_SP}+(?:số|sổ){_SP}*(?=[\dIl])")
_BETWEEN_WORD = regex.compile(r"[\p{L}][\p{L}\d]*")
_SO_BEFORE = regex.compile(r"(?i)(?:^|[\s;,(])(?:số|sổ)[ \t]*$")
_AFTER_TYPE = regex.compile(rf"{_SP}*(?:(?P<so>(?i:số|sô|sổ)){_SP}*)?:?{_SP}*")
_BARE = regex.compile(
    rf"(?<![\p{{L}}\d/.\-])(?P<num>\d{{1,5}})(?:-(?P<ptype>[A-ZĐ][A-Za-zĐ]{{0,4}}){_SP}?/{_SP}?(?P<psym>{_SYMBOL})"
    rf"|{_SP}?/{_SP}?(?P<sym>{_SYMBOL}))"
)
_COORD = regex.compile(rf"(?:{_SP}*,{_SP}*|{_SP}+và{_SP}+)(?:(?i:số){_SP}+)?(?=\d)")
_DATE_LEAD = regex.compile(
    rf"{_SP}*,?{_SP}*(?:(?:được{_SP}+)?ban{_SP}+hành{_SP}+)?"
    # a misspelt "ngày" before a written date ("số 487/VIMICO-ĐTXD ngằy 28/02/2025", lc-tb-sanbang.doc)
    rf"(?:(?!ngày)ng[aàằạảãâăấầ]y{_SP}+(?=\d{{1,2}}/\d{{1,2}}/(?:19|20)\d\d))?"
)
_OF = regex.compile(rf"{_SP}*,?{_SP}*của{_SP}+")
_SUBJECT = regex.compile(rf"{_SP}*,?{_SP}*(?:(?:chỉ{_SP}+đạo|kết{_SP}+luận){_SP}+)?(?:về{_SP}+việc|V/v|v/v|về)\b{_SP}*")
_SUBJECT_END = regex.compile(r"[;\n]|\.(?=\s|$)")
_OWN_NUMBER = regex.compile(rf"^{_SP}*(?i:số)\s*:?\s*(?P<num>\d*)\s*/\s*(?P<sym>{_SYMBOL})")
_NUMBER_LINE_BEFORE = regex.compile(r"(?i)(?:^|\n)\s*số\s*:?\s*$")
# "Luật Cư trú", "Bộ luật Lao động", "Luật sửa đổi, bổ sung …", and a lower-case name with its number ("Luật đất đai
# số 31/2024/QH15")
_LAW = regex.compile(
    r"(?<![\p{L}])(?:Bộ" + _SP + r"+luật|Luật)" + _SP
    + r"+(?=\p{Lu}|sửa đổi|\p{Ll}[\p{L} ]{1,60}?[ \t]số[ \t]+\d+/(?:19|20)\d\d/QH)"
)
# a law whose name is written in lower case ("thi hành luật địa chất và khoáng sản", "Bộ Luật hình sự năm 2015"):
# read only when rules/laws.yaml knows the name and the name ends there
_LAW_LOWER = regex.compile(r"(?<![\p{L}])(?:[Bb]ộ" + _SP + r"+[Ll]uật|[Ll]uật)" + _SP + r"+(?=\p{Ll})")
_LAW_NAME_END = regex.compile(
    r"(?:[ \t]*(?:[,;.:()\n]|$)"
    r"|[ \t]+(?:năm|số|của|về|và|ngày|tại|theo|đã|được|quy định|hướng dẫn|thì|là|có)(?![\p{L}])"
    r"|[ \t]+\d)"
)
# after a law's name, the words that make the number after them the amending law's: "Luật Xây dựng sửa đổi
# 62/2020/QH14", "Luật Đầu tư sửa đổi, bổ sung năm 2020 số …" (lc-tb-sanbang.doc)
_AMENDED_BY = regex.compile(
    rf"{_SP}+sửa{_SP}+đổi(?:,?{_SP}+bổ{_SP}+sung)?(?:{_SP}+năm{_SP}+(?:19|20)\d\d)?(?={_SP}+(?:(?i:số){_SP}*)?\d)"
)
_SUA_DOI = regex.compile(rf"{_SP}+sửa{_SP}+đổi")  # "Luật Xây dựng sửa đổi …": the registered name ends there
_AMENDING = regex.compile(rf"sửa{_SP}+đổi,?{_SP}+bổ{_SP}+sung{_SP}+(?:một{_SP}+số{_SP}+điều{_SP}+của{_SP}+)?")
_LAW_STOP = {
    "năm", "và", "của", "về", "số", "đã", "được", "theo", "tại", "trong", "để", "nhằm", "khi", "thì", "có", "là",
    "cho", "với", "đến", "từ", "hiện", "các", "này", "đó", "mà", "sẽ", "vào", "trên", "thay", "ngày",
}
_WORD = regex.compile(r"[^\s]+")
_SPACES = regex.compile(r"\s+")
_LONG_DASH = regex.compile(r"[–—]")
_SYMBOL_SPLIT = regex.compile(r"[-/()]")
_YEAR_PART = regex.compile(r"(?:19|20)\d\d")
_YEAR_SLASH = regex.compile(r"(?:19|20)\d\d/")
_DIGIT = regex.compile(r"\d")
_DIGITS = regex.compile(r"\d+")
_DE_AN = regex.compile(r"(?i)án|đa")  # "Đề án 06": the number belongs to the issuer's name
_QUANTITY = regex.compile(r"[.,]\d")  # "số 1.234"
_LAW_WORD_END = regex.compile(r"[\d(“\"]")
_LAW_YEAR = regex.compile(rf"{_SP}+(?:năm{_SP}+)?((?:19|20)\d\d)(?!\d)")
_STOP_PUNCT = ",;.:()…"
_SP_RUN = regex.compile(rf"{_SP}*")
_SHARED_OF = regex.compile(rf"{_SP}*(?:,|và){_SP}*(?:(?i:số){_SP}*)?")


@dataclass
class _Raw:
    """A citation found in one string; offsets index that string."""

    doc_type: str
    start: int
    end: int
    number: str | None
    symbol: str | None
    party: bool = False
    issued_date: date | None = None
    issuer: str | None = None
    subject: str | None = None
    law_name: str | None = None
    law_year: str | None = None
    has_so: bool = False
    standard: bool = False  # a technical standard: the symbol is the whole key ("QCVN 122:2024/BGTVT")


def normalise_symbol(symbol: str) -> str:
    """Spaces removed and dashes unified: "CT- TTg" → "CT-TTg", "KH–UBND" → "KH-UBND", "QĐ_BKHCN" → "QĐ-BKHCN"."""
    return _LONG_DASH.sub("-", _SPACES.sub("", symbol)).replace("_", "-")


def _variant_symbol(raw: str) -> str:
    """"TVM.XD" written for "TVM-XD" ("Văn bản thẩm tra số 1327 TVM.XD"); a known dotted code stays ("VP.UBND")."""
    if raw in rules().codes:
        return raw
    return regex.sub(r"[._]", "-", raw)


def _issuer_from_symbol(symbol: str | None, party: bool) -> str | None:
    if not symbol:
        return None
    r = rules()
    parts = [p for p in _SYMBOL_SPLIT.split(symbol) if p and not _YEAR_PART.fullmatch(p)]
    if not parts:
        return None
    if party:  # "29-CT/TU", "08-QĐi/TW": the part after the type is always the issuer
        code = parts[1] if len(parts) > 1 else parts[0]
    elif len(parts) > 1 and parts[0] in r.abbreviations:
        code = parts[1]
    else:
        code = parts[0]
    if code in r.codes:
        return r.codes[code]
    return r.upper_codes.get(code.upper())


def _type_from_symbol(symbol: str | None, ptype: str | None) -> str | None:
    r = rules()
    if ptype:
        return r.abbreviations.get(ptype)
    if not symbol:
        return None
    parts = [p for p in _SYMBOL_SPLIT.split(symbol) if p and not _YEAR_PART.fullmatch(p)]
    if len(parts) > 1 and parts[0] in r.abbreviations:
        return r.abbreviations[parts[0]]
    return None


def _stop_at(words: list[tuple[int, int, str]], i: int) -> bool:
    r = rules()
    if r.empty_stop:  # an empty stop phrase matches everywhere
        return True
    stops = r.stops_by_first.get(words[i][2].lower().strip(_STOP_PUNCT))
    if not stops:
        return False
    for stop in stops:
        if i + len(stop) <= len(words) and all(
            words[i + k][2].lower().strip(_STOP_PUNCT) == stop[k] for k in range(1, len(stop))
        ):
            # a stop word that ends with punctuation still stops
            return True
    return False


def _read_issuer(text: str, pos: int) -> tuple[str, int] | None:
    """The issuer written from ``pos`` (just after "của"): (name, end offset)."""
    r = rules()
    line_end = text.find("\n", pos)
    limit = len(text) if line_end < 0 else line_end
    limit = min(limit, pos + 200)
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, pos, limit)]
    end = pos
    i = 0
    taken = 0
    while i < len(words) and taken < 14:
        ws, _we, w = words[i]
        named = r.names_re.match(text, ws)
        if named:
            end = named.end()
            while i < len(words) and words[i][0] < named.end():
                i += 1
            taken += 1
            if end < len(text) and text[end : end + 1] in ",;.:()…":
                break
            continue
        if w.startswith("("):
            break
        if taken and _stop_at(words, i):
            break
        if w in ("-", "–") or w.lower() == "và":
            # "Cục Hộ tịch - Bộ Tư pháp và Cục Cảnh sát …": another body follows; "và Nghị quyết số …" does not
            nxt = words[i + 1][2] if i + 1 < len(words) else ""
            if not nxt[:1].isupper() or r.type_re.match(text, words[i + 1][0]) or nxt == "Luật":
                break
            i += 1
            continue
        if _DIGIT.match(w) and not (i and _DE_AN.fullmatch(words[i - 1][2])):
            break
        core = w.rstrip(",;.:)…")
        if core:
            end = ws + len(core)
            taken += 1
        if core != w:
            break
        i += 1
    if end == pos:
        return None
    name = text[pos:end].strip(" -–")
    return (name, pos + len(text[pos:end].rstrip(" -–"))) if name else None


def _read_tail(text: str, raw: _Raw, pos: int) -> int:
    """Date, issuer and subject after a number: fills ``raw`` and returns the end of the mention."""
    end = pos
    lead = _DATE_LEAD.match(text, pos)
    found = date_at(text, lead.end()) if lead else None
    if found:
        raw.issued_date, end = found
    of = _OF.match(text, end)
    if of:
        issuer = _read_issuer(text, of.end())
        if issuer:
            raw.issuer, end = issuer
            if raw.issued_date is None and not found:
                lead = _DATE_LEAD.match(text, end)
                again = date_at(text, lead.end()) if lead else None
                if again:
                    raw.issued_date, end = again
    subject = _SUBJECT.match(text, end)
    if subject and subject.end() > end:
        stop = _SUBJECT_END.search(text, subject.end(), min(len(text), subject.end() + 400))
        s_end = stop.start() if stop else min(len(text), subject.end() + 400)
        raw.subject = text[subject.end() : s_end].strip() or None
    return end


def _numsym(m: regex.Match) -> tuple[str | None, str | None, str | None, bool]:
    num = m.group("num")
    if num and num[0] in "Il":  # OCR "I105" for 1105 (lc-tb1894-sct.pdf)
        num = "1" + num[1:]
    if "vsym" in m.re.groupindex and m.group("vsym"):
        return num, _variant_symbol(m.group("vsym")), None, False
    if m.group("psym"):
        return num, normalise_symbol(m.group("ptype") + "/" + m.group("psym")), m.group("ptype"), True
    sym = m.group("sym")
    return num, (normalise_symbol(sym) if sym else None), None, False


def _excluded(text: str, start: int) -> bool:
    return any(p.match(text, start) for p in rules().not_documents)


class _Taken:
    """Spans of ``text`` already read as a citation: a later reading never overlaps one."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, s: int, e: int) -> bool:
        return not overlaps(self.spans, s, e)

    def add(self, s: int, e: int) -> None:
        self.spans.append((s, e))


def _coordinated(text: str, raw: _Raw, pos: int, has_so: bool) -> tuple[list[_Raw], int]:
    """The numbers coordinated after ``raw`` without their own type word ("Công văn số 5120/UBND-KT và số
    5121/UBND-KT", "Quyết định số 12, 13 và 14/QĐ-UBND"): the group and where it ends."""
    group = [raw]
    while True:
        c = _COORD.match(text, pos)
        if not c:
            break
        m2 = _NUMSYM.match(text, c.end())
        n2, s2, _, p2 = _numsym(m2)
        if not n2 or date_at(text, c.end()):
            break
        if (s2 is None) != (raw.symbol is None):
            if raw.symbol is None:  # "Quyết định số 12, 13 và 14/QĐ-UBND": the closing symbol belongs to every number
                group.append(_Raw(raw.doc_type, c.end(), m2.end(), n2, s2, party=p2, has_so=has_so))
                pos = m2.end()
                for g in group:
                    g.symbol, g.party = s2, p2
            break
        group.append(_Raw(raw.doc_type, c.end(), m2.end(), n2, s2, party=p2, has_so=has_so))
        pos = m2.end()
    return group, pos


def _spread_tail(text: str, group: list[_Raw], pos: int) -> int:
    """Date, issuer and subject after the last number of a group, given to every document of it."""
    tail = _Raw(group[0].doc_type, 0, 0, None, None)
    end = _read_tail(text, tail, pos)
    for g in group:
        if len(group) == 1 or g is group[-1] or tail.issued_date is not None:
            g.issued_date = tail.issued_date
        g.issuer, g.subject = tail.issuer, tail.subject
    group[-1].end = max(group[-1].end, end)
    return end


def _find_typed(text: str, taken: _Taken) -> list[_Raw]:
    """Mentions by type word: "Công văn số 2815/TCTĐA06, ngày 06/6/2023 của …"."""
    r = rules()
    found: list[_Raw] = []
    # a mention by type needs a number (a digit) or a symbol (a "/"): a text with neither holds none
    matches = list(r.type_re.finditer(text)) if "/" in text or _DIGIT.search(text) else []
    if r.short_re is not None and _DIGIT.search(text):
        matches = sorted(matches + list(r.short_re.finditer(text)), key=lambda x: x.start())
    for tm in matches:
        if not taken.free(tm.start(), tm.end()) or _excluded(text, tm.start()):
            continue
        doc_type = r.type_words.get(tm.group().lower()) or r.short_words[tm.group()]
        after = _AFTER_TYPE.match(text, tm.end())
        m = _NUMSYM.match(text, after.end())
        num, sym, _, party = _numsym(m)
        has_so = bool(after.group("so"))
        if num is None and sym is None:  # "Kế hoạch kiểm tra số 1105/KH-ĐKT": words between the type and "số"
            between = _between(text, tm.end())
            if between is not None:
                m = _NUMSYM.match(text, between)
                num, sym, _, party = _numsym(m)
                has_so = True
                if sym is None:
                    continue
        if m.group("vsym") and not has_so:
            continue  # "1327 TVM.XD" only after "số"
        if sym and m.group("gap"):  # "Quyết định số 866/-TTg": the type code left out of the symbol
            code = r.type_codes.get(doc_type)
            if code is None:
                continue
            sym = f"{code}-{sym}"
        # "Thông tư 06/2021": a number and its year with no symbol (keyed by both, resolved by resolve_keys)
        ym = _NUMBER_YEAR.match(text, m.end()) if sym is None and num and _BARE_NUMBER.fullmatch(num) else None
        num_end = ym.end() if ym else m.end()
        if sym is None and (num is None or not (has_so or _bare_number(text, tm, after, num, num_end, doc_type))):
            continue
        if ym:
            num = f"{num}/{ym.group('year')}"
        if sym is None and _QUANTITY.match(text[m.end() : m.end() + 2]):
            continue  # "số 1.234": a quantity, not a document number
        if doc_type == "Luật" and sym is None:
            continue
        raw = _Raw(doc_type, tm.start(), num_end, num, sym, party=party, has_so=has_so)
        group, pos = _coordinated(text, raw, num_end, has_so)
        if tm.re is r.short_re and group[-1].symbol is None:
            continue  # an abbreviated type needs a symbol to close its numbers ("QĐ số 1656 và 1662/QĐ-UBND")
        end = _spread_tail(text, group, pos)
        found.extend(group)
        taken.add(tm.start(), max(end, pos))
    return found


_BARE_NUMBER = regex.compile(r"\d{1,4}")
_NUMBER_YEAR = regex.compile(r"[ \t]?/[ \t]?(?P<year>(?:19|20)\d\d)(?![\p{L}\d/])")
_BARE_NEXT = regex.compile(r"[ \t]*(?P<word>[\p{L}%]*)")
_BARE_GLUED = regex.compile(r"[\p{L}\d%/_]|[-.,:][\p{L}\d]")


def _bare_number(text: str, tm: regex.Match, after: regex.Match, number: str, end: int, doc_type: str) -> bool:
    """A number right after a capitalised type word, without "số" or a symbol, that names one document ("theo Kế
    hoạch 02 được hình thành", "Chỉ thị 18 chống thất thu thuế", tvpl-tb624-vpcp.md): rules/doc_types.yaml
    ``bare_number``. Not a year ("Kế hoạch 2025"), not a quantity ("Nghị quyết 3 năm", "Kế hoạch 02 tháng"), not
    a number glued to more ("Thông tư 06/2021", "Chỉ thị 18a", "Quyết định 1,5")."""
    r = rules()
    if doc_type not in r.bare_types or not tm.group()[0].isupper() or after.group().strip():
        return False  # a lowercase "kế hoạch 02", or "Kế hoạch: 02" (a label and its value)
    if not _BARE_NUMBER.fullmatch(number) or _YEAR_PART.fullmatch(number):
        return False
    if _BARE_GLUED.match(text, end):
        return False
    nxt = _BARE_NEXT.match(text, end)
    if nxt.group("word").lower() in r.bare_not_before and not date_at(text, nxt.start("word")):
        return False  # "Công văn 15 ngày", but "Thông tư 06/2021 ngày 30/6/2021" is dated
    return r.bare_naming is None or not r.bare_naming.search(text, max(0, tm.start() - 40), tm.start())


def _between(text: str, pos: int) -> int | None:
    """Where the number starts after a few words and "số" following a type word, else None: the words hold no other
    type word, no law and nothing that ends a clause."""
    bm = _BETWEEN.match(text, pos)
    if bm is None:
        return None
    r = rules()
    for w in _BETWEEN_WORD.finditer(text, pos, bm.end()):
        if w.group().lower() == "luật" or r.type_re.match(text, w.start()):
            return None  # another document begins: "Kế hoạch triển khai Quyết định số …"
    return bm.end()


def _find_bare(text: str, taken: _Taken) -> list[_Raw]:
    """Bare symbols whose type code is known: "(Quyết định … 03/QĐ-TCT68)", "theo 45/2020/NĐ-CP"."""
    found: list[_Raw] = []
    for bm in _BARE.finditer(text) if "/" in text else ():  # both forms hold a "/"
        if not taken.free(bm.start(), bm.end()):
            continue
        num, sym, ptype, party = _numsym(bm)
        doc_type = _type_from_symbol(sym, ptype)
        if doc_type is None and sym and _SO_BEFORE.search(text, max(0, bm.start() - 8), bm.start()):
            # "…; số 1316/TTg-KTN ngày 10/8/2015": a number continuing a list, its symbol led by a known issuer
            first = _SYMBOL_SPLIT.split(sym)[0]
            if first in rules().codes or first.upper() in rules().upper_codes:
                doc_type = rules().default_type
        if doc_type is None:
            continue
        if _NUMBER_LINE_BEFORE.search(text, max(0, bm.start() - 12), bm.start()):
            continue  # the report's own number line "Số: 154 /BC-CAT-QLHC"
        raw = _Raw(doc_type, bm.start(), bm.end(), num, sym, party=party)
        raw.end = _read_tail(text, raw, bm.end())
        found.append(raw)
        taken.add(bm.start(), raw.end)
    return found


def _is_bill(text: str, start: int) -> bool:
    """Whether the law named at ``start`` is a bill being drafted (rules/laws.yaml ``bill_words`` just before it)."""
    bill = rules().bill_before
    return bill is not None and bill.search(text, max(0, start - 30), start) is not None


def _find_laws(text: str, taken: _Taken) -> list[_Raw]:
    """Laws by name: "Luật Cư trú năm 2020", "Luật Căn cước số 26/2023/QH15"."""
    found: list[_Raw] = []
    for lm in _LAW.finditer(text) if "uật" in text else ():  # "Luật", "Bộ luật"
        if not taken.free(lm.start(), lm.end() + 1):
            continue
        if _is_bill(text, lm.start()):
            continue  # "dự thảo Luật Trí tuệ nhân tạo", "Xây dựng Luật Thuế thu nhập cá nhân (thay thế)"
        law = _registry_law(text, lm.start())
        if law is not None and not _LAW_NAME_END.match(text, law[2]) and not _SUA_DOI.match(text, law[2]):
            # the name goes on past the registered one it begins with: "Luật Đầu tư công" is not Luật Đầu tư
            longer = _read_law(text, lm.end())
            if longer is not None and longer[2] > law[2] and _LAW_NAME_END.match(text, longer[2]):
                law = longer
        law = law or _read_law(text, lm.end())
        if law is None:
            continue
        name, year, end = law
        found.append(_law_raw(text, lm.start(), name, year, end))
        taken.add(lm.start(), found[-1].end)
    for lm in _LAW_LOWER.finditer(text) if "uật" in text else ():
        if not taken.free(lm.start(), lm.end() + 1):
            continue
        if _is_bill(text, lm.start()):
            continue
        law = _registry_law(text, lm.start())
        if law is None or law[0].startswith("sửa đổi") or not _LAW_NAME_END.match(text, law[2]):
            continue
        name, year, end = law
        found.append(_law_raw(text, lm.start(), name, year, end))
        taken.add(lm.start(), found[-1].end)
    return found


def _law_raw(text: str, start: int, name: str, year: str | None, end: int) -> _Raw:
    """A law named at ``start``, with the number and date that may follow its name."""
    raw = _Raw("Luật", start, end, None, None, law_name=name, law_year=year)
    amended = _AMENDED_BY.match(text, end)  # "Luật Xây dựng sửa đổi 62/2020/QH14": the amending law's own number
    after = _AFTER_TYPE.match(text, amended.end() if amended else end)
    ns = _NUMSYM.match(text, after.end())
    if ns and not after.group("so") and "QH" not in (ns.group("sym") or ""):
        ns = None  # without "số", only a law's own symbol follows its name ("… Khoáng sản 54/2024/QH15")
    if amended and not (ns and ns.group("num") and ns.group("sym")):
        ns = None  # "Luật Xây dựng sửa đổi" with no number: the name alone is read, as before
        after = _AFTER_TYPE.match(text, end)
    if ns and ns.group("num") and ns.group("sym"):  # "Luật Căn cước số 26/2023/QH15"
        raw.number, raw.symbol = ns.group("num"), normalise_symbol(ns.group("sym"))
        end = ns.end()
    dated = date_at(text, _SP_RUN.match(text, end).end())
    if dated and dated[0]:  # "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
        raw.issued_date, end = dated
        raw.law_year = raw.law_year or str(raw.issued_date.year)
    raw.end = end
    return raw


# technical standards: "QCVN 122:2024/BGTVT", "TCVN 4054:2005", "QCVN 01-78:2011/BNNPTNT"
_STANDARD = regex.compile(
    rf"(?<![\p{{L}}\d])(?P<kind>QCVN|TCVN){_SP}*(?P<num>\d{{1,5}}(?:[-–]\d{{1,5}})*){_SP}*:{_SP}*"
    rf"(?P<year>(?:19|20)\d\d)(?:{_SP}*/{_SP}*(?P<issuer>[A-ZĐ][A-Za-zĐ]+))?"
)
_STANDARD_TYPES = {"QCVN": "Quy chuẩn", "TCVN": "Tiêu chuẩn"}


def _find_standards(text: str, taken: _Taken) -> list[_Raw]:
    """National technical regulations and standards, numbered "NUMBER:YEAR[/ISSUER]"."""
    found: list[_Raw] = []
    for sm in _STANDARD.finditer(text) if "CVN" in text else ():
        if not taken.free(sm.start(), sm.end()):
            continue
        symbol = f"{sm.group('kind')} {sm.group('num').replace('–', '-')}:{sm.group('year')}"
        if sm.group("issuer"):
            symbol += "/" + sm.group("issuer")
        found.append(_Raw(_STANDARD_TYPES[sm.group("kind")], sm.start(), sm.end(), None, symbol, standard=True))
        taken.add(sm.start(), sm.end())
    return found


def _share_issuers(text: str, found: list[_Raw]) -> None:
    """"Quyết định số 318/QĐ-UBND ngày 10/3/2023 và số 452/QĐ-UBND ngày 05/4/2023 của UBND tỉnh": the "của" that
    closes a coordination names the issuer of every document in it."""
    for i in range(len(found) - 2, -1, -1):
        a, b = found[i], found[i + 1]
        shared = a.issuer is None and b.issuer and not (a.law_name or b.law_name) and a.subject is None
        # … unless the symbols name different bodies ("99/NQ-CP … và Chỉ thị số 10/CT-TTg … của Thủ tướng")
        shared = shared and _issuer_from_symbol(a.symbol, a.party) == _issuer_from_symbol(b.symbol, b.party)
        if shared and a.end <= b.start and _SHARED_OF.fullmatch(text, a.end, b.start):
            a.issuer = b.issuer


# "Ngày 05/11/2025, VPCP có VB số 10781/VPCP-CN": a sentence that opens on a date and says who issued (có, ban
# hành, gửi, ký) the document it then cites dates that document, when it cites nothing before it
_SENTENCE_DAY = regex.compile(r"(?:^|(?<=[.;:!?\n]))[ \t]*(?:[-–•+][ \t]+)?(?=[Nn]gày[ \t]+\d)")
_ISSUED_BY = regex.compile(r"[ \t]*,[ \t]*[^,.;:()\n]{0,60}?[ \t](?:đã[ \t]+)?(?:có|ban[ \t]+hành|gửi|ký)[ \t]+"
    r"(?:[A-ZĐ]{2,4}[ \t]+)?(?:số[ \t]*)?"  # what a bare number's mention leaves out ("VB số 10781/VPCP-CN")
)


def _date_before(text: str, found: list[_Raw]) -> None:
    for i, raw in enumerate(found):
        if raw.issued_date or raw.standard or raw.law_name:
            continue
        since = found[i - 1].end if i else 0
        for day in _SENTENCE_DAY.finditer(text, since, raw.start):
            dated = date_at(text, day.end())
            if dated and dated[0] and _ISSUED_BY.fullmatch(text, dated[1], raw.start):
                raw.issued_date = dated[0]


def find_in_text(text: str) -> list[_Raw]:
    """Every citation in one string (a block or a footnote body), in order."""
    taken = _Taken()
    found = _find_standards(text, taken) + _find_typed(text, taken)
    found += _find_bare(text, taken) + _find_laws(text, taken)
    found.sort(key=lambda f: f.start)
    _share_issuers(text, found)
    _date_before(text, found)
    return found


def _registry_law(text: str, start: int) -> tuple[str, str | None, int] | None:
    """The longest law of ``rules/laws.yaml`` named at ``start`` ("Luật Trật tự, an toàn giao thông đường bộ",
    "Luật sửa đổi, bổ sung một số điều của Luật Đất đai"): (name after "Luật ", year, end)."""
    reg = rules().law_registry
    amending = _AMENDING.match(text, text.find(" ", start) + 1)
    head = amending.end() if amending else start
    if amending and not _LAW.match(text, head):  # the amended law's name follows "của"
        return None
    tokens = [m for _, m in zip(range(20), _WORD.finditer(text, head, min(len(text), head + 220)), strict=False)]
    for k in range(len(tokens), 1, -1):
        if "\n" in text[head : tokens[k - 1].end()]:
            continue
        candidate = text[head : tokens[k - 1].end()].rstrip(",;.:)…”\"")
        if _law_skeleton(candidate) in reg:
            end = head + len(candidate)
            name = reg[_law_skeleton(candidate)]["name"]  # as the law prints it, whatever slips the writer made
            if amending:  # an amending law is a law of its own, named by the law it amends
                name = "sửa đổi, bổ sung một số điều của " + name
            elif not name.startswith("Bộ"):
                name = name.removeprefix("Luật ")
            y = _LAW_YEAR.match(text, end)
            return (name, y.group(1), y.end()) if y else (name, None, end)
    return None


_GOES_ON = regex.compile(
    r"(?P<words>(?:[\p{L}]+[ \t]+){0,3}[\p{L}]+)"
    r"(?=[ \t]*(?:[,;.:()\n]|$)|[ \t]+(?:năm|số|ngày)[ \t]+\d"
    r"|[ \t]+(?:và|,)[ \t]*(?:Điều|khoản|điểm|Luật|Nghị|Thông|Quyết))"
)


def _name_goes_on(text: str, pos: int) -> bool:
    """After "và" in a law's name not in the registry: the name goes on when one to four words follow and then its
    end (punctuation, "năm 2003", "ngày 26 …", or another item), none of them a stop word or a document type."""
    m = _GOES_ON.match(text, _SP_RUN.match(text, pos).end())
    if m is None:
        return False
    r = rules()
    for w in _WORD.finditer(text, m.start("words"), m.end("words")):
        if w.group().lower() in _LAW_STOP or r.type_re.match(text, w.start()) or w.group().lower() == "luật":
            return False
    return True


# an omnibus amending law, named by how many laws it amends and their field: "Luật sửa đổi, bổ sung một số điều của
# 15 Luật trong lĩnh vực nông nghiệp và môi trường" (lc-cv6791-snnmt.pdf), "… của 11 Luật về quân sự, quốc phòng"
_OMNIBUS = regex.compile(
    rf"(?P<lead>sửa{_SP}+đổi,?{_SP}+bổ{_SP}+sung{_SP}+một{_SP}+số{_SP}+điều{_SP}+của{_SP}+\d{{1,3}}{_SP}+[Ll]uật"
    rf"{_SP}+(?:trong{_SP}+(?:các{_SP}+)?lĩnh{_SP}+vực|về|liên{_SP}+quan{_SP}+đến)){_SP}+"
)


def _read_law(text: str, pos: int) -> tuple[str, str | None, int] | None:
    words = []
    end = pos
    omnibus = _OMNIBUS.match(text, pos)
    if omnibus:  # the field's words follow, read as a name's words are
        words.append(_SPACES.sub(" ", omnibus.group("lead")))
        pos = end = omnibus.end()
    for m in _WORD.finditer(text, pos, min(len(text), pos + 120)):
        w = m.group()
        core = w.rstrip(",;.:)…”\"")
        if core.lower() == "và" and words and core == w and _name_goes_on(text, m.end()):
            words.append(core)  # "Luật Phòng cháy và chữa cháy", "Luật Tổ chức HĐND và UBND"
            end = m.end()
            continue
        if not core or core.lower() in _LAW_STOP or _LAW_WORD_END.match(core) or len(words) >= 14:
            break
        if "\n" in text[end : m.start()]:
            break
        words.append(core)
        end = m.start() + len(core)
        if core != w:
            break
    bare_amending = " ".join(words) in ("sửa đổi", "sửa đổi, bổ sung", "sửa đổi bổ sung") if words else False
    if not words or (bare_amending and not _LAW_YEAR.match(text, end)):
        return None  # "và Luật sửa đổi, bổ sung;" names no law
    y = _LAW_YEAR.match(text, end)
    year = None
    if y:
        year, end = y.group(1), y.end()
    return " ".join(words), year, end


# ---------------------------------------------------------------------------------------------------------------
# Keys


def _pad(number: str) -> str:
    digits = _DIGITS.match(number)
    if not digits:
        return number
    return f"{int(digits.group()):02d}" + number[digits.end() :]


def key_for(
    doc_type: str, number: str | None, symbol: str | None, issued_date: date | None = None, party: bool = False
) -> str:
    """The identity used to group mentions (schema.md ``citations.key``).

    "45/2020/NĐ-CP", "2815/TCTĐA06", "29-CT/TU"; numbers padded to two digits ("5/CT-TTg" → "05/CT-TTg"); without a
    symbol "Nghị quyết|50|2022-04-08"; a blank template number "Công văn|/STP-HCTP|".
    """
    when = issued_date.isoformat() if issued_date else ""
    if symbol and number:
        return f"{_pad(number)}{'-' if party else '/'}{symbol}"
    if symbol:
        return f"{doc_type}|/{symbol}|{when}"
    return f"{doc_type}|{_pad(number) if number else ''}|{when}"


def _law_key(name: str, year: str | None, cited_on: date | None = None) -> tuple[str, dict | None]:
    """The key of a law named by ``name``: the registry's version of ``year`` when the year is written; without it,
    the newest version adopted by ``cited_on`` (a 2010 decision citing "Luật Doanh nghiệp" means the 2005 law, not
    the 2020 one). A version the registry does not hold keeps a name key."""
    full = name if name.startswith("Bộ luật") else "Luật " + name
    versions = rules().law_versions.get(_strip_marks(full)) or []
    if year is not None:
        versions = [v for v in versions if str(v["date"])[:4] == year]
    elif cited_on is not None:
        versions = [v for v in versions if str(v["date"]) <= cited_on.isoformat()]
    if versions:
        entry = rules().by_key.get(versions[-1]["key"], versions[-1])
        return entry["key"], entry
    return f"Luật|{name}|{year or ''}", None


def resolve_keys(citations: list[Citation]) -> None:
    """Give a normative document cited without its year the key of its full form ("142/NQ-HĐND" →
    "142/2022/NQ-HĐND") when the same report cites the full form, or the registry knows it."""
    full: dict[str, str] = {}
    for c in citations:
        if c.key and c.symbol and _YEAR_SLASH.match(c.symbol):
            short = f"{_pad(c.number or '')}/{c.symbol.split('/', 1)[1]}"
            full.setdefault(short, c.key)
    # a number cited without a symbol ("theo Kế hoạch 02", "Chỉ thị 11 của Ban Thường vụ Tỉnh ủy") is the document
    # of that type and number the same report cites in full (02-KH/BCĐTW, 11-CT/TU), when it cites exactly one
    numbered: dict[tuple[str, str], set[str]] = {}
    for c in citations:
        if c.key and c.symbol and c.number:
            numbered.setdefault((c.doc_type, _pad(c.number)), set()).add(c.key)
            if year := _YEAR_SLASH.match(c.symbol):  # "Thông tư 06/2021" is 06/2021/TT-BXD
                numbered.setdefault((c.doc_type, f"{_pad(c.number)}/{year.group()[:-1]}"), set()).add(c.key)
    for c in citations:
        if c.key and c.number and not c.symbol:
            keys = numbered.get((c.doc_type, _pad(c.number)), set())
            if len(keys) == 1:
                c.key = next(iter(keys))
    reg = rules().by_key
    for c in citations:
        if not c.key:
            continue
        if c.key in full:
            c.key = full[c.key]
        elif c.key in reg and reg[c.key]["key"] != c.key:
            c.key = reg[c.key]["key"]


# ---------------------------------------------------------------------------------------------------------------
# Documents


def own_number(doc: Document) -> tuple[str, str] | None:
    """The report's own (number, symbol) from its "Số: …" line (header table first, else the first blocks)."""
    candidates = [b for b in doc.blocks if b.in_header] + doc.blocks[:12]
    for b in candidates:
        for line in b.text.split("\n"):
            m = _OWN_NUMBER.match(line)
            if m:
                return m.group("num"), normalise_symbol(m.group("sym"))
    meta = doc.metadata
    if meta and meta.symbol:
        return meta.number or "", normalise_symbol(meta.symbol)
    return None


def _to_citation(raw: _Raw, text: str, offset: int, cited_on: date | None = None) -> Citation:
    """``cited_on``: the citing document's date, which picks the version of a law named without its year."""
    if raw.standard:
        issuer = raw.symbol.rsplit("/", 1)[1] if raw.symbol and "/" in raw.symbol else None
        return Citation(
            doc_type=raw.doc_type,
            text=text[raw.start : raw.end],
            start=raw.start + offset,
            end=raw.end + offset,
            symbol=raw.symbol,
            key=raw.symbol,
            issuer=rules().codes.get(issuer, issuer) if issuer else None,
        )
    if raw.law_name and raw.symbol:  # a law named with its number: the number is the key
        return Citation(
            doc_type="Luật",
            text=text[raw.start : raw.end],
            start=raw.start + offset,
            end=raw.end + offset,
            number=raw.number,
            symbol=raw.symbol,
            key=key_for("Luật", raw.number, raw.symbol),
            issued_date=raw.issued_date,
            issuer="Quốc hội",
        )
    if raw.law_name:
        key, entry = _law_key(raw.law_name, raw.law_year, cited_on)
        return Citation(
            doc_type="Luật",
            text=text[raw.start : raw.end],
            start=raw.start + offset,
            end=raw.end + offset,
            number=(entry["key"].split("/")[0] if entry else None),
            symbol=(entry["key"].split("/", 1)[1] if entry else None),
            key=key,
            issued_date=raw.issued_date,
            issuer=raw.issuer or "Quốc hội",
        )
    issuer = raw.issuer or _issuer_from_symbol(raw.symbol, raw.party)
    return Citation(
        doc_type=raw.doc_type,
        text=text[raw.start : raw.end],
        start=raw.start + offset,
        end=raw.end + offset,
        number=raw.number,
        symbol=raw.symbol,
        key=key_for(raw.doc_type, raw.number, raw.symbol, raw.issued_date, raw.party),
        issued_date=raw.issued_date,
        issuer=issuer,
        subject=raw.subject,
    )


def _is_self(c: Citation, own: tuple[str, str] | None) -> bool:
    if own is None or not c.symbol:
        return False
    num, sym = own
    return c.symbol == sym and (not c.number or c.number.lstrip("0") == num.lstrip("0"))


_ITEM_BOUNDARY = regex.compile(r"[;:]|(?:^|\s)[-+•]\s")
_CONNECTOR = regex.compile(r"^[\s,]*(?:và(?:\s+các)?)?[\s,]*$")
_LIST_LEAD = regex.compile(r"\s*(?:Gồm|gồm|Cụ thể|cụ thể)?\s*")
_SUBJECT_WORD = regex.compile(r"\bvề\b|\bV/v\b")


def mark_list_items(text: str, cits: list[Citation]) -> None:
    """In a footnote, flag the citations that are items of its list: the first citation of each item (items are
    separated by ";", ":" or a bullet) and those coordinated with it ("Nghị quyết số 50/NQ-CP … và Nghị quyết số
    63/NQ-CP …", "… và Công văn số 148/CATP-QLHC"); a document named in an item's subject ("về việc triển khai
    thực hiện Quyết định số 06/QĐ-TTg") is not an item."""
    prev_item: Citation | None = None
    for c in cits:
        seg_start = 0
        for m in _ITEM_BOUNDARY.finditer(text, 0, c.start):
            seg_start = m.end()
        before = text[seg_start : c.start]
        if not before.strip(" -+•\t") or _LIST_LEAD.fullmatch(before):
            c.is_list_item = True
        elif prev_item is not None and prev_item.end <= c.start and prev_item.end >= seg_start:
            gap = text[prev_item.end : c.start]
            words_before = before.rstrip().split()
            ends_with_connector = (bool(words_before) and words_before[-1] in ("và", ",")) or before.rstrip().endswith(
                ","
            )
            subject_between = _SUBJECT_WORD.search(gap)
            coordinated = ends_with_connector and not subject_between and c.doc_type == prev_item.doc_type
            if coordinated or _CONNECTOR.match(gap):
                c.is_list_item = True
        if c.is_list_item:
            prev_item = c


def _header_subject(doc: Document) -> tuple[Block, str] | None:
    """A Công văn's "V/v" subject in its header, over the header lines prepare/metadata.py reads it from ("V/v
    triển khai thực hiện Quyết định số / 1074/QĐ-BXD ngày 29/6/2026 …"): (its first block, the text of its blocks
    with line breaks as spaces, so offsets stay those of Document.text)."""
    held = subject_blocks(doc)
    if not held:
        return None
    first, last = held[0], held[-1]
    return first, regex.sub(r"\s", " ", doc.text[first.start : last.start + len(last.text)])


def extract_citations(doc: Document) -> list[Citation]:
    """Every citation of ``doc``: the header's "V/v" subject and the body (offsets into Document.text), then the
    footnotes (into Footnote.text)."""
    own = own_number(doc)
    subject = _header_subject(doc)
    subject_raws = find_in_text(subject[1]) if subject is not None else []
    block_raws = [(b, find_in_text(b.text)) for b in doc.blocks if not b.in_header and b.text]
    note_raws = [(fn, find_in_text(fn.text)) for fn in doc.footnotes if fn.text]
    cited_on = doc.metadata.issued_date if doc.metadata else None
    if cited_on is None:  # an undated document is no older than the newest document it cites
        every = [subject_raws, *(raws for _, raws in block_raws), *(raws for _, raws in note_raws)]
        cited_on = max((r.issued_date for raws in every for r in raws if r.issued_date), default=None)
    out: list[Citation] = []
    if subject is not None:
        first, text = subject
        for raw in subject_raws:
            c = _to_citation(raw, text, first.start, cited_on)
            if not _is_self(c, own):
                c.page = first.page
                out.append(c)
    for block, raws in block_raws:
        for raw in raws:
            c = _to_citation(raw, block.text, block.start, cited_on)
            if _is_self(c, own) or (block.table is not None and c.doc_type in rules().not_in_tables):
                continue
            c.section = block.section
            c.page = block.page
            out.append(c)
    for fn, raws in note_raws:
        cits = []
        for raw in raws:
            c = _to_citation(raw, fn.text, 0, cited_on)
            if _is_self(c, own):
                continue
            c.in_footnote = True
            c.footnote_marker = fn.marker
            c.page = fn.page
            if fn.block_index is not None and 0 <= fn.block_index < len(doc.blocks):
                c.section = doc.blocks[fn.block_index].section
            cits.append(c)
        mark_list_items(fn.text, cits)
        out.extend(cits)
    resolve_keys(out)
    return out


def extract_from_text(text: str) -> list[Citation]:
    """Citations of a plain string (tests, the spaCy component): offsets into ``text``."""
    cits = [_to_citation(raw, text, 0) for raw in find_in_text(text)]
    resolve_keys(cits)
    return cits
