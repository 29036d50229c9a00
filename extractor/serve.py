"""``docmine serve``: Datasette on the database with docmine's audit pack.

The pack is package data (``extractor/data/audit_pack.yaml``: per-table facets and label columns, the
``documents_overview`` view, canned queries and their charts); every title and description (site, tables, columns,
views, canned queries) comes from ``rules/strings.yaml`` through ``extractor/messages.py``, in the chosen language
with the other beside it. The pages themselves are shaped by docmine's Datasette plugin
(``extractor/datasette_plugin.py``: report names on links, dates, numbers, lists, folded texts, 400 for a bad sort)
and templates (``extractor/templates/``). Before serving, the derived tables (``localities``, ``indicators``) and
the pack's views are brought up to date (``extractor/store/derive.py``; ingest already does it); then Datasette
opens the file read-only (``mode=ro``: no write through the SQL endpoint or canned queries), on 127.0.0.1 unless
told otherwise, with a SQL time limit. Not immutable: an immutable file is read without locks and without its WAL,
so while ``docmine ingest`` writes, Datasette read pages mid-change ("database disk image is malformed") and never
saw the new rows; a read-only connection reads the WAL and sees each committed document.
"""

from __future__ import annotations

import html
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from . import datasette_plugin
from .messages import lang, strings, table_descriptions
from .resources import PACKAGE
from .store.derive import refresh_derived
from .store.queries import PACK, audit_pack

TEMPLATES = PACKAGE / "templates"  # docmine's Datasette templates: row pages titled by the report, folded columns
# the plugins folder Datasette loads holds one line: docmine's plugin is the module extractor/datasette_plugin.py
PLUGIN_SHIM = "from extractor.datasette_plugin import *  # noqa: F403  (docmine serve's Datasette plugin)\n"
SQL_TIME_LIMIT_MS = 5000
SETTINGS = {"sql_time_limit_ms": SQL_TIME_LIMIT_MS, "default_page_size": 50, "facet_time_limit_ms": 500}


def pack() -> dict[str, Any]:
    """The audit pack as shipped (``extractor/data/audit_pack.yaml``, read by ``store.queries.audit_pack``)."""
    return audit_pack()


def chart_fragment(chart: dict[str, Any]) -> str:
    """The URL fragment that opens a datasette-vega chart: ``#g.mark=bar&g.x_column=key&…``."""
    state = {"mark": chart["mark"], "x_column": chart["x"], "x_type": chart.get("x_type", "ordinal"),
             "y_column": chart["y"], "y_type": chart.get("y_type", "quantitative")}
    if chart.get("color"):
        state["color_column"] = chart["color"]
    return "#" + urlencode({f"g.{k}": v for k, v in state.items()})


def _both(entry: dict[str, str], lang_: str) -> str:
    """HTML: the text in ``lang_`` and, beside it (muted), the other language."""
    other = "en" if lang_ == "vi" else "vi"
    return (f"<p>{html.escape(entry[lang_])}</p>"
            f'<p class="docmine-other-lang" lang="{other}">{html.escape(entry[other])}</p>')


def metadata(db_path: str | Path, lang_: str | None = None) -> dict[str, Any]:
    """Datasette metadata for the database at ``db_path``: every title and description from ``rules/strings.yaml``
    (``lang_``, default the current language, first; the other beside it), facets, labels and canned queries
    from the audit pack."""
    lang_ = lang_ or lang()
    name = Path(db_path).stem
    # the name goes into HTML Datasette does not escape (description_html): as a URL path segment (Datasette's
    # tilde encoding), then HTML-escaped; a file named '<script>….db' shows as text and links to its database
    url_name = html.escape(_tilde_encode(name), quote=True)
    p, words = pack(), strings()
    tables = table_descriptions(lang_)
    for view, entry in words["views"].items():
        tables[view] = {"description": entry["description"][lang_],
                        "columns": {c: text[lang_] for c, text in entry["columns"].items()}}
    for table, title in words["table_titles"].items():
        if table in tables:
            tables[table]["title"] = f"{title[lang_]} · {table}"
    for table, settings in p["tables"].items():
        tables.setdefault(table, {}).update(settings)
    queries = {}
    for qname, q in p["queries"].items():
        text = words["queries"][qname]
        query = {"title": text["title"][lang_], "sql": q["sql"], "hide_sql": True,
                 "description_html": _both(text["description"], lang_)}
        if q.get("chart"):
            link = f"/{url_name}/{qname}{chart_fragment(q['chart'])}"
            show = html.escape(words["site"]["show_chart"][lang_])
            query["description_html"] += f'<p><a href="{link}">{show}</a></p>'
        queries[qname] = query
    site = words["site"]
    return {
        "title": site["title"][lang_],
        "description_html": site["description_html"][lang_].replace("{db}", url_name),
        "license": site["license"][lang_],
        "source": p["source"],
        "source_url": p["source_url"],
        "databases": {name: {"tables": tables, "queries": queries}},
    }


def create_views(db_path: str | Path) -> None:
    """(Re)create the audit pack's views (``documents_overview``) in the database, in one transaction."""
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        with conn:
            for view, sql in pack()["views"].items():
                conn.execute(f"DROP VIEW IF EXISTS [{view}]")
                conn.execute(f"CREATE VIEW [{view}] AS {sql}")
    finally:
        conn.close()


def prepare(db_path: str | Path) -> None:
    """Bring the derived tables and the views up to date; a read-only file is served as it is."""
    try:
        refresh_derived(db_path)
        create_views(db_path)
    except sqlite3.OperationalError as err:  # a read-only file: serve what is there
        print(f"docmine: derived tables not rebuilt ({err}); serving the database as it is", file=sys.stderr)


def app(db_path: str | Path, lang_: str | None = None):
    """The Datasette application ``docmine serve`` runs, in this process (tests, ``docs/screenshot.py``): same
    metadata, settings, templates and plugin; read-only like the served one."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="docmine")
    return Datasette([str(db_path)], metadata=metadata(db_path, lang_), settings=SETTINGS,
                     template_dir=str(TEMPLATES))


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
        "--template-dir", str(TEMPLATES),
        *[arg for key, value in SETTINGS.items() for arg in ("--setting", key, str(value))],
    ]


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Rebuild the derived tables, then run Datasette until interrupted; returns its exit code."""
    prepare(db_path)
    with tempfile.TemporaryDirectory(prefix="docmine-serve-") as tmp:
        meta_path = Path(tmp) / "metadata.json"
        meta_path.write_text(json.dumps(metadata(db_path), ensure_ascii=False, indent=1), encoding="utf-8")
        plugins = Path(tmp) / "plugins"
        plugins.mkdir()
        (plugins / "docmine_plugin.py").write_text(PLUGIN_SHIM, encoding="utf-8")
        # its output in UTF-8 whatever the locale (an error traceback printed in ASCII failed, and the page with it);
        # this very extractor package first on its path, and the language chosen here
        path = os.pathsep.join([str(PACKAGE.parent), *filter(None, [os.environ.get("PYTHONPATH")])])
        env = {**os.environ, "PYTHONIOENCODING": "utf-8:backslashreplace", "PYTHONPATH": path, "DOCMINE_LANG": lang()}
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


__all__ = ["PACK", "app", "chart_fragment", "command", "create_views", "metadata", "pack", "prepare", "serve"]
