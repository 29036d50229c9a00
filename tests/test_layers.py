"""The package's layers stay one-way: import-linter checks the contracts of pyproject.toml ([tool.importlinter])
on this checkout's ``extractor`` (stage order, the store's own order, no database code below the store, no import
circle between sibling modules)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = [
    "Stages import only earlier stages",
    "The store's modules, one way: derived tables over writes over rows over schema",
    "The pipeline and the stages below the store hold no database code",
    "No import circle between sibling modules",
    "The per-file job (what every worker imports) holds no database code",
]


def lint_imports() -> subprocess.CompletedProcess:
    """lint-imports run on this checkout (``-c`` puts the working directory, the checkout, first on sys.path)."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_every_import_contract_is_kept():
    run = lint_imports()
    assert run.returncode == 0, run.stdout + run.stderr
    for name in CONTRACTS:  # each contract was checked (a renamed or dropped contract fails here)
        assert f"{name} KEPT" in run.stdout, run.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in run.stdout
    # no circle left to ignore (the executors -> ingest -> worker circle went with run/job.py)
    assert "No import circle between sibling modules KEPT\n" in run.stdout, run.stdout
