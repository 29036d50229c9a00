"""Batch ingest: find the files, read each one (parse → normalise → segment → extract → audit) and store it.

``process_file`` is the whole per-file job and returns a picklable :class:`~extractor.store.FileResult`, so it can
run anywhere (this process, a worker pool, a cluster); ``ingest`` is the single writer that stores results one
transaction per document. A file that cannot be read becomes an 'error' row with a message; the batch goes on.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocmineError, TooLarge
from .formats import DESCRIPTIONS, parser_for, sniff
from .store import FileResult, open_db, write_result

MAX_FILE_BYTES = int(os.environ.get("DOCMINE_MAX_FILE_BYTES", 200 * 1024 * 1024))
SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and files under folders named (recursively, sorted, hidden files and folders skipped)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name not in SKIP_NAMES and not name.startswith("~$"):
                        yield Path(root) / name
        elif p.exists():
            yield p
        else:
            raise FileNotFoundError(f"No such file or folder: {p}")


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process_file(path: str | Path) -> FileResult:
    """Read one file completely; never raises for a bad file (the error is in the result)."""
    from .extract import extract
    from .pipeline import prepare

    path = Path(path)
    started = time.perf_counter()
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return FileResult(
            id=digest.hexdigest(), path=str(path), file_name=path.name, size=size, format=sniff(head),
            status="error", error=str(TooLarge(f"File is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit "
                                               "(DOCMINE_MAX_FILE_BYTES): split it or raise the limit.")),
        )
    data = path.read_bytes()
    result = FileResult(id=file_id(data), path=str(path), file_name=path.name, size=size, format=sniff(data))
    try:
        doc = parser_for(result.format)(data, str(path))
        doc.path = str(path)
        result.format = doc.format or result.format
        prepare(doc)
        if not doc.text.strip() and not doc.footnotes:
            from .errors import EmptyDocument

            raise EmptyDocument("The document holds no readable text.")
        result.document = doc
        result.extraction = extract(doc)
    except DocmineError as err:
        result.status, result.error = "error", f"{type(err).__name__}: {err}"
        result.document = result.extraction = None
    except MemoryError:
        result.status, result.error = "error", "MemoryError: the file needs more memory than available; not read."
        result.document = result.extraction = None
    except Exception as err:  # a bug or an unforeseen damaged file: record it, keep the batch going
        where = traceback.extract_tb(err.__traceback__)[-1]
        result.status = "error"
        result.error = (
            f"{type(err).__name__} while reading this file ({DESCRIPTIONS.get(result.format, result.format)}): {err} "
            f"(at {Path(where.filename).name}:{where.lineno}); the file may be damaged — please report it."
        )
        result.document = result.extraction = None
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class IngestSummary:
    files: int = 0
    ok: int = 0
    errors: int = 0
    footnotes: int = 0
    citations: int = 0
    figures: int = 0
    findings: int = 0
    by_format: Counter = field(default_factory=Counter)
    by_format_status: Counter = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.by_format[result.format] += 1
        self.by_format_status[(result.format, result.status)] += 1
        if result.status == "ok":
            self.ok += 1
            if result.document is not None:
                self.footnotes += len(result.document.footnotes)
            if result.extraction is not None:
                self.citations += len(result.extraction.citations)
                self.figures += len(result.extraction.figures)
                self.findings += len(result.extraction.findings)
        else:
            self.errors += 1
            self.failed.append((result.path, result.error or ""))


def ingest(
    paths: Iterable[str | Path],
    db_path: str | Path,
    on_result: Callable[[FileResult], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the database at ``db_path``; returns counts for the summary."""
    started = time.perf_counter()
    db = open_db(db_path)
    summary = IngestSummary()
    try:
        for path in iter_files(paths):
            result = process_file(path)
            write_result(db, result)
            summary.add(result)
            if on_result:
                on_result(result)
    finally:
        db.close()
    summary.seconds = time.perf_counter() - started
    return summary
