"""Arithmetic in prose (domain.md §5, §8), read off the figures already extracted (``extract.figures``).

- ratio_mismatch: a stated percentage its ratio does not give ("156/168, đạt tỷ lệ 97%" is 92.9%);
- part_whole_mismatch: a total and its stated parts -- "(6.627 cấp mới, 468 cấp đổi, 473 cấp lại)", "tổng số N,
  trong đó a …, b …", "đã ban hành 04 văn bản: 02 Kế hoạch, 03 Công văn", and the "- "/"+ " items that follow a
  total ending in ":" (parts split again are checked at their own level);
- difference_mismatch: "phải thu a, đã thu b, còn c" (a − b = c), "… x …, còn lại y" after a total;
- list_count_mismatch: "ban hành 03 kết luận:" followed by a list of four;
- malformed_number: thousands separators in the wrong places ("4.215.6000.000 đồng");
- percent_over_100: a share above 100% ("chiếm 112%") that no target explains;
- placeholder_figure: "00/00" left in a submitted report.

Passages are body blocks and footnote bodies; figure offsets index the passage text.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import regex

from ..lang.numbers import decimals, mask_latex, numbers_in, percent_agrees
from ..model import HEADING, TABLE_CELL, Document, Figure, Finding, FootnoteCount
from ..resources import load_rules
from .findings import make
from .messages import fmt_number, fmt_percent, quote, settings

FootnoteCounts = Mapping[str, FootnoteCount]  # marker → its count check (extract.footnote_lists)


@dataclass
class Passage:
    """A body block or footnote body with its figures (offsets into ``text``)."""

    text: str
    figures: list[Figure]
    section: str | None = None
    page: int | None = None
    kind: str = "paragraph"
    masked: str = field(init=False)

    def __post_init__(self) -> None:
        self.masked = mask_latex(self.text)


def passages(doc: Document, figures: Iterable[Figure]) -> list[Passage]:
    """The body blocks (header and table cells left out) and the footnote bodies, each with its figures."""
    body = sorted((f for f in figures if not f.in_footnote), key=lambda f: f.start)
    starts = [f.start for f in body]
    out = []
    for block in doc.blocks:
        if block.in_header or block.kind == TABLE_CELL or not block.text:
            continue
        lo, hi = bisect.bisect_left(starts, block.start), bisect.bisect_left(starts, block.end)
        figs = [replace(f, start=f.start - block.start, end=f.end - block.start) for f in body[lo:hi]]
        out.append(Passage(block.text, figs, block.section, block.page, block.kind))
    notes: dict[str, list[Figure]] = {}
    for f in figures:
        if f.in_footnote and f.footnote_marker is not None:
            notes.setdefault(f.footnote_marker, []).append(f)
    for fn in doc.footnotes:
        figs = notes.get(fn.marker, [])
        section = figs[0].section if figs else (doc.section_at(fn.position) if fn.position is not None else None)
        out.append(Passage(fn.text, figs, section, fn.page, "footnote"))
    return out


# ---------------------------------------------------------------------------------------------------------------
# ratio_mismatch

_STATED_PERCENT = regex.compile(r"(\d+(?:[.,]\d+)*)\s*\\?%")


def ratio_findings(figures: Iterable[Figure]) -> list[Finding]:
    """A stated percentage its ratio does not give: x/y ratios, and percentages whose base the text states
    earlier ("Tổng số 2.000 hồ sơ; đã giải quyết 1.500 hồ sơ, đạt 80%")."""
    out = []
    modes = settings()["percent_agreement"]
    for fig in figures:
        if fig.kind not in ("ratio", "percent") or fig.stated_percent is None:
            continue
        if not fig.denominator or fig.numerator is None:
            continue
        computed = 100.0 * fig.numerator / fig.denominator
        m = _STATED_PERCENT.search(mask_latex(fig.text))
        digits = decimals(m.group(1)) if m else 0
        if percent_agrees(computed, fig.stated_percent, digits, modes):
            continue
        shown = max(1, digits)
        params = {"num": fmt_number(fig.numerator), "den": fmt_number(fig.denominator), "quote": quote(fig.text),
                  "stated": fmt_percent(fig.stated_percent, digits, "vi"),
                  "computed": fmt_percent(computed, shown, "vi")}
        en = {"stated": fmt_percent(fig.stated_percent, digits), "computed": fmt_percent(computed, shown)}
        out.append(make("ratio_mismatch", params, en=en, text=fig.text, figures=[fig]))
    return out


# ---------------------------------------------------------------------------------------------------------------
# totals and parts

# after a total: a few words, then the parenthesis of its parts
_PAREN_AFTER = regex.compile(r"(?P<tail>(?:\s+[\p{L}\d]+){0,8}?)\s*\.?\s*\((?P<inner>[^()]*)\)")
# after a total: "…, trong đó: …" (no number in between)
# (a remark in brackets may come first: "09 giấy phép … (bao gồm cả cấp mới và điều chỉnh), trong đó, …")
_TRONG_DO_AFTER = regex.compile(
    r"[^.;()\d\n]{0,40}?(?:\([^()\d]{0,80}\)[^.;()\d\n]{0,10}?)?[,:]?\s*trong\s+đó\s*[:,]?\s*", regex.I)
# after a total: ": …" or "gồm: …", right after it
_COLON_AFTER = regex.compile(r"\s*(?:,?\s*(?:gồm|bao gồm|cụ thể|như sau)\s*)?:\s*(?=\S)", regex.I)
_CLAUSE_END = regex.compile(r";|\.(?=\s|$)|\n")
_SPLIT_SEMICOLON = regex.compile(r";")
_SPLIT = regex.compile(r"(?<!\d),|,(?!\d)|\bvà\b")  # never the decimal comma of "78,6"
_NOT_A_PART = regex.compile(r"(?:năm|tháng|ngày|quý|số|lần thứ|khóa|giai đoạn)\s*$", regex.I)


@functools.cache
def _openers() -> regex.Pattern:
    words = "|".join(regex.escape(w) for w in settings()["breakdown_openers"])
    return regex.compile(rf"^\s*(?:{words})\s*[:,]?\s*", regex.I)


def _is_part_kind(f: Figure) -> bool:
    return f.kind in ("count", "money")


def _total_value(f: Figure) -> float | None:
    return f.numerator if f.kind == "ratio" else f.value


def _unit(f: Figure) -> str | None:
    return f.unit.lower() if f.unit else None


def _compatible(total_unit: str | None, units: Iterable[str | None]) -> bool:
    """Parts count what the total counts, or kinds of it when the total is a category ("04 văn bản: 02 Kế hoạch")."""
    named = {u for u in units if u}
    if total_unit in {u.lower() for u in settings()["category_units"]}:
        return True
    # "11/11 đơn vị (01 trung tâm y tế, 02 phòng khám đa khoa, 08 trạm y tế)": one kind of part, or the total's
    return len(named) <= 1 or named <= {total_unit}


def _same_unit(a: str | None, b: str | None) -> bool:
    """"9.757 thẻ CCCD" and "10.706 số thẻ CCCD" count the same thing."""
    return not a or not b or a == b or a.endswith(" " + b) or b.endswith(" " + a)


def _covers(total: float, parts: list[float]) -> bool:
    """Whether parts that need not be exhaustive ("trong đó …") are meant to cover the total."""
    s = sum(parts)
    return s > total or s >= settings()["exhaustive_share"] * total


def _depth0(text: str, start: int, figs: Iterable[Figure]) -> list[Figure]:
    """The figures outside any parenthesis opened after ``start`` (a part split again is not a part)."""
    out = []
    for f in figs:
        between = text[start : f.start]
        if between.count("(") <= between.count(")"):
            out.append(f)
    return out


def _piece_value(piece: str, offset: int, figs: list[Figure], count_total: bool) -> tuple[float, str | None] | None:
    """The (value, unit) of one part of a parenthetical breakdown, or None when it is not a single count."""
    inside = [f for f in figs if offset <= f.start < offset + len(piece)]
    if inside:
        if len(inside) != 1 or not _is_part_kind(inside[0]) or inside[0].value is None:
            return None
        if (inside[0].kind == "money") != (not count_total):
            return None  # "01 dự án (… 11,14 ha, 230,2 tỷ đồng)": an amount is not a part of a count
        return inside[0].value, _unit(inside[0])
    if "/" in piece or "%" in piece or not count_total:
        return None  # a bare number is no amount: "78,6 ty" (a typo of "tỷ") has no scale to add to "100 tỷ"
    nums = numbers_in(piece)
    if len(nums) != 1:
        return None
    s, _e, value = nums[0]
    if _NOT_A_PART.search(piece[:s]) or (count_total and value != int(value)) or 1900 <= value <= 2100:
        return None
    return value, None


def _parenthetical(p: Passage, total: Figure) -> Finding | None:
    """"7.570 hồ sơ CCCD (6.627 cấp mới, 468 cấp đổi, 473 cấp lại)"; "11/11 đơn vị (01 …, 02 …, 08 …)"."""
    m = _PAREN_AFTER.match(p.masked, total.end)
    if not m or "%" in m.group("tail") or ":" in m.group("tail"):
        return None
    inner, base = m.group("inner"), m.start("inner")
    opener = _openers().match(inner)
    if opener:
        inner, base = inner[opener.end() :], base + opener.end()
    splitter = _SPLIT_SEMICOLON if ";" in inner else _SPLIT
    parts, pos = [], 0
    for piece in splitter.split(inner):
        if piece.strip():
            part = _piece_value(piece, base + pos, p.figures, total.kind != "money")
            if part is None:
                return None
            parts.append(part)
        pos += len(piece) + 1  # the separator (";", "," or the first letter of "và": offsets only need the piece)
    value, unit = _total_value(total), _unit(total)
    if len(parts) < 2 or value is None or not _compatible(unit, [u for _, u in parts]):
        return None
    if not opener and unit is None:
        return None
    values = [v for v, _ in parts]
    exhaustive = not (opener and opener.group().strip().lower().startswith("trong"))
    return _part_whole(p, total, values, m.end(), exhaustive)


def _following(p: Passage, total: Figure) -> Finding | None:
    """"tổng số 1.520 hồ sơ, trong đó: 210 …, 1.190 …, 95 …" and "04 văn bản: 02 Kế hoạch, 03 Công văn"."""
    m = _TRONG_DO_AFTER.match(p.masked, total.end)
    exhaustive = False
    if not m:
        m = _COLON_AFTER.match(p.masked, total.end)
        exhaustive = True
        if not m:
            return None
    end = _clause_end(p, m.end(), _unit(total))
    rest = [f for f in p.figures if m.end() <= f.start < end]
    if any(f.kind in ("ratio", "percent") for f in rest):
        return None
    parts = [f for f in _depth0(p.masked, m.end(), rest) if _is_part_kind(f) and f.value is not None]
    value, unit = _total_value(total), _unit(total)
    if len(parts) < 2 or value is None or unit is None or not _compatible(unit, map(_unit, parts)):
        return None
    return _part_whole(p, total, [f.value for f in parts if f.value is not None], end, exhaustive, parts)


def _clause_end(p: Passage, start: int, unit: str | None) -> int:
    """Where the parts after ``start`` end: the clause, or, when the parts are items separated by ";" ("thăm dò:
    03 giấy phép; khai thác: 02 giấy phép; …"), the last ";" segment that still holds a part of the total's unit,
    within the sentence."""
    end_m = _CLAUSE_END.search(p.masked, start)
    end = end_m.start() if end_m else len(p.masked)
    while unit and end < len(p.masked) and p.masked[end] == ";":
        nxt = _CLAUSE_END.search(p.masked, end + 1)
        nxt_end = nxt.start() if nxt else len(p.masked)
        if not any(end < f.start < nxt_end and _is_part_kind(f) and _unit(f) == unit for f in p.figures):
            break
        end = nxt_end
    return end


def _part_whole(p: Passage, total: Figure, values: list[float], end: int, exhaustive: bool,
                parts: list[Figure] = ()) -> Finding | None:  # type: ignore[assignment]
    value = _total_value(total) or 0.0
    if abs(sum(values) - value) <= 1e-6 * max(1.0, value) or (not exhaustive and not _covers(value, values)):
        return None
    text = p.text[total.start : end]
    params = {"sum": fmt_number(sum(values)), "total": fmt_number(value), "quote": quote(text),
              "parts": " + ".join(fmt_number(v) for v in values)}
    return make("part_whole_mismatch", params, text=text, section=p.section, page=p.page,
                figures=[total, *parts])


def part_whole_findings(p: Passage) -> list[Finding]:
    """Totals of one passage whose parts, stated in the same sentence, do not add up."""
    out = []
    for total in p.figures:
        if total.kind not in ("count", "money", "ratio"):
            continue
        found = _parenthetical(p, total) or _following(p, total)
        if found:
            out.append(found)
    return out


# ---------------------------------------------------------------------------------------------------------------
# parts in the "- " / "+ " items after a total, and counts of listed items

_BULLET = regex.compile(r"^\s*([-+•–*]|[a-zđ]\)|\d{1,2}\))\s*")
_ENDS_COLON = regex.compile(r":\s*$")


def _bullet(text: str) -> str | None:
    m = _BULLET.match(text)
    if not m:
        return None
    b = m.group(1)
    return "a)" if b.endswith(")") else "-" if b == "–" else b


def _announced(p: Passage) -> Figure | None:
    """The total a passage ending in ":" announces: its last count or money, with no number after it
    ("Tổng số hồ sơ tiếp nhận 1.520 hồ sơ, trong đó:", "UBND huyện ban hành 03 kế hoạch:")."""
    if not _ENDS_COLON.search(p.text) or not p.figures:
        return None
    last = p.figures[-1]
    tail = p.masked[last.end :]
    if not _is_part_kind(last) or len(tail) > 60 or any(ch.isdigit() for ch in tail):
        return None
    if _SENTENCE_END.search(tail):  # "… điều chỉnh 04 giấy phép. Cụ thể … như sau:": the list is not of that 04
        return None
    return last


def _items(ps: list[Passage], i: int) -> list[Passage]:
    """The items that follow passage ``i`` one level below it: same bullet as the first, deeper ones skipped."""
    own = _bullet(ps[i].text)
    items: list[Passage] = []
    level = None
    for q in ps[i + 1 :]:
        if q.kind in (HEADING, "footnote"):
            break
        b = _bullet(q.text)
        if b is None or b == own:
            break
        if level is None:
            level = b
        if b == level:
            items.append(q)
    return items


@functools.cache
def _document_units() -> frozenset[str]:
    """The document types writers count (rules/units.yaml ``document_units``)."""
    return frozenset(str(u).lower() for u in load_rules("units.yaml")["document_units"])


@functools.cache
def _doc_nouns(unit: str = "văn bản") -> regex.Pattern:
    """An item that starts with a document of ``unit``: any document type for the generic "văn bản", else that
    type ("03 kết luận:" counts "- Kết luận số …" items, not "- Thông báo số …")."""
    kinds = _document_units() if unit == "văn bản" else {unit}
    words = "|".join(regex.escape(w) for w in sorted(kinds, key=len, reverse=True))
    return regex.compile(rf"^\s*(?:[-+•–*]|[a-zđ]\)|\d{{1,2}}\))?\s*(?:{words})\b", regex.I)


def list_findings(ps: list[Passage]) -> list[Finding]:
    """A total ending in ":" against its following items: the items' figures must add up to it
    (part_whole_mismatch), or, when they are not figures, there must be as many items as it announces
    (list_count_mismatch: "ban hành 03 kết luận:" followed by four "- " items)."""
    out = []
    listed = {w.lower() for w in settings()["listed_nouns"]} | _document_units()
    for i, p in enumerate(ps):
        total = _announced(p)
        if total is None or total.value is None:
            continue
        items = _items(ps, i)
        if len(items) < 2:
            continue
        firsts = [next((f for f in _depth0(q.masked, 0, q.figures) if _is_part_kind(f)), None) for q in items]
        unit = _unit(total)
        if all(firsts) and _compatible(unit, map(_unit, firsts)):  # type: ignore[arg-type]
            values = [f.value or 0.0 for f in firsts]  # type: ignore[union-attr]
            found = _part_whole(p, total, values, len(p.text), False, firsts)  # type: ignore[arg-type]
            if found:
                found.text = " ".join([p.text, *(q.text for q in items)])[:500]
                out.append(found)
            continue
        if unit not in listed or total.value > 50 or total.value == len(items) or any(firsts):
            continue
        if unit in _document_units() and not all(_doc_nouns(unit).match(q.text) for q in items):
            continue  # the items are not the documents counted
        params = {"claimed": fmt_number(total.value), "noun": total.unit, "listed": len(items),
                  "quote": quote(p.text[max(0, total.start - 60) :])}
        out.append(make("list_count_mismatch", params, text=p.text, section=p.section, page=p.page, figures=[total]))
    return out


def footnote_findings(counts: FootnoteCounts, doc: Document | None = None) -> list[Finding]:
    """"ban hành 30 công văn⁴" while footnote 4 lists 21."""
    out = []
    for marker, count in counts.items():
        listed, claimed, noun = count.listed_count, count.claimed_count, count.claimed_noun
        if listed is None or claimed is None or listed == claimed:
            continue
        fn = doc.footnote(marker) if doc else None
        anchor = fn.anchor_text if fn and fn.anchor_text else ""
        params = {"claimed": claimed, "noun": noun or "văn bản", "marker": marker, "listed": listed,
                  "where_vi": f" tại {quote(anchor)}" if anchor else "",
                  "where_en": f" in {quote(anchor)}" if anchor else ""}
        block = doc.block_at(fn.position) if doc and fn and fn.position is not None else None
        out.append(make("footnote_count_mismatch", params, text=anchor or None,
                        section=block.section if block else None,
                        page=block.page if block and block.page is not None else (fn.page if fn else None)))
    return out


# ---------------------------------------------------------------------------------------------------------------
# differences and remainders

_REMAINDER = regex.compile(r"\bcòn lại\b|\bcòn\b", regex.I)
_DUE = regex.compile(r"\b(?:phải|tổng|kế hoạch|dự toán|được giao|cần)\b[^.;]{0,40}$", regex.I)
_SENTENCE_END = regex.compile(r"\.(?=\s)")


def difference_findings(p: Passage) -> list[Finding]:
    """"62.989 trường hợp … Đã cấp CCCD: 53.061 trường hợp (…), còn lại chưa cấp 9.928 trường hợp" and "phải thu
    120 triệu đồng, đã thu 80 triệu đồng, còn 50 triệu đồng": the total less what is done is what remains."""
    out: list[Finding] = []
    figs = [f for f in p.figures if f.kind in ("count", "money", "ratio")]
    if len(figs) < 2 or not _REMAINDER.search(p.masked):
        return out
    ends = [m.end() for m in _SENTENCE_END.finditer(p.masked)]
    for m in _REMAINDER.finditer(p.masked):
        y = _remainder_value(p, m.end(), figs)
        if y is None:
            continue
        k = bisect.bisect_left(ends, m.start())
        start = ends[k - 2] if k >= 2 else 0  # this sentence and the one before (a total is often stated there)
        before = [f for f in _depth0(p.masked, start, [f for f in figs if start <= f.start and f.end <= m.start()])]
        found = _difference(p, before, y, bare=m.group().lower() == "còn")
        if found:
            out.append(found)
    return out


_BARE_VALUE = regex.compile(r"(?:\s+\p{L}+){0,4}?\s*:?\s*(\d+(?:\.\d{3})*)(?![\d.,/%])")


def _remainder_value(p: Passage, pos: int, figs: list[Figure]) -> Figure | None:
    """What remains: the figure after "còn (lại)", or a bare number right after it ("còn lại 949 nguyên nhân …")."""
    after = [f for f in figs if pos <= f.start <= pos + 40 and _is_part_kind(f)]
    if after and not _CLAUSE_END.search(p.masked, pos, after[0].start):
        return after[0]
    m = _BARE_VALUE.match(p.masked, pos)
    if not m or any(f.start <= m.start(1) < f.end for f in p.figures):
        return None
    value = numbers_in(m.group(1))
    if not value or 1900 <= value[0][2] <= 2100:
        return None
    return Figure(kind="count", value=value[0][2], text=m.group(1), start=m.start(1), end=m.end(1))


def _difference(p: Passage, before: list[Figure], y: Figure, bare: bool) -> Finding | None:
    if not before or y.value is None:
        return None
    x = before[-1]
    if x.kind == "ratio":  # "53.852 trường hợp/53.883 chỉ tiêu …, còn lại 31": numerator + rest = denominator
        t_v, x_v, t = x.denominator, x.numerator, x
    else:
        if len(before) < 2 or before[-2].kind == "ratio":
            return None
        t = before[-2]
        t_v, x_v = t.value, x.value
        if bare and not _DUE.search(p.masked, max(0, t.start - 60), t.start):
            return None  # a bare "còn" is a remainder only after a ratio or a due amount ("phải thu …")
        if not _same_unit(_unit(t), _unit(x)):
            return None
    if t_v is None or x_v is None or not _same_unit(_unit(y), _unit(x)):
        return None
    if t_v < x_v or t_v < y.value or abs(x_v + y.value - t_v) <= 1e-6 * max(1.0, t_v):
        return None
    text = p.text[t.start : y.end]
    params = {"total": fmt_number(t_v), "done": fmt_number(x_v), "expected": fmt_number(t_v - x_v),
              "rest": fmt_number(y.value), "quote": quote(text)}
    return make("difference_mismatch", params, text=text, section=p.section, page=p.page, figures=[t, x, y][-3:])


# ---------------------------------------------------------------------------------------------------------------
# malformed figures

# digits grouped by dots, two dots or more, every group after the first of three digits or more: the groups of a
# thousands-separated number are of exactly three ("4.215.600.000"); dates ("15.08.2023") and section numbers
# ("3.2.2.1") have shorter groups, phone numbers start with 0 ("0214.3840.123")
_DOTTED = regex.compile(r"(?<![\d.,/])[1-9]\d{0,3}(?:\.\d{3,}){2,}(?![\d/]|[.,]\d)|(?<![\d.,/])[1-9]\d{0,2}"
                        r"\.\d{4,}\.\d{3}(?![\d/]|[.,]\d)")
_PLACEHOLDER = regex.compile(r"(?<![\d.,])0{2,}\s*/\s*0{2,}(?![\d])")


def malformed_findings(p: Passage) -> list[Finding]:
    """Numbers whose thousands separators are misplaced, and "00/00" placeholders."""
    out = []
    for m in _DOTTED.finditer(p.masked):
        groups = m.group().split(".")
        if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
            continue
        text = _sentence(p.text, m.start(), m.end())
        out.append(make("malformed_number", {"token": m.group(), "quote": quote(text)}, text=text,
                        section=p.section, page=p.page))
    m = _PLACEHOLDER.search(p.masked)
    if m:
        text = _sentence(p.text, m.start(), m.end())
        out.append(make("placeholder_figure", {"token": m.group(), "quote": quote(text)}, text=text,
                        section=p.section, page=p.page))
    return out


def _sentence(text: str, start: int, end: int) -> str:
    a = max([m.end() for m in _CLAUSE_END.finditer(text, 0, start)] or [0])
    b = _CLAUSE_END.search(text, end)
    return text[a : b.start() if b else len(text)].strip()


_SHARE_BEFORE = regex.compile(r"(?:chiếm|đạt|bằng)\s*(?:tỷ lệ|tỉ lệ)?\s*$|(?:tỷ lệ|tỉ lệ)\s*:?\s*$", regex.I)


@functools.cache
def _target_words() -> regex.Pattern:
    return regex.compile("|".join(rf"\b{regex.escape(w)}\b" for w in settings()["target_words"]), regex.I)


def over_100_findings(p: Passage) -> list[Finding]:
    """A share above 100% ("chiếm 112%", "đạt tỷ lệ 105% số hộ") where nothing says it is measured against a
    target ("200,87% so với chỉ tiêu Bộ giao" is real)."""
    out = []
    for f in p.figures:
        if f.stated_percent is None or f.stated_percent <= 100:
            continue
        if f.kind == "ratio" and f.numerator is not None and f.denominator and f.numerator > f.denominator:
            continue  # x/y itself is over 100%: a comparison, stated as such
        m = _STATED_PERCENT.search(p.masked, f.start, f.end)
        if not m or not _SHARE_BEFORE.search(p.masked, max(0, m.start() - 20), m.start()):
            continue
        clause = _sentence(p.masked, m.start(), m.end())
        if _target_words().search(clause):
            continue
        params = {"stated": fmt_percent(f.stated_percent, decimals(m.group(1)), "vi"), "quote": quote(clause)}
        en = {"stated": fmt_percent(f.stated_percent, decimals(m.group(1)))}
        out.append(make("percent_over_100", params, en=en, text=f.text, figures=[f], section=p.section, page=p.page))
    return out


# ---------------------------------------------------------------------------------------------------------------
# one passage, and the API on bare text


def passage_findings(p: Passage) -> list[Finding]:
    return part_whole_findings(p) + difference_findings(p) + malformed_findings(p) + over_100_findings(p)


def text_findings(text: str) -> list[Finding]:
    """Every arithmetic finding of one text, with its figures extracted (for tests and the API)."""
    from ..extract.figures import figures_in_text

    return passage_findings(Passage(text, figures_in_text(text)))


def part_whole_in_text(text: str) -> list[tuple[int, int, str]]:
    """(start, end, message) of every total in ``text`` whose stated parts, or remainder, do not add up to it."""
    out = []
    for f in text_findings(text):
        if f.kind in ("part_whole_mismatch", "difference_mismatch") and f.text:
            start = text.find(f.text)
            out.append((start, start + len(f.text), f.message_en))
    return out
