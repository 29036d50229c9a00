"""PDF ingest speed: docmine's PDF parser against bare pdfplumber ``extract_text`` and bare pypdfium2
``get_text_range`` on the same files (the five corpus PDFs by default), in pages per second.

Targets (a later issue): faster than pdfplumber, and within 5x of pypdfium2 get_text_range.

    python bench/pdf_speed.py [PDF ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from extractor.formats.pdf import parse  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"


def docmine_parse(data: bytes) -> int:
    return parse(data).pages or 0


def plumber_text(data: bytes) -> int:
    import io

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pdfium_text(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


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
    args = ap.parse_args()
    paths = args.pdfs or sorted(CORPUS.glob("*.pdf"))
    if not paths:
        sys.exit(f"no PDFs given and none in {CORPUS}")
    files = [p.read_bytes() for p in paths]
    docmine_parse(files[0])  # warm up imports
    ours = pages_per_second(docmine_parse, files, args.repeat)
    plumber = pages_per_second(plumber_text, files, max(1, args.repeat // 2))
    pdfium_pps = pages_per_second(pdfium_text, files, args.repeat)
    print(f"{len(paths)} PDF(s), best of {args.repeat} runs")
    print(f"  docmine pdf.parse          {ours:8.1f} pages/s")
    print(f"  pdfplumber extract_text    {plumber:8.1f} pages/s")
    print(f"  pypdfium2 get_text_range   {pdfium_pps:8.1f} pages/s")
    print(f"  docmine / pdfplumber       {ours / plumber:8.2f}x faster   (target > 1)")
    print(f"  pypdfium2 / docmine        {pdfium_pps / ours:8.2f}x slower  (target <= 5)")


if __name__ == "__main__":
    main()
