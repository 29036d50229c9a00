"""The ``docmine`` command line: a thin layer over ``extractor.run.ingest``, ``extractor.serve`` and friends."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__
from .errors import DocmineError, StorageError

app = typer.Typer(
    help="docmine: turn Vietnamese government progress reports (DOCX, PDF, text exports) into an auditable "
    "SQLite database you can query with SQL and explore in Datasette.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"docmine {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """docmine command line."""


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (searched recursively).")],
    db: Annotated[Path, typer.Option("--db", help="SQLite database to create or update.")] = Path("docmine.db"),
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default: one per core; 0: read in this process, "
                     "without time or memory limits)."),
    ] = None,
    executor: Annotated[
        str, typer.Option("--executor", help="'process' (worker processes on this machine) or 'dask' (a Dask "
                          "cluster: a LocalCluster of --jobs workers, or --scheduler).")
    ] = "process",
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a Dask scheduler (tcp://host:8786) for "
                                 "--executor dask; the files must be readable at the same path on every worker.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Seconds one file may take before its worker is killed and "
                                   "the file recorded as an error (default 300, DOCMINE_FILE_TIMEOUT; 0: none).")
    ] = None,
    memory_mb: Annotated[
        int | None, typer.Option("--memory-mb", help="Address-space cap of each worker in MB (default 2048, "
                                 "DOCMINE_WORKER_MEMORY_MB; 0: none).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Read every file again, even unchanged ones.")] = False,
    retry_errors: Annotated[
        bool, typer.Option("--retry-errors", help="Read again the unchanged files that failed before.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, only the summary.")] = False,
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="Follow symbolic links that point outside the folders given "
                           "(by default they are recorded as not read).")
    ] = False,
) -> None:
    """Read reports into the database: one row per file (errors recorded, the batch goes on), their footnotes,
    citations, figures and findings. Files are read in parallel worker processes with time and memory limits;
    files unchanged since an earlier run are skipped without being read, so an interrupted run simply continues.
    Re-ingesting the same bytes replaces, never duplicates."""
    from .run.ingest import count_files
    from .run.ingest import ingest as run_ingest
    from .run.limits import Limits

    if executor not in ("process", "dask"):
        console.print(f"[red]error:[/red] --executor must be 'process' or 'dask', not {executor!r}")
        raise typer.Exit(2)
    try:
        total = count_files(paths, follow_links)
        limits = Limits.from_env(timeout_seconds=timeout, worker_memory_mb=memory_mb)
    except (FileNotFoundError, ValueError) as err:
        console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from None
    progress = Progress(
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
        TextColumn("[green]{task.fields[ok]} ok[/green] [red]{task.fields[errors]} errors[/red] "
                   "{task.fields[skipped]} unchanged"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console, disable=quiet,
    )
    counts = {"ok": 0, "errors": 0, "skipped": 0}
    with progress:
        task = progress.add_task("ingest", total=total, **counts)

        def advance(result) -> None:
            counts["ok" if result.status == "ok" else "errors"] += 1
            progress.update(task, advance=1, **counts)

        def skipped(_path) -> None:
            counts["skipped"] += 1
            progress.update(task, advance=1, **counts)

        try:
            summary = run_ingest(paths, db, on_result=advance, on_skip=skipped, jobs=jobs, executor=executor,
                                 scheduler=scheduler, limits=limits, force=force, retry_errors=retry_errors,
                                 follow_links=follow_links)
        except StorageError as err:  # disk full, an I/O error: one line, what was stored, a non-zero exit
            progress.stop()
            console.print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)  # one line, not wrapped
            console.print(f"Đã lưu trước khi dừng / stored before it stopped: {counts['ok']} ok, {counts['errors']} "
                          f"errors, {counts['skipped']} unchanged (in {db}).", highlight=False, soft_wrap=True)
            raise typer.Exit(3) from None
        except DocmineError as err:
            console.print(f"[red]error:[/red] {err}")
            raise typer.Exit(2) from None
    _print_summary(summary, db)
    if summary.skipped:
        Console().print(f"unchanged since an earlier run (not read again): {summary.skipped}")


def _print_summary(summary, db: Path) -> None:
    out = Console()
    table = Table(title=f"docmine ingest → {db}", show_footer=True)
    table.add_column("format", footer="all")
    table.add_column("files", justify="right", footer=str(summary.files))
    table.add_column("ok", justify="right", footer=str(summary.ok))
    table.add_column("error", justify="right", footer=str(summary.errors))
    for fmt, n in sorted(summary.by_format.items()):
        table.add_row(fmt, str(n), str(summary.by_format_status[(fmt, "ok")]),
                      str(summary.by_format_status[(fmt, "error")]))
    out.print(table)
    out.print(
        f"footnotes: {summary.footnotes}   citations: {summary.citations}   figures: {summary.figures}   "
        f"findings: {summary.findings}   time: {summary.seconds:.1f}s"
    )
    for path, error in summary.failed[:10]:
        out.print(f"[red]✗[/red] {path}: {error}", highlight=False)
    if len(summary.failed) > 10:
        out.print(f"… and {len(summary.failed) - 10} more: select path, error from documents where status = 'error'")
    out.print(f"Explore it: [bold]docmine serve {db}[/bold]  (Datasette on http://127.0.0.1:8001)")


@app.command()
def serve(
    db: Annotated[Path, typer.Argument(help="A database written by 'docmine ingest'.", exists=True, dir_okay=False)],
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on (loopback by default).")] = "127.0.0.1",
) -> None:
    """Explore the database in Datasette (read-only), with table and column descriptions, facets and full-text
    search."""
    from .serve import serve as run_serve

    console.print(f"Datasette: http://{host}:{port}/  (Ctrl-C to stop)")
    raise typer.Exit(run_serve(db, host=host, port=port))


@app.command()
def citations(
    file: Annotated[Path, typer.Argument(help="One report file (DOCX, PDF, text export …).", exists=True,
                                         dir_okay=False)],
) -> None:
    """Print the documents a report cites (body and footnotes) as a table, for a person checking one report."""
    from rich import print as rprint

    from .errors import DocmineError
    from .extract.citations import extract_citations, format_citations_table
    from .pipeline import read

    try:
        doc = read(file)
    except DocmineError as err:
        console.print(f"[red]error:[/red] {type(err).__name__}: {err}")
        raise typer.Exit(1) from None
    rprint(format_citations_table(doc, extract_citations(doc)))


@app.command()
def audit(
    db: Annotated[Path, typer.Option("--db", help="A database written by 'docmine ingest'.", exists=True,
                                     dir_okay=False)] = Path("docmine.db"),
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only findings of this kind (repeatable).")] = None,
) -> None:
    """Print the audit findings grouped by report and kind: ratios that do not compute, footnotes that list fewer
    documents than the text claims, totals that differ from their parts, documents cited with conflicting dates."""
    import sqlite_utils

    from .audit import format_findings
    from .model import Finding

    database = sqlite_utils.Database(db)
    sql = ("select d.file_name, f.kind, f.severity, f.message, f.key, f.text, f.section from findings f "
           "left join documents d on d.id = f.document_id")
    params: list[str] = []
    if kind:
        sql += f" where f.kind in ({','.join('?' * len(kind))})"
        params = list(kind)
    groups: dict[str | None, list[Finding]] = {}
    for name, k, severity, message, key, text, section in database.execute(sql, params).fetchall():
        groups.setdefault(name, []).append(
            Finding(kind=k, severity=severity, message=message, key=key, text=text, section=section)
        )
    Console().print(format_findings(groups))


def emit_rows(rows: list[dict], fmt: str, title: str | None = None) -> None:
    """Print ``rows`` (dicts with the same keys) to stdout as 'json' (a list of objects), 'csv' (a header line, then
    one line per row) or 'table' (a rich table): the output the listing commands share."""
    import csv
    import json
    import sys

    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        if rows:
            writer.writerow(list(rows[0]))
        writer.writerows([list(r.values()) for r in rows])
    else:
        table = Table(title=title)
        for name in rows[0] if rows else []:
            table.add_column(name, overflow="fold")
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r.values()))
        Console().print(table)


def _output_format(as_json: bool, as_csv: bool, as_table: bool) -> str:
    if as_json + as_csv + as_table > 1:
        console.print("[red]error:[/red] choose one of --json, --csv, --table")
        raise typer.Exit(2)
    return "json" if as_json else "csv" if as_csv else "table"


@app.command()
def reports(
    db: Annotated[Path, typer.Option("--db", help="A database written by 'docmine ingest'.", exists=True,
                                     dir_okay=False)] = Path("docmine.db"),
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    as_table: Annotated[bool, typer.Option("--table", help="Print a table (the default).")] = False,
) -> None:
    """Liệt kê các báo cáo (văn bản) và số tệp của mỗi báo cáo / List the reports, each once, with how many files
    (DOCX, PDF, scan …) hold it and which file is its best source."""
    import contextlib
    import sqlite3

    from .store.reports import rebuild

    fmt = _output_format(as_json, as_csv, as_table)
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


@app.command("export")
def export_tables(
    db: Annotated[Path, typer.Option("--db", help="A database written by 'docmine ingest'.", exists=True,
                                     dir_okay=False)] = Path("docmine.db"),
    to: Annotated[Path, typer.Option("--to", help="Folder to write the files into (created if missing).")] = Path(
        "export"),
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: csv, parquet, xlsx.")] = "csv,parquet,xlsx",
) -> None:
    """Export every table as CSV and Parquet (pandas) and one Excel workbook, docmine.xlsx, with one sheet per
    table and the findings sheet first."""
    from .export import export

    try:
        summary = export(db, to, tuple(f.strip() for f in formats.split(",") if f.strip()))
    except ValueError as err:
        console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from None
    out = Console()
    table = Table(title=f"docmine export → {summary.directory}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in summary.rows.items():
        table.add_row(name, str(n))
    out.print(table)
    out.print(f"{len(summary.files)} files written to {summary.directory}")
    if summary.truncated_cells:
        out.print(f"{summary.truncated_cells} Excel cells were cut to 32,767 characters (Excel's limit); the CSV and "
                  "Parquet files hold them whole.")


if __name__ == "__main__":  # pragma: no cover
    app()
