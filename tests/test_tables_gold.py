"""docmine's ruled-table finder (extractor/formats/pdf/tables.py) on every PDF page of corpus/tables_gold/: the
shape, every cell's text and every merged cell exactly as read by eye from the rendered pages, no table where the
page has none (rules under a header; the white filled boxes an e-office system draws behind every word), and a
table cut by a page break read whole."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from conftest import load_script

from extractor.audit import logical_tables
from extractor.formats.pdf.layout import read_page
from extractor.formats.pdf.tables import find_tables
from extractor.pipeline import read

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "corpus" / "tables_gold"
SHARED_PREFIX = "../shared/corpus/"


bench = load_script(ROOT / "bench" / "tables_compare.py")


def _gold(name: str) -> dict:
    return yaml.safe_load((GOLD / f"{name}.yaml").read_text(encoding="utf-8"))


def _params() -> list:
    out = []
    for f in sorted(GOLD.glob("*.yaml")):
        shared = _gold(f.stem)["file"].startswith(SHARED_PREFIX)
        out.append(pytest.param(f.stem, marks=[pytest.mark.shared] if shared else [], id=f.stem))
    return out


def _pdf(spec: dict, request: pytest.FixtureRequest) -> Path:
    if spec["file"].startswith(SHARED_PREFIX):
        return request.getfixturevalue("shared_corpus") / spec["file"][len(SHARED_PREFIX):]
    return ROOT / spec["file"]


def test_the_gold_covers_own_and_real_pages_and_shared_tables() -> None:
    names = {f.stem for f in GOLD.glob("*.yaml")}
    assert {"xa-my-thanh-dong-6-thang-2024-p2", "xa-my-thanh-dong-6-thang-2024-p3", "cong-an-tinh-an-khang-2023-p3",
            "huyen-thach-lam-quy-1-2024-p2", "tuyen-quang-cao-diem-2023-p15", "tuyen-quang-cao-diem-2023-p16",
            "lc-cv193-ubnd-p2"} <= names


@pytest.mark.parametrize("name", [f.stem for f in sorted(GOLD.glob("*.yaml"))])
def test_gold_file_is_consistent(name: str) -> None:
    """Every grid position is given; a position is ~ exactly when a listed merged cell covers it (not at its
    top-left)."""
    for table in _gold(name)["tables"]:
        n_rows, n_cols = table["shape"]
        rows = table["rows"]
        assert len(rows) == n_rows and all(len(row) == n_cols for row in rows), name
        covered = set()
        for r, c, rs, cs in table["spans"]:
            assert rs * cs > 1 and r + rs <= n_rows and c + cs <= n_cols and isinstance(rows[r][c], str)
            covered |= {(i, j) for i in range(r, r + rs) for j in range(c, c + cs)} - {(r, c)}
        assert {(i, j) for i in range(n_rows) for j in range(n_cols) if rows[i][j] is None} == covered, name


@pytest.mark.parametrize("name", _params())
def test_ruled_tables_match_the_gold(name: str, request: pytest.FixtureRequest) -> None:
    spec = _gold(name)
    found = bench.docmine_tables(_pdf(spec, request), spec["page"])
    assert found == [[[bench.norm(text) for text in row] for row in t["rows"]] for t in spec["tables"]]


def test_tuyen_quang_merged_header_cells(shared_corpus: Path) -> None:
    pdf = pdfium.PdfDocument(shared_corpus / "pdf" / "tuyen-quang-cao-diem-2023.pdf")
    page = pdf[14]
    textpage = page.get_textpage()
    layout = read_page(page, textpage, 15)
    textpage.close()
    pdf.close()
    (table,) = find_tables(layout.hrules, layout.vrules)
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in table.cells if c.rowspan * c.colspan > 1}
    assert spans[(0, 5)] == (1, 4)  # "Tiếp nhận trực tuyến" over (6)–(9)
    assert spans[(1, 7)] == (1, 2)  # "Số hồ sơ đang giải quyết kỳ báo cáo này" over (8)–(9)
    assert spans[(0, 0)] == (4, 1)  # "STT" down the four header rows
    assert spans[(0, 13)] == (4, 1)  # the unlabelled header of (14)
    assert spans[(17, 0)] == (1, 6)  # "Tổng số" over (1)–(6)
    assert (2, 6) not in spans and (4, 0) not in spans  # single cells: "Qua Công DVC của bộ, ngành", "(1)"


def test_white_word_boxes_are_not_a_table(own_corpus: Path) -> None:
    """lc-cv193-ubnd p.2: hundreds of white filled rectangles, one behind each word of the justified lines (pdfplumber
    reads their edges as five tables); they are not thin rules, so docmine finds no table."""
    pdf = pdfium.PdfDocument(own_corpus / "real" / "lc-cv193-ubnd.pdf")
    page = pdf[1]
    boxes = sum(1 for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH)
    textpage = page.get_textpage()
    layout = read_page(page, textpage, 2)
    textpage.close()
    pdf.close()
    assert boxes > 300
    assert find_tables(layout.hrules, layout.vrules) == []
    assert (layout.hrules, layout.vrules) == ([], [])


def test_table_split_over_two_pages_is_read_whole(own_corpus: Path) -> None:
    """xa-my-thanh-dong: "2.3. Kết quả theo từng ấp" breaks after ấp 3; p.3 goes on without the header, from an
    empty row. The PDF gives two ruled tables; the audit reads them as one, blank row dropped."""
    doc = read(own_corpus / "reports" / "xa-my-thanh-dong-6-thang-2024.pdf")
    first, rest = (t for t in doc.tables if not t.is_header and t.page in (2, 3) and len(t.rows[0]) == 4)
    assert (first.page, len(first.rows), rest.page, len(rest.rows)) == (2, 4, 3, 5)
    (whole,) = (t for t in logical_tables(doc.tables) if t.index == first.index)
    assert whole.rows == [
        ["STT", "Ấp", "Hồ sơ Căn cước công dân", "Tài khoản định danh mức 2 được phê duyệt"],
        ["1", "Ấp Mỹ Hòa", "248", "372"],
        ["2", "Ấp Mỹ Lợi", "196", "315"],
        ["3", "Ấp Thạnh Phú", "231", "364"],
        ["4", "Ấp Thạnh Quới", "187", "298"],
        ["5", "Ấp Đông An", "225", "341"],
        ["6", "Ấp Đông Bình", "197", "297"],
        ["", "Tổng số", "1.284", "1.987"],
    ]
    assert not any(t.index == rest.index for t in logical_tables(doc.tables))
