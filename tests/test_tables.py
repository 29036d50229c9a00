"""Tables into `tables` / `table_cells` rows: multi-row merged headers, numbers by the column's convention."""

from __future__ import annotations

from extractor.extract.tables import cell_number, header_rows, table_records
from extractor.model import Document, Table
from extractor.pipeline import read


def test_tuyen_quang_statistics_table(shared_corpus) -> None:
    doc = read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    tables, cells = table_records(doc, "doc-1")
    stats = next(t for t in tables if t["n_cols"] == 14)
    assert stats["header_rows"] == 5  # four merged header rows + the "(1) … (14)" numbering row
    body = [c for c in cells if c["table_index"] == stats["table_index"] and not c["is_header"]]
    birth = {c["col"]: c for c in body if c["row"] == next(x["row"] for x in body if x["text"] == "Đăng ký khai sinh")}
    assert birth[6]["text"] == "3,247" and birth[6]["number"] == 3247  # Excel-style column: "," groups thousands
    assert birth[6]["header"] == (
        "Tiếp nhận trực tuyến › Số hồ sơ tiếp nhận mới trong kỳ báo cáo › Qua Công DVC của bộ, ngành"
    )
    assert birth[10]["number"] == 1145
    assert birth[8]["number"] == 0
    # every cell that is a number is stored with it; the others are labels, "X" marks or the section row
    for c in body:
        if c["text"][0].isdigit():
            assert c["number"] is not None, c
        else:
            assert c["text"] == "X" or c["col"] in (0, 1), c
    assert all(c["document_id"] == "doc-1" for c in cells)


def test_inconsistent_second_page_header(shared_corpus) -> None:
    doc = read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    tables, cells = table_records(doc)
    second = next(t for t in tables if t["n_cols"] == 16)
    assert second["header_rows"] == 4
    row = {c["col"]: c for c in cells if c["table_index"] == second["table_index"] and c["row"] == 4}
    assert row[5]["number"] == 33953 and row[14]["number"] == 105
    assert row[13]["text"] == "(14)" and row[13]["number"] is None


def test_header_rows_and_cell_numbers() -> None:
    table = Table(index=0, rows=[["Đơn vị", "Số hồ sơ"], ["Xã A", "1.250"], ["Tổng số", "2.500"]])
    assert header_rows(table) == 1
    _tables, cells = table_records(Document(format="docx", tables=[table]))
    assert [c["number"] for c in cells if c["col"] == 1 and not c["is_header"]] == [1250, 2500]
    assert cells[-1]["header"] == "Số hồ sơ"
    assert cell_number("52,81%") == 52.81
    assert cell_number("12,712", "en") == 12712
    assert cell_number("(1)") is None
