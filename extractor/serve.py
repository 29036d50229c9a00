"""``docmine serve``: Datasette on the database with docmine's metadata (descriptions from schema.md, facets, full-text
search on document text and footnotes)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .schema import datasette_tables

FACETS = {
    "documents": ["format", "status", "doc_type", "issuer"],
    "citations": ["doc_type", "issuer", "in_footnote"],
    "findings": ["kind", "severity"],
    "figures": ["kind", "unit"],
}
LABELS = {"documents": "file_name"}


def metadata(db_path: str | Path) -> dict[str, Any]:
    tables = datasette_tables()
    for table, facets in FACETS.items():
        tables[table]["facets"] = facets
    for table, label in LABELS.items():
        tables[table]["label_column"] = label
    tables["documents"]["sort_desc"] = "ingested_at"
    name = Path(db_path).stem
    return {
        "title": "docmine",
        "description": "Vietnamese government progress reports: their metadata, footnotes, cited documents, "
        "figures and audit findings, extracted by docmine.",
        "databases": {name: {"tables": tables}},
    }


def command(db_path: str | Path, host: str, port: int, metadata_path: str | Path) -> list[str]:
    return [
        sys.executable, "-m", "datasette", "serve", "-i", str(db_path),
        "--host", host, "--port", str(port),
        "--metadata", str(metadata_path),
        "--setting", "sql_time_limit_ms", "5000",
        "--setting", "default_page_size", "50",
    ]


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette until interrupted; returns its exit code."""
    with tempfile.TemporaryDirectory(prefix="docmine-serve-") as tmp:
        meta_path = Path(tmp) / "metadata.json"
        meta_path.write_text(json.dumps(metadata(db_path), ensure_ascii=False, indent=1), encoding="utf-8")
        try:
            return subprocess.call(command(db_path, host, port, meta_path))
        except KeyboardInterrupt:
            return 0
