"""The Python API: extractor.read / read_text / extract without a database; the examples in the docstrings of the
API modules (and of rule builders) run as doctests here (pytest's global configuration is left alone)."""

from __future__ import annotations

import doctest

import pytest

import extractor
from extractor import api
from extractor.extract import citations, indicators, localities, spans
from extractor.prepare import normalise

DOCTESTED = [api, localities, indicators, citations, normalise, spans]


@pytest.mark.parametrize("module", DOCTESTED, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{module.__name__} has no examples"
    assert result.failed == 0


def test_package_api_returns_what_ingest_stores(tmp_path, own_corpus):
    """``extractor.read`` and ``extractor.extract``, called as a user does, give the hand-checked values of the
    bundled report and exactly the records ``docmine ingest`` stores for it (the API and the database agree)."""
    import sqlite3

    import yaml

    from extractor.run.ingest import ingest

    path = own_corpus / "reports" / "huyen-thach-lam-quy-1-2024.docx"
    expected = yaml.safe_load((own_corpus / "expected" / "huyen-thach-lam-quy-1-2024.yaml").read_text("utf-8"))
    doc = extractor.read(path)
    result = extractor.extract(doc)
    assert isinstance(result, extractor.Extracted)
    assert doc.metadata.symbol == expected["metadata"]["symbol"] == "BC-TCTĐA06"
    assert [(f.marker, f.claimed_count, f.listed_count) for f in result.footnotes] == [
        (f["marker"], f["claimed_count"], f["listed_count"]) for f in expected["footnotes"]]
    assert [f.marker for f in result.footnotes if f.mismatch] == ["2"]  # claims 05 công văn, lists 4
    assert len(result.citations) == len(expected["citations"]) == 16
    assert result.locality.locality == "Huyện Thạch Lâm"  # a fictional district: kept as the report names it

    db = tmp_path / "api.db"
    ingest([path], db, jobs=0)
    conn = sqlite3.connect(db)
    try:
        def stored(sql: str) -> list[tuple]:
            return [tuple(r) for r in conn.execute(sql).fetchall()]

        assert stored("select key, text, start, [end], in_footnote from citations order by id") == [
            (c.key, c.text, c.start, c.end, int(c.in_footnote)) for c in result.citations]
        assert stored("select kind, text, start, value, label from figures order by id") == [
            (f.kind, f.text, f.start, f.value, f.label) for f in result.figures]
        assert stored("select marker, claimed_count, claimed_noun, listed_count from footnotes order by id") == [
            (f.marker, f.claimed_count, f.claimed_noun, f.listed_count) for f in result.footnotes]
        assert stored("select kind, message from findings where document_id is not null order by id") == [
            (f.kind, f.message) for f in result.findings]
        assert stored("select locality, province_2025 from localities") == [
            (result.locality.locality, result.locality.province_2025)]
    finally:
        conn.close()
    assert result.findings and result.figures  # the comparisons above compared something


def test_real_report_without_a_database(shared_corpus):
    doc = extractor.read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    assert (doc.metadata.number, doc.metadata.symbol) == ("154", "BC-CAT-QLHC")
    assert len(doc.footnotes) == 9
    result = extractor.extract(doc)
    assert len(result.footnotes) == 9
    assert [f.marker for f in result.footnotes] == [fn.marker for fn in doc.footnotes]
    # "53.852 trường hợp/53.883 chỉ tiêu Bộ Công an giao, đạt 99.94%"
    ratio = next(f for f in result.figures if f.text.startswith("53.852 trường hợp/53.883"))
    assert (ratio.numerator, ratio.denominator) == (53852, 53883)
    assert result.locality.province == "Tỉnh Tuyên Quang"
    assert any(c.key == "199/KH-UBND" for c in result.citations)  # "Kế hoạch số 199/KH-UBND ngày 20/10/2022"


def test_bad_input_raises_a_docmine_error(tmp_path):
    from extractor.errors import DocmineError

    bad = tmp_path / "image.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(DocmineError):
        extractor.read(bad)
