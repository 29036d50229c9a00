"""Hostile-input benchmark (issue 17): files per second on a mixed batch of hostile and good files, the good files'
rows checked identical to a clean run, and scaling checks for the inputs that were quadratic.

1. Mixed batch: the good reports (../shared/corpus docx, pdf, text, legacy DOCX, and the project's own corpus/) and
   the hostile files of tests/test_hostile_input.py (truncated, bit-flipped, random, disguised, zip and entity
   bombs, encrypted, page bombs), plus what issue 17 added: a non-UTF-8 file name, symbolic link loops, a FIFO, a
   socket, links to /dev/zero and /etc/passwd, a 20 GB sparse file, DTDs after padding and in UTF-16, a UTF-16 text
   export, a 1,999-page blank scan, 200 KB of "1% 1% …", a text export with 40,000 footnotes. Ingested with
   ``--jobs 2``: files per second, and every good file's rows (every table) compared with a clean run of the good
   files alone.                                                         target: identical, and the batch finishes
2. Scaling: seconds of one process for "1% " × n and 4n, and for text exports with n and 5n footnotes (40,000 and
   200,000 by default). A linear pass takes about 4× (5×) as long for 4× (5×) the input; a quadratic one 16× (25×).
                                                                        target: ratio < 1.6 × the size ratio

    python bench/hostile.py [--jobs 2] [--skip-batch] [--skip-scaling]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_batch(root: Path) -> tuple[Path, Path]:
    """(good folder, hostile folder)."""
    hostile_input, hostile_batch = _load("test_hostile_input"), _load("test_hostile_batch")
    good, hostile = root / "good", root / "hostile"
    good.mkdir()
    hostile.mkdir()
    hostile_input._good_files(good, CORPUS, ROOT / "corpus")
    hostile_input.build_hostile(hostile, CORPUS)
    hostile_input.build_damaged_pdfs(hostile, CORPUS)
    with open(os.fsencode(hostile) + b"/b\xe1o-c\xe1o-\xff.txt", "wb") as fh:
        fh.write((CORPUS / "text" / "son-tra-2024.txt").read_bytes() + b"\nBan sao.\n")
    os.symlink(hostile / "loop-b", hostile / "loop-a")
    os.symlink(hostile / "loop-a", hostile / "loop-b")
    os.symlink(hostile, hostile / "up")
    os.mkfifo(hostile / "pipe.txt")
    os.symlink("/dev/zero", hostile / "zero.docx")
    os.symlink("/etc/passwd", hostile / "passwd.txt")
    with (hostile / "sparse.pdf").open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(20 * 1024**3)
    src = (ROOT / "corpus" / "reports" / "huyen-thach-lam-quy-1-2024.docx").read_bytes()
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(src)) as zf:
        body = zf.read("word/document.xml")
    cut = body.index(b"?>") + 2
    dtd = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    (hostile / "dtd-padded.docx").write_bytes(
        hostile_batch._rezip(src, {"word/document.xml": body[:cut] + b" " * 8192 + dtd + body[cut:]}))
    text = body.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    k = text.index("?>") + 2
    (hostile / "dtd-utf16.docx").write_bytes(
        hostile_batch._rezip(src, {"word/document.xml": (text[:k] + dtd.decode() + text[k:]).encode("utf-16")}))
    (hostile / "utf16.txt").write_bytes((CORPUS / "text" / "nga-bay-2022.txt").read_text("utf-8").encode("utf-16"))
    hostile_batch._blank_scan_pdf(hostile / "blank-1999.pdf", 1999)
    (hostile / "percent.txt").write_text("BÁO CÁO\n" + "1% " * 66_667, encoding="utf-8")
    (hostile / "footnotes-40000.md").write_text(hostile_batch._footnotes_export(40_000), encoding="utf-8")
    return good, hostile


def run_batch(jobs: int) -> bool:
    from extractor.run.ingest import ingest

    hostile_input = _load("test_hostile_input")
    with tempfile.TemporaryDirectory(prefix="docmine-bench-hostile-") as tmp:
        root = Path(tmp)
        good, hostile = build_batch(root)
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(hostile / "sock.pdf"))
        try:
            clean = ingest([good], root / "clean.db", jobs=jobs)
            started = time.perf_counter()
            mixed = ingest([good, hostile], root / "mixed.db", jobs=jobs)
            seconds = time.perf_counter() - started
        finally:
            server.close()
        import sqlite_utils

        good_ids = {r["id"] for r in sqlite_utils.Database(root / "clean.db")["documents"].rows}
        before = hostile_input.snapshot(root / "clean.db", good_ids)
        after = hostile_input.snapshot(root / "mixed.db", good_ids)
        same = all(after[t] == before[t] for t in before)
        names = mixed.files + mixed.skipped
        print(f"mixed batch, --jobs {jobs}: {names} names ({clean.files} good, {mixed.errors} error rows, "
              f"{mixed.skipped} skipped as already stored) in {seconds:.1f} s: {names / seconds:.1f} files/s")
        print(f"good files' rows identical to a clean run ({len(good_ids)} documents, "
              f"{sum(len(v) for v in before.values())} rows): {'yes' if same else 'NO'}")
        return same and clean.errors == 0


def _seconds(path: Path) -> float:
    from extractor.run.ingest import process_file
    from extractor.run.limits import Limits

    started = time.process_time()
    result = process_file(path, Limits(), packed=True)
    assert result.status == "ok", result.error
    return time.process_time() - started


def run_scaling(percent: int, notes: int) -> bool:
    from extractor.run.worker import warm_up

    hostile_batch = _load("test_hostile_batch")
    warm_up(freeze=False)
    ok = True
    with tempfile.TemporaryDirectory(prefix="docmine-bench-scaling-") as tmp:
        cases = [
            ('"1% " ×', lambda n: "BÁO CÁO\n" + "1% " * n, percent // 4, percent, ".txt"),
            ("footnotes ×", hostile_batch._footnotes_export, notes // 5, notes, ".md"),
            ("footnote marks in one paragraph ×", hostile_batch._one_block_export, notes // 20, notes // 4, ".md"),
        ]
        for label, build, small, large, ext in cases:
            times = []
            for n in (small, large):
                path = Path(tmp) / f"case{ext}"
                path.write_text(build(n), encoding="utf-8")
                times.append(_seconds(path))
            ratio, size = times[1] / max(times[0], 1e-9), large / small
            verdict = "linear" if ratio < 1.6 * size else "SUPERLINEAR"
            ok &= verdict == "linear"
            print(f"{label} {small:,}: {times[0]:.2f} s CPU; × {large:,}: {times[1]:.2f} s CPU; "
                  f"ratio {ratio:.1f} for {size:.0f}× the input ({verdict}; quadratic would be {size * size:.0f})")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--percent", type=int, default=66_667, help='"1% " repeats of the large case')
    parser.add_argument("--notes", type=int, default=200_000, help="footnotes of the large case")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    ok = True
    if not args.skip_batch:
        ok &= run_batch(args.jobs)
    if not args.skip_scaling:
        ok &= run_scaling(args.percent, args.notes)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
