"""Indicators (chỉ tiêu): what each figure measures, and whether it is a result, a target or a plan.

Each figure is read with the words of its own sentence around it (``Context``): the sentence up to the number and
the words after it up to the end of its clause or the next figure, and, when those name nothing, the heading it
sits under. The taxonomy of ``rules/indicators.yaml`` says which words make which indicator; the candidate whose
topic term stands nearest the number wins (words after the number first: in Vietnamese what is counted follows
the number). A figure no indicator matches keeps a whole phrase of its own words ("hội nghị tập huấn nghiệp vụ"),
never a fragment of a label. The stance comes from the nearest cue before the number ("phấn đấu", "dự kiến",
"đã") or from the top-level heading ("NHIỆM VỤ TRỌNG TÂM QUÝ II/2024").

>>> [m.indicator_id for m in classify_text("Trong 6 tháng đầu năm, đã thu nhận: 10.260 hồ sơ cấp CCCD và 25.728 hồ sơ "
...                                        "xác thực định danh điện tử mức 2;")]
['cccd.applications', 'eid.applications']
>>> m = classify_text("V. NHIỆM VỤ TRỌNG TÂM QUÝ II/2024\\n1. Tập trung kích hoạt tài khoản định danh điện tử mức 2, "
...                   "phấn đấu đạt trên 70% số công dân đủ điều kiện.")[0]
>>> m.indicator_id, m.stance
('eid.activated', 'target')
>>> classify_text("Tổ chức 02 hội nghị tập huấn nghiệp vụ cho cán bộ Công an cấp xã")[0].indicator_id
'direction.meetings'
>>> classify_text("Chuyển 01 hồ sơ vụ việc có dấu hiệu tội phạm sang cơ quan điều tra")[0].indicator
'hồ sơ vụ việc'
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from ..resources import load_rules

# where a sentence or list item starts, looking back from a figure: ";", a line break, or "." / "!" / "?" before a
# space (a "." between digits is a thousands separator, not a sentence end)
SENTENCE_START = regex.compile(r"[;\n]|[.!?](?=\s)")
# where the words after a figure stop: the end of its clause, or the base it is measured against ("16/16 hồ sơ,
# tỷ lệ 100% trên tổng số hồ sơ tiếp nhận": what follows "trên tổng số" is the denominator, not what is counted)
CLAUSE_END = regex.compile(r"[,;:()\n]|[.!?](?=\s|$)|\s(?:trên|so với) tổng", regex.I)
BEFORE_LIMIT = 100  # characters of the sentence before a figure that are read
AFTER_LIMIT = 60  # characters after it
# a heading line: "II. KẾT QUẢ", "1. Công tác …", "2.1. …", "a) …"; top level: a Roman numeral or a line in capitals
HEADING = regex.compile(r"^[ \t]*(?:(?P<roman>[IVXL]+)\.|\d+(?:\.\d+)*\.?|[a-zđ]\))[ \t]+(?P<title>\S[^\n]{0,150})$",
                        regex.M)
_MARKS = regex.compile(r"\p{M}+")
_NOT_WORD = regex.compile(r"[^a-z0-9%]+")
WEIGHT_BEFORE = 1000  # a topic term before the number ranks after any term in the figure or after it
WEIGHT_HEADING = 100_000  # a term of the heading ranks after both


@functools.lru_cache(maxsize=8192)  # a figure's sentence and heading are asked again for every figure in them
def words(text: str) -> str:
    """Text as matching words: lowercase, no diacritics (đ → d), letters, digits and "%" only, one space between
    words, padded with a space at each end so " term " matches whole words.

    >>> words("Căn cước công dân (CCCD)") == words("CĂN CƯỚC CÔNG DÂN CCCD")
    True
    >>> words("đã thu nhận: 10.260 hồ sơ")
    ' da thu nhan 10 260 ho so '
    """
    text = _MARKS.sub("", unicodedata.normalize("NFD", text.lower())).replace("đ", "d")
    return " " + " ".join(_NOT_WORD.sub(" ", text).split()) + " "


def _terms(items: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(w for w in (words(t) for t in items or ()) if w.strip())


@dataclass(frozen=True)
class IndicatorRule:
    """One indicator of the taxonomy (rules/indicators.yaml): its identity and the words that make it."""

    id: str
    name: str
    name_en: str
    group: str
    kinds: tuple[str, ...]
    units: tuple[str, ...]  # as matching words
    terms: tuple[str, ...]
    also: tuple[str, ...]
    none: tuple[str, ...]
    examples: tuple[str, ...]
    first: bool = False  # wins whenever it matches (an action across topics: "số hóa")


@dataclass(frozen=True)
class Stances:
    cues: tuple[tuple[str, str], ...]  # (matching words, stance)
    headings: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class IndicatorMatch:
    """What one figure measures: ``indicator`` (its name, Vietnamese), ``indicator_id`` / ``indicator_en`` /
    ``group`` from the taxonomy (None for a figure grouped by its own words), ``matched_by`` ('rule' in its
    sentence, 'heading' through the heading it sits under, 'phrase' its own words) and ``stance`` ('result',
    'target' or 'plan')."""

    indicator: str | None
    indicator_id: str | None
    indicator_en: str | None
    group: str | None
    matched_by: str
    stance: str


@dataclass(frozen=True)
class Context:
    """The words a figure is read with: ``before`` (its sentence up to the number), ``text`` (the figure as
    written), ``after`` (to the end of its clause or the next figure), the nearest ``heading`` above it and the
    top-level one (``section_title``)."""

    before: str
    text: str
    after: str
    heading: str = ""
    section_title: str = ""


@functools.cache
def _config() -> dict[str, Any]:
    return load_rules("indicators.yaml")


@functools.cache
def rules() -> tuple[IndicatorRule, ...]:
    out = []
    for r in _config()["indicators"]:
        out.append(IndicatorRule(
            id=r["id"], name=r["name"], name_en=r.get("name_en", ""), group=r.get("group", ""),
            kinds=tuple(r.get("kinds") or ()), units=tuple(_unit_key(u) for u in r.get("units") or ()),
            terms=_terms(r.get("terms")), also=_terms(r.get("also")), none=_terms(r.get("none")),
            examples=tuple(r.get("examples") or ()), first=bool(r.get("first")),
        ))
    ids = [r.id for r in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"rules/indicators.yaml: duplicate indicator id in {ids}")
    return tuple(out)


@functools.cache
def by_id() -> dict[str, IndicatorRule]:
    return {r.id: r for r in rules()}


@functools.cache
def stances() -> Stances:
    conf = _config()["stances"]
    cues = tuple((w, stance) for stance, items in conf["cues"].items() for w in _terms(items))
    headings = tuple((w, stance) for stance, items in conf["headings"].items() for w in _terms(items))
    return Stances(cues=cues, headings=headings)


def _unit_key(unit: str | None) -> str:
    return words(unit or "").strip() or (unit or "").strip()


def normalise_label(label: str | None) -> str | None:
    """A phrase as a grouping key: NFC, one tone-mark convention, lowercase, spaces folded, edges trimmed.

    >>> normalise_label("  Hồ sơ  cấp CCCD: ")
    'hồ sơ cấp cccd'
    """
    if not label:
        return None
    from ..prepare.normalise import normalise_text

    text = normalise_text(label).lower()
    text = " ".join(text.split()).strip(" :;,.-–+()\"“”")
    return text or None


def _distance(rule: IndicatorRule, ctx: tuple[str, str], heading: str) -> int | None:
    """How far the nearest topic term of ``rule`` stands from the number (smaller is nearer), None if absent:
    ``ctx`` is (the sentence before the figure, the figure and the words after it) as matching words."""
    before, forward = ctx
    if not rule.terms:
        return 0  # the unit is the topic
    best: int | None = None
    for term in rule.terms:
        for d in (
            forward.find(term) if term in forward else None,
            WEIGHT_BEFORE + len(before) - (before.rfind(term) + len(term)) if term in before else None,
            WEIGHT_HEADING + heading.find(term) if term in heading else None,
        ):
            if d is not None and (best is None or d < best):
                best = d
    return best


def _eligible(kind: str, unit_key: str) -> list[tuple[int, IndicatorRule]]:
    """The rules (with their order) a figure of this kind and unit may match: the taxonomy's ``kinds`` and
    ``units`` filters, which do not depend on the figure's words (asked once per figure, not once per pass)."""
    return [(i, rule) for i, rule in enumerate(rules())
            if (not rule.kinds or kind in rule.kinds) and (not rule.units or unit_key in rule.units)]


def match_rule(kind: str, unit: str | None, ctx: Context) -> tuple[IndicatorRule | None, str]:
    """The indicator of the taxonomy a figure measures and how it was found ('rule' or 'heading'), or
    (None, 'phrase'). The figure's sentence is read first; its heading only when the sentence names nothing.

    A rule is a candidate when the figure's kind and unit are among its ``kinds`` and ``units`` (when it lists
    any), one of its ``also`` terms (when it lists any) and none of its ``none`` terms stands in the sentence or the
    heading; the candidate whose topic term stands nearest wins (``_distance``)."""
    sentence = (words(ctx.before), words(ctx.text + ctx.after))
    eligible = _eligible(kind, _unit_key(unit))
    for heading, how in (("", "rule"), (words(ctx.heading), "heading")):
        if how == "heading" and not heading.strip():
            break
        whole = sentence[0] + sentence[1] + heading
        best: tuple[int, int, int] | None = None  # (0 for a 'first' rule, distance, order)
        for i, rule in eligible:
            if rule.also and not any(t in whole for t in rule.also):
                continue
            if any(t in whole for t in rule.none):
                continue
            d = _distance(rule, sentence, heading)
            if d is None or (how == "rule" and d >= WEIGHT_HEADING):
                continue  # absent, or (in the sentence pass) only the heading names it
            key = (0 if rule.first else 1, d, i)
            if best is None or key < best:
                best = key
        if best is not None:
            return rules()[best[2]], how
    return None, "phrase"


@functools.lru_cache(maxsize=4096)  # the audit asks it again for every cell of a table column (its header)
def stance_for(before: str, section_title: str = "") -> str:
    """'target', 'plan' or 'result' for a figure: the stance cue ending nearest the number in its sentence (a
    longer cue beats a shorter one ending at the same place), else what its top-level heading says, else result.

    >>> stance_for("phấn đấu đạt trên "), stance_for("toàn xã có đạt chỉ tiêu "), stance_for("Đã cấp ")
    ('target', 'result', 'result')
    >>> stance_for("1. Tập trung ", "NHIỆM VỤ TRỌNG TÂM QUÝ II/2024")
    'plan'
    """
    text = words(before)
    best: tuple[int, int, str] | None = None  # (end, length, stance)
    for cue, stance in stances().cues:
        at = text.rfind(cue)
        if at >= 0:
            key = (at + len(cue), len(cue), stance)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is not None:
        end, length, stance = best
        return "result" if text[: end - length].endswith(" da") else stance  # "đã đề xuất …" was done
    title = words(section_title)
    for cue, stance in stances().headings:
        if cue in title:
            return stance
    return "result"


def phrase_for(kind: str, unit: str | None, label: str | None, before: str, after: str) -> str | None:
    """A whole phrase naming what a figure no indicator matches counts, from its own words: its unit and the noun
    phrase after it ("02 hội nghị tập huấn nghiệp vụ cho …" → "hội nghị tập huấn nghiệp vụ"); for a percentage,
    the phrase after it ("100% cơ sở khám chữa bệnh") or the subject before it ("tỷ lệ hồ sơ trực tuyến đạt 52%");
    for money, the noun that names the sum ("tổng số tiền trúng đấu giá trên 250 tỷ đồng"). The figure's label when
    none of these gives words.

    >>> phrase_for("count", "hội nghị", None, "Tổ chức ", " tập huấn nghiệp vụ cho cán bộ")
    'hội nghị tập huấn nghiệp vụ'
    >>> phrase_for("percent", "%", None, "tỷ lệ hồ sơ trực tuyến toàn trình đạt ", "")
    'tỷ lệ hồ sơ trực tuyến toàn trình'
    >>> phrase_for("money", "đồng", None, "thành công 7 điểm mỏ với tổng số tiền trúng đấu giá trên ", "")
    'tổng số tiền trúng đấu giá'
    """
    conf = _config()
    stops = _phrase_stops()
    tokens_after = after.split()
    kept: list[str] = []
    for tok in tokens_after[:8]:
        if words(tok).strip() in stops or any(ch.isdigit() for ch in tok):
            break
        kept.append(tok)
    head = []
    if kind in ("count", "ratio") and unit and unit != "%":
        head = [unit]
    phrase = " ".join(head + kept[:5])
    if kind == "percent" and not kept:
        phrase = _subject_before(before, stops)
    if kind == "money":
        phrase = _money_noun(before, conf["money_nouns"], stops) or "số tiền"
    for candidate in (phrase, label if label and len(label.split()) <= 6 else None):
        # a phrase holding another number or a bracket is a piece of a list ("Sơn Mãn (100%), Bắc Văn Yên"): not a name
        if candidate and any(c.isalpha() for c in candidate) and not regex.search(r"[\d(),*]", candidate):
            return normalise_label(candidate)
    return "tỷ lệ" if kind == "percent" else normalise_label(unit) or None


@functools.cache
def _phrase_stops() -> frozenset[str]:
    """The words a figure's own phrase stops at (``phrase_stops``), as matching words."""
    return frozenset(w.strip() for w in _terms(_config()["phrase_stops"]))


def _subject_before(before: str, stops: frozenset[str]) -> str:
    """The noun phrase a percentage is of, read back from the number: the clause before it without the verbs that
    link it ("tỷ lệ hồ sơ trực tuyến toàn trình đạt" → "tỷ lệ hồ sơ trực tuyến toàn trình")."""
    clause = regex.split(r"[,;:()]", before)[-1].split()
    while clause and (words(clause[-1]).strip() in stops or words(clause[-1]).strip() in ("tren", "duoi", "khoang")):
        clause.pop()
    folded = [words(t).strip() for t in clause]
    rate = [i for i in range(len(folded) - 1) if folded[i] in ("ty", "ti") and folded[i + 1] == "le"]
    if rate:  # "… tăng tỷ lệ nữ tiến sĩ trong tổng số …": the phrase starts at "tỷ lệ", not mid-way
        return " ".join(clause[rate[-1] :][:10])
    return " ".join(clause[-10:]) if len(clause) <= 10 else ""  # a longer clause has no clear start: not a fragment


def _money_noun(before: str, nouns: Sequence[str], stops: frozenset[str]) -> str:
    folded = [words(t).strip() for t in before.split()]
    for noun in sorted(nouns, key=len, reverse=True):
        n = words(noun).strip().split()
        for i in range(len(folded) - len(n), -1, -1):
            if folded[i : i + len(n)] == n:
                tail = before.split()[i:]
                while tail and words(tail[-1]).strip() in stops | {"tren", "duoi", "khoang", "la"}:
                    tail.pop()
                return " ".join(tail[:7])
    return ""


def indicator_for(kind: str, unit: str | None, label: str | None, ctx: Context) -> IndicatorMatch:
    """What one figure measures and its stance, read in its ``Context``."""
    rule, how = match_rule(kind, unit, ctx)
    stance = stance_for(ctx.before, ctx.section_title)
    if rule is not None:
        return IndicatorMatch(rule.name, rule.id, rule.name_en, rule.group, how, stance)
    return IndicatorMatch(phrase_for(kind, unit, label, ctx.before, ctx.after), None, None, None, "phrase", stance)


@dataclass(frozen=True)
class Headings:
    """The heading lines of one text, in order: where each starts, its title, and whether it is top level."""

    starts: list[int]
    titles: list[str]
    top: list[bool]

    @classmethod
    def of(cls, text: str) -> Headings:
        starts, titles, top = [], [], []
        for m in HEADING.finditer(text):
            title = m.group("title").strip()
            if title.endswith((";", ",")) or len(title) > 140:
                continue  # a list item, not a heading
            letters = [c for c in title if c.isalpha()]
            starts.append(m.start())
            titles.append(title)
            top.append(bool(m.group("roman")) or (len(letters) > 3 and all(map(str.isupper, letters))))
        return cls(starts, titles, top)

    def above(self, pos: int) -> tuple[str, str]:
        """(the nearest heading before ``pos``, the nearest top-level one), '' when none."""
        i = bisect.bisect_right(self.starts, pos) - 1
        nearest = self.titles[i] if i >= 0 else ""
        while i >= 0 and not self.top[i]:
            i -= 1
        return nearest, self.titles[i] if i >= 0 else ""


def contexts(source: str, spans: Sequence[tuple[int, int]], headings: Headings | None = None) -> list[Context]:
    """The ``Context`` of each figure span (start, end) of one text: spans in any order; the words after a figure
    stop at the next figure's start."""
    headings = headings or Headings.of(source)
    starts = sorted(s for s, _ in spans)
    out = []
    for start, end in spans:
        lo = max(0, start - BEFORE_LIMIT)
        window = source[lo:start]
        cut = 0
        for m in SENTENCE_START.finditer(window):
            cut = m.end()
        if cut == 0 and lo > 0:  # the window starts mid-sentence: from the first whole word
            cut = window.find(" ") + 1
        before = window[cut:]
        j = bisect.bisect_right(starts, start)
        stop = min(end + AFTER_LIMIT, starts[j] if j < len(starts) and starts[j] >= end else len(source))
        tail = source[end:stop]
        m = CLAUSE_END.search(tail)
        after = tail[: m.start()] if m else tail
        heading, top = headings.above(start)
        out.append(Context(before, source[start:end], after, heading, top))
    return out


def classify(figures: Sequence[Any], text: str | None, notes: dict[str, str]) -> list[IndicatorMatch]:
    """What each figure of one document measures (objects or rows with ``kind``, ``unit``, ``label``, ``text``,
    ``start``, ``end``, ``in_footnote``, ``footnote_marker``): figures in the body are read in ``text``, those in a
    footnote in its text (``notes``: marker → text). Linear in the document: headings found once per text."""
    groups: dict[str | None, list[int]] = {}
    for i, f in enumerate(figures):
        groups.setdefault(f.footnote_marker if f.in_footnote else None, []).append(i)
    out: list[IndicatorMatch | None] = [None] * len(figures)
    for marker, idx in groups.items():
        source = (notes.get(marker) if marker is not None else text) or ""
        usable = [i for i in idx if figures[i].start is not None and figures[i].end is not None
                  and source[figures[i].start : figures[i].end] == figures[i].text]
        ctxs = contexts(source, [(figures[i].start, figures[i].end) for i in usable]) if usable else []
        for i, ctx in zip(usable, ctxs, strict=True):
            f = figures[i]
            out[i] = indicator_for(f.kind, f.unit, f.label, ctx)
        for i in set(idx) - set(usable):  # no offsets into a known text: the figure's own words only
            f = figures[i]
            out[i] = indicator_for(f.kind, f.unit, f.label, Context("", f.text or "", ""))
    return [m for m in out if m is not None]


def classify_text(text: str) -> list[IndicatorMatch]:
    """What each figure of a piece of text measures (figures found by ``extract.figures``), for examples and tests."""
    from .figures import figures_in_text

    return classify(figures_in_text(text), text, {})
