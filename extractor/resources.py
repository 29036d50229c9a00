"""Where docmine's shipped data lives: ``rules/`` (patterns, lexicons, registries) and ``models/`` (NLP artifacts).

In a checkout (and an editable install, as the README's commands make) both sit at the repository root beside
``extractor/``; a wheel carries them inside the package as ``extractor/_rules`` and ``extractor/_models``
(pyproject.toml maps them there). ``DOCMINE_RULES`` / ``DOCMINE_MODELS`` override both. Loaders read each file once
(``functools.cache``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml

PACKAGE = Path(__file__).resolve().parent  # extractor/ (its data/ holds the package data)
ROOT = PACKAGE.parent


def _shipped(variable: str, in_wheel: Path, in_checkout: Path) -> Path:
    if os.environ.get(variable):
        return Path(os.environ[variable])
    return in_wheel if in_wheel.is_dir() else in_checkout


def rules_dir() -> Path:
    return _shipped("DOCMINE_RULES", PACKAGE / "_rules", ROOT / "rules")


def models_dir() -> Path:
    return _shipped("DOCMINE_MODELS", PACKAGE / "_models", ROOT / "models")


@functools.cache
def load_rules(name: str) -> Any:
    """Parse ``rules/<name>`` (YAML, comments allowed) once per process."""
    path = rules_dir() / name
    if not path.exists():
        raise FileNotFoundError(
            f"docmine rules file missing: {path} (DOCMINE_RULES set to the wrong folder, or an incomplete install?)"
        )
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
