"""The Datasette audit pack: `docmine serve` on loopback answers every canned query over HTTP with the real
reports' rows, facets work, footnotes are full-text searchable, every table and column is described, and the SQL
endpoint refuses writes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.error import HTTPError, URLError
from urllib.parse import quote

import pytest

from extractor.run.ingest import ingest
from extractor.serve import chart_fragment, metadata, pack
from extractor.store.schema import TABLES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=20) as resp:
        return json.loads(resp.read().decode("utf-8"))


@pytest.fixture(scope="module")
def served(tmp_path_factory, shared_corpus):
    db_path = tmp_path_factory.mktemp("pack") / "audit.db"
    ingest([shared_corpus / "docx"], db_path)
    port = _free_port()
    log = (db_path.parent / "serve.log").open("wb")  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", "serve", str(db_path), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
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


def _query(base: str, name: str, **params: str) -> list[dict]:
    args = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    return _get(f"{base}/audit/{name}.json?_shape=array{args}")


# the reports' readable names (documents.name, reports.name), as the canned queries show them
NAMES = {
    "nga-bay-2022.docx": "Báo cáo số …/BC-UBND của UBND thành phố Ngã Bảy về Tình hình, kết quả thực hiện Đề án",
    "son-tra-2024.docx": "Báo cáo số …/BC-TCTĐA06 ngày 17/03/2025 của Tổ Công tác Đề án 06/CP xã Sơn Trà về Kết",
    "binh-son-6-thang-2023.docx": "Báo cáo số …/BC-TCTĐA06 của Tổ Công tác Đề án 06 huyện Bình Sơn về Kết quả",
    "de-cuong-so-ket-lam-dong-2023.docx": "Đề cương báo cáo về Sơ kết 02 năm (2022-2023) triển khai, thực hiện Đề",
}


def _file(name: str | None) -> str | None:
    """The corpus file a report name (documents.name) belongs to."""
    return next((f for f, start in NAMES.items() if name and name.startswith(start)), name)


def test_every_canned_query_answers(served):
    for name in pack()["queries"]:
        rows = _query(served, name)
        assert rows, f"canned query {name} returned no rows"


def test_reports_with_findings(served):
    rows = {_file(r["report"]): r for r in _query(served, "findings_by_report")}
    # Ngã Bảy: "Đã cấp 7.570 hồ sơ (6.627 cấp mới, 468 cấp đổi, 473 cấp lại)" adds to 7.568 (domain.md §8), and it
    # dates Quyết định 06/QĐ-TTg 18/01/2022 (domain.md §3)
    assert rows["nga-bay-2022.docx"]["errors"] >= 2
    kinds = set(rows["nga-bay-2022.docx"]["kinds"].split(","))
    assert {"part_whole_mismatch", "citation_contradicts_registry"} <= kinds
    assert rows["nga-bay-2022.docx"]["locality"] == "Thành phố Ngã Bảy, Tỉnh Hậu Giang"
    # Sơn Trà: "156/168, đạt tỷ lệ 97%" is 92.9%
    assert "ratio_mismatch" in rows["son-tra-2024.docx"]["kinds"]


def test_each_finding_shows_its_report_and_sentence(served):
    rows = _query(served, "findings_with_sentences", kind="ratio_mismatch")
    row = next(r for r in rows if _file(r["report"]) == "son-tra-2024.docx")
    assert row["sentence"] == "156/168, đạt tỷ lệ 97%"
    # the findings table links each finding to its report, labelled with the report's name
    data = _get(f"{served}/audit/findings.json?kind=ratio_mismatch&_labels=on&_shape=array")
    labels = {_file(r["document_id"]["label"]) for r in data}
    assert "son-tra-2024.docx" in labels


def test_footnote_count_mismatch(served):
    rows = _query(served, "footnote_count_mismatches")
    # Bình Sơn: "+ Ban hành 05 kế hoạch, 30 công văn⁴ …" — footnote 4 lists fewer than 30 documents
    row = next(r for r in rows if _file(r["report"]) == "binh-son-6-thang-2023.docx" and r["marker"] == "4")
    assert row["claimed_count"] == 30 and row["claimed_noun"] == "công văn"
    assert row["listed_count"] < 30
    assert row["sentence"].startswith("+ Ban hành 05 kế hoạch, 30 công văn")


def test_documents_cited_with_conflicting_dates(served):
    rows = {r["key"]: r for r in _query(served, "citation_date_conflicts")}
    # Lâm Đồng writes 422/QĐ-TTg "ngày 04/4/2023" two paragraphs after "ngày 04/4/2022" (domain.md §3)
    assert json.loads(rows["422/QĐ-TTg"]["dates"]) == ["2022-04-04", "2023-04-04"]
    assert "2023-04-04 — " + NAMES["de-cuong-so-ket-lam-dong-2023.docx"] in rows["422/QĐ-TTg"]["dates_by_report"]
    # 06/QĐ-TTg: 06/01/2022 in Bình Sơn, 18/01/2022 in Ngã Bảy
    assert {"2022-01-06", "2022-01-18"} <= set(json.loads(rows["06/QĐ-TTg"]["dates"]))


def test_most_cited_directives(served):
    rows = _query(served, "most_cited_directives")
    keys = [r["key"] for r in rows]
    assert {"422/QĐ-TTg", "06/QĐ-TTg", "05/CT-TTg"} <= set(keys)
    top = rows[0]
    assert top["reports"] == max(r["reports"] for r in rows)
    assert all(r["doc_type"] != "Công văn" for r in rows)


def test_one_indicator_by_locality_and_period(served):
    rows = _query(served, "indicator_by_locality_and_period", indicator="cccd.applications")
    by_place = {r["locality"]: r for r in rows}
    # Bình Sơn, first half of 2023: "đã thu nhận: 10.260 hồ sơ cấp CCCD"
    binh_son = by_place["Huyện Bình Sơn, Tỉnh Quảng Ngãi"]
    assert binh_son["period"] == "06 tháng đầu năm 2023" and binh_son["largest"] == 10260
    assert (binh_son["period_start"], binh_son["period_end"]) == ("2023-01-01", "2023-06-30")
    # Ngã Bảy, 2022: "Đã cấp 7.570 hồ sơ CCCD" are cards issued; merged into Cần Thơ in 2025
    issued = {r["locality"]: r for r in _query(served, "indicator_by_locality_and_period", indicator="cccd.issued")}
    assert "7.570 hồ sơ" in issued["Thành phố Ngã Bảy, Tỉnh Hậu Giang"]["as_written"]
    assert issued["Thành phố Ngã Bảy, Tỉnh Hậu Giang"]["province_2025"] == "Thành phố Cần Thơ"
    # the indicator may be given by its name too
    every = _query(served, "indicator_across_reports", indicator="hồ sơ cấp Căn cước thu nhận")
    assert {"10.260 hồ sơ", "1943 hồ sơ"} <= {r["as_written"] for r in every}
    # a target is not a result: Sơn Trà's "Chưa đạt chỉ tiêu thu nhận cấp Căn cước cho 100%" is not pivoted
    assert {"target", "result"} <= {r["stance"] for r in every}


def test_each_indicator_by_locality_and_period(served):
    rows = _query(served, "indicators_by_locality_and_period")
    got = {(r["indicator_id"], r["locality"]): r for r in rows}
    # Bình Sơn: "10.260 hồ sơ cấp CCCD và 25.728 hồ sơ xác thực định danh điện tử mức 2"
    assert got[("cccd.applications", "Huyện Bình Sơn, Tỉnh Quảng Ngãi")]["largest"] == 10260
    assert got[("eid.applications", "Huyện Bình Sơn, Tỉnh Quảng Ngãi")]["largest"] == 25728
    assert {r["indicator_group"] for r in rows} >= {"Căn cước", "Định danh điện tử", "Cư trú"}
    assert all(r["indicator_id"] for r in rows)


def test_facets(served):
    data = _get(f"{served}/audit/findings.json?_facet=severity&_facet=kind&_size=0")
    kinds = {r["value"]: r["count"] for r in data["facet_results"]["kind"]["results"]}
    assert kinds["citation_contradicts_registry"] >= 2
    data = _get(f"{served}/audit/citations.json?_facet=doc_type&_size=0")
    types = {r["value"] for r in data["facet_results"]["doc_type"]["results"]}
    assert {"Quyết định", "Công văn", "Kế hoạch"} <= types
    data = _get(f"{served}/audit/documents.json?_size=0")  # the pack's default facets
    assert {"doc_type", "issuer"} <= set(data["facet_results"])


def test_full_text_search_on_footnotes(served):
    hits = _get(f"{served}/audit/footnotes.json?_search=03%2FCAH-QLHC&_shape=array&_col=marker")
    assert hits and all(r["marker"] for r in hits)


def test_every_table_and_column_is_described(served):
    meta = _get(f"{served}/-/metadata.json")
    assert meta["title"].startswith("docmine")
    tables = meta["databases"]["audit"]["tables"]
    for table, (_, cols) in TABLES.items():
        assert tables[table]["description"], table
        assert set(tables[table]["columns"]) == set(cols), table
    assert tables["documents"]["label_column"] == tables["reports"]["label_column"] == "name"


def test_writes_are_refused(served):
    for sql in ("delete from findings", "insert into meta (key, value) values ('x', 'y')", "drop table findings"):
        with pytest.raises(HTTPError) as err:
            _get(f"{served}/audit.json?sql={quote(sql)}")
        assert err.value.code in (400, 403)
    assert len(_get(f"{served}/audit/findings.json?_shape=array")) >= 5  # nothing was deleted


def test_charts_and_settings():
    meta = metadata("reports.db")
    queries = meta["databases"]["reports"]["queries"]
    assert "#g.mark=bar&g.x_column=key&" in queries["most_cited_directives"]["description_html"]
    assert chart_fragment({"mark": "bar", "x": "a", "y": "b"}).startswith("#g.mark=bar&g.x_column=a")
    from extractor.serve import command

    cmd = command("x.db", "127.0.0.1", 8001, "m.json")
    assert "-i" not in cmd and cmd[cmd.index("sql_time_limit_ms") + 1] == "5000"  # read-only, not immutable
    # datasette-vega draws the charts (its JavaScript is bundled with it: no network needed)
    import datasette_vega  # noqa: F401


def test_stopping_docmine_serve_stops_datasette(tmp_path):
    from extractor.store.db import open_db

    db = tmp_path / "empty.db"
    open_db(db).close()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "serve", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                _get(f"{base}/-/versions.json")
                break
            except (URLError, ConnectionError, OSError):
                time.sleep(0.2)
        assert _get(f"{base}/empty/findings_by_report.json?_shape=array") == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    for _ in range(50):  # Datasette (a child process) goes with it
        try:
            _get(f"{base}/-/versions.json")
        except (URLError, ConnectionError, OSError):
            break
        time.sleep(0.2)
    else:
        pytest.fail("Datasette still answers after docmine serve was terminated")
