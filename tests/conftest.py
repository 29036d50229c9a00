"""Shared fixtures. Tests of the real reports in ../shared/corpus skip when it is not beside the checkout; tests of
the project's own corpus/ always run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OWN_CORPUS = ROOT / "corpus"
SHARED_CORPUS = Path(os.environ.get("DOCMINE_SHARED_CORPUS", ROOT.parent / "shared" / "corpus"))
REPORTS = [
    "binh-son-6-thang-2023",
    "de-cuong-so-ket-lam-dong-2023",
    "nga-bay-2022",
    "son-tra-2024",
    "tuyen-quang-cao-diem-2023",
]


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not (SHARED_CORPUS / "docx").is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def own_corpus() -> Path:
    return OWN_CORPUS
