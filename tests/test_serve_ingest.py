"""``docmine serve`` while ``docmine ingest`` writes: every page answers (no "database disk image is malformed"),
new documents appear as they are stored, and the browser still cannot write.

Datasette used to open the file immutable (``-i``): SQLite then reads it without locks and without its WAL, so pages
read while ingest committed were half-written. It now opens it read-only (``mode=ro``), which reads the WAL.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from urllib.error import HTTPError, URLError

from extractor.run.ingest import ingest
from extractor.serve import command

PAGES = [
    "/reports",
    "/reports/documents",
    "/reports/documents.json?_shape=array&_col=name&_size=max",
    "/reports/reports.json?_shape=array",
    "/reports/findings",
    "/reports/findings_by_report",
    "/reports/indicator_by_locality_and_period",
    "/reports/documents.json?_search=dinh+danh+dien+tu&_shape=array&_col=file_name",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except HTTPError as err:
        return err.code, err.read()


def test_datasette_opens_the_file_read_only_not_immutable(tmp_path):
    cmd = command(tmp_path / "x.db", "127.0.0.1", 8001, tmp_path / "m.json")
    assert "-i" not in cmd and "--immutable" not in cmd and "--nolock" not in cmd


def test_pages_answer_while_ingest_writes_and_new_documents_appear(tmp_path, shared_corpus):
    db = tmp_path / "reports.db"
    ingest([shared_corpus / "docx"], db, jobs=0)
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen([sys.executable, "-m", "extractor.cli", "serve", str(db), "--port", str(port)],
                             stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    writer = None
    try:
        for _ in range(300):
            try:
                if _status(f"{base}/-/versions.json")[0] == 200:
                    break
            except (URLError, ConnectionError, OSError):
                assert serve.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        databases = json.loads(_status(f"{base}/-/databases.json")[1])
        assert [(d["name"], d["is_mutable"]) for d in databases] == [("reports", True)]
        before = len(json.loads(_status(f"{base}{PAGES[2]}")[1]))
        assert before == 5
        writer = subprocess.Popen(
            [sys.executable, "-m", "extractor.cli", "ingest", str(shared_corpus / "pdf"), str(shared_corpus / "text"),
             str(shared_corpus / "legacy"), "--db", str(db), "-q", "-j", "1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        requests, failures, seen = 0, [], set()
        while True:
            running = writer.poll() is None
            for page in PAGES:
                status, body = _status(base + page)
                requests += 1
                if status != 200:
                    failures.append((page, status, body[:300]))
                elif page == PAGES[2]:
                    seen.add(len(json.loads(body)))
            if not running:
                break
        assert writer.wait() == 0, writer.stderr.read().decode()
        assert failures == [], failures
        after = json.loads(_status(f"{base}{PAGES[2]}")[1])
        assert len(after) == 5 + 5 + 5 + 3  # docx, pdf, text exports, legacy: every file stored is shown
        reports = json.loads(_status(f"{base}/reports/reports.json?_shape=array")[1])
        assert len(reports) == 5  # one report per document, whatever the number of its files
        assert requests >= len(PAGES) and max(seen) == 18
        # the browser cannot write: the SQL endpoint takes only SELECT, and the file is opened read-only
        sql = urllib.parse.quote("update documents set name = 'x'")
        status, body = _status(f"{base}/reports.json?sql={sql}")
        assert status == 400 and b"SELECT" in body
        assert "x" not in {d["name"] for d in json.loads(_status(f"{base}{PAGES[2]}")[1])}
    finally:
        if writer is not None and writer.poll() is None:
            writer.kill()
        serve.terminate()
        serve.wait(timeout=10)
        log.close()
