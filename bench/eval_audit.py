"""Audit recall and false alarms against the hand-read expected findings (corpus/findings/expected.yaml and the
``findings:`` lists of corpus/real_gold/<file>.yaml).

    python bench/eval_audit.py [--shared ../shared/corpus]

Reads the five corpus reports (DOCX), every document of ``real/`` and the project's corpus reports (DOCX), runs the
audits and matches each expected finding (document, kind, sentence) to a finding of that kind on that document whose
text or message holds the sentence (or whose text lies in it). Prints recall, the false-alarm rate (findings on a
read document that match no expected one, per finding raised), per kind, and lists the misses and the false alarms.
Targets: recall >= 0.95, false alarms <= 0.1.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.pipeline import extract_all, read  # noqa: E402


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def _same_place(want: str, f) -> bool:
    """The expected sentence is in the finding's text or message, or the finding's text (from the figure on) is in
    the sentence ("cấp 09 giấy phép …" read by a person, "09 giấy phép …" the finding's span)."""
    text = _fold(f.text)
    return want in text or want in _fold(f.message) or (len(text) >= 20 and text in want)


def documents(shared: Path) -> list[Path]:
    files = sorted((shared / "docx").glob("*.docx")) + sorted(p for p in (shared / "real").iterdir()
                                                               if p.name != "README.md")
    return files + sorted((ROOT / "corpus" / "reports").glob("*.docx"))


def load_gold() -> tuple[set[str], list[dict]]:
    """The documents read for findings and the expected findings: expected.yaml (``read`` and ``findings`` with a
    ``document`` each) and every corpus/real_gold/<file>.yaml that has a ``findings`` key (even empty: the document
    was read and nothing is expected), whose items ``{kind, sentence, note}`` belong to the gold's ``file``."""
    gold = yaml.safe_load((ROOT / "corpus" / "findings" / "expected.yaml").read_text(encoding="utf-8"))
    read_docs, expected = set(gold["read"]), list(gold["findings"])
    for path in sorted((ROOT / "corpus" / "real_gold").glob("*.yaml")):
        real = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "findings" not in real:
            continue
        name = real.get("file") or path.stem
        read_docs.add(name)
        have = {(e["document"], e["kind"], _fold(e["sentence"])) for e in expected}
        for item in real["findings"] or []:
            if (name, item["kind"], _fold(item["sentence"])) not in have:  # kept in both files: counted once
                expected.append({"document": name, **item})
    return read_docs, expected


def evaluate(shared: Path) -> dict:
    read_docs, expected = load_gold()
    raised: dict[str, list] = {}
    for path in documents(shared):
        if path.name in read_docs:
            raised[path.name] = extract_all(read(path)).findings
    used: set[int] = set()
    misses, hits = [], Counter()
    for e in expected:
        want = _fold(e["sentence"])
        match = next((i for i, f in enumerate(raised.get(e["document"], []))
                      if f.kind == e["kind"] and id(f) not in used
                      and _same_place(want, f)), None)
        if match is None:
            misses.append(e)
        else:
            used.add(id(raised[e["document"]][match]))
            hits[e["kind"]] += 1
    alarms = [(doc, f) for doc, fs in raised.items() for f in fs if id(f) not in used]
    total_raised = sum(len(fs) for fs in raised.values())
    return {"expected": expected, "hits": hits, "misses": misses, "alarms": alarms, "raised": total_raised}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    r = evaluate(args.shared)
    n = len(r["expected"])
    found = sum(r["hits"].values())
    print(f"recall {found}/{n} = {found / n:.3f}   false alarms {len(r['alarms'])}/{r['raised']} = "
          f"{len(r['alarms']) / max(1, r['raised']):.3f}")
    kinds = Counter(e["kind"] for e in r["expected"]) + Counter(f.kind for _, f in r["alarms"])
    print(f"{'kind':32} expected found  false alarms")
    for kind in sorted(kinds):
        exp = sum(1 for e in r["expected"] if e["kind"] == kind)
        fa = sum(1 for _, f in r["alarms"] if f.kind == kind)
        print(f"{kind:32} {exp:8} {r['hits'][kind]:5} {fa:13}")
    for e in r["misses"]:
        print(f"MISS  {e['document']}  {e['kind']}  “{e['sentence']}”")
    for doc, f in r["alarms"]:
        print(f"FALSE {doc}  {f.kind}  {f.message_en[:140]}")


if __name__ == "__main__":
    main()
