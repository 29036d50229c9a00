"""From the runs and rules of every page to the document model: furniture removed, footnotes split off,
header/signature columns and ruled tables turned into table cells, paragraphs rebuilt from lines.

How a report exported to PDF looks (domain.md §1, §6):
- a page number alone on a line at the top or bottom of each page (running furniture, dropped);
- footnote bodies at the page bottom under a short rule, in a smaller font, each opening with its number as a
  raised mark; a body without a mark at the top of a page's footnote area continues the previous page's last note;
- the header table (issuer / number line on the left, motto / place and date on the right) and the signature block
  ("Nơi nhận:" list left, signer right) are borderless two-column tables: lines side by side with a wide gutter;
- paragraphs have a first-line indent or space before them; a paragraph's last line is short; a paragraph runs on
  over a page break (and over the footnote area) when the next page starts with an unindented line.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

import regex

from ...model import TABLE_CELL, Block, Document, Footnote, Marker, Table
from .layout import PageLayout, Rule, Run
from .lines import Line, group_lines
from .tables import RuledTable, assign_runs, find_tables

PAGE_NUMBER = regex.compile(
    r"^[\s\-–—.]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?[\s\-–—.]*$", regex.IGNORECASE
)
SENTENCE_END = (".", ";", ":", "!", "?", "./.")
NOTE_SIZE = 0.92  # footnote text is printed smaller than this fraction of the body size
INDENT = 8.0  # points beyond the left margin that make a first-line indent


@dataclass
class _Zone:
    """A borderless two-column table: rows of (left lines, right lines)."""

    rows: list[tuple[list[Line], list[Line]]]
    top: float
    header: bool = False


@dataclass
class _Page:
    layout: PageLayout
    tables: list[RuledTable]
    lines: list[Line]
    rules: list[Rule]  # horizontal rules that are not table borders
    notes: list[Line] = field(default_factory=list)
    note_numbers: set[str] = field(default_factory=set)
    items: list[tuple[float, str, object]] = field(default_factory=list)
    left: float = 0.0
    right: float = 0.0
    indent: float = 0.0  # the usual first-line indent (from the left margin)

    @property
    def number(self) -> int:
        return self.layout.number


def _mode(values: list[float], default: float) -> float:
    if not values:
        return default
    return Counter(values).most_common(1)[0][0]


def body_size(layouts: list[PageLayout]) -> float:
    """The font size most characters are printed in."""
    weights: Counter[float] = Counter()
    for layout in layouts:
        for run in layout.runs:
            weights[round(run.size * 2) / 2] += len(run.text)
    return weights.most_common(1)[0][0] if weights else 12.0


def _prepare(layout: PageLayout) -> _Page:
    tables = find_tables(layout.hrules, layout.vrules)
    in_table = {id(rule) for table in tables for rule in table.rules}
    free: list[Run] = []
    per_table: dict[int, list[Run]] = {}
    for run in layout.runs:
        for i, table in enumerate(tables):
            if table.contains(run):
                per_table.setdefault(i, []).append(run)
                break
        else:
            free.append(run)
    for i, table in enumerate(tables):
        assign_runs(table, per_table.get(i, []))
    rules = [r for r in layout.hrules if id(r) not in in_table]
    return _Page(layout, tables, group_lines(free), rules)


def _furniture_key(line: Line) -> str:
    return regex.sub(r"\d+", "#", " ".join(line.plain().split())).lower()


def _drop_furniture(pages: list[_Page]) -> None:
    """Page numbers and running header/footer lines (repeated at the same edge of many pages)."""
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for page in pages:
        if page.lines:
            h = page.layout.height
            if page.lines[0].base > 0.88 * h:
                tops[_furniture_key(page.lines[0])] += 1
            if page.lines[-1].y1 < 0.12 * h:
                bottoms[_furniture_key(page.lines[-1])] += 1
    with_text = sum(1 for p in pages if p.lines)
    repeated = max(3, with_text // 2)
    for page in pages:
        h = page.layout.height
        while page.lines:
            top = page.lines[0]
            if top.base > 0.85 * h and (PAGE_NUMBER.match(top.plain()) or tops[_furniture_key(top)] >= repeated):
                page.lines.pop(0)
                continue
            break
        while page.lines:
            bottom = page.lines[-1]
            if bottom.y1 < 0.15 * h and (
                PAGE_NUMBER.match(bottom.plain()) or bottoms[_furniture_key(bottom)] >= repeated
            ):
                page.lines.pop()
                continue
            break


def _split_notes(page: _Page, size: float) -> None:
    """Move the lines of the footnote area (under the short separator rule) to ``page.notes``."""
    w, h = page.layout.width, page.layout.height
    cut: float | None = None
    for rule in sorted(page.rules, key=lambda r: -r.y1):
        length = rule.x1 - rule.x0
        if rule.y1 > 0.7 * h or not 0.06 * w <= length <= 0.5 * w:
            continue
        below = [ln for ln in page.lines if ln.y1 <= rule.y1 + 2]
        if not below or abs(rule.x0 - min(ln.x0 for ln in below)) > 12:
            continue
        if sum(1 for ln in below if ln.size < NOTE_SIZE * size) >= 0.8 * len(below):
            cut = rule.y1 + 2
            break
    if cut is None:
        # no separator drawn: a block of small lines at the bottom whose first line opens with a raised mark
        start = None
        for i in range(len(page.lines) - 1, -1, -1):
            line = page.lines[i]
            if line.size >= NOTE_SIZE * size:
                break
            if line.first_mark is not None:
                start = i
        if start is None:
            return
        page.notes = page.lines[start:]
        page.lines = page.lines[:start]
        return
    page.notes = [ln for ln in page.lines if ln.y1 <= cut]
    page.lines = [ln for ln in page.lines if ln.y1 > cut]


def _margins(pages: list[_Page], size: float) -> None:
    by_width: dict[int, list[tuple[float, float]]] = {}
    for page in pages:
        body = [ln for ln in page.lines if abs(ln.size - size) < 1.0]
        if len(body) >= 4:
            page.left = sorted(ln.x0 for ln in body)[len(body) // 10]  # most lines start at the margin or indent
            wide = sorted(ln.x1 for ln in body)
            page.right = wide[len(wide) * 3 // 4]
            by_width.setdefault(round(page.layout.width), []).append((page.left, page.right))
    indents = [round(ln.x0 - p.left) for p in pages for ln in p.lines if INDENT < ln.x0 - p.left < 80]
    indent = _mode(indents, 0.0)
    for page in pages:
        page.indent = indent
        if page.right <= page.left:
            known = by_width.get(round(page.layout.width))
            if known:
                page.left = _mode([k[0] for k in known], known[0][0])
                page.right = _mode([k[1] for k in known], known[0][1])
            else:
                page.left, page.right = 0.12 * page.layout.width, 0.88 * page.layout.width


def _pitches(pages: list[_Page]) -> dict[float, float]:
    """The usual baseline distance between consecutive lines of a paragraph, per font size."""
    gaps: dict[float, list[float]] = {}
    for page in pages:
        for group in (page.lines, page.notes):
            for a, b in itertools.pairwise(group):
                if abs(a.size - b.size) < 0.5:
                    gap = a.base - b.base
                    if 0.9 * a.size <= gap <= 2.5 * a.size:
                        gaps.setdefault(round(a.size), []).append(round(gap * 2) / 2)
    return {s: _mode(v, 1.2 * s) for s, v in gaps.items()}


# ---------------------------------------------------------------------------------------------------------------
# footnotes


def join_lines(text: str, markers: list[Marker], line: str, line_markers: list[Marker], sep: str = " "
               ) -> tuple[str, list[Marker]]:
    """Append a line to a paragraph: a space between them, but a word broken with "-" at the line end is joined
    (the hyphen kept in document symbols such as "541/KH-" + "CAH(QLHC)", dropped inside a plain lowercase
    non-Vietnamese word)."""
    lead = len(line) - len(line.lstrip())
    line = line.lstrip()
    shifted = [Marker(max(0, m.offset - lead), m.marker) for m in line_markers]
    head = text.rstrip()
    markers = [Marker(min(m.offset, len(head)), m.marker) for m in markers]
    if not head:
        return line, markers + shifted
    if not line:
        return head, markers + [Marker(len(head), m.marker) for m in shifted]
    if head.endswith("-") and len(head) >= 2 and not head[-2].isspace() and line[0].isalnum():
        word = regex.search(r"(\S+)-$", head)
        token = word.group(1) if word else ""
        if regex.fullmatch(r"[a-z]{2,}", token) and regex.match(r"[a-z]{2,}\b", line):
            head = head[:-1]  # "docu-" + "ment": a hyphenated foreign word
            markers = [Marker(min(m.offset, len(head)), m.marker) for m in markers]
            joined = head
        elif regex.fullmatch(r"[\x21-\x7e]+", token) and (regex.search(r"[A-Z0-9]", token) or line[0].isdigit()):
            joined = head  # a symbol or code: "541/KH-" + "CAH(QLHC)", "Covid-" + "19"
        else:
            joined = head + sep  # Vietnamese words around a dash keep their space: "khai tử- Xóa"
    else:
        joined = head + sep
    return joined + line, markers + [Marker(len(joined) + m.offset, m.marker) for m in shifted]


def _is_short(line: Line, page: _Page) -> bool:
    return line.x1 < page.right - 2 * line.size


def read_footnotes(pages: list[_Page], warnings: list[str]) -> list[Footnote]:
    notes: list[Footnote] = []
    seen: set[str] = set()
    for page in pages:
        prev: Line | None = None
        for line in page.notes:
            mark = line.first_mark
            if mark is not None and mark not in seen:
                text = line.render(lambda _: False, skip_first=True)[0].strip()
                notes.append(Footnote(marker=mark, original=text, page=page.number))
                seen.add(mark)
                page.note_numbers.add(mark)
            elif notes:
                sep = "\n" if prev is not None and _is_short(prev, page) and prev.plain().rstrip().endswith(
                    SENTENCE_END) else " "
                notes[-1].original, _ = join_lines(notes[-1].original, [], line.plain(), [], sep)
            else:
                warnings.append(f"page {page.number}: footnote text without a number dropped: {line.plain()[:60]!r}")
            prev = line
    return notes


# ---------------------------------------------------------------------------------------------------------------
# two-column zones (header table, signature block)


def _two_pieces(line: Line) -> list[Line]:
    pieces = line.split_columns()
    if len(pieces) <= 2:
        return pieces
    gaps = [(pieces[i + 1].x0 - pieces[i].x1, i) for i in range(len(pieces) - 1)]
    cut = max(gaps)[1]
    left = Line([r for p in pieces[: cut + 1] for r in p.runs])
    left.attach([s for p in pieces[: cut + 1] for s in p.small])
    right = Line([r for p in pieces[cut + 1 :] for r in p.runs])
    right.attach([s for p in pieces[cut + 1 :] for s in p.small])
    left.build_items()
    right.build_items()
    return [left, right]


class _ZoneGrower:
    """The two columns of a zone being grown line by line; ``lo``..``hi`` is the free gutter between them."""

    def __init__(self, left: Line, right: Line, text_width: float) -> None:
        self.left, self.right = [left], [right]
        self.lo, self.hi = left.x1, right.x0
        self.text_width = text_width

    def take(self, cand: Line, near: Line) -> bool:
        """Add ``cand`` (next to ``near``, already in the zone) if it fits the columns without crossing the gutter."""
        if abs(near.base - cand.base) > 2.0 * max(near.size, cand.size):
            return False
        parts = _two_pieces(cand)
        lo, hi = self.lo, self.hi
        if len(parts) == 2:
            if parts[0].x1 < hi - 1 and parts[1].x0 > lo + 1:
                self.lo, self.hi = max(lo, parts[0].x1), min(hi, parts[1].x0)
                self.left.append(parts[0])
                self.right.append(parts[1])
                return self.lo < self.hi
            return False
        if len(parts) != 1 or cand.x1 - cand.x0 > 0.6 * self.text_width:
            return False
        if cand.x1 < hi - 1 and cand.x0 < lo + 1:
            self.lo = max(lo, cand.x1)
            self.left.append(cand)
            return self.lo < self.hi
        if cand.x0 > lo + 1 and cand.x1 > hi - 1:
            self.hi = min(hi, cand.x0)
            self.right.append(cand)
            return self.lo < self.hi
        return False


def _find_zones(page: _Page) -> tuple[list[_Zone], set[int]]:
    """Borderless two-column tables: a line split by a wide gutter, and the lines above and below it that fit
    either column without crossing the gutter."""
    lines = page.lines
    used: set[int] = set()
    zones: list[_Zone] = []
    for i, line in enumerate(lines):
        if i in used:
            continue
        pieces = _two_pieces(line)
        if len(pieces) != 2:
            continue
        grower = _ZoneGrower(pieces[0], pieces[1], page.right - page.left)
        members = {i}
        j = i + 1
        while j < len(lines) and j not in used and grower.take(lines[j], lines[j - 1]):
            members.add(j)
            j += 1
        j = i - 1
        while j >= 0 and j not in used and grower.take(lines[j], lines[j + 1]):
            members.add(j)
            j -= 1
        used |= members
        zones.append(_Zone(_zone_rows(grower.left, grower.right), top=max(ln.y1 for ln in grower.left + grower.right)))
    return zones, used


def _zone_rows(left: list[Line], right: list[Line]) -> list[tuple[list[Line], list[Line]]]:
    tagged = sorted([(ln, 0) for ln in left] + [(ln, 1) for ln in right], key=lambda t: -t[0].base)
    rows: list[tuple[list[Line], list[Line]]] = [([], [])]
    prev: Line | None = None
    for line, col in tagged:
        if prev is not None and prev.base - line.base > 1.6 * max(prev.size, line.size):
            rows.append(([], []))
        rows[-1][col].append(line)
        prev = line
    for row in rows:
        row[0].sort(key=lambda ln: -ln.base)
        row[1].sort(key=lambda ln: -ln.base)
    return rows


# ---------------------------------------------------------------------------------------------------------------
# reading order and paragraphs


def _page_items(page: _Page) -> None:
    zones, in_zone = _find_zones(page)
    items: list[tuple[float, str, object]] = []
    for i, line in enumerate(page.lines):
        if i not in in_zone:
            items.append((line.y1, "line", line))
    items += [(z.top, "zone", z) for z in zones]
    items += [(t.y1, "table", t) for t in page.tables]
    items.sort(key=lambda it: -it[0])
    page.items = items


def _centered(line: Line, page: _Page) -> bool:
    """Centred: the same space left and right (a justified full line has none on either side)."""
    width = page.right - page.left
    gap_l, gap_r = line.x0 - page.left, page.right - line.x1
    if abs(gap_l - page.indent) < 2.5:
        return False  # an indented first line that happens to end early
    return gap_l > 4 and abs(gap_l - gap_r) < 0.025 * width


class _Builder:
    """Accumulates blocks, tables and the choice of which raised marks are footnote references."""

    def __init__(self, notes: list[Footnote], pitches: dict[float, float]) -> None:
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.pitches = pitches
        self.known = {fn.marker for fn in notes}
        self.used: set[str] = set()
        self.page: _Page | None = None
        self.lines: list[Line] = []
        self.text = ""
        self.markers: list[Marker] = []
        self.bold = 0
        self.chars = 0
        self.start_page = 0
        self.seen_body = False
        self.table_open = False  # the last thing added was a ruled table (it may go on over the page break)

    # raised marks -------------------------------------------------------------------------------------------
    def accept(self, mark: str) -> bool:
        if mark in self.used or mark not in self.known or self.page is None:
            return False
        numbers = [int(m) for m in self.used if m.isdigit()]
        expected = str(max(numbers) + 1) if numbers else "1"
        if mark in self.page.note_numbers or mark == expected:
            self.used.add(mark)
            return True
        return False

    def render(self, line: Line) -> tuple[str, list[Marker], int, int]:
        return line.render(self.accept)

    # paragraphs ---------------------------------------------------------------------------------------------
    def flush(self) -> None:
        if self.lines and (self.text.strip() or self.markers):
            self.table_open = False
            page = self.page
            centered = page is not None and any(_centered(ln, page) for ln in self.lines) and all(
                _centered(ln, page) or ln.x1 - ln.x0 > 0.9 * (page.right - page.left) for ln in self.lines
            )
            self.blocks.append(
                Block(original=self.text, page=self.start_page, markers=self.markers,
                      bold=self.chars > 0 and self.bold >= 0.9 * self.chars, centered=centered)
            )
            self.seen_body = True
        self.lines, self.text, self.markers, self.bold, self.chars = [], "", [], 0, 0

    def _breaks(self, prev: Line, line: Line, page: _Page, same_page: bool) -> bool:
        if abs(prev.size - line.size) > 0.6:
            return True
        if same_page:
            pitch = self.pitches.get(round(prev.size), 1.2 * prev.size)
            if prev.base - line.base > 1.25 * pitch or prev.base <= line.base:
                return True
        width = page.right - page.left
        if _centered(line, page):
            # a centred paragraph wraps only after a (nearly) full line
            return prev.x1 - prev.x0 < 0.9 * width
        if line.x0 > page.left + INDENT:
            return True
        return _is_short(prev, page)

    def add_line(self, line: Line, page: _Page) -> None:
        if self.lines:
            prev = self.lines[-1]
            if self._breaks(prev, line, page, same_page=self.page is page):
                self.flush()
        self.page = page
        text, markers, bold, chars = self.render(line)
        if not self.lines:
            self.start_page = page.number
        self.text, self.markers = join_lines(self.text, self.markers, text, markers)
        self.bold += bold
        self.chars += chars
        self.lines.append(line)

    # tables -------------------------------------------------------------------------------------------------
    def _cell_text(self, lines: list[Line]) -> tuple[str, list[Marker]]:
        text, markers = "", []
        for line in lines:
            ltext, lmarkers, _, _ = self.render(line)
            text, markers = join_lines(text, markers, ltext, lmarkers, sep="\n")
        return text, markers

    def add_zone(self, zone: _Zone, page: _Page) -> None:
        self.flush()
        self.table_open = False
        self.page = page
        index = len(self.tables)
        header = not self.seen_body and page.number == self.first_page
        rows: list[list[str]] = []
        for r, (left, right) in enumerate(zone.rows):
            row = []
            for c, lines in enumerate((left, right)):
                if header:
                    for line in lines:
                        text, markers, bold, chars = self.render(line)
                        if text.strip():
                            self.blocks.append(
                                Block(original=text, kind=TABLE_CELL, page=page.number, markers=markers,
                                      bold=chars > 0 and bold >= 0.9 * chars, centered=True, table=index, row=r,
                                      col=c, in_header=True)
                            )
                    row.append("\n".join(" ".join(ln.plain().split()) for ln in lines))
                    continue
                text, markers = self._cell_text(lines)
                if text.strip() or markers:
                    self.blocks.append(Block(original=text, kind=TABLE_CELL, page=page.number, markers=markers,
                                             table=index, row=r, col=c))
                row.append(" ".join(text.split()))
            rows.append(row)
        self.tables.append(Table(index=index, rows=rows, page=page.number, is_header=header))

    def add_table(self, table: RuledTable, page: _Page) -> None:
        """A ruled table; one that goes on from the previous page (same columns, the heading rows repeated at the
        top of the page) is appended to the previous table without its repeated heading."""
        self.flush()
        self.page = page
        grid = [["" for _ in range(table.n_cols)] for _ in range(table.n_rows)]
        cells = []
        for cell in table.cells:
            text, markers = self._cell_text(group_lines(cell.runs))
            grid[cell.row][cell.col] = " ".join(text.split())
            cells.append((cell, text, markers))
        last = self.tables[-1] if self.tables and self.table_open else None
        skip = offset = 0
        if last is not None and last.page == page.number - 1 and last.rows and len(last.rows[0]) == table.n_cols:
            while skip < len(grid) and skip < len(last.rows) and grid[skip] == last.rows[skip]:
                skip += 1
        if skip:
            target = last
            offset = len(last.rows) - skip
            last.rows.extend(grid[skip:])
            last.page = page.number
        else:
            target = Table(index=len(self.tables), rows=grid, page=page.number)
            self.tables.append(target)
        for cell, text, markers in cells:
            if cell.row < skip:
                continue
            if cell.rowspan > 1 or cell.colspan > 1:
                target.merges.append((cell.row + offset, cell.col, cell.rowspan, cell.colspan))
            if text.strip() or markers:
                self.blocks.append(Block(original=text, kind=TABLE_CELL, page=page.number, markers=markers,
                                         table=target.index, row=cell.row + offset, col=cell.col))
        self.seen_body = True
        self.table_open = True

    first_page = 1


def assemble(layouts: list[PageLayout], path: str | None = None) -> Document:
    """The Document (format "pdf") for the pages of a PDF with a text layer."""
    size = body_size(layouts)
    pages = [_prepare(layout) for layout in layouts]
    _drop_furniture(pages)
    for page in pages:
        _split_notes(page, size)
    _margins(pages, size)
    pitches = _pitches(pages)
    doc = Document(format="pdf", pages=len(layouts), path=path)
    doc.footnotes = read_footnotes(pages, doc.warnings)
    builder = _Builder(doc.footnotes, pitches)
    builder.first_page = next((p.number for p in pages if p.lines or p.tables), 1)
    for page in pages:
        _page_items(page)
        for _, kind, item in page.items:
            if kind == "line":
                builder.add_line(item, page)  # type: ignore[arg-type]
            elif kind == "zone":
                builder.add_zone(item, page)  # type: ignore[arg-type]
            else:
                builder.add_table(item, page)  # type: ignore[arg-type]
    builder.flush()
    doc.blocks = builder.blocks
    doc.tables = builder.tables
    unused = [fn.marker for fn in doc.footnotes if fn.marker not in builder.used]
    if unused:
        doc.warnings.append(f"footnote marks not found in the body text: {', '.join(unused)}")
    for layout in layouts:
        doc.page_info[layout.number] = {"has_text": layout.has_text}
    return doc
