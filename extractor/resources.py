"""Where docmine's shipped data lives: ``rules/`` (patterns, lexicons, registries) and ``models/`` (NLP artifacts).

Both sit at the repository root beside ``extractor/`` (the package is installed editable, as the README says);
``DOCMINE_RULES`` / ``DOCMINE_MODELS`` override them. Loaders read each file once (``functools.cache``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def rules_dir() -> Path:
    return Path(os.environ.get("DOCMINE_RULES", ROOT / "rules"))


def models_dir() -> Path:
    return Path(os.environ.get("DOCMINE_MODELS", ROOT / "models"))


@functools.cache
def load_rules(name: str) -> Any:
    """Parse ``rules/<name>`` (YAML, comments allowed) once per process."""
    path = rules_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"docmine rules file missing: {path} (is the package installed from its repository?)")
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
