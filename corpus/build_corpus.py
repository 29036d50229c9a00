"""Build the project's own sample reports (corpus/reports/) from their sources (corpus/sources/*.yaml).

For each source this writes three files in corpus/reports/:

- ``<name>.docx``: python-docx for paragraphs and tables, plus real Word footnotes added as XML (a
  ``word/footnotes.xml`` part, its relationship and ``w:footnoteReference`` runs; python-docx has no footnote API);
- ``<name>.pdf``: exported from the DOCX by LibreOffice headless (``soffice`` on PATH, private profile);
- ``<name>.md``: a markdown text export in the ``<sup>N</sup>`` convention of ../shared/corpus/text/ (pandoc-style
  from a PDF): footnote bodies follow the page where their marker sits, pages are separated by ``---``.

The outputs are deterministic: fixed ZIP timestamps and core properties in the DOCX, and the PDF's creation date
and file ID rewritten to fixed values of the same length (so its cross-reference table stays valid). Generated
files are committed, so the tests need neither LibreOffice nor this script.

Usage: ``python corpus/build_corpus.py [NAME ...]`` (default: every source).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import yaml
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
REPORTS = HERE / "reports"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
MARK = re.compile(r"\[\^(\d+)\]")
FONT = "Times New Roman"
FIXED_TIME = dt.datetime(2024, 7, 15, 8, 0, 0)
ZIP_TIME = (2024, 7, 15, 8, 0, 0)


# ---------------------------------------------------------------------------------------------------------------
# DOCX


def _set_font(run, size: float | None = None, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f'<w:rFonts xmlns:w="{W_NS}"/>')
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    if size:
        run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None


def _footnote_ref(paragraph, note_id: int) -> None:
    run = paragraph.add_run()
    run._element.get_or_add_rPr().append(parse_xml(f'<w:rStyle xmlns:w="{W_NS}" w:val="FootnoteReference"/>'))
    run._element.append(parse_xml(f'<w:footnoteReference xmlns:w="{W_NS}" w:id="{note_id}"/>'))


def _add_text(paragraph, text: str, size: float | None = None, bold: bool = False, italic: bool = False) -> None:
    """Runs of ``text`` with a footnote reference wherever it says ``[^N]``."""
    pos = 0
    for m in MARK.finditer(text):
        if m.start() > pos:
            _set_font(paragraph.add_run(text[pos : m.start()]), size, bold, italic)
        _footnote_ref(paragraph, int(m.group(1)))
        pos = m.end()
    if pos < len(text):
        _set_font(paragraph.add_run(text[pos:]), size, bold, italic)


def _format(
    paragraph,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    before: float = 0,
    after: float = 6,
    line: float = 1.1,
) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(1.0) if indent else None
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = parse_xml(
        f'<w:tblBorders xmlns:w="{W_NS}">'
        + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"
    )
    tblpr.append(borders)


def _widths(table, widths: list) -> None:
    """Column widths on the grid (LibreOffice reads w:gridCol) and on every cell (Word reads w:tcW)."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _cell_lines(cell, lines: list[tuple[str, float, bool, bool]]) -> None:
    """Fill a cell with centred lines (text, size, bold, italic)."""
    first = True
    for text, size, bold, italic in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        _format(p, WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=0, line=1.0)
        if text:
            _add_text(p, text, size, bold, italic)


def _header(document, src: dict) -> None:
    head = src["header"]
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [Cm(6.5), Cm(10)])
    left = head["left"]
    _cell_lines(table.cell(0, 0), [(left[0], 12, False, False)] + [(x, 12, True, False) for x in left[1:]])
    _cell_lines(
        table.cell(0, 1),
        [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True, False), ("Độc lập - Tự do - Hạnh phúc", 14, True, False)],
    )
    _cell_lines(table.cell(1, 0), [(head["number"], 13, False, False)])
    _cell_lines(table.cell(1, 1), [(head["place_date"], 14, False, True)])
    for row in table.rows:  # a little air between the issuer/motto row and the number/date row
        row.cells[0].paragraphs[-1].paragraph_format.space_after = Pt(6)
        row.cells[1].paragraphs[-1].paragraph_format.space_after = Pt(6)


def _title(document, src: dict) -> None:
    lines = src["title"]
    for i, line in enumerate(lines):
        p = document.add_paragraph()
        _format(
            p,
            WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
            before=12 if i == 0 else 0,
            after=12 if i == len(lines) - 1 else 0,
            line=1.0,
        )
        _add_text(p, line, 14, bold=True)
    p = document.add_paragraph()
    _format(p, WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=12, line=1.0)
    _add_text(p, src["to"], 14)


def _stat_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [Cm(1.3), Cm(5.2)] + [Cm(9.5 / (len(rows[0]) - 2))] * (len(rows[0]) - 2))
    for r, values in enumerate(rows):
        bold = r == 0 or (len(values) > 1 and values[1] == "Tổng số")
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            p = cell.paragraphs[0]
            align = WD_ALIGN_PARAGRAPH.LEFT if (c == 1 and r > 0) else WD_ALIGN_PARAGRAPH.CENTER
            _format(p, align, indent=False, before=2, after=2, line=1.0)
            _add_text(p, str(value), 13, bold=bold)
    spacer = document.add_paragraph()
    _format(spacer, indent=False, after=0, line=1.0)


def _body(document, src: dict) -> None:
    for item in src["body"]:
        if isinstance(item, dict) and "table" in item:
            _stat_table(document, item["table"])
            continue
        text = str(item)
        p = document.add_paragraph()
        if text.startswith("## "):
            _format(p, before=6)
            p.paragraph_format.keep_with_next = True
            _add_text(p, text[3:], 14, bold=True)
        else:
            _format(p)
            _add_text(p, text, 14)


def _signature(document, src: dict) -> None:
    sig = src["signature"]
    spacer = document.add_paragraph()
    _format(spacer, indent=False, after=0, line=1.0)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [Cm(7.5), Cm(8.5)])
    left, right = table.cell(0, 0), table.cell(0, 1)
    for i, line in enumerate(sig["recipients"]):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        _format(p, WD_ALIGN_PARAGRAPH.LEFT, indent=False, after=0, line=1.0)
        _add_text(p, line, 12 if i == 0 else 11, bold=i == 0, italic=i == 0)
    lines = [(t, 14, True, False) for t in sig["title"]] + [("", 14, False, False)] * 3
    lines.append((sig["name"], 14, True, False))
    _cell_lines(right, lines)


def _footnotes_xml(notes: dict) -> bytes:
    """word/footnotes.xml: the two separators (ids -1 and 0) and one w:footnote per note."""

    def run(text: str) -> str:
        return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'

    ppr = '<w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">',
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for key in sorted(notes, key=int):
        body = notes[key]
        paras = body if isinstance(body, list) else [body]
        parts.append(f'<w:footnote w:id="{int(key)}">')
        for i, para in enumerate(paras):
            parts.append(f"<w:p>{ppr}")
            if i == 0:
                parts.append('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>')
                parts.append(run(" "))
            parts.append(run(para))
            parts.append("</w:p>")
        parts.append("</w:footnote>")
    parts.append("</w:footnotes>")
    return "".join(parts).encode("utf-8")


def _footnote_styles(document) -> None:
    """The "Footnote Text" paragraph style (12 pt, single spacing, justified) and the superscript "Footnote
    Reference" character style, as Word defines them."""
    styles = document.styles.element
    styles.append(
        parse_xml(
            f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:customStyle="1" w:styleId="FootnoteText">'
            '<w:name w:val="Footnote Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0" '
            'w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/>'
            "</w:rPr></w:style>"
        )
    )
    styles.append(
        parse_xml(
            f'<w:style xmlns:w="{W_NS}" w:type="character" w:customStyle="1" w:styleId="FootnoteReference">'
            '<w:name w:val="Footnote Reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
        )
    )


def _attach_footnotes(document, notes: dict) -> None:
    _footnote_styles(document)
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, _footnotes_xml(notes), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    # settings.xml names the separator notes, as Word does
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is None:
        settings.append(
            parse_xml(f'<w:footnotePr xmlns:w="{W_NS}"><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
        )


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps and a stable member order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = src.namelist()
    order = ["[Content_Types].xml", *sorted(n for n in names if n != "[Content_Types].xml")]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def build_docx(src: dict, path: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _header(document, src)
    _title(document, src)
    _body(document, src)
    _signature(document, src)
    _attach_footnotes(document, src.get("footnotes") or {})
    props = document.core_properties
    props.author = props.last_modified_by = "docmine team"
    props.title = " ".join(src["title"][1:])
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    props.comments = "Fictional sample report written for the docmine test corpus (CC0)."
    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(_deterministic_zip(buf.getvalue()))


# ---------------------------------------------------------------------------------------------------------------
# PDF


def export_pdf(docx_path: Path, pdf_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        data = (Path(tmp) / (docx_path.stem + ".pdf")).read_bytes()
    pdf_path.write_bytes(_fixed_pdf_metadata(data))
    _check_fonts(pdf_path)


def _check_fonts(pdf_path: Path) -> None:
    """Refuse a PDF where LibreOffice fell back to another font for Vietnamese letters (fonts-liberation 1.x lacks
    them; install fonts-liberation2): the fallback glyphs come out of reading order in the text layer."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
    strange = sorted(f for f in fonts if not f.startswith("LiberationSerif"))
    if strange:
        raise SystemExit(f"{pdf_path.name}: fallback fonts {strange}; install fonts-liberation2 and rebuild")


def _fixed_pdf_metadata(data: bytes) -> bytes:
    """Replace the creation date, checksum and file ID with fixed values of the same length."""

    def date(m: re.Match) -> bytes:
        digits = iter(FIXED_TIME.strftime("%Y%m%d%H%M%S").encode() + b"0" * 16)
        return m.group(1) + re.sub(rb"\d", lambda _: bytes([next(digits)]), m.group(2))

    data = re.sub(rb"(/CreationDate\s*\(D:)([^)]*)", date, data)
    data = re.sub(rb"(/ModDate\s*\(D:)([^)]*)", date, data)
    data = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})", lambda m: m.group(1) + b"0" * 32, data)
    return re.sub(rb"<[0-9A-Fa-f]{32}>", lambda m: b"<" + b"0" * 32 + b">", data)


# ---------------------------------------------------------------------------------------------------------------
# Markdown text export


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", MARK.sub("", text)).strip()


def _page_texts(pdf_path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        return [re.sub(r"\s+", " ", page.extract_text() or "") for page in pdf.pages]


def _find_page(pages: list[str], text: str, start: int) -> int:
    """The first page at or after ``start`` holding the opening words of ``text``."""
    probe = _plain(text)[:40]
    for i in range(start, len(pages)):
        if probe in pages[i]:
            return i
    return start


def build_markdown(src: dict, pdf_path: Path | None) -> str:
    """Paragraphs in reading order with ``<sup>N</sup>`` marks; after each page, the footnotes whose markers sit on
    it; ``---`` between pages (pages are read from the PDF when it exists)."""
    pages = _page_texts(pdf_path) if pdf_path and pdf_path.exists() else [""]
    head = src["header"]
    blocks: list[tuple[int, str]] = []  # (page, markdown paragraph)
    header = [f"**{x}**" for x in head["left"]] + [
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
        "**Độc lập - Tự do - Hạnh phúc**",
    ]
    blocks.append((0, "  \n".join(header)))
    blocks.append((0, head["number"]))
    blocks.append((0, f"*{head['place_date']}*"))
    blocks.append((0, "  \n".join(f"**{x}**" for x in src["title"])))
    blocks.append((0, src["to"]))
    page = 0
    marker_page: dict[int, int] = {}
    for item in src["body"]:
        if isinstance(item, dict) and "table" in item:
            rows = item["table"]
            page = _find_page(pages, rows[1][1], page)
            lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
            lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            blocks.append((page, "\n".join(lines)))
            continue
        text = str(item)
        page = _find_page(pages, text.removeprefix("## "), page)
        for m in MARK.finditer(text):
            marker_page[int(m.group(1))] = page
        md = MARK.sub(lambda m: f"<sup>{m.group(1)}</sup>", text)
        blocks.append((page, f"**{md[3:]}**" if md.startswith("## ") else md))
    sig = src["signature"]
    page = _find_page(pages, sig["recipients"][1], page)
    recipients = [f"***{sig['recipients'][0]}***", *sig["recipients"][1:]]
    blocks.append((page, "  \n".join(recipients)))
    blocks.append((page, "  \n".join(f"**{x}**" for x in sig["title"])))
    blocks.append((page, f"**{sig['name']}**"))

    out: list[str] = []
    notes = src.get("footnotes") or {}
    last_page = max(p for p, _ in blocks)
    for p in range(last_page + 1):
        out.extend(b for bp, b in blocks if bp == p)
        for key in sorted(notes, key=int):
            if marker_page.get(int(key)) == p:
                body = notes[key]
                paras = body if isinstance(body, list) else [body]
                out.append(f"<sup>{int(key)}</sup> " + "  \n".join(paras))
        if p < last_page:
            out.append("---")
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------------------


def set_page_count(docx_path: Path, pages: int) -> None:
    """Record the PDF's page count in docProps/app.xml (python-docx's template says 1), as Word would."""
    src = zipfile.ZipFile(io.BytesIO(docx_path.read_bytes()))
    out = io.BytesIO()
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/app.xml":
                data = re.sub(rb"<Pages>\d+</Pages>", f"<Pages>{pages}</Pages>".encode(), data)
            dst.writestr(info, data)
    docx_path.write_bytes(out.getvalue())


def build(name: str, pdf: bool = True) -> None:
    src = yaml.safe_load((SOURCES / f"{name}.yaml").read_text(encoding="utf-8"))
    REPORTS.mkdir(exist_ok=True)
    docx_path, pdf_path, md_path = (REPORTS / f"{name}.{ext}" for ext in ("docx", "pdf", "md"))
    build_docx(src, docx_path)
    if pdf:
        export_pdf(docx_path, pdf_path)
    if pdf_path.exists():
        set_page_count(docx_path, len(_page_texts(pdf_path)))
    md_path.write_text(build_markdown(src, pdf_path), encoding="utf-8")
    print(f"built {name}: {', '.join(p.name for p in (docx_path, pdf_path, md_path) if p.exists())}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="source names (default: all in corpus/sources)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice export (keep existing PDFs)")
    args = parser.parse_args(argv)
    names = args.names or sorted(p.stem for p in SOURCES.glob("*.yaml"))
    for name in names:
        build(name, pdf=not args.no_pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
