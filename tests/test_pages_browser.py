"""The main pages of ``docmine serve`` in a real browser (Debian's headless ``chromium``, installed by .ci/run): each
renders without an error page and shows the Vietnamese an analyst reads, after the page's scripts ran; a screenshot
of each is a picture, not a blank page. Uses docs/screenshot.py (the script that draws docs/screenshots/)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import load_script

from extractor.run.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
TQ = "Báo cáo số 154/BC-CAT-QLHC ngày 08/01/2023 của Công an tỉnh Tuyên Quang"

pytestmark = pytest.mark.skipif(
    not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")),
    reason="no chromium on this machine: `apt-get install -y chromium` (.ci/run installs it; CI runs this test)")


def _shots():
    mod = load_script(ROOT / "docs/screenshot.py")
    return mod


@pytest.fixture(scope="module")
def browser(tmp_path_factory, shared_corpus):
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "reports.db"
    ingest([shared_corpus / "docx"], db)
    shots = _shots()
    proc, base = shots.served(db, tmp / "serve.log")
    try:
        yield shots, base, db, tmp
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _visible(dom: str) -> str:
    dom = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", dom)))


def test_main_pages_render_in_chromium(browser):
    shots, base, db, _ = browser
    pages = shots.pages(db)
    expected = {
        "documents.png": ["Tổng quan văn bản · documents_overview (khung nhìn / view)", TQ, "08/01/2023",
                          "Mô tả 19 cột", "Cơ quan ban hành issuer", "Ngày ban hành issued_date"],
        "findings.png": ["Phát hiện · findings", "cảnh báo", "tỷ lệ không khớp", "Mô tả 12 cột"],
        "query.png": ["Văn bản được trích dẫn với ngày khác nhau", "06/QĐ-TTg", "06/01/2022", "18/01/2022"],
        "row.png": [TQ, "Liên kết từ các bảng khác", "Công an tỉnh Tuyên Quang"],
        "home.png": ["docmine — kiểm tra báo cáo tiến độ Đề án 06", "danh sách văn bản"],
        # the raw table: Vietnamese labels, long columns hidden, Datasette's words and column menu (built by its
        # table.js, then translated) Vietnamese first
        "table.png": ["Văn bản (mỗi tệp một dòng)", "Ngày ban hành", "Đang ẩn các cột dài",
                      "Sắp xếp tăng dần / Sort ascending", "Nhóm theo cột này / Facet by this",
                      "Xuất dữ liệu (tùy chọn) / Advanced export", "Chạy trên / Powered by"],
    }
    assert set(pages) == set(expected)
    for file, (path, _) in pages.items():
        text = _visible(shots.dump_dom(base + path))
        assert not re.search(r"Error \d{3}", text), (path, text[:500])
        for words in expected[file]:
            assert words in text, (path, words)
        for english in ("Sort ascending", "Advanced export", "Powered by", "This data as"):
            assert not re.search(rf"(?<!/ ){english}", text), (path, english)  # never English alone
    # the documents page: its first row link is a report's name (the hash only in the link)
    dom = shots.dump_dom(base + pages["documents.png"][0])
    first = re.search(r'<td class="col-name type-str"><a href="[^"]+/documents/([0-9a-f]{64})"[^>]*>([^<]+)</a>', dom)
    assert first and first[1] not in first[2]


def test_screenshots_are_pictures(browser):
    from PIL import Image

    shots, base, db, tmp = browser
    path, height = shots.pages(db)["findings.png"]
    out = tmp / "findings.png"
    shots.screenshot(base + path, out, height=height)
    with Image.open(out) as img:
        assert img.size == (1500, height)
        colours = img.convert("L").getextrema()
        assert colours[1] - colours[0] > 100  # text on a background, not one flat colour
