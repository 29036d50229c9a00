"""The project's own sample reports (corpus/reports/, fictional, CC0) read back as their hand-checked expected
results say (corpus/expected/*.yaml; layout in corpus/README.md). Runs without ../shared.

Each report exists as DOCX, PDF (exported from the DOCX by LibreOffice) and a ``<sup>N</sup>`` markdown export; all
three must give the same metadata and footnotes. The expected files are also checked against the reports
themselves (every planted citation, ratio and figure is where the file says), so the gold stays trustworthy for the
evaluations that read it.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from extractor.model import Document
from extractor.pipeline import read

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EXPECTED = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "expected").glob("*.yaml"))}
NAMES = sorted(EXPECTED)
FORMATS = ["docx", "pdf", "md"]
PDF_WORD_SIMILARITY = 0.98

def fold(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def unbullet(text: str) -> str:
    return re.sub(r"^[-+•]\s*", "", fold(text))


def word_similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a).split(), fold(b).split(), autojunk=False).ratio()


@functools.cache
def _read(name: str, fmt: str) -> Document:
    return read(CORPUS / "reports" / f"{name}.{fmt}")


def report(name: str, fmt: str) -> Document:
    return _read(name, fmt)


def _footnote_params() -> list:
    params = []
    for name in NAMES:
        for fmt in FORMATS:
            for fn in EXPECTED[name]["footnotes"]:
                params.append(pytest.param(name, fmt, fn["marker"], id=f"{name}.{fmt}-{fn['marker']}"))
    return params


# ---------------------------------------------------------------------------------------------------------------
# The files


def test_corpus_has_three_levels_of_report():
    assert len(NAMES) >= 3
    assert {"commune", "district", "province (police)"} <= {EXPECTED[n]["level"] for n in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_every_format_and_source_is_present(name):
    for fmt in FORMATS:
        assert (CORPUS / "reports" / f"{name}.{fmt}").stat().st_size > 1000
    assert (CORPUS / "sources" / f"{name}.yaml").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_docx_holds_real_word_footnotes(name):
    with zipfile.ZipFile(CORPUS / "reports" / f"{name}.docx") as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        notes = zf.read("word/footnotes.xml").decode("utf-8")
        rels = zf.read("word/_rels/document.xml.rels").decode("utf-8")
    refs = re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body)
    ids = [i for i in re.findall(r'<w:footnote(?: w:type="\w+")? w:id="(-?\d+)"', notes) if int(i) > 0]
    assert refs == ids == [fn["marker"] for fn in EXPECTED[name]["footnotes"]]
    assert "relationships/footnotes" in rels and 'Target="footnotes.xml"' in rels


def test_corpus_has_a_multi_paragraph_footnote():
    with zipfile.ZipFile(CORPUS / "reports" / "huyen-thach-lam-quy-1-2024.docx") as zf:
        notes = zf.read("word/footnotes.xml").decode("utf-8")
    note2 = re.search(r'<w:footnote w:id="2">(.*?)</w:footnote>', notes).group(1)
    assert note2.count("<w:p>") == 4


@functools.cache
def _pdf_pages(name: str) -> tuple[list[str], frozenset[str]]:
    """The text of each page of a report's PDF (pdfplumber, independent of docmine) and its font families."""
    import pdfplumber

    with pdfplumber.open(CORPUS / "reports" / f"{name}.pdf") as pdf:
        texts = [fold(p.extract_text()) for p in pdf.pages]
        fonts = frozenset(c["fontname"].split("+")[-1].split("-")[0] for p in pdf.pages for c in p.chars)
    return texts, fonts


@pytest.mark.parametrize("name", NAMES)
def test_page_counts(name):
    # a PDF knows its pages; a DOCX does not (docProps/app.xml holds whatever the last editor wrote), so NULL
    assert _read(name, "pdf").pages == len(_pdf_pages(name)[0]) == 3
    assert _read(name, "docx").pages is None


def test_long_footnote_runs_over_a_page_break_in_the_pdf():
    pages, _ = _pdf_pages("cong-an-tinh-an-khang-2023")
    start = next(i for i, t in enumerate(pages) if "Chỉ thị số 15-CT/TU ngày 20/02/2023" in t)
    end = next(i for i, t in enumerate(pages) if "hoàn thiện dữ liệu về đất đai kết nối" in t)
    assert (start, end) == (0, 1)
    assert "14 văn bản" in pages[0]  # the marker sits on the page where the note starts


@pytest.mark.parametrize("name", NAMES)
def test_pdf_text_uses_one_font_family(name):
    """Every Vietnamese letter was set in Liberation Serif: no fallback font split the words (LibreOffice needs
    fonts-liberation2, which has the Vietnamese glyphs)."""
    assert _pdf_pages(name)[1] == {"LiberationSerif"}


# ---------------------------------------------------------------------------------------------------------------
# Reading the reports


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_metadata(name, fmt):
    meta = report(name, fmt).metadata
    expected = EXPECTED[name]["metadata"]
    got = {key: getattr(meta, key) for key in expected}
    assert got == expected


@pytest.mark.parametrize(("name", "fmt", "marker"), _footnote_params())
def test_footnote_body_and_anchor(name, fmt, marker):
    doc = report(name, fmt)
    assert [fn.marker for fn in doc.footnotes] == [fn["marker"] for fn in EXPECTED[name]["footnotes"]]
    expected = next(fn for fn in EXPECTED[name]["footnotes"] if fn["marker"] == marker)
    got = doc.footnote(marker)
    if fmt == "pdf":
        assert word_similarity(got.text, expected["body"]) >= PDF_WORD_SIMILARITY
        assert got.page == expected["pdf_page"]
    else:
        assert fold(got.text) == expected["body"]
    assert unbullet(got.anchor_text) == unbullet(expected["anchor"])


# ---------------------------------------------------------------------------------------------------------------
# The expected files agree with the reports they describe (read from the DOCX)


def _haystack(doc: Document, marker: str | None) -> str:
    return doc.text if marker is None else doc.footnote(marker).text


@pytest.mark.parametrize("name", NAMES)
def test_expected_citations_are_in_the_report(name):
    doc = _read(name, "docx")
    wanted: dict[tuple[str, str | None], int] = {}
    for c in EXPECTED[name]["citations"]:
        assert c["in_footnote"] == (c["marker"] is not None)
        wanted[(c["text"], c["marker"])] = wanted.get((c["text"], c["marker"]), 0) + 1
    for (text, marker), count in wanted.items():
        assert _haystack(doc, marker).count(text) >= count, (text, marker)


@pytest.mark.parametrize("name", NAMES)
def test_expected_footnote_counts_match_the_listed_citations(name):
    exp = EXPECTED[name]
    doc = _read(name, "docx")
    for fn in exp["footnotes"]:
        items = [c for c in exp["citations"] if c["marker"] == fn["marker"] and c.get("list_item")]
        assert len(items) == fn["listed_count"], fn["marker"]
        if fn["claimed_count"] is not None:
            claim = f"{fn['claimed_count']:02d} {fn['claimed_noun']}"
            assert claim in fn["anchor"] and claim in doc.footnote(fn["marker"]).anchor_text


@pytest.mark.parametrize("name", NAMES)
def test_expected_ratios_and_figures_are_in_the_report_and_correctly_judged(name):
    doc = _read(name, "docx")
    for r in EXPECTED[name]["ratios"]:
        assert r["text"] in doc.text
        decimals = len(str(r["stated_percent"]).split(".")[1]) if "." in str(r["stated_percent"]) else 0
        actual = round(100 * r["numerator"] / r["denominator"], decimals)
        assert (actual == r["stated_percent"]) == r["consistent"], r["text"]
    for f in EXPECTED[name]["figures"]:
        assert f["text"] in doc.text
    for t in EXPECTED[name]["totals"]:
        assert (sum(t["parts"]) == t["total"]) == t["adds_up"]
        if t["kind"] == "part_whole":
            assert t["text"] in doc.text


@pytest.mark.parametrize("name", NAMES)
def test_table_totals_in_the_expected_file_are_the_report_table(name):
    doc = _read(name, "docx")
    table = next(t for t in doc.tables if not t.is_header and any("Tổng số" in c for r in t.rows for c in r))
    columns = {fold(h): i for i, h in enumerate(table.rows[0])}
    for t in (t for t in EXPECTED[name]["totals"] if t["kind"] == "table"):
        col = columns[t["column"]]
        values = [int(r[col].replace(".", "")) for r in table.rows[1:]]
        assert values == [*t["parts"], t["total"]]


# ---------------------------------------------------------------------------------------------------------------
# The committed reports are what the sources build


def _builder():
    spec = importlib.util.spec_from_file_location("build_corpus", CORPUS / "build_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_sources_rebuild_the_committed_docx_and_markdown(name, tmp_path):
    build = _builder()
    src = yaml.safe_load((CORPUS / "sources" / f"{name}.yaml").read_text(encoding="utf-8"))
    fresh = tmp_path / f"{name}.docx"
    build.build_docx(src, fresh)
    new, old = read(fresh), _read(name, "docx")
    assert new.text == old.text
    assert [(f.marker, f.text) for f in new.footnotes] == [(f.marker, f.text) for f in old.footnotes]
    markdown = build.build_markdown(src, CORPUS / "reports" / f"{name}.pdf")
    assert markdown == (CORPUS / "reports" / f"{name}.md").read_text(encoding="utf-8")


def test_docx_build_is_byte_for_byte_deterministic(tmp_path):
    build = _builder()
    src = yaml.safe_load((CORPUS / "sources" / f"{NAMES[0]}.yaml").read_text(encoding="utf-8"))
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    build.build_docx(src, first)
    build.build_docx(src, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first.read_bytes())) as zf:
        assert {info.date_time for info in zf.infolist()} == {build.ZIP_TIME}
