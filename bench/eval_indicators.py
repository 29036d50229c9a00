"""Precision and recall of the indicator mapping (rules/indicators.yaml) against hand-labelled figures.

    python bench/eval_indicators.py [--shared ../shared/corpus] [-v]

Gold: corpus/gold/indicators/<name>.yaml, one file per document; each labelled figure gives the figure as written,
a stretch of the document around it (``context``, which locates it in the text), the indicator id it measures
(``null`` when it measures nothing of the taxonomy) and, where the sentence says, its stance (result / target /
plan). ``source`` is the file: a path in this repository, or ``shared:<path>`` under ../shared/corpus.

Precision: of the labelled figures docmine maps to an indicator, the share mapped to the right one (a figure
labelled null that docmine maps is a false alarm). Recall: of the figures labelled with an indicator, the share
docmine maps to it. Stance accuracy over the figures whose stance is labelled. Target: precision >= 0.95.
``-v`` lists every wrong or missed mapping with its context.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.pipeline import extract_all, read  # noqa: E402

GOLD = ROOT / "corpus" / "gold" / "indicators"


@dataclass
class Score:
    mapped: int = 0  # labelled figures docmine mapped to an indicator
    right: int = 0  # … to the labelled one
    labelled: int = 0  # labelled figures that measure an indicator
    found: int = 0  # … that docmine mapped to it
    stance_labelled: int = 0
    stance_right: int = 0
    unlocated: list[str] = field(default_factory=list)  # gold figures whose context is not in the text
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.mapped if self.mapped else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def stance_accuracy(self) -> float:
        return self.stance_right / self.stance_labelled if self.stance_labelled else 1.0


def gold_files(shared: Path | None) -> list[tuple[Path, dict]]:
    """(document path, gold) for every gold file whose document is here (shared ones only with ``shared``)."""
    out = []
    for path in sorted(GOLD.glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = gold["source"]
        if source.startswith("shared:"):
            if shared is None:
                continue
            doc = shared / source.removeprefix("shared:")
        else:
            doc = ROOT / source
        out.append((doc, gold))
    return out


def score_document(doc_path: Path, gold: dict, score: Score) -> None:
    """Add one document's labelled figures to ``score``: each gold figure is located by its context in the text
    (body or a footnote) and matched to the extracted figure whose span covers it."""
    doc = read(doc_path)
    extraction = extract_all(doc)
    sources = {None: doc.text, **{fn.marker: fn.text for fn in doc.footnotes}}
    spans = {}
    for figure, match in zip(extraction.figures, extraction.indicators, strict=True):
        spans.setdefault(figure.footnote_marker if figure.in_footnote else None, []).append((figure, match))
    for entry in gold["figures"]:
        where = next(((m, t.find(entry["context"])) for m, t in sources.items() if entry["context"] in t), None)
        if where is None:
            score.unlocated.append(f"{doc_path.name}: {entry['figure']!r}")
            continue
        marker, at = where
        start = at + entry["context"].index(entry["figure"])
        end = start + len(entry["figure"])
        got = next((m for f, m in spans.get(marker, []) if f.start < end and start < f.end), None)
        want = entry["indicator"]
        have = got.indicator_id if got else None
        if have is not None:
            score.mapped += 1
            score.right += have == want
        if want is not None:
            score.labelled += 1
            score.found += have == want
        if have != want:
            score.errors.append(f"{doc_path.name}: {entry['figure']!r} → {have} (gold {want}) «{entry['context']}»")
        if entry.get("stance") and got is not None:
            score.stance_labelled += 1
            score.stance_right += got.stance == entry["stance"]
            if got.stance != entry["stance"]:
                score.errors.append(f"{doc_path.name}: {entry['figure']!r} stance {got.stance} (gold "
                                    f"{entry['stance']}) «{entry['context']}»")


def evaluate(shared: Path | None) -> Score:
    score = Score()
    for doc_path, gold in gold_files(shared):
        score_document(doc_path, gold, score)
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    shared = args.shared if args.shared.is_dir() else None
    score = evaluate(shared)
    print(f"chỉ tiêu / indicators: precision {score.precision:.3f} ({score.right}/{score.mapped})  "
          f"recall {score.recall:.3f} ({score.found}/{score.labelled})  "
          f"stance {score.stance_accuracy:.3f} ({score.stance_right}/{score.stance_labelled})"
          + ("" if shared else "  [own corpus only: ../shared/corpus not found]"))
    if score.unlocated:
        print(f"{len(score.unlocated)} labelled figures not found in their document: {score.unlocated}")
    if args.verbose:
        for line in score.errors:
            print(" ", line)
    return 0 if score.precision >= 0.95 else 1


if __name__ == "__main__":
    raise SystemExit(main())
