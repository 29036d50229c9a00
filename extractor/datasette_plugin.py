"""docmine's Datasette plugin (``docmine serve`` loads it; ``extractor.serve.app`` registers it in-process): pages a
Vietnamese analyst can read, bounds on what one query may hold in memory, and error pages that do not depend on the
terminal.

- Cells (``render_cell``): a foreign key shows the row it points at by its label (a report by its name, not its
  64-character hash) and links to it; a report's name in a view or canned query links to its document; a document
  id shows as its first 8 characters; a decimal number is rounded (two decimals, Vietnamese separators: 10.260 and
  92,86; the exact value in the tooltip); an ISO date shows as dd/mm/yyyy beside the ISO form; a JSON list shows as
  a list; a long text is folded (its beginning, the rest behind a click) on table and query pages, whole on a row page.
- Row pages are titled by the report (``extra_template_vars`` → ``extractor/templates/row.html``); table pages keep
  their column descriptions folded, with the other language beside them (``extractor/templates/table.html``).
- Errors: an unknown ``_sort``/``_sort_desc`` column is a 400 with the sortable columns listed (Datasette 0.65 made it
  a 500).
- Every SQLite connection Datasette opens gets a cap on one string or blob (``SQLITE_LIMIT_LENGTH``: ``select
  zeroblob(1e9)`` or a ``group_concat`` of everything fails with "string or blob too big" instead of allocating a
  gigabyte), a 16 MB page cache, and the process a hard limit on SQLite's heap (sorts and temporary tables beyond
  it fail with "out of memory" for that query only). With the row limit (max_returned_rows) and the time limit
  (sql_time_limit_ms) set on the command line, one request holds a bounded amount of memory.
- Datasette prints every handled exception with ``rich`` (with locals): with rich 15 and an output that is not
  UTF-8 that print itself failed, and a 404 or 400 became a 500. The print is switched off: 404 and 400 pages are
  rendered as Datasette means them; an unexpected error is still printed, with the plain traceback.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import json
import re
import sqlite3
from typing import Any
from urllib.parse import parse_qsl, urlencode

import datasette.plugins  # noqa: F401  first: it registers Datasette's own hooks (handle_exception whole)
from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.views.base import DatasetteError
from markupsafe import Markup, escape

from .messages import finding_kinds, lang, severity, strings, t, table_descriptions

MAX_VALUE_BYTES = 32 * 1024 * 1024  # one string or blob (a report's text is far less)
CACHE_KB = 16 * 1024  # page cache per connection
HEAP_BYTES = 256 * 1024 * 1024  # all of SQLite's memory in this process
FOLD_AT = 100  # characters of a text shown before the fold on table and query pages
FOLD_MAX = 4000  # characters behind the fold; the rest on the row page
LIST_SEPARATOR = " | "  # how the canned queries join the items of a list (group_concat(x, ' | '))
SHORT_ID = 8  # characters of a sha256 document id shown

importlib.import_module("datasette.handle_exception").rich = None  # after datasette.plugins (see the import)

_view: contextvars.ContextVar[str] = contextvars.ContextVar("docmine_view", default="")
_HASH = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
# columns of a view or canned query that hold a documents.id, and the columns they name
_ID_COLUMNS = ("document_id", "best_document_id", "id")
_NAME_COLUMNS = ("report", "name")
_NO_FOLD = (*_NAME_COLUMNS, "locality", "path", "file_name")  # names are read whole


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute(f"PRAGMA cache_size = -{CACHE_KB}")
    conn.execute(f"PRAGMA hard_heap_limit = {HEAP_BYTES}")
    conn.execute(f"PRAGMA soft_heap_limit = {HEAP_BYTES // 2}")


@hookimpl
def asgi_wrapper(datasette):
    """Remember, for the cells of this request, whether it is a row page (texts whole) or not (texts folded)."""

    def wrap(app):
        async def inner(scope, receive, send):
            parts = (scope.get("path") or "").strip("/").split("/")
            token = _view.set("row" if len(parts) == 3 and parts[0] != "-" else "")
            if scope.get("type") == "http" and len(parts) == 2 and parts[1] == "documents":
                scope = _without_heavy_columns(scope)
            try:
                await app(scope, receive, send)
            finally:
                _view.reset(token)

        return inner

    return wrap


def _without_heavy_columns(scope: dict) -> dict:
    """The documents table page, when it names no columns (``_col``/``_nocol``), leaves out the long ones (the full
    text, the search words: rules/strings.yaml, documents_hidden), so it opens on what an analyst scans."""
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if any(key in ("_col", "_nocol") for key, _ in query):
        return scope
    query += [("_nocol", column) for column in strings()["documents_hidden"]]
    return {**scope, "query_string": urlencode(query).encode("latin-1")}


# ---------------------------------------------------------------------------------------------------------------
# Cells


def fmt_number(value: float, lang_: str | None = None) -> str:
    """A decimal number for a person: integral values with thousands separators, others rounded to two decimals
    (Vietnamese: ``10.260``, ``92,86``; English: ``10,260``, ``92.86``)."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if (lang_ or lang()) == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_date(value: str) -> Markup | None:
    """``2022-01-06`` → ``06/01/2022`` beside the ISO form; a timestamp gets its hh:mm too; None if not a date."""
    m = _DATE.fullmatch(value)
    if m:
        shown = f"{m[3]}/{m[2]}/{m[1]}"
    else:
        m = _DATETIME.fullmatch(value)
        if not m:
            return None
        shown = f"{m[3]}/{m[2]}/{m[1]} {m[4]}:{m[5]}"
    return Markup('<span class="docmine-date">{}</span> <small class="docmine-iso">{}</small>').format(shown, value)


def _plain(value: Any) -> Markup:
    """One value inside a list: a date, a number or escaped text."""
    if isinstance(value, float):
        return Markup(escape(fmt_number(value)))
    if isinstance(value, str):
        return fmt_date(value) or Markup(escape(value))
    if isinstance(value, dict):
        return Markup(", ").join(Markup("{}: {}").format(k, _plain(v)) for k, v in value.items())
    return Markup(escape(json.dumps(value, ensure_ascii=False)))


def json_list(value: str) -> Markup | None:
    """A JSON list (``["2022-04-04", "2023-04-04"]``) as an HTML list; None if the text is not one."""
    if not (value.startswith("[") and value.endswith("]")):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    if not items:
        return Markup('<span class="docmine-empty">{}</span>').format(t("site.empty_list"))
    return Markup('<ul class="docmine-list">{}</ul>').format(
        Markup("").join(Markup("<li>{}</li>").format(_plain(i)) for i in items))


def fold(text: str) -> Markup:
    """A long text folded: its beginning, the rest (up to FOLD_MAX characters) behind a click."""
    cut = text.rfind(" ", 0, FOLD_AT)
    cut = cut if cut > FOLD_AT // 2 else FOLD_AT
    rest = text[cut:FOLD_MAX]
    more = ""
    if len(text) > FOLD_MAX:
        more = Markup(' <em class="docmine-more">{}</em>').format(
            t("site.full_text_on_row", n=fmt_number(float(len(text) - FOLD_MAX))))
    head = text[:cut].rstrip()
    return Markup('<details class="docmine-fold"><summary>{}{}</summary>{}{}</details>').format(
        head, "" if head.endswith("…") else "…", rest, more)


def _link(datasette, database: str, table: str, key: str, label: str) -> Markup:
    href = datasette.urls.table(database, table) + "/" + tilde_encode(str(key))
    return Markup('<a href="{}" title="{}">{}</a>').format(href, key, label)


def _short(key: str) -> str:
    return key[:SHORT_ID] + "…" if _HASH.fullmatch(key) else key


async def _fk_table(datasette, database: str, table: str, column: str) -> str | None:
    db = datasette.get_database(database)
    return next((fk["other_table"] for fk in await db.foreign_keys_for_table(table) if fk["column"] == column), None)


def _row_value(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (IndexError, KeyError, TypeError):
        return None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    async def inner() -> Markup | None:
        if isinstance(value, dict) and "value" in value:  # a foreign key Datasette expanded to its label
            other = await _fk_table(datasette, database, table, column)
            if other is None:
                return None
            key, label = value["value"], value.get("label")
            return _link(datasette, database, other, key, label if label and label != key else _short(str(key)))
        if isinstance(value, float):
            return Markup('<span title="{}">{}</span>').format(repr(value), fmt_number(value))
        if not isinstance(value, str) or not value:
            return None
        is_table = table is not None and not await _is_view(datasette, database, table)
        if not is_table:  # a view or a canned query: a report's name links to its document, its id is short
            if column in _NAME_COLUMNS:
                key = next((k for k in map(lambda c: _row_value(row, c), _ID_COLUMNS)
                            if isinstance(k, str) and _HASH.fullmatch(k)), None)
                if key:
                    return _link(datasette, database, "documents", key, value)
            if column in _ID_COLUMNS and _HASH.fullmatch(value):
                return _link(datasette, database, "documents", value, _short(value))
            if LIST_SEPARATOR in value:  # the canned queries' group_concat(…, ' | '): one item per line
                return Markup('<ul class="docmine-list">{}</ul>').format(
                    Markup("").join(Markup("<li>{}</li>").format(_plain(i)) for i in value.split(LIST_SEPARATOR)))
        elif _HASH.fullmatch(value) and column in ("document_id", "best_document_id", "duplicate_of"):
            return _link(datasette, database, "documents", value, _short(value))  # a key not expanded (no label)
        if column == "severity" and value in strings()["severity"]:  # 'error' → 'lỗi'
            return Markup('<span class="docmine-severity-{0}" title="{0}">{1}</span>').format(value, severity(value))
        if column == "kind" and table == "findings" and value in finding_kinds():
            return Markup('{}<br><small class="docmine-iso">{}</small>').format(finding_kinds()[value][lang()], value)
        shown = fmt_date(value) or json_list(value)
        if shown is not None:
            return shown
        if len(value) > FOLD_AT + 30 and _view.get() != "row" and column not in _NO_FOLD:
            return fold(value)
        return None

    return inner


async def _is_view(datasette, database: str, table: str) -> bool:
    return table in await datasette.get_database(database).view_names()


# ---------------------------------------------------------------------------------------------------------------
# Pages


async def _heavy_note(datasette, database: str, lang_: str) -> Markup:
    """The line saying which columns of the documents table are hidden, with a link showing them all."""
    hidden = strings()["documents_hidden"]
    columns = await datasette.get_database(database).table_columns("documents")
    url = datasette.urls.table(database, "documents") + "?" + urlencode([("_col", c) for c in columns if c != "id"])
    text = strings()["ui"]["heavy_hidden"][lang_]
    return Markup(text.format(columns=escape(", ".join(hidden)), url=escape(url)))


def ui_words(lang_: str | None = None) -> dict[str, str]:
    """Datasette's own words on docmine's copies of its templates (rules/strings.yaml, ``ui``): Vietnamese first
    with the English beside it ("Tìm kiếm: / Search:"), or English only."""
    return _ui_words(lang_ or lang())


@functools.cache
def _ui_words(lang_: str) -> dict[str, str]:
    return {key: text["en"] if lang_ == "en" or text["vi"] == text["en"] else f"{text['vi']} / {text['en']}"
            for key, text in strings()["ui"].items()}


class _UiWords:
    """``docmine_ui`` in every template, error pages too (a Jinja global): ``ui_words`` of the current language."""

    def __getattr__(self, key: str) -> str:
        return ui_words()[key]

    def __getitem__(self, key: str) -> str:
        return ui_words()[key]


def describe(english: str, lang_: str | None = None) -> str:
    """Datasette's description of a table view ("where status = "ok" sorted by issued_date descending") with its
    words in Vietnamese (rules/strings.yaml, ui_describe), the English beside it; English alone with --lang en."""
    if not english or (lang_ or lang()) == "en":
        return english
    words = strings()["ui_describe"]
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # (outside quoted values: the words of a value searched for stay as they are)
    parts = re.split(r'("[^"]*")', english)
    vi = "".join(p if p.startswith('"') else re.sub(rf"\b(?:{pattern})\b", lambda m: words[m[0]], p) for p in parts)
    return f"{vi} / {english}" if vi != english else english


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.globals["docmine_ui"] = _UiWords()
    env.globals["docmine_describe"] = describe


_MENU = {"dropdown-sort-asc": "sort_asc", "dropdown-sort-desc": "sort_desc", "dropdown-facet": "facet_by",
         "dropdown-hide-column": "hide_column", "dropdown-show-all-columns": "show_all_columns",
         "dropdown-not-blank": "not_blank"}  # the links of table.js's column menu, by class


def _menu_words(lang_: str) -> dict[str, str]:
    words = ui_words(lang_)
    return {cls: words[key] for cls, key in _MENU.items()}


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    """For every page: the other language's table and column descriptions; for a row page: its title (the report's
    name, or the row's label and the report it belongs to)."""

    async def inner() -> dict[str, Any]:
        lang_ = lang()
        other = "en" if lang_ == "vi" else "vi"
        out: dict[str, Any] = {"docmine_lang": lang_, "docmine_other_lang": other,
                               "docmine_words": {k: v[lang_] for k, v in strings()["site"].items()},
                               "docmine_ui_menu": _menu_words(lang_)}
        if table:
            described = table_descriptions(other).get(table) or {}
            view = strings()["views"].get(table)
            if view:
                described = {"description": view["description"][other],
                             "columns": {c: v[other] for c, v in view["columns"].items()}}
            out["docmine_other"] = described
            out["docmine_labels"] = strings()["column_labels"].get(table, {}) if lang_ == "vi" else {}
            if table == "documents" and request is not None and "_col" not in request.args:
                out["docmine_heavy_hidden"] = await _heavy_note(datasette, database, lang_)
            title = strings()["table_titles"].get(table)
            out["docmine_table_title"] = title[lang_] if title else table
        if view_name == "row" and table and request is not None:
            out["docmine_row_title"] = await _row_title(datasette, database, table, request)
        return out

    return inner


async def _row_title(datasette, database: str, table: str, request) -> str | None:
    """The row's title: a document or report by its name; another row by its label and its report's name."""
    from datasette.utils import urlsafe_components

    db = datasette.get_database(database)
    pks = await db.primary_keys(table) or ["rowid"]
    values = urlsafe_components(request.url_vars.get("pks", ""))
    if len(values) != len(pks):
        return None
    where = " and ".join(f"[{pk}] = ?" for pk in pks)
    label = await db.label_column_for_table(table)
    cols = await db.table_columns(table)
    row = (await db.execute(f"select * from [{table}] where {where}", values)).first()
    if row is None:
        return None
    own = row[label] if label else None
    report = None
    if "document_id" in cols and row["document_id"]:
        doc = (await db.execute("select name from documents where id = ?", [row["document_id"]])).first()
        report = doc["name"] if doc else None
    if table in ("documents", "reports"):
        return own or None
    title = strings()["table_titles"].get(table, {}).get(lang(), table)
    head = f"{title} {'/'.join(values)}" + (f": {own}" if own else "")
    return head + (f" — {t('site.of_report', report=report)}" if report else "")


@hookimpl
def handle_exception(datasette, request, exception):
    """A table asked to sort by a column it cannot sort by is the asker's mistake: 400, with the sortable columns."""
    if not isinstance(exception, DatasetteError) or exception.status != 500:
        return None
    message = str(exception.message)
    if message == "Cannot use _sort and _sort_desc at the same time":
        exception.status, exception.title, exception.message = 400, t("site.bad_sort_title"), t("site.bad_sort_both")
        return None
    m = re.fullmatch(r"Cannot sort table by (.*)", message, re.S)
    if not m:
        return None

    async def inner() -> None:
        table = (request.url_vars or {}).get("table", "")
        columns: list[str] = []
        try:
            from datasette.utils import tilde_decode

            db = datasette.get_database(route=request.url_vars.get("database"))
            table = tilde_decode(table)
            columns = await db.table_columns(table)
        except (KeyError, AttributeError):
            pass
        exception.status, exception.title = 400, t("site.bad_sort_title")
        exception.message = t("site.bad_sort", table=table, column=m[1], columns=", ".join(columns) or "—")

    return inner()


CSS = """
.docmine-other-lang, .docmine-iso { color: #666; }
.docmine-other-lang { font-size: 0.9em; margin-top: -0.5em; }
.docmine-iso { font-size: 0.8em; white-space: nowrap; }
.docmine-date { white-space: nowrap; }
ul.docmine-list { margin: 0; padding-left: 1.1em; }
ul.docmine-list li { margin: 0; }
.docmine-empty { color: #999; }
form.filters .search-row label { width: auto; white-space: nowrap; padding-right: 0.5em; }
form.filters .select-wrapper:not(.filter-op) { width: 13em; }
table.rows-and-columns td.col-title, table.rows-and-columns td.col-name, table.rows-and-columns td.col-warnings,
table.rows-and-columns td.col-message, table.rows-and-columns td.col-message_en { min-width: 16em; }
table.rows-and-columns td.col-issuer, table.rows-and-columns td.col-period { min-width: 9em; }
table.rows-and-columns td.col-id a { display: inline-block; max-width: 7em; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; vertical-align: bottom; }
.docmine-label { font-weight: normal; font-size: 0.85em; color: #333; }
details.docmine-fold summary { cursor: pointer; list-style-position: inside; }
details.docmine-fold { max-width: 40em; }
details.docmine-columns { margin: 0.5em 0 1em; }
details.docmine-columns summary { cursor: pointer; font-weight: bold; }
dl.docmine-column-descriptions dd span { color: #666; }
table.rows-and-columns td { vertical-align: top; }
td.col-name, td.col-report, td.col-document_id { min-width: 16em; }
td.col-message, td.col-text, td.col-sentence, td.col-footnote { min-width: 14em; }
table.docmine-row th { text-align: left; vertical-align: top; padding-right: 1em; white-space: nowrap; }
table.docmine-row td.col-text, table.docmine-row td.col-search_words { white-space: pre-wrap; max-width: 60em; }
td.docmine-column-description { color: #666; font-size: 0.85em; max-width: 28em; }
.docmine-severity-error { color: #b00020; font-weight: bold; }
"""


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/docmine.css")]


@hookimpl
def register_routes(datasette):
    from datasette.utils.asgi import Response

    async def css(request):
        return Response(CSS, content_type="text/css; charset=utf-8")

    return [(r"^/-/docmine\.css$", css)]


__all__ = ["asgi_wrapper", "describe", "extra_css_urls", "extra_template_vars", "fmt_date", "fmt_number", "fold",
           "handle_exception", "json_list", "prepare_connection", "prepare_jinja2_environment", "register_routes",
           "render_cell", "ui_words"]
