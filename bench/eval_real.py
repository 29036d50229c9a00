"""Citation key precision and recall on the genuine documents (corpus/real/) against their hand-checked gold
(corpus/real_gold/<name>.yaml), with every miss listed.

    python bench/eval_real.py [--real corpus/real] [--gold corpus/real_gold]

A gold file that carries a ``citations`` list is scored (files whose citations are not annotated yet are named as
such, never counted as perfect). A predicted mention matches a gold one when (in_footnote, marker, key,
occurrence order) agree, as in bench/eval_citations.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.eval_citations import mention_ids  # noqa: E402
from extractor import api  # noqa: E402


def score_file(path: Path, gold: dict) -> tuple[int, int, int, list[str]]:
    doc = api.read(path)
    pred = api.extract(doc).citations
    g_ids = mention_ids([(g["in_footnote"], g["marker"], g["key"]) for g in gold["citations"]])
    p_ids = mention_ids([(c.in_footnote, c.footnote_marker, c.key) for c in pred])
    matched = set(g_ids) & set(p_ids)
    misses = [f"  missed  {path.name}: {g}" for g in g_ids if g not in matched]
    misses += [f"  extra   {path.name}: {p}" for p in p_ids if p not in matched]
    return len(matched), len(p_ids), len(g_ids), misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--real", type=Path, default=ROOT / "corpus" / "real")
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "real_gold")
    args = ap.parse_args(argv)
    tp = n_pred = n_gold = 0
    all_misses: list[str] = []
    unannotated = []
    for gold_path in sorted(args.gold.glob("*.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        if "citations" not in gold:
            unannotated.append(gold["file"])
            continue
        t, p, g, misses = score_file(args.real / gold["file"], gold)
        tp, n_pred, n_gold = tp + t, n_pred + p, n_gold + g
        all_misses += misses
        print(f"{gold['file']:34} tp {t:3}  pred {p:3}  gold {g:3}")
    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_gold if n_gold else 1.0
    print(f"key P={precision:.3f} R={recall:.3f}  (tp {tp}, pred {n_pred}, gold {n_gold})")
    print("\n".join(all_misses) or "no misses")
    if unannotated:
        print(f"citations not annotated yet ({len(unannotated)}): {', '.join(unannotated)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
