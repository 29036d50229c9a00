"""The DOCX parser on the real reports: footnotes placed where their references sit, header table, tables, text
boxes and endnotes."""

from __future__ import annotations

import io

import docx
import pytest
from lxml import etree

from extractor.formats import sniff
from extractor.formats.docx import parse
from extractor.model import TABLE_CELL
from extractor.pipeline import prepare, read

FOOTNOTE_COUNTS = {
    "binh-son-6-thang-2023": 6,
    "nga-bay-2022": 4,
    "tuyen-quang-cao-diem-2023": 9,
    "son-tra-2024": 0,
    "de-cuong-so-ket-lam-dong-2023": 0,
}


@pytest.mark.parametrize("name", list(FOOTNOTE_COUNTS))
def test_footnote_markers_in_order(shared_corpus, name):
    doc = read(shared_corpus / "docx" / f"{name}.docx")
    assert doc.format == "docx"
    markers = [f.marker for f in doc.footnotes]
    assert markers == [str(i) for i in range(1, FOOTNOTE_COUNTS[name] + 1)]
    for fn in doc.footnotes:
        assert fn.text and fn.position is not None and fn.anchor_text
        assert fn.text not in doc.text  # footnote bodies stay out of the body text


def test_binh_son_markers_sit_after_their_words(shared_corpus):
    doc = read(shared_corpus / "docx" / "binh-son-6-thang-2023.docx")
    fn = {f.marker: f for f in doc.footnotes}
    assert doc.text[: fn["1"].position].endswith("đã ban hành 13 văn bản")
    assert doc.text[: fn["3"].position].endswith("Ban hành 05 kế hoạch")
    assert doc.text[: fn["4"].position].endswith("Ban hành 05 kế hoạch, 30 công văn")
    # both markers of one sentence share its anchor
    assert fn["3"].anchor_text == fn["4"].anchor_text
    assert fn["3"].anchor_text.startswith("+ Ban hành 05 kế hoạch, 30 công văn về việc triển khai")
    assert fn["1"].text.startswith("Công văn số 04/UBND, ngày 03/01/2023 về việc triển khai các biện pháp")
    assert fn["2"].text.startswith("Công văn số 1708-CV/HU, ngày 28/4/2023")


def test_nga_bay_parenthesised_marks_leave_no_empty_parentheses(shared_corpus):
    doc = read(shared_corpus / "docx" / "nga-bay-2022.docx")
    fn = doc.footnote("1")
    assert doc.text[: fn.position].endswith("các Bộ, Ngành và của tỉnh Hậu Giang")
    assert "()" not in doc.text
    assert fn.text.startswith("- Văn bản của Chính phủ, Thủ tướng Chính phủ và các Bộ, Ngành: Nghị quyết số 50/NQ-CP")
    # a multi-paragraph footnote keeps all its paragraphs
    assert "- Văn bản của UBND tỉnh: Quyết định số 453/QĐ-UBND ngày 08/3/2022" in fn.text


def test_tuyen_quang_enumerators_are_not_footnotes(shared_corpus):
    doc = read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    assert len(doc.footnotes) == 9
    assert "cụ thể như: (1) Hỗ trợ" in doc.text


def test_header_table_blocks_come_first_left_then_right(shared_corpus):
    doc = read(shared_corpus / "docx" / "son-tra-2024.docx")
    header = [b.text for b in doc.blocks if b.in_header]
    assert header == [
        "UBND XÃ SƠN TRÀ",
        "TỔ CÔNG TÁC ĐỀ ÁN 06/CP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "Số: /BC-TCTĐA06",
        "Sơn Trà, ngày 17 tháng 03 năm 2025",
    ]
    assert doc.tables[0].is_header


def test_statistics_table_on_the_grid_with_merges(shared_corpus):
    doc = read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    table = doc.tables[3]
    assert table.rows[0][:2] == ["STT", "DỊCH VỤ CÔNG THIẾT YẾU"]
    assert table.rows[0][5] == "Tiếp nhận trực tuyến" and table.rows[0][6] == ""  # merged across 4 columns
    assert (0, 5, 1, 4) in table.merges and (0, 0, 4, 1) in table.merges
    assert len({len(r) for r in table.rows[:5]}) == 1  # every row laid on the same grid
    cells = [b for b in doc.blocks if b.kind == TABLE_CELL and b.table == 3]
    assert cells[0].text == "STT" and (cells[0].row, cells[0].col) == (0, 0)


def _docx_with(xml_body: str, endnote: str | None = None) -> bytes:
    """A small DOCX whose body is ``xml_body`` (w: namespace), optionally with one endnote."""
    d = docx.Document()
    body = d.element.body
    wrapper = etree.fromstring(
        f'<w:root xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        f'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">{xml_body}</w:root>'
    )
    for el in list(wrapper):
        body.insert(len(body) - 1, el)
    buf = io.BytesIO()
    if endnote is not None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        xml = (
            '<w:endnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
            f'<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t>{endnote}</w:t></w:r></w:p></w:endnote>'
            "</w:endnotes>"
        ).encode()
        part = Part(PackURI("/word/endnotes.xml"),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml", xml, d.part.package)
        d.part.relate_to(part, RT.ENDNOTES)
    d.save(buf)
    return buf.getvalue()


def test_text_box_and_endnote():
    data = _docx_with(
        '<w:p><w:r><w:t xml:space="preserve">Đã cấp 120 hồ sơ</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r>'
        '<w:r><w:t>.</w:t></w:r></w:p>'
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        "<w:p><w:r><w:t>Ô chữ: Số 15/BC-UBND</w:t></w:r></w:p>"
        "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        "<w:p><w:r><w:t>Ô chữ: Số 15/BC-UBND</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>",
        endnote="Kế hoạch số 50/KH-UBND ngày 20/3/2023.",
    )
    assert sniff(data) == "docx"
    doc = prepare(parse(data))
    assert doc.text.count("Ô chữ: Số 15/BC-UBND") == 1  # the text box, once (Choice, not Fallback too)
    (note,) = doc.footnotes
    assert (note.kind, note.marker, note.text) == ("endnote", "i", "Kế hoạch số 50/KH-UBND ngày 20/3/2023.")
    assert doc.text[: note.position] == "Đã cấp 120 hồ sơ"
    assert note.anchor_text == "Đã cấp 120 hồ sơ."


def test_deleted_text_is_skipped_and_inserted_text_kept():
    data = _docx_with(
        '<w:p><w:r><w:t xml:space="preserve">Đạt </w:t></w:r>'
        "<w:del><w:r><w:delText>90%</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>95%</w:t></w:r></w:ins></w:p>"
    )
    assert prepare(parse(data)).text == "Đạt 95%"
