"""Hostile input: hundreds of damaged, disguised and malicious files mixed with the real reports. The batch
completes, every hostile file is an 'error' row whose message names the problem, and every real report is stored
exactly as in a clean run. A worker that runs over the time limit is killed and the file recorded; one that needs
more memory than its cap fails alone."""

from __future__ import annotations

import io
import random
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import sqlite_utils

from extractor.run.ingest import ingest
from extractor.run.limits import Limits
from extractor.store import db as store

SEED = 20240606
MESSAGE = r"^(CorruptDocument|EmptyDocument|UnsupportedFormat|EncryptedDocument|TooLarge|TimeLimitExceeded): .{25,}"


# -- builders -----------------------------------------------------------------------------------------------------
def _rezip(src: bytes, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


def _flip_in_part(data: bytes, part: str, flips: int, rng: random.Random) -> bytes:
    """Flip bits inside the compressed bytes of one ZIP member (so inflate or the CRC check must fail)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(part)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    out = bytearray(data)
    for _ in range(flips):
        i = rng.randrange(start, start + info.compress_size)
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def _body_with_entity(xml: bytes, doctype: bytes, ref: bytes) -> bytes:
    decl_end = xml.index(b"?>") + 2
    return xml[:decl_end] + doctype + xml[decl_end:].replace(b"<w:t>", b"<w:t>" + ref, 1)


def _laughs(depth: int) -> bytes:
    ents = [b'<!ENTITY lol0 "lol">'] + [
        b"<!ENTITY lol%d \"%s\">" % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, depth + 1)
    ]
    return b"<!DOCTYPE w:document [" + b"".join(ents) + b"]>"


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer_extra
            + f">>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out


def _encrypted_pdf(i: int) -> bytes:
    """A Standard security handler with a non-empty user password (pdfium refuses without it)."""
    ident = f"{i:032x}"
    return _pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
         b"<< /Length 8 >>\nstream\n\x8a\x17\xe2\x01\x9c\x44\x13\x77\nendstream",
         b"<< /Filter /Standard /V 1 /R 2 /O <" + b"6f" * 32 + b"> /U <" + b"75" * 32 + b"> /P -44 >>"],
        f"/Encrypt 5 0 R /ID [<{ident}> <{ident}>] ".encode(),
    )


def _many_pages_pdf(pages: int, claimed: int | None = None) -> bytes:
    """``pages`` real (blank) pages, with the page tree claiming ``claimed`` of them."""
    kids = " ".join(f"{i + 4} 0 R" for i in range(pages)).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % (claimed or pages),
            b"<< /Length 0 >>\nstream\n\nendstream"]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 3 0 R >>"] * pages
    return _pdf(objs)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def build_hostile(folder: Path, corpus: Path) -> dict[str, str]:
    """Write the hostile files, each with different bytes (one documents row per content); returns file name →
    the exception class its error row must name."""
    rng = random.Random(SEED)
    docx = {p.stem: p.read_bytes() for p in sorted((corpus / "docx").glob("*.docx"))}
    docx["son-tra-2024-tcvn3"] = (corpus / "legacy" / "son-tra-2024-tcvn3.docx").read_bytes()
    pdfs = {p.stem: p.read_bytes() for p in sorted((corpus / "pdf").glob("*.pdf"))}
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, exc: str | tuple[str, ...]) -> None:
        (folder / name).write_bytes(data)
        expected[name] = exc

    for stem, data in docx.items():  # 6 × 14 truncated Word packages
        for k in range(14):
            cut = rng.randrange(1, len(data) - 200)
            put(f"truncated-{stem}-{k}.docx", data[:cut], "CorruptDocument")
    for stem, data in pdfs.items():  # 5 × 12 truncated PDFs (LibreOffice puts the page tree at the end)
        for k in range(12):
            put(f"truncated-{stem}-{k}.pdf", data[:rng.randrange(1, len(data) - 64)], "CorruptDocument")
    for stem, data in docx.items():  # 6 × 14 bit-flipped Word packages (flips inside the deflated body)
        for k in range(14):
            put(f"bitflip-{stem}-{k}.docx", _flip_in_part(data, "word/document.xml", rng.randint(1, 6), rng),
                "CorruptDocument")
    for k, ext in enumerate([".docx", ".pdf", ".doc", ".txt", ".md"] * 4):  # empty and blank files
        put(f"empty-{k}{ext}", b" \r\n\t\n" * k, "EmptyDocument")
    for k in range(100):  # random bytes, some behind a real magic number
        body = rng.randbytes(rng.randint(100, 20000))
        head, exc = [(b"", "UnsupportedFormat"), (b"%PDF-1.7\n", "CorruptDocument"),
                     (b"PK\x03\x04", "CorruptDocument"),
                     (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "UnsupportedFormat")][k % 4]
        put(f"random-{k}{['.docx', '.pdf', '.doc', '.txt'][k % 4]}", head + body, exc)
    disguised = {  # wrong extension: what the bytes really are
        "png": _png(), "jpeg": b"\xff\xd8\xff\xe0" + rng.randbytes(3000), "gif": b"GIF89a" + rng.randbytes(500),
        "gzip": b"\x1f\x8b\x08\x00" + rng.randbytes(400),
        "xlsx": _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        "odt": _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}),
        "zip": _zip({"readme.txt": b"hello", "data/report.csv": b"a,b\n1,2\n"}),
        "rtf": b"{\\rtf1\\ansi B\\'e1o c\\'e1o}", "html": b"<html><body>B\xc3\xa1o c\xc3\xa1o</body></html>",
        "7z": b"7z\xbc\xaf\x27\x1c" + rng.randbytes(300),
    }
    for k, (kind, data) in enumerate(sorted(disguised.items())):
        for j, ext in enumerate([".docx", ".pdf", ".doc", ".txt"]):
            unique = _rezip(data, {}, {f"copy-{j}.txt": b"%d" % j}) if data[:2] == b"PK" else data + b"\n%d" % j
            put(f"disguised-{kind}-{k}-{j}{ext}", unique, "UnsupportedFormat")
    base = docx["son-tra-2024"]
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        body = zf.read("word/document.xml")
        notes_docx = docx["binh-son-6-thang-2023"]
    with zipfile.ZipFile(io.BytesIO(notes_docx)) as zf:
        footnotes = zf.read("word/footnotes.xml")
    for k in range(30):  # zip bombs: a part that inflates far beyond its compressed size
        size = (2 + k % 6) * 1024 * 1024
        put(f"zipbomb-{k}.docx", _rezip(base, {}, {f"word/media/pad{k}.xml": b" " * size}), "TooLarge")
    put("zipbomb-huge-part.docx", _rezip(base, {}, {"word/media/huge.bin": b"\0" * (65 * 1024 * 1024)}),
        "TooLarge")
    for k in range(30):  # billion laughs and external entities in the body, the footnotes, the styles
        kind = k % 3
        if kind == 0:
            doctype, ref = _laughs(5 + k % 5), b"&lol%d;" % (5 + k % 5)
        elif kind == 1:
            doctype, ref = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;"
        else:
            doctype, ref = (b'<!DOCTYPE w:document [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>',
                            b"")
        doctype += b"<!-- variant %d -->" % k
        if k % 2:
            data = _rezip(notes_docx, {"word/footnotes.xml": _body_with_entity(footnotes, doctype, ref)})
        else:
            data = _rezip(base, {"word/document.xml": _body_with_entity(body, doctype, ref)})
        put(f"entitybomb-{k}.docx", data, "CorruptDocument")
    for k in range(40):
        put(f"encrypted-{k}.pdf", _encrypted_pdf(k), "EncryptedDocument")
    for k in range(18):  # a page tree claiming a million pages
        put(f"pages-claimed-{k}.pdf", _many_pages_pdf(1 + k, claimed=1_000_000 + k), "TooLarge")
    for k in range(2):  # really over the 2,000-page limit
        put(f"pages-real-{k}.pdf", _many_pages_pdf(2001 + k), "TooLarge")
    return expected


def build_damaged_pdfs(folder: Path, corpus: Path) -> list[str]:
    """Bit-flipped PDFs: pdfium repairs many of these, so they may be read; they must not stop the batch."""
    rng = random.Random(SEED + 1)
    names = []
    for src in sorted((corpus / "pdf").glob("*.pdf")):
        data = src.read_bytes()
        for k in range(4):
            out = bytearray(data)
            for _ in range(8):
                i = rng.randrange(len(out))
                out[i] ^= 1 << rng.randrange(8)
            name = f"bitflip-{src.stem}-{k}.pdf"
            (folder / name).write_bytes(bytes(out))
            names.append(name)
    return names


def _good_files(folder: Path, shared: Path, own: Path) -> None:
    for sub, pattern in (("docx", "*.docx"), ("pdf", "*.pdf"), ("text", "*.txt")):
        for src in sorted((shared / sub).glob(pattern)):
            shutil.copy(src, folder / f"{sub}-{src.name}")
    shutil.copy(shared / "legacy" / "son-tra-2024-tcvn3.docx", folder)
    reports = own / "reports"
    if reports.is_dir():
        for src in sorted(p for p in reports.rglob("*") if p.is_file() and p.suffix.lower() in (".docx", ".pdf",
                                                                                                  ".txt", ".md")):
            shutil.copy(src, folder / f"own-{src.name}")


def snapshot(db_path: Path, ids: set[str]) -> dict[str, list]:
    """Everything stored for these documents (row ids and write times left out), in a comparable order.
    (cited_documents is corpus-wide: the bit-flipped PDFs pdfium repairs add their citations to it.)"""
    db = sqlite_utils.Database(db_path)
    out: dict[str, list] = {}
    for table in ("documents", *store.CHILD_TABLES):
        key = "id" if table == "documents" else "document_id"
        rows = [r for r in db[table].rows if r[key] in ids]
        for r in rows:
            r.pop("ingested_at", None)
            for col in ("report_id", "duplicate_of", "name"):  # the report grouping depends on the batch's other
                r.pop(col, None)  # files (the bit-flipped copies pdfium repairs join their report): not this file
            if table != "documents":
                r.pop("id", None)
        out[table] = sorted(rows, key=lambda r: repr(sorted(r.items())))
    return out


# -- tests ----------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def batch(tmp_path_factory, shared_corpus, own_corpus):
    root = tmp_path_factory.mktemp("hostile")
    good, hostile = root / "good", root / "hostile"
    good.mkdir()
    hostile.mkdir()
    _good_files(good, shared_corpus, own_corpus)
    expected = build_hostile(hostile, shared_corpus)
    damaged = build_damaged_pdfs(hostile, shared_corpus)
    clean = ingest([good], root / "clean.db", jobs=2)
    mixed = ingest([good, hostile], root / "mixed.db", jobs=2)
    return root, expected, damaged, clean, mixed


def test_at_least_500_hostile_files_every_one_an_error_row_with_a_clear_message(batch):
    root, expected, damaged, clean, mixed = batch
    assert len(expected) >= 500
    assert (mixed.files, mixed.skipped) == (clean.files + len(expected) + len(damaged), 0)
    rows = {r["file_name"]: r for r in sqlite_utils.Database(root / "mixed.db")["documents"].rows}
    import regex

    for name, exc in expected.items():
        row = rows[name]
        assert row["status"] == "error", (name, row["format"])
        assert row["error"].startswith(f"{exc}: "), (name, row["error"])
        assert regex.match(MESSAGE, row["error"], regex.S), (name, row["error"])
        assert row["text"] is None
    errors = {name: rows[name]["error"] for name in expected}
    assert "a zip bomb?" in errors["zipbomb-3.docx"]
    assert "entity bomb" in errors["entitybomb-0.docx"] and "entity bomb" in errors["entitybomb-1.docx"]
    assert "word/footnotes.xml declares a DTD" in errors["entitybomb-3.docx"]
    assert "password-protected" in errors["encrypted-7.pdf"]
    assert "1,000,004 pages, over the 2,000-page limit" in errors["pages-claimed-4.pdf"]
    assert "2,001 pages" in errors["pages-real-0.pdf"]
    assert "damaged or truncated" in errors["truncated-nga-bay-2022-3.pdf"]
    assert "It is a PNG image" in errors["disguised-png-6-0.docx"]
    assert "Excel workbook" in errors["disguised-xlsx-8-1.pdf"]
    # bit-flipped PDFs are either read (pdfium repairs them) or recorded with a reason, never lost
    for name in damaged:
        assert rows[name]["status"] == "ok" or regex.match(MESSAGE, rows[name]["error"], regex.S), rows[name]
    assert store.integrity_problems(root / "mixed.db") == []


def test_every_good_report_is_stored_exactly_as_in_a_clean_run(batch):
    root, _, _, clean, _mixed = batch
    good_ids = {r["id"] for r in sqlite_utils.Database(root / "clean.db")["documents"].rows}
    assert clean.errors == 0 and clean.ok == len(good_ids) >= 16
    before, after = snapshot(root / "clean.db", good_ids), snapshot(root / "mixed.db", good_ids)
    assert len(before["documents"]) == len(good_ids)
    assert len(before["citations"]) > 300 and len(before["footnotes"]) > 40
    for table in before:
        assert after[table] == before[table], table


def test_a_worker_over_the_time_limit_is_killed_and_the_file_recorded(tmp_path, shared_corpus):
    for name in ("son-tra-2024", "nga-bay-2022"):
        shutil.copy(shared_corpus / "docx" / f"{name}.docx", tmp_path)
    db_path = tmp_path / "out.db"
    summary = ingest([tmp_path], db_path, jobs=1, limits=Limits(timeout_seconds=0.01))
    assert (summary.files, summary.errors) == (2, 2)
    rows = list(sqlite_utils.Database(db_path)["documents"].rows)
    for row in rows:
        assert row["error"].startswith("TimeLimitExceeded: Reading this file took longer than the 0.01 s limit")
        assert row["format"] == "docx"
    # the errors stay until asked for; then a fresh worker reads both
    assert ingest([tmp_path], db_path, jobs=1).skipped == 2
    again = ingest([tmp_path], db_path, jobs=1, retry_errors=True)
    assert (again.files, again.ok) == (2, 2)


def _docx_with_empty_paragraphs(src: bytes, n: int) -> bytes:
    """A valid DOCX whose body holds ``n`` empty paragraphs (random rsids: it does not compress like a zip bomb)."""
    rng = random.Random(SEED)
    with zipfile.ZipFile(io.BytesIO(src)) as zf:
        body = zf.read("word/document.xml")
    i = body.index(b"<w:body>") + len(b"<w:body>")
    paras = b"".join(b'<w:p w:rsidR="%08X"/>' % rng.getrandbits(32) for _ in range(n))
    return _rezip(src, {"word/document.xml": body[:i] + paras + body[i:]})


def test_a_file_needing_more_memory_than_the_cap_fails_alone(tmp_path, shared_corpus):
    folder = tmp_path / "in"
    folder.mkdir()
    src = (shared_corpus / "docx" / "son-tra-2024.docx").read_bytes()
    (folder / "a-huge-tree.docx").write_bytes(_docx_with_empty_paragraphs(src, 1_500_000))  # 9 MB, 1.5 M elements
    (folder / "b-son-tra-2024.docx").write_bytes(src)
    db_path = tmp_path / "out.db"
    summary = ingest([folder], db_path, jobs=1, limits=Limits(worker_memory_mb=750))
    rows = {r["file_name"]: r for r in sqlite_utils.Database(db_path)["documents"].rows}
    huge = rows["a-huge-tree.docx"]
    assert huge["status"] == "error"
    assert "reached its 750 MB memory cap while reading it" in huge["error"], huge["error"]
    assert rows["b-son-tra-2024.docx"]["status"] == "ok"  # read next, by a fresh worker
    assert (summary.files, summary.ok) == (2, 1)
