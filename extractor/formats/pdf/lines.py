"""Text lines from PDF runs, with superscript footnote marks attached to the line they are raised above.

A footnote mark is printed as digits in a smaller font on a raised baseline ("văn bản¹", or "(1)" in Ngã Bảy);
LibreOffice writes it as its own text object, so grouping runs by baseline leaves it on a line of its own. Such
small lines are folded into the line whose box they sit in, and consecutive small runs form a *mark group*. Whether
a group is a footnote reference is decided later (a footnote body with that number must exist): superscript
"⁽¹⁾" list enumerators look the same on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter

import regex

from ...model import Marker
from .layout import Run

# "1", "(1)", "12)" -- the digits of a raised mark
MARK_TEXT = regex.compile(r"^\(?\s*(\d{1,3})\s*\)?$")
SMALL = 0.8  # a run is small when its size is below this fraction of its line's size
MARK_CHARS = 6  # a raised group longer than this is not a mark (a smaller-font line beside a bigger one)
RAISED = 0.15  # ... and raised when its baseline is this fraction of the line's size above the line's
SPACE_GAP = 0.2  # a horizontal gap wider than this fraction of the font size is a word space
COLUMN_GAP = 2.5  # a gap wider than this many font sizes separates two columns (header, signature block)

_X0, _X1, _Y0, _Y1, _SIZE = (attrgetter(a) for a in ("x0", "x1", "y0", "y1", "size"))


def _size_then_length(run: Run) -> tuple[float, int]:
    return run.size, len(run.text)


# the space pdfium reports for a hyphen at a line end, and other control characters
_CONTROL = {0x02: "-", 0x00: None, 0x0D: None, 0x0A: None, 0xFFFE: None, 0xFFFF: None}
_HAS_CONTROL = re.compile("[\x00\x02\r\n\ufffe\uffff]")  # searched first: str.translate is slow on Vietnamese


@dataclass(slots=True)
class Item:
    """A run, or a group of small raised runs that may be a footnote mark."""

    text: str
    x0: float
    x1: float
    bold: bool
    mark: str | None = None  # the digits when the item is a raised mark


def _mark_group(group: list[Run]) -> Item:
    """The item of consecutive small raised runs: a footnote mark when its text is one."""
    text = "".join(r.text for r in group)
    m = MARK_TEXT.match(text.strip())
    return Item(text, group[0].x0, group[-1].x1, all(r.bold for r in group), m.group(1) if m else None)


@dataclass
class Line:
    runs: list[Run]  # the line's own runs, by x
    small: list[Run] = field(default_factory=list)  # superscripts/subscripts attached to it
    items: list[Item] = field(default_factory=list)

    def __post_init__(self) -> None:
        runs = self.runs
        if len(runs) == 1 and not self.small:  # nine lines in ten of the corpus PDFs: one run, measured directly
            main = runs[0]
            self.x0, self.x1, self.y0, self.y1 = main.x0, main.x1, main.y0, main.y1
        else:
            runs.sort(key=_X0)
            main = max(runs, key=_size_then_length)  # the biggest run (the longest of those): the line's size
            self._measure()
        self.size = main.size
        self.base = main.base

    def _measure(self) -> None:
        runs = self.runs
        every = runs + self.small if self.small else runs
        self.x0 = min(map(_X0, every))
        self.x1 = max(map(_X1, every))
        self.y0 = min(map(_Y0, runs))
        self.y1 = max(map(_Y1, runs))

    def attach(self, runs: list[Run]) -> None:
        self.small.extend(runs)
        self._measure()

    def build_items(self) -> None:
        """Order runs and small runs by x; merge consecutive small raised runs into mark groups."""
        items: list[Item] = []
        group: list[Run] = []
        small_ids = {id(r) for r in self.small}
        base, raised, small = self.base, RAISED * self.size, SMALL * self.size
        for run in sorted(self.runs + self.small, key=_X0) if self.small else self.runs:  # runs: sorted by x0
            if (id(run) in small_ids or run.size < small) and run.base - base >= raised:
                group.append(run)
                continue
            if group:
                items.append(_mark_group(group))
                group = []
            items.append(Item(run.text, run.x0, run.x1, run.bold))
        if group:
            items.append(_mark_group(group))
        self.items = items

    @property
    def first_mark(self) -> str | None:
        """The mark opening the line (a footnote body starts with its number)."""
        return self.items[0].mark if self.items else None

    def render(self, accept: Callable[[str], bool], skip_first: bool = False) -> tuple[str, list[Marker], int, int]:
        """(text, markers, bold characters, characters); raised marks that ``accept`` refuses stay as text."""
        out: list[str] = []
        length = 0
        markers: list[Marker] = []
        bold = total = 0
        prev_x1: float | None = None
        for i, item in enumerate(self.items):
            if i == 0 and skip_first:
                prev_x1 = item.x1
                continue
            if item.mark is not None and accept(item.mark):
                markers.append(Marker(length, item.mark))
                prev_x1 = item.x1
                continue
            text = item.text
            if _HAS_CONTROL.search(text):
                text = text.translate(_CONTROL)
            if not text:
                continue
            if (prev_x1 is not None and item.x0 - prev_x1 > SPACE_GAP * self.size and out
                    and not out[-1][-1:].isspace() and not text[0].isspace()):
                out.append(" ")
                length += 1
            out.append(text)
            length += len(text)
            chars = len("".join(text.split()))  # non-blank characters (0.7 µs for a line's run; counting isspace 2.2)
            total += chars
            if item.bold:
                bold += chars
            prev_x1 = item.x1
        return "".join(out), markers, bold, total

    def plain(self) -> str:
        return self.render(lambda _: False)[0]

    def split_columns(self) -> list[Line]:
        """Pieces of the line separated by a gap of several font sizes (two columns side by side)."""
        runs = self.runs
        pieces: list[list[Run]] = [[runs[0]]]
        for run in runs[1:]:
            if run.x0 - pieces[-1][-1].x1 > COLUMN_GAP * self.size:
                pieces.append([run])
            else:
                pieces[-1].append(run)
        if len(pieces) == 1:
            return [self]
        out = []
        for piece in pieces:
            line = Line(piece)
            line.attach([s for s in self.small if piece[0].x0 - 1 <= s.x0 <= piece[-1].x1 + self.size])
            line.build_items()
            out.append(line)
        return out


def group_lines(runs: list[Run]) -> list[Line]:
    """Lines from runs, top to bottom, with small raised/lowered runs attached to their line."""
    if not runs:
        return []
    ordered = sorted(runs, key=lambda r: (-r.base, r.x0))
    raw: list[list[Run]] = [[ordered[0]]]
    for run in ordered[1:]:
        head = raw[-1][0]
        tol = max(1.0, 0.25 * max(head.size, run.size))
        if abs(run.base - head.base) <= tol:
            raw[-1].append(run)
        else:
            raw.append([run])
    sizes = [max(map(_SIZE, group)) for group in raw]
    lines: list[Line | None] = [None] * len(raw)
    pending: list[tuple[int, list[Run]]] = []
    for i, group in enumerate(raw):
        # a few characters in a smaller font than the lines around: a mark to fold into its line (the sizes are
        # compared first: they rule out nearly every line without counting its characters)
        small_here = (len(raw) > 1 and _neighbour_size(sizes, i) * SMALL > sizes[i]
                      and sum(len(r.text.strip()) for r in group) <= MARK_CHARS)
        if small_here:
            pending.append((i, group))
        else:
            lines[i] = Line(group)
    for i, group in pending:
        yc = sum(r.yc for r in group) / len(group)
        host = None
        for j in (i + 1, i - 1, i + 2, i - 2):
            cand = lines[j] if 0 <= j < len(lines) else None
            if cand is not None and cand.y0 - 1.5 <= yc <= cand.y1 + 1.5:
                host = cand
                break
        if host is not None:
            host.attach(group)
        else:
            lines[i] = Line(group)
    result = [line for line in lines if line is not None]
    for line in result:
        line.build_items()
    result.sort(key=lambda ln: -ln.base)
    return result


def _neighbour_size(sizes: list[float], i: int) -> float:
    """The bigger size of the lines just above and below line ``i`` (its own when it has neither)."""
    if 0 < i < len(sizes) - 1:
        return max(sizes[i - 1], sizes[i + 1])
    if i > 0:
        return sizes[i - 1]
    return sizes[i + 1] if len(sizes) > 1 else sizes[i]
