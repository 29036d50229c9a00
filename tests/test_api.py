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


def test_package_exports():
    assert extractor.read is api.read and extractor.extract is api.extract
    from extractor.pipeline import extract_all  # the pipeline stage the store uses, beside the API function

    assert extract_all is not api.extract
    assert extractor.extract is api.extract


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
