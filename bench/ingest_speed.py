"""Full ingest speed (parse, normalise, segment, extract, audit, store) against bare library reading of the same
files, and 1 worker against 2. Every figure is measured in this run; ratios are what the targets are about.

- DOCX: reports/s of ``ingest --jobs 0`` (one process, no worker overhead) vs bare python-docx reading every
  paragraph, every table cell and the footnotes XML.                         target: ratio ≤ 3
- PDF: pages/s of ``ingest --jobs 0`` vs bare pdfplumber ``extract_text`` (target: ratio < 1) and bare pypdfium2
  ``get_text_range`` (target: ratio ≤ 5).
- Workers: a batch of DOCX+PDF copies (``--worker-copies``, 30 of each corpus file: 300 files) with ``--jobs 1``
  and ``--jobs 2`` (workers warmed up first).                               target: 2 workers ≥ 1.7× one
  Beside it, in the same rounds and measured the same way, the machine's own speed-up: a pure-Python loop in one
  process, then in two at once. On a shared VM it is well under 2× at times (the host's other tenants, a
  single-process clock boost), and no program's speed-up can beat it. Every round's ratios are printed, and the
  fastest runs' split (``/proc/stat``): the speed-up is the cores busy with 2 workers over those busy with 1, times
  the CPU a file costs with 1 over its cost with 2. With one worker, the single writer runs on the otherwise idle
  core, so the cores busy beyond 1 are the writer's share, and they cap the speed-up on its own. Then what a file
  costs a worker and the writer.

Each measure is the fastest of ``--repeat`` runs (default 3; bare pdfplumber, ten times slower than anything else,
runs once), the two sides of a ratio taking turns, so a busy moment on a shared machine does not decide a ratio.
The one-process ratios are also given in CPU time, which the machine's other tenants do not inflate. Copies of
the corpus files with a small byte change (a ZIP comment, a PDF trailing comment) make distinct documents, so
nothing is skipped as already stored.

    python bench/ingest_speed.py [--copies N] [--repeat N] [--no-workers | --workers-only]

The bare-pdfplumber line needs pdfplumber, which docmine does not depend on: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from baselines import bare_docx, bare_pdfium  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def make_copies(src: Path, folder: Path, copies: int, start: int = 0) -> list[Path]:
    """``copies`` files with the content of ``src`` and different bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    data = src.read_bytes()
    out = []
    for i in range(start, start + copies):
        dest = folder / f"{src.stem}-{i:05d}{src.suffix}"
        if data[:2] == b"PK":
            buf = io.BytesIO(data)
            with zipfile.ZipFile(buf, "a") as zf:
                zf.comment = f"copy {i}".encode()
            dest.write_bytes(buf.getvalue())
        elif data[:5] == b"%PDF-":
            dest.write_bytes(data + f"\n% copy {i}\n".encode())
        else:
            dest.write_bytes(data + b"\n" * (i + 1))
        out.append(dest)
    return out


def bare_plumber(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def _loop(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def spin(processes: int, n: int = 15_000_000) -> None:
    """The same pure-Python loop in ``processes`` processes at once (the machine's own parallel speed)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_loop, args=(n,)) for _ in range(processes)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) CPU ticks of the whole machine since boot (Linux ``/proc/stat``), or None elsewhere."""
    try:
        with open("/proc/stat") as fh:
            values = [int(v) for v in fh.readline().split()[1:]]
    except OSError:
        return None
    total = sum(values)
    return total - values[3] - values[4], total  # all but idle and iowait


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


REPEAT = 3


class Timing:
    """Fastest wall-clock and CPU seconds (this process) over the runs of one measure, every run's wall-clock, and
    the whole machine's CPU ticks (busy, total) during the fastest run."""

    def __init__(self) -> None:
        self.wall = self.cpu = float("inf")
        self.walls: list[float] = []
        self.ticks: tuple[int, int] | None = None
        self.value = None

    def run(self, fn):
        before, wall, cpu = cpu_ticks(), time.perf_counter(), time.process_time()
        self.value = fn()
        wall, cpu, after = time.perf_counter() - wall, time.process_time() - cpu, cpu_ticks()
        self.walls.append(wall)
        if wall < self.wall and before and after:
            self.ticks = (after[0] - before[0], after[1] - before[1])
        self.wall, self.cpu = min(self.wall, wall), min(self.cpu, cpu)

    def cores_busy(self) -> float | None:
        """How many cores were busy on average during the fastest run (all processes, ``/proc/stat``)."""
        if not self.ticks or not self.ticks[1]:
            return None
        return self.ticks[0] / self.ticks[1] * (os.cpu_count() or 1)


def interleaved(*fns) -> list[Timing]:
    """Each function run REPEAT times, in turns (a, b, a, b, …), keeping the fastest run of each: a shared VM's
    slow spells only ever slow a run down, and taking turns spreads them over every measure alike."""
    timings = [Timing() for _ in fns]
    for _ in range(REPEAT):
        for fn, timing in zip(fns, timings, strict=True):
            timing.run(fn)
    return timings


def fresh_db(folder: Path, name: str):
    """A function giving a new database path on each call (so a repeated ingest reads every file again)."""
    counter = iter(range(1_000_000))
    return lambda: folder / f"{name}-{next(counter)}.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of each corpus file (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure; the fastest counts (default 3)")
    parser.add_argument("--workers-only", action="store_true", help="only the 1 vs 2 workers batch")
    parser.add_argument("--no-workers", action="store_true", help="only the one-process DOCX and PDF ratios")
    parser.add_argument("--worker-copies", type=int, default=30,
                        help="copies of each corpus file in the 1 vs 2 workers batch (default 30: 300 files)")
    args = parser.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    from extractor.run.ingest import ingest, process_file

    docx_files = sorted((CORPUS / "docx").glob("*.docx"))
    pdf_files = sorted((CORPUS / "pdf").glob("*.pdf"))
    if not docx_files:
        sys.exit(f"no corpus at {CORPUS}")
    for f in docx_files + pdf_files:  # warm up imports and rules outside the timings
        process_file(f)
        if f.suffix == ".docx":
            bare_docx(f)
        else:
            bare_plumber(f)
            bare_pdfium(f)

    with tempfile.TemporaryDirectory(prefix="docmine-bench-") as tmp:
        tmp_path = Path(tmp)
        ingest([docx_files[0]], tmp_path / "warm0.db", jobs=0)  # and the gazetteer the derived tables load once
        docx_dir, pdf_dir = tmp_path / "docx", tmp_path / "pdf"
        docx_copies = [c for f in docx_files for c in make_copies(f, docx_dir, args.copies)]
        pdf_copies = [c for f in pdf_files for c in make_copies(f, pdf_dir, args.copies)]

        if args.workers_only:
            docx_copies = pdf_copies = []
        if docx_copies:
            print(f"DOCX: {len(docx_copies)} reports")
            docx_db = fresh_db(tmp_path, "docx")
            bare, full = interleaved(lambda: [bare_docx(f) for f in docx_copies],
                                     lambda: ingest([docx_dir], docx_db(), jobs=0))
            assert full.value.ok == len(docx_copies), full.value.failed
            n = len(docx_copies)
            print(f"  bare python-docx   {n / bare.wall:8.1f} reports/s")
            print(f"  docmine ingest     {n / full.wall:8.1f} reports/s   (parse, extract, audit, store)")
            print(f"  ratio ingest / bare python-docx: {full.wall / bare.wall:.2f}×   (target ≤ 3)"
                  f"   CPU time: {full.cpu / bare.cpu:.2f}×")

        if pdf_copies:
            t_plumber, pages = timed(lambda: sum(bare_plumber(f) for f in pdf_copies))  # once: it is 10x+ slower
            pdf_db = fresh_db(tmp_path, "pdf")
            pdfium, full = interleaved(lambda: sum(bare_pdfium(f) for f in pdf_copies),
                                       lambda: ingest([pdf_dir], pdf_db(), jobs=0))
            print(f"PDF: {len(pdf_copies)} files, {pages} pages ({full.value.ok} read)")
            print(f"  bare pdfplumber extract_text   {pages / t_plumber:8.1f} pages/s")
            print(f"  bare pypdfium2 get_text_range  {pages / pdfium.wall:8.1f} pages/s")
            print(f"  docmine ingest                 {pages / full.wall:8.1f} pages/s")
            print(f"  ratio ingest / pdfplumber: {full.wall / t_plumber:.2f}   (target < 1)")
            print(f"  ratio ingest / pypdfium2:  {full.wall / pdfium.wall:.2f}×  (target ≤ 5)"
                  f"   CPU time: {full.cpu / pdfium.cpu:.2f}×")

        if args.no_workers:
            return
        # bulk ingest is hundreds of files. A run has a fixed start and finish, the same with 1 or 2 workers: forking
        # the workers and their first file (its pages copied from the fork server's), the last file read while the
        # other worker has none left, the corpus-wide rows, the final checkpoint: 0.2-0.3 s, a tenth of a two-worker
        # run of 40 files, 6-8% of one of 100, 2-3% of one of 300.
        work_dirs = [tmp_path / "workers-docx", tmp_path / "workers-pdf"]
        n = sum(len(make_copies(f, folder, args.worker_copies))
                for folder, files in zip(work_dirs, (docx_files, pdf_files), strict=True) for f in files)
        ingest([docx_files[0]], tmp_path / "warm.db", jobs=2)  # start the fork server and warm it up
        one_db, two_db = fresh_db(tmp_path, "one"), fresh_db(tmp_path, "two")
        reads: list[float] = []  # each file's reading time in a worker, over the 1-worker runs
        loop_one, one, loop_two, two = interleaved(lambda: spin(1),
                                                   lambda: ingest(work_dirs, one_db(), jobs=1,
                                                                  on_result=lambda r: reads.append(r.seconds)),
                                                   lambda: spin(2), lambda: ingest(work_dirs, two_db(), jobs=2))
        assert one.value.ok == two.value.ok == n, (one.value.failed, two.value.failed)
        machine = 2 * loop_one.wall / loop_two.wall
        print(f"Workers: {n} files (DOCX + PDF), wall-clock")
        print(f"  --jobs 1  {n / one.wall:8.1f} files/s")
        print(f"  --jobs 2  {n / two.wall:8.1f} files/s")
        rounds = [a / b for a, b in zip(one.walls, two.walls, strict=True)]
        print(f"  speed-up 2 workers / 1 worker: {one.wall / two.wall:.2f}×   (target ≥ 1.7)   each round:"
              f" {', '.join(f'{r:.2f}' for r in rounds)} (median {statistics.median(rounds):.2f})")
        loops = [2 * a / b for a, b in zip(loop_one.walls, loop_two.walls, strict=True)]
        print(f"  the machine's own, a pure-Python loop in 2 processes / 1: {machine:.2f}×   each round:"
              f" {', '.join(f'{r:.2f}' for r in loops)}")
        speed_up = one.wall / two.wall
        per_round = ", ".join(f"{r / m:.2f}" for r, m in zip(rounds, loops, strict=True))
        print(f"  ratio: {speed_up:.2f} / {machine:.2f} = {speed_up / machine:.2f}   (target ≥ 0.9)   each round:"
              f" {per_round}")

        # what bounds that speed-up. The ingest process (this one) is the single writer: with one worker it runs on
        # the otherwise idle core, with two it takes its CPU from the workers' cores. Since
        #   speed-up = (cores busy, 2 workers / cores busy, 1 worker) x (CPU per file, 1 worker / 2 workers),
        # the writer's share (the cores busy beyond 1 with one worker) caps it at cores / (cores busy, 1 worker).
        busy_one, busy_two = one.cores_busy(), two.cores_busy()
        if busy_one and busy_two and one.ticks and two.ticks:
            cpu_one, cpu_two = (t.ticks[0] / os.sysconf("SC_CLK_TCK") / n for t in (one, two))
            cores = os.cpu_count() or 1
            print(f"  cores busy (all processes): {busy_one:.2f} with 1 worker, {busy_two:.2f} of {cores} with 2;"
                  f" CPU per file {1000 * cpu_one:.0f} ms and {1000 * cpu_two:.0f} ms")
            print(f"  so the speed-up is {busy_two / busy_one:.2f} (cores busy) × {cpu_one / cpu_two:.2f} (CPU per"
                  f" file); with every core busy and no file costing more CPU with 2, it would be at most"
                  f" {cores / busy_one:.2f}")
        writer = one.cpu / n  # this process's CPU in the 1-worker runs (least of them): the writer's
        worker = sum(reads) / len(reads)
        print(f"  per file (--jobs 1): a worker reads it in {1000 * worker:.0f} ms; the writer, which shares the"
              f" cores with the workers, spends {1000 * writer:.0f} ms of CPU receiving and storing it")


if __name__ == "__main__":
    main()
