"""Citation extraction against the gold annotations: precision, recall and F1 by input format and field.

    python bench/eval_citations.py [--corpus ../shared/corpus] [--gold corpus/gold/citations] [-v]

Each gold file (corpus/gold/citations/<report>.yaml) lists every citation of one report. A predicted mention
matches a gold one when (in_footnote, footnote marker, key, occurrence order) agree -- the n-th mention of a key in
a footnote matches the n-th gold mention of that key in that footnote. Fields:

- key:    matched mentions / predicted (precision) and / gold (recall);
- date:   among mentions with a date, matched mentions whose issued_date agrees;
- issuer: among mentions with an issuer, matched mentions whose issuer agrees (case and abbreviations folded:
          "UBND huyện" == "Ủy ban nhân dân huyện").

Formats whose parser is not available yet (or fails on a file) are reported as unavailable, never a crash.
The project's own reports (corpus/reports/<name>.*) are evaluated too when their gold file exists.
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

from extractor.extract.citations import extract_citations  # noqa: E402

FORMATS = {"docx": ("docx", (".docx",)), "pdf": ("pdf", (".pdf",)), "txt": ("text", (".txt", ".md"))}
_ABBREV = {"ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "ttg": "thủ tướng chính phủ", "cp": "chính phủ"}


def fold_issuer(issuer: str | None) -> str | None:
    if not issuer:
        return None
    words = [_ABBREV.get(w, w) for w in issuer.casefold().replace("uỷ", "ủy").split()]
    return " ".join(words)


def mention_ids(rows: list[tuple[bool, str | None, str]]) -> list[tuple[bool, str | None, str, int]]:
    seen: Counter = Counter()
    out = []
    for in_fn, marker, key in rows:
        ident = (in_fn, marker if in_fn else None, key)
        out.append((*ident, seen[ident]))
        seen[ident] += 1
    return out


class Score:
    def __init__(self) -> None:
        self.tp = Counter()
        self.pred = Counter()
        self.gold = Counter()

    def line(self, field: str) -> str:
        p = self.tp[field] / self.pred[field] if self.pred[field] else 1.0
        r = self.tp[field] / self.gold[field] if self.gold[field] else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        counts = f"tp {self.tp[field]}, pred {self.pred[field]}, gold {self.gold[field]}"
        return f"{field:7} P={p:.3f} R={r:.3f} F1={f:.3f}  ({counts})"


def compare(gold: list[dict], pred, score: Score, verbose: bool, label: str) -> None:
    g_ids = mention_ids([(g["in_footnote"], str(g["marker"]) if g["marker"] else None, g["key"]) for g in gold])
    p_ids = mention_ids([(c.in_footnote, c.footnote_marker, c.key) for c in pred])
    g_by = dict(zip(g_ids, gold, strict=True))
    p_by = dict(zip(p_ids, pred, strict=True))
    matched = set(g_by) & set(p_by)
    score.tp["key"] += len(matched)
    score.pred["key"] += len(p_by)
    score.gold["key"] += len(g_by)
    for field in ("date", "issuer"):
        for ident, g in g_by.items():
            gv = g["issued_date"] if field == "date" else fold_issuer(g["issuer"])
            if gv:
                score.gold[field] += 1
            if ident in p_by:
                c = p_by[ident]
                if field == "date":
                    pv = c.issued_date.isoformat() if c.issued_date else None
                else:
                    pv = fold_issuer(c.issuer)
                if gv and pv == str(gv):
                    score.tp[field] += 1
                elif verbose and (gv or pv) and pv != (str(gv) if gv else None):
                    print(f"  {label} {field} differs at {ident}: gold {gv!r} predicted {pv!r}")
        for c in p_by.values():
            pv = c.issued_date if field == "date" else c.issuer
            if pv:
                score.pred[field] += 1
    if verbose:
        for ident in sorted(set(g_by) - matched, key=str):
            print(f"  {label} missed   {ident} {g_by[ident]['text']!r}")
        for ident in sorted(set(p_by) - matched, key=str):
            print(f"  {label} spurious {ident} {p_by[ident].text!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--own", type=Path, default=ROOT / "corpus" / "reports")
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold" / "citations")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    from extractor.pipeline import read

    golds = sorted(args.gold.glob("*.yaml"))
    if not golds:
        print(f"no gold files in {args.gold}")
        return 1
    for fmt, (folder, ext) in FORMATS.items():
        score = Score()
        unavailable = []
        started = time.perf_counter()
        n = 0
        for gold_path in golds:
            gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
            name = gold["report"]
            candidates = [d / f"{name}{e}" for e in ext for d in (args.corpus / folder, args.own)]
            path = next((p for p in candidates if p.exists()), None)
            if path is None:
                continue
            try:
                doc = read(path)
            except Exception as err:  # a parser not written yet, or failing on this file
                unavailable.append(f"{name}: {type(err).__name__}: {str(err)[:80]}")
                continue
            n += 1
            compare(gold["citations"], extract_citations(doc), score, args.verbose, f"{fmt}:{name}")
        elapsed = time.perf_counter() - started
        print(f"== {fmt}: {n} reports ({elapsed:.1f}s)")
        for u in unavailable:
            print(f"   unavailable: {u}")
        if n:
            for field in ("key", "date", "issuer"):
                print("   " + score.line(field))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
