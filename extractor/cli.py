"""The ``docmine`` command line: a thin layer over ``extractor.ingest``, ``extractor.serve`` and friends."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__

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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """docmine command line."""


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (searched recursively).")],
    db: Annotated[Path, typer.Option("--db", help="SQLite database to create or update.")] = Path("docmine.db"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, only the summary.")] = False,
) -> None:
    """Read reports into the database: one row per file (errors recorded, the batch goes on), their footnotes,
    citations, figures and findings. Re-ingesting the same bytes replaces, never duplicates."""
    from .ingest import ingest as run_ingest
    from .ingest import iter_files

    try:
        files = list(iter_files(paths))
    except FileNotFoundError as err:
        console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from None
    progress = Progress(
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[errors]} errors"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console, disable=quiet,
    )
    with progress:
        task = progress.add_task("ingest", total=len(files), errors=0)
        errors = 0

        def advance(result) -> None:
            nonlocal errors
            errors += result.status != "ok"
            progress.update(task, advance=1, errors=errors)

        summary = run_ingest(files, db, on_result=advance)
    _print_summary(summary, db)


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


if __name__ == "__main__":  # pragma: no cover
    app()
