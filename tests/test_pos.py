"""extractor.lang.pos builds underthesea's POS features itself (one pass instead of underthesea's quadratic
``template2features``): the features and the tags must be exactly underthesea's, on the windows figures really tags
in the corpus reports and on the edge cases of the feature template (sentence starts and ends, one- and two-word
windows, words of several syllables, capitals)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.extract import figures
from extractor.lang import pos
from extractor.pipeline import read
from tests.conftest import OWN_CORPUS, REPORTS, SHARED_CORPUS


def _underthesea_features(tokens: list[str]) -> list[list[str]]:
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    transformer = CRFPOSTagPredictor.Instance().transformer
    return transformer.transform([[(t, "X") for t in tokens]])[0][0]


def _underthesea_pos_tag(text: str) -> tuple[tuple[str, str], ...]:
    from underthesea import pos_tag

    return tuple(pos_tag(text))


def _report_files() -> list[Path]:
    files = sorted((OWN_CORPUS / "reports").glob("*.docx")) + sorted((OWN_CORPUS / "real").glob("*.docx"))
    if (SHARED_CORPUS / "docx").is_dir():
        files += [SHARED_CORPUS / "docx" / f"{name}.docx" for name in REPORTS]
    return files


@pytest.fixture(scope="module")
def windows() -> tuple[list[str], int]:
    """Every text figures asks the tagger about while reading the corpus reports (the words after a figure's
    number), and the same window after every other number of their blocks (as ``figures._noun_phrase`` cuts it)."""
    seen: dict[str, None] = {}
    real = figures.pos_tag

    def recording(text: str) -> tuple[tuple[str, str], ...]:
        seen.setdefault(text, None)
        return real(text)

    figures.pos_tag = recording
    try:
        docs = [read(path) for path in _report_files()]
        for doc in docs:
            figures.extract_figures(doc)
    finally:
        figures.pos_tag = real
    asked = len(seen)
    for doc in docs:
        for text in [b.text for b in doc.blocks] + [fn.text for fn in doc.footnotes]:
            for m in figures._NUMBER.finditer(text):
                rest = figures._PHRASE_STOP.split(text[m.end() : m.end() + 60], maxsplit=1)[0].strip()
                if rest and rest[0].isalpha():
                    seen.setdefault(rest, None)
    return list(seen), asked


def test_the_template_is_underthesea_s() -> None:
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    assert tuple(CRFPOSTagPredictor.Instance().transformer.template) == pos.TEMPLATE
    assert pos._model() is not None  # so pos_tag builds the features itself


def test_features_and_tags_of_the_corpus_windows(windows: tuple[list[str], int]) -> None:
    from underthesea import word_tokenize

    windows, asked = windows
    # the own corpus' seven DOCX reports: 205 distinct windows, 44 of them asked by figures; with the five shared
    # reports 462 and 162
    least_windows, least_asked = (462, 162) if (SHARED_CORPUS / "docx").is_dir() else (205, 44)
    assert len(windows) >= least_windows and asked >= least_asked
    pos.pos_tag.cache_clear()
    lengths = set()
    for text in windows:
        tokens = word_tokenize(text)
        lengths.add(min(len(tokens), 4))
        assert pos.features(tokens) == _underthesea_features(tokens), text
        assert pos.pos_tag(text) == _underthesea_pos_tag(text), text
    assert lengths == {1, 2, 3, 4}  # windows of one, two, three and more words


def test_every_sentence_start_and_end_of_a_report() -> None:
    """Prefixes of one to five words and whole lines of a real report: every BOS and EOS position of the template."""
    doc = read(OWN_CORPUS / "reports" / "huyen-thach-lam-quy-1-2024.docx")
    texts: dict[str, None] = {}
    for block in doc.blocks[:40]:
        words = block.text.split()
        for k in range(1, 6):
            texts.setdefault(" ".join(words[:k]), None)
        texts.setdefault(" ".join(words[:30]), None)
    texts.pop("", None)
    assert len(texts) >= 100
    pos.pos_tag.cache_clear()
    for text in texts:
        assert pos.pos_tag(text) == _underthesea_pos_tag(text), text


@pytest.mark.parametrize("tokens", [
    ["hồ sơ"],
    ["Hà Nội", "UBND"],
    ["Căn cước", "công dân", "CCCD"],
    ["10.260", "hồ sơ", "cấp", "CCCD", "và", "25.728", "Hồ Sơ"],
    ["ĐIỆN TỬ", "mức", "2", "đ", "Đ", "ǅ", "1a", "a B", "A b"],
    ["", "A", "A  B", " A", "A "],  # empty parts: underthesea's istitle is False for them
])
def test_features_of_edge_cases(tokens: list[str]) -> None:
    assert pos.features(tokens) == _underthesea_features(tokens)


def test_a_real_label() -> None:
    """The noun phrase after a count of son-tra-2024 ("thu nhận: 10.260 hồ sơ cấp CCCD …")."""
    tags = pos.pos_tag("hồ sơ cấp CCCD")
    assert tags == _underthesea_pos_tag("hồ sơ cấp CCCD")
    assert [w for w, _ in tags] == ["hồ sơ", "cấp", "CCCD"]


@pytest.mark.parametrize("text", ["", " ", "...", "a", "Hồ sơ", "UBND tỉnh Lâm Đồng"])
def test_short_texts(text: str) -> None:
    assert pos.pos_tag(text) == _underthesea_pos_tag(text)
