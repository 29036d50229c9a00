"""Word 97-2003 (.doc): converted to DOCX by LibreOffice headless, then read by the DOCX parser (footnotes, tables
and legacy-font decoding included).

Each conversion runs in its own temporary directory with a private LibreOffice profile
(``-env:UserInstallation``), so parallel conversions and a user's open LibreOffice do not interfere, and under a
timeout so a pathological file cannot hang a batch.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import CorruptDocument, MissingTool
from ..model import Document

TIMEOUT_SECONDS = 120
_CANDIDATES = ("soffice", "libreoffice")
_INSTALL = (
    "LibreOffice is needed to read Word 97-2003 .doc files: install it (Debian/Ubuntu: "
    "`apt-get install libreoffice-writer-nogui`, or libreoffice-writer) or save the file as DOCX and ingest that."
)


def find_soffice() -> str | None:
    """Path of the LibreOffice binary (``DOCMINE_SOFFICE`` overrides the search)."""
    override = os.environ.get("DOCMINE_SOFFICE")
    if override:
        return override if Path(override).exists() or shutil.which(override) else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The DOCX LibreOffice makes of ``data`` (.doc, or anything LibreOffice Writer opens)."""
    soffice = find_soffice()
    if soffice is None:
        raise MissingTool(_INSTALL)
    with tempfile.TemporaryDirectory(prefix="docmine-lo-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        src = work / "input.doc"
        src.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        profile = (work / "profile").as_uri()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            str(src),
        ]
        env = {**os.environ, "HOME": tmp}  # LibreOffice writes caches under $HOME
        try:
            proc = _run(cmd, timeout, env, work)
        except subprocess.TimeoutExpired:
            raise CorruptDocument(
                f"LibreOffice did not finish converting the .doc file within {timeout:.0f} s (damaged or huge "
                "file?): open it in Word or LibreOffice, save as DOCX and ingest that."
            ) from None
        except OSError as err:
            raise MissingTool(f"LibreOffice could not be started ({err}). {_INSTALL}") from None
        result = out_dir / "input.docx"
        if proc.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            detail = (proc.stderr or proc.stdout or b"").decode("utf-8", errors="replace").strip()[-300:]
            raise CorruptDocument(
                "LibreOffice could not convert this Word 97-2003 .doc file"
                + (f" ({detail})" if detail else "")
                + ": it may be damaged or password-protected; open it in Word, save as DOCX and ingest that."
            )
        return result.read_bytes()


def _run(cmd: list[str], timeout: float, env: dict[str, str], work: Path) -> subprocess.CompletedProcess:
    """Run LibreOffice in its own process group and kill the whole group when it ends, in every case (done, timed
    out, interrupted): soffice starts soffice.bin and helpers that outlive a killed launcher. While it runs, the
    group id is recorded in ``work`` (``*.docmine-pgid``), so a worker killed meanwhile has it killed by its parent
    (``extractor.run.scratch``)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                            cwd=work, start_new_session=True)
    record = work / "soffice.docmine-pgid"
    try:
        record.write_text(str(proc.pid), encoding="ascii")
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    finally:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)  # (its group: the pid of a session leader is its group id)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=5)
        record.unlink(missing_ok=True)


def parse(data: bytes, path: str | None = None) -> Document:
    from .docx import parse as parse_docx

    doc = parse_docx(convert_to_docx(data), path)
    doc.format = "doc"
    doc.path = path
    return doc
