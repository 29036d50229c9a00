"""Ingest progress counted in pages: what a progress display shows and how it estimates the time left.

A file is not one unit: a 40-page scan takes a minute of OCR, a one-page DOCX a tenth of a second. Each file is
weighed up front by its pages (a PDF's page count, read from its page tree by pypdfium2 without rendering; one
for any other file), the OCR loop reports each page it finished (``formats.progress``, from worker processes too),
and the time left is the pages left at the rate pages were read so far. Files skipped as unchanged are counted done
at once but not in the rate (they cost nothing).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..formats.progress import PageEvent

__all__ = ["PageProgress", "estimate_pages"]


def estimate_pages(path: str | Path) -> int:
    """Pages of a PDF (from its page tree, not rendered); 1 for any other file or a PDF that does not open."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        return 1
    try:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return max(1, len(pdf))
        finally:
            pdf.close()
    except Exception:  # a damaged PDF: ingest records its error; it weighs one page here
        return 1


class PageProgress:
    """Pages done and left over the files of one ingest run.

    ``page(event)`` credits a file's pages as its reader reports them (a mixed PDF OCRs only some of its pages:
    ``done/total`` of its weight), ``file_done(path, skipped)`` the rest of its weight once it is stored (or
    skipped). ``eta()`` is the seconds left: pages left over pages read per second (None until a page is read).
    """

    def __init__(self, files: Iterable[str | Path], *, clock: Callable[[], float] = time.monotonic,
                 weigh: Callable[[str | Path], int] = estimate_pages):
        self.weights = {str(p): weigh(p) for p in files}
        self.total = sum(self.weights.values())
        self.credited: dict[str, float] = {}
        self.skipped_pages = 0.0
        self.files_done = 0
        self.clock = clock
        self.started = clock()
        self.last: PageEvent | None = None  # the latest page event (what the display names)

    @property
    def done(self) -> float:
        return sum(self.credited.values())

    def weight(self, path: str) -> int:
        return self.weights.get(path, 1)

    def page(self, event: PageEvent) -> None:
        path = event.path or ""
        share = self.weight(path) * min(1.0, event.done / event.total) if event.total > 0 else 0.0
        self.credited[path] = max(self.credited.get(path, 0.0), share)
        self.last = event

    def file_done(self, path: str, skipped: bool = False) -> None:
        weight = self.weight(path)
        if skipped:
            self.skipped_pages += weight - self.credited.get(path, 0.0)
        self.credited[path] = float(weight)
        self.files_done += 1
        if self.last is not None and self.last.path == path:
            self.last = None  # its pages are all read: no longer "reading page n"

    def rate(self) -> float | None:
        """Pages read per second so far (skipped files left out); None before any page was read."""
        read = self.done - self.skipped_pages
        elapsed = self.clock() - self.started
        return read / elapsed if read > 0 and elapsed > 0 else None

    def eta(self) -> float | None:
        """Seconds left: the pages left at the rate so far (None: no rate yet)."""
        rate = self.rate()
        return max(0.0, self.total - self.done) / rate if rate else None
