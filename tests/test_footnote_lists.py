"""Footnote lists: documents each footnote lists vs the count its anchor sentence claims (domain.md §6, §8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.extract.citations import extract_citations
from extractor.extract.footnote_lists import footnote_counts
from extractor.model import Block, Document, Footnote, FootnoteCount, Marker
from extractor.prepare.normalise import normalise_document
from extractor.prepare.segment import segment


def _as_tuples(counts: dict[str, FootnoteCount]) -> dict[str, tuple[int | None, int | None, str | None]]:
    """marker → (listed_count, claimed_count, claimed_noun)."""
    return {m: (c.listed_count, c.claimed_count, c.claimed_noun) for m, c in counts.items()}


def test_two_claims_in_one_sentence() -> None:
    # Bình Sơn, Công an huyện: "+ Ban hành 05 kế hoạch³, 30 công văn⁴ về việc triển khai …"
    text = "+ Ban hành 05 kế hoạch, 30 công văn về việc triển khai thực hiện công tác thu nhận CCCD;"
    doc = Document(
        format="docx",
        blocks=[Block(text, markers=[Marker(text.index(","), "3"), Marker(text.index(" về việc"), "4")])],
        footnotes=[
            Footnote("3", "Kế hoạch số 418/KH-CAH(QLHC), ngày 20/02/2023 về thu thập hồ sơ; Kế hoạch số "
                     "738/KH-CAH(QLHC), ngày 21/3/2023 về triển khai thực hiện Quyết định số 06/QĐ-TTg ngày "
                     "06/01/2022 của Thủ tướng Chính phủ"),
            Footnote("4", "Công văn số 03/CAH-QLHC, ngày 03/01/2023 về việc triển khai theo Luật Cư trú năm 2020."),
        ],
    )
    normalise_document(doc)
    segment(doc)
    counts = footnote_counts(doc, extract_citations(doc))
    assert _as_tuples(counts) == {"3": (2, 5, "kế hoạch"), "4": (1, 30, "công văn")}
    assert counts["3"].mismatch and counts["4"].mismatch  # claims 5 and lists 2; claims 30 and lists 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "binh-son-6-thang-2023",
            {
                "1": (13, 13, "văn bản"),
                "2": (1, None, None),
                "3": (5, 5, "kế hoạch"),
                "4": (21, 30, "công văn"),  # the report claims 30 but lists 21
                "5": (1, None, None),
                "6": (1, None, None),
            },
        ),
        (
            "nga-bay-2022",
            {"1": (23, None, None), "2": (4, None, None), "3": (2, 2, "công văn"), "4": (8, 8, "công văn")},
        ),
    ],
)
def test_real_footnotes(shared_corpus: Path, name: str, expected: dict) -> None:
    from extractor.pipeline import read

    doc = read(shared_corpus / "docx" / f"{name}.docx")
    assert _as_tuples(footnote_counts(doc, extract_citations(doc))) == expected


def test_counts_of_other_things_are_not_claims(shared_corpus: Path) -> None:
    # Tuyên Quang footnote 3: "Hoàn thành 100% đối với 07 nhóm chỉ tiêu Bộ Công an giao.³" lists 7 groups of targets,
    # not documents; footnote 4 names two documents in a narrative, not as a list.
    from extractor.pipeline import read

    doc = read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    counts = footnote_counts(doc, extract_citations(doc))
    assert _as_tuples(counts)["3"] == (0, None, None)
    assert _as_tuples(counts)["4"] == (0, None, None)
