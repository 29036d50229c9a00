"""The two-column header of a scan, split from Tesseract's word boxes (extractor/formats/pdf/ocr.py split_header):
synthetic word boxes shaped like real/hufi-kh753.pdf page 1 at 300 dpi, with what must and must not be kept."""

from __future__ import annotations

from extractor.formats.pdf.ocr import Line, OcrPage, Word, split_header


def _line(key: int, *words: tuple[str, int, float]) -> Line:
    out, y = [], 200 + key * 60
    for text, left, conf in words:
        out.append(Word(text=text, left=left, top=y, width=len(text) * 28, height=45, conf=conf, key=(1, 1, key)))
    return Line(out)


def _page(number_line: Line, date_line: Line) -> OcrPage:
    page = OcrPage(number=1, width=2480, height=3505)
    page.body = [
        _line(0, ("BỘ", 436, 96), ("CÔNG", 521, 97), ("THƯƠNG", 679, 96), ("CỘNG", 1205, 86), ("HÒA", 1357, 97),
              ("XÃ", 1478, 97), ("HỘI", 1559, 90), ("CHỦ", 1664, 96), ("NGHĨA", 1781, 97), ("VIỆT", 1955, 97),
              ("NAM", 2082, 97)),
        _line(1, ("TRƯỜNG", 231, 97), ("ĐẠI", 470, 97), ("HỌC", 577, 97), ("Độc", 1384, 96), ("lập", 1484, 93),
              ("-", 1565, 93), ("Tự", 1595, 74), ("do", 1674, 93), ("-", 1741, 93), ("Hạnh", 1771, 92),
              ("phúc", 1936, 96)),
        date_line,
        number_line,
        _line(5, ("KẾ", 1081, 93), ("HOẠCH", 1187, 95)),
        _line(6, ("Khảo", 681, 97), ("sát,", 825, 97), ("xác", 922, 96), ("định", 1016, 96), ("chỉ", 1137, 97),
              ("số", 1222, 97), ("hài", 1285, 97), ("lòng", 1373, 96)),
    ]
    return page


def _texts(page: OcrPage, col: int) -> list[str]:
    return [ln.text for ln in page.header if ln.col == col]


def test_printed_number_and_day_are_kept_in_their_columns():
    page = _page(_line(3, ("Số:", 486, 92), ("753/KH-DCT", 558, 93)),
                 _line(2, ("Thành", 1179, 97), ("phố", 1314, 90), ("Hồ", 1409, 90), ("Chí", 1486, 97),
                       ("Minh.", 1572, 90), ("ngày", 1702, 97), ("23", 1815, 95), ("tháng", 1893, 94), ("6", 2023, 97),
                       ("năm", 2061, 97), ("2026", 2162, 96)))
    split_header(page)
    assert _texts(page, 0) == ["BỘ CÔNG THƯƠNG", "TRƯỜNG ĐẠI HỌC", "Số: 753/KH-DCT"]
    assert _texts(page, 1) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                               "Thành phố Hồ Chí Minh, ngày 23 tháng 6 năm 2026"]
    assert page.body[0].text == "KẾ HOẠCH"  # the title ends the header: it stays in the body
    assert page.warnings == []


def test_handwritten_number_and_day_are_blanked_with_a_warning():
    page = _page(_line(3, ("số:", 486, 72), ("Á3/KH-DCT", 558, 45)),
                 _line(2, ("Thành", 1179, 97), ("phố", 1314, 90), ("Hồ", 1409, 74), ("Chí", 1486, 97),
                       ("Minh.", 1572, 79), ("ngày", 1702, 97), ("kh", 1815, 19), ("tháng", 1893, 94), ("6", 2023, 97),
                       ("năm", 2061, 97), ("2026", 2162, 96)))
    split_header(page)
    assert "Số: /KH-DCT" in _texts(page, 0)  # never "Á3" or "3"
    assert "Thành phố Hồ Chí Minh, ngày tháng 6 năm 2026" in _texts(page, 1)
    assert len(page.warnings) == 2


def test_a_low_confidence_digit_is_not_trusted():
    page = _page(_line(3, ("6", 670, 66), ("ŸBCT-ATMT", 706, 43)),
                 _line(2, ("Hà", 1327, 97), ("Nội,", 1414, 93), ("ngày0)", 1529, 84), ("thángh", 1718, 91),
                       ("năm", 1910, 97), ("2026", 2026, 97)))
    split_header(page)
    assert "Số: /BCT-ATMT" in _texts(page, 0)
    assert "Hà Nội, ngày tháng năm 2026" in _texts(page, 1)


def test_a_page_without_two_columns_is_left_alone():
    page = OcrPage(number=1, width=2480, height=3505)
    page.body = [_line(0, ("BÁO", 1000, 95), ("CÁO", 1120, 95)),
                 _line(1, ("Kết", 400, 95), ("quả", 500, 95), ("thực", 600, 95), ("hiện", 720, 95))]
    before = [ln.text for ln in page.body]
    split_header(page)
    assert page.header == [] and [ln.text for ln in page.body] == before


def test_a_confident_digit_before_a_blurred_slash_is_not_trusted():
    # read in colour, the handwritten "2265" leaves a confident "6"; the slash under the ink is read as "Ÿ"
    page = _page(_line(3, ("6", 670, 96), ("ŸBCT-ATMT", 706, 88)),
                 _line(2, ("Hà", 1327, 97), ("Nội,", 1414, 93), ("ngày", 1529, 97), ("02", 1640, 91),
                       ("tháng", 1718, 91), ("4", 1890, 90), ("năm", 1910, 97), ("2026", 2026, 97)))
    split_header(page)
    assert "Số: /BCT-ATMT" in _texts(page, 0)
    assert "Hà Nội, ngày 02 tháng 4 năm 2026" in _texts(page, 1)  # printed digits with confidence are kept
