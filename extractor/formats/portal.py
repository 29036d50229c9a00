"""Legal-portal copies (thuvienphapluat.vn and the like, saved as Markdown): the document inside the page.

What users paste from the portals (real/tvpl-*.md) differs from a converter's export:

* site chrome surrounds the document (a panel "**Số hiệu:** | 637/TB-VPCP …" before it, the portal's summary,
  related documents and notices after it);
* the header is a table written one cell per line between lone "|" lines, a cell's lines wrapped inside one
  emphasis span ("**VĂN PHÒNG CHÍNH\\nPHỦ**", "*Hà Nội, ngày 24\\ntháng 11 năm 2025*");
* the body is hard-wrapped at ~80 characters, with or without blank lines between paragraphs;
* footnote bodies come at the end as "[1] …" and their markers are "[1]" or bare digits glued to a word
  ("của Trung ương2 và 3").

``to_markdown`` rewrites such a page as the markdown export the text parser reads: one paragraph a line, blank
lines between them, markers and bodies as ``<sup>N</sup>``. A digit glued to a word is a marker only when a body
with that number exists and it is the next marker in order, so "Điều 3", "khoản 2", years and "m2" stay text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..resources import load_rules

_PIPE = regex.compile(r"^\s*\|\s*$")
_MOTTO = regex.compile(r"^\W*CỘNG\s+H(?:ÒA|OÀ)")
_BODY = regex.compile(r"^\s*\[(\d{1,3})\]\s*(.*)$")
_BRACKET = regex.compile(r"\[(\d{1,3})\]")
# a digit glued to the end of a word: "ương2", "phủ2," ; the word is checked apart (units, codes)
_GLUED = regex.compile(r"(?<=(?P<word>\p{L}+)[”\"’)]?)(?P<n>\d{1,2})(?![\d\p{L}]|[.,/]\d)")
_SENTENCE_END = regex.compile(r"[.;:!?…](?:[\s*”\"’)]*)$")
_PLACE_DATE = regex.compile(r"^\p{Lu}[\p{L} .'-]{1,60}?,\s*ngày\b.*năm\s*\d{4}")
_EMPHASIS = regex.compile(r"\*+")
# emphasis closed and reopened across a space, left between two words ("theo Luật*** **Đất đai")
_EMPHASIS_SEAM = regex.compile(r"(?<=\p{L})\*+\s+\*+(?=\p{L})")
_PARAGRAPH_START = regex.compile(
    r"^(?:[IVX]{1,5}\s*[.)]\s|\d{1,2}(?:\.\d{1,2}){0,4}\s*[.)](?!\d)|[a-zđ]\)\s|\(\d{1,2}\)\s|[-+•–*·]\s|Căn cứ\b"
    r"|Nơi nhận|Kính gửi)"
)


@dataclass(frozen=True)
class _Rules:
    pipe_lines: int
    scan_lines: int
    chrome: list[regex.Pattern]
    trailer: list[regex.Pattern]
    summary: regex.Pattern
    rule: regex.Pattern
    unit_words: frozenset[str]


@functools.cache
def _rules() -> _Rules:
    r = load_rules("text_export.yaml")["portal"]
    return _Rules(
        pipe_lines=int(r["pipe_lines"]),
        scan_lines=int(r["scan_lines"]),
        chrome=[regex.compile(p, regex.MULTILINE) for p in r["chrome"]],
        trailer=[regex.compile(p) for p in r["trailer"]],
        summary=regex.compile(r["summary"]),
        rule=regex.compile(r["rule"]),
        unit_words=frozenset(w.lower() for w in r["unit_words"]),
    )


def is_portal_page(text: str) -> bool:
    """A legal-portal copy: its chrome, or a header table written as lone "|" lines above the national motto."""
    rules = _rules()
    if any(p.search(text) for p in rules.chrome):
        return True
    head = text.split("\n", rules.scan_lines)[: rules.scan_lines]
    pipes = sum(1 for ln in head if _PIPE.match(ln))
    return pipes >= rules.pipe_lines and any(_MOTTO.match(ln) for ln in head)


def _crop(lines: list[str]) -> list[str]:
    """The document's own lines: from its issuer (the header cell left of the motto) to the portal's trailer."""
    rules = _rules()
    # the motto may be wrapped inside its word pair ("**CỘNG" / "HÒA XÃ HỘI …")
    motto = next((i for i, ln in enumerate(lines) if _MOTTO.match(" ".join(lines[i : i + 2]))), None)
    start = 0
    if motto is not None:
        i = motto - 1
        while i >= 0 and (_PIPE.match(lines[i]) or not lines[i].strip()):
            i -= 1
        while i >= 0 and lines[i].strip() and not _PIPE.match(lines[i]):
            i -= 1
        start = i + 1
    end = len(lines)
    for j in range(start, len(lines)):
        if any(p.match(lines[j]) for p in rules.trailer):
            end = j
            break
    k = end - 1
    while k > start and not lines[k].strip():
        k -= 1
    if end < len(lines) and k > start and rules.summary.match(lines[k]):
        end = k
    return lines[start:end]


def _emphasis_open(line: str, bold: bool, italic: bool) -> tuple[bool, bool]:
    for run in _EMPHASIS.findall(line):
        if len(run) >= 2:
            bold = not bold
        if len(run) % 2:
            italic = not italic
    return bold, italic


def _header(lines: list[str]) -> tuple[list[str], int]:
    """Header cells as lines: a cell's line wrapped inside an emphasis span is joined again; returns the lines and
    how many input lines the header used (through the place-and-date line)."""
    rules = _rules()
    out: list[str] = []
    bold = italic = False
    joining = False
    for i, line in enumerate(lines[:60]):
        if _PIPE.match(line) or rules.rule.match(line) or not line.strip():
            joining = False
            continue
        text = _EMPHASIS.sub("", line).strip()  # the header's bold and italics carry nothing for the reader
        if not text:
            bold, italic = _emphasis_open(line, bold, italic)
            continue
        if joining or (out and text[:1].islower()):
            out[-1] = out[-1].rstrip() + " " + text
        else:
            out.append(text)
        bold, italic = _emphasis_open(line, bold, italic)
        joining = bold or italic
        if not joining and _PLACE_DATE.match(out[-1]):
            return out, i + 1
    return [], 0


def _capitals(text: str) -> bool:
    letters = [c for c in _EMPHASIS.sub("", text) if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _wholly_emphasised(text: str) -> bool:
    t = text.strip()
    return len(t) > 4 and t.startswith("*") and t.endswith("*") and "*" not in t.strip("*")


def _joins(prev: str, line: str) -> bool:
    """Whether ``line`` continues the hard-wrapped paragraph ``prev``."""
    if _PARAGRAPH_START.match(line.lstrip("*_ ")):
        return False
    end = _SENTENCE_END.search(_EMPHASIS.sub("", prev).rstrip())
    if end and not (end.group().startswith(";") and line[:1].islower()):  # "…đồng bộ;" + "nhiều văn bản …"
        return False
    if _BODY.match(line) or _wholly_emphasised(prev) or _wholly_emphasised(line):
        return False
    return _capitals(prev) == _capitals(line)


def _paragraphs(lines: list[str]) -> list[str]:
    rules = _rules()
    paras: list[str] = []
    open_para = False
    for line in lines:
        if _PIPE.match(line) or not line.strip() or rules.rule.match(line):
            open_para = False
            continue
        text = _EMPHASIS_SEAM.sub(" ", line.strip())
        if open_para and paras and _joins(paras[-1], text):
            paras[-1] = paras[-1].rstrip() + " " + text
        else:
            paras.append(text)
        open_para = True
    return paras


def _split_bodies(paras: list[str]) -> tuple[list[str], dict[str, str]]:
    """The footnote bodies at the end ("[1] …", "[2] …", in order from 1) and the paragraphs before them."""
    first = None
    for i in range(len(paras) - 1, -1, -1):
        m = _BODY.match(paras[i])
        if m and m.group(1) == "1":
            first = i
            break
    if first is None:
        return paras, {}
    bodies: dict[str, str] = {}
    expected = 1
    for para in paras[first:]:
        m = _BODY.match(para)
        if m and int(m.group(1)) == expected:
            bodies[m.group(1)] = m.group(2).strip()
            expected += 1
        elif bodies:
            last = str(expected - 1)
            bodies[last] = (bodies[last] + " " + para).strip()
    return paras[:first], bodies


def _is_glued_marker(word: str) -> bool:
    """A digit after ``word`` may be a marker: a lower-case word ("ương2", "Phủ2"), not a unit ("m2", "km2") nor a
    code written in capitals with digits ("C06", "ĐA06", "A05")."""
    if word.lower() in _rules().unit_words or len(word) < 2:
        return False
    return not any(c.isupper() for c in word[1:])


def _mark(paras: list[str], bodies: dict[str, str]) -> list[str]:
    """Markers become ``<sup>N</sup>``: "[N]" for a body N, or a digit glued to a word when it is the next marker
    in order and its body exists."""
    expected = 1
    out = []
    for para in paras:
        pieces: list[str] = []
        pos = 0
        candidates = sorted(
            [(m.start(), m.end(), m.group(1), True) for m in _BRACKET.finditer(para)]
            + [(m.start("n"), m.end("n"), m.group("n"), False) for m in _GLUED.finditer(para)
               if _is_glued_marker(m.group("word"))]
        )
        for start, end, number, bracket in candidates:
            if start < pos or number not in bodies:
                continue
            if not bracket and int(number) != expected:
                continue
            pieces.append(para[pos:start].rstrip() if bracket else para[pos:start])
            pieces.append(f"<sup>{number}</sup>")
            pos = end
            expected = max(expected, int(number) + 1)
        pieces.append(para[pos:])
        out.append("".join(pieces))
    return out


def to_markdown(text: str) -> str:
    """The document inside a portal page, as a markdown export: header lines, one paragraph a line, footnote
    bodies as ``<sup>N</sup> …`` at the end."""
    lines = _crop(text.split("\n"))
    header, used = _header(lines)
    paras = _paragraphs(lines[used:])
    paras, bodies = _split_bodies(paras)
    paras = _mark(paras, bodies)
    notes = [f"<sup>{n}</sup> {body}" for n, body in bodies.items()]
    return "\n\n".join([*header, *paras, *notes]) + "\n"
