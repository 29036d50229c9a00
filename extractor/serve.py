"""``docmine serve``: Datasette on the database with docmine's audit pack.

The pack is package data (``extractor/data/audit_pack.yaml``: title, per-table facets and label columns, canned
queries with plain-language titles and their charts) merged with the table and column descriptions of
``extractor/store/schema.py``. Before serving, the derived tables (``localities``, ``indicators``) are brought up to
date (``extractor/store/derive.py``; ingest already does it); then Datasette opens the file read-only (``mode=ro``:
no write through the SQL endpoint or canned queries), on 127.0.0.1 unless told otherwise, with a SQL time limit.
Not immutable: an immutable file is read without locks and without its WAL, so while ``docmine ingest`` writes,
Datasette read pages mid-change ("database disk image is malformed") and never saw the new rows; a read-only
connection reads the WAL and sees each committed document.
"""

from __future__ import annotations

import functools
import html
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

from .resources import PACKAGE
from .store.derive import refresh_derived
from .store.schema import datasette_tables

PACK = PACKAGE / "data" / "audit_pack.yaml"
PLUGIN = PACKAGE / "data" / "datasette_docmine.py"  # Datasette plugin: per-query memory bounds, error pages
SQL_TIME_LIMIT_MS = 5000


@functools.cache
def pack() -> dict[str, Any]:
    """The audit pack as shipped (``extractor/data/audit_pack.yaml``)."""
    return yaml.safe_load(PACK.read_text(encoding="utf-8"))


def chart_fragment(chart: dict[str, Any]) -> str:
    """The URL fragment that opens a datasette-vega chart: ``#g.mark=bar&g.x_column=key&…``."""
    state = {"mark": chart["mark"], "x_column": chart["x"], "x_type": chart.get("x_type", "ordinal"),
             "y_column": chart["y"], "y_type": chart.get("y_type", "quantitative")}
    if chart.get("color"):
        state["color_column"] = chart["color"]
    return "#" + urlencode({f"g.{k}": v for k, v in state.items()})


def metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette metadata for the database at ``db_path``: descriptions, facets, labels and canned queries."""
    name = Path(db_path).stem
    # the name goes into HTML Datasette does not escape (description_html): as a URL path segment (Datasette's
    # tilde encoding), then HTML-escaped; a file named '<script>….db' shows as text and links to its database
    url_name = html.escape(_tilde_encode(name), quote=True)
    p = pack()
    tables = datasette_tables()
    for table, settings in p["tables"].items():
        tables.setdefault(table, {}).update(settings)
    queries = {}
    for qname, q in p["queries"].items():
        query = {"title": q["title"], "description": q["description"], "sql": q["sql"]}
        if q.get("chart"):
            link = f"/{url_name}/{qname}{chart_fragment(q['chart'])}"
            query["description_html"] = f"{q['description']} <a href=\"{link}\">Show the chart</a>."
            del query["description"]
        queries[qname] = query
    return {
        "title": p["title"],
        "description_html": p["description_html"].replace("{db}", url_name),
        "license": p["license"],
        "source": p["source"],
        "source_url": p["source_url"],
        "databases": {name: {"tables": tables, "queries": queries}},
    }


def _tilde_encode(name: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(name)


def command(db_path: str | Path, host: str, port: int, metadata_path: str | Path,
            plugins_dir: str | Path | None = None) -> list[str]:
    """The Datasette command line; ``plugins_dir`` holds docmine's plugin (query limits, error pages)."""
    return [
        sys.executable, "-m", "datasette", "serve", str(db_path),  # mutable, read through mode=ro (not -i)
        "--host", host, "--port", str(port),
        "--metadata", str(metadata_path),
        *(["--plugins-dir", str(plugins_dir)] if plugins_dir else []),
        "--setting", "sql_time_limit_ms", str(SQL_TIME_LIMIT_MS),
        "--setting", "default_page_size", "50",
        "--setting", "facet_time_limit_ms", "500",
    ]


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Rebuild the derived tables, then run Datasette until interrupted; returns its exit code."""
    try:
        refresh_derived(db_path)
    except sqlite3.OperationalError as err:  # a read-only file: serve what is there
        print(f"docmine: derived tables not rebuilt ({err}); serving the database as it is", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="docmine-serve-") as tmp:
        meta_path = Path(tmp) / "metadata.json"
        meta_path.write_text(json.dumps(metadata(db_path), ensure_ascii=False, indent=1), encoding="utf-8")
        plugins = Path(tmp) / "plugins"
        plugins.mkdir()
        shutil.copy(PLUGIN, plugins / PLUGIN.name)
        # its output in UTF-8 whatever the locale (an error traceback printed in ASCII failed, and the page with it)
        env = {**os.environ, "PYTHONIOENCODING": "utf-8:backslashreplace"}
        proc = subprocess.Popen(command(db_path, host, port, meta_path, plugins), env=env,
                                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        previous = _on_sigterm(lambda *_: proc.terminate())  # `kill <docmine serve>` stops Datasette too
        try:
            return proc.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            _on_sigterm(previous)


def _on_sigterm(handler: Any) -> Any:
    """Install a SIGTERM handler (main thread only); returns the previous one."""
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        return None if handler is None else signal.getsignal(signal.SIGTERM)


def _die_with_parent() -> None:
    """In the Datasette child (Linux): receive SIGTERM if docmine serve dies, even by SIGKILL (PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


__all__ = ["chart_fragment", "command", "metadata", "pack", "serve"]
