"""Text exports of reports (.txt / .md) as earlier converters left them (domain.md §6, corpus/text/).

Three footnote conventions are read:

* ``<sup>N</sup>`` marks (pandoc-style markdown from a PDF): note bodies sit at page bottoms, near ``---`` page
  breaks, each starting with ``<sup>N</sup>``; a long note continues after the break with no mark.
* ``([footnoteRef:N])`` marks with the note inline as ``[N: () …]``, possibly over several lines.
* Unicode superscript digits "¹²³" from OCR, note bodies at page bottoms starting with the digit. Parenthesised
  superscripts "⁽¹⁾" in running text are list enumerators, kept as "(1)".

The page-bottom conventions interleave body and notes: a body paragraph cut by the footnote area continues after
it, and a note cut by a page break continues before the next page's notes. ``_Assembler`` puts the pieces back:
a fragment (a paragraph starting in lower case) continues the open body paragraph, unless it sits right before the
next note while a note is open; after the notes, paragraphs continue the last note only while the body paragraph
cut by the notes is still waiting for its end.

Parsers do not normalise: blocks keep the text as written, minus markup, tags and marks. The original pagination is
lost in these exports, so pages are not recorded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from ..errors import EmptyDocument
from ..model import PARAGRAPH, TABLE_CELL, Block, Document, Footnote, Marker, Table
from ..resources import load_rules
from .portal import is_portal_page
from .portal import to_markdown as portal_to_markdown

# private-use sentinels: a footnote mark inside a line, and a footnote body start at a line start
_MARK = "\ue010{}\ue011"
_MARK_RE = regex.compile("\ue010([0-9]+)\ue011")
_NOTE = "\ue012{}\ue013"
_NOTE_RE = regex.compile(r"^\ue012([0-9]+)\ue013\s*")
_STAR = "\ue014"  # an escaped "\*" while emphasis is removed

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP = "[⁰¹²³⁴⁵⁶⁷⁸⁹]"

# footnote conventions
_SUP_TAG = regex.compile(r"<sup>\s*([0-9]{1,3})\s*</sup>")
_FOOTNOTE_REF = regex.compile(r"\[footnoteRef:\s*([0-9]{1,3})\]")
_INLINE_NOTE = regex.compile(r"\[([0-9]{1,3}):[ \t]*(?:\(\)[ \t]*)?")
_MAX_NOTE = 50000  # longest inline note body looked for (characters)
_PAREN_SUP = regex.compile(rf"⁽({_SUP}+)⁾")
# a note body: a line starting with a mark ("<sup>3</sup> Kế hoạch số …", "³ Nhóm chỉ tiêu …", "$^{1}$ …")
_NOTE_START = regex.compile(
    rf"(?m)^[ \t]*(?:<sup>\s*([0-9]{{1,3}})\s*</sup>|({_SUP}+)(?=[ \t]|$)|\ue010([0-9]+)\ue011)"
)
_LATEX = regex.compile(r"\$([^$\n]{1,300})\$")
_LATEX_SUP = regex.compile(r"^\s*\^\{?\s*([0-9]{1,3})\s*\}?\s*$")

# markdown
_MD_SIGNALS = regex.compile(r"<sup>|\*\*\S|(?m)^#{1,6}\s|(?m)^\s*-{3,}\s*$")
_MD_HEADING = regex.compile(r"^\s*#{1,6}\s+")
_MD_RULE = regex.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MD_BOLD_SPAN = regex.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", regex.DOTALL)
_MD_BOLD = regex.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_MD_ITALIC = regex.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_MD_ESCAPE = regex.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_MD_FULL_EMPHASIS = regex.compile(r"^\*{1,2}(?=\S)(?:(?!\*\*).)+(?<=\S)\*{1,2}$", regex.DOTALL)
# a pipe table ("| STT | Đơn vị | … |" over "|---|---|", GFM): its rows start with "|", its separator line is dashes
# with optional alignment colons between pipes; a cell's own "|" is escaped ("\|"), its line breaks are "<br>"
_PIPE_ROW = regex.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPE_SPLIT = regex.compile(r"(?<!\\)\|")
_HTML_BREAK = regex.compile(r"<br\s*/?>", regex.IGNORECASE)

_SENTENCE_END = ".;:!?…"
_TRAILING = " \t\u00a0*”\"’'»"


@dataclass(frozen=True)
class _Rules:
    noise: list[regex.Pattern]
    paragraph_start: regex.Pattern
    section_heading: regex.Pattern
    no_end_words: frozenset[str]
    header_number: regex.Pattern
    header_place_date: regex.Pattern
    header_motto: regex.Pattern
    motto_split: regex.Pattern
    header_max_lines: int
    latex_unwrap: regex.Pattern
    latex_symbols: dict[str, str]


@functools.cache
def _rules() -> _Rules:
    r = load_rules("text_export.yaml")
    h = r["header"]
    unwrap = "|".join(regex.escape(c) for c in r["latex"]["unwrap"])
    return _Rules(
        noise=[regex.compile(p) for p in r["noise"]],
        paragraph_start=regex.compile(r["paragraph_start"]),
        section_heading=regex.compile(r["section_heading"]),
        no_end_words=frozenset(r["no_end_words"]),
        header_number=regex.compile(h["number"]),
        header_place_date=regex.compile(h["place_date"]),
        header_motto=regex.compile(h["motto"]),
        motto_split=regex.compile(h["motto_split"]),
        header_max_lines=int(h["max_lines"]),
        latex_unwrap=regex.compile(rf"(?:{unwrap})\s*\{{([^{{}}]*)\}}"),
        latex_symbols=dict(r["latex"]["symbols"]),
    )


# ---------------------------------------------------------------------------------------------------------------
# Decoding


LEGACY_ENCODINGS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "cp1258": "Windows-1258 (cp1258)",
                    "cp1252": "Windows-1252 (cp1252)"}


def detect_encoding(data: bytes) -> str:
    """The codec of a text export: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL bytes of ASCII text), else
    "8bit": a legacy one-byte encoding that :func:`extractor.formats.legacy.detect_and_decode` tells apart (TCVN3, VNI,
    Windows-1258)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        # UTF-16 without a BOM: the zero byte of ASCII characters is odd (LE) or even (BE)
        odd = sum(1 for b in sample[1::2] if b == 0)
        even = sum(1 for b in sample[0::2] if b == 0)
        return "utf-16-le" if odd >= even else "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "8bit"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text export; returns (text, encoding). Undecodable bytes become U+FFFD; 8-bit text is
    scored as TCVN3, VNI and Windows-1258 against common Vietnamese syllables (``extractor.formats.legacy``)."""
    encoding = detect_encoding(data)
    if encoding == "8bit":
        from .legacy import detect_and_decode

        return detect_and_decode(data)
    return data.decode(encoding, errors="replace"), encoding


# ---------------------------------------------------------------------------------------------------------------
# Inline cleaning


def _remove_inline_notes(text: str) -> tuple[str, list[Footnote]]:
    """``[N: () body]`` notes (bodies may span lines and hold brackets) are cut out of the text."""
    notes: list[Footnote] = []
    out: list[str] = []
    pos = 0
    for m in _INLINE_NOTE.finditer(text):
        if m.start() < pos:
            continue
        depth, i = 1, m.end()
        end = min(len(text), i + _MAX_NOTE)
        while i < end and depth:
            depth += {"[": 1, "]": -1}.get(text[i], 0)
            i += 1
        if depth:  # no closing bracket: not a note
            continue
        body = text[m.end() : i - 1]
        lines = [ln.strip() for ln in body.split("\n")]
        notes.append(Footnote(marker=m.group(1), original="\n".join(ln for ln in lines if ln)))
        out.append(text[pos : m.start()])
        pos = i
    out.append(text[pos:])
    return "".join(out), notes


def _clean_latex(fragment: str) -> str:
    """Plain text for a ``$…$`` fragment, spaced as TeX sets it: "$168.411 / 83.838 = 200,87\\%$" ->
    "168.411/83.838 = 200,87%" (spaces in math mode mean nothing; relations and operators get spaces); text in
    ``\\mathrm{…}`` / ``\\text{…}`` keeps its own spaces. A lone ``$^{1}$`` is a footnote mark."""
    rules = _rules()
    sup = _LATEX_SUP.match(fragment)
    if sup:
        return _MARK.format(sup.group(1))
    kept: list[str] = []

    def keep(m: regex.Match) -> str:
        kept.append(m.group(1))
        return f"\ue015{len(kept) - 1}\ue016"

    text = fragment
    for _ in range(4):  # nested \mathrm{\text{…}}
        text = rules.latex_unwrap.sub(keep, text)
    for command, symbol in sorted(rules.latex_symbols.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(command, symbol)
    text = regex.sub(r"[\^_]\{([^{}]*)\}", r"\1", text).replace("{", "").replace("}", "")
    text = regex.sub(r"\s+", "", text)
    text = regex.sub(r"(?<=.)([=<>≤≥≈≠×÷±])(?=.)", r" \1 ", text)
    text = regex.sub(r"(?<=[\p{L}\p{N}])(?=\ue015)|(?<=\ue016)(?=[\p{L}\p{N}])", " ", text)
    while "\ue015" in text:
        text = regex.sub("\ue015([0-9]+)\ue016", lambda m: kept[int(m.group(1))], text)
    return text.strip()


def _mark_notes_and_markers(text: str) -> str:
    """Replace footnote marks by sentinels: ``_NOTE`` where a line starts with one (a note body), ``_MARK`` inside
    running text. "⁽¹⁾" enumerators become "(1)"."""
    text = _PAREN_SUP.sub(lambda m: "(" + m.group(1).translate(_SUPERSCRIPTS) + ")", text)
    text = _LATEX.sub(lambda m: _clean_latex(m.group(1)), text)
    text = _FOOTNOTE_REF.sub(lambda m: _MARK.format(m.group(1)), text)
    def note_start(m: regex.Match) -> str:
        number = m.group(1) or (m.group(2) or "").translate(_SUPERSCRIPTS) or m.group(3)
        return _NOTE.format(number)

    text = _NOTE_START.sub(note_start, text)
    text = _SUP_TAG.sub(lambda m: _MARK.format(m.group(1)), text)
    return regex.sub(f"{_SUP}+", lambda m: _MARK.format(m.group(0).translate(_SUPERSCRIPTS)), text)


def _strip_emphasis(line: str) -> str:
    line = _MD_BOLD.sub(r"\1", line)
    return _MD_ITALIC.sub(r"\1", line)


def _split_spans_over_lines(chunk: str) -> str:
    """``**A\\nB**`` -> ``**A**\\n**B**`` so that each line carries its own emphasis."""

    def per_line(m: regex.Match) -> str:
        inner = m.group(1)
        if "\n" not in inner:
            return m.group(0)
        return "\n".join(f"**{ln.strip()}**" if ln.strip() else ln for ln in inner.split("\n"))

    return _MD_BOLD_SPAN.sub(per_line, chunk)


# ---------------------------------------------------------------------------------------------------------------
# Paragraphs


@dataclass
class _Para:
    text: str  # with _MARK sentinels; a note start keeps its _NOTE prefix
    bold: bool = False  # wholly bold (markdown ** or #)
    emphasised: bool = False  # wholly bold or italic: a heading line, never "open"
    hard_break: bool = False  # markdown line ending in two spaces / backslash
    rows: list[list[str]] | None = None  # a tab-separated or pipe table
    page_break: bool = False  # a markdown "---" rule
    note_part: bool = False  # another paragraph of the note opening its markdown paragraph ("- Công văn …" items)

    @property
    def note(self) -> str | None:
        m = _NOTE_RE.match(self.text)
        return m.group(1) if m else None


def _ends_sentence(text: str) -> bool:
    stripped = _MARK_RE.sub("", text).rstrip(_TRAILING)
    if not stripped:
        return True
    if stripped.endswith(")") and stripped.lstrip(" -+*").startswith("("):
        return True
    return stripped[-1] in _SENTENCE_END


def _last_word(text: str) -> str:
    words = regex.findall(r"\p{L}+", _MARK_RE.sub("", text)[-40:])
    return words[-1].lower() if words else ""


def _is_fragment(text: str) -> bool:
    """A paragraph that cannot start a paragraph: its first letter is lower case and it is not numbered."""
    if _rules().paragraph_start.match(text):
        return False
    m = regex.search(r"\p{L}|\p{N}|\ue012", text)
    return bool(m) and m.group(0).islower()


def _line_is_table(line: str) -> bool:
    return line.count("\t") >= 2 and bool(line.strip())


def _is_pipe_table(lines: list[str], i: int) -> bool:
    """A pipe table starts at ``lines[i]``: a "| … |" row over a "|---|---|" separator with as many columns."""
    if i + 1 >= len(lines) or not _PIPE_ROW.match(lines[i]) or not _PIPE_SEPARATOR.match(lines[i + 1]):
        return False
    return len(_pipe_cells(lines[i])) == len(_pipe_cells(lines[i + 1]))


def _pipe_cells(line: str) -> list[str]:
    """The cells of one pipe-table row, as the DOCX parser gives a cell's text: emphasis and escapes removed,
    "<br>" a line break, a mark opening the cell kept as a mark."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    cells = []
    for raw in _PIPE_SPLIT.split(inner):
        cell = _NOTE_RE.sub(lambda m: _MARK.format(m.group(1)), raw.strip())
        cell = _MD_ESCAPE.sub(lambda m: _STAR if m.group(1) == "*" else m.group(1), cell)
        cell = _strip_emphasis(cell).replace(_STAR, "*")
        cells.append("\n".join(part.strip() for part in _HTML_BREAK.split(cell)).strip())
    return cells


def _pipe_table(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """The rows of the pipe table starting at ``lines[i]`` (its separator line left out, short rows padded to the
    header's width as the DOCX grid is) and the index of the line after it."""
    header = _pipe_cells(lines[i])
    rows, i = [header], i + 2
    while i < len(lines) and _PIPE_ROW.match(lines[i]):
        cells = _pipe_cells(lines[i])
        rows.append(cells + [""] * (len(header) - len(cells)))
        i += 1
    return rows, i


def _paragraphs(text: str, markdown: bool) -> list[_Para]:
    """Split into paragraphs: blank lines, page rules and tables separate them; a line break does too unless the
    next line continues the sentence (starts in lower case after a line that does not end one)."""
    rules = _rules()
    paras: list[_Para] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if markdown and _MD_RULE.match(line):
            paras.append(_Para(text="", page_break=True))
            i += 1
            continue
        if _is_pipe_table(lines, i):
            rows, i = _pipe_table(lines, i)
            paras.append(_Para(text="", rows=rows))
            continue
        if _line_is_table(line) and i + 1 < len(lines) and _line_is_table(lines[i + 1]):
            rows = []
            while i < len(lines) and _line_is_table(lines[i]):
                row = _NOTE_RE.sub(lambda m: _MARK.format(m.group(1)), lines[i])  # a mark opening a row
                rows.append([c.strip() for c in row.split("\t")])
                i += 1
            paras.append(_Para(text="", rows=rows))
            continue
        chunk = []
        while i < len(lines) and lines[i].strip() and not (markdown and _MD_RULE.match(lines[i])):
            if chunk and (_is_pipe_table(lines, i) or (_line_is_table(lines[i]) and i + 1 < len(lines)
                          and _line_is_table(lines[i + 1]))):
                break
            chunk.append(lines[i])
            i += 1
        joined = "\n".join(chunk)
        if markdown:
            joined = _split_spans_over_lines(joined)
        current: _Para | None = None
        # a markdown paragraph opening with a note body is that note to its end: hard breaks and "- " items
        # start another paragraph of the note, not body text (huyen-thach-lam note 2: one "- Công văn …" a line)
        in_note = False
        for raw in joined.split("\n"):
            hard = markdown and (raw.endswith("  ") or raw.endswith("\\"))
            line = raw.rstrip().rstrip("\\").strip() if markdown else raw.strip()
            line = line.replace("\t", " ").strip()
            heading = False
            if markdown and _MD_HEADING.match(line):
                line, heading = _MD_HEADING.sub("", line), True
            if not line:
                continue
            emphasised = markdown and bool(_MD_FULL_EMPHASIS.match(line))
            bold = markdown and (heading or (emphasised and line.startswith("**")))
            emphasised = emphasised or heading
            if markdown:
                line = _MD_ESCAPE.sub(lambda m: _STAR if m.group(1) == "*" else m.group(1), line)
                line = _strip_emphasis(line).replace(_STAR, "*")
            if current is not None and _continues(current, line, rules):
                current.text = current.text.rstrip() + " " + line
                current.bold = current.bold and bold
                current.emphasised = current.emphasised and emphasised
                current.hard_break = hard
                continue
            current = _Para(text=line, bold=bold, emphasised=emphasised, hard_break=hard)
            if markdown:
                if current.note is not None:
                    in_note = True
                elif in_note:
                    current.note_part = True
            paras.append(current)
    return paras


def _continues(prev: _Para, line: str, rules: _Rules) -> bool:
    """Whether ``line`` (after a single line break) continues the paragraph ``prev``."""
    if prev.hard_break or _NOTE_RE.match(line) or rules.paragraph_start.match(line):
        return False
    if _ends_sentence(prev.text):
        return False
    return _is_fragment(line) or _last_word(prev.text) in rules.no_end_words


# ---------------------------------------------------------------------------------------------------------------
# Body and footnotes


@dataclass
class _Assembler:
    """Separates body paragraphs from page-bottom footnote bodies and rejoins what page breaks cut."""

    body: list[_Para] = field(default_factory=list)
    notes: list[tuple[str, list[str]]] = field(default_factory=list)  # (marker, paragraphs)
    in_area: bool = False  # inside a footnote area (after a note body or a page rule)
    area_has_notes: bool = False

    def body_open(self) -> bool:
        """The last body paragraph waits for its end (cut by the footnote area or a page break)."""
        if not self.body:
            return False
        last = self.body[-1]
        if last.rows is not None or last.emphasised or _ends_sentence(last.text):
            return False
        rules = _rules()
        heading = rules.section_heading.match(last.text) and len(last.text) <= 120 and ";" not in last.text
        return not heading

    def note_open(self) -> bool:
        return bool(self.notes) and not _ends_sentence(self.notes[-1][1][-1])

    def _join_body(self, para: _Para) -> None:
        last = self.body[-1]
        last.text = last.text.rstrip() + " " + para.text.lstrip()
        last.bold = last.bold and para.bold

    def _join_note(self, text: str) -> None:
        parts = self.notes[-1][1]
        parts[-1] = parts[-1].rstrip() + " " + text.lstrip()

    def feed(self, paras: list[_Para]) -> None:
        for i, para in enumerate(paras):
            if para.page_break:
                self.in_area = True
                continue
            marker = para.note
            if marker is not None:
                self.notes.append((marker, [_NOTE_RE.sub("", para.text)]))
                self.in_area = self.area_has_notes = True
                continue
            if para.note_part and self.notes:
                self.notes[-1][1].append(para.text)
                continue
            if para.rows is not None:
                self._leave_area()
                self.body.append(para)
                continue
            j = i + 1
            while j < len(paras) and paras[j].page_break:
                j += 1
            nxt = paras[j] if j < len(paras) else None
            if _is_fragment(para.text):
                if self.note_open() and nxt is not None and nxt.note is not None:
                    self._join_note(para.text)  # a note continued from the previous page, before this page's notes
                    self.in_area = True
                elif self.in_area and not self.body_open() and self.note_open():
                    self._join_note(para.text)
                elif self.body_open():
                    self._leave_area()
                    self._join_body(para)
                else:
                    self._leave_area()
                    self.body.append(para)
                continue
            if self.in_area and self.area_has_notes and self.body_open() and not self._is_section(para.text):
                self.notes[-1][1].append(para.text)  # another paragraph of the note: the body resumes later
                continue
            self._leave_area()
            if (
                self.body_open()
                and _last_word(self.body[-1].text) in _rules().no_end_words
                and not _rules().paragraph_start.match(para.text)
            ):
                self._join_body(para)
            else:
                self.body.append(para)

    def _leave_area(self) -> None:
        self.in_area = self.area_has_notes = False

    @staticmethod
    def _is_section(text: str) -> bool:
        return bool(_rules().section_heading.match(text))


# ---------------------------------------------------------------------------------------------------------------
# Blocks


def _block(text: str, **kwargs) -> Block | None:
    """A block from text holding ``_MARK`` sentinels: the marks become Marker offsets."""
    markers: list[Marker] = []
    out: list[str] = []
    pos = 0
    length = 0
    for m in _MARK_RE.finditer(text):
        piece = text[pos : m.start()]
        out.append(piece)
        length += len(piece)
        markers.append(Marker(length, m.group(1)))
        pos = m.end()
    out.append(text[pos:])
    original = "".join(out)
    if not original.strip() and not markers:
        return None
    return Block(original=original, markers=markers, **kwargs)


def _header_blocks(paras: list[_Para]) -> tuple[list[Block], Table | None, int]:
    """The report's header lines at the top (issuer, motto, number line, place and date) as header-table cells,
    left column before right as in the DOCX header table; returns the blocks, the table and how many paragraphs
    they used."""
    rules = _rules()
    last = -1
    for i, para in enumerate(paras[: rules.header_max_lines]):
        if para.rows is not None:
            break
        if rules.header_number.match(para.text) or rules.header_place_date.match(para.text):
            last = i
    if last < 0:
        return [], None, 0
    cells: dict[tuple[int, int], list[str]] = {}
    top = [p.text for p in paras[:last + 1]]
    lines: list[str] = []
    for text in top:
        lines.extend(part for part in rules.motto_split.split(text) if part.strip())
    has_top_row = any(not (rules.header_number.match(t) or rules.header_place_date.match(t)) for t in lines)
    for text in lines:
        if rules.header_number.match(text):
            pos = (1 if has_top_row else 0, 0)
        elif rules.header_place_date.match(text):
            pos = (1 if has_top_row else 0, 1)
        elif rules.header_motto.match(text):
            pos = (0, 1)
        else:
            pos = (0, 0)
        cells.setdefault(pos, []).append(text)
    blocks = []
    for (row, col) in sorted(cells):
        for text in cells[(row, col)]:
            block = _block(text, kind=TABLE_CELL, table=0, row=row, col=col, in_header=True)
            if block:
                blocks.append(block)
    n_rows = max(r for r, _ in cells) + 1
    table = Table(index=0, rows=[["\n".join(cells.get((r, c), [])) for c in (0, 1)] for r in range(n_rows)],
                  is_header=True)
    return blocks, table, last + 1


def parse(data: bytes, path: str | None = None) -> Document:
    """Parse a text or markdown export into blocks (one per paragraph, table cells) and footnotes."""
    text, encoding = decode_text(data)
    name = path or "the text file"
    if not text.strip():
        raise EmptyDocument(f"{name} holds no text: re-export the report (DOCX or PDF) and ingest that.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\ufeff", "")  # a BOM, also mid-text where converters concatenated files
    portal_page = is_portal_page(text)
    if portal_page:  # a legal-portal copy: the document inside the page, as a markdown export
        text = portal_to_markdown(text)
    markdown = portal_page or bool(_MD_SIGNALS.search(text))
    doc = Document(format="md" if markdown else "txt", path=path)
    if encoding in LEGACY_ENCODINGS:
        doc.warnings.append(
            f"{name} is not UTF-8: decoded as {LEGACY_ENCODINGS[encoding]}; check the Vietnamese letters, "
            "or re-save the file as UTF-8."
        )
    for pattern in _rules().noise:
        text = pattern.sub("", text)
    text, inline_notes = _remove_inline_notes(text)
    text = _mark_notes_and_markers(text)

    paras = _paragraphs(text, markdown)
    assembler = _Assembler()
    assembler.feed(paras)

    header_blocks, header_table, used = _header_blocks(assembler.body)
    if header_table is not None:
        doc.blocks.extend(header_blocks)
        doc.tables.append(header_table)
    for para in assembler.body[used:]:
        if para.rows is not None:
            index = len(doc.tables)
            doc.tables.append(Table(index=index, rows=[[_MARK_RE.sub("", c) for c in row] for row in para.rows]))
            for r, row in enumerate(para.rows):
                for c, cell in enumerate(row):
                    block = _block(cell, kind=TABLE_CELL, table=index, row=r, col=c)
                    if block:
                        doc.blocks.append(block)
            continue
        block = _block(para.text, kind=PARAGRAPH, bold=para.bold)
        if block:
            doc.blocks.append(block)

    notes = inline_notes + [
        Footnote(marker=marker, original="\n".join(p.strip() for p in parts if p.strip()))
        for marker, parts in assembler.notes
    ]
    doc.footnotes = [Footnote(marker=fn.marker, original=_MARK_RE.sub("", fn.original)) for fn in notes]
    if not doc.blocks and not doc.footnotes:
        raise EmptyDocument(f"{name} holds no report text: re-export the report (DOCX or PDF) and ingest that.")
    return doc
