"""Figures: ratios, percentages, counts and money, each with what it counts (domain.md §5; schema.md ``figures``).

Works on each body block and each footnote body, on a copy whose LaTeX markup is blanked (same offsets, see
:func:`extractor.lang.numbers.mask_latex`). Numbers inside dates, document numbers, section numbers, "quý I/2023" and
the other spans of ``rules/number_conventions.yaml`` (``not_figures``) are skipped.

- ratio: "193/193, tỷ lệ 100%", "53.852 trường hợp/53.883 chỉ tiêu …, đạt 99.94%", "168.411 / 83.838 = 200,87%",
  "01/09(tỷ lệ 11%)". A two-part "d/m" that could be a date is a ratio only with evidence: a unit or percentage
  after it, or a colon before it ("Xóa trùng thông tin: 06/12"). "74 trường hợp/01 CBCS" is a rate, not a ratio.
- percent: a percentage not attached to a ratio; when a count stands right before it ("2482 chiếm tỉ lệ 82%") the
  base is looked for among the earlier numbers of the passage ("… 3032. trong đó … 2482 chiếm tỉ lệ 82%").
- count: a number followed by a unit of ``rules/units.yaml`` ("10.260 hồ sơ cấp CCCD"), or the value of a
  "label: number" item.
- money: "10 tỷ đồng", "350 triệu" -> đồng.

The label (what is counted) is the "label:" before the number when there is one, else the noun phrase after it,
found with underthesea's part-of-speech tagger (``extractor.lang.pos``).

``figures_in_text`` runs four finders in turn, each skipping the numbers an earlier one took: ratios, money,
percentages, counts.

Speed (bench/stage_profile.py): every pattern is compiled once; the excluded spans of a text are computed once
(shared with ``extractor.audit``, which reads the same blocks); the tagger's answers are cached by window text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from ..lang.numbers import decimals, mask_latex, money_multipliers, parse_count, parse_number, percent_agrees
from ..lang.pos import NOUN_PHRASE_TAGS, pos_tag
from ..model import TABLE_CELL, Document, Figure
from ..resources import load_rules
from .spans import Span, SpanSet, overlaps

NUM = r"(?<![\p{L}\d.,/])\d+(?:[.,]\d+)*(?![\p{L}\d])(?!,\d)"
DEN = r"(?<![\p{L}\d.,])\d+(?:[.,]\d+)*(?![\p{L}\d])(?!,\d)"
_NUMBER = regex.compile(NUM)
_PERCENT = regex.compile(rf"(?P<p>{NUM})\s*%")
# numerator, optional unit words, "/", denominator, optional unit words
_RATIO = regex.compile(
    rf"(?P<num>{NUM})(?P<u1>(?:\s+[\p{{L}}]+){{0,4}}?)\s*/\s*(?P<den>{DEN})(?!\s*/\s*\d)(?!\s*[/.]\d)"
)
# what may sit between a ratio and its percentage: no other ratio, no clause end
_CLAUSE_END = regex.compile(r";|\.(?=\s|$)|\n|\(\s*\d\s*\)")
_BULLET = regex.compile(r"^[\s\-+•–*·◦▪]*(?:\(?\d{1,2}[.)]\s*|[a-zđ]\)\s*)?")
# words that end the text before a number but are not part of what it counts ("… CCCD/CC là 156/168")
_TRAILING = {"là", "có", "đạt", "được", "cho", "qua", "với", "gồm", "đã", "mới", "làm", "nhập", "thực hiện"}
_ADVERB_START = regex.compile(r"^(?:đã|đang|sẽ|được|chưa|vẫn|còn|trong|tính|kết quả)\b", regex.I)
_CLAUSE_BOUNDARY = regex.compile(r";|\.(?=\s)|\n|:\s*(?=[-+])")
_PHRASE_STOP = regex.compile(r"[,;:.()\n%=]|\s(?:và|của|cho|đạt|tại|trong|so với)\s")
_DIGIT = regex.compile(r"\d")
_LETTER_AFTER = regex.compile(r"\s+\p{L}")  # "74 trường hợp/01 CBCS"
_PERCENT_THEN_PAREN = regex.compile(rf"(?P<p>{NUM})\s*%[^;.()%/]*\(\s*$")  # "100% các cơ sở … (164/164 cơ sở)"
_COLON_END = regex.compile(r":\s*$")
# the count a percentage is of: "2482 chiếm tỉ lệ 82%", "2269, đạt tỷ lệ 91,4%", "1.987 tài khoản (tỷ lệ 92,59%)",
# "1.000 hộ thanh toán không dùng tiền mặt, đạt 80%" (no punctuation but one comma or "(" in between)
_COUNT_BEFORE_PERCENT = regex.compile(
    rf"(?P<x>{NUM})(?:\s+\p{{L}}+){{0,8}}?\s*[,(]?\s*(?:chiếm|đạt|bằng)?\s*(?:tỷ lệ|tỉ lệ)?\s*$"
)
# a stated total: "Tổng số 2.000 hồ sơ", "tổng cộng: 860 hồ sơ"
_TOTAL_BEFORE = regex.compile(r"(?:tổng số|tổng cộng|tổng)\s*:?\s*(?:là\s+)?$", regex.I)
# a percentage of a target, not of an earlier total: "đạt 80% kế hoạch", "đạt 95% chỉ tiêu giao"
_OF_TARGET = regex.compile(r"\s*(?:kế hoạch|chỉ tiêu|so với|mục tiêu|tổng số thu|dự toán)", regex.I)
_PERCENT_OR_SLASH = regex.compile(r"\s*(?:%|/)")
_SLASH_END = regex.compile(r"/\s*$")
_VALUE_END = regex.compile(r"\s*(?:[,;.)]|$)")


@functools.cache
def _not_figures() -> list[regex.Pattern]:
    return [regex.compile(p, regex.I | regex.M) for p in load_rules("number_conventions.yaml")["not_figures"]]


@functools.cache
def _units() -> regex.Pattern:
    rules = load_rules("units.yaml")
    units = sorted({str(u).lower() for u in rules["units"] + rules.get("document_units", [])}, key=len, reverse=True)
    return regex.compile(r"\s*(" + "|".join(regex.escape(u) for u in units) + r")(?![\p{L}\d])", regex.I)


@functools.cache
def _money_words() -> list[str]:
    return sorted(money_multipliers(), key=len, reverse=True)


@functools.cache
def _money() -> regex.Pattern:
    words = _money_words()
    return regex.compile(
        rf"(?P<n>{NUM})\s*(?P<m>" + "|".join(regex.escape(w) for w in words) + r")(?:\s+(?P<d>đồng))?(?![\p{L}\d])"
    )


ANY_DIGIT = "\\d"  # in the set _required returns: the pattern needs some digit
_UNSUPPORTED = regex.compile(r"\(\?[a-zA-Z0-9^-]*[xV]|\\Q")  # verbose mode, version 1 sets, quoting
_QUANTIFIER = regex.compile(r"\?|\*|\+|\{(\d*),?(\d*)\}")
# escapes with an argument: \p{L}, \pL, \N{…}, \x{…}, \x41, \u0041, \U00000041, \g<name>, \L<list>, \k<name>
_ESCAPE_ARGUMENT = regex.compile(
    r"[pPN]\{[^}]*\}|[pP]\w|x\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[gLk]<[^>]*>"
)


def _skip_group(pattern: str, i: int, close: str) -> int | None:
    """The index after the ")" or "]" closing the group or class opened at ``pattern[i]``; None when unsure."""
    depth = 0
    in_class = close == "]"
    j = i + 1
    if in_class and pattern[j : j + 1] == "^":
        j += 1
    if in_class and pattern[j : j + 1] == "]":  # "[]…]": a literal "]"
        j += 1
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if in_class:
            if c == "[":
                return None  # a POSIX class or a nested set: not worth understanding
            if c == "]":
                return j + 1
        elif c == "[":
            k = _skip_group(pattern, j, "]")
            if k is None:
                return None
            j = k
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return j + 1
            depth -= 1
        j += 1
    return None


def _required(pattern: str) -> frozenset[str]:
    """What every match of ``pattern`` must contain: ASCII punctuation and digits written as literals, and
    ``ANY_DIGIT`` for a ``\\d``, outside groups, classes and optional parts (over top-level alternatives, what all of
    them need). Letters are left out (case-insensitive patterns). Conservative: whatever it does not understand
    requires nothing, so a text lacking one of these characters cannot match and need not be searched."""
    if _UNSUPPORTED.search(pattern):
        return frozenset()
    branches: list[set[str]] = [set()]
    i = 0
    while i < len(pattern):
        c = pattern[i]
        item: str | None = None
        if c == "\\":
            if i + 1 >= len(pattern):
                return frozenset()
            e = pattern[i + 1]
            arg = _ESCAPE_ARGUMENT.match(pattern, i + 1)
            if arg:
                i = arg.end()
            else:
                i += 2
                if e == "d":
                    item = ANY_DIGIT
                elif e.isascii() and not e.isalnum() and not e.isspace():
                    item = e  # an escaped punctuation character is itself: "\\/", "\\(", "\\."
                elif e.isdigit():
                    return frozenset()  # a back reference or an octal escape
        elif c == "(" or c == "[":
            end = _skip_group(pattern, i, ")" if c == "(" else "]")
            if end is None:
                return frozenset()
            i = end
        elif c == "|":
            branches.append(set())
            i += 1
            continue
        elif c in ")]":
            return frozenset()  # unbalanced: not understood
        else:
            i += 1
            if c.isascii() and (c.isdigit() or (not c.isalnum() and not c.isspace() and c not in ".^$")):
                item = c
        q = _QUANTIFIER.match(pattern, i)
        if q:
            optional = q.group() in ("?", "*") or (q.group().startswith("{") and not int(q.group(1) or 0))
            i = q.end()
            if i < len(pattern) and pattern[i] in "?+":  # lazy or possessive
                i += 1
            if optional:
                item = None
        if item is not None:
            branches[-1].add(item)
    return frozenset.intersection(*map(frozenset, branches))


@functools.cache
def _not_figure_requirements() -> list[frozenset[str]]:
    return [_required(p) for p in load_rules("number_conventions.yaml")["not_figures"]]


@functools.lru_cache(maxsize=256)
def _excluded(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``text`` whose numbers are never figures (in pattern order; cached: figures and audit both ask).

    A pattern is only searched when ``text`` holds every character it requires (:func:`_required`): most blocks
    hold no "/" and cannot contain a date or a document number."""
    has_digit = _DIGIT.search(text) is not None
    spans: list[tuple[int, int]] = []
    for pattern, needs in zip(_not_figures(), _not_figure_requirements(), strict=True):
        if any(not has_digit if item == ANY_DIGIT else item not in text for item in needs):
            continue
        spans.extend(m.span() for m in pattern.finditer(text))
    return tuple(spans)


def _space_after(text: str, pos: int) -> int:
    """How many whitespace characters start ``text[pos:]`` (what ``str.lstrip`` would remove)."""
    end = pos
    n = len(text)
    while end < n and text[end].isspace():
        end += 1
    return end - pos


def _unit_at(text: str, pos: int) -> str | None:
    m = _units().match(text, pos)
    return m.group(1) if m else None


# How far a clause is looked for around a number (characters): a clause of a real report is far shorter, and without
# a bound a block with no clause boundary ("1% 1% 1% …", 200 KB) was scanned from its start for every number in it
CLAUSE_REACH = 1000


@functools.lru_cache(maxsize=256)
def excluded_set(text: str) -> SpanSet:
    """:func:`_excluded` as a :class:`SpanSet` (overlap questions in constant time, however many spans)."""
    return SpanSet(_excluded(text))


def _clause_start(text: str, pos: int) -> int:
    start = max(0, pos - CLAUSE_REACH)
    for m in _CLAUSE_BOUNDARY.finditer(text, start, pos):  # endpos: as if the text ended at pos
        start = m.end()
    return start


def _clause_end(text: str, pos: int) -> int:
    reach = pos + CLAUSE_REACH
    m = _CLAUSE_END.search(text, pos, reach + 1)  # (one more: "." before the reach sees what follows it)
    return min(m.start(), len(text)) if m and m.start() < reach else min(reach, len(text))


def _noun_phrase(text: str, pos: int, limit: int = 60) -> str:
    """The noun phrase starting at ``pos`` ("hồ sơ cấp CCCD và …" -> "hồ sơ cấp CCCD")."""
    rest = text[pos : pos + limit]
    rest = _PHRASE_STOP.split(rest, maxsplit=1)[0].strip()
    if not rest or not rest[0].isalpha():
        return ""
    words = []
    for word, tag in pos_tag(rest):
        if tag not in NOUN_PHRASE_TAGS:
            break
        words.append(word)
    return " ".join(words).strip()


def _label(text: str, start: int, end: int, unit: str | None) -> str | None:
    """What the number at text[start:end] counts."""
    clause = _clause_start(text, start)
    before = text[clause:start]
    colon = before.rfind(":")
    if colon >= 0:
        head = _BULLET.sub("", before[:colon].rsplit(":", 1)[-1]).strip(" ,")
        if _ADVERB_START.match(head) and "," in head:  # "Tính đến ngày 28/12/2022, tổng kích hoạt mức 1"
            head = head.rsplit(",", 1)[1].strip()
        between = before[colon + 1 :].strip(" ,")
        if head and not _ADVERB_START.match(head) and len(head.split()) <= 14:
            if not between or len(between.split()) > 4 or _ADVERB_START.match(between):
                return head
            return f"{head}: {between}"
    after = _noun_phrase(text, end)
    if after:
        return after
    words = _BULLET.sub("", before).strip(" ,(:").split()
    while words and words[-1].lower() in _TRAILING:
        words.pop()
    return " ".join(words[-6:]) or unit


def _money_label(text: str, start: int, end: int) -> str:
    """A money amount is labelled by its clause: "Bố trí 350 triệu cho Phòng Văn hóa và Thông tin huyện …"."""
    clause = _BULLET.sub("", text[_clause_start(text, start) : _clause_end(text, end)]).strip()
    words = clause.split()
    return " ".join(words[:16]) + (" …" if len(words) > 16 else "")


def _section(doc: Document, offset: int, in_footnote: bool, footnote_block: int | None) -> str | None:
    if in_footnote:
        if footnote_block is not None and 0 <= footnote_block < len(doc.blocks):
            return doc.blocks[footnote_block].section
        return None
    return doc.section_at(offset)


def _ambiguous_date(num_tok: str, den_tok: str) -> bool:
    num, den = parse_number(num_tok), parse_number(den_tok)
    if num is None or den is None or "." in num_tok + den_tok or "," in num_tok + den_tok:
        return False
    return 1 <= num <= 31 and 1 <= den <= 12


def _find_percent_after(text: str, pos: int, stop: int) -> regex.Match | None:
    window = text[pos:stop]
    m = _PERCENT.search(window)
    if not m:
        return None
    if _RATIO.search(window[: m.start()]):
        return None
    return m


@dataclass
class _Scan:
    """One text being searched for figures: the text, its copy with LaTeX blanked (same offsets) that the patterns
    read, and the spans the finders have taken so far."""

    text: str
    masked: str
    used: SpanSet = field(default_factory=SpanSet)  # number spans already part of a figure
    percent_used: SpanSet = field(default_factory=SpanSet)  # percentages a ratio has taken

    def excluded(self) -> SpanSet:
        """The spans whose numbers are never figures (asked for last, when a number would otherwise make a
        figure: most numbers are dropped by cheaper tests first, and a text without candidates never needs them)."""
        return excluded_set(self.masked)


def figures_in_text(text: str) -> list[Figure]:
    """Figures in one block or footnote body, in text order; offsets index ``text``. The finders run in turn,
    each skipping the numbers an earlier one took."""
    if not _DIGIT.search(text):  # every figure holds a number
        return []
    scan = _Scan(text, mask_latex(text))
    figures = [*_ratios(scan), *_money_amounts(scan), *_percentages(scan), *_counts(scan)]
    figures.sort(key=lambda f: f.start)
    return figures


def _ratios(scan: _Scan) -> list[Figure]:
    """"193/193, tỷ lệ 100%", "53.852 trường hợp/53.883 chỉ tiêu …": a ratio, with the percentage stated for it."""
    masked, out = scan.masked, []
    # each pattern is only run when the text holds the character or word it cannot match without
    for m in _RATIO.finditer(masked, overlapped=False) if "/" in masked else ():
        num_tok, den_tok = m.group("num"), m.group("den")
        s, e = m.start(), m.end("den")
        unit_after = _unit_at(masked, e)
        u1 = m.group("u1").strip()
        num, den = parse_number(num_tok), parse_number(den_tok)
        if num is None or den is None:
            continue
        if u1 and (unit_after or _LETTER_AFTER.match(masked, e)) and den == 1:
            continue  # a rate: "74 trường hợp/01 CBCS", "1 tuần/1 lần"
        stated, pct_start, pct_end = _percent_of_ratio(masked, s, e)
        if _ambiguous_date(num_tok, den_tok) and not u1:
            colon_before = _COLON_END.search(masked[max(0, s - 3) : s])
            if not (unit_after or stated is not None or colon_before):
                continue
        excluded = scan.excluded()
        if overlaps(excluded, m.start("num"), m.end("num")) or overlaps(excluded, m.start("den"), m.end("den")):
            continue
        end = pct_end if pct_end is not None and pct_end > e and pct_end - e <= 40 else e
        if unit_after:
            end = max(end, e + _space_after(masked, e) + len(unit_after))
        if pct_start is not None:
            scan.percent_used.add(pct_start, pct_end)
        unit = u1 or unit_after
        out.append(Figure(kind="ratio", value=100.0 * num / den if den else None, text=scan.text[s:end], start=s,
                          end=end, numerator=num, denominator=den, stated_percent=stated, unit=unit or None,
                          label=_label(masked, s, e, unit)))
        scan.used.extend([(m.start("num"), m.end("num")), (m.start("den"), m.end("den"))])
    return out


def _percent_of_ratio(masked: str, s: int, e: int) -> tuple[float | None, int | None, int | None]:
    """(stated percentage, its start, its end) for the ratio at masked[s:e]: the first percentage after it in its
    clause, else one just before it that opens a parenthesis ("100% các cơ sở … (164/164 cơ sở)")."""
    pm = _find_percent_after(masked, e, _clause_end(masked, e))
    if pm:
        return parse_number(pm.group("p")), e + pm.start(), e + pm.end()
    lead_start = max(0, s - 90)
    bm = _PERCENT_THEN_PAREN.search(masked[lead_start:s])
    if bm:
        start = lead_start + bm.start()
        return parse_number(bm.group("p")), start, start + len(bm.group("p")) + 1
    return None, None, None


def _money_amounts(scan: _Scan) -> list[Figure]:
    """"10 tỷ đồng", "350 triệu": an amount in đồng, labelled by its clause."""
    masked, out = scan.masked, []
    for m in _money().finditer(masked) if any(w in masked for w in _money_words()) else ():
        if overlaps(scan.used, m.start("n"), m.end("n")):
            continue
        word = m.group("m")
        if word in ("đ",) and not m.group("d"):
            continue
        if _unit_at(masked, m.end()):
            continue  # "1,2 triệu người" is a count
        n = parse_number(m.group("n"))
        if n is None or overlaps(scan.excluded(), m.start("n"), m.end("n")):
            continue
        out.append(Figure(kind="money", value=n * money_multipliers()[word], text=scan.text[m.start() : m.end()],
                          start=m.start(), end=m.end(), unit="đồng", label=_money_label(masked, m.start(), m.end())))
        scan.used.add(m.start("n"), m.end("n"))
    return out


def _percentages(scan: _Scan) -> list[Figure]:
    """A percentage no ratio took, with the count it is of when one stands right before it ("2482 chiếm tỉ lệ
    82%") and the base that count is of (``_base_for``, ``_stated_total``)."""
    masked, out = scan.masked, []
    for m in _PERCENT.finditer(masked) if "%" in masked else ():
        ps, pe = m.start("p"), m.end()
        if overlaps(scan.percent_used, ps, pe):
            continue
        stated = parse_number(m.group("p"))
        if stated is None or overlaps(scan.excluded(), ps, m.end("p")):
            continue
        numerator, denominator, count_span = _count_of_percent(scan, m, stated)
        start = count_span[0] if count_span else ps
        out.append(Figure(kind="percent", value=stated, text=scan.text[start:pe], start=start, end=pe,
                          numerator=numerator, denominator=denominator, stated_percent=stated, unit="%",
                          label=_label(masked, start, pe, "%")))
        if count_span:
            scan.used.add(*count_span)
        scan.used.add(ps, pe)
    return out


def _count_of_percent(scan: _Scan, m: regex.Match, stated: float) -> tuple[float | None, float | None, Span | None]:
    """(count, base, the count's span) of the percentage ``m``: "2482 chiếm tỉ lệ 82%", "159.378, đạt 100%",
    "2269, đạt tỷ lệ 91,4%"; (None, None, None) when no count stands right before it."""
    masked, ps, excluded = scan.masked, m.start("p"), scan.excluded()
    cm = _COUNT_BEFORE_PERCENT.search(masked, max(0, ps - 90), ps)
    if (
        not cm
        or cm.group().strip() == cm.group("x")
        or overlaps(scan.used, cm.start("x"), cm.end("x"))  # "4,75 tỷ đồng, chiếm 62%": money, not a count
        or overlaps(excluded, cm.start("x"), cm.end("x"))
    ):
        return None, None, None
    x_start = cm.start("x")
    x = parse_count(cm.group("x"))
    if x is None:
        return None, None, None
    base = _base_for(masked, x_start, x, stated, excluded, m.group("p"))
    if base is None and not _OF_TARGET.match(masked, m.end()):
        base = _stated_total(masked, x_start, cm.end("x"), excluded)
    return x, base, (x_start, x_start + len(cm.group("x")))


def _counts(scan: _Scan) -> list[Figure]:
    """A number no other finder took, followed by a unit ("10.260 hồ sơ cấp CCCD") or the value of a "label:
    number" item."""
    masked, out = scan.masked, []
    for m in _NUMBER.finditer(masked):
        s, e = m.start(), m.end()
        if overlaps(scan.used, s, e):
            continue
        if _PERCENT_OR_SLASH.match(masked, e) or _SLASH_END.search(masked[max(0, s - 2) : s]):
            continue
        unit = _unit_at(masked, e)
        colon_value = _COLON_END.search(masked[max(0, s - 3) : s]) and _VALUE_END.match(masked, e)
        if not unit and not colon_value:
            continue
        value = parse_count(m.group()) if unit else parse_number(m.group())
        if value is None or overlaps(scan.excluded(), s, e):
            continue
        end = e + _space_after(masked, e) + len(unit) if unit else e
        out.append(Figure(kind="count", value=value, text=scan.text[s:end], start=s, end=end,
                          unit=unit.lower() if unit else None, label=_label(masked, s, e, unit)))
    return out


def _base_for(text: str, x_start: int, x: float, stated: float, excluded, stated_tok: str) -> float | None:
    """The earlier number of the passage that ``x`` is ``stated`` percent of, if any ("3032 … 2482 chiếm 82%"):
    ``stated`` must be 100·x/base rounded or truncated to its precision, as the audit accepts it."""
    digits = decimals(stated_tok)
    window_start = max(0, x_start - 300)
    candidates = []
    for m in _NUMBER.finditer(text, window_start, x_start):
        if overlaps(excluded, m.start(), m.end()):
            continue
        v = parse_count(m.group())
        if v and v >= x:
            candidates.append(v)
    for base in reversed(candidates):
        if percent_agrees(100.0 * x / base, stated, digits):
            return base
    return None


def _stated_total(text: str, x_start: int, x_end: int, excluded) -> float | None:
    """The total a percentage must be of when no earlier number gives it: the nearest earlier number of the
    passage introduced as a total ("Tổng số 2.000 hồ sơ; đã giải quyết 1.500 hồ sơ, đạt 80%"), counting the same
    unit as the percentage's count. The audit then reports the mismatch."""
    unit = _unit_at(text, x_end)
    if not unit:
        return None
    for m in reversed(list(_NUMBER.finditer(text, max(0, x_start - 300), x_start))):
        if overlaps(excluded, m.start(), m.end()):
            continue
        total_unit = _unit_at(text, m.end())
        if not total_unit or total_unit.lower() != unit.lower():
            continue
        if _TOTAL_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            return parse_count(m.group())
        return None  # the nearest count of that unit is not a stated total
    return None


def extract_figures(doc: Document) -> list[Figure]:
    """Every figure of the body text and footnotes; offsets index Document.text (or Footnote.text)."""
    out: list[Figure] = []
    for block in doc.blocks:
        if block.in_header or block.kind == TABLE_CELL or not block.text:
            continue
        for fig in figures_in_text(block.text):
            fig.start += block.start
            fig.end += block.start
            fig.section = block.section
            fig.page = block.page
            out.append(fig)
    for fn in doc.footnotes:
        for fig in figures_in_text(fn.text):
            fig.in_footnote = True
            fig.footnote_marker = fn.marker
            fig.section = _section(doc, 0, True, fn.block_index)
            fig.page = fn.page
            out.append(fig)
    return out


# public names of the helpers ``extractor.audit`` shares (the audit re-reads the same blocks)
excluded_spans = _excluded
unit_at = _unit_at
