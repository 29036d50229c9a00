"""Page events while a file is being read: the OCR loop reports each page it finished, so a progress display can
show "trang 3/12" during a scanned PDF that takes a minute, and count its ETA in pages.

A reader calls :func:`page_done`; whoever wants the events sets a listener with :func:`listening` (a context
variable: the listener of the thread, or asyncio task, that reads the file). With no listener, nothing happens.
A worker process sets a listener that sends each event to the parent over its result channel
(``run.worker``); the parent hands it to the listener the ingest caller gave (``run.ingest``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace

__all__ = ["PageEvent", "listening", "page_done", "reading"]


@dataclass(frozen=True)
class PageEvent:
    """``done`` of ``total`` pages of the file at ``path`` are read; ``page`` is the 1-based number of the page just
    finished (its place in the PDF: a mixed PDF OCRs only its pages without a text layer)."""

    done: int
    total: int
    page: int
    path: str | None = None
    stage: str = "ocr"


_listener: ContextVar[Callable[[PageEvent], None] | None] = ContextVar("docmine_page_listener", default=None)
_path: ContextVar[str | None] = ContextVar("docmine_page_path", default=None)


@contextlib.contextmanager
def listening(listener: Callable[[PageEvent], None] | None) -> Iterator[None]:
    """Send the page events of the files read inside the block to ``listener`` (None: to nobody)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


@contextlib.contextmanager
def reading(path: str | None) -> Iterator[None]:
    """The file being read inside the block: the ``path`` of the events its reader sends."""
    token = _path.set(path)
    try:
        yield
    finally:
        _path.reset(token)


def page_done(done: int, total: int, page: int, stage: str = "ocr") -> None:
    """Tell the listener, if any, that ``done`` of ``total`` pages are read (a listener's error is not the file's:
    it is ignored, the file is read on)."""
    listener = _listener.get()
    if listener is None:
        return
    with contextlib.suppress(Exception):
        listener(PageEvent(done=done, total=total, page=page, path=_path.get(), stage=stage))


def forward(event: PageEvent, path: str | None = None) -> None:
    """Hand an event received from elsewhere (a worker process) to this context's listener, as from ``path``."""
    listener = _listener.get()
    if listener is not None:
        with contextlib.suppress(Exception):
            listener(replace(event, path=path) if path is not None else event)
