"""Precision and recall of ratio extraction against the hand-checked gold (corpus/gold/ratios/*.yaml), by format.

    python bench/eval_figures.py [--shared ../shared/corpus] [--formats docx,pdf,txt] [-v]

A predicted ratio matches a gold ratio with the same numerator, denominator and stated percentage (each gold
ratio matches at most once). Predicted ratios are the ``ratio`` figures (x/y) and the ``percent`` figures whose
base the text states earlier ("24.800 công dân … đã kích hoạt 12.345 tài khoản, chiếm tỷ lệ 49,78%": numerator
and denominator both set); gold entries of the second kind carry ``base_earlier: true``.

Gold: corpus/gold/ratios/<name>.yaml for the five reports of ../shared/corpus (docx/, pdf/, text/), and the
``ratios`` of corpus/expected/<name>.yaml for the project's own corpus (corpus/reports/<name>.docx|pdf|md; the
markdown export counts as "txt"). Targets: precision and recall >= 0.97 on DOCX, PDF and text. ``-v`` lists every
miss and every spurious ratio with its text and section.
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

from extractor.extract.figures import extract_figures  # noqa: E402
from extractor.pipeline import read  # noqa: E402

FOLDERS = {"docx": ("docx", ".docx"), "pdf": ("pdf", ".pdf"), "txt": ("text", ".txt")}


def _key(numerator, denominator, stated) -> tuple:
    return (
        round(float(numerator), 4),
        round(float(denominator), 4),
        None if stated is None else round(float(stated), 4),
    )


OWN_EXT = {"docx": ".docx", "pdf": ".pdf", "txt": ".md"}


def gold_entries(path: Path) -> dict[tuple, list[dict]]:
    """Gold ratios of one report by key (a key can occur several times: "00/00")."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[tuple, list[dict]] = {}
    for r in data.get("ratios") or []:
        out.setdefault(_key(r["numerator"], r["denominator"], r.get("stated_percent")), []).append(r)
    return out


def report_files(shared: Path, fmt: str) -> list[tuple[str, Path, Path]]:
    """(name, report file, gold file) of every report with a gold list, in the format ``fmt``."""
    folder, ext = FOLDERS[fmt]
    out = []
    for g in sorted((ROOT / "corpus" / "gold" / "ratios").glob("*.yaml")):
        candidate = shared / folder / f"{g.stem}{ext}"
        if candidate.exists():
            out.append((g.stem, candidate, g))
    for g in sorted((ROOT / "corpus" / "expected").glob("*.yaml")):
        candidate = ROOT / "corpus" / "reports" / f"{g.stem}{OWN_EXT[fmt]}"
        if candidate.exists():
            out.append((g.stem, candidate, g))
    return out


def predicted(doc) -> list:
    """The ratios the extractor finds: x/y ratios and percentages with a base stated earlier."""
    return [
        f
        for f in extract_figures(doc)
        if f.kind == "ratio" or (f.kind == "percent" and f.numerator is not None and f.denominator is not None)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--formats", default="docx,pdf,txt")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each miss and spurious ratio")
    args = parser.parse_args()
    shared = Path(args.shared)
    worst = 1.0
    for fmt in args.formats.split(","):
        tp = fp = fn = 0
        started = time.perf_counter()
        for name, path, gold_path in report_files(shared, fmt):
            entries = gold_entries(gold_path)
            expected = Counter({k: len(v) for k, v in entries.items()})
            figures = predicted(read(path))
            got = Counter(_key(f.numerator, f.denominator, f.stated_percent) for f in figures)
            hit = sum((expected & got).values())
            tp += hit
            fp += sum(got.values()) - hit
            fn += sum(expected.values()) - hit
            for k, n in (got - expected).items():
                print(f"  {fmt} {name}: spurious {k} x{n}")
                if args.verbose:
                    for f in figures:
                        if _key(f.numerator, f.denominator, f.stated_percent) == k:
                            where = f"fn {f.footnote_marker}" if f.in_footnote else f.section
                            print(f"      {f.kind} [{where}] {' '.join(f.text.split())!r}")
            for k, n in (expected - got).items():
                print(f"  {fmt} {name}: missed {k} x{n}")
                if args.verbose:
                    for r in entries[k]:
                        where = f"fn {r['footnote']}" if r.get("footnote") else r.get("section", "")
                        print(f"      [{where}] {r.get('text')!r}")
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
