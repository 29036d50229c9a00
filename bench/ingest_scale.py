"""Ingest at scale, through the real command line: peak memory of a 2,000-file batch, and a re-run over 1,000
unchanged files.

- Peak memory: ``docmine ingest`` (``--jobs 2``) over N copies of the corpus DOCX, PDF and text files (each with a
  small byte change, so every one is a distinct document); the proportional set size (PSS: memory shared between
  the fork server and the workers it forked counted once) of the whole process tree (writer, fork server, workers) is
  sampled every 50 ms. Also printed: the writer's own peak, which must not grow with N
  (compare a run with --files 200).                                         target: tree peak < 500 MB at 2,000
- Re-run: the same command again over the first 1,000 files, nothing changed: wall time of the whole command
  (start-up included) and of the skip pass itself, against the first run's time for the same files.
                                                                             target: < 5 s

    python bench/ingest_scale.py [--files 2000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_speed import CORPUS, make_copies  # noqa: E402


def _rss_kb(pid: int) -> int:
    """Proportional set size (pages shared by the fork server and its workers counted once overall), else RSS."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="ascii") as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants (from /proc/*/stat parent ids)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def run_cli(args: list[str]) -> tuple[float, int, int, str]:
    """Wall seconds, peak tree RSS (KB), peak writer RSS (KB) and the output of ``docmine ingest ARGS``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "ingest", *args, "-q"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak_tree = peak_writer = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree, peak_writer
        while not done.is_set():
            pids = _tree(proc.pid)
            peak_tree = max(peak_tree, sum(_rss_kb(p) for p in pids))
            peak_writer = max(peak_writer, _rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(out)
    return seconds, peak_tree, peak_writer, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sources = sorted((CORPUS / "docx").glob("*.docx")) + sorted((CORPUS / "pdf").glob("*.pdf")) + sorted(
        (CORPUS / "text").glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="docmine-scale-") as tmp:
        tmp_path = Path(tmp)
        half = args.files // 2
        per_source = -(-half // len(sources))
        for part, start in (("a", 0), ("b", per_source)):
            for src in sources:
                make_copies(src, tmp_path / part, per_source, start)
        first = sorted((tmp_path / "a").iterdir())
        total = len(first) + len(list((tmp_path / "b").iterdir()))
        db = str(tmp_path / "scale.db")

        seconds, tree, writer, _ = run_cli([str(tmp_path / "a"), str(tmp_path / "b"), "--db", db, "--jobs",
                                            str(args.jobs)])
        print(f"first run over {total} files (--jobs {args.jobs}): {seconds:.1f} s ({total / seconds:.1f} files/s)")
        print(f"peak memory: process tree {tree / 1024:.0f} MB (writer {writer / 1024:.0f} MB)   (target < 500 MB)")

        again, _, _, out = run_cli([str(tmp_path / "a"), "--db", db, "--jobs", str(args.jobs)])
        skipped = next((line for line in out.splitlines() if line.startswith("unchanged")), "?")
        print(f"re-run over {len(first)} unchanged files: {again:.2f} s for the whole command, start-up included "
              f"({skipped}); {again / seconds * total / len(first):.3f} of the first run's time for them   "
              "(target < 5 s)")
        from extractor.run.ingest import ingest

        started = time.perf_counter()
        summary = ingest([tmp_path / "a"], db, jobs=args.jobs)
        print(f"skip pass alone (in-process, {summary.skipped} files): {time.perf_counter() - started:.2f} s")

if __name__ == "__main__":
    main()
