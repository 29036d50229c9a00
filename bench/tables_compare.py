"""Ruled tables: docmine's finder (extractor/formats/pdf/tables.py) against pdfplumber's, on every page of
corpus/tables_gold/ (the cells read by eye from the rendered pages), in the same run.

For each table of the gold: is the grid's shape right, how many of its positions hold the right text (a position
covered by a merged cell must be covered in the answer too), and for each page the milliseconds each finder needs
from the opened PDF to the cells' text (the fastest of ``--repeat`` runs; docmine reads the page with pypdfium2,
pdfplumber with pdfminer). Tables a finder reports where the gold has none are counted as phantoms. pdfplumber runs
with its line strategies (``vertical_strategy`` and ``horizontal_strategy`` "lines", its default).

    python bench/tables_compare.py [--repeat N] [--render DIR]

pdfplumber is not a docmine dependency: install it with ``pip install -e '.[bench]'``. Gold pages whose PDF is
absent (../shared missing) are listed and skipped. ``--render DIR`` writes each gold page as PNG (pypdfium2, 2×)
for reading by eye.
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.formats.pdf.layout import read_page  # noqa: E402
from extractor.formats.pdf.lines import group_lines  # noqa: E402
from extractor.formats.pdf.tables import assign_runs, find_tables  # noqa: E402

GOLD = ROOT / "corpus" / "tables_gold"
COVERED = None  # a grid position inside a merged cell, not its top-left
MISSING = "<no cell>"  # a grid position no cell of the answer covers

Grid = list[list[str | None]]


def norm(text: str | None) -> str | None:
    return None if text is None else " ".join(unicodedata.normalize("NFC", text).split())


def _grid(n_rows: int, n_cols: int, cells: list[tuple[int, int, int, int, str]]) -> Grid:
    """A grid from (row, col, rowspan, colspan, text) cells: text at the top-left, COVERED elsewhere."""
    grid: Grid = [[MISSING] * n_cols for _ in range(n_rows)]
    for r, c, rs, cs, text in cells:
        for i in range(r, min(r + rs, n_rows)):
            for j in range(c, min(c + cs, n_cols)):
                grid[i][j] = COVERED
        grid[r][c] = norm(text)
    return grid


def docmine_tables(path: Path, number: int) -> list[Grid]:
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[number - 1]
        textpage = page.get_textpage()
        layout = read_page(page, textpage, number)
        textpage.close()
        page.close()
    finally:
        pdf.close()
    out = []
    for table in find_tables(layout.hrules, layout.vrules):
        assign_runs(table, [run for run in layout.runs if table.contains(run)])
        cells = [(cell.row, cell.col, cell.rowspan, cell.colspan,
                  " ".join(line.plain() for line in group_lines(cell.runs))) for cell in table.cells]
        out.append(_grid(table.n_rows, table.n_cols, cells))
    return out


def _distinct(values: list[float], tol: float = 1.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def plumber_tables(path: Path, number: int) -> list[Grid]:
    import pdfplumber

    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[number - 1]
        out = []
        for table in page.find_tables(settings):
            boxes = table.cells  # (x0, top, x1, bottom) of every cell, merged cells included
            xs = _distinct([b[0] for b in boxes] + [b[2] for b in boxes])
            ys = _distinct([b[1] for b in boxes] + [b[3] for b in boxes])
            texts = {}
            for row, values in zip(table.rows, table.extract(), strict=True):
                for box, text in zip(row.cells, values, strict=True):
                    if box is not None:
                        texts[box] = text or ""
            cells = []
            for box in boxes:
                c0, c1 = _index(xs, box[0]), _index(xs, box[2])
                r0, r1 = _index(ys, box[1]), _index(ys, box[3])
                cells.append((r0, c0, max(1, r1 - r0), max(1, c1 - c0), texts.get(box, "")))
            out.append(_grid(len(ys) - 1, len(xs) - 1, cells))
        return out


@dataclass
class Score:
    shape: bool
    right: int
    checked: int
    shape_seen: tuple[int, int] | None


def score(gold: Grid, answer: Grid | None) -> Score:
    checked = sum(len(row) for row in gold)
    if answer is None:
        return Score(False, 0, checked, None)
    right = 0
    for i, row in enumerate(gold):
        for j, want in enumerate(row):
            got = answer[i][j] if i < len(answer) and j < len(answer[i]) else MISSING
            right += got == norm(want)
    shape = len(answer) == len(gold) and all(len(a) == len(g) for a, g in zip(answer, gold, strict=False))
    return Score(shape, right, checked, (len(answer), len(answer[0]) if answer else 0))


def match(golds: list[Grid], answers: list[Grid]) -> tuple[list[Score], int]:
    """Each gold table's score against the answer table that gets most of its cells right (each answer used once),
    and the number of answer tables left over (phantoms)."""
    free = list(range(len(answers)))
    scores = []
    for gold in golds:
        best, best_k = score(gold, None), None
        for k in free:
            s = score(gold, answers[k])
            if (s.right, s.shape) > (best.right, best.shape):
                best, best_k = s, k
        if best_k is not None:
            free.remove(best_k)
        scores.append(best)
    return scores, len(free)


def timed(fn: Callable[[Path, int], list[Grid]], path: Path, number: int, repeat: int) -> tuple[list[Grid], float]:
    best = float("inf")
    result: list[Grid] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(path, number)
        best = min(best, time.perf_counter() - t0)
    return result, best * 1000


def load_gold() -> tuple[list[dict], list[str]]:
    pages, absent = [], []
    for f in sorted(GOLD.glob("*.yaml")):
        spec = yaml.safe_load(f.read_text(encoding="utf-8"))
        spec["name"] = f.stem
        spec["path"] = (ROOT / spec["file"]).resolve()
        if spec["path"].exists():
            pages.append(spec)
        else:
            absent.append(f"{f.name} ({spec['file']})")
    return pages, absent


def render(pages: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for spec in pages:
        pdf = pdfium.PdfDocument(spec["path"])
        pdf[spec["page"] - 1].render(scale=2).to_pil().save(out / f"{spec['name']}.png")
        pdf.close()
    print(f"{len(pages)} pages rendered to {out}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--render", type=Path, help="write the gold pages as PNG into this folder and stop")
    args = ap.parse_args()
    pages, absent = load_gold()
    if args.render:
        render(pages, args.render)
        return 0
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        print("pdfplumber is not installed: pip install -e '.[bench]'  (or: pip install 'pdfplumber>=0.11')",
              file=sys.stderr)
        return 2
    finders = {"docmine": docmine_tables, "pdfplumber": plumber_tables}
    totals = {name: {"ms": 0.0, "right": 0, "checked": 0, "shapes": 0, "phantoms": 0} for name in finders}
    n_tables = 0
    print(f"{'page':38} {'table':>7}  " + "  ".join(f"{name + ': shape, cells right, ms/page':>44}"
                                                    for name in finders))
    for spec in pages:
        golds = [[list(row) for row in t["rows"]] for t in spec["tables"]]
        n_tables += len(golds)
        results = {}
        for name, fn in finders.items():
            answers, ms = timed(fn, spec["path"], spec["page"], args.repeat)
            scores, phantoms = match(golds, answers)
            results[name] = (scores, phantoms, ms)
            tot = totals[name]
            tot["ms"] += ms
            tot["phantoms"] += phantoms
            for s in scores:
                tot["right"] += s.right
                tot["checked"] += s.checked
                tot["shapes"] += s.shape
        label = f"{spec['name']}"
        rows = max(1, len(golds))
        for k in range(rows):
            parts = []
            for name in finders:
                scores, phantoms, ms = results[name]
                if golds:
                    s = scores[k]
                    seen = "none" if s.shape_seen is None else f"{s.shape_seen[0]}x{s.shape_seen[1]}"
                    cell = f"{'ok ' if s.shape else 'BAD'} {seen:>6} {s.right:4}/{s.checked:<4}"
                else:
                    cell = f"{'no table' if phantoms == 0 else f'{phantoms} PHANTOM':>20}"
                extra = f" +{phantoms} phantom" if golds and phantoms and k == rows - 1 else ""
                parts.append(f"{cell + extra:>32} {ms:9.1f} ms")
            shape = "x".join(map(str, spec["tables"][k]["shape"])) if golds else "-"
            print(f"{label if k == 0 else '':38} {shape:>7}  " + "  ".join(f"{p:>44}" for p in parts))
    print()
    n_pages = len(pages)
    for name, tot in totals.items():
        pct = 100 * tot["right"] / tot["checked"] if tot["checked"] else 0.0
        print(f"{name:11} shapes right {tot['shapes']}/{n_tables}   cells right {tot['right']}/{tot['checked']}"
              f" ({pct:.1f}%)   phantom tables {tot['phantoms']}   {tot['ms'] / n_pages:7.1f} ms/page"
              f" over {n_pages} pages")
    ours, theirs = totals["docmine"], totals["pdfplumber"]
    if ours["ms"]:
        print(f"pdfplumber / docmine time per page: {theirs['ms'] / ours['ms']:.1f}x   cells right docmine − "
              f"pdfplumber: {ours['right'] - theirs['right']:+d}")
    if absent:
        print("skipped (PDF absent): " + ", ".join(absent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
