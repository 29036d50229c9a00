"""The ``docmine`` command line: a thin layer over ``extractor.run.ingest``, ``extractor.serve``, ``extractor.export``
and the read functions of ``extractor.store.queries``; the display (tables, JSON, CSV) lives here.

Every command takes the database the same way: ``--db FILE`` (or DOCMINE_DB, default ``docmine.db``); the commands
that only read it also take it as their first argument, as ``datasette`` and ``sqlite-utils`` do. Messages come
from ``rules/strings.yaml`` in Vietnamese, or English with ``docmine --lang en`` / DOCMINE_LANG=en.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import __version__
from .errors import DocmineError, StorageError
from .messages import LANGS, finding_kinds, set_lang, severity, t
from .messages import lang as current_lang


def _argv_lang(argv: Sequence[str]) -> str | None:
    """``--lang en`` / ``--lang=en`` on the command line, read before the help texts are built."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    return None


set_lang(_argv_lang(sys.argv[1:]))

app = typer.Typer(help=t("cli.app_help"), no_args_is_help=True, add_completion=False)
console = Console(stderr=True, soft_wrap=True)  # one message, one line (however narrow the terminal)
FORMATS = ("table", "json", "csv")
DEFAULT_DB = Path("docmine.db")

DbOption = Annotated[Path | None, typer.Option("--db", envvar="DOCMINE_DB", help=t("cli.db_help"),
                                               show_default="docmine.db")]
DbArgument = Annotated[Path | None, typer.Argument(help=t("cli.db_arg_help"), show_default=False)]
JsonFlag = Annotated[bool, typer.Option("--json", help=t("cli.json_help"))]
CsvFlag = Annotated[bool, typer.Option("--csv", help=t("cli.csv_help"))]
TableFlag = Annotated[bool, typer.Option("--table", help=t("cli.table_help"))]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"docmine {__version__}")
        raise typer.Exit()


def _lang(value: str | None) -> str | None:
    if value is not None:
        if value not in LANGS:
            raise typer.BadParameter(f"vi | en, not {value!r}")
        set_lang(value)
    return value


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=t("cli.version_help"))
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", envvar="DOCMINE_LANG", callback=_lang, is_eager=True,
                                 help=t("cli.lang_help"), show_default="vi")
    ] = None,
) -> None:
    """docmine command line."""


# ---------------------------------------------------------------------------------------------------------------
# the database, the same way for every command


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one clear line on stderr; returns the Exit to raise (``raise fail(...)``)."""
    console.print(f"[red]{t('cli.error')}:[/red] {message}", highlight=False)
    return typer.Exit(code)


def database(argument: Path | None, option: Path | None, *, may_be_new: bool = False) -> Path:
    """The database a command works on (its first argument or ``--db``), checked before anything is done: its folder
    exists, it is a file, and it is a docmine database (or, for ingest, not yet created)."""
    from .store.queries import NotADocmineDatabase, check_database

    if argument is not None and option is not None and argument.resolve() != option.resolve():
        raise fail(t("cli.two_dbs", arg=argument, option=option))
    path = argument or option or DEFAULT_DB
    if not path.parent.is_dir():
        raise fail(t("cli.db_folder_missing", folder=path.parent))
    if path.is_dir():
        raise fail(t("cli.db_is_folder", path=path))
    if not may_be_new and not path.exists():
        raise fail(t("cli.db_missing", path=path))
    try:
        check_database(path, may_be_new=may_be_new)
    except NotADocmineDatabase as err:
        raise fail(t("cli.not_docmine_db", path=path, why=t(f"cli.{err.reason}"))) from None
    return path


def output_format(as_json: bool, as_csv: bool, as_table: bool) -> str:
    chosen = [name for name, on in zip(FORMATS, (as_table, as_json, as_csv), strict=True) if on]
    if len(chosen) > 1:
        raise fail(t("cli.one_format"))
    return chosen[0] if chosen else "table"


def emit_rows(rows: Sequence[Mapping[str, Any]], fmt: str = "table", *, columns: Sequence[str] | None = None,
              headers: Mapping[str, str] | None = None, title: str | None = None, out: Any = None) -> None:
    """Print rows (dicts) to stdout as 'table' (rich), 'json' (a list of objects, UTF-8) or 'csv' (a header row, then
    one line per row). ``columns`` picks and orders the keys (default: the first row's); ``headers`` renames them
    in the table only; JSON and CSV keep the keys, so scripts can rely on them."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    columns = list(columns or (rows[0].keys() if rows else []))
    stream = out or sys.stdout
    if fmt == "json":
        stream.write(json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2,
                                default=str) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(title=title, title_justify="left")
        for c in columns:
            table.add_column((headers or {}).get(c, c), overflow="fold")
        for r in rows:
            table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
        (Console(file=out) if out else Console()).print(table)


# ---------------------------------------------------------------------------------------------------------------
# ingest


def _progress_line(tracker) -> str:
    """What the reader is doing now: the page being OCRed, or nothing."""
    event = tracker.last
    if event is None:
        return ""
    return escape(t("cli.progress_ocr_page", done=event.done, total=event.total, file=Path(event.path or "").name))


def _eta_text(tracker) -> str:
    seconds = tracker.eta()
    if seconds is None:
        return "-:--:--"
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@app.command(help=t("cli.ingest_help"))
def ingest(
    paths: Annotated[list[Path], typer.Argument(help=t("cli.paths_help"))],
    db: DbOption = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help=t("cli.jobs_help"))] = None,
    executor: Annotated[str, typer.Option("--executor", help=t("cli.executor_help"))] = "process",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=t("cli.scheduler_help"))] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help=t("cli.timeout_help"))] = None,
    memory_mb: Annotated[int | None, typer.Option("--memory-mb", help=t("cli.memory_help"))] = None,
    force: Annotated[bool, typer.Option("--force", help=t("cli.force_help"))] = False,
    retry_errors: Annotated[bool, typer.Option("--retry-errors", help=t("cli.retry_help"))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=t("cli.quiet_help"))] = False,
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="Follow symbolic links that point outside the folders given "
                           "(by default they are recorded as not read).")
    ] = False,
) -> None:
    from .run.ingest import ingest as run_ingest
    from .run.limits import Limits
    from .run.progress import PageProgress
    from .run.walk import walk

    if executor not in ("process", "dask"):
        raise fail(t("cli.bad_executor", value=executor))
    db = database(None, db, may_be_new=True)
    try:
        files = [e.path for e in walk(paths, follow_links)]
        limits = Limits.from_env(timeout_seconds=timeout, worker_memory_mb=memory_mb)
    except (FileNotFoundError, ValueError) as err:
        raise fail(str(err)) from None
    if not files:
        raise fail(t("cli.no_input_files", paths=", ".join(str(p) for p in paths)))
    # the bar and its ETA count pages (a scanned PDF's OCR time grows with its pages; the OCR loop reports each
    # page, from the worker processes too: run.progress), the counts count files
    tracker = PageProgress(files if not quiet else [])
    progress = Progress(
        TextColumn(f"[bold]{t('cli.progress_reading')}"), BarColumn(),
        TextColumn(f"{{task.completed:.0f}}/{{task.total:.0f}} {t('cli.progress_pages')}"),
        TextColumn(f"{{task.fields[files]}}/{len(files)} {t('cli.progress_files')}:"),
        TextColumn(f"[green]{{task.fields[ok]}} {t('cli.progress_ok')}[/green] "
                   f"[red]{{task.fields[errors]}} {t('cli.progress_errors')}[/red] "
                   f"{{task.fields[skipped]}} {t('cli.progress_unchanged')}"),
        TimeElapsedColumn(), TextColumn(t("cli.progress_eta") + " {task.fields[eta]}"),
        TextColumn("{task.fields[now]}"), console=console, disable=quiet,
    )
    counts = {"ok": 0, "errors": 0, "skipped": 0, "files": 0}
    with progress:
        task = progress.add_task("ingest", total=tracker.total or len(files), eta=_eta_text(tracker), now="",
                                 **counts)

        def show() -> None:
            progress.update(task, completed=tracker.done, eta=_eta_text(tracker), now=_progress_line(tracker),
                            **counts)

        def page(event) -> None:
            tracker.page(event)
            show()

        def done(path: str, outcome: str) -> None:
            counts[outcome] += 1
            counts["files"] += 1
            tracker.file_done(path, skipped=outcome == "skipped")
            show()

        try:
            summary = run_ingest(paths, db, jobs=jobs, executor=executor, scheduler=scheduler, limits=limits,
                                 force=force, retry_errors=retry_errors, follow_links=follow_links,
                                 on_result=lambda r: done(r.path, "ok" if r.status == "ok" else "errors"),
                                 on_skip=lambda p: done(str(p), "skipped"), on_page=page)
        except StorageError as err:  # disk full, an I/O error: one line, what was stored, a non-zero exit
            progress.stop()
            console.print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)  # one line, not wrapped
            console.print(f"Đã lưu trước khi dừng / stored before it stopped: {counts['ok']} ok, {counts['errors']} "
                          f"errors, {counts['skipped']} unchanged (in {db}).", highlight=False, soft_wrap=True)
            raise typer.Exit(3) from None
        except DocmineError as err:
            raise fail(str(err)) from None
    print_ingest_summary(summary, db)


def print_ingest_summary(summary, db: Path) -> None:
    """The table by format of what this run read, then what was already stored and what the database now holds."""
    from .store.queries import connect_readonly, totals

    out = Console(soft_wrap=True)
    if summary.files:
        table = Table(title=t("cli.summary_title", db=db), show_footer=True)
        table.add_column(t("cli.col_format"), footer=t("cli.all"))
        table.add_column(t("cli.col_files"), justify="right", footer=str(summary.files))
        table.add_column(t("cli.col_ok"), justify="right", footer=str(summary.ok))
        table.add_column(t("cli.col_error"), justify="right", footer=str(summary.errors))
        for fmt, n in sorted(summary.by_format.items()):
            table.add_row(fmt, str(n), str(summary.by_format_status[(fmt, "ok")]),
                          str(summary.by_format_status[(fmt, "error")]))
        out.print(table)
        out.print(t("cli.summary_counts", footnotes=summary.footnotes, citations=summary.citations,
                    figures=summary.figures, findings=summary.findings, seconds=summary.seconds))
    else:
        out.print(t("cli.summary_nothing_read", seconds=summary.seconds))
    for path, error in summary.failed[:10]:
        out.print(f"[red]✗[/red] {path}: {error}", highlight=False)
    if len(summary.failed) > 10:
        out.print(t("cli.more_failed", n=len(summary.failed) - 10))
    if summary.skipped:
        out.print(t("cli.summary_unchanged", n=summary.skipped))
    conn = connect_readonly(db)
    try:
        out.print(t("cli.summary_stored", **totals(conn)))
    finally:
        conn.close()
    out.print(t("cli.explore_hint", db=db))


# ---------------------------------------------------------------------------------------------------------------
# serve, audit, citations, export


@app.command(help=t("cli.serve_help"))
def serve(
    db_arg: DbArgument = None,
    db: DbOption = None,
    port: Annotated[int, typer.Option("--port", "-p", help=t("cli.port_help"))] = 8001,
    host: Annotated[str, typer.Option("--host", help=t("cli.host_help"))] = "127.0.0.1",
) -> None:
    from .serve import serve as run_serve

    path = database(db_arg, db)
    console.print(t("cli.serving", host=host, port=port))
    raise typer.Exit(run_serve(path, host=host, port=port))


def format_findings(rows: Iterable[Mapping[str, Any]]):
    """A rich renderable: findings grouped by report (the whole corpus first), then by kind."""
    from rich.console import Group

    groups: dict[str | None, list[Mapping[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r.get("report"), []).append(r)
    if not groups:
        return Text(t("cli.no_findings"), style="green")
    names = finding_kinds()
    parts: list[Any] = []
    for report in sorted(groups, key=lambda k: (k is not None, k or "")):
        findings = groups[report]
        table = Table(title=t("cli.findings_title", name=report if report is not None else t("cli.across_reports"),
                              n=len(findings)), title_justify="left", expand=True)
        table.add_column(t("cli.fnd_kind"), style="bold", no_wrap=True)
        table.add_column(t("cli.fnd_severity"), no_wrap=True)
        table.add_column(t("cli.fnd_section"), no_wrap=True)
        table.add_column(t("cli.fnd_message"))
        for f in sorted(findings, key=lambda f: (f["kind"], f.get("section") or "")):
            kind = f["kind"]
            label = f"{kind}\n[dim]{names[kind][current_lang()]}[/dim]" if kind in names else kind
            style = "red" if f["severity"] == "error" else "yellow"
            table.add_row(label, Text(severity(f["severity"]), style=style), f.get("section") or "", f["message"])
        parts.append(table)
    return Group(*parts)


@app.command(help=t("cli.audit_help"))
def audit(
    db_arg: DbArgument = None,
    db: DbOption = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help=t("cli.kind_help"))] = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    as_table: TableFlag = False,
) -> None:
    from .store.queries import connect_readonly, finding_kinds_stored, findings

    fmt = output_format(as_json, as_csv, as_table)
    path = database(db_arg, db)
    conn = connect_readonly(path)
    try:
        known = sorted(set(finding_kinds()) | set(finding_kinds_stored(conn)))
        unknown = [k for k in kind or [] if k not in known]
        if unknown:
            raise fail(t("cli.unknown_kind", unknown=", ".join(unknown), kinds=", ".join(known)))
        rows = findings(conn, kind)
    finally:
        conn.close()
    if fmt == "table":
        Console().print(format_findings(rows))
    else:
        emit_rows(rows, fmt)


CITATION_COLUMNS = ("report", "where", "doc_type", "key", "issued_date", "issuer", "subject", "text")


def citation_row(report: str | None, c: Any) -> dict[str, Any]:
    """One citation as a display row (from a ``Citation`` or a stored row: both have the same field names)."""
    get = c.get if isinstance(c, Mapping) else lambda name: getattr(c, name, None)
    where = t("cli.in_footnote", marker=get("footnote_marker")) if get("in_footnote") else (get("section") or "")
    if get("in_footnote") and get("is_list_item"):
        where += " •"
    issued = get("issued_date")
    return {"report": report, "where": where, "doc_type": get("doc_type"), "key": get("key"),
            "issued_date": issued.isoformat() if hasattr(issued, "isoformat") else issued, "issuer": get("issuer"),
            "subject": get("subject"), "text": get("text"), "document_id": get("document_id")}


def format_citations_table(rows: Sequence[Mapping[str, Any]], name: str):  # -> rich.table.Table
    """A table of citations for a person checking a report (``docmine citations``)."""
    table = Table(title=t("cli.citations_title", name=name, n=len(rows)), title_justify="left")
    headers = {"where": "cit_where", "doc_type": "cit_type", "key": "cit_key", "issued_date": "cit_date",
               "issuer": "cit_issuer", "subject": "cit_subject", "text": "cit_text", "report": "cit_report"}
    several = len({r.get("report") for r in rows}) > 1
    columns = [c for c in CITATION_COLUMNS if several or c != "report"]
    table.add_column("#", justify="right")
    for c in columns:
        table.add_column(t(f"cli.{headers[c]}"), overflow="fold")
    for i, r in enumerate(rows, 1):
        values = [r.get(c) or "" for c in columns]
        if "subject" in columns:
            values[columns.index("subject")] = values[columns.index("subject")][:60]
        table.add_row(str(i), *values)
    return table


@app.command(help=t("cli.citations_help"))
def citations(
    file: Annotated[Path | None, typer.Argument(help=t("cli.citations_file_help"), show_default=False)] = None,
    db: DbOption = None,
    document: Annotated[str | None, typer.Option("--document", help=t("cli.document_help"))] = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    as_table: TableFlag = False,
) -> None:
    from .store.queries import SQLITE_MAGIC

    fmt = output_format(as_json, as_csv, as_table)
    if file is not None and file.is_file() and file.open("rb").read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
        rows, name = _citations_of_file(file), str(file)
    else:  # no file, or a database given as the argument (as datasette and sqlite-utils take it)
        rows, name = _stored_citations(database(file, db), document)
    if fmt == "table":
        Console().print(format_citations_table(rows, name))
    else:
        emit_rows(rows, fmt, columns=[*CITATION_COLUMNS, "document_id"])


def _citations_of_file(file: Path) -> list[dict[str, Any]]:
    from .extract.citations import extract_citations
    from .pipeline import read

    try:
        doc = read(file)
    except DocmineError as err:
        raise fail(f"{type(err).__name__}: {err}", code=1) from None
    return [citation_row(file.name, c) for c in extract_citations(doc)]


def _stored_citations(path: Path, document: str | None) -> tuple[list[dict[str, Any]], str]:
    from .store.queries import citations as stored
    from .store.queries import connect_readonly, match_documents

    conn = connect_readonly(path)
    try:
        ids = match_documents(conn, document) if document else None
        if ids == []:
            raise fail(t("cli.unknown_document", document=document, db=path))
        rows = [citation_row(r["report"], r) for r in stored(conn, ids)]
    finally:
        conn.close()
    return rows, document or str(path)


@app.command()
def reports(
    db_arg: DbArgument = None,
    db: DbOption = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    as_table: TableFlag = False,
) -> None:
    """Liệt kê các báo cáo (văn bản) và số tệp của mỗi báo cáo / List the reports, each once, with how many files
    (DOCX, PDF, scan …) hold it and which file is its best source."""
    import contextlib
    import sqlite3

    from .store.reports import rebuild

    fmt = output_format(as_json, as_csv, as_table)
    db = database(db_arg, db)
    with contextlib.suppress(sqlite3.OperationalError):  # a read-only file: list what is stored
        rebuild(db)  # current with the stored documents (a database from an older docmine, too)
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        cur = conn.execute(
            "select r.name, r.doc_type, r.number, r.symbol, r.issued_date, r.files, r.grouped_by, "
            "b.file_name as best_file, "
            "(select group_concat(d.file_name, ' | ') from documents d where d.report_id = r.id "
            " and d.duplicate_of is not null) as duplicates, r.id "
            "from reports r left join documents b on b.id = r.best_document_id "
            "order by r.files desc, r.issued_date desc, r.name")
        names = [c[0] for c in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        conn.close()
    if fmt == "table":  # what fits a terminal; --json and --csv give every column
        rows = [{k: r[k] for k in ("name", "issued_date", "files", "grouped_by", "best_file")} for r in rows]
    emit_rows(rows, fmt, title=f"{len(rows)} báo cáo / reports — {db}")


@app.command("export", help=t("cli.export_help"))
def export_tables(
    db_arg: DbArgument = None,
    db: DbOption = None,
    to: Annotated[Path, typer.Option("--to", help=t("cli.to_help"))] = Path("export"),
    formats: Annotated[str, typer.Option("--format", help=t("cli.format_help"))] = "csv,parquet,xlsx",
) -> None:
    from .export import FORMATS as EXPORT_FORMATS
    from .export import export

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = sorted(set(chosen) - set(EXPORT_FORMATS))
    if unknown:
        raise fail(t("cli.unknown_export_format", unknown=", ".join(unknown), formats=", ".join(EXPORT_FORMATS)))
    summary = export(database(db_arg, db), to, chosen, lang=current_lang())
    out = Console(soft_wrap=True)
    table = Table(title=t("cli.export_title", dir=summary.directory))
    table.add_column(t("cli.export_table"))
    table.add_column(t("cli.export_rows"), justify="right")
    for name, n in [*summary.rows.items(), *summary.sheets.items()]:  # tables, then the canned queries' sheets
        table.add_row(name, str(n))
    out.print(table)
    for query, error in summary.query_errors.items():
        out.print(t("cli.export_query_failed", query=query, error=error))
    out.print(t("cli.export_written", n=len(summary.files), dir=summary.directory))
    if summary.truncated_cells:
        out.print(t("cli.export_truncated", n=summary.truncated_cells))


if __name__ == "__main__":  # pragma: no cover
    app()
