"""Safety limits for reading untrusted files, in one place: file size, PDF page count, time and memory per file.

Every limit has an environment variable (and the ``ingest`` command has flags for the time and memory ones). The
DOCX zip-bomb limits (decompressed part and package size, compression ratio) live next to the zip reader in
``formats.docx``; XML is parsed there without entity expansion, DTD loading or network access.

The time and memory limits are enforced by the worker processes of ``extractor.run.executors``: each worker caps its
own address space with ``RLIMIT_AS`` (an allocation beyond it fails with MemoryError, or the worker dies and is
replaced), and a watchdog in the parent kills a worker that spends longer than the time limit on one file.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import resource
from dataclasses import dataclass, replace

from ..errors import CorruptDocument, TimeLimitExceeded, TooLarge, WorkerCrashed

__all__ = ["Limits", "TimeLimitExceeded", "WorkerCrashed"]

MB = 1024 * 1024


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"Environment variable {name}={raw!r} is not a number.") from None


@dataclass(frozen=True)
class Limits:
    """What one file may cost. Zero or a negative number switches a limit off."""

    max_file_bytes: int = 200 * MB  # DOCMINE_MAX_FILE_BYTES
    max_pdf_pages: int = 2000  # DOCMINE_MAX_PDF_PAGES
    timeout_seconds: float = 300.0  # DOCMINE_FILE_TIMEOUT (LibreOffice .doc conversion alone may take 120 s)
    worker_memory_mb: int = 2048  # DOCMINE_WORKER_MEMORY_MB: address-space cap of each worker process

    @classmethod
    def from_env(cls, **overrides: float | int | None) -> Limits:
        limits = cls(
            max_file_bytes=int(_env_number("DOCMINE_MAX_FILE_BYTES", cls.max_file_bytes)),
            max_pdf_pages=int(_env_number("DOCMINE_MAX_PDF_PAGES", cls.max_pdf_pages)),
            timeout_seconds=_env_number("DOCMINE_FILE_TIMEOUT", cls.timeout_seconds),
            worker_memory_mb=int(_env_number("DOCMINE_WORKER_MEMORY_MB", cls.worker_memory_mb)),
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(limits, **given) if given else limits


def apply_memory_limit(megabytes: int) -> None:
    """Cap this process's address space (RLIMIT_AS); children it starts (LibreOffice) inherit the cap."""
    if megabytes <= 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = megabytes * MB
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or want < soft:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def peak_memory_mb() -> float:
    """This process's peak address-space size (VmPeak), in MB; 0 where /proc is not available."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def near_memory_cap(limits: Limits) -> bool:
    """Whether this process has come within 10% of its memory cap (a failure then is most likely for want of
    memory, whatever exception the library raised, and the worker should be replaced)."""
    return limits.worker_memory_mb > 0 and peak_memory_mb() >= 0.9 * limits.worker_memory_mb


def memory_note(limits: Limits) -> str:
    return (f" The worker reached its {limits.worker_memory_mb} MB memory cap while reading it "
            "(DOCMINE_WORKER_MEMORY_MB, --memory-mb): the file needs more memory than allowed.")


def file_too_large(size: int, limits: Limits) -> TooLarge | None:
    if limits.max_file_bytes > 0 and size > limits.max_file_bytes:
        return TooLarge(
            f"File is {size:,} bytes, over the {limits.max_file_bytes:,}-byte limit (DOCMINE_MAX_FILE_BYTES): split "
            "it or raise the limit."
        )
    return None


def check_pdf_pages(data: bytes, limits: Limits) -> None:
    """Refuse a PDF whose page tree claims more pages than the limit, before any page is laid out."""
    if limits.max_pdf_pages <= 0:
        return
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - a dependency
        return
    try:
        pdf = pdfium.PdfDocument(io.BytesIO(data))
    except Exception:  # damaged or encrypted: the PDF parser reports it with its own advice
        return
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages > limits.max_pdf_pages:
        raise TooLarge(
            f"The PDF has {pages:,} pages, over the {limits.max_pdf_pages:,}-page limit (DOCMINE_MAX_PDF_PAGES): "
            "split it into reports, or raise the limit if it really is one report."
        )


_DTD_MARKS = ("<!DOCTYPE", "<!ENTITY")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")


def _xml_encoding(head: bytes) -> str:
    """The encoding of an XML part, from its byte-order mark, the zero bytes of UTF-16/32 without one, or its
    declaration (XML 1.0 appendix F); UTF-8 otherwise."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return name
    for start, name in ((b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"), (b"<\0", "utf-16-le"),
                        (b"\0<", "utf-16-be")):
        if head.startswith(start):
            return name
    m = _XML_ENCODING.match(head)
    if m:
        name = m.group(1).decode("ascii")
        try:
            return codecs.lookup(name).name
        except LookupError:
            return "utf-8"  # a name Python does not know: libxml2 may, but it never loads a DTD (formats.docx)
    return "utf-8"


def declares_dtd(part) -> bool:
    """Whether an XML part (a binary file object) holds ``<!DOCTYPE`` or ``<!ENTITY`` anywhere, in its own encoding:
    the whole part is read in chunks, decoded as it declares (UTF-16, UTF-32 …), so neither padding before the DTD
    nor another encoding hides it."""
    head = part.read(1 << 16)
    encoding = _xml_encoding(head)
    if encoding in ("utf-8", "utf-8-sig", "ascii"):  # (what Word writes) the marks are the same bytes: no decoding
        marks, tail, chunk = [m.encode("ascii") for m in _DTD_MARKS], b"", head
        while chunk:
            window = tail + chunk  # joined once, not once per mark
            if any(mark in window for mark in marks):
                return True
            tail, chunk = chunk[-16:], part.read(1 << 20)
        return False
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    tail = ""
    chunk = head
    while chunk:
        text = tail + decoder.decode(chunk)
        if any(mark in text for mark in _DTD_MARKS):
            return True
        tail = text[-16:]
        chunk = part.read(1 << 20)
    return any(mark in tail + decoder.decode(b"", final=True) for mark in _DTD_MARKS)


def check_docx_xml(data: bytes) -> None:
    """Refuse a DOCX whose XML parts declare a DTD: Word never writes one, and a DTD is how entity bombs (billion
    laughs) and external-entity attacks start. The parser expands no entities anyway; this names the problem.
    Parts over the DOCX parser's size limits are left to it (it refuses them without inflating them)."""
    import zipfile

    from ..formats.docx import MAX_PART_BYTES

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return  # the DOCX parser reports the damage
    with zf:
        for info in zf.infolist():
            if not info.filename.endswith((".xml", ".rels")) or info.file_size == 0 or info.file_size > MAX_PART_BYTES:
                continue
            try:
                with zf.open(info) as part:
                    found = declares_dtd(part)
            except Exception:
                return  # damaged part: the DOCX parser reports it
            if found:
                raise CorruptDocument(
                    f"DOCX part {info.filename} declares a DTD (<!DOCTYPE …> with entity definitions), which Word "
                    "never writes: an XML entity bomb or external-entity attack? The file was not read; ask the "
                    "sender for a copy saved by Word."
                )


def timeout_error(limits: Limits) -> TimeLimitExceeded:
    return TimeLimitExceeded(
        f"Reading this file took longer than the {limits.timeout_seconds:g} s limit (DOCMINE_FILE_TIMEOUT, "
        "--timeout); the worker was stopped. The file may be built to hang a reader, or simply huge: check it, or "
        "raise the limit and run ingest again with --retry-errors."
    )


# Signals by which a reader dies *because of the file* (a native crash on its bytes); any other death (SIGKILL,
# SIGTERM: the operator, the system's out-of-memory killer, a stopped machine) is not the file's fault.
FILE_FAULT_SIGNALS = frozenset({"SIGSEGV", "SIGBUS", "SIGABRT", "SIGFPE", "SIGILL", "SIGSYS", "SIGXCPU"})
RETRY_NEXT_RUN = "read again once, automatically, on the next ingest"  # a crash row the next run reads again
RETRIED = "after the automatic retry"  # a crash row of that retry: not read again unless --retry-errors


def _signal_name(exitcode: int | None) -> str | None:
    if exitcode is None or exitcode >= 0:
        return None
    import signal

    try:
        return signal.Signals(-exitcode).name
    except ValueError:
        return f"signal {-exitcode}"


def file_at_fault(exitcode: int | None) -> bool:
    """Whether a worker that ended with ``exitcode`` died of the file it was reading (a native crash, or Python
    itself exiting on an error) rather than being killed from outside."""
    name = _signal_name(exitcode)
    return name in FILE_FAULT_SIGNALS if name else exitcode is not None and exitcode > 0


def crash_error(exitcode: int | None, limits: Limits, *, retried_now: bool = False,
                final: bool = False) -> WorkerCrashed:
    """The error of a file whose worker died. ``retried_now``: it was killed from outside, read again at once in
    this run, and died again; ``final``: this was the automatic retry of an earlier run (no further one)."""
    name = _signal_name(exitcode)
    if name:
        how = f"was killed by {name}" if name.startswith("signal") else f"was killed by signal {name}"
    else:
        how = f"exited with code {exitcode}" if exitcode is not None else "stopped answering"
    if file_at_fault(exitcode):
        why = (f" (a crash in a native library on damaged bytes, or out of memory under the {limits.worker_memory_mb}"
               " MB cap, DOCMINE_WORKER_MEMORY_MB: the file's fault)")
    else:
        why = (" (killed from outside: by the operator, the system's out-of-memory killer or a shutdown, not by "
               "anything in the file")
        why += "; it was read again at once in this run and its worker died again)" if retried_now else ")"
    if final:
        then = (f"; this was {RETRIED}, so it is not read again unless asked (--retry-errors): check the file, or "
                "ask the sender for it again (đã đọc lại một lần và vẫn lỗi).")
    else:
        then = f"; it is {RETRY_NEXT_RUN} (sẽ tự động đọc lại một lần ở lần chạy sau)."
    return WorkerCrashed(f"The worker process reading this file {how}{why}{then}")


def awaits_retry(error: str | None) -> bool:
    """Whether an error row is a worker death the next run reads again by itself."""
    return bool(error) and error.startswith("WorkerCrashed:") and RETRY_NEXT_RUN in error
