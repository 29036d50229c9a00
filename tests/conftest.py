"""Shared fixtures. Tests of the real reports in ../shared/corpus skip when it is not beside the checkout; tests of
the project's own corpus/ always run."""

from __future__ import annotations

import os
import sqlite3
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


def stored_documents(db_path: Path) -> int:
    """How many documents rows a database holds, read-only; 0 while it does not exist or is being created (a test
    polling a database another process writes)."""
    if not db_path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("select count(*) from documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def load_script(path: Path):
    """A script outside the package (bench/, corpus/) imported as a module under its file name."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module
