"""Word 97-2003 .doc files through LibreOffice: same text and footnotes as the DOCX of the same report."""

from __future__ import annotations

import difflib

import pytest

from extractor.errors import MissingTool
from extractor.formats import doc as doc_format
from extractor.formats import sniff
from extractor.pipeline import read

needs_soffice = pytest.mark.skipif(doc_format.find_soffice() is None, reason="LibreOffice not installed")


def _word_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


@needs_soffice
def test_binh_son_doc_matches_docx_with_footnotes(shared_corpus) -> None:
    path = shared_corpus / "legacy" / "binh-son-6-thang-2023.doc"
    assert sniff(path.read_bytes()) == "doc"
    legacy = read(path)
    modern = read(shared_corpus / "docx" / "binh-son-6-thang-2023.docx")
    assert legacy.format == "doc"
    assert _word_ratio(legacy.text, modern.text) >= 0.99
    assert [f.marker for f in legacy.footnotes] == ["1", "2", "3", "4", "5", "6"]
    for old, new in zip(legacy.footnotes, modern.footnotes, strict=True):
        assert _word_ratio(old.text, new.text) >= 0.99
        assert old.position == new.position
    assert "Công văn số 2815/TCTĐA06, ngày 06/6/2023" in legacy.text


@needs_soffice
def test_son_tra_doc_matches_docx(shared_corpus) -> None:
    legacy = read(shared_corpus / "legacy" / "son-tra-2024.doc")
    modern = read(shared_corpus / "docx" / "son-tra-2024.docx")
    assert _word_ratio(legacy.text, modern.text) >= 0.99
    assert legacy.footnotes == []
    assert "TỔ CÔNG TÁC ĐỀ ÁN 06/CP" in legacy.text


def test_missing_libreoffice_is_a_clear_error(shared_corpus, monkeypatch) -> None:
    monkeypatch.setenv("DOCMINE_SOFFICE", "/nonexistent/soffice")
    data = (shared_corpus / "legacy" / "son-tra-2024.doc").read_bytes()
    with pytest.raises(MissingTool, match="libreoffice-writer"):
        doc_format.parse(data, "son-tra-2024.doc")
