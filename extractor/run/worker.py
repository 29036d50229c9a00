"""The child side of a guarded worker: caps its memory, then reads one file per request and sends the result back.

Requests and replies travel over a ``multiprocessing.connection.Connection`` (length-prefixed pickles): the parent
sends a path (or a file's name and bytes), the worker answers ``(FileResult, retire)``; ``None`` asks it to stop.
``retire`` says the worker came near its memory cap and exits after this answer, so the next file gets a fresh
process. The worker never raises for a bad file (``process_file`` records it), so it only dies when the parent
kills it (time limit) or the operating system does (out of memory, a native crash), and the parent replaces it.
While it reads, it may send page events first (``formats.progress.PageEvent``: "page 3 of 12 OCRed").

Run as ``python -m extractor.run.worker READ_FD WRITE_FD`` (the launcher used inside Dask workers, whose daemonic
processes may not fork children), or started by ``multiprocessing`` from a fork server that imported this module
once, which also warms the pipeline up so a fresh worker is fast.
"""

from __future__ import annotations

import functools
import gc
import os
import pickle
import shutil
import signal
import sys
import tempfile
from multiprocessing.connection import Connection

from ..formats.progress import PageEvent, listening
from ..resources import PACKAGE
from ..store.rows import pack
from . import testpoints
from .job import FileResult, process_file
from .limits import Limits, apply_memory_limit, memory_note, near_memory_cap
from .scratch import kill_groups, use_scratch

_WARM_TEXT = (
    "BÁO CÁO\nKết quả thực hiện Đề án 06 trong 06 tháng đầu năm 2023\n"
    "Thực hiện Công văn số 2815/TCTĐA06, ngày 06/6/2023 của Tổ Công tác Đề án 06 tỉnh về việc báo cáo định kỳ.\n"
    "Đã cấp 7.570 hồ sơ, đạt 193/193, tỷ lệ 100%.\n"
)
# A report of the project's own corpus (corpus/reports/huyen-thach-lam-quy-1-2024) as DOCX and PDF, package data:
# reading one of each in warm-up readies what a file of that format first uses (parsers, caches, lazily built
# tables), so a fresh worker's first DOCX no longer takes 2.5 times as long as its next one
SAMPLES = tuple(PACKAGE / "data" / name for name in ("warmup.docx", "warmup.pdf"))
_warm = False


def warm_up(freeze: bool = True) -> None:
    """Import every parser, load the rules and models and read the sample reports once (a fork server does this
    before forking workers).

    ``freeze``: then move every object alive to the garbage collector's permanent generation (``gc.freeze``). The
    modules, rules and models are never garbage, and a full collection that scans them all again took 0.1 s every
    few reports; in a fork server it also keeps the collector from writing to, and so copying, the pages that
    forked workers share.
    """
    global _warm
    if _warm:
        return
    _warm = True
    from ..formats import text  # noqa: F401

    with tempfile.TemporaryDirectory(prefix="docmine-warm-") as tmp:
        path = os.path.join(tmp, "warm.txt")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_WARM_TEXT)
        process_file(path)
    for sample in SAMPLES:  # packed, as a worker's files are: the rows and MinHash signature readied too
        process_file(sample, finish=pack)
    if freeze:
        gc.collect()  # the warm-up's garbage first: frozen, it would never be freed
        gc.freeze()


def serve(requests: Connection, replies: Connection, limits: Limits) -> None:
    """Answer requests until the parent says stop or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    apply_memory_limit(limits.worker_memory_mb)
    scratch = use_scratch()  # temporary files under docmine-worker-<pid>: the parent removes it when this is gone
    try:
        _serve(requests, replies, limits)
    finally:  # (the parent went away, or asked it to stop): its leftovers go with it
        kill_groups(scratch)
        shutil.rmtree(scratch, ignore_errors=True)


def _serve(requests: Connection, replies: Connection, limits: Limits) -> None:
    with listening(functools.partial(_send_page, replies)):  # pages read, sent ahead of the file's answer
        _answer(requests, replies, limits)


def _send_page(replies: Connection, event: PageEvent) -> None:
    """A page event (``formats.progress``) to the parent, on the result channel, before the file's answer."""
    replies.send(event)


def _answer(requests: Connection, replies: Connection, limits: Limits) -> None:
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        if isinstance(request, tuple):  # the file's name and bytes, sent by a parent on another machine (Dask)
            path, data = request
            testpoints.worker_reading(path)
            result = process_file(path, limits, finish=pack, data=data)
            del data, request
        else:
            testpoints.worker_reading(request)
            result = process_file(request, limits, finish=pack)
        retire = near_memory_cap(limits)  # a fresh worker for the next file, with its memory back
        try:
            replies.send((result, retire))
        except (MemoryError, pickle.PicklingError, RecursionError) as err:
            result = FileResult(
                id=result.id, path=result.path, file_name=result.file_name, size=result.size, format=result.format,
                status="error", error=f"TooLarge: the result of reading this file is too large to send back to the "
                f"writer ({type(err).__name__}).{memory_note(limits) if retire else ''}",
            )
            del err
            replies.send((result, True))
            return
        except (BrokenPipeError, OSError):
            return
        if retire:
            return


def main(argv: list[str]) -> None:
    read_fd, write_fd = int(argv[0]), int(argv[1])
    limits = pickle.loads(bytes.fromhex(argv[2])) if len(argv) > 2 else Limits.from_env()
    # Keep the protocol pipe clean: anything a library prints goes to stderr instead of stdout.
    os.dup2(2, 1)
    warm_up()
    serve(Connection(read_fd, writable=False), Connection(write_fd, readable=False), limits)


if __name__ == "__main__":
    main(sys.argv[1:])
