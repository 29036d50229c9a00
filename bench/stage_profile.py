"""Milliseconds per stage per report for full ingest of DOCX and PDF files, against bare library reading of the same
files (python-docx for DOCX, pypdfium2 for PDF).

    python bench/stage_profile.py [FILE ...] [--repeat N] [--wall] [--warm] [--cprofile] [--pdf | --docx]

Stages are those ``extractor.run.job.process_file`` runs for one file (the size and XML checks, parse, prepare, then
``pipeline.extract_all``: citations, footnote counts, figures, audit, locality, indicators), then ``rows``
(``store.rows.pack``: the rows a worker sends the writer, MinHash signature and search words included) and
``store`` (``store.write_result`` with ``store.derive.insert_document_rows`` into a database created before the
timing). The baselines are those of ``bench/ingest_speed.py``: for a DOCX, python-docx opening the file and reading
every paragraph, every table cell and the footnote XML (``bare_docx``); for a PDF, pypdfium2 loading every page's
text and reading it whole (``bare_pdfium``). Each figure is the best (minimum) of ``--repeat`` runs after one
warm-up run. By default the caches that an earlier report would have filled (the tagger's answers, excluded spans,
folded words …: every ``functools.lru_cache`` of the extractor with a size bound) are emptied before each report, so
that each measured report costs what a report never seen before costs; ``--warm`` keeps them, as the repeated
copies of ``bench/ingest_speed.py`` find them. The ratio full/bare is computed from numbers measured in this same
run, per format. Times are this process's CPU time (``time.process_time``), which other processes on a busy machine
do not inflate; ``--wall`` measures wall-clock time instead.

By default: the five DOCX reports of ../shared/corpus/docx, the project's own corpus/reports/*.docx and the five
PDF reports of ../shared/corpus/pdf (``--docx`` or ``--pdf``: one format only). ``--cprofile`` prints the 30 most
expensive functions (cumulative, then own time) over one pass of all files.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from baselines import bare_docx, bare_pdfium  # noqa: E402

from extractor.audit import audit_document  # noqa: E402
from extractor.extract.citations import extract_citations  # noqa: E402
from extractor.extract.figures import extract_figures  # noqa: E402
from extractor.extract.footnote_lists import footnote_checks  # noqa: E402
from extractor.extract.indicators import classify  # noqa: E402
from extractor.extract.localities import locality_of  # noqa: E402
from extractor.formats import parser_for, sniff  # noqa: E402
from extractor.model import Extraction, FileResult  # noqa: E402
from extractor.pipeline import prepare  # noqa: E402
from extractor.run.job import file_id  # noqa: E402
from extractor.run.limits import Limits, check_docx_xml, check_pdf_pages  # noqa: E402
from extractor.store.db import open_db, write_result  # noqa: E402
from extractor.store.derive import insert_document_rows  # noqa: E402
from extractor.store.rows import pack  # noqa: E402

STAGES = ("check", "parse", "prepare", "citations", "footnotes", "figures", "audit", "locality", "indicators",
          "rows", "store")
SHARED = ROOT.parent / "shared" / "corpus"
OWN = ROOT / "corpus" / "reports"


BARE: dict[str, Callable[[bytes], int]] = {"docx": bare_docx, "pdf": bare_pdfium}
BARE_NAME = {"docx": "bare python-docx", "pdf": "bare pypdfium2"}
TARGET = {"docx": 3.0, "pdf": 5.0}  # bench/ingest_speed.py's targets for the same ratios


def _text_caches() -> list:
    """Every size-bounded ``functools.lru_cache`` of the extractor's modules: the caches keyed by a text or a word
    that a document fills (the unbounded ``functools.cache`` ones hold rules and models, loaded once)."""
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("extractor.") or module is None:
            continue
        for value in vars(module).values():
            info = getattr(value, "cache_parameters", None)
            if callable(info) and getattr(value, "__module__", None) == name and info().get("maxsize") is not None:
                found.append(value)
    return found


@functools.cache
def _caches() -> tuple:
    return tuple(_text_caches())


WARM = False


def clear_caches() -> None:
    """Forget what earlier reports taught the extractors (cached tagger answers, excluded spans, folded words), so
    that each measured report costs what a report never seen before costs (not with ``--warm``)."""
    if WARM:
        return
    for cached in _caches():
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
    if fmt == "pdf":
        timed("check", check_pdf_pages, data, Limits())
    else:
        timed("check", check_docx_xml, data)
    doc = timed("parse", parser_for(fmt), data, str(path))
    doc.path = str(path)
    timed("prepare", prepare, doc)
    ex = Extraction()
    ex.citations = timed("citations", extract_citations, doc)
    ex.footnotes = timed("footnotes", footnote_checks, doc, ex.citations)
    ex.figures = timed("figures", extract_figures, doc)
    ex.findings = timed("audit", audit_document, doc, ex.figures, ex.citations, ex.footnote_counts())
    ex.locality = timed("locality", locality_of, doc)
    ex.indicators = timed("indicators", classify, ex.figures, doc.text,
                          {fn.marker: fn.text for fn in doc.footnotes})
    result = FileResult(id=file_id(data), path=str(path), file_name=path.name, size=len(data), format=fmt,
                        document=doc, extraction=ex)
    timed("rows", pack, result)
    db = open_db(db_dir / f"{path.stem}.db")
    try:
        def store() -> None:
            write_result(db, result, defer_corpus=True)
            insert_document_rows(db.conn, result.id, result.rows)

        timed("store", store)
    finally:
        db.close()
    return times


def _report(files: list[Path], best: dict[Path, dict[str, float]], bare: dict[Path, float], fmt: str,
            repeat: int) -> None:
    """The table of one format's files and its ratio full/bare."""
    head = f"{'report':30s}" + "".join(f"{s[:9]:>10s}" for s in STAGES) + f"{'total':>9s}{'bare':>8s}{'ratio':>7s}"
    clock = "wall-clock" if CLOCK is time.perf_counter else "CPU"
    print(f"{fmt.upper()}: ms per stage ({clock} time, best of {repeat} runs"
          f"{', caches kept' if WARM else ', caches emptied before each report'})")
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
            f"{path.stem[:30]:30s}" + "".join(f"{1000 * times[s]:10.1f}" for s in STAGES)
            + f"{1000 * total:9.1f}{1000 * bare[path]:8.1f}{total / bare[path]:7.2f}"
        )
    n = len(files)
    print(
        f"{'mean':30s}" + "".join(f"{1000 * sums[s] / n:10.1f}" for s in STAGES)
        + f"{1000 * total_all / n:9.1f}{1000 * bare_all / n:8.1f}{total_all / bare_all:7.2f}"
    )
    target = TARGET[fmt]
    print(f"full ingest / {BARE_NAME[fmt]}: {total_all / bare_all:.2f}x (bench/ingest_speed.py's target <= {target:g}x:"
          f" {'met' if total_all <= target * bare_all else 'NOT met'}; this ratio leaves out ingest's walking,"
          f" hashing and commits)\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--wall", action="store_true", help="wall-clock time instead of this process's CPU time")
    ap.add_argument("--warm", action="store_true", help="keep the caches earlier reports filled")
    ap.add_argument("--cprofile", action="store_true")
    only = ap.add_mutually_exclusive_group()
    only.add_argument("--docx", action="store_true", help="only the default DOCX files")
    only.add_argument("--pdf", action="store_true", help="only the default PDF files")
    args = ap.parse_args()
    global CLOCK, WARM
    if args.wall:
        CLOCK = time.perf_counter
    WARM = args.warm
    files = args.files
    if not files:
        if not args.pdf:
            files += sorted((SHARED / "docx").glob("*.docx")) + sorted(OWN.glob("*.docx"))
        if not args.docx:
            files += sorted((SHARED / "pdf").glob("*.pdf"))
    formats = {path: sniff(path.read_bytes()) for path in files}
    files = [p for p in files if formats[p] in BARE]
    if not files:
        print("no DOCX or PDF files found")
        return 1

    with tempfile.TemporaryDirectory(prefix="docmine-bench-") as tmp:
        tmp_dir = Path(tmp)
        started = time.perf_counter()
        for fmt in dict.fromkeys(formats[p] for p in files):  # warm-up: imports, rules, the tagger model
            run_stages(next(p for p in files if formats[p] == fmt), tmp_dir)
        print(f"first reports (cold: imports, rules, models): {1000 * (time.perf_counter() - started):.0f} ms\n")

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
                BARE[formats[path]](data)
                bare[path] = min(bare.get(path, float("inf")), CLOCK() - t)

        for fmt in BARE:
            group = [p for p in files if formats[p] == fmt]
            if group:
                _report(group, best, bare, fmt, args.repeat)

        if args.cprofile:
            prof = cProfile.Profile()
            prof.enable()
            for path in files:
                run_dir = tmp_dir / f"p{time.perf_counter_ns()}"
                run_dir.mkdir()
                run_stages(path, run_dir)
            prof.disable()
            stats = pstats.Stats(prof)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
