"""Batch ingest: unreadable files become 'error' rows with clear messages while the rest is stored; one transaction
per document; re-ingesting the same bytes replaces, never duplicates."""

from __future__ import annotations

import shutil
import sqlite3
import struct
import zlib
from pathlib import Path

import pytest
import sqlite_utils

from extractor.run.ingest import ingest, process_file
from extractor.store import db as store
from extractor.store.derive import insert_document_rows
from extractor.store.schema import TABLES


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _encrypted_pdf() -> bytes:
    """A one-page PDF with a Standard security handler whose user password is not empty."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 8 >>\nstream\n\x8a\x17\xe2\x01\x9c\x44\x13\x77\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"6f" * 32 + b"> /U <" + b"75" * 32 + b"> /P -44 >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Encrypt 5 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return out


@pytest.fixture
def bad_files(tmp_path, shared_corpus) -> dict[str, Path]:
    files = {
        "empty.docx": b"",
        "truncated.docx": (shared_corpus / "docx" / "son-tra-2024.docx").read_bytes()[:4000],
        "random.pdf": bytes(range(256)) * 40,
        "scan-page.png": _png(),
        "protected.pdf": _encrypted_pdf(),
    }
    out = {}
    for name, data in files.items():
        (tmp_path / "bad").mkdir(exist_ok=True)
        out[name] = tmp_path / "bad" / name
        out[name].write_bytes(data)
    return out


EXPECTED_ERRORS = {
    "empty.docx": ("EmptyDocument", "empty"),
    "truncated.docx": ("CorruptDocument", "damaged or truncated"),
    "random.pdf": ("UnsupportedFormat", "match no format"),
    "scan-page.png": ("UnsupportedFormat", "PNG image"),
    "protected.pdf": ("EncryptedDocument", "password"),
}


def test_unreadable_files_are_recorded_and_the_batch_goes_on(tmp_path, shared_corpus, bad_files):
    good = tmp_path / "good"
    good.mkdir()
    for name in ("binh-son-6-thang-2023", "son-tra-2024"):
        shutil.copy(shared_corpus / "docx" / f"{name}.docx", good)
    db_path = tmp_path / "out.db"
    summary = ingest([tmp_path / "bad", good], db_path)
    assert (summary.files, summary.ok, summary.errors) == (7, 2, 5)
    db = sqlite_utils.Database(db_path)
    rows = {r["file_name"]: r for r in db["documents"].rows}
    for name, (exc, phrase) in EXPECTED_ERRORS.items():
        row = rows[name]
        assert row["status"] == "error"
        assert row["error"].startswith(exc), row["error"]
        assert phrase in row["error"].lower() or phrase in row["error"], row["error"]
        assert row["text"] is None
    assert rows["scan-page.png"]["format"] == "png" and rows["random.pdf"]["format"] == "unknown"
    assert rows["binh-son-6-thang-2023.docx"]["status"] == "ok"
    assert db.execute("select count(*) from footnotes").fetchone()[0] == 6
    assert store.integrity_problems(db_path) == []


def test_reingest_replaces_never_duplicates(tmp_path, shared_corpus):
    src = shared_corpus / "docx" / "binh-son-6-thang-2023.docx"
    copy = tmp_path / "copy-of-binh-son.docx"
    shutil.copy(src, copy)
    db_path = tmp_path / "out.db"
    ingest([src], db_path)
    ingest([src, copy], db_path)  # same bytes twice more, under another name too
    db = sqlite_utils.Database(db_path)
    assert db["documents"].count == 1
    assert db.execute("select count(*) from footnotes").fetchone()[0] == 6
    assert db.execute("select count(*) from documents_fts").fetchone()[0] == 1


def test_a_failure_mid_document_leaves_the_stored_version_whole(tmp_path, shared_corpus, monkeypatch):
    src = shared_corpus / "docx" / "binh-son-6-thang-2023.docx"
    db_path = tmp_path / "out.db"
    ingest([src], db_path)
    before = sqlite_utils.Database(db_path).execute("select count(*) from footnotes").fetchone()[0]

    result = process_file(src)
    db = store.open_db(db_path)
    real_insert = store.insert_values

    def failing_insert(conn, table, names, values):  # the footnotes come after the document row and its blocks
        if table == "footnotes":
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return real_insert(conn, table, names, values)

    monkeypatch.setattr(store, "insert_values", failing_insert)
    with pytest.raises(sqlite3.OperationalError):
        store.write_result(db, result)
    monkeypatch.undo()
    db.close()
    db = sqlite_utils.Database(db_path)
    assert db["documents"].count == 1
    assert db.execute("select count(*) from footnotes").fetchone()[0] == before == 6
    assert db.execute("select count(*) from blocks").fetchone()[0] > 100


def test_every_schema_table_and_column_exists(tmp_path):
    db = store.open_db(tmp_path / "x.db")
    for table, (_, cols) in TABLES.items():
        assert set(cols) <= set(db[table].columns_dict), table
    assert db["documents_fts"].exists() and db["footnotes_fts"].exists()


def test_documents_row_holds_metadata_and_text(tmp_path, shared_corpus):
    db_path = tmp_path / "out.db"
    ingest([shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx"], db_path)
    row = next(sqlite_utils.Database(db_path)["documents"].rows)
    assert row["format"] == "docx" and row["status"] == "ok" and row["error"] is None
    assert (row["doc_type"], row["number"], row["symbol"]) == ("Báo cáo", "154", "BC-CAT-QLHC")
    assert (row["issued_date"], row["place"], row["signer"]) == ("2023-01-08", "Tuyên Quang", "Đại tá Đỗ Tiến Thùy")
    assert row["footnote_count"] == 9
    assert "Công an tỉnh Tuyên Quang báo cáo kết quả triển khai" in row["text"]
    fts = sqlite_utils.Database(db_path).execute(
        "select count(*) from documents_fts where documents_fts match 'VNeID'").fetchone()[0]
    assert fts == 1


def test_cited_documents_and_corpus_findings_kept_right_as_reports_arrive(tmp_path, shared_corpus):
    db_path = tmp_path / "out.db"
    ingest([shared_corpus / "docx" / "binh-son-6-thang-2023.docx"], db_path)
    db = sqlite_utils.Database(db_path)
    row = db["cited_documents"].get("06/QĐ-TTg")
    assert (row["doc_type"], row["issued_date"], row["dates"], row["documents"]) == (
        "Quyết định", "2022-01-06", '["2022-01-06"]', 1)
    corpus = "select count(*) from findings where document_id is null and kind = 'citation_date_conflict'"
    assert db.execute(corpus).fetchone()[0] == 0

    ingest([shared_corpus / "docx" / "nga-bay-2022.docx"], db_path)
    row = db["cited_documents"].get("06/QĐ-TTg")
    assert (row["dates"], row["documents"]) == ('["2022-01-06", "2022-01-18"]', 2)
    (message,) = [r[0] for r in db.execute(
        "select message from findings where document_id is null and key = '06/QĐ-TTg'").fetchall()]
    assert "06/01/2022" in message and "18/01/2022" in message and "nga-bay-2022.docx" in message
    # every key's mention count equals the citations table
    for key, mentions in db.execute("select key, mentions from cited_documents").fetchall():
        assert mentions == db.execute("select count(*) from citations where key = ?", [key]).fetchone()[0]

    store.delete_document(db, db.execute("select id from documents where file_name like 'nga-bay%'").fetchone()[0])
    assert db.execute(corpus).fetchone()[0] == 0
    assert db["cited_documents"].get("06/QĐ-TTg")["documents"] == 1


def test_a_corrected_file_replaces_its_old_version(tmp_path, own_corpus):
    """The same path with new bytes (a corrected report): re-extracted, and the superseded version is removed."""
    report = tmp_path / "inbox" / "report.md"
    report.parent.mkdir()
    original = (own_corpus / "reports" / "xa-my-thanh-dong-6-thang-2024.md").read_text(encoding="utf-8")
    report.write_text(original, encoding="utf-8")
    db_path = tmp_path / "out.db"
    ingest([report.parent], db_path, jobs=0)
    db = sqlite_utils.Database(db_path)
    (first_id,) = [r[0] for r in db.execute("select id from documents").fetchall()]
    corrected = original.replace("Mỹ Thạnh Đông", "Mỹ Thạnh Tây", 1)
    assert corrected != original
    report.write_text(corrected, encoding="utf-8")
    ingest([report.parent], db_path, jobs=0)
    ids = [r[0] for r in db.execute("select id from documents").fetchall()]
    assert len(ids) == 1 and ids[0] != first_id
    for table in ("blocks", "footnotes", "citations", "figures"):
        assert db.execute(f"select count(*) from {table} where document_id = ?", [first_id]).fetchone()[0] == 0
    assert store.integrity_problems(db_path) == []
    # a copy elsewhere keeps a version alive: both paths, two versions
    copy = tmp_path / "archive" / "report.md"
    copy.parent.mkdir()
    copy.write_text(corrected, encoding="utf-8")
    report.write_text(original, encoding="utf-8")
    ingest([report.parent, copy.parent], db_path, jobs=0)
    assert db.execute("select count(*) from documents").fetchone()[0] == 2


def test_corpus_rows_are_recomputed_once_per_run_and_a_killed_runs_queue_is_finished(tmp_path, own_corpus,
                                                                                      monkeypatch):
    reports = sorted((own_corpus / "reports").glob("*.docx"))
    db_path = tmp_path / "q.db"
    calls = []
    real = store.refresh_cited_documents
    monkeypatch.setattr(store, "refresh_cited_documents", lambda db, keys=None: (calls.append(keys), real(db, keys)))
    ingest(reports, db_path, jobs=0)
    assert len(calls) == 1  # one recomputation for the whole run, not one per report
    db = sqlite_utils.Database(db_path)
    assert db["pending_keys"].count == 0
    expected = list(db.execute("select * from cited_documents order by key").fetchall())
    assert expected and db.execute("select count(distinct key) from citations").fetchone()[0] == len(expected)

    # a run killed after storing reports but before recomputing: its keys are still queued, the rows stale
    with db.conn:
        db.execute("insert into pending_keys (key) select distinct key from citations where key is not null")
        db.execute("update cited_documents set mentions = 0")
    db.close()
    summary = ingest(reports, db_path, jobs=0)  # nothing to read again; the queue is finished
    assert summary.skipped == len(reports)
    db = sqlite_utils.Database(db_path)
    assert db.execute("select * from cited_documents order by key").fetchall() == expected
    assert db["pending_keys"].count == 0


def test_full_text_indexes_follow_every_write_and_delete(tmp_path, own_corpus):
    """store indexes a document's rows in the transaction that writes them (no per-row insert trigger): searches
    find them, a superseded version leaves the indexes, and the check reports a missing or stale entry."""
    reports = sorted((own_corpus / "reports").glob("*.docx"))
    db_path = tmp_path / "fts.db"
    db = store.open_db(db_path)  # a database from before: sqlite-utils' insert trigger, which open_db drops
    db.execute("CREATE TRIGGER [citations_ai] AFTER INSERT ON [citations] BEGIN INSERT INTO [citations_fts] "
               "(rowid, [text], [subject]) VALUES (new.rowid, new.[text], new.[subject]); END")
    db.close()
    ingest(reports, db_path, jobs=0)
    db = sqlite_utils.Database(db_path)
    assert not db.execute("select 1 from sqlite_master where name = 'citations_ai'").fetchone()
    assert store.integrity_problems(db_path) == []
    hits = {r[0] for r in db.execute("select rowid from citations_fts where citations_fts match '\"quyet định\"'")}
    expected = {r[0] for r in db.execute("select rowid, text, subject from citations").fetchall()
                if "quyết định" in f"{r[1]} {r[2]}".lower()}
    assert hits == expected and len(hits) >= 5
    assert db.execute("select count(*) from documents_fts where documents_fts match 'VNeID'").fetchone()[0] >= 1

    folder = tmp_path / "in"  # a corrected copy of a report replaces the version it was ingested as
    folder.mkdir()
    shutil.copy(reports[0], folder / reports[0].name)
    ingest([folder], db_path, jobs=0)
    edited = folder / reports[0].name
    edited.write_bytes(edited.read_bytes() + b"\0")  # other bytes: read again, the old version deleted
    ingest([folder], db_path, jobs=0)
    assert store.integrity_problems(db_path) == []

    with db.conn:  # and the check sees an index that does not match its table
        db.execute("drop trigger citations_ad")
        db.execute("delete from citations where rowid in (select rowid from citations limit 2)")
        db.execute("insert into footnotes (document_id, marker, text) "
                   "select document_id, '99', 'chữ' from footnotes limit 1")
    assert store.integrity_problems(db_path) == [
        "1 footnotes rows missing from footnotes_fts", "2 deleted citations rows still in citations_fts"]


def test_derived_rows_from_the_workers_equal_a_rebuild_from_the_database(tmp_path, own_corpus):
    """Workers compute each document's localities and indicators rows (extract_all) and the writer stores them with
    the document; a full rebuild from the stored rows (what serve and export run) gives exactly the same rows."""
    from extractor.store.derive import refresh_derived

    reports = sorted((own_corpus / "reports").glob("*.docx")) + sorted((own_corpus / "reports").glob("*.pdf"))
    db_path = tmp_path / "derived.db"
    ingest(reports, db_path, jobs=0)
    db = sqlite_utils.Database(db_path)

    def snapshot():
        return {t: sorted(map(repr, db.execute(f"select * from {t}").fetchall())) for t in ("localities", "indicators")}

    written = snapshot()
    assert len(written["localities"]) == len(reports)
    assert len(written["indicators"]) == db.execute("select count(*) from figures").fetchone()[0] > 50
    assert db.execute("select count(*) from indicators where matched_by = 'rule'").fetchone()[0] > 10
    refresh_derived(db_path)  # drops both tables and computes them again from documents, figures and footnotes
    assert snapshot() == written

    # a result without the workers' derived rows (None): the writer computes them from the database
    one = db.execute("select id from documents order by id limit 1").fetchone()[0]
    with db.conn:
        db.execute("delete from indicators where document_id = ?", [one])
        db.execute("delete from localities where document_id = ?", [one])
        insert_document_rows(db.conn, one, None)
    assert snapshot() == written


def test_a_packed_result_stores_exactly_what_the_full_result_stores(tmp_path, shared_corpus):
    """Workers send the writer rows, not the document (``process_file(packed=True)``); the database is the same."""
    src = shared_corpus / "pdf" / "nga-bay-2022.pdf"
    full, packed = process_file(src), process_file(src, packed=True)
    assert full.document is not None and packed.document is None and packed.extraction is None
    assert packed.count("citations") == len(full.extraction.citations) > 20
    assert len(packed.rows["indicators"][1]) == len(full.extraction.figures) > 20

    def stored(result, name):
        db = store.open_db(tmp_path / f"{name}.db")
        with db.atomic():
            store.write_result(db, result)
            insert_document_rows(db.conn, result.id, store.rows_of(result))
        out = {}
        for table in ("documents", *store.CHILD_TABLES, "cited_documents", "localities", "indicators"):
            rows = [dict(r) for r in db[table].rows]
            for r in rows:
                r.pop("ingested_at", None)
            out[table] = rows
        return out

    assert stored(full, "full") == stored(packed, "packed")
