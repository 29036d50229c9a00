"""OCR speed: pages per second with 1 and 2 workers (Tesseract vie, deskew included) on a scanned corpus report.

Usage: python bench/ocr_speed.py [PDF] [PAGES]   (default: ../shared/corpus/scan/binh-son-6-thang-2023.pdf, 4 pages)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from extractor.formats.pdf import ocr

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "scan" / "binh-son-6-thang-2023.pdf"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    data = path.read_bytes()
    pages = list(range(1, n + 1))
    rates = {}
    for workers in (1, 2):
        start = time.perf_counter()
        ocr.ocr_pages(data, pages, workers=workers)
        elapsed = time.perf_counter() - start
        rates[workers] = n / elapsed
        print(f"{workers} worker(s): {n} pages in {elapsed:.1f} s = {rates[workers]:.2f} pages/s")
    print(f"speed-up with 2 workers: {rates[2] / rates[1]:.2f}x (baseline: 1 worker, same run)")


if __name__ == "__main__":
    main()
