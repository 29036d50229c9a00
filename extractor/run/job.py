"""The per-file job: sniff → guards → parse → prepare → extract → audit, for one file, never raising for a bad one.

Workers import this module, not the batch (``run.ingest``) nor the store: it needs nothing from ``extractor/store``.
What a worker sends the writer is the rows the store writes (``store.db.pack``), applied through ``finish``, so the
worker does the CPU work of building them.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DocmineError, EmptyDocument
from ..formats import DESCRIPTIONS, parser_for, sniff
from ..model import Document
from .limits import Limits, check_docx_xml, check_pdf_pages, file_too_large, memory_note, near_memory_cap


@dataclass
class FileResult:
    """The outcome of reading one file: either a document and its extraction, or an error. A result that crossed
    from a worker to the writer is packed (``store.db.pack``): ``rows`` holds what is stored, ``document`` and
    ``extraction`` are None."""

    id: str
    path: str
    file_name: str
    size: int
    format: str
    status: str = "ok"
    error: str | None = None
    document: Document | None = None
    extraction: Any = None  # pipeline.extract_all's Extraction
    seconds: float = 0.0
    rows: Any = None  # store.db.Rows, once packed

    def count(self, table: str) -> int:
        """How many rows of a child table (footnotes, citations, figures, findings...) this packed result stores."""
        if self.rows is None:
            if self.document is None:
                return 0
            raise ValueError("count() needs a packed result (store.db.pack)")
        return self.rows.count(table)


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
    workers pass ``store.db.pack``: the rows the store writes instead of the document and its extraction, built
    where the document was read). ``data``: the file's bytes when they were sent rather than read at ``path``
    (a Dask worker on another machine); ``path`` is then only the name recorded."""
    limits = limits or Limits.from_env()
    path = Path(path)
    started = time.perf_counter()
    size = len(data) if data is not None else path.stat().st_size
    too_large = file_too_large(size, limits)
    if too_large:
        digest, head = (file_id(data), data[: 1 << 16]) if data is not None else hash_file(path)
        return FileResult(id=digest, path=str(path), file_name=path.name, size=size, format=guess_format(head),
                          status="error", error=f"{type(too_large).__name__}: {too_large}")
    if data is None:
        data = path.read_bytes()
    result = FileResult(id=file_id(data), path=str(path), file_name=path.name, size=len(data), format=sniff(data))
    try:
        if result.format == "pdf":
            check_pdf_pages(data, limits)
        elif result.format == "docx":
            check_docx_xml(data)
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
