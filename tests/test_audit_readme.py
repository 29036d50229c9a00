"""README's findings section lists every finding kind the audits make, each with a Vietnamese example message and
its English beside it; every kind the code makes has a severity and messages in rules/audit.yaml."""

from __future__ import annotations

from pathlib import Path

import regex
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _kinds_made() -> set[str]:
    made = set()
    for path in (ROOT / "extractor" / "audit").glob("*.py"):
        made |= set(regex.findall(r'make\(\s*"([a-z0-9_]+)"', path.read_text(encoding="utf-8")))
    return made


def test_every_kind_made_has_a_severity_and_messages() -> None:
    rules = yaml.safe_load((ROOT / "rules" / "audit.yaml").read_text(encoding="utf-8"))
    made = _kinds_made()
    assert {"citation_symbol_variant", "text_table_mismatch", "table_total_mismatch"} <= made
    assert made == set(rules["severity"])
    assert all(rules["messages"][k]["vi"] and rules["messages"][k]["en"] for k in made if k in rules["messages"])


def test_readme_lists_every_kind_with_both_messages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Findings") :]
    section = section[: section.index("\n### ", 1)]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4 and regex.fullmatch(r"[a-z0-9_]+", cells[1]) and cells[1] != "kind":
            rows[cells[1]] = cells[3]
    rules = yaml.safe_load((ROOT / "rules" / "audit.yaml").read_text(encoding="utf-8"))
    assert set(rows) == set(rules["severity"])
    for kind, example in rows.items():
        vi, _, en = example.partition(" — *")
        assert regex.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", vi), kind
        assert en.endswith("*") and len(en) > 20, kind
