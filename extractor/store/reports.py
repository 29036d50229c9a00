"""One report, many files: the ``reports`` table, rebuilt from the stored documents after every ingest.

Offices send one document as the Word draft, the signed PDF, a scan, a .doc and a text export, and send corrected
versions. Files are grouped into one report when

- their own metadata names the same document: the same type, number, symbol and date (``identity``; a draft with a
  blank number or date has none) from issuers that do not differ (``issuer_key``); or
- their texts are near-duplicates: MinHash over 4-word shingles of the folded text estimates a Jaccard similarity
  of at least ``prepare.similarity.NEAR_DUPLICATE`` (threshold measured on the corpus, see there), unless both
  sides carry full identities that differ (two numbered reports from one template stay two reports).

Each report names its best source (``rank``): a text layer over OCR, a signed file (number and date filled in, the
PDF) over a draft, a later correction over an earlier one. Its other files are duplicates: ``documents.duplicate_of``
points at the best source, and aggregates, the indicator pivot, findings and the canned queries read best sources
only (``duplicate_of IS NULL``). ``documents.name`` and ``reports.name`` are readable Vietnamese labels
(``report_name``). MinHash signatures are kept in ``minhashes`` (internal), computed once per stored document.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import regex

from ..prepare.similarity import (
    MINHASH_SCHEME,
    MINHASH_SEED,
    NEAR_DUPLICATE,
    NUM_PERM,
    fold,
    minhash_signature,
    permutations,
    signature_similarity,
)
from .schema import MINHASHES, create_report_tables

# best first: a PDF with a text layer is the issued (signed) form; a Word file is the draft; text exports last
FORMAT_RANK = {"pdf": 0, "docx": 1, "doc": 2}
_ABBREVIATIONS = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tp": "thanh pho"}
_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")


@dataclass
class DocumentFacts:
    """What grouping reads of one stored document."""

    id: str
    file_name: str | None = None
    format: str | None = None
    ocr: int = 0
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    place: str | None = None
    issued_date: str | None = None
    title: str | None = None
    mtime_ns: int | None = None


@dataclass
class Report:
    """One report: its files, best first, and how they were grouped ('metadata' or 'text')."""

    files: list[DocumentFacts]
    grouped_by: str
    fields: dict[str, str | None] = field(default_factory=dict)

    @property
    def best(self) -> DocumentFacts:
        return self.files[0]

    @property
    def name(self) -> str:
        return report_name(**self.fields, file_name=self.best.file_name)


def identity(doc_type: str | None, number: str | None, symbol: str | None,
             issued_date: str | None) -> tuple[str, str, str, str] | None:
    """The document a file says it is: (type, number without leading zeros, symbol, date), folded so the formats'
    spellings agree ("Số: 09/QĐ-UBND" = "9/QD-UBND"); None unless type, number, symbol and date are all given (a
    draft's blank number, a scan whose date OCR lost: grouped by text instead)."""
    if not (doc_type and number and symbol and issued_date):
        return None
    symbol_key = _NOT_ALNUM.sub("", fold(symbol))
    return fold(doc_type).strip(), number.strip().lstrip("0") or "0", symbol_key, issued_date


@functools.lru_cache(maxsize=4096)  # asked for both sides of every candidate pair, of a few distinct issuers
def issuer_key(issuer: str | None) -> str | None:
    """The issuing body, folded, with its common abbreviations spelt out and only letters and digits kept, so
    "ỦY BAN NHÂN DÂN - TỈNH LÀO CAI" and "UBND tỉnh Lào Cai" agree."""
    if not issuer:
        return None
    words = [_ABBREVIATIONS.get(w, w) for w in _NOT_ALNUM.split(fold(_clean_issuer(issuer))) if w]
    return "".join(words).replace(" ", "") or None


def _compatible(a: DocumentFacts, b: DocumentFacts) -> bool:
    ka, kb = issuer_key(a.issuer), issuer_key(b.issuer)
    return ka is None or kb is None or ka == kb


def rank(doc: DocumentFacts) -> tuple:
    """Sort key of a report's files, best source first: text layer over OCR; signed (number and date filled in)
    over a draft; the PDF over the Word file over the .doc over a text export; the later date and then the later
    file (a correction) over the earlier; the id last, so the order never depends on the order of ingest."""
    filled = (doc.number is not None) + (doc.issued_date is not None)
    return (doc.ocr or 0, -filled, FORMAT_RANK.get(doc.format or "", len(FORMAT_RANK)),
            _desc(doc.issued_date or ""), -(doc.mtime_ns or 0), doc.id)


def _desc(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def _clean_issuer(issuer: str) -> str:
    """An issuer as the header table gave it, made readable: markdown and rule lines dropped, the two header
    columns cut at "|", lines joined ("ỦY BAN NHÂN DÂN - TỈNH LÀO CAI" → "ỦY BAN NHÂN DÂN TỈNH LÀO CAI")."""
    first = issuer.replace("**", "").split("|")[0]
    parts = [p.strip() for p in regex.split(r"\s+-\s+|\n", f" {first} ")]
    parts = [p for p in parts if p and not regex.fullmatch(r"[-–—_=.\s]+", p)]
    return regex.sub(r"\s+", " ", " ".join(parts)).strip(" -")


def _dmy(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{d}/{m}/{y}"


def report_name(doc_type: str | None = None, number: str | None = None, symbol: str | None = None,
                issuer: str | None = None, issued_date: str | None = None, title: str | None = None,
                file_name: str | None = None, **_: object) -> str:
    """A readable Vietnamese label: "Báo cáo số 154/BC-CAT-QLHC ngày 08/01/2023 của Công an tỉnh Tuyên Quang"; a
    draft without number says "số …/BC-UBND" and adds its title; a file with no number line at all is named by
    its title, then by its file name."""
    parts = [doc_type or "Văn bản"]
    if number or symbol:
        parts.append(f"số {number or '…'}{'/' + symbol if symbol else ''}")
    if issued_date and regex.fullmatch(r"\d{4}-\d\d-\d\d", issued_date):
        parts.append(f"ngày {_dmy(issued_date)}")
    issuer_text = _clean_issuer(issuer) if issuer else ""
    if issuer_text:
        parts.append(f"của {issuer_text}")
    if len(parts) == 1 and not doc_type:  # nothing identifies it but its title or its file
        return _short(title) if title else (file_name or "(không tên)")
    if title and not (number and issued_date):  # a draft or an undated text: its subject tells it apart
        parts.append(f"về {_short(title, 80)}" if not title.lower().startswith("về") else _short(title, 80))
    return " ".join(parts)


def _short(text: str, limit: int = 120) -> str:
    text = regex.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def document_name(report: Report, doc: DocumentFacts) -> str:
    """A file's label: its report's name, and the file name when the report has more than one file."""
    return report.name if len(report.files) == 1 else f"{report.name} [{doc.file_name}]"


def group_documents(docs: Iterable[DocumentFacts], signatures: dict[str, bytes | None],
                    threshold: float = NEAR_DUPLICATE) -> list[Report]:
    """Group files into reports (pure: the database is read and written by ``refresh_reports``). ``signatures``:
    document id → MinHash signature (``prepare.similarity.minhash_signature``) or None for a text too short."""
    docs = sorted(docs, key=lambda d: d.id)
    by_id = {d.id: d for d in docs}
    parent = {d.id: d.id for d in docs}
    identities = {d.id: identity(d.doc_type, d.number, d.symbol, d.issued_date) for d in docs}
    members: dict[str, list[str]] = {d.id: [d.id] for d in docs}
    by_text: set[str] = set()  # roots of groups joined (at least once) by their texts

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def conflict(ra: str, rb: str) -> bool:
        for a in members[ra]:
            for b in members[rb]:
                ia, ib = identities[a], identities[b]
                if (ia and ib and ia != ib) or not _compatible(by_id[a], by_id[b]):
                    return True
        return False

    def union(a: str, b: str, how: str) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or conflict(ra, rb):
            return
        parent[rb] = ra
        members[ra] += members.pop(rb)
        if how == "text" or rb in by_text:
            by_text.add(ra)
        by_text.discard(rb)

    buckets: dict[tuple, list[str]] = {}
    for d in docs:
        if identities[d.id]:
            buckets.setdefault(identities[d.id], []).append(d.id)
    for ids in buckets.values():
        for other in ids[1:]:
            union(ids[0], other, "metadata")
    for _score, a, b in _similar_pairs(signatures, threshold):
        union(a, b, "text")
    reports = []
    for root, ids in members.items():
        files = sorted((by_id[i] for i in ids), key=rank)
        how = "metadata" if root not in by_text and all(identities[i] for i in ids) else "text"
        reports.append(Report(files=files, grouped_by=how, fields=_fields(files)))
    return sorted(reports, key=lambda r: r.best.id)


def _fields(files: list[DocumentFacts]) -> dict[str, str | None]:
    """The report's metadata: each field from the best source that has it."""
    names = ("doc_type", "number", "symbol", "issuer", "place", "issued_date", "title")
    return {n: next((getattr(f, n) for f in files if getattr(f, n)), None) for n in names}


@functools.cache
def _lsh_bands(threshold: float) -> tuple[int, int]:
    """The bands and rows datasketch's MinHashLSH chooses for ``threshold`` (it integrates its error probabilities
    over some 1,300 (bands, rows) pairs to choose them, 28 ms on every run's rebuild: chosen once per process)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def _similar_pairs(signatures: dict[str, bytes | None], threshold: float) -> list[tuple[float, str, str]]:
    """Pairs of documents whose signatures estimate a Jaccard similarity of at least ``threshold``, most similar
    first; candidates from MinHash LSH (datasketch), so the cost grows with the files, not their pairs."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    sigs = {k: v for k, v in sorted(signatures.items()) if v}
    if len(sigs) < 2:
        return []
    # LSH only proposes; the estimate decides
    lsh = MinHashLSH(threshold=threshold * 0.8, num_perm=NUM_PERM, params=_lsh_bands(threshold * 0.8))
    hashes = {k: MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME, permutations=permutations(),
                         hashvalues=np.frombuffer(v, dtype="<u8")) for k, v in sigs.items()}
    for k, m in hashes.items():
        lsh.insert(k, m)
    pairs = set()
    for k, m in hashes.items():
        for other in lsh.query(m):
            if other != k:
                pairs.add((min(k, other), max(k, other)))
    scored = [(signature_similarity(sigs[a], sigs[b]), a, b) for a, b in pairs]
    return sorted((s for s in scored if s[0] >= threshold), key=lambda s: (-s[0], s[1], s[2]))


# --- the database -----------------------------------------------------------------------------------------------

def _signatures(conn: sqlite3.Connection) -> dict[str, bytes | None]:
    """Every readable document's MinHash signature, computing those not yet cached (new or re-read documents)."""
    conn.execute(f"DELETE FROM [{MINHASHES}] WHERE document_id NOT IN (SELECT id FROM documents WHERE status = 'ok')")
    stale = conn.execute(
        f"SELECT d.id, d.ingested_at FROM documents d LEFT JOIN [{MINHASHES}] m ON m.document_id = d.id "
        "WHERE d.status = 'ok' AND (m.document_id IS NULL OR m.ingested_at IS NOT d.ingested_at)").fetchall()
    for doc_id, ingested_at in stale:  # one text in memory at a time
        text = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0] or ""
        conn.execute(f"INSERT OR REPLACE INTO [{MINHASHES}] VALUES (?, ?, ?)",
                     (doc_id, ingested_at, minhash_signature(text)))
    return dict(conn.execute(f"SELECT document_id, signature FROM [{MINHASHES}]").fetchall())


def _facts(conn: sqlite3.Connection) -> list[DocumentFacts]:
    rows = conn.execute(
        "SELECT d.id, d.file_name, d.format, d.ocr, d.doc_type, d.number, d.symbol, d.issuer, d.place, "
        "d.issued_date, d.title, (SELECT max(mtime_ns) FROM files f WHERE f.document_id = d.id) "
        "FROM documents d WHERE d.status = 'ok'").fetchall()
    return [DocumentFacts(*r) for r in rows]


def refresh_reports(conn: sqlite3.Connection) -> set[str]:
    """Rebuild ``reports`` and documents' ``report_id``, ``duplicate_of`` and ``name`` from the stored documents,
    in the caller's transaction; only rows that change are written. Returns the ids of documents whose best-source
    status changed (their citation keys' corpus rows count best sources only: the caller recomputes them)."""
    from .db import insert_values
    from .schema import columns

    create_report_tables(conn)
    conn.execute("PRAGMA defer_foreign_keys = ON")  # reports and documents point at each other: checked at commit
    reports = group_documents(_facts(conn), _signatures(conn))
    new_docs: dict[str, tuple[str | None, str | None, str]] = {}
    rows = []
    for report in reports:
        best = report.best.id
        for doc in report.files:
            new_docs[doc.id] = (best, None if doc.id == best else best, document_name(report, doc))
        rows.append({**report.fields, "id": best, "name": report.name, "best_document_id": best,
                     "files": len(report.files), "grouped_by": report.grouped_by})
    old_docs = {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute(
        "SELECT id, report_id, duplicate_of, name, coalesce(file_name, path, id) FROM documents")}
    changed_best = set()
    updates = []
    for doc_id, (report_id, duplicate_of, name, file_name) in old_docs.items():
        new = new_docs.get(doc_id, (None, None, file_name))  # a file that could not be read: in no report
        if (report_id, duplicate_of, name) != new:
            updates.append((*new, doc_id))
            if duplicate_of != new[1]:
                changed_best.add(doc_id)
    conn.executemany("UPDATE documents SET report_id = ?, duplicate_of = ?, name = ? WHERE id = ?", updates)
    names = list(columns("reports"))
    old_reports = {r[0]: r[1:] for r in conn.execute(f"SELECT {', '.join(f'[{n}]' for n in names)} FROM reports")}
    new_rows = {r["id"]: tuple(r.get(n) for n in names) for r in rows}
    gone = [k for k in old_reports if k not in new_rows]
    conn.execute("DELETE FROM reports WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(gone),))
    upserts = [v for k, v in new_rows.items() if old_reports.get(k) != v[1:]]
    conn.executemany("DELETE FROM reports WHERE id = ?", [(v[0],) for v in upserts])
    insert_values(conn, "reports", names, upserts)
    return changed_best


def rebuild(db_path: str | Path, *, schema: bool = True) -> int:
    """``refresh_reports`` on the database at ``db_path`` in one transaction, with the corpus-wide rows
    (cited_documents, citation_date_conflict findings) of documents that became or stopped being duplicates
    recomputed; returns the number of reports. What ``refresh_derived`` calls after every ingest, serve and
    export. ``schema=False``: the caller has just brought the schema up to date (``store.open_db``)."""
    from .db import open_db, refresh_cited_documents, refresh_corpus_findings

    db = open_db(db_path, schema=schema)
    try:
        with db.atomic():
            changed = refresh_reports(db.conn)
            if changed:
                keys = {r[0] for r in db.execute(
                    "SELECT DISTINCT key FROM citations WHERE key IS NOT NULL AND document_id IN "
                    "(SELECT value FROM json_each(?))", [json.dumps(sorted(changed))]).fetchall()}
                refresh_cited_documents(db, keys)
                refresh_corpus_findings(db, keys)
        return db.execute("SELECT count(*) FROM reports").fetchone()[0]
    finally:
        db.close()


__all__ = ["DocumentFacts", "Report", "document_name", "group_documents", "identity",
           "issuer_key", "rank", "rebuild", "refresh_reports", "report_name"]
