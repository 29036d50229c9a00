"""The single writer's share of a parallel ingest (issue 15): what a worker sends is the rows the store writes,
MinHash signature included, so the writer only inserts them; and what is stored does not depend on where a file
was read (in this process or in a worker)."""

from __future__ import annotations

import pickle
import sqlite3
import unicodedata

from conftest import ROOT, load_script
from hypothesis import given
from hypothesis import strategies as st

from extractor.prepare.similarity import fold, minhash_signature
from extractor.run.ingest import ingest, process_file
from extractor.store import reports
from extractor.store.rows import MINHASH
from extractor.store.schema import MINHASHES

dump = load_script(ROOT / "bench" / "db_dump.py").dump


def _fold_by_character(text: str) -> str:
    """``fold`` as it was first written: a join over every character."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_fold_real_words():
    assert fold("Định danh ĐIỆN TỬ") == "dinh danh dien tu"
    assert fold("Quyết định số 06/QĐ-TTg") == "quyet dinh so 06/qd-ttg"
    assert fold("Ủy ban nhân dân") == "uy ban nhan dan"
    assert fold("Ủy ban") != "uy  ban"  # spaces are kept as they are


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_fold_drops_exactly_the_combining_characters(text):
    assert fold(text) == _fold_by_character(text)


def test_worker_payload_holds_the_signature(own_corpus):
    """A packed result (what a worker sends) carries the document's MinHash signature, the one the reports rebuild
    would compute from the stored text; the payload is plain rows, no document model."""
    path = own_corpus / "reports" / "huyen-thach-lam-quy-1-2024.docx"
    full = process_file(path)
    packed = process_file(path, packed=True)
    assert packed.document is None and packed.extraction is None
    assert MINHASH == MINHASHES  # the rows' entry is named after the table it fills
    names, values = packed.rows[MINHASH]
    assert names == ("signature",)
    assert values == [(minhash_signature(full.document.text),)]
    assert len(values[0][0]) == 128 * 8  # NUM_PERM 64-bit values
    assert b"extractor.model" not in pickle.dumps(packed.rows)  # plain tuples only


def test_ingest_computes_no_signature_in_the_writer(tmp_path, own_corpus, monkeypatch):
    """Every readable document's signature is stored with it, current for its ingested_at: the reports rebuild at
    the end of the run (in the writer) computes none, and still groups each report's three files."""
    def fail(text):
        raise AssertionError("the writer computed a MinHash signature")

    monkeypatch.setattr(reports, "minhash_signature", fail)
    db = tmp_path / "d.db"
    summary = ingest([own_corpus / "reports"], db, jobs=0)
    assert summary.ok == 9
    conn = sqlite3.connect(db)
    try:
        assert conn.execute(f"SELECT count(*) FROM [{MINHASHES}] m JOIN documents d ON d.id = m.document_id "
                            "WHERE m.ingested_at = d.ingested_at AND m.signature IS NOT NULL").fetchone()[0] == 9
        assert sorted(r[0] for r in conn.execute("SELECT files FROM reports")) == [3, 3, 3]
    finally:
        conn.close()


def test_read_in_a_worker_or_here_stores_the_same(tmp_path, own_corpus):
    """The project's own reports ingested in this process and by one guarded worker: every table, full-text
    indexes and signatures included, holds the same rows (bench/db_dump.py; the ingest times left out)."""
    here, worker = tmp_path / "here.db", tmp_path / "worker.db"
    ingest([own_corpus / "reports"], here, jobs=0)
    ingest([own_corpus / "reports"], worker, jobs=1)
    a, b = dump(here), dump(worker)
    assert any(line.startswith("## minhashes (9 rows)") for line in a)
    assert any(line.startswith("## documents_fts") for line in a)
    assert a == b
