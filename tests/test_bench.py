"""The benchmarks' own helpers (bench/ingest_speed.py), not their timings: the copies they ingest are distinct
documents with the original's content, and a measure records every run and the machine's busy cores."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import load_script

from extractor.run.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    module = load_script(ROOT / "bench/ingest_speed.py")
    return module


def test_copies_are_new_documents_with_the_same_content(bench, own_corpus: Path, tmp_path: Path) -> None:
    originals = [own_corpus / "reports" / f"huyen-thach-lam-quy-1-2024.{ext}" for ext in ("docx", "pdf")]
    copies = [c for src in originals for c in bench.make_copies(src, tmp_path / "copies", 2)]
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in originals + copies}
    assert len(digests) == 6  # nothing would be skipped as already stored

    summary = ingest(originals + copies, tmp_path / "x.db", jobs=0)
    assert summary.ok == 6, summary.failed
    conn = sqlite3.connect(tmp_path / "x.db")
    texts = dict(conn.execute("select file_name, text from documents").fetchall())
    citations: dict[str, list[str]] = {}
    for name, key in conn.execute("select file_name, key from documents join citations on document_id = documents.id"):
        citations.setdefault(name, []).append(key or "")
    citations = {name: sorted(keys) for name, keys in citations.items()}
    for copy in copies:
        original = f"huyen-thach-lam-quy-1-2024{copy.suffix}"
        assert texts[copy.name] == texts[original]
        assert citations[copy.name] == citations[original]
    assert "06/QĐ-TTg" in citations["huyen-thach-lam-quy-1-2024.docx"]  # hand-checked (corpus/expected)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/stat")
def test_a_measure_keeps_every_run_and_the_cores_busy_in_the_fastest(bench) -> None:
    bench.REPEAT = 3
    (loop,) = bench.interleaved(lambda: bench._loop(3_000_000))
    assert len(loop.walls) == 3
    assert loop.wall == min(loop.walls) > 0
    assert loop.value == bench._loop(3_000_000)
    busy = loop.cores_busy()
    assert busy is not None
    # this process spun on one core the whole time: nearly all of a core was busy (a count of cores, not a fraction
    # of the machine), never more than all of them
    assert 0.8 <= busy <= (os.cpu_count() or 1)
