"""Legal-portal copies (issue 19 item 4): the document inside the page, footnote bodies "[N] …" and their markers."""

from __future__ import annotations

from pathlib import Path

from extractor import api
from extractor.formats import portal

ROOT = Path(__file__).resolve().parent.parent

PAGE = """|
|
**Số hiệu:**
|
99/TB-UBND
|
|
**ỦY BAN NHÂN
DÂN**
**TỈNH AN KHANG**
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 99/TB-UBND
|
*An Khang, ngày 05
tháng 3 năm 2025*
|
**THÔNG BÁO**
KẾT LUẬN CỦA CHỦ TỊCH
ỦY BAN NHÂN DÂN TỈNH
Theo Điều 3 và khoản 2 Điều 5 của Nghị định số 45/2020/NĐ-CP, năm 2024 đã cấp
120 m2 đất; thực hiện chỉ đạo của Trung ương2 và 3 Bộ, ngành theo kết luận của Chính
phủ1, hoàn thành trước ngày 30/6/2025.
|
Nơi nhận:
- Như trên;
- Lưu: VT.
|
[1] Thông báo số 12/TB-VPCP ngày 10/01/2025 của Văn phòng Chính phủ.
[2] Kết luận số 126-KL/TW ngày 14/02/2025 của Bộ Chính trị.
Thông báo 99/TB-UBND năm 2025 kết luận của Chủ tịch do tỉnh An Khang ban hành
Văn bản này chưa cập nhật nội dung Tiếng Anh
## Văn bản liên quan
Nghị định 13/2023/NĐ-CP về Bảo vệ dữ liệu cá nhân
"""


def test_portal_page_recognised():
    assert portal.is_portal_page(PAGE)
    assert not portal.is_portal_page("BÁO CÁO\nKết quả năm 2024\n1. Đã ban hành 03 kế hoạch.")


def test_glued_markers_only_in_order_and_with_a_body():
    doc = api.read_text(PAGE, "page.md")
    assert [fn.marker for fn in doc.footnotes] == ["1", "2"]
    assert doc.footnotes[0].text == "Thông báo số 12/TB-VPCP ngày 10/01/2025 của Văn phòng Chính phủ."
    body = next(b for b in doc.blocks if "Trung ương" in b.text)
    # "Trung ương2" is not marker 2 (marker 1 has not come yet); "phủ1" is marker 1; "Điều 3", "khoản 2", "m2",
    # "năm 2024" and "30/6/2025" stay text
    assert [m.marker for m in body.markers] == ["1"]
    assert "Trung ương2 và 3 Bộ" in body.text
    assert "120 m2 đất" in body.text and "Điều 3 và khoản 2 Điều 5" in body.text
    assert body.text[: body.markers[0].offset].endswith("Chính phủ")


def test_chrome_cut_and_header_read():
    doc = api.read_text(PAGE, "page.md")
    m = doc.metadata
    assert (m.doc_type, m.number, m.symbol, m.place) == ("Thông báo", "99", "TB-UBND", "An Khang")
    assert m.issued_date.isoformat() == "2025-03-05"
    assert m.issuer == "ỦY BAN NHÂN DÂN - TỈNH AN KHANG"
    assert "Văn bản liên quan" not in doc.text and "13/2023/NĐ-CP" not in doc.text
    keys = [c.key for c in api.extract(doc).citations]
    assert keys == ["45/2020/NĐ-CP", "12/TB-VPCP", "126-KL/TW"]


def test_glued_digit_in_order_becomes_marker():
    page = PAGE.replace("Trung ương2 và 3", "Trung ương1 và 3").replace("Chính\nphủ1,", "Chính\nphủ2,")
    doc = api.read_text(page, "page.md")
    body = next(b for b in doc.blocks if "Trung ương" in b.text)
    assert [m.marker for m in body.markers] == ["1", "2"]
    assert "Trung ương và 3 Bộ" in body.text


def test_real_portal_copy_footnotes():
    doc = api.read(ROOT / "corpus" / "real" / "tvpl-tb637-vpcp.md")
    assert [fn.marker for fn in doc.footnotes] == ["1", "2"]
    assert doc.footnotes[1].text.endswith("Công điện số 158/CĐ-TTg ngày 04 tháng 9 năm 2025")
    assert "THƯ VIỆN PHÁP LUẬT" not in doc.text
