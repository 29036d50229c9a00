"""Ingest through a Dask cluster of separate processes (``dask scheduler`` and ``dask worker`` on loopback), with 1 and
2 remote workers, and the single writer's own limit: documents per second it stores when it has nothing else to do.

- Dask: files/s of ``ingest(..., executor=DaskExecutor(scheduler=...))`` over ``--copies`` copies of each corpus DOCX
  and PDF (distinct documents), the file bytes sent with each task (no shared folder). Each worker is warmed up
  first (its guarded worker process loads the pipeline: seconds, once per worker). The rounds alternate 1 and 2
  workers; every round is printed.
- Writer: the same files read beforehand in this process (``process_file(..., finish=pack)``: what a worker sends),
  then stored by ``ingest.Writer`` alone into a fresh database, with group commits (the default bounds) and with one
  transaction per document, and the run's corpus-wide rows (``refresh_pending``). That is the ceiling of any number
  of workers: past it, more workers only queue results.

    python bench/dask_speed.py [--copies N] [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in reversed(procs):  # workers first, then the scheduler
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextlib.contextmanager
def loopback_cluster(workers: int, folder: Path, timeout: float = 120) -> Iterator[str]:
    """A Dask scheduler and ``workers`` single-threaded Dask workers, each its own process (``python -m dask
    scheduler``/``worker``), listening on 127.0.0.1 only, working in ``folder``; yields the scheduler's address
    once every worker has joined."""
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    info = folder / "scheduler.json"
    info.unlink(missing_ok=True)
    common = ["--no-dashboard"]
    procs = [subprocess.Popen(
        [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--scheduler-file", str(info), *common],
        cwd=folder, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )]
    try:
        deadline = time.monotonic() + timeout
        while not info.exists() or not info.read_text().strip():
            if time.monotonic() > deadline or procs[0].poll() is not None:
                raise RuntimeError("the Dask scheduler did not start")
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        for n in range(workers):
            work = folder / f"worker-{n}"
            work.mkdir(exist_ok=True)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "dask", "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                 "--nworkers", "1", "--memory-limit", "0", "--local-directory", str(work), "--name", f"w{n}",
                 *common],
                cwd=work, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            ))
        with Client(address, timeout=timeout) as client:
            client.wait_for_workers(workers, timeout=timeout)
        yield address
    finally:
        _stop(procs)


def _dask_run(address: str, folder: Path, db: Path, limits) -> tuple[float, int]:
    from extractor.run.executors import DaskExecutor
    from extractor.run.ingest import ingest

    started = time.perf_counter()
    summary = ingest([folder], db, executor=DaskExecutor(1, limits, scheduler=address), limits=limits)
    return time.perf_counter() - started, summary.ok


def writer_alone(files: list[Path], folder: Path, bounds) -> float:
    """Documents per second ``ingest.Writer`` stores (results read beforehand), with ``bounds``."""
    from extractor.run import job
    from extractor.run.executors import Task
    from extractor.run.ingest import FileIndex, IngestSummary, Writer
    from extractor.store.db import open_db, pack, refresh_pending

    results = []
    for f in files:
        result = job.process_file(f, finish=pack)
        st = f.stat()
        results.append((Task(path=str(f), id=result.id, size=st.st_size, mtime_ns=st.st_mtime_ns,
                             format=result.format, key=str(f.resolve())), result))
    db = open_db(folder / f"writer-{bounds.documents}-{time.monotonic_ns()}.db")
    try:
        writer = Writer(db, FileIndex(db), IngestSummary(), bounds=bounds)
        started = time.perf_counter()
        for task, result in results:
            writer.store(task, result)
        writer.commit()
        refresh_pending(db)
        return len(results) / (time.perf_counter() - started)
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10, help="copies of each corpus DOCX and PDF (default 10)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds of 1 and 2 workers (default 2)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from ingest_speed import make_copies

    from extractor.run.ingest import GroupBounds
    from extractor.run.limits import Limits

    sources = sorted((CORPUS / "docx").glob("*.docx")) + sorted((CORPUS / "pdf").glob("*.pdf"))
    if not sources:
        sys.exit(f"no corpus at {CORPUS}")
    limits = Limits.from_env()
    with tempfile.TemporaryDirectory(prefix="docmine-dask-bench-") as tmp:
        tmp_path = Path(tmp)
        batch = tmp_path / "in"
        files = [c for f in sources for c in make_copies(f, batch, args.copies)]
        warm = tmp_path / "warm"
        make_copies(sources[0], warm, 4)
        make_copies(sources[-1], warm, 4)
        print(f"Dask, separate processes on loopback: {len(files)} files (DOCX + PDF), bytes sent with each task")
        speeds: dict[int, list[float]] = {1: [], 2: []}
        for r in range(args.repeat):
            for workers in (1, 2):
                with loopback_cluster(workers, tmp_path / f"cluster-{r}-{workers}") as address:
                    _dask_run(address, warm, tmp_path / f"warm-{r}-{workers}.db", limits)  # each worker warms up
                    seconds, ok = _dask_run(address, batch, tmp_path / f"run-{r}-{workers}.db", limits)
                assert ok == len(files), ok
                speeds[workers].append(len(files) / seconds)
                label = "1 worker " if workers == 1 else "2 workers"
                print(f"  round {r + 1}, {label}: {speeds[workers][-1]:6.1f} files/s")
        one, two = max(speeds[1]), max(speeds[2])
        rounds = [b / a for a, b in zip(speeds[1], speeds[2], strict=True)]
        print(f"  fastest: 1 worker {one:.1f} files/s, 2 workers {two:.1f} files/s: {two / one:.2f}×"
              f"   each round: {', '.join(f'{x:.2f}' for x in rounds)} (median {statistics.median(rounds):.2f})")
        group = [writer_alone(files, tmp_path, GroupBounds()) for _ in range(args.repeat)]
        single = [writer_alone(files, tmp_path, GroupBounds(documents=1)) for _ in range(args.repeat)]
        print(f"Writer alone, {len(files)} documents read beforehand:")
        print(f"  group commits ({GroupBounds().documents} documents / {1000 * GroupBounds().seconds:.0f} ms):"
              f" {max(group):6.1f} documents/s   (runs: {', '.join(f'{x:.1f}' for x in group)})")
        print(f"  one transaction per document:      {max(single):6.1f} documents/s   (runs:"
              f" {', '.join(f'{x:.1f}' for x in single)})")


if __name__ == "__main__":
    main()
