"""The per-file job: sniff → guards → parse → prepare → extract → audit, for one file, never raising for a bad one.

Workers import this module, not the batch (``run.ingest``) nor the store: it needs nothing from ``extractor/store``.
It returns the one result record, :class:`extractor.model.FileResult`; what a worker sends the writer is the rows the
store writes (``store.rows.pack``, applied through ``finish``), so the worker does the CPU work of building them.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ..errors import DocmineError, EmptyDocument
from ..formats import DESCRIPTIONS, parser_for, sniff
from ..formats.progress import reading
from ..model import Document, FileResult
from .limits import Limits, check_docx_xml, check_pdf_pages, file_too_large, memory_note, near_memory_cap
from .walk import display, unread_id

__all__ = ["FileResult", "file_id", "guess_format", "hash_file", "process_file", "read_head"]


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> tuple[str, bytes]:
    """sha256 of the file's bytes (read in chunks) and its first 64 KB."""
    digest = hashlib.sha256()
    head = b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            if not head:
                head = chunk[: 1 << 16]
            digest.update(chunk)
    return digest.hexdigest(), head


def read_head(path: Path) -> bytes:
    """The first 64 KB of a file (what :func:`guess_format` needs), without reading the rest."""
    with path.open("rb") as fh:
        return fh.read(1 << 16)


def guess_format(head: bytes) -> str:
    """What the leading bytes say, without opening a ZIP (for files whose reader never answered)."""
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in head else "zip"
    return sniff(head)


def _error(result: FileResult, message: str) -> FileResult:
    result.status, result.error = "error", message
    result.document = result.extraction = None
    return result


def process_file(path: str | Path, limits: Limits | None = None, *,
                 finish: Callable[[FileResult], FileResult] | None = None, data: bytes | None = None) -> FileResult:
    """Read one file completely; never raises for a bad file (the error is in the result).

    ``finish``: applied to a read document's result before it is returned, inside the same error handling (the
    workers pass ``store.rows.pack``: the rows the store writes instead of the document and its extraction, built
    where the document was read). ``data``: the file's bytes when they were sent rather than read at ``path``
    (a Dask worker on another machine); ``path`` is then only the name recorded."""
    limits = limits or Limits.from_env()
    path = Path(path)
    started = time.perf_counter()
    size = len(data) if data is not None else path.stat().st_size
    too_large = file_too_large(size, limits)
    if too_large:  # refused before its bytes are read or hashed (a 20 GB sparse file took a minute to hash)
        head = data[: 1 << 16] if data is not None else read_head(path)
        return FileResult(id=unread_id(display(path.resolve()), size), path=display(path), file_name=display(path.name),
                          size=size, format=guess_format(head), status="error",
                          error=f"{type(too_large).__name__}: {too_large}")
    if data is None:
        data = path.read_bytes()
    result = FileResult(id=file_id(data), path=str(path), file_name=path.name, size=len(data), format=sniff(data))
    try:
        if result.format == "pdf":
            check_pdf_pages(data, limits)
        elif result.format == "docx":
            check_docx_xml(data)
        with reading(str(path)):  # the page events its reader sends name it (``formats.progress``)
            doc = parser_for(result.format)(data, str(path))
        del data  # the parsed document from here on: a large file's bytes are not kept while it is extracted
        _extract(result, doc, finish)
    except DocmineError as err:
        _error(result, f"{type(err).__name__}: {err}")
    except MemoryError:
        _error(result, f"MemoryError: reading the file needs more than the {limits.worker_memory_mb} MB a worker "
                       "may use (DOCMINE_WORKER_MEMORY_MB, --memory-mb); not read.")
    except RecursionError:
        _error(result, "CorruptDocument: the file's structure is nested too deeply to read (damaged or built to "
                       "crash readers); not read.")
    except Exception as err:  # a bug or an unforeseen damaged file: record it, keep the batch going
        where = traceback.extract_tb(err.__traceback__)[-1]
        _error(result, f"{type(err).__name__} while reading this file "
                       f"({DESCRIPTIONS.get(result.format, result.format)}): {err} "
                       f"(at {Path(where.filename).name}:{where.lineno}); the file may be damaged — please report it.")
    if result.status == "error" and not result.error.startswith("MemoryError") and near_memory_cap(limits):
        result.error += memory_note(limits)
    result.seconds = time.perf_counter() - started
    return result


def _extract(result: FileResult, doc: Document, finish: Callable[[FileResult], FileResult] | None) -> None:
    """Prepare and extract a parsed document into ``result`` (raises for one that holds nothing to read)."""
    from ..pipeline import extract_all, prepare

    doc.path = result.path
    result.format = doc.format or result.format
    prepare(doc)
    if not doc.text.strip() and not doc.footnotes:
        raise EmptyDocument("The document holds no readable text.")
    result.document = doc
    result.extraction = extract_all(doc)
    if finish is not None:
        finish(result)
