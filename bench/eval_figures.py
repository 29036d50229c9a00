"""Precision and recall of ratio extraction against the hand-checked gold (corpus/gold/ratios/*.yaml), by format.

    python bench/eval_figures.py [--shared ../shared/corpus] [--formats docx,pdf,txt]

A predicted ratio matches a gold ratio with the same numerator, denominator and stated percentage (each gold
ratio matches at most once). Reports of the project's own corpus (corpus/reports/<name>.<ext>) are evaluated too
when a gold file of the same name exists. Targets: precision and recall >= 0.97 on DOCX, PDF and text.
Also prints the time per report, and the findings of each report (a false alarm shows up here first).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.figures import extract_figures  # noqa: E402
from extractor.pipeline import read  # noqa: E402

FOLDERS = {"docx": ("docx", ".docx"), "pdf": ("pdf", ".pdf"), "txt": ("text", ".txt")}


def _key(numerator, denominator, stated) -> tuple:
    return (
        round(float(numerator), 4),
        round(float(denominator), 4),
        None if stated is None else round(float(stated), 4),
    )


def gold(path: Path) -> Counter:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Counter(_key(r["numerator"], r["denominator"], r.get("stated_percent")) for r in data.get("ratios") or [])


def report_files(shared: Path, fmt: str) -> list[tuple[str, Path]]:
    folder, ext = FOLDERS[fmt]
    out = []
    for g in sorted((ROOT / "corpus" / "gold" / "ratios").glob("*.yaml")):
        for base in (shared / folder, ROOT / "corpus" / "reports"):
            candidate = base / f"{g.stem}{ext}"
            if candidate.exists():
                out.append((g.stem, candidate))
                break
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--formats", default="docx,pdf,txt")
    args = parser.parse_args()
    shared = Path(args.shared)
    worst = 1.0
    for fmt in args.formats.split(","):
        tp = fp = fn = 0
        started = time.perf_counter()
        for name, path in report_files(shared, fmt):
            expected = gold(ROOT / "corpus" / "gold" / "ratios" / f"{name}.yaml")
            doc = read(path)
            got = Counter(
                _key(f.numerator, f.denominator, f.stated_percent) for f in extract_figures(doc) if f.kind == "ratio"
            )
            hit = sum((expected & got).values())
            tp += hit
            fp += sum(got.values()) - hit
            fn += sum(expected.values()) - hit
            for k in got - expected:
                print(f"  {fmt} {name}: spurious {k}")
            for k in expected - got:
                print(f"  {fmt} {name}: missed {k}")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        worst = min(worst, precision, recall)
        print(
            f"{fmt:5s} ratios: precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn}) "
            f"in {time.perf_counter() - started:.1f}s"
        )
    print(f"target >= 0.97: {'met' if worst >= 0.97 else 'NOT met'}")
    return 0 if worst >= 0.97 else 1


if __name__ == "__main__":
    raise SystemExit(main())
