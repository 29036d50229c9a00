"""Issue 17: the inputs and faults a batch still broke on, one test per row of the issue's table (named after it).

Every test reproduces its row (the input or fault as an attacker or a clumsy operator makes it) and checks the
batch now finishes with a recorded row, a clear message, a consistent database and the good files stored. Faults
are injected at chosen points (``extractor.run.testpoints``: a kill between documents or inside a transaction, a
held writer, a worker that dies on a named file), never at random moments, so a test fails only when the code is
wrong. Complexity is checked by counting operations, not by timing (the speed of these inputs is measured by
``bench/hostile.py``); the two inputs that took minutes when quadratic carry a generous pytest-timeout."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from urllib.error import HTTPError, URLError

import pytest
import sqlite_utils
from conftest import stored_documents

from extractor.run import ingest as ingest_module
from extractor.run.ingest import ingest, process_file
from extractor.run.limits import Limits
from extractor.store import db as store

ROOT = Path(__file__).resolve().parent.parent
# process_file called in the test process: no memory cap applies to it, so none is reported (a long pytest run's
# peak would otherwise add "reached its … memory cap" to the messages)
IN_PROCESS = Limits(worker_memory_mb=0)


# -- helpers -------------------------------------------------------------------------------------------------------
def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    env.pop("DOCMINE_TEST_POINT", None)
    env.pop("DOCMINE_TEST_WORKER_DIE", None)
    env.update(extra)
    return env


def _cli_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "extractor.cli", *args]


def _run_cli(*args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(_cli_args(*args), capture_output=True, timeout=timeout, env=_env(**env), cwd=ROOT,
                          check=False)


def _rows(db_path: Path) -> dict[str, dict]:
    return {r["file_name"]: r for r in sqlite_utils.Database(db_path)["documents"].rows}


def _good_folder(folder: Path, own: Path, shared: Path | None = None) -> list[str]:
    """The project's own reports (9 files), and with ../shared its text exports and Word reports (20 in all)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    sources = sorted((own / "reports").iterdir())
    if shared is not None:
        sources += sorted((shared / "text").glob("*.txt")) + sorted((shared / "docx").glob("*.docx"))
        sources.append(shared / "legacy" / "son-tra-2024-tcvn3.docx")
    for src in sources:
        name = f"{src.parent.name}-{src.name}"
        shutil.copy(src, folder / name)
        names.append(name)
    return names


def _documents(db_path: Path) -> dict[str, tuple]:
    """file name → (id, status, footnote_count, text) of every stored document."""
    db = sqlite_utils.Database(db_path)
    return {r["file_name"]: (r["id"], r["status"], r["footnote_count"], r["text"]) for r in db["documents"].rows}


def _consistent(db_path: Path) -> None:
    assert store.integrity_problems(db_path) == []
    db = sqlite_utils.Database(db_path)
    for doc_id, status, announced, footnotes, blocks in db.execute(
        "select d.id, d.status, d.footnote_count, (select count(*) from footnotes f where f.document_id = d.id), "
        "(select count(*) from blocks b where b.document_id = d.id) from documents d"
    ).fetchall():
        if status == "ok":
            assert blocks > 0 and footnotes == announced, doc_id
        else:
            assert blocks == footnotes == 0, doc_id


# -- walking the input ---------------------------------------------------------------------------------------------
def test_a_file_name_with_a_non_utf8_byte_in_the_input_folder(tmp_path, own_corpus, shared_corpus):
    folder = tmp_path / "in"
    good = _good_folder(folder, own_corpus, shared_corpus)
    assert len(good) == 20
    bad = os.fsencode(folder) + b"/b\xe1o-c\xe1o-\xff.txt"  # Latin-1 bytes of an old archive, and 0xFF
    with open(bad, "wb") as fh:
        fh.write((shared_corpus / "text" / "son-tra-2024.txt").read_bytes() + b"\nBan sao.\n")
    db_path = tmp_path / "out.db"
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q")
    assert run.returncode == 0, run.stderr.decode()
    rows = _rows(db_path)
    assert set(good) <= set(rows) and all(rows[n]["status"] == "ok" for n in good)
    stored = rows["b\\xe1o-c\\xe1o-\\xff.txt"]  # the name as stored: each undecodable byte written \xNN
    assert stored["status"] == "ok" and stored["path"] == f"{folder}/b\\xe1o-c\\xe1o-\\xff.txt"
    assert "Ban sao." in stored["text"]
    files = {r["path"] for r in sqlite_utils.Database(db_path)["files"].rows}
    assert f"{folder.resolve()}/b\\xe1o-c\\xe1o-\\xff.txt" in files
    again = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2")
    assert again.returncode == 0 and "21 tệp không đổi từ lần chạy trước" in again.stdout.decode()


def test_a_symlink_loop_in_the_input_folder(tmp_path, own_corpus):
    folder = tmp_path / "in"
    good = _good_folder(folder, own_corpus)
    os.symlink(folder / "loop-b", folder / "loop-a")  # a → b → a
    os.symlink(folder / "loop-a", folder / "loop-b")
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "up")  # a folder link back up the tree: walked once, never again
    os.symlink("sub", folder / "sub-again")
    db_path = tmp_path / "out.db"
    for _ in range(2):  # the same on every run: recorded, never a stop
        run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "1", "-q", timeout=300)
        assert run.returncode == 0, run.stderr.decode()
    rows = _rows(db_path)
    assert all(rows[n]["status"] == "ok" for n in good)
    for name in ("loop-a", "loop-b"):
        assert rows[name]["status"] == "error"
        assert rows[name]["error"] == f"SkippedLink: {folder}/{name} is a symbolic link loop: not read " \
                                      "(liên kết không đọc được)."
    assert len(rows) == len(good) + 2  # nothing under sub/up or sub-again read a second time


def test_a_fifo_or_a_symlink_to_dev_zero_in_the_input_folder(tmp_path, own_corpus):
    folder = tmp_path / "in"
    good = _good_folder(folder, own_corpus)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.docx")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.pdf"))
    db_path = tmp_path / "out.db"
    try:
        for follow in ((), ("--follow-links",)):  # followed, /dev/zero is a device: not opened either
            run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "1", "-q", "--force", *follow,
                           timeout=300)  # (it hung forever: no answer, no row)
            assert run.returncode == 0, run.stderr.decode()
            rows = _rows(db_path)
            assert rows["pipe.txt"]["error"] == (f"NotAFile: {folder}/pipe.txt is a named pipe (FIFO), not a file: "
                                                 "not opened (reading it could block or never end).")
            assert rows["sock.pdf"]["error"].startswith(f"NotAFile: {folder}/sock.pdf is a socket, not a file")
            zero = rows["zero.docx"]["error"]
            if follow:
                assert zero.startswith(f"NotAFile: {folder}/zero.docx is a device, not a file"), zero
            else:
                assert zero.startswith(f"SkippedLink: {folder}/zero.docx is a symbolic link to /dev/zero, outside")
            assert all(rows[n]["status"] == "ok" for n in good)
    finally:
        server.close()


def test_a_symlink_to_a_file_outside_the_input_tree(tmp_path, own_corpus):
    folder = tmp_path / "in"
    good = _good_folder(folder, own_corpus)
    secret = tmp_path / "secret.md"
    secret.write_text("# BÁO CÁO MẬT\n\nMật khẩu quản trị: hunter2, không được công bố.\n", encoding="utf-8")
    os.symlink(secret, folder / "report.md")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink(folder / "reports-xa-my-thanh-dong-6-thang-2024.md", folder / "inside-link.md")  # followed: inside
    db_path = tmp_path / "out.db"
    summary = ingest([folder], db_path, jobs=1)
    rows = _rows(db_path)
    for name, target in (("report.md", secret), ("passwd.txt", Path("/etc/passwd"))):
        assert rows[name]["status"] == "error" and rows[name]["text"] is None
        assert rows[name]["error"] == (
            f"SkippedLink: {folder}/{name} is a symbolic link to {target}, outside the folders given: not read "
            "(liên kết ra ngoài thư mục đầu vào; ingest --follow-links to read it).")
    everything = " ".join(str(v) for t in store.CHILD_TABLES for r in sqlite_utils.Database(db_path)[t].rows
                          for v in r.values())
    assert "hunter2" not in everything and "root:x:0:0" not in everything
    assert summary.errors == 2 and summary.ok == len(good)  # the link inside the tree: the same content, skipped
    followed = ingest([folder], db_path, jobs=1, follow_links=True)
    rows = _rows(db_path)
    assert rows["report.md"]["status"] == "ok" and "hunter2" in rows["report.md"]["text"]
    assert followed.files == 2


# -- everything linear ---------------------------------------------------------------------------------------------
def _events(func, *args) -> int:
    """Python and C function calls made by ``func(*args)`` (sys.setprofile): an operation count, not a time."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        count += 1

    sys.setprofile(profile)
    try:
        func(*args)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.timeout(240)  # 184 s when quadratic (on an idle machine); about 15 s now
def test_200_kb_of_1_percent_1_percent(tmp_path):
    from extractor.extract.figures import figures_in_text

    path = tmp_path / "percent.txt"
    path.write_text("BÁO CÁO\n" + "1% " * 66_667, encoding="utf-8")
    assert path.stat().st_size > 200_000
    result = process_file(path, IN_PROCESS, packed=True)
    assert result.status == "ok", result.error
    assert result.count("figures") == 66_667
    # operations grow with the input, not with its square: 4 times the text, about 4 times the calls
    small, large = (_events(figures_in_text, "1% " * n) for n in (2_000, 8_000))
    assert 3.5 < large / small < 4.5, (small, large)


def _footnotes_export(n: int) -> str:
    lines = ["BÁO CÁO", ""]
    for k in range(n):
        mark = k % 999 + 1
        lines += [f"Đoạn {k}: ban hành 01 kế hoạch<sup>{mark}</sup>.", "",
                  f"<sup>{mark}</sup> Kế hoạch số {k}/KH-UBND.", ""]
    return "\n".join(lines)


def _one_block_export(n: int) -> str:
    body = " ".join(f"kế hoạch<sup>{k % 999 + 1}</sup>," for k in range(n))
    notes = "\n\n".join(f"<sup>{k % 999 + 1}</sup> Kế hoạch số {k}/KH-UBND." for k in range(n))
    return f"BÁO CÁO\n\nBan hành {body} xong.\n\n---\n\n{notes}"


@pytest.mark.timeout(240)  # 83 s when quadratic; about 6 s now
def test_a_text_export_with_40000_footnotes(tmp_path):
    from extractor.formats.text import parse
    from extractor.pipeline import extract_all, prepare

    path = tmp_path / "notes.md"
    path.write_text(_footnotes_export(40_000), encoding="utf-8")
    result = process_file(path, IN_PROCESS, packed=True)
    assert result.status == "ok", result.error
    assert result.count("footnotes") == 40_000
    assert result.count("citations") == 40_000  # each note's "Kế hoạch số k/KH-UBND"

    def whole(text: str) -> None:
        extract_all(prepare(parse(text.encode("utf-8"))))

    for build in (_footnotes_export, _one_block_export):  # notes after each paragraph, or all marks in one
        small, large = (_events(whole, build(n)) for n in (500, 2_000))
        assert 3.5 < large / small < 4.5, (build.__name__, small, large)


def _blank_scan_pdf(path: Path, pages: int) -> None:
    from PIL import Image

    blank = Image.new("L", (200, 280), 255)  # a white page image, as a scanner sends an empty sheet
    blank.save(path, "PDF", save_all=True, append_images=[blank] * (pages - 1), resolution=30)


def test_a_1999_page_blank_image_pdf(tmp_path, monkeypatch):
    from extractor.formats.pdf import ocr

    path = tmp_path / "blank-scan.pdf"
    _blank_scan_pdf(path, 1999)
    calls = []
    monkeypatch.setattr(ocr, "run_tesseract", lambda *a, **k: calls.append(a) or [])
    result = process_file(path, IN_PROCESS, packed=True)
    assert result.status == "error" and result.error.startswith("EmptyDocument: OCR found no text"), result.error
    assert calls == []  # every page skipped by the quick look: no page went to Tesseract (it took 300 s)


def test_a_scanned_pdf_with_more_inked_pages_than_the_ocr_cap(tmp_path, monkeypatch):
    from PIL import Image, ImageDraw

    from extractor.formats.pdf import ocr

    page = Image.new("L", (400, 560), 255)
    ImageDraw.Draw(page).rectangle((40, 40, 360, 120), fill=0)  # ink: not blank
    path = tmp_path / "inked.pdf"
    page.save(path, "PDF", save_all=True, append_images=[page] * 11, resolution=50)
    calls = []
    monkeypatch.setattr(ocr, "run_tesseract", lambda *a, **k: calls.append(a) or [])
    monkeypatch.setenv("DOCMINE_MAX_OCR_PAGES", "5")
    monkeypatch.setenv("DOCMINE_OCR_WORKERS", "1")
    result = process_file(path, IN_PROCESS, packed=True)
    assert result.error == ("TooLarge: The scanned PDF has more than 5 pages with text to OCR (of 12 pages; "
                            "DOCMINE_MAX_OCR_PAGES): split it into reports, or raise the limit if it really is one "
                            "report.")
    assert len(calls) == 5


def test_a_20_gb_sparse_file(tmp_path, own_corpus, monkeypatch):
    folder = tmp_path / "in"
    good = _good_folder(folder, own_corpus)
    huge = folder / "huge.pdf"
    with huge.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(20 * 1024**3)  # sparse: no disk used, but 20 GB to read
    hashed = []
    real_hash = ingest_module.hash_file
    monkeypatch.setattr(ingest_module, "hash_file", lambda p: hashed.append(Path(p).name) or real_hash(p))
    db_path = tmp_path / "out.db"
    summary = ingest([folder], db_path, jobs=1)
    row = _rows(db_path)["huge.pdf"]
    assert row["status"] == "error" and row["format"] == "pdf"
    assert row["error"] == ("TooLarge: File is 21,474,836,480 bytes, over the 209,715,200-byte limit "
                            "(DOCMINE_MAX_FILE_BYTES): split it or raise the limit.")
    assert "huge.pdf" not in hashed and sorted(hashed) == sorted(good)  # refused before a byte of it was hashed
    assert summary.errors == 1 and summary.ok == len(good)
    # process_file (what a worker runs when given the file directly) refuses it without hashing too
    assert process_file(huge, IN_PROCESS).error == row["error"] and "huge.pdf" not in hashed


# -- worker deaths, concurrency, disk full -------------------------------------------------------------------------
def test_a_worker_killed_while_reading_a_file(tmp_path, own_corpus):
    folder = tmp_path / "in"
    good = _good_folder(folder, own_corpus)
    victim = "reports-huyen-thach-lam-quy-1-2024.docx"
    db_path = tmp_path / "out.db"
    log = tmp_path / "deaths.log"

    # killed from outside (SIGKILL) once: not the file's fault, read again at once in the same run
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q",
                   DOCMINE_TEST_WORKER_DIE=f"{victim}:SIGKILL:1:{log}")
    assert run.returncode == 0, run.stderr.decode()
    assert len(log.read_text().splitlines()) == 1
    assert all(r["status"] == "ok" for r in _rows(db_path).values()) and len(_rows(db_path)) == len(good)

    # a native crash (SIGSEGV) twice: the file's fault; recorded, read again once by the next plain run
    db_path, log = tmp_path / "crash.db", tmp_path / "crash.log"
    die = {"DOCMINE_TEST_WORKER_DIE": f"{victim}:SIGSEGV:2:{log}"}
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q", **die)
    assert run.returncode == 0, run.stderr.decode()
    error = _rows(db_path)[victim]["error"]
    assert error.startswith("WorkerCrashed: The worker process reading this file was killed by signal SIGSEGV (a "
                            "crash in a native library on damaged bytes"), error
    assert error.endswith("the file's fault); it is read again once, automatically, on the next ingest (sẽ tự động "
                          "đọc lại một lần ở lần chạy sau)."), error
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q", **die)  # it crashes again
    error = _rows(db_path)[victim]["error"]
    assert "this was after the automatic retry, so it is not read again unless asked (--retry-errors)" in error
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2", **die)  # not read a third time
    assert "9 tệp không đổi từ lần chạy trước" in run.stdout.decode()  # Vietnamese first (--lang en for English)
    assert len(log.read_text().splitlines()) == 2
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q", "--retry-errors", **die)
    assert _rows(db_path)[victim]["status"] == "ok"  # (the test's crash happened twice only)

    # crashed once: the next plain run (no flag) reads it again and stores it
    db_path, log = tmp_path / "once.db", tmp_path / "once.log"
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q",
                   DOCMINE_TEST_WORKER_DIE=f"{victim}:SIGSEGV:1:{log}")
    assert _rows(db_path)[victim]["status"] == "error"
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "2", "-q")
    assert run.returncode == 0 and _rows(db_path)[victim]["status"] == "ok"
    _consistent(db_path)


def test_two_docmine_ingest_on_one_database_at_once(tmp_path, own_corpus):
    folder = tmp_path / "in"
    _good_folder(folder, own_corpus)
    clean = tmp_path / "clean.db"
    assert _run_cli("ingest", str(folder), "--db", str(clean), "--jobs", "1", "-q").returncode == 0
    db_path, release = tmp_path / "both.db", tmp_path / "release"
    first = subprocess.Popen(_cli_args("ingest", str(folder), "--db", str(db_path), "--jobs", "1", "-q"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                             env=_env(DOCMINE_TEST_POINT="after:2:hold", DOCMINE_TEST_RELEASE=str(release),
                                      DOCMINE_GROUP_DOCUMENTS="2", DOCMINE_GROUP_MS="600000"))
    second_err = tmp_path / "second.err"
    try:
        deadline = time.monotonic() + 120
        while stored_documents(db_path) < 2 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        assert stored_documents(db_path) == 2  # the first holds after its second document, inside its run
        with second_err.open("wb") as err:
            second = subprocess.Popen(_cli_args("ingest", str(folder), "--db", str(db_path), "--jobs", "1", "-q"),
                                      stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=_env())
            while "waiting for it to finish" not in second_err.read_text() and time.monotonic() < deadline:
                assert second.poll() is None, second_err.read_text()
                time.sleep(0.05)
            release.touch()
            assert first.wait(120) == 0, first.stderr.read().decode()
            assert second.wait(120) == 0, second_err.read_text()
    finally:
        release.touch()
        first.kill()
    message = second_err.read_text()
    assert re.search(r"docmine: một lệnh ingest khác \(tiến trình/process \d+\) đang ghi vào .*both\.db; chờ lệnh "
                     r"đó xong rồi tiếp tục… / another ingest \(tiến trình/process \d+\) is writing .*both\.db; "
                     "waiting for it to finish, then going on…", message), message
    assert "locked" not in message + first.stderr.read().decode()
    assert _documents(db_path) == _documents(clean)  # nothing missing, nothing twice
    _consistent(db_path)


def test_disk_full_at_the_write_point(tmp_path, own_corpus, monkeypatch):
    """An injected ENOSPC where the writer stores a document (the third): one clear line, what was stored, exit 3,
    a consistent database; the next run finishes the job."""
    from typer.testing import CliRunner

    from extractor.cli import app

    folder = tmp_path / "in"
    _good_folder(folder, own_corpus)
    real_write = ingest_module.write_result
    writes = []

    def full_disk(db, result, **kwargs):
        writes.append(result.file_name)
        if len(writes) == 3:
            real_write(db, result, **kwargs)  # its rows are in the transaction when the disk fills
            raise OSError(28, "No space left on device", str(tmp_path / "out.db-wal"))
        return real_write(db, result, **kwargs)

    monkeypatch.setattr(ingest_module, "write_result", full_disk)
    db_path = tmp_path / "out.db"
    run = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db_path), "--jobs", "0", "-q"])
    assert run.exit_code == 3, run.output
    lines = [ln for ln in run.output.splitlines() if ln.strip()]
    assert lines[0].startswith(f"error: Ổ đĩa đầy / the disk is full: No space left on device ({tmp_path}/out.db-wal) "
                               f"while writing {db_path}. The run stopped"), run.output
    assert "Traceback" not in run.output
    assert any(ln.startswith("Đã lưu trước khi dừng / stored before it stopped: 2 ok, 0 errors") for ln in lines)
    _consistent(db_path)
    assert len(_documents(db_path)) == 2  # the third rolled back whole
    monkeypatch.setattr(ingest_module, "write_result", real_write)
    assert ingest([folder], db_path, jobs=0).ok == 7  # what was stored stays; the rest is read now
    _consistent(db_path)


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, timeout=30, check=False)
    except OSError:
        return False
    return done.returncode == 0


def test_disk_full_on_a_small_real_filesystem(tmp_path, own_corpus, shared_corpus):
    """The real thing: the database on a 1.5 MB tmpfs, filled by the reports' rows (needs permission to mount;
    the injected test above covers machines without it)."""
    folder = tmp_path / "in"
    _good_folder(folder, own_corpus, shared_corpus)
    small = tmp_path / "small"
    if not _mount_tmpfs(small, "1536k"):
        pytest.skip("cannot mount a tmpfs here (not root, or no mount permission)")
    try:
        db_path = small / "out.db"
        run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "1", "-q")
        err = run.stderr.decode()
        assert run.returncode == 3, (run.returncode, err, run.stdout.decode())
        assert "Traceback" not in err
        assert "error: Ổ đĩa đầy / the disk is full: database or disk is full while writing" in " ".join(err.split())
        assert re.search(r"stored before it stopped: \d+ ok, \d+ errors", " ".join(err.split()))
        shutil.copy(db_path, tmp_path / "copy.db")  # checked off the full disk (the WAL was checkpointed into it)
        for suffix in ("-wal", "-shm"):
            if Path(f"{db_path}{suffix}").exists():
                shutil.copy(f"{db_path}{suffix}", f"{tmp_path / 'copy.db'}{suffix}")
        _consistent(tmp_path / "copy.db")
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False, timeout=30)


# -- XML guards, LibreOffice, UTF-16 -------------------------------------------------------------------------------
def _rezip(src: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return out.getvalue()


def test_a_dtd_in_document_xml_after_4_kb_of_padding_or_in_utf16(tmp_path, own_corpus):
    src = (own_corpus / "reports" / "huyen-thach-lam-quy-1-2024.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zf:
        body = zf.read("word/document.xml")
    decl_end = body.index(b"?>") + 2
    dtd = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    padded = body[:decl_end] + b"\n" * 4096 + b"<!-- " + b" " * 8192 + b" -->" + dtd + body[decl_end:]
    text = body.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    decl = text.index("?>") + 2
    utf16 = (text[:decl] + dtd.decode() + text[decl:]).encode("utf-16")
    far = body[:decl_end] + body[decl_end:].replace(b"</w:body>", b"</w:body><!-- " + dtd + b" -->")
    for name, part in (("padded", padded), ("utf16", utf16), ("far", far)):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(_rezip(src, {"word/document.xml": part}))
        result = process_file(path, IN_PROCESS)
        assert result.error == (
            "CorruptDocument: DOCX part word/document.xml declares a DTD (<!DOCTYPE …> with entity definitions), "
            "which Word never writes: an XML entity bomb or external-entity attack? The file was not read; ask the "
            "sender for a copy saved by Word."), (name, result.error)
    clean = tmp_path / "clean.docx"
    clean.write_bytes(_rezip(src, {"word/document.xml": body[:decl_end] + b"\n" * 5000 + body[decl_end:]}))
    assert process_file(clean, IN_PROCESS).status == "ok"  # padding alone is no reason to refuse


FAKE_SOFFICE = """#!/bin/sh
# a LibreOffice that never finishes: a helper in its process group, as soffice starts soffice.bin
sleep 1000 &
echo "$$ $!" >> "{pids}"
sleep 1000
"""


def _fake_soffice(tmp_path: Path) -> tuple[Path, Path]:
    pids = tmp_path / "soffice.pids"
    exe = tmp_path / "bin" / "soffice"
    exe.parent.mkdir()
    exe.write_text(FAKE_SOFFICE.format(pids=pids))
    exe.chmod(0o755)
    return exe, pids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:  # a zombie not reaped yet is dead
        return fh.read().rsplit(")", 1)[1].split()[0] != "Z"


def _wait_dead(pids: list[int], seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


def test_libreoffice_converter_timeout(tmp_path, monkeypatch):
    from extractor.errors import CorruptDocument
    from extractor.formats import doc

    exe, pids = _fake_soffice(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("DOCMINE_SOFFICE", str(exe))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(CorruptDocument, match=r"LibreOffice did not finish converting the \.doc file within 1 s"):
        doc.convert_to_docx(b"\xd0\xcf\x11\xe0 a .doc", timeout=1)
    started = [int(p) for p in pids.read_text().split()]
    assert len(started) == 2 and _wait_dead(started) == []  # the launcher and its helper
    assert list(scratch.iterdir()) == []  # no temp folder with a copy of the input


def test_libreoffice_converter_killed_with_its_worker(tmp_path, shared_corpus):
    """The file's time limit (2 s) is shorter than the converter's (120 s): the parent kills the worker, and with it
    LibreOffice's process group and the worker's temp folder."""
    exe, pids = _fake_soffice(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(shared_corpus / "legacy" / "son-tra-2024.doc", folder)
    db_path = tmp_path / "out.db"
    run = _run_cli("ingest", str(folder), "--db", str(db_path), "--jobs", "1", "-q", "--timeout", "2",
                   DOCMINE_SOFFICE=str(exe), TMPDIR=str(scratch))
    assert run.returncode == 0, run.stderr.decode()
    row = _rows(db_path)["son-tra-2024.doc"]
    assert row["error"].startswith("TimeLimitExceeded: Reading this file took longer than the 2 s limit")
    started = [int(p) for p in pids.read_text().split()]
    assert len(started) == 2 and _wait_dead(started) == []
    assert [p.name for p in scratch.iterdir() if p.name.startswith("docmine-")] == []


def test_utf16_txt_a_valid_utf16_text_export(tmp_path, shared_corpus):
    utf8 = (shared_corpus / "text" / "nga-bay-2022.txt").read_bytes()
    text = utf8.decode("utf-8")
    for name, data in (("utf16.txt", text.encode("utf-16")), ("utf16-le.txt", text.encode("utf-16-le")),
                       ("utf16-be.txt", text.encode("utf-16-be")), ("utf8.txt", utf8)):
        (tmp_path / name).write_bytes(data)
    results = {name: process_file(tmp_path / name, IN_PROCESS) for name in ("utf16.txt", "utf16-le.txt", "utf16-be.txt",
                                                                  "utf8.txt")}
    for name, result in results.items():
        assert (result.format, result.status) == ("txt", "ok"), (name, result.format, result.error)
        assert result.document.text == results["utf8.txt"].document.text
        assert len(result.document.footnotes) == len(results["utf8.txt"].document.footnotes) == 4


# -- serving -------------------------------------------------------------------------------------------------------
HOSTILE_NAME = '<img src=x onerror="alert(1)">'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return [int(p) for p in fh.read().split()]


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    db_path = folder / f"{HOSTILE_NAME}.db"
    ingest([ROOT / "corpus" / "reports"], db_path, jobs=1)
    port = _free_port()
    log = (folder / "serve.log").open("wb")
    # an output in ASCII (a C locale on a fresh machine): rich's error print used to fail there, turning 404 into 500
    proc = subprocess.Popen(_cli_args("serve", str(db_path), "--port", str(port)), stdout=log,
                            stderr=subprocess.STDOUT, env=_env(PYTHONIOENCODING="ascii"), cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=5).close()
                break
            except (URLError, ConnectionError, OSError):
                assert proc.poll() is None, (folder / "serve.log").read_text()
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_a_served_database_whose_file_name_holds_html(served):
    base, _ = served
    status, page = _http(f"{base}/")
    assert status == 200
    assert HOSTILE_NAME not in page and "<img" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page or "&lt;img src=x onerror=&quot;alert(1)" in page
    from datasette.utils import tilde_encode

    link = f'href="/{tilde_encode(HOSTILE_NAME)}/findings_by_report"'
    assert link in page  # the pack's own links go to the database (tilde-encoded, as Datasette routes it)
    status, _ = _http(f"{base}/{tilde_encode(HOSTILE_NAME)}/findings_by_report")
    assert status == 200


def test_one_sql_request_memory_is_bounded(served):
    from datasette.utils import tilde_encode

    base, proc = served
    datasette = _children(proc.pid)[0]
    db = f"{base}/{tilde_encode(HOSTILE_NAME)}.json?sql="
    before = _rss_mb(datasette)
    heavy = [
        "select zeroblob(1000000000)",  # a gigabyte in one value
        "select length(group_concat(hex(zeroblob(100000)))) from (with recursive c(x) as (select 1 union all select "
        "x + 1 from c limit 20000) select x from c)",  # 4 GB of hex in one string
        "select x, randomblob(100000) from (with recursive c(x) as (select 1 union all select x + 1 from c limit "
        "3000000) select x from c) order by 2",  # a sort of 300 GB
    ]
    for sql in heavy:
        status, body = _http(db + urllib.parse.quote(sql))
        assert status == 400, (sql, status, body[:300])
        assert re.search(r"string or blob too big|out of memory|interrupted|too long", body), body[:300]
    grown = _rss_mb(datasette) - before
    assert grown < 200, grown  # (it grew from 74 MB to 1,043 MB on one of these)
    status, body = _http(db + urllib.parse.quote("select count(*) as n from documents"))
    assert status == 200 and json.loads(body)["rows"] == [[9]]  # and it still answers


def test_datasette_error_pages_with_rich_15_installed(served):
    import rich

    base, _ = served
    assert rich.__file__  # (installed: datasette prints handled errors with it)
    from datasette.utils import tilde_encode

    name = tilde_encode(HOSTILE_NAME)
    assert _http(f"{base}/{name}/no_such_table")[0] == 404
    assert _http(f"{base}/no-such-database")[0] == 404
    assert _http(f"{base}/{name}.json?sql=" + urllib.parse.quote("select ("))[0] == 400
    status, page = _http(f"{base}/{name}?sql=" + urllib.parse.quote("select * from no_such_table"))
    assert status == 400 and "no such table: no_such_table" in page
    assert _http(f"{base}/{name}/documents.json?_shape=array&_col=file_name")[0] == 200
