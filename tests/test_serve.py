"""``docmine serve`` answers on loopback and its JSON API returns the ingested rows, with docmine's metadata."""

from __future__ import annotations

import html
import json
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.error import HTTPError, URLError

import pytest

from extractor.run.ingest import ingest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read().decode("utf-8"))


@pytest.fixture(scope="module")
def served(tmp_path_factory, shared_corpus):
    db_path = tmp_path_factory.mktemp("serve") / "reports.db"
    ingest([shared_corpus / "docx"], db_path)
    port = _free_port()
    log = (db_path.parent / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", "serve", str(db_path), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,  # a file, not a pipe nobody reads (it would fill and stall Datasette)
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                _get(f"{base}/-/versions.json")
                break
            except (URLError, ConnectionError, OSError):
                if proc.poll() is not None:
                    raise RuntimeError((db_path.parent / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_json_api_returns_the_ingested_rows(served):
    data = _get(f"{served}/reports/documents.json?_shape=array&_col=file_name&_col=symbol&_col=footnote_count"
                "&_sort=file_name")
    assert [(r["file_name"], r["footnote_count"]) for r in data] == [
        ("binh-son-6-thang-2023.docx", 6),
        ("de-cuong-so-ket-lam-dong-2023.docx", 0),
        ("nga-bay-2022.docx", 4),
        ("son-tra-2024.docx", 0),
        ("tuyen-quang-cao-diem-2023.docx", 9),
    ]
    rows = _get(f"{served}/reports/footnotes.json?_shape=array&marker=4&_col=text")
    assert any(r["text"].startswith("Công văn số 03/CAH-QLHC, ngày 03/01/2023") for r in rows)


def test_metadata_and_full_text_search(served):
    meta = _get(f"{served}/-/metadata.json")
    tables = meta["databases"]["reports"]["tables"]
    # Vietnamese first (rules/strings.yaml); docmine serve --lang en gives the schema's English
    assert tables["citations"]["columns"]["key"].startswith("số ký hiệu chuẩn gom các lần nhắc đến cùng một văn bản")
    assert tables["findings"]["title"] == "Phát hiện · findings"
    hits = _get(f"{served}/reports/documents.json?_search=VNeID&_shape=array&_col=file_name")
    assert {r["file_name"] for r in hits} >= {"tuyen-quang-cao-diem-2023.docx", "binh-son-6-thang-2023.docx"}


def test_served_on_loopback_only(served):
    """``docmine serve`` without --host listens on the loopback interface only: the sockets listening on its port
    (read from the system, not from the URL the fixture built) are all bound to 127.0.0.1."""
    import psutil

    port = int(served.rsplit(":", 1)[1])
    listening = {c.laddr.ip for c in psutil.net_connections("inet")
                 if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
    assert listening == {"127.0.0.1"}


def test_an_unknown_sort_column_is_a_400_over_http(served):
    """Datasette 0.65 answered ?_sort=<no such column> with a 500; docmine serve answers 400 and says which columns
    sort (issue 17)."""
    for suffix in ("", ".json"):
        with pytest.raises(HTTPError) as err:
            urllib.request.urlopen(f"{served}/reports/findings{suffix}?_sort=no_such_column", timeout=10)
        assert err.value.code == 400
        body = err.value.read().decode("utf-8")
        body = json.loads(body)["error"] if suffix else html.unescape(body)
        assert "no_such_column" in body and "Sắp xếp được theo: id, document_id, kind" in body
    assert _get(f"{served}/reports/findings.json?_sort=kind&_shape=array")  # a real column sorts
