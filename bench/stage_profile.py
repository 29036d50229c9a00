"""Milliseconds per stage per report for full DOCX ingest, against bare python-docx reading of the same files.

    python bench/stage_profile.py [FILE ...] [--repeat N] [--wall] [--cprofile]

Stages are those of ``extractor.run.ingest.process_file`` (parse → prepare → citations → footnote counts → figures →
audit), plus ``store`` (``store.write_result`` into a fresh temporary database). The baseline is what issue 6
compares DOCX ingest with: python-docx opening the file and reading every paragraph, every table cell and the
footnote XML. Each figure is the best (minimum) of ``--repeat`` runs after one warm-up run, and caches that an
earlier report would have filled are emptied before each report; the ratio full/bare is computed from numbers
measured in this same run. Times are this process's CPU time (``time.process_time``), which other processes on a
busy machine do not inflate; ``--wall`` measures wall-clock time instead.

By default: the five DOCX reports of ../shared/corpus/docx and the project's own corpus/reports/*.docx.
``--cprofile`` prints the 25 most expensive functions (cumulative) over one pass of all files.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.audit import audit_document  # noqa: E402
from extractor.extract.citations import extract_citations  # noqa: E402
from extractor.extract.figures import extract_figures  # noqa: E402
from extractor.extract.footnote_lists import footnote_checks  # noqa: E402
from extractor.formats import parser_for, sniff  # noqa: E402
from extractor.model import Extraction, FileResult  # noqa: E402
from extractor.pipeline import prepare  # noqa: E402
from extractor.run.job import file_id  # noqa: E402
from extractor.store.db import open_db, write_result  # noqa: E402

STAGES = ("parse", "prepare", "citations", "footnotes", "figures", "audit", "store")
SHARED = ROOT.parent / "shared" / "corpus" / "docx"
OWN = ROOT / "corpus" / "reports"


def bare_python_docx(data: bytes) -> int:
    """The baseline: python-docx reads paragraphs, tables (every cell) and the footnotes part's XML."""
    import docx

    document = docx.Document(io.BytesIO(data))
    n = sum(len(p.text) for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                n += len(cell.text)
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            n += sum(len(t) for t in root.itertext())
    return n


def clear_caches() -> None:
    """Forget what earlier reports taught the extractors (cached tagger answers, excluded spans), so that each
    measured report costs what a report never seen before costs."""
    from extractor.extract import figures
    from extractor.lang import pos

    for cached in (pos.pos_tag, figures._excluded):
        cached.cache_clear()


CLOCK: Callable[[], float] = time.process_time


def run_stages(path: Path, db_dir: Path) -> dict[str, float]:
    """One full ingest of ``path``, timed stage by stage (seconds)."""
    clear_caches()
    times: dict[str, float] = {}

    def timed(stage: str, fn: Callable, *args):
        t = CLOCK()
        out = fn(*args)
        times[stage] = CLOCK() - t
        return out

    data = path.read_bytes()
    fmt = sniff(data)
    doc = timed("parse", parser_for(fmt), data, str(path))
    doc.path = str(path)
    timed("prepare", prepare, doc)
    ex = Extraction()
    ex.citations = timed("citations", extract_citations, doc)
    ex.footnotes = timed("footnotes", footnote_checks, doc, ex.citations)
    ex.figures = timed("figures", extract_figures, doc)
    ex.findings = timed("audit", audit_document, doc, ex.figures, ex.citations, ex.footnote_counts())
    result = FileResult(id=file_id(data), path=str(path), file_name=path.name, size=len(data), format=fmt,
                        document=doc, extraction=ex)
    db = open_db(db_dir / f"{path.stem}.db")
    try:
        timed("store", write_result, db, result)
    finally:
        db.close()
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--wall", action="store_true", help="wall-clock time instead of this process's CPU time")
    ap.add_argument("--cprofile", action="store_true")
    args = ap.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter
    files = args.files or sorted(SHARED.glob("*.docx")) + sorted(OWN.glob("*.docx"))
    if not files:
        print("no DOCX files found")
        return 1

    with tempfile.TemporaryDirectory(prefix="docmine-bench-") as tmp:
        tmp_dir = Path(tmp)
        started = time.perf_counter()
        run_stages(files[0], tmp_dir)  # warm-up: imports, rules, the tagger model
        print(f"first report (cold: imports, rules, models): {1000 * (time.perf_counter() - started):.0f} ms\n")

        best: dict[Path, dict[str, float]] = {}
        bare: dict[Path, float] = {}
        for _ in range(args.repeat):
            for path in files:
                run_dir = tmp_dir / f"r{time.perf_counter_ns()}"
                run_dir.mkdir()
                times = run_stages(path, run_dir)
                prev = best.setdefault(path, times)
                for stage, t in times.items():
                    prev[stage] = min(prev[stage], t)
                data = path.read_bytes()
                t = CLOCK()
                bare_python_docx(data)
                bare[path] = min(bare.get(path, float("inf")), CLOCK() - t)

        head = f"{'report':36s}" + "".join(f"{s:>10s}" for s in STAGES) + f"{'total':>10s}{'bare':>8s}{'ratio':>7s}"
        clock = "wall-clock" if args.wall else "CPU"
        print(f"ms per stage ({clock} time, best of {args.repeat} runs)")
        print(head)
        sums = dict.fromkeys(STAGES, 0.0)
        total_all = bare_all = 0.0
        for path in files:
            times = best[path]
            total = sum(times.values())
            total_all += total
            bare_all += bare[path]
            for s in STAGES:
                sums[s] += times[s]
            print(
                f"{path.stem[:36]:36s}" + "".join(f"{1000 * times[s]:10.1f}" for s in STAGES)
                + f"{1000 * total:10.1f}{1000 * bare[path]:8.1f}{total / bare[path]:7.2f}"
            )
        n = len(files)
        print(
            f"{'mean':36s}" + "".join(f"{1000 * sums[s] / n:10.1f}" for s in STAGES)
            + f"{1000 * total_all / n:10.1f}{1000 * bare_all / n:8.1f}{total_all / bare_all:7.2f}"
        )
        print(f"\nfull ingest / bare python-docx: {total_all / bare_all:.2f}x (target <= 3x: "
              f"{'met' if total_all <= 3 * bare_all else 'NOT met'})")

        if args.cprofile:
            prof = cProfile.Profile()
            prof.enable()
            for path in files:
                run_dir = tmp_dir / f"p{time.perf_counter_ns()}"
                run_dir.mkdir()
                run_stages(path, run_dir)
            prof.disable()
            stats = pstats.Stats(prof)
            stats.sort_stats("cumulative").print_stats(25)
            stats.sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
