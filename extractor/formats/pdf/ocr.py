"""Scanned PDF pages: render with pypdfium2, deskew, OCR with Tesseract (Vietnamese model), rebuild paragraphs,
footnotes and superscript footnote marks from the layout of the words on the page image.

Tesseract (Debian: tesseract-ocr, tesseract-ocr-vie) runs as a subprocess, one page per call, pages in parallel
(a thread pool; each Tesseract is limited to one thread with OMP_THREAD_LIMIT=1, which is faster than letting
several processes fight over OpenMP threads). pdfium is not thread-safe, so rendering is serialised by a lock.

Layout recovery, from Tesseract's word boxes (TSV output) and the page image:
- footnote area: the lines below the short separator rule at the page bottom, or, without a rule, the trailing
  lines set smaller than the body text; a line opening with a mark starts a new footnote, other lines continue
  the last one (a long footnote runs on at the bottom of the next page with no mark);
- footnote marks in the body: a word whose trailing ink is raised above the baseline ("bản²", read by Tesseract
  as "bản”", "bản?" or "bản2") carries a mark; marks are numbered in reading order, like Word numbers them.

Entry points: :func:`ocr_pages` (OCR some pages of a PDF) and :func:`parse_scanned` (a whole scanned PDF to a
Document). For a mixed PDF the PDF parser calls :func:`ocr_pages` for the pages without a text layer and
:func:`page_blocks` to turn each result into blocks.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import regex
from PIL import Image

from ...errors import CorruptDocument, EmptyDocument, MissingTool, TooLarge
from ...model import PARAGRAPH, Block, Document, Footnote, Marker
from ...resources import load_rules
from ..progress import page_done

TIMEOUT_SECONDS = 180  # one page
_PDFIUM_LOCK = threading.Lock()
_INSTALL = (
    "Tesseract OCR with the Vietnamese model is needed to read scanned PDFs: install it (Debian/Ubuntu: "
    "`apt-get install tesseract-ocr tesseract-ocr-vie`), or ask the sender for a PDF with a text layer."
)


@functools.cache
def _rules() -> dict:
    return load_rules("ocr.yaml")


# -- data ---------------------------------------------------------------------------------------------------------


@dataclass
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    key: tuple[int, int, int]  # Tesseract's (block, paragraph, line)
    marker: bool = False  # carries a raised footnote mark (stripped from ``text``)

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass
class Line:
    words: list[Word]
    col: int | None = None  # 0 or 1 for a line of the page's two-column header (split_header)

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> int:
        """Typical word height on the line (robust to a tall bracket or a tiny dash)."""
        return int(statistics.median(w.height for w in self.words))

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words if w.text)


@dataclass
class OcrPage:
    """One OCRed page: body lines and footnote-area lines in reading order, with the page geometry (pixels)."""

    number: int  # 1-based
    width: int
    height: int
    body: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    confidence: float | None = None  # mean word confidence, 0-100
    angle: float = 0.0  # deskew rotation applied, degrees
    words: int = 0
    header: list[Line] = field(default_factory=list)  # the two-column header's lines, left column first
    warnings: list[str] = field(default_factory=list)


# -- tools ---------------------------------------------------------------------------------------------------------


def find_tesseract() -> str | None:
    """Path of the tesseract binary (``DOCMINE_TESSERACT`` overrides the search)."""
    override = os.environ.get("DOCMINE_TESSERACT")
    if override:
        return override if (os.path.exists(override) or shutil.which(override)) else None
    return shutil.which("tesseract")


def check_tesseract(language: str | None = None) -> str:
    """The tesseract binary, after checking the language model is installed; MissingTool otherwise."""
    exe = find_tesseract()
    if exe is None:
        raise MissingTool(_INSTALL)
    language = language or _rules()["tesseract"]["language"]
    langs = _languages(exe)
    if langs is not None and language not in langs:
        raise MissingTool(f"Tesseract is installed but its {language!r} language model is not. {_INSTALL}")
    return exe


@functools.cache
def _languages(exe: str) -> frozenset[str] | None:
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout or b"").decode("utf-8", errors="replace")
    return frozenset(line.strip() for line in text.splitlines()[1:] if line.strip())


# -- image ---------------------------------------------------------------------------------------------------------


def skew_angle(image: Image.Image) -> float:
    """The rotation (degrees, PIL convention) that makes the text lines horizontal: the angle maximising the
    variance of the row sums of ink on a reduced copy (projection profile)."""
    cfg = _rules()["deskew"]
    small = image.convert("L")
    factor = max(1, small.width // 700)
    small = small.resize((small.width // factor, small.height // factor))
    ink = Image.fromarray((np.asarray(small) < 160).astype(np.uint8) * 255)
    best, best_score = 0.0, -1.0
    steps = round(cfg["max_angle"] / cfg["step"])
    for i in range(-steps, steps + 1):
        angle = i * cfg["step"]
        rotated = np.asarray(ink.rotate(angle, resample=Image.NEAREST, fillcolor=0), dtype=np.float32)
        score = float(np.var(rotated.sum(axis=1)))
        if score > best_score:
            best, best_score = angle, score
    return best if abs(best) >= cfg["min_angle"] else 0.0


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    angle = skew_angle(image)
    if angle == 0.0:
        return image, 0.0
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255), angle


def drop_stamps(page) -> int:
    """Remove from a page with drawn text the small images laid over it (seals, signatures, logos: rules/ocr.yaml
    ``stamps``), so that the text a red seal covers is rendered whole for OCR ("Hoàng Văn Thuân" under the seal of
    real/lc-tb1894-sct.pdf, whose text layer is broken). A scan (one page-size image, no drawn text, or an invisible
    OCR layer over the page image) is left as it is. Returns how many images were removed (in memory only)."""
    import pypdfium2.raw as pdfium_c

    cfg = _rules()["stamps"]
    width, height = page.get_size()
    area = max(width * height, 1.0)
    texts, small = 0, []
    for obj in page.get_objects(max_depth=1):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts += 1
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) / area <= cfg["max_area"]:
                small.append(obj)
    if texts < cfg["min_text_objects"]:
        return 0
    for obj in small:
        page.remove_obj(obj)
        obj.close()
    return len(small)


def render_page(pdf, index: int, dpi: int) -> Image.Image:
    with _PDFIUM_LOCK:
        page = pdf[index]
        try:
            drop_stamps(page)
            return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        finally:
            page.close()


# -- tesseract -------------------------------------------------------------------------------------------------------


def run_tesseract(image: Image.Image, exe: str | None = None, dpi: int | None = None) -> list[Word]:
    """Words with boxes and confidences from ``tesseract … tsv``."""
    exe = exe or check_tesseract()
    cfg = _rules()["tesseract"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="docmine-ocr-") as tmp:
        src = os.path.join(tmp, "page.png")
        image.save(src)
        cmd = [exe, src, "stdout", "-l", cfg["language"], "--psm", str(cfg["psm"]), "--dpi",
               str(dpi or cfg["dpi"]), "tsv"]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise CorruptDocument(f"Tesseract did not finish a page within {TIMEOUT_SECONDS} s.") from None
        except OSError as err:
            raise MissingTool(f"Tesseract could not be started ({err}). {_INSTALL}") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", errors="replace").strip()[-300:]
        raise MissingTool(f"Tesseract failed ({detail}). {_INSTALL}")
    return parse_tsv(proc.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> list[Word]:
    words: list[Word] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(reader, None)
    for row in reader:
        if len(row) < 12 or row[0] != "5":
            continue
        text = row[11].strip()
        conf = float(row[10])
        if not text or conf < 0:
            continue
        words.append(Word(text=_fix_word(text), left=int(row[6]), top=int(row[7]), width=int(row[8]),
                          height=int(row[9]), conf=conf, key=(int(row[2]), int(row[3]), int(row[4]))))
    return words


def _fix_word(text: str) -> str:
    for bad, good in _rules()["replace"].items():
        text = text.replace(bad, good)
    return fix_text(text)


@functools.cache
def _patterns() -> list[tuple[regex.Pattern, str]]:
    return [(regex.compile(p), r) for p, r in _rules()["patterns"]]


def fix_text(text: str) -> str:
    for pattern, repl in _patterns():
        text = pattern.sub(repl, text)
    return text


# -- layout --------------------------------------------------------------------------------------------------------


def _lines(words: list[Word]) -> list[Line]:
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        groups.setdefault(w.key, []).append(w)
    lines = [Line(sorted(ws, key=lambda w: w.left)) for ws in groups.values()]
    lines = [ln for ln in lines if ln.text.strip()]
    lines.sort(key=lambda ln: (ln.top, ln.left))
    return lines


def _separator_y(ink: np.ndarray, text_left: int, width: int, start: int) -> int | None:
    """The y of the short footnote separator rule: a thin solid dark run starting at the text's left edge, 10-45%
    of the page wide, nothing else on its rows, blank rows just above and below; searched below ``start``."""
    h = ink.shape[0]
    x0 = max(0, text_left - 15)
    band = ink[:, x0:]
    counts = band.sum(axis=1)
    lo, hi = width * 0.1, width * 0.45
    y = max(start, 8)
    while y < h - 8:
        n = counts[y]
        if lo <= n <= hi:
            cols = np.flatnonzero(band[y])
            first, last = int(cols[0]), int(cols[-1])
            if first <= 30 and (last - first + 1) <= n * 1.1:
                thick = 1
                while y + thick < h and counts[y + thick] >= n * 0.5 and thick <= 8:
                    thick += 1
                span = slice(first, last + 1)
                above = band[y - 8 : y - 1, span].sum()
                below = band[y + thick + 1 : y + thick + 8, span].sum()
                if thick <= 8 and above < n * 0.05 and below < n * 0.05:
                    return y
                y += thick
                continue
        y += 1
    return None


def _raised_tail(ink: np.ndarray, word: Word, base: int, line_height: int) -> int:
    """Width in pixels of a raised mark at the right end of ``word``: the last run of ink columns (after a blank
    column) whose ink all ends well above the line's baseline ``base``; 0 when there is none."""
    cfg = _rules()["layout"]
    crop = ink[word.top : word.bottom + 1, word.left : word.right + 1]
    if crop.size == 0:
        return 0
    cols = crop.any(axis=0)
    x = crop.shape[1] - 1
    while x >= 0 and not cols[x]:
        x -= 1
    end = x
    while x >= 0 and cols[x]:
        x -= 1
    width = end - x
    if x < 0 or width < 3:
        return 0  # no gap before the last glyph, or a speck
    segment = crop[:, x + 1 : end + 1]
    lowest = word.top + int(np.flatnonzero(segment.any(axis=1)).max())
    rest = crop[:, : x + 1]
    rest_lowest = word.top + int(np.flatnonzero(rest.any(axis=1)).max()) if rest.any() else 0
    raised = base - lowest > line_height * (1 - cfg["superscript_bottom"])
    return width if raised and rest_lowest >= base - 3 else 0


_LETTER_THEN_TAIL = regex.compile(r"^(?P<body>.*?[\p{L}.,;:)\]])(?P<tail>[^\p{L}\s]{1,3})$")
_MARK_TOKEN = regex.compile(r"^[\d¹²³⁴⁵⁶⁷⁸⁹⁰?”“\"'’‘°*!|]{1,3}$")
_QUOTES_CLOSE = "”’'\""


def _strip_marker(word: Word, ink: np.ndarray, base: int, line_height: int, before: str) -> None:
    """When the word ends in a raised mark, drop the mark's characters from its text and flag it. ``before`` is
    the text preceding the word, to tell a closing quotation mark from a mark read as one."""
    m = _LETTER_THEN_TAIL.match(word.text)
    if not m or not set(m.group("tail")) <= set(_rules()["marker_chars"]):
        return
    tail = m.group("tail")
    if tail[0] in _QUOTES_CLOSE and sum(before.count(q) for q in "“‘") > sum(before.count(q) for q in "”’"):
        return  # closes a quotation: “về đích sớm”
    if _raised_tail(ink, word, base, line_height) >= 3:
        word.text = m.group("body")
        word.marker = True


def analyse_page(number: int, image: Image.Image, words: list[Word], angle: float = 0.0) -> OcrPage:
    """Split a page's words into body and footnote lines and find the raised footnote marks."""
    cfg = _rules()["layout"]
    page = OcrPage(number=number, width=image.width, height=image.height, angle=angle, words=len(words))
    if words:
        page.confidence = round(sum(w.conf for w in words) / len(words), 2)
    lines = _lines(words)
    if not lines:
        return page
    ink = np.asarray(image.convert("L")) < 128
    statistics.median(ln.height for ln in lines)
    text_left = int(statistics.median(ln.left for ln in lines))
    sep = _separator_y(ink, text_left, image.width, lines[0].bottom + 4)
    if sep is not None:
        body = [ln for ln in lines if ln.bottom <= sep + 2]
        notes = [ln for ln in lines if ln.bottom > sep + 2]
    else:
        body, notes = lines, []
    # a page number alone at the top
    if body and regex.fullmatch(r"[-–\s]*\d{1,3}[-–\s]*", body[0].text) and body[0].top < image.height * 0.1:
        body = body[1:]
    if sep is None and len(body) > 3:
        # no rule: trailing lines clearly smaller than the body text are footnotes
        tall = statistics.median(ln.height for ln in body)
        k = len(body)
        while k > 0 and body[k - 1].height < tall * cfg["footnote_height_ratio"] * 0.95:
            k -= 1
        if 0 < k < len(body) and len(body) - k >= 1 and _starts_with_mark(body[k]):
            body, notes = body[:k], body[k:]
    before = ""
    for ln in body:
        base = int(statistics.median(w.bottom for w in ln.words))
        for w in ln.words:
            _strip_marker(w, ink, base, ln.height, before)
            before = (before + " " + w.text)[-200:]
        ln.words = [w for w in ln.words if w.text or w.marker]
    page.body = body
    page.notes = notes
    if number == 1:
        split_header(page)
    return page


# -- the two-column header -------------------------------------------------------------------------------------------


def _column_start(line: Line, min_gap: float) -> int | None:
    """Where the right column starts on a line read across both columns: the left of the word after the widest
    gap, when that gap is at least ``min_gap`` wide and has words on both sides."""
    best, start = 0, None
    for a, b in zip(line.words, line.words[1:], strict=False):
        gap = b.left - a.right
        if gap > best:
            best, start = gap, b.left
    return start if best >= min_gap else None


def split_header(page: OcrPage) -> None:
    """Move the page's two-column header out of ``body`` into ``header``, each line split into its left and right
    parts (left column first, like the DOCX header table), and blank what a hand wrote in the number and date."""
    cfg = _rules()["header"]
    lines = page.body
    first = None
    for i, ln in enumerate(lines):
        if ln.top > page.height * cfg["top"]:
            break
        start = _column_start(ln, max(ln.height * cfg["column_gap"], page.width * 0.04))
        if start is not None and page.width * 0.3 < start < page.width * 0.7:
            first, boundary = i, start
            break
    if first is None:
        return
    left: list[Line] = []
    right: list[Line] = []
    end = 0
    prev_bottom = None
    for i, ln in enumerate(lines):
        date_line = regex.search(r"ngày.*năm\s*\d{4}", ln.text) is not None
        # on the date line, a faint word is what a hand wrote after "ngày" (kept, to be blanked with a warning)
        words = [w for w in ln.words if w.conf >= cfg["min_conf"] or w.marker or (date_line and _has_text([w]))]
        if not _has_text(words):
            end = i + 1  # specks, a rule read as "—", a lone ":"
            continue
        if i > first and prev_bottom is not None and ln.top - prev_bottom > ln.height * cfg["line_gap"]:
            break
        tol = ln.height
        lw = [w for w in words if w.left < boundary - tol]
        rw = [w for w in words if w.left >= boundary - tol]
        if lw and rw and rw[0].left - lw[-1].right < ln.height * cfg["column_gap"]:
            break  # a line across the page ("Kính gửi: …"): the header has ended
        centre = (words[0].left + words[-1].right) / 2
        if i > first and not (lw and rw) and abs(centre - page.width / 2) < page.width * cfg["centre"]:
            break  # the title ("THÔNG BÁO", "KẾ HOẠCH") centred under both columns
        if _has_text(lw):
            left.append(Line(lw, col=0))
        if _has_text(rw):
            right.append(Line(rw, col=1))
        prev_bottom = ln.bottom
        end = i + 1
    for ln in left:
        _blank_handwriting(ln, page, cfg)
    for ln in right:
        _blank_handwriting(ln, page, cfg)
    page.header = left + right
    page.body = lines[end:]


def _has_text(words: list[Word]) -> bool:
    return any(regex.search(r"[\p{L}\d]", w.text) for w in words)


_SYMBOL_TAIL = regex.compile(r"(?P<junk>[^/]*?)(?P<slash>[/Ÿ])?(?P<symbol>\p{Lu}[\p{Lu}Đ\d]*(?:-\p{Lu}[\p{Lu}Đ\d]*)+)$")
_DIGITS = regex.compile(r"\d{1,5}")


def _clean_digits(word: Word | None, cfg: dict) -> bool:
    return word is not None and bool(_DIGITS.fullmatch(word.text)) and word.conf >= cfg["digit_conf"]


def _blank_handwriting(line: Line, page: OcrPage, cfg: dict) -> None:
    """Rebuild the number line ("Số: 753/KH-DCT") and the date line ("ngày 23 tháng 6 năm 2026") keeping only
    what was read as clean printed digits: a handwritten number or day becomes a blank, with a warning."""
    words = line.words
    text = " ".join(w.text for w in words)
    if line.col == 0:
        last = words[-1]
        m = _SYMBOL_TAIL.match(last.text)
        if m and len(words) <= 4 and (regex.search(r"[/Ÿ]", last.text) or regex.match(r"(?i)s[ốôóo]\b", text)):
            junk = m.group("junk")
            before = words[-2] if len(words) >= 2 else None
            number = None
            clean_slash = m.group("slash") == "/"  # handwriting over the number blurs the slash ("ŸBCT-ATMT")
            if junk and _DIGITS.fullmatch(junk) and last.conf >= cfg["digit_conf"] and clean_slash:
                number = junk
            elif not junk and clean_slash and _clean_digits(before, cfg):
                number = before.text  # type: ignore[union-attr]
            shown = f"Số: {number}/{m.group('symbol')}" if number else f"Số: /{m.group('symbol')}"
            misread = bool(junk.strip()) or (before is not None and not regex.match(r"(?i)s[ốôóo]\W*$", before.text))
            if not number and misread:
                page.warnings.append(
                    f"số văn bản viết tay hoặc không đọc được trên bản quét, để trống / the document number is "
                    f"handwritten or unreadable on the scan, left blank (OCR read {text!r})"
                )
            line.words = [Word(**{**last.__dict__, "text": shown, "left": words[0].left})]
        return
    m = regex.search(r"ngày", text)
    if not m or not regex.search(r"năm\s*\d{4}", text):
        return
    out, blanks = [], []
    i = 0
    for k, w in enumerate(words[:-1]):  # the comma after the place, read as a full stop ("Hồ Chí Minh. ngày")
        if w.text.endswith(".") and words[k + 1].text.startswith("ngày"):
            words[k] = Word(**{**w.__dict__, "text": w.text[:-1] + ","})
    while i < len(words):
        w = words[i]
        head = regex.match(r"^(ngày|tháng)(.*)$", w.text)
        if head:
            out.append(Word(**{**w.__dict__, "text": head.group(1)}))
            nxt = words[i + 1] if i + 1 < len(words) else None
            if not head.group(2) and _clean_digits(nxt, cfg):
                out.append(nxt)  # type: ignore[arg-type]
                i += 2
                continue
            if head.group(2):
                blanks.append(head.group(1))  # handwriting read glued to the word: "ngày0)"
            elif nxt is not None and not nxt.text.startswith(("tháng", "năm")):
                blanks.append(head.group(1))
                i += 1  # the misread handwriting after the word
            i += 1
            continue
        out.append(w)
        i += 1
    if blanks:
        page.warnings.append(
            f"{' và '.join(blanks)} trên dòng ngày tháng viết tay hoặc không đọc được trên bản quét, để trống / the "
            f"handwritten or unreadable {' and '.join('day' if b == 'ngày' else 'month' for b in blanks)} of the "
            f"date line left blank (OCR read {text!r})"
        )
    line.words = out


def _starts_with_mark(line: Line) -> bool:
    first = line.words[0]
    return bool(_MARK_TOKEN.match(first.text)) and first.height < line.height * 0.8


# -- running it ----------------------------------------------------------------------------------------------------


BLANK_DPI = 36  # the quick look at a page before it is rendered for OCR
BLANK_INK = 5e-4  # a page with less than this share of inked pixels at BLANK_DPI is blank (a page number at most)
MAX_OCR_PAGES = 300  # DOCMINE_MAX_OCR_PAGES: pages with ink OCRed for one file, at 1-3 s each


def max_ocr_pages() -> int:
    env = os.environ.get("DOCMINE_MAX_OCR_PAGES", "")
    return int(env) if env.strip().lstrip("-").isdigit() else MAX_OCR_PAGES


def is_blank(image: Image.Image) -> bool:
    """Whether a page image holds (almost) no ink."""
    pixels = np.asarray(image.convert("L"))
    return pixels.size == 0 or float((pixels < 200).mean()) < BLANK_INK


class _Budget:
    """Counts the pages with ink sent to Tesseract; past the cap the file is refused (TooLarge), not OCRed for
    minutes: a PDF of 2,000 blank scans costs a quick look per page, one of 2,000 inked scans stops at the cap."""

    def __init__(self, cap: int):
        self.cap = cap
        self.used = 0
        self.lock = threading.Lock()

    def take(self, total: int) -> None:
        with self.lock:
            self.used += 1
            if 0 < self.cap < self.used:
                raise TooLarge(
                    f"The scanned PDF has more than {self.cap:,} pages with text to OCR (of {total:,} pages; "
                    "DOCMINE_MAX_OCR_PAGES): split it into reports, or raise the limit if it really is one report."
                )


def _ocr_one(pdf, index: int, exe: str, dpi: int, budget: _Budget | None = None) -> OcrPage:
    glance = render_page(pdf, index, BLANK_DPI)
    if is_blank(glance):  # no Tesseract, no full-resolution render
        scale = dpi / BLANK_DPI
        return OcrPage(number=index + 1, width=int(glance.width * scale), height=int(glance.height * scale))
    if budget is not None:
        budget.take(len(pdf))
    image = render_page(pdf, index, dpi)
    image, angle = deskew(image)
    words = run_tesseract(image, exe, dpi)
    return analyse_page(index + 1, image, words, angle)


def _reported(page: OcrPage, done: int, total: int) -> OcrPage:
    """``page`` (the ``done``-th of ``total``), once told to the progress listener (``formats.progress``)."""
    page_done(done, total, page.number)
    return page


def default_workers() -> int:
    env = os.environ.get("DOCMINE_OCR_WORKERS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, os.cpu_count() or 1)


def ocr_pages(pdf_bytes: bytes, pages: Sequence[int] | None = None, workers: int | None = None,
              dpi: int | None = None) -> list[OcrPage]:
    """OCR the given 1-based ``pages`` of a PDF (all when None), ``workers`` pages at a time; in page order."""
    import pypdfium2 as pdfium

    exe = check_tesseract()
    dpi = dpi or int(_rules()["tesseract"]["dpi"])
    try:
        pdf = pdfium.PdfDocument(pdf_bytes)
    except pdfium.PdfiumError as err:
        raise CorruptDocument(f"The PDF could not be opened for OCR ({err}): ask for the file again.") from None
    try:
        numbers = list(pages) if pages is not None else list(range(1, len(pdf) + 1))
        workers = max(1, min(workers or default_workers(), len(numbers) or 1))
        budget = _Budget(max_ocr_pages())
        if workers == 1:
            return [_reported(_ocr_one(pdf, n - 1, exe, dpi, budget), i, len(numbers))
                    for i, n in enumerate(numbers, 1)]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_ocr_one, pdf, n - 1, exe, dpi, budget) for n in numbers]
            try:  # (collected in page order, here: the events go out in order, from the caller's context)
                return [_reported(f.result(), i, len(numbers)) for i, f in enumerate(futures, 1)]
            finally:
                for f in futures:  # refused (or failed): the pages not started are not OCRed
                    f.cancel()
    finally:
        pdf.close()


# -- blocks and footnotes --------------------------------------------------------------------------------------------

_OPENS_ITEM = regex.compile(r"^(?:[IVX]{1,5}\s*[.)]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-+•–*])\s")
_ENDS_SENTENCE = regex.compile(r"[.;:!?]\s*$")


@dataclass
class _State:
    """What carries over from one page to the next: the open paragraph, the last footnote, the mark counter."""

    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    next_mark: int = 1
    open_block: bool = False
    note_ended: bool = True


def _paragraph_starts(lines: list[Line], page_width: int) -> list[bool]:
    cfg = _rules()["layout"]
    if not lines:
        return []
    left = min(ln.left for ln in lines)
    right = max(ln.right for ln in lines)
    width = max(1, right - left)
    height = statistics.median(ln.height for ln in lines)
    starts = []
    prev: Line | None = None
    for ln in lines:
        if prev is None:
            starts.append(True)
        else:
            indented = ln.left - left > width * cfg["indent"]
            short_prev = prev.right < left + width * cfg["short_line"]
            gap = ln.top - prev.bottom > height * 1.2
            starts.append(indented or short_prev or gap or bool(_OPENS_ITEM.match(ln.text)))
        prev = ln
    return starts


def _centered(line: Line, page_width: int, text_left: int, text_right: int) -> bool:
    left_gap = line.left - text_left
    right_gap = text_right - line.right
    return left_gap > page_width * 0.05 and right_gap > page_width * 0.05 and abs(left_gap - right_gap) < 60


def page_blocks(page: OcrPage, state: _State | None = None) -> _State:
    """Add one OCRed page's paragraphs and footnotes to ``state`` (created when None) and return it."""
    state = state or _State()
    for ln in page.header:
        state.blocks.append(Block(original=ln.text, kind=PARAGRAPH, page=page.number, in_header=True, col=ln.col))
    starts = _paragraph_starts(page.body, page.width)
    if page.body:
        text_left = min(ln.left for ln in page.body)
        text_right = max(ln.right for ln in page.body)
    for i, (ln, start) in enumerate(zip(page.body, starts, strict=True)):
        continues = (
            i == 0 and state.open_block and state.blocks and not _OPENS_ITEM.match(ln.text)
            and not _ENDS_SENTENCE.search(state.blocks[-1].original)
            and ln.left - text_left <= page.width * 0.02
        )
        if start and not continues:
            state.blocks.append(Block(original="", kind=PARAGRAPH, page=page.number,
                                      centered=_centered(ln, page.width, text_left, text_right)))
        block = state.blocks[-1]
        for w in ln.words:
            if block.original and not block.original.endswith(" "):
                block.original += " "
            block.original += w.text
            if w.marker:
                block.markers.append(Marker(len(block.original), str(state.next_mark)))
                state.next_mark += 1
    state.open_block = bool(page.body)
    _page_notes(page, state)
    return state


def _page_notes(page: OcrPage, state: _State) -> None:
    """Footnote-area lines into footnotes: a line opening with a small mark, or whose text starts to the right of
    the area's left edge (where the mark was printed but not read), begins the next footnote; any other line
    continues the last one, also across the page break."""
    if not page.notes:
        return
    left = min(ln.left for ln in page.notes)
    right = max(ln.right for ln in page.notes)
    shift = page.width * 0.005
    for ln in page.notes:
        words = list(ln.words)
        first = words[0]
        mark = bool(_MARK_TOKEN.match(first.text)) and (first.height < ln.height * 0.7 or first.text.isdigit())
        glued = regex.match(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰?”“'’]|\d{1,2})(?=\p{Lu})", first.text)
        if mark:
            words = words[1:]
        elif glued:
            words[0] = Word(**{**first.__dict__, "text": first.text[glued.end() :]})
        if mark or glued or (ln.left - left > shift and state.note_ended) or not state.footnotes:
            state.footnotes.append(Footnote(marker=str(len(state.footnotes) + 1), original="", page=page.number))
        fn = state.footnotes[-1]
        fn.original = f"{fn.original} {' '.join(w.text for w in words)}".strip()
        state.note_ended = ln.right < right - page.width * 0.04  # a short line ends its footnote


def _finish(state: _State) -> None:
    """Keep body marks only for footnotes that exist (a raised enumerator such as "⁽¹⁾" is not a footnote)."""
    known = {fn.marker for fn in state.footnotes}
    for block in state.blocks:
        block.markers = [m for m in block.markers if m.marker in known]


def parse_scanned(data: bytes, path: str | None = None, workers: int | None = None) -> Document:
    """A PDF whose pages are images: OCR every page into a Document (format 'pdf', ocr=True)."""
    pages = ocr_pages(data, None, workers)
    return document_from_pages(pages, path, total_pages=len(pages))


def document_from_pages(pages: list[OcrPage], path: str | None = None, total_pages: int | None = None) -> Document:
    state = _State()
    for page in pages:
        page_blocks(page, state)
    _finish(state)
    doc = Document(format="pdf", path=path, ocr=True, pages=total_pages or len(pages))
    doc.blocks = [b for b in state.blocks if b.original.strip()]
    doc.footnotes = [fn for fn in state.footnotes if fn.original.strip()]
    for page in pages:
        doc.warnings.extend(page.warnings)
        doc.page_info[page.number] = {"ocr_confidence": page.confidence, "deskew_angle": page.angle,
                                      "ocr_words": page.words}
    if not doc.blocks:
        raise EmptyDocument("OCR found no text in this scanned PDF (blank or unreadable pages): check the scan.")
    return doc
