"""Citations (domain.md §2-§4, §8), read off the extracted Citation records.

- citation_date_conflict: one key with several dates in the report (dates in words included);
- citation_after_report: a cited document dated after the report itself;
- citation_contradicts_registry: a central document (rules/known_documents.yaml) cited with another date or type
  (a date of another year and another day is another document with the same number: numbers restart yearly);
- citation_year_mismatch: "163/2024/QH15 ngày 27 tháng 11 năm 2025" (the symbol's year is not the date's);
- citation_symbol_variant: one document written two ways ("66.2.2025/NQ-CP" beside "66.2/2025/NQ-CP", "1327 TVM.XD"
  beside "1327/TVM-XD"), or with another year in its symbol (an undated "175/2025/NĐ-CP" beside 175/2024/NĐ-CP
  ngày 30/12/2024);
- malformed_date: "ngày 15/8/024", "ngày 31/02/2024";
- citation_chronology: a document said to implement or rest on one issued after it;
- citation_of_itself: the report citing its own number.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections import defaultdict
from datetime import date
from typing import Any

import regex

from ..model import Citation, Document, Finding
from ..resources import load_rules
from .findings import make
from .messages import fmt_date, quote


@functools.cache
def registry() -> dict[str, dict[str, Any]]:
    """Known central documents by key and alias (rules/known_documents.yaml; "date" or "issued_date")."""
    try:
        data = load_rules("known_documents.yaml")
    except FileNotFoundError:
        return {}
    entries = data.get("documents", []) if isinstance(data, dict) else (data or [])
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        when = entry.get("date") or entry.get("issued_date")
        if isinstance(when, str):
            when = date.fromisoformat(when)
        record = dict(entry, date=when)
        for key in [entry.get("key"), *(entry.get("aliases") or [])]:
            if key:
                out[str(key)] = record
    return out


def _mention(c: Citation) -> str:
    return quote(c.text, 90)


def _in_context(c: Citation, doc: Document | None, before: int = 70) -> str:
    """The mention with the words before it on its line ("… tại khoản 2 Điều 45 Nghị định số 175/2025/NĐ-CP"),
    quoted; the mention alone when its text is not at its place in the document."""
    if doc is not None:
        src = next((fn.text for fn in doc.footnotes if fn.marker == c.footnote_marker), "") if c.in_footnote \
            else doc.text
        if src[c.start : c.end] == c.text:
            line = src.rfind("\n", 0, c.start) + 1
            if line >= c.start - before:
                return quote(src[line : c.end], before + 40)
            left = src.find(" ", c.start - before, c.start) + 1 or c.start - before  # from a word's start
            return quote("…" + src[left : c.end], before + 40)
    return _mention(c)


def _by_key(citations: list[Citation]) -> dict[str, list[Citation]]:
    out: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        if c.key:
            out[c.key].append(c)
    return out


def date_conflicts(citations: list[Citation]) -> list[Finding]:
    out = []
    for key, mentions in _by_key(citations).items():
        dated: dict[date, Citation] = {}
        for c in mentions:
            if c.issued_date and c.issued_date not in dated:
                dated[c.issued_date] = c
        if len(dated) < 2:
            continue
        entry = registry().get(key)
        true = entry.get("date") if entry else None
        params = {
            "key": key, "count": len(dated),
            "listing_vi": "; ".join(f"{fmt_date(d)} tại {_mention(c)}" for d, c in sorted(dated.items())),
            "listing_en": "; ".join(f"{fmt_date(d)} in {_mention(c)}" for d, c in sorted(dated.items())),
            "advice_vi": f" Danh mục văn bản ghi ngày {fmt_date(true)}." if true
            else " Đối chiếu văn bản gốc và sửa ngày sai.",
            "advice_en": f" The registry gives {fmt_date(true)}." if true
            else " Check the original document and correct the wrong date.",
        }
        out.append(make("citation_date_conflict", params, key=key, citations=list(dated.values()),
                        text=" | ".join(c.text for c in dated.values())))
    return out


def after_report(doc: Document, citations: list[Citation]) -> list[Finding]:
    report_date = doc.metadata.issued_date
    out: list[Finding] = []
    if not report_date:
        return out
    seen: set[tuple[str | None, date]] = set()
    for c in citations:
        if c.issued_date and c.issued_date > report_date and (c.key, c.issued_date) not in seen:
            seen.add((c.key, c.issued_date))
            params = {"name": c.key or c.doc_type, "date": fmt_date(c.issued_date),
                      "report_date": fmt_date(report_date), "quote": _mention(c)}
            out.append(make("citation_after_report", params, key=c.key, text=c.text, citations=[c]))
    return out


def _same_document(cited: date, true: date) -> bool:
    """A cited date of the registry's year, or a year typo of its day (04/4/2023 for 04/4/2022)."""
    return cited.year == true.year or (cited.month, cited.day) == (true.month, true.day)


def registry_findings(citations: list[Citation]) -> list[Finding]:
    out = []
    seen: set[tuple[str, str]] = set()
    for c in citations:
        entry = registry().get(c.key or "")
        if not entry or not c.key:
            continue
        true_date, true_type = entry.get("date"), entry.get("doc_type")
        if c.issued_date and true_date and c.issued_date != true_date and (c.key, "date") not in seen \
                and _same_document(c.issued_date, true_date):
            seen.add((c.key, "date"))
            params = {"doc_type": entry.get("doc_type", c.doc_type), "key": entry["key"],
                      "true_date": fmt_date(true_date), "date": fmt_date(c.issued_date), "quote": _mention(c)}
            out.append(make("citation_contradicts_registry", params, template_name="registry_date", key=c.key,
                            text=c.text, citations=[c]))
        if true_type and c.doc_type and c.doc_type != "Văn bản" and c.doc_type != true_type \
                and (c.key, "type") not in seen:
            seen.add((c.key, "type"))
            params = {"key": entry["key"], "true_type": true_type, "doc_type": c.doc_type, "quote": _mention(c)}
            out.append(make("citation_contradicts_registry", params, template_name="registry_type",
                            severity="warning", key=c.key, text=c.text, citations=[c]))
    return out


_SYMBOL_YEAR = regex.compile(r"^[^/]+/((?:19|20)\d\d)/")


def year_findings(citations: list[Citation]) -> list[Finding]:
    out = []
    seen = set()
    for c in citations:
        m = _SYMBOL_YEAR.match(c.key or "")
        if not m or not c.issued_date or c.issued_date.year == int(m.group(1)) or (c.key, c.issued_date) in seen:
            continue
        seen.add((c.key, c.issued_date))
        params = {"key": c.key, "symbol_year": m.group(1), "date": fmt_date(c.issued_date), "quote": _mention(c)}
        out.append(make("citation_year_mismatch", params, key=c.key, text=c.text, citations=[c]))
    return out


_NOT_KEY = regex.compile(r"[^\p{L}\d]")
_CHUNKS = regex.compile(r"[\p{L}\d]+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})
_AROUND_SEPARATOR = regex.compile(r"\s*([^\p{L}\d\s])\s*")


@functools.cache
def _spelled(key: str) -> regex.Pattern:
    """The key's letters and digits in order, with up to three other characters between them: "1327/TVM-XD" finds
    "1327 TVM.XD" and "1327/TVM-XD"."""
    chunks = _CHUNKS.findall(key)
    return regex.compile(r"(?<![\p{L}\d])" + r"[^\p{L}\d]{0,3}".join(map(regex.escape, chunks)) + r"(?![\p{L}\d])",
                         regex.IGNORECASE)


def written_symbol(c: Citation) -> str | None:
    """The number and symbol as the mention writes them: "1327 TVM.XD" where the key is 1327/TVM-XD. Stray spaces
    around a separator ("55 /KH-UBND", "05/CT- TTg", domain.md §3) and the kind of dash are not a way of writing
    it; a space in place of a separator is. None when the mention does not spell the key out (a law by its name,
    "Luật Cư trú năm 2020")."""
    if not c.key:
        return None
    m = _spelled(c.key).search(unicodedata.normalize("NFC", c.text))
    return _AROUND_SEPARATOR.sub(r"\1", m.group().translate(_DASHES)) if m else None


def _times(n: int, lang: str) -> str:
    return f"{n} lần" if lang == "vi" else f"{n} time" + ("s" if n > 1 else "")


def symbol_variants(citations: list[Citation], doc: Document | None = None) -> list[Finding]:
    """One document written two ways: mentions whose keys agree in their letters and digits ("66.2.2025/NQ-CP"
    beside "66.2/2025/NQ-CP") or whose written symbols differ for one key ("1327 TVM.XD" beside "1327/TVM-XD",
    the extractor reading both as 1327/TVM-XD). The finding points at the first mention of a form other than the
    most frequent one."""
    groups: dict[str, dict[str, list[Citation]]] = defaultdict(lambda: defaultdict(list))
    for c in citations:
        if c.key and c.symbol and (form := written_symbol(c)):
            groups[_NOT_KEY.sub("", c.key).upper()][form].append(c)
    out = []
    for forms in groups.values():
        if len(forms) < 2:
            continue
        # the usual form first: the most frequent, then one that is a key, then the first written
        order = sorted(forms, key=lambda f: (-len(forms[f]), all(c.key != f for c in forms[f]), forms[f][0].start))
        odd = forms[order[1]][0]

        where = _in_context(odd, doc)

        def listing(lang: str, forms=forms, order=order, where=where) -> str:
            return ", ".join(f"“{f}” ({_times(len(forms[f]), lang)}"
                             + ((" tại " if lang == "vi" else " in ") + where if f == order[1] else "") + ")"
                             for f in order)

        params = {"count": len(forms), "variants": listing("vi")}
        cits = [odd] + [forms[f][0] for f in order if forms[f][0] is not odd]
        out.append(make("citation_symbol_variant", params, en={"variants": listing("en")}, key=odd.key,
                        citations=cits, text=odd.text))
    return out


_YEARED = regex.compile(r"^(?P<number>[^/]+)/(?P<year>(?:19|20)\d\d)/(?P<rest>.+)$")


def _subjects(cs: list[Citation]) -> set[str]:
    return {" ".join(c.subject.lower().split())[:40] for c in cs if c.subject}


def year_variants(citations: list[Citation], doc: Document | None = None) -> list[Finding]:
    """One legal document cited with another year in its symbol: "khoản 2 Điều 45 Nghị định số 175/2025/NĐ-CP"
    (undated, twice) in a letter that cites 175/2024/NĐ-CP ngày 30/12/2024 forty times (lc-tb-sanbang.doc).

    Numbers restart every year, so two years of one number, type and issuer can be two real documents ("Nghị
    quyết 50/NQ-CP" of 2022 and of 2025). A year is suspect only when nothing says it is real: no mention of it
    carries a date of that year, the registry does not know it, it is cited less often than a year that is
    confirmed (by a date of its year or the registry), and its subject, if any, is not another document's. A mention
    dated with another year is citation_year_mismatch, not this."""
    groups: dict[tuple[str, str], dict[str, list[Citation]]] = defaultdict(lambda: defaultdict(list))
    for c in citations:
        if m := _YEARED.match(c.key or ""):
            groups[(m["number"], m["rest"])][m["year"]].append(c)
    out = []
    for by_year in groups.values():
        if len(by_year) < 2:
            continue
        confirmed = {y: cs for y, cs in by_year.items()
                     if cs[0].key in registry() or any(c.issued_date and c.issued_date.year == int(y) for c in cs)}
        if not confirmed:
            continue
        usual_year = max(confirmed, key=lambda y: len(confirmed[y]))
        usual = confirmed[usual_year]
        for year, cs in sorted(by_year.items()):
            if year in confirmed or any(c.issued_date for c in cs) or len(cs) >= len(usual):
                continue
            if _subjects(cs) and _subjects(usual) and not _subjects(cs) & _subjects(usual):
                continue
            dates = [c.issued_date for c in usual if c.issued_date]
            entry = registry().get(usual[0].key or "")
            when = max(set(dates), key=dates.count) if dates else entry.get("date") if entry else None
            odd = cs[0]
            params = {"doc_type": odd.doc_type, "key": odd.key, "count": len(cs), "usual": usual[0].key,
                      "usual_date": fmt_date(when), "usual_count": len(usual), "quote": _in_context(odd, doc)}
            out.append(make("citation_symbol_variant", params, template_name="symbol_year_variant", key=odd.key,
                            citations=[odd, usual[0]], text=odd.text))
    return out


# "ngày 15/8/024", "ngày 31/02/2024", "ngày 31 tháng 02 năm 2024"
_DATE_LIKE = regex.compile(
    r"(?i)\bngày\s{0,3}(?P<d>\d{1,2})\s{0,2}(?:/|-|\.|\s+tháng\s+)\s{0,2}(?P<m>\d{1,2})\s{0,2}(?:/|-|\.|\s+năm\s+)"
    r"\s{0,2}(?P<y>\d{1,5})(?![\d/])"
)


def malformed_dates(doc: Document) -> list[Finding]:
    out = []
    texts = [(b.text, b.section, b.page) for b in doc.blocks if not b.in_header and b.text]
    texts += [(fn.text, None, fn.page) for fn in doc.footnotes]
    for text, section, page in texts:
        if "ngày" not in text.lower():
            continue
        for m in _DATE_LIKE.finditer(text):
            d, mo, y = (int(m.group(k)) for k in ("d", "m", "y"))
            if len(m.group("y")) != 4:
                problem = ("năm phải có 4 chữ số", "the year must have 4 digits")
            else:
                try:
                    date(y, mo, d)
                    continue
                except ValueError:
                    problem = ("không có ngày này trong lịch", "no such day in the calendar")
            token = m.group()[len("ngày") :].strip()
            params = {"token": token, "problem_vi": problem[0], "problem_en": problem[1],
                      "quote": quote(text[max(0, m.start() - 60) : m.end() + 20])}
            out.append(make("malformed_date", params, text=m.group(), section=section, page=page))
    return out


# the words right before the later document: "… về việc triển khai thực hiện Quyết định số …", "… theo …"
_IMPLEMENTS = regex.compile(r"(?i)\b(?:thực hiện|triển khai|căn cứ|theo|hướng dẫn|ủy quyền tại|uỷ quyền tại|"
                            r"cụ thể hóa|cụ thể hoá)\s*(?:các\s+|nội dung\s+)?[:,]?\s*$")
_BREAK = regex.compile(r"[;\n]|\.(?=\s)")


def chronology(doc: Document, citations: list[Citation]) -> list[Finding]:
    """A document whose subject says it implements or rests on a document issued after it ("Kế hoạch số 50 ngày
    10/01/2022 … triển khai thực hiện Quyết định số 06/QĐ-TTg ngày 06/02/2022")."""
    out = []
    body = sorted((c for c in citations if not c.in_footnote), key=lambda c: c.start)
    notes: dict[str | None, list[Citation]] = defaultdict(list)
    for c in citations:
        if c.in_footnote:
            notes[c.footnote_marker].append(c)
    texts = {fn.marker: fn.text for fn in doc.footnotes}
    for group, text in [(body, doc.text)] + [(sorted(v, key=lambda c: c.start), texts.get(k, "")) for k, v in
                                                notes.items()]:
        for a, b in itertools.pairwise(group):
            if not a.issued_date or not b.issued_date or b.issued_date <= a.issued_date or a.key == b.key:
                continue
            between = text[a.end : b.start]
            if len(between) > 160 or _BREAK.search(between) or not _IMPLEMENTS.search(between[-40:]):
                continue
            params = {"later": b.key or b.doc_type, "later_date": fmt_date(b.issued_date),
                      "earlier": a.key or a.doc_type, "earlier_date": fmt_date(a.issued_date),
                      "quote": quote(text[a.start : b.end], 160)}
            out.append(make("citation_chronology", params, key=b.key, citations=[a, b],
                            text=text[a.start : b.end]))
    return out


def self_citations(doc: Document, citations: list[Citation]) -> list[Finding]:
    md = doc.metadata
    if not md.number or not md.symbol:
        return []
    own = f"{md.number}/{md.symbol}"
    for c in citations:
        if c.key == own or (c.number == md.number and c.symbol == md.symbol):
            return [make("citation_of_itself", {"key": own, "quote": _mention(c)}, key=c.key, text=c.text,
                         citations=[c])]
    return []


def citation_findings(doc: Document, citations: list[Citation]) -> list[Finding]:
    """Every citation finding of one report."""
    return (date_conflicts(citations) + after_report(doc, citations) + registry_findings(citations)
            + year_findings(citations) + symbol_variants(citations, doc) + year_variants(citations, doc)
            + malformed_dates(doc) + chronology(doc, citations) + self_citations(doc, citations))
