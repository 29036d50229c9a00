"""What a PDF page holds, read straight from pdfium's page objects: text runs and ruled lines.

A text *run* is one pdfium text object (LibreOffice writes one per line fragment of uniform style), with its box,
baseline, effective font size and bold/italic flags. Walking page objects is far cheaper than asking pdfium for
each character's box and font, and it keeps what the layout analysis needs: superscript footnote marks are
separate runs in a smaller font on a raised baseline, and table borders / the footnote separator are thin filled
rectangles (path objects).

Coordinates are PDF user space: origin bottom-left, y grows upwards.
"""

from __future__ import annotations

import codecs
import ctypes
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# a rule (table border, footnote separator) is a path at most this thick, in points
RULE_THICKNESS = 2.5
MIN_RULE_LENGTH = 4.0
# a page has a usable text layer when it holds at least this many non-blank characters
MIN_PAGE_CHARS = 16

_utf16 = codecs.utf_16_le_decode  # pdfium's FPDF_WCHAR text


@dataclass(slots=True)
class Run:
    """One text object: its text and where and how it is printed."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    base: float  # baseline y
    size: float  # effective font size in points
    bold: bool = False
    italic: bool = False

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Rule:
    """A thin horizontal or vertical line drawn on the page."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.y1 - self.y0)


@dataclass
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)
    hrules: list[Rule] = field(default_factory=list)
    vrules: list[Rule] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        """At least MIN_PAGE_CHARS non-blank characters in the runs (counted until there are enough: asked three
        times per page, it summed every run of the page each time)."""
        chars = 0
        for run in self.runs:
            chars += len(run.text.strip())
            if chars >= MIN_PAGE_CHARS:
                return True
        return chars >= MIN_PAGE_CHARS


def _plain(func):
    """``func``, a pypdfium2.raw binding, declared again with every pointer as ``c_void_p``.

    pypdfium2 types each handle as a pointer to an opaque struct: every call checks the argument's class, every
    returned handle is a new pointer object, and a font handle needs ``ctypes.cast`` to become a cache key. With
    ``c_void_p`` a handle is a plain int (NULL is None). The per-object calls of ``read_page`` cost, measured per
    call: FPDFTextObj_GetFont + cast 1.39 → 0.19 µs, FPDFPageObj_GetBounds 1.07 → 0.63 µs, FPDFPage_GetObject
    0.56 → 0.40 µs, FPDFPageObj_GetType 0.30 → 0.18 µs."""
    plain = lambda t: ctypes.c_void_p if t is not None and issubclass(t, ctypes._Pointer) else t  # noqa: E731
    address = ctypes.cast(func, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(plain(func.restype), *map(plain, func.argtypes))(address)


def _handle(raw) -> int | None:
    """The address of a pypdfium2 handle (``PdfPage.raw``, ``PdfTextPage.raw``), for the ``_plain`` bindings."""
    return ctypes.cast(raw, ctypes.c_void_p).value


_count_objects = _plain(pdfium_c.FPDFPage_CountObjects)
_get_object = _plain(pdfium_c.FPDFPage_GetObject)
_count_form_objects = _plain(pdfium_c.FPDFFormObj_CountObjects)
_get_form_object = _plain(pdfium_c.FPDFFormObj_GetObject)
_get_type = _plain(pdfium_c.FPDFPageObj_GetType)
_get_bounds = _plain(pdfium_c.FPDFPageObj_GetBounds)
_get_matrix = _plain(pdfium_c.FPDFPageObj_GetMatrix)
_get_text = _plain(pdfium_c.FPDFTextObj_GetText)
_get_font_size = _plain(pdfium_c.FPDFTextObj_GetFontSize)
_get_font = _plain(pdfium_c.FPDFTextObj_GetFont)
_get_font_name = _plain(pdfium_c.FPDFFont_GetBaseFontName)
_get_font_weight = _plain(pdfium_c.FPDFFont_GetWeight)
_TEXT, _PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM


class _FontInfo:
    """Bold/italic of pdfium font handles, looked up once per font."""

    def __init__(self) -> None:
        self._cache: dict[int | None, tuple[bool, bool]] = {}
        self._buf = ctypes.create_string_buffer(256)

    def style(self, font: int | None) -> tuple[bool, bool]:
        hit = self._cache.get(font)
        if hit is not None:
            return hit
        name = ""
        if font:
            n = _get_font_name(font, self._buf, len(self._buf))
            if 0 < n <= len(self._buf):
                name = self._buf.value.decode("latin-1", "replace")
        name = name.split("+", 1)[-1].lower()
        weight = _get_font_weight(font) if font else -1
        bold = any(w in name for w in ("bold", "black", "heavy", "semibold", "demi")) or weight >= 600
        italic = "italic" in name or "oblique" in name
        self._cache[font] = (bold, italic)
        return bold, italic


class _TextReader:
    """Reads the Unicode text of text objects into one reusable buffer."""

    def __init__(self) -> None:
        self._allocate(4096)

    def _allocate(self, size: int) -> None:
        self._size = size
        self._buf = (ctypes.c_ushort * (size // 2 + 1))()
        self._bytes = memoryview(self._buf).cast("B")  # decoded in place: no copy into a bytes object first

    def text(self, obj: int, textpage: int | None) -> str:
        n = _get_text(obj, textpage, self._buf, self._size)
        if n > self._size:
            self._allocate(n + 64)
            n = _get_text(obj, textpage, self._buf, self._size)
        if n <= 2:
            return ""
        return _utf16(self._bytes[: n - 2], "replace")[0]  # n counts the terminating NUL


def _compose(inner, outer):
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _apply(m, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _objects(page: int | None, scratch: _Scratch) -> Iterator[tuple[int, int, tuple | None]]:
    """(object, type, form matrix or None) for every page object, descending into form XObjects."""
    for i in range(_count_objects(page)):
        obj = _get_object(page, i)
        kind = _get_type(obj)
        if kind == _FORM:
            yield from _form_objects(obj, scratch.transform(obj), 1, scratch)
        else:
            yield obj, kind, None


def _form_objects(form: int, outer, depth: int, scratch: _Scratch) -> Iterator[tuple[int, int, tuple | None]]:
    if depth > 8:
        return
    for i in range(_count_form_objects(form)):
        obj = _get_form_object(form, i)
        kind = _get_type(obj)
        if kind == _FORM:
            yield from _form_objects(obj, _compose(scratch.transform(obj), outer), depth + 1, scratch)
        else:
            yield obj, kind, outer


class _Scratch:
    """ctypes out-parameters reused for every object of every page (allocating them per call cost a third of the
    time docmine adds to pypdfium2's own page loading)."""

    def __init__(self) -> None:
        self.box = (ctypes.c_float * 4)()  # left, bottom, right, top: read back in one slice
        self.box_refs = [ctypes.byref(self.box, 4 * k) for k in range(4)]
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        self.size = ctypes.c_float()
        self.size_ref = ctypes.byref(self.size)

    def bounds(self, obj: int, form) -> tuple[float, float, float, float] | None:
        if not _get_bounds(obj, *self.box_refs):
            return None
        x0, y0, x1, y1 = self.box
        if form is not None:
            pts = [_apply(form, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        return x0, y0, x1, y1

    def transform(self, obj: int) -> tuple[float, float, float, float, float, float]:
        if not _get_matrix(obj, self.matrix_ref):
            return _IDENTITY
        m = self.matrix
        return m.a, m.b, m.c, m.d, m.e, m.f

    def font_size(self, obj: int) -> float:
        _get_font_size(obj, self.size_ref)
        return self.size.value


def _text_run(obj: int, form, textpage: int | None, fonts: _FontInfo, reader: _TextReader,
              scratch: _Scratch) -> Run | None:
    """The run of a text object, None when it prints nothing."""
    text = reader.text(obj, textpage)
    if not text or text.isspace():
        return None
    box = scratch.bounds(obj, form)
    if box is None:
        return None
    m = scratch.transform(obj)
    if form is not None:
        m = _compose(m, form)
    size = scratch.font_size(obj) * (math.hypot(m[2], m[3]) or 1.0)
    bold, italic = fonts.style(_get_font(obj))
    return Run(text, box[0], box[1], box[2], box[3], m[5], size, bold, italic)


def read_page(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int, fonts: _FontInfo | None = None,
              reader: _TextReader | None = None, scratch: _Scratch | None = None) -> PageLayout:
    """The runs and rules of one page (the caller owns and closes ``page`` and ``textpage``)."""
    fonts = fonts or _FontInfo()
    reader = reader or _TextReader()
    scratch = scratch or _Scratch()
    width, height = page.get_size()
    layout = PageLayout(number=number, width=width, height=height)
    tp = _handle(textpage.raw)
    for obj, kind, form in _objects(_handle(page.raw), scratch):
        if kind == _TEXT:
            run = _text_run(obj, form, tp, fonts, reader, scratch)
            if run is not None:
                layout.runs.append(run)
        elif kind == _PATH:
            box = scratch.bounds(obj, form)
            if box is None:
                continue
            x0, y0, x1, y1 = box
            w, h = x1 - x0, y1 - y0
            if h <= RULE_THICKNESS and w >= MIN_RULE_LENGTH:
                layout.hrules.append(Rule(x0, y0, x1, y1))
            elif w <= RULE_THICKNESS and h >= MIN_RULE_LENGTH:
                layout.vrules.append(Rule(x0, y0, x1, y1))
    return layout


def page_has_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None,
                  min_chars: int = MIN_PAGE_CHARS) -> bool:
    """Whether a page has a usable text layer (at least ``min_chars`` non-blank characters).

    A scanned page has none and needs OCR (Tesseract with tesseract-ocr-vie). Pass an open ``textpage`` to reuse
    it; otherwise one is opened and closed here.
    """
    own = textpage is None
    tp = page.get_textpage() if own else textpage
    try:
        n = tp.count_chars()
        if n < min_chars:
            return False
        text = tp.get_text_range(0, min(n, 4000))
        return sum(1 for ch in text if not ch.isspace() and ch not in "\ufffe\uffff\x00") >= min_chars
    finally:
        if own:
            tp.close()


def split_covered_runs(layout: PageLayout, textpage: pdfium.PdfTextPage) -> None:
    """Split runs that another run is drawn inside: a flattened signature widget writes "193" into the blank of
    "Số:      /UBND-KT" and "10" into "ngày      tháng". The covering run's text is cut at the inserted run's
    centre from the characters' own boxes, so lines read "Số: 193 /UBND-KT" in page order."""
    runs = layout.runs
    covered = []
    for big in runs:
        inside = [r for r in runs if r is not big and big.x0 + 1 < r.xc < big.x1 - 1
                  and abs(r.base - big.base) < max(big.size, r.size) * 0.6 and (r.x1 - r.x0) < (big.x1 - big.x0)]
        if inside:
            covered.append((big, inside))
    if not covered:
        return
    chars = _char_boxes(textpage)
    for big, inside in covered:
        for r in inside:  # a filled-in value is a word of its own, even where the stamp touches the next word
            r.text = f" {r.text.strip()} "
        cuts = sorted(r.xc for r in inside)
        mine = [c for c in chars if big.x0 - 0.5 <= c[1] <= big.x1 + 0.5 and big.y0 - 1 <= c[2] <= big.y1 + 1
                and not any(r.x0 <= c[1] <= r.x1 and r.y0 <= c[2] <= r.y1 for r in inside)]
        pieces: list[list[tuple[str, float, float, float, float]]] = [[] for _ in range(len(cuts) + 1)]
        for ch in mine:
            k = sum(1 for x in cuts if ch[1] > x)
            pieces[k].append(ch)
        new = []
        for piece in pieces:
            text = "".join(c[0] for c in piece)
            if not text.strip():
                continue
            new.append(Run(text=text, x0=min(c[3] for c in piece), y0=big.y0, x1=max(c[4] for c in piece),
                           y1=big.y1, base=big.base, size=big.size, bold=big.bold, italic=big.italic))
        if not new or "".join(r.text for r in new).split() != big.text.split():
            continue  # the characters did not match the run's text: keep the run whole
        i = runs.index(big)
        runs[i : i + 1] = new


def _char_boxes(textpage: pdfium.PdfTextPage) -> list[tuple[str, float, float, float, float]]:
    """(character, x centre, y centre, left, right) of every character of a text page."""
    raw = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    out = []
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if not code or code in (0xFFFE, 0xFFFF):
            continue
        ch = chr(code)
        if not pdfium_c.FPDFText_GetCharBox(raw, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom),
                                            ctypes.byref(top)):
            continue
        out.append((ch, (left.value + right.value) / 2, (bottom.value + top.value) / 2, left.value, right.value))
    return out
