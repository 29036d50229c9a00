"""The Datasette pages of ``docmine serve`` as an analyst reads them, through ``datasette.client`` (in-process,
httpx-style) on the five corpus reports: reports named (not hashed) on every link, row pages titled by the report,
dates as dd/mm/yyyy beside ISO, rounded numbers, JSON lists as lists, long texts folded, the documents overview,
every title and description from rules/strings.yaml, and a clear 400 for an unknown sort column.

Expected values are read from the reports themselves: Tuyên Quang's "Số: 154/BC-CAT-QLHC … ngày 08 tháng 01 năm
2023" with 9 footnotes; Bình Sơn's "đã thu nhận: 10.260 hồ sơ cấp CCCD" and its "Quyết định số 06/QĐ-TTg ngày
06/01/2022", dated 18/01/2022 by Ngã Bảy (domain.md §3)."""

from __future__ import annotations

import asyncio
import html
import json
import re

import pytest

from extractor.datasette_plugin import fmt_date, fmt_number, fold, json_list
from extractor.messages import strings
from extractor.run.ingest import ingest
from extractor.serve import app, metadata, pack, prepare

TQ = "Báo cáo số 154/BC-CAT-QLHC ngày 08/01/2023 của Công an tỉnh Tuyên Quang"


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_corpus):
    db_path = tmp_path_factory.mktemp("pages") / "reports.db"
    ingest([shared_corpus / "docx"], db_path)
    prepare(db_path)
    ds = app(db_path, "vi")
    ids = {}
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        ids = dict(conn.execute("select file_name, id from documents"))

    def get(path: str):
        return asyncio.run(ds.client.get(path))

    return get, ids


def _text(page: str) -> str:
    """The page's visible text, tags and scripts removed, spaces collapsed."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_foreign_keys_show_the_report_name_not_its_hash(site):
    get, ids = site
    tq = ids["tuyen-quang-cao-diem-2023.docx"]
    r = get(f"/reports/footnotes?document_id={tq}")
    assert r.status_code == 200
    links = re.findall(r'<a href="/reports/documents/([0-9a-f]{64})" title="[0-9a-f]{64}">([^<]*)</a>', r.text)
    assert len(links) == 9 and {i for i, _ in links} == {tq}  # Tuyên Quang's 9 footnotes, each linked
    assert all(html.unescape(label).startswith(TQ) for _, label in links)
    visible = _text(re.search(r"<tbody>(.*?)</tbody>", r.text, re.S)[1])
    assert tq not in visible and TQ in visible  # in the rows, the hash is in the link, never shown
    assert f"<em>{tq}</em>" not in r.text  # Datasette's own "label <em>id</em>" is replaced


def test_row_pages_are_titled_by_the_report(site):
    get, ids = site
    tq = ids["tuyen-quang-cao-diem-2023.docx"]
    page = get(f"/reports/documents/{tq}").text
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1])
    h1 = _text(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]).strip()
    assert title.startswith(TQ) and h1.startswith(TQ)
    assert "Liên kết từ các bảng khác" in page and "9 dòng trong footnotes (cột document_id)" in _text(page)
    # the row page shows the whole text (not folded), one column per line
    assert 'class="docmine-fold"' not in page and "docmine-row" in page
    # a footnote's page: the table, the row, its marker and the report it belongs to
    first = get(f"/reports/footnotes?document_id={tq}&marker=1").text
    footnote = re.search(r'href="/reports/footnotes/(\d+)"', first)[1]
    h1 = _text(re.search(r"<h1[^>]*>(.*?)</h1>", get(f"/reports/footnotes/{footnote}").text, re.S)[1]).strip()
    assert h1.startswith(f"Chú thích {footnote}: 1 — thuộc {TQ}")


def test_dates_and_lists_in_a_canned_query(site):
    get, _ = site
    page = get("/reports/citation_date_conflicts").text
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "06/QĐ-TTg" in r)
    # the date most cited, as dd/mm/yyyy beside ISO; the dates given, as a list
    assert '<span class="docmine-date">06/01/2022</span> <small class="docmine-iso">2022-01-06</small>' in row
    listed = re.search(r'<ul class="docmine-list">(.*?)</ul>', row, re.S)[1]
    items = re.findall(r'<li><span class="docmine-date">([^<]*)</span>', listed)
    assert items == ["06/01/2022", "18/01/2022"]
    assert "06/01/2023" not in row  # a day and month are never swapped
    # the dates by report, joined with " | " by the query, are a list too: one line per date and report
    by_report = re.findall(r"<li>(20\d\d-\d\d-\d\d) — ", row)
    assert by_report[:2] == ["2022-01-06", "2022-01-18"]


def test_numbers_are_rounded_and_grouped(site):
    get, _ = site
    page = get("/reports/indicator_by_locality_and_period?indicator=cccd.applications").text
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "Huyện Bình Sơn" in r)
    assert '<span title="10260.0">10.260</span>' in row  # "đã thu nhận: 10.260 hồ sơ cấp CCCD"
    assert "10260.0<" not in row


def test_report_names_link_in_canned_queries(site):
    get, ids = site
    page = get("/reports/findings_by_report").text
    nga_bay = ids["nga-bay-2022.docx"]
    link = re.search(rf'<a href="/reports/documents/{nga_bay}" title="{nga_bay}">([^<]*)</a>', page)
    assert link and html.unescape(link[1]).startswith("Báo cáo số …/BC-UBND của UBND thành phố Ngã Bảy")
    assert f">{nga_bay[:8]}…</a>" in page  # its id column: short, linked


def test_long_texts_are_folded_in_table_views(site):
    get, _ = site
    page = get("/reports/documents?_col=text&_col=name").text
    cells = re.findall(r'<td class="col-text type-str">(.*?)</td>', page, re.S)
    assert len(cells) == 5 and all(c.startswith('<details class="docmine-fold"><summary>') for c in cells)
    # the Tuyên Quang report opens with its issuer line; its whole text is longer than what is unfolded
    tq = next(c for c in cells if "Tuyên Quang" in c)
    summary = re.search(r"<summary>(.*?)</summary>", tq, re.S)[1]
    assert len(summary) <= 101 + 1 and "ký tự: mở dòng để đọc đủ" in tq
    # a report's name (longer than the fold) is read whole
    assert not re.search(r'<td class="col-name type-str"><details', page)


def test_the_documents_overview(site):
    get, ids = site
    page = get("/reports/documents_overview").text
    head = re.findall(r'<th[^>]*data-column="([^"]+)"', page)
    assert head[:10] == ["id", "name", "doc_type", "number", "symbol", "issuer", "issued_date", "period",
                         "locality", "footnotes"]
    assert {"citations", "findings", "errors"} <= set(head)
    tq = ids["tuyen-quang-cao-diem-2023.docx"]
    data = get("/reports/documents_overview.json?_shape=array&file_name=tuyen-quang-cao-diem-2023.docx").json()
    assert [(r["id"], r["number"], r["symbol"], r["issuer"], r["issued_date"], r["footnotes"]) for r in data] == [
        (tq, "154", "BC-CAT-QLHC", "Công an tỉnh Tuyên Quang", "2023-01-08", 9)]
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if tq in r)
    assert re.search(rf'<a href="/reports/documents/{tq}" title="{tq}">{re.escape(TQ)}', html.unescape(row))
    assert "08/01/2023" in row
    # the column descriptions are folded under one line, English beside Vietnamese
    assert re.search(r'<details class="docmine-columns">\s*<summary>Mô tả 19 cột</summary>', page)
    assert "số chú thích<br><span lang=\"en\">footnotes</span>" in page
    assert "<h1>Tổng quan văn bản · documents_overview (khung nhìn / view)</h1>" in page
    # the home page and the documents table lead to it
    assert 'href="/reports/documents_overview"' in get("/").text
    assert 'href="/reports/documents_overview"' in get("/reports/documents").text


def test_an_unknown_sort_column_is_a_clear_400(site):
    get, _ = site
    for path in ("/reports/findings.json?_sort=nope", "/reports/findings.json?_sort_desc=nope"):
        r = get(path)
        assert r.status_code == 400
        assert r.json()["error"].startswith("Bảng findings không có cột 'nope' để sắp xếp. Sắp xếp được theo: id, ")
    r = get("/reports/findings?_sort=kind&_sort_desc=id")
    assert r.status_code == 400 and "Chỉ dùng một trong _sort và _sort_desc" in r.text
    assert get("/reports/findings.json?_sort=kind").status_code == 200  # a real column still sorts


def test_metadata_comes_from_the_strings_file():
    words = strings()
    for lang in ("vi", "en"):
        meta = metadata("reports.db", lang)
        assert meta["title"] == words["site"]["title"][lang]
        db = meta["databases"]["reports"]
        for name in pack()["queries"]:  # every canned query has its words in both languages
            assert db["queries"][name]["title"] == words["queries"][name]["title"][lang]
            other = "en" if lang == "vi" else "vi"
            assert html.escape(words["queries"][name]["description"][other]) in db["queries"][name]["description_html"]
        overview = words["views"]["documents_overview"]["columns"]
        assert set(db["tables"]["documents_overview"]["columns"]) == set(overview)
    vi = metadata("reports.db", "vi")["databases"]["reports"]
    assert vi["queries"]["findings_by_report"]["title"] == "Báo cáo có phát hiện"
    assert vi["tables"]["findings"]["title"] == "Phát hiện · findings"
    assert vi["tables"]["citations"]["columns"]["in_footnote"] == "1 khi trích dẫn nằm trong chú thích"
    en = metadata("reports.db", "en")["databases"]["reports"]
    assert en["queries"]["findings_by_report"]["title"] == "Reports with findings"
    assert en["tables"]["citations"]["columns"]["key"].startswith("canonical identity")
    for section in ("table_titles", "queries", "views"):  # both languages everywhere
        for key, entry in words[section].items():
            texts = [entry] if "vi" in entry else [v for v in entry.values() if isinstance(v, dict) and "vi" in v]
            texts += [c for c in (entry.get("columns") or {}).values()] if "columns" in entry else []
            assert texts and all(t["vi"].strip() and t["en"].strip() for t in texts), f"{section}.{key}"


def test_cell_formats():
    assert fmt_number(10260.0, "vi") == "10.260" and fmt_number(10260.0, "en") == "10,260"
    assert fmt_number(156 / 168 * 100, "vi") == "92,86" and fmt_number(0.5, "en") == "0.5"
    assert fmt_number(1234567.891, "vi") == "1.234.567,89"
    assert str(fmt_date("2022-01-06")) == (
        '<span class="docmine-date">06/01/2022</span> <small class="docmine-iso">2022-01-06</small>')
    assert "07/12/2026 07:05" in str(fmt_date("2026-12-07T07:05:31+00:00"))
    for not_a_date in ("06/01/2022", "2022-01", "2022-01-06 và 2022-01-18", "154/BC-CAT-QLHC"):
        assert fmt_date(not_a_date) is None, not_a_date
    assert str(json_list('["a <b>", 2]')) == '<ul class="docmine-list"><li>a &lt;b&gt;</li><li>2</li></ul>'
    assert "(không có)" in str(json_list("[]"))
    for not_a_list in ("[1, 2", "[Kế hoạch] số 5", '{"a": 1}', "1"):
        assert json_list(not_a_list) is None, not_a_list
    text = "Thực hiện Công văn số 1848/TCTTKĐA06-CAT " * 200
    folded = str(fold(text))
    assert folded.startswith('<details class="docmine-fold"><summary>Thực hiện Công văn') and "ký tự" in folded
    assert "<script>" not in str(fold("<script>alert(1)</script> " * 20))


# -- Datasette's own words: Vietnamese first (docmine's copies of its templates, rules/strings.yaml ui) ----------

ENGLISH_ONLY = ("Advanced export", "This data as", "Powered by", "Custom SQL query", "Run SQL", "Format SQL",
                "Suggested facets", "Next page", "Data license", "Data source", "Queries took", "Search:",
                "CSV options", "Export CSV", "download file")


def _english_alone(text: str) -> list[str]:
    """Datasette's English phrases shown without the Vietnamese before them ("… / Advanced export" is fine)."""
    return [w for w in ENGLISH_ONLY if re.search(rf"(?<!/ ){re.escape(w)}", text)]


def test_datasette_words_are_vietnamese_first(site):
    get, _ = site
    pages = {"/reports/documents": ["Xuất dữ liệu (tùy chọn) / Advanced export", "Tải dữ liệu này dạng / This data as",
                                    "Tùy chọn CSV: / CSV options:", "Chạy trên / Powered by", "trang chủ / home"],
             "/reports/findings": ['value="Áp dụng / Apply"', 'value="Xuất CSV / Export CSV"', "dòng / rows",
                                   "Gợi ý nhóm theo: / Suggested facets:"],
             "/reports/findings_by_report": ["Tải dữ liệu này dạng / This data as", "Chạy trên / Powered by"],
             "/reports": ["Truy vấn soạn sẵn / Queries", "Bảng / Tables", "Khung nhìn / Views",
                          "Câu lệnh SQL / Custom SQL query", 'value="Chạy SQL / Run SQL"', "dòng / rows"]}
    for path, wanted in pages.items():
        r = get(path)
        assert r.status_code == 200, path
        text = _text(r.text)
        for phrase in wanted:
            assert phrase in (html.unescape(r.text) if phrase.startswith("value=") else text), (path, phrase)
        assert _english_alone(text) == [], path
        assert not re.search(r"\d row(s)?\b", text), path  # "14 rows" → "14 dòng / rows"
    home = _text(get("/").text)
    assert re.search(r"\d+ dòng trong / rows in \d+ bảng / tables, [\d.]+ dòng trong / rows in \d+ bảng ẩn / hidden "
                     r"tables, 1 khung nhìn / views", home), home
    title = re.search(r"<title>(.*?)</title>", get("/reports/findings_by_report").text, re.S)[1]
    assert title.startswith("Báo cáo có phát hiện") and "select" not in title  # the query's name, not its SQL


def test_column_menu_words_are_vietnamese(site):
    get, _ = site
    page = get("/reports/findings").text
    menu = re.search(r'<script type="module">\s*const words = (\{.*?\});', page, re.S)
    words = json.loads(menu[1])
    assert words["dropdown-sort-asc"] == "Sắp xếp tăng dần / Sort ascending"
    assert words["dropdown-facet"] == "Nhóm theo cột này / Facet by this"
    assert set(words) == {"dropdown-sort-asc", "dropdown-sort-desc", "dropdown-facet", "dropdown-hide-column",
                          "dropdown-show-all-columns", "dropdown-not-blank"}


def test_english_site_keeps_datasette_english(tmp_path_factory, shared_corpus):
    db_path = tmp_path_factory.mktemp("pages-en") / "reports.db"
    ingest([shared_corpus / "docx" / "son-tra-2024.docx"], db_path)
    prepare(db_path)
    from extractor.messages import set_lang

    set_lang("en")  # docmine --lang en serve
    try:
        r = asyncio.run(app(db_path, "en").client.get("/reports/documents"))
    finally:
        set_lang(None)
    text = _text(r.text)
    assert "Advanced export" in text and "Powered by" in text
    assert "Xuất dữ liệu" not in text and "Chạy trên" not in text


def test_ui_strings_have_both_languages():
    ui = strings()["ui"]
    assert len(ui) > 50
    for key, value in ui.items():
        assert set(value) == {"vi", "en"} and value["vi"].strip() and value["en"].strip(), key


def test_templates_match_the_installed_datasette():
    """docs/datasette_templates.py finds every phrase it replaces in the installed Datasette's templates, and the
    copies in extractor/templates/ are what it makes (so an upgrade that moved a phrase fails here)."""
    from pathlib import Path

    from tests.conftest import load_script

    script = load_script(Path(__file__).resolve().parent.parent / "docs" / "datasette_templates.py")
    for name, (copy, replacements) in script.COPIES.items():
        text = (script.SOURCE / name).read_text(encoding="utf-8")
        assert all(old in text for old, _ in replacements), name
        made = (script.TARGET / copy).read_text(encoding="utf-8")
        assert all(new in made for _, new in replacements), copy


# -- the documents table: what an analyst scans -------------------------------------------------------------------


def test_documents_table_hides_heavy_columns_and_labels_the_rest(site):
    get, _ = site
    page = get("/reports/documents").text
    head = re.search(r"<thead>(.*?)</thead>", page, re.S)[1]
    shown = re.findall(r'data-column="([^"]+)"', head)
    assert "text" not in shown and "search_words" not in shown and "path" not in shown
    assert {"file_name", "doc_type", "number", "issuer", "issued_date", "name"} <= set(shown)
    assert '<span class="docmine-label">Ngày ban hành</span>' in head
    assert '<span class="docmine-label">Cơ quan ban hành</span>' in head
    text = _text(page)
    assert "Đang ẩn các cột dài (text, search_words, path" in text and "hiện mọi cột" in text
    assert "/reports/documents_overview" in page
    # facets an analyst filters by, newest report first
    facets = re.findall(r'data-column="(\w+)">\s*<p class="facet-info-name">', page)
    assert sorted(facets) == ["doc_type", "format", "issuer", "ocr", "status"]
    dates = re.findall(r'<td class="col-issued_date[^"]*">(.*?)</td>', page, re.S)
    iso = [m[0] for d in dates if (m := re.findall(r"\d{4}-\d{2}-\d{2}", d))]
    assert iso == ["2025-03-17", "2023-01-08"]  # Sơn Trà's 17/03/2025, then Tuyên Quang's; the others blank
    # asked for the text: shown; "show all columns" link lists every column, so nothing is hidden there
    link = html.unescape(re.search(r'hoặc <a href="([^"]+)">hiện mọi cột', page)[1])
    every = get(link).text
    assert 'data-column="text"' in every and "Đang ẩn các cột dài" not in _text(every)
    asked = get("/reports/documents?_nocol=error").text.split("</thead>")[0]  # columns named: as asked
    assert 'data-column="text"' in asked and 'data-column="error"' not in asked
    assert get("/reports/documents.json?_shape=array").json()[0].get("text")  # the API keeps every column
