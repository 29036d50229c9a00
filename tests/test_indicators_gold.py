"""The indicator taxonomy measured against hand-labelled figures (corpus/gold/indicators/*.yaml, read off the
documents): precision at least 0.95 on the project's own reports alone and with the real reports of ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import load_script

from extractor.extract.indicators import by_id

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    module = load_script(ROOT / "bench/eval_indicators.py")
    return module


def test_gold_names_only_indicators_of_the_taxonomy():
    files = sorted((ROOT / "corpus" / "gold" / "indicators").glob("*.yaml"))
    assert len(files) >= 9
    for path in files:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert gold["figures"], path
        for entry in gold["figures"]:
            assert entry["figure"] in entry["context"], (path.name, entry)
            assert entry["indicator"] is None or entry["indicator"] in by_id(), (path.name, entry["indicator"])
            assert entry.get("stance") in (None, "result", "target", "plan"), (path.name, entry)


def test_own_corpus_mapping(bench):
    score = bench.evaluate(None)
    assert not score.unlocated, score.unlocated
    assert score.labelled >= 25 and score.mapped >= 25
    assert score.precision >= 0.95, score.errors
    assert score.recall >= 0.9, score.errors
    assert score.stance_accuracy >= 0.95, score.errors


@pytest.mark.shared
def test_real_reports_mapping(bench, shared_corpus):
    score = bench.evaluate(shared_corpus)
    assert not score.unlocated, score.unlocated
    assert score.labelled >= 150
    assert score.precision >= 0.95, score.errors
    assert score.recall >= 0.8, score.errors
    assert score.stance_accuracy >= 0.95, score.errors


def test_a_wrong_rule_is_caught(bench, monkeypatch):
    """The measure can fail: send every 'kế hoạch' and 'công văn' to another indicator and precision drops."""
    from extractor.extract import indicators

    rules = list(indicators.rules())
    broken = [r if r.id != "direction.documents" else type(r)(**{**r.__dict__, "id": "direction.meetings"})
              for r in rules]
    monkeypatch.setattr(indicators, "rules", lambda: tuple(broken))
    assert bench.evaluate(None).precision < 0.95
