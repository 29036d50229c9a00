"""The PDF parser's faster paths give what the plain ways of computing the same thing give, on every page of the
corpus and real PDFs (the e-signed, flattened and broken-text-layer ones included): pdfium's functions called
through ``c_void_p`` handles in ``layout.read_page`` against pypdfium2's own typed bindings, and ``textlayer.score``
counted token by token against counting the page's characters and words."""

from __future__ import annotations

import ctypes
import math
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from extractor.formats.pdf import layout, textlayer
from extractor.formats.pdf.layout import read_page

ROOT = Path(__file__).resolve().parent.parent


def _pdfs(shared: Path) -> list[Path]:
    paths = sorted((shared / "pdf").glob("*.pdf")) + sorted((shared / "real").glob("*.pdf"))
    return paths + sorted((ROOT / "corpus" / "reports").glob("*.pdf"))


def _pages(shared: Path) -> Iterator[tuple[str, int, pdfium.PdfPage, pdfium.PdfTextPage]]:
    """(file name, page index, page, text page) of every page of ``_pdfs``, each closed once the caller is done."""
    for path in _pdfs(shared):
        pdf = pdfium.PdfDocument(path)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                try:
                    yield path.name, i, page, textpage
                finally:
                    textpage.close()
                    page.close()
        finally:
            pdf.close()


def _typed_runs(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[tuple]:
    """(text, box, baseline, size, font name, weight) of the page-level text objects, with pypdfium2's bindings."""
    out = []
    buf = (ctypes.c_ushort * 8193)()
    box = [ctypes.c_float() for _ in range(4)]
    matrix, size = pdfium_c.FS_MATRIX(), ctypes.c_float()
    name = ctypes.create_string_buffer(256)
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        n = pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, buf, 16384)
        text = bytes(memoryview(buf).cast("B")[: max(n - 2, 0)]).decode("utf-16-le", "replace")
        if not text or text.isspace() or not pdfium_c.FPDFPageObj_GetBounds(obj, *map(ctypes.byref, box)):
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
        pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        pdfium_c.FPDFFont_GetBaseFontName(font, name, 256)
        out.append((text, tuple(v.value for v in box), matrix.f, size.value * (math.hypot(matrix.c, matrix.d) or 1.0),
                    name.value, pdfium_c.FPDFFont_GetWeight(font)))
    return out


def _style(name: bytes, weight: int) -> tuple[bool, bool]:
    plain = name.decode("latin-1", "replace").split("+", 1)[-1].lower()
    bold = any(w in plain for w in ("bold", "black", "heavy", "semibold", "demi")) or weight >= 600
    return bold, "italic" in plain or "oblique" in plain


def _page_has_forms(page: pdfium.PdfPage) -> bool:
    kinds = {pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i))
             for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))}
    return pdfium_c.FPDF_PAGEOBJ_FORM in kinds


def test_plain_bindings_keep_every_non_pointer_type():
    pairs = [(layout._get_text, pdfium_c.FPDFTextObj_GetText),
             (layout._get_form_object, pdfium_c.FPDFFormObj_GetObject),
             (layout._get_font_name, pdfium_c.FPDFFont_GetBaseFontName),
             (layout._get_bounds, pdfium_c.FPDFPageObj_GetBounds)]
    for plain, typed in pairs:
        for mine, theirs in zip([plain.restype, *plain.argtypes], [typed.restype, *typed.argtypes], strict=True):
            assert mine is (ctypes.c_void_p if issubclass(theirs, ctypes._Pointer) else theirs)


def test_read_page_matches_pypdfium2_typed_bindings(shared_corpus):
    checked = 0
    for name, i, page, textpage in _pages(shared_corpus):
        if _page_has_forms(page):
            continue  # the reference above reads page-level objects only
        runs = read_page(page, textpage, i + 1).runs
        typed = _typed_runs(page, textpage)
        assert [r.text for r in runs] == [t[0] for t in typed], (name, i)
        assert [(r.x0, r.y0, r.x1, r.y1) for r in runs] == [t[1] for t in typed]
        assert [(r.base, r.size) for r in runs] == [(t[2], t[3]) for t in typed]
        assert [(r.bold, r.italic) for r in runs] == [_style(t[4], t[5]) for t in typed]
        checked += len(runs)
    assert checked > 3000


def _reference_score(text: str) -> textlayer.Score:
    """``score`` as it was: a Counter of the page's characters, one of its words."""
    allowed = textlayer._rules().allowed
    text = unicodedata.normalize("NFC", text)
    chars = alien = 0
    for ch, n in Counter(text).items():
        if ch.isspace() or ch in textlayer._NEUTRAL:
            continue
        chars += n
        if not ch.isascii() and ch not in allowed and unicodedata.category(ch) != "Mn":
            alien += n
    words = good = 0
    for w, n in Counter(textlayer._WORD.findall(text)).items():
        if w.isascii() and (w.isupper() or len(w) == 1):
            continue
        words += n
        if textlayer._is_syllable(w):
            good += n
    return textlayer.Score(words=words, syllables=good / words if words else 1.0,
                           alien=alien / chars if chars else 0.0, chars=chars)


ODD = [
    "",
    "   \n\t ",
    "a\u00a0b\u00adc\ufeffd\ufffee\uffff",  # neutral characters inside and between words
    "Nga\u0303 Ba\u0309y \u0301 \u0303x",  # decomposed tones, a combining mark after a blank
    "7ӌ1+ L¿O CAI ĈÂU ҺӨI ƣu ƢU",  # a broken text layer
    "x" * 200 + "ệ" * 60 + " " + "quyết" * 30,  # tokens longer than the cached ones
    "UBND VLNCN a b c Hà\u2003Nội\u3000ngày\u2028tháng",  # acronyms, single letters, other Unicode blanks
]


def test_score_by_tokens_matches_counting_characters_and_words(shared_corpus):
    texts = list(ODD)
    for _, i, page, textpage in _pages(shared_corpus):
        texts.append(textpage.get_text_range())
        texts.append(" ".join(r.text for r in read_page(page, textpage, i + 1).runs))
    assert len(texts) > 100
    for text in texts:
        assert textlayer.score(text) == _reference_score(text), text[:60]


@pytest.mark.parametrize(("text", "fault"), [("Trường ƣu tiên", "u-horn-as-oi"), ("không có", None),
                                            ("ƢU TIÊN", "u-horn-as-oi"), ("hướng dẫn như sau", None)])
def test_repair_map_finds_the_tell_tale_characters(text, fault):
    got = textlayer.repair_map(text)
    assert (got[0] if got else None) == fault
