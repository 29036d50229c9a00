"""DOCX (Word 2007+): body paragraphs and tables in document order, the header table, footnotes and endnotes with
each marker placed where its ``w:footnoteReference`` sits, and text in text boxes.

python-docx opens the package; the body and the notes parts are walked as XML because python-docx has no footnote
API and skips text boxes. Runs in legacy 8-bit fonts (.VnTime, VNI-Times) are decoded by
``extractor.formats.legacy``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from ..errors import CorruptDocument, EmptyDocument, EncryptedDocument, TooLarge
from ..model import PARAGRAPH, TABLE_CELL, Block, Document, Footnote, Marker, Table

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# the tags the per-run loops compare with, built once (an f-string per comparison was a tenth of the DOCX parse)
_P_PR, _P_STYLE, _JC, _VAL, _R_PR, _B = (f"{W}{t}" for t in ("pPr", "pStyle", "jc", "val", "rPr", "b"))
_T, _TAB, _BREAKS, _NO_BREAK_HYPHEN, _SYM = f"{W}t", f"{W}tab", (f"{W}br", f"{W}cr"), f"{W}noBreakHyphen", f"{W}sym"
_FOOTNOTE_REF, _ENDNOTE_REF = f"{W}footnoteReference", f"{W}endnoteReference"
_BOXES = (f"{W}drawing", f"{W}pict", f"{{{MC_NS}}}AlternateContent", f"{W}object")
_RUN, _SKIPPED, _SDT, _SDT_CONTENT = f"{W}r", (f"{W}del", f"{W}moveFrom", f"{W}pPr"), f"{W}sdt", f"{W}sdtContent"
REL_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
REL_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"

# Safety limits: a DOCX is a zip; refuse parts that decompress to absurd sizes (zip bombs).
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # decompressed / compressed, for parts larger than 1 MB

_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

ENDNOTE_MARKS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


def _check_zip(data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise CorruptDocument(f"Damaged DOCX package ({err}): ask the sender for the file again.") from None
    total = 0
    with zf:
        for info in zf.infolist():
            total += info.file_size
            if info.file_size > MAX_PART_BYTES or (
                info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(1, info.compress_size)
            ):
                raise TooLarge(
                    f"DOCX part {info.filename} would decompress to {info.file_size:,} bytes "
                    f"(limit {MAX_PART_BYTES:,}; a zip bomb?): the file was not read."
                )
        if total > MAX_TOTAL_BYTES:
            raise TooLarge(f"DOCX package decompresses to {total:,} bytes (limit {MAX_TOTAL_BYTES:,}): not read.")
        # (a part failing its CRC check raises BadZipFile when python-docx reads it: reported as CorruptDocument)


def _on(el: etree._Element, tag: str) -> bool:
    """A boolean run property (w:b, w:i ...) that is present and not switched off."""
    prop = el.find(tag)
    if prop is None:
        return False
    return prop.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none")


class _Fonts:
    """Resolve the font of a run (for legacy TCVN3/VNI decoding): run rFonts, run style, paragraph style, defaults."""

    def __init__(self, styles_xml: bytes | None, any_legacy: bool = True):
        self.any_legacy = any_legacy  # False when no legacy font name occurs anywhere: skip font resolution
        self.style_font: dict[str, str | None] = {}
        self.style_parent: dict[str, str | None] = {}
        self.default: str | None = None
        if not styles_xml:
            return
        root = etree.fromstring(styles_xml, _SAFE_PARSER)
        dflt = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        if dflt is not None:
            self.default = dflt.get(f"{W}ascii") or dflt.get(f"{W}hAnsi")
        for st in root.iter(f"{W}style"):
            sid = st.get(f"{W}styleId")
            rf = st.find(f"{W}rPr/{W}rFonts")
            self.style_font[sid] = (rf.get(f"{W}ascii") or rf.get(f"{W}hAnsi")) if rf is not None else None
            based = st.find(f"{W}basedOn")
            self.style_parent[sid] = based.get(f"{W}val") if based is not None else None

    def of_style(self, sid: str | None) -> str | None:
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            if self.style_font.get(sid):
                return self.style_font[sid]
            sid = self.style_parent.get(sid)
        return None

    def of_run(self, run: etree._Element, para_style: str | None) -> str | None:
        rpr = run.find(f"{W}rPr")
        if rpr is not None:
            rf = rpr.find(f"{W}rFonts")
            if rf is not None and (rf.get(f"{W}ascii") or rf.get(f"{W}hAnsi")):
                return rf.get(f"{W}ascii") or rf.get(f"{W}hAnsi")
            rs = rpr.find(f"{W}rStyle")
            if rs is not None:
                font = self.of_style(rs.get(f"{W}val"))
                if font:
                    return font
        return self.of_style(para_style) or self.default


_LEGACY_FONT_NAMES = (b'w:ascii=".Vn', b'w:hAnsi=".Vn', b'w:ascii="VNI', b'w:hAnsi="VNI', b'="VNI-', b'=".Vn')


def _mentions_legacy_font(document, styles_blob: bytes | None) -> bool:
    """Whether any part a run can take its font from names a TCVN3 (.Vn…) or VNI (VNI-…) font."""
    blobs = [styles_blob or b""]
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(("/footnotes", "/endnotes", "/fontTable")):
            blobs.append(rel.target_part.blob)
    body = etree.tostring(document.element)
    return any(name in blob for blob in [*blobs, body] for name in _LEGACY_FONT_NAMES)


def _legacy():
    try:
        from . import legacy  # TCVN3 / VNI decoding (issue 5)
    except ImportError:
        return None
    return legacy


class _Builder:
    def __init__(self, fonts: _Fonts):
        self.fonts = fonts
        self.legacy = _legacy()
        self.footnote_order: dict[str, str] = {}  # w:id -> displayed marker
        self.endnote_order: dict[str, str] = {}

    # -- runs and paragraphs -------------------------------------------------------------------------------------
    def _decode(self, text: str, run: etree._Element, para_style: str | None) -> str:
        if self.legacy is None or not text or not self.fonts.any_legacy:
            return text
        font = self.fonts.of_run(run, para_style)
        if font and self.legacy.is_legacy_font(font):
            return self.legacy.decode_run(text, font)
        return text

    def paragraph(self, p: etree._Element, notes: bool = False) -> tuple[str, list[Marker], bool, bool, list]:
        """Text of a paragraph with its footnote markers; also bold/centred hints and nested text-box paragraphs."""
        ppr = p.find(_P_PR)
        para_style = None
        centered = False
        if ppr is not None:
            ps = ppr.find(_P_STYLE)
            para_style = ps.get(_VAL) if ps is not None else None
            jc = ppr.find(_JC)
            centered = jc is not None and jc.get(_VAL) == "center"
        chars: list[str] = []
        markers: list[Marker] = []
        boxes: list[etree._Element] = []
        bold_chars = 0
        text_chars = 0
        for run in self._runs(p):
            rpr = run.find(_R_PR)
            bold = rpr is not None and _on(rpr, _B)
            for child in run:
                tag = child.tag
                if tag == _T:
                    text = self._decode(child.text or "", run, para_style)
                    chars.append(text)
                    n = len(text.strip())
                    text_chars += n
                    bold_chars += n if bold else 0
                elif tag == _TAB:
                    chars.append("\t")
                elif tag in _BREAKS:
                    chars.append("\n")
                elif tag == _NO_BREAK_HYPHEN:
                    chars.append("-")
                elif tag == _SYM:
                    chars.append(" ")
                elif tag == _FOOTNOTE_REF and not notes:
                    markers.append(Marker(sum(map(len, chars)), self._mark(child, self.footnote_order, False)))
                elif tag == _ENDNOTE_REF and not notes:
                    markers.append(Marker(sum(map(len, chars)), self._mark(child, self.endnote_order, True)))
                elif tag in _BOXES:
                    boxes.extend(self._text_boxes(child))
        text = "".join(chars)
        bold = text_chars > 0 and bold_chars / text_chars > 0.6
        return text, markers, bold, centered, boxes

    def _mark(self, ref: etree._Element, order: dict[str, str], endnote: bool) -> str:
        nid = ref.get(f"{W}id", "")
        if nid not in order:
            n = len(order)
            order[nid] = (ENDNOTE_MARKS[n] if n < len(ENDNOTE_MARKS) else f"e{n + 1}") if endnote else str(n + 1)
        return order[nid]

    def _runs(self, p: etree._Element) -> Iterator[etree._Element]:
        """Runs in order, descending into hyperlinks, insertions, smart tags, fields and content controls (not into
        deletions, nor into text boxes, which are handled as their own paragraphs)."""
        for child in p:
            tag = child.tag
            if tag == _RUN:
                yield child
            elif tag in _SKIPPED:
                continue
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    yield from self._runs(content)
            else:
                yield from self._runs(child)

    def _text_boxes(self, el: etree._Element) -> list[etree._Element]:
        """Paragraphs inside text boxes (w:txbxContent), taking one branch of mc:AlternateContent."""
        if el.tag == f"{{{MC_NS}}}AlternateContent":
            choice = el.find(f"{{{MC_NS}}}Choice")
            el = choice if choice is not None else el
        out = []
        for box in el.iter(f"{W}txbxContent"):
            out.extend(box.iter(f"{W}p"))
        # nested boxes appear twice through iter(); keep the outermost occurrence order, drop repeats
        seen = set()
        unique = []
        for p in out:
            if id(p) not in seen:
                seen.add(id(p))
                unique.append(p)
        return unique


def _is_header_table(tbl: etree._Element, rows: list[list[str]], seen_body_text: bool) -> bool:
    """The report's borderless two-column header: number line, place and date, issuer, national motto."""
    if seen_body_text or len(rows) > 6 or not rows or max(len(r) for r in rows) > 3:
        return False
    joined = " ".join(" ".join(r) for r in rows)
    signals = ("Số:", "Số :", "CỘNG HÒA", "CỘNG HOÀ", "Độc lập", "tháng", "năm")
    return sum(s in joined for s in signals) >= 1


def _table(tbl: etree._Element, builder: _Builder) -> tuple[list[list[str]], list[list[tuple]], list]:
    """Rows of cell texts on the table grid (gridSpan/vMerge expanded: covered positions are empty), the
    paragraphs of each cell, and merges as (row, col, rowspan, colspan)."""
    rows: list[list[str]] = []
    cell_paras: list[list[tuple]] = []
    merges: list[list[int]] = []
    open_vmerge: dict[int, list[int]] = {}
    for r, tr in enumerate(tbl.findall(f"{W}tr")):
        row: list[str] = []
        paras_row: list[tuple] = []
        col = 0
        for tc in tr.findall(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(f"{W}gridSpan")
                if gs is not None:
                    span = max(1, int(gs.get(f"{W}val", "1") or 1))
                vm = tcpr.find(f"{W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{W}val", "continue")
            paras = [builder.paragraph(p) for p in tc.iter(f"{W}p")]
            text = "\n".join(p[0] for p in paras)
            if vmerge == "continue" and col in open_vmerge:
                open_vmerge[col][2] += 1
                text, paras = "", []
            else:
                merge = [r, col, 1, span]
                if vmerge == "restart":
                    open_vmerge[col] = merge
                else:
                    open_vmerge.pop(col, None)
                if span > 1 or vmerge == "restart":
                    merges.append(merge)
            row.append(text)
            paras_row.append((col, paras))
            row.extend([""] * (span - 1))
            col += span
        rows.append(row)
        cell_paras.append(paras_row)
    return rows, cell_paras, [tuple(m) for m in merges if m[2] > 1 or m[3] > 1]


def _notes(xml: bytes | None, kind: str, builder: _Builder, order: dict[str, str]) -> list[Footnote]:
    if not xml:
        return []
    root = etree.fromstring(xml, _SAFE_PARSER)
    out = []
    tag = f"{W}{kind}"
    for note in root.iter(tag):
        nid = note.get(f"{W}id", "")
        ntype = note.get(f"{W}type")
        if ntype in ("separator", "continuationSeparator", "continuationNotice") or nid in ("-1", "0"):
            continue
        paras = [builder.paragraph(p, notes=True)[0] for p in note.iter(f"{W}p")]
        body = "\n".join(p.strip() for p in paras if p.strip())
        marker = order.get(nid)
        if marker is None:  # a note never referenced from the body: keep it, numbered after the others
            n = len(order)
            marker = (ENDNOTE_MARKS[n] if n < len(ENDNOTE_MARKS) else f"e{n + 1}") if kind == "endnote" else str(n + 1)
            order[nid] = marker
        out.append(Footnote(marker=marker, original=body, kind=kind))
    return out


def _part_blob(document, reltype: str) -> bytes | None:
    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part.blob
    return None


def parse(data: bytes, path: str | None = None) -> Document:
    import docx  # python-docx

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except KeyError as err:
        raise CorruptDocument(f"The DOCX package lacks a required part ({err}): re-save it in Word.") from None
    except Exception as err:  # python-docx raises several types for damaged packages
        name = type(err).__name__
        if "encrypt" in str(err).lower():
            raise EncryptedDocument("The Word document is encrypted: ask for an unprotected copy.") from None
        raise CorruptDocument(f"The DOCX could not be opened ({name}: {err}): re-save it in Word.") from None

    styles_blob = None
    try:
        styles_blob = document.part.styles.part.blob if document.part._styles_part is not None else None
    except Exception:
        styles_blob = None
    builder = _Builder(_Fonts(styles_blob, _mentions_legacy_font(document, styles_blob)))
    doc = Document(format="docx", path=path)
    body = document.element.body
    seen_body_text = False
    table_index = 0

    def add_paragraph(p: etree._Element) -> None:
        nonlocal seen_body_text
        text, markers, bold, centered, boxes = builder.paragraph(p)
        if text.strip() or markers:
            doc.blocks.append(Block(original=text, kind=PARAGRAPH, markers=markers, bold=bold, centered=centered))
            seen_body_text = True
        for bp in boxes:
            btext, bmarkers, bbold, bcent, _ = builder.paragraph(bp)
            if btext.strip():
                doc.blocks.append(Block(original=btext, markers=bmarkers, bold=bbold, centered=bcent))

    def walk(container: etree._Element) -> None:
        nonlocal table_index
        for el in container:
            if el.tag == f"{W}p":
                add_paragraph(el)
            elif el.tag == f"{W}tbl":
                rows, cell_paras, merges = _table(el, builder)
                header = _is_header_table(el, rows, seen_body_text)
                doc.tables.append(Table(index=table_index, rows=rows, is_header=header, merges=merges))
                for r, paras_row in enumerate(cell_paras):
                    for c, paras in paras_row:
                        if header:
                            # one block per line, left cell then right cell, so metadata reads lines
                            for text, markers, bold, centered, _ in paras:
                                if text.strip():
                                    doc.blocks.append(
                                        Block(original=text, kind=TABLE_CELL, markers=markers, bold=bold,
                                              centered=centered, table=table_index, row=r, col=c, in_header=True)
                                    )
                            continue
                        text = ""
                        markers: list[Marker] = []
                        for ptext, pmarkers, _, _, _ in paras:
                            if text:
                                text += "\n"
                            markers.extend(Marker(len(text) + m.offset, m.marker) for m in pmarkers)
                            text += ptext
                        if text.strip() or markers:
                            doc.blocks.append(
                                Block(original=text, kind=TABLE_CELL, markers=markers, table=table_index, row=r, col=c)
                            )
                table_index += 1
            elif el.tag == f"{W}sdt":
                content = el.find(f"{W}sdtContent")
                if content is not None:
                    walk(content)
            elif el.tag in (f"{W}customXml", f"{W}ins", f"{W}smartTag"):
                walk(el)

    walk(body)
    doc.footnotes = _notes(_part_blob(document, REL_FOOTNOTES), "footnote", builder, builder.footnote_order)
    doc.footnotes += _notes(_part_blob(document, REL_ENDNOTES), "endnote", builder, builder.endnote_order)
    doc.footnotes.sort(key=lambda f: (f.kind != "footnote", _marker_sort_key(f.marker)))
    if not doc.blocks and not doc.footnotes:
        raise EmptyDocument("The Word document holds no text (is it a scan pasted as a picture?): send the PDF.")
    doc.pages = None  # a DOCX has no page count of its own (docProps/app.xml holds whatever the last editor wrote)
    return doc


def _marker_sort_key(marker: str) -> tuple[int, str]:
    return (int(marker), "") if marker.isdigit() else (10**6, marker)
