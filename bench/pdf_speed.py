"""PDF ingest speed: docmine's PDF parser against bare pdfplumber ``extract_text`` and bare pypdfium2
``get_text_range`` on the same files (the five corpus PDFs by default), in pages per second.

Targets (a later issue): faster than pdfplumber, and within 5x of pypdfium2 get_text_range.

The ratio includes what issue 19 added to the parser: reading the digital signatures, flattening signature widgets
into the page, and judging every page's text layer (rules/text_layer.yaml); their own share of the time is printed
too. ``--real`` adds the e-signed and repaired PDFs of ../shared/corpus/real (the ones that need no OCR).

    python bench/pdf_speed.py [PDF ...] [--repeat N] [--real]

pdfplumber is not a docmine dependency: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

try:
    import pdfplumber
except ImportError:
    sys.exit("pdfplumber is not installed: pip install -e '.[bench]'")
import pypdfium2 as pdfium  # noqa: E402
from baselines import bare_pdfium  # noqa: E402

from extractor.formats.pdf import check_text_layers, parse, read_layouts  # noqa: E402
from extractor.formats.pdf.signatures import read_signatures  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
REAL = ROOT.parent / "shared" / "corpus" / "real"
REAL_TEXT_PDFS = ["lc-cv193-ubnd.pdf", "lc-cv6791-snnmt.pdf", "lc-cv7432-ubnd.pdf", "bct-cv1178-dck.pdf"]


def docmine_parse(data: bytes) -> int:
    return parse(data).pages or 0


def plumber_text(data: bytes) -> int:
    import io

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def new_work(data: bytes) -> int:
    """Only what issue 19 added: signatures and the text-layer verdicts (layouts read outside the clock)."""
    pdf = pdfium.PdfDocument(data)
    try:
        start = time.perf_counter()
        read_signatures(pdf, data, find_pages=False)
        spent = time.perf_counter() - start
        layouts = read_layouts(pdf)
    finally:
        pdf.close()
    start = time.perf_counter()
    check_text_layers(layouts)
    new_work.seconds += spent + time.perf_counter() - start  # type: ignore[attr-defined]
    return len(layouts)


def pages_per_second(fn: Callable[[bytes], int], files: list[bytes], repeat: int) -> float:
    best = float("inf")
    pages = 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = sum(fn(data) for data in files)
        best = min(best, time.perf_counter() - start)
    return pages / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5, help="runs per method; the best is kept (default 5)")
    ap.add_argument("--real", action="store_true", help="add the text-layer PDFs of ../shared/corpus/real")
    args = ap.parse_args()
    paths = args.pdfs or sorted(CORPUS.glob("*.pdf"))
    if args.real:
        paths += [REAL / name for name in REAL_TEXT_PDFS if (REAL / name).exists()]
    if not paths:
        sys.exit(f"no PDFs given and none in {CORPUS}")
    files = [p.read_bytes() for p in paths]
    docmine_parse(files[0])  # warm up imports
    ours = pages_per_second(docmine_parse, files, args.repeat)
    plumber = pages_per_second(plumber_text, files, max(1, args.repeat // 2))
    pdfium_pps = pages_per_second(bare_pdfium, files, args.repeat)
    new_work.seconds = 0.0  # type: ignore[attr-defined]
    pages = sum(new_work(data) for data in files)
    added = new_work.seconds / pages  # type: ignore[attr-defined]
    print(f"{len(paths)} PDF(s), {pages} pages, best of {args.repeat} runs")
    print(f"  docmine pdf.parse          {ours:8.1f} pages/s")
    print(f"  pdfplumber extract_text    {plumber:8.1f} pages/s")
    print(f"  pypdfium2 get_text_range   {pdfium_pps:8.1f} pages/s")
    print(f"  docmine / pdfplumber       {ours / plumber:8.2f}x faster   (target > 1)")
    print(f"  pypdfium2 / docmine        {pdfium_pps / ours:8.2f}x slower  (target <= 5, with the new work in)")
    print(f"  signatures + text-layer check {added * 1000:6.2f} ms/page ({added * ours:.1%} of docmine's time)")


if __name__ == "__main__":
    main()
