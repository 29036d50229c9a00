"""Report metadata (domain.md §1): the report's own number line, issuer, place and date, period, title and signer.

Everything is read from the normalised blocks, so DOCX, PDF and text exports of one report give the same values:
the header (blocks flagged ``in_header``, or the first lines when a text export lost the header table), the title
lines after "BÁO CÁO", the opening sentence ("<issuer> báo cáo kết quả …") and the signature block.
"""

from __future__ import annotations

import functools

import regex

from ..lang.dates import parse_date, parse_period
from ..lang.ocr_words import NameIndex, apply_changes, repairs
from ..model import TABLE_CELL, Block, Document, ReportMetadata
from ..resources import load_rules
from .normalise import mostly_capitals

# "Số: 154/BC-CAT-QLHC", "Số:      /BC-TCTĐA06", "Số: 154 /BC-CAT-QLHC"
NUMBER_LINE = regex.compile(r"^\s*Số\s*:?\s*(?P<number>\d+[a-zA-Z]?)?\s*/\s*(?P<symbol>[\p{L}\d][\p{L}\d.()\-–/ ]*)")
# "Tuyên Quang, ngày 08 tháng 01 năm 2023", "Bình Sơn, ngày tháng năm 2023"
PLACE_DATE = regex.compile(r"^\s*(?P<place>[\p{Lu}][\p{L} .'-]{1,60}?)\s*,\s*ngày\b(?P<date>.*?năm\s*\d{4})")
COLUMNS_ON_ONE_LINE = regex.compile(
    r"(?<=^(?:Số|\p{Lu}{2,}).*?)\s+(?=CỘNG H(?:ÒA|OÀ)\b|Độc lập\b|(?<=^Số\b.*)\p{Lu}[\p{L} .'-]{1,60}?,\s*ngày\b)"
)
# the report's own type, on the line before its title
TYPE_LINE = regex.compile(r"^\s*(?P<type>(?:ĐỀ CƯƠNG |DỰ THẢO )?BÁO CÁO(?: TÓM TẮT)?)\s*$")
# the opening sentence naming the reporting body: "Công an tỉnh Tuyên Quang báo cáo kết quả …"
REPORTER = regex.compile(
    r"(?:^|(?<=[.:;]\s))(?P<issuer>\p{Lu}[\p{L}\d/]*(?:\s+[\p{L}\d/()]+){1,12}?)\s+(?:trân trọng\s+)?báo cáo\s+"
    r"(?=kết quả|tình hình|như sau|công tác|việc|sơ kết|tổng kết)"
)
# signature titles (domain.md §1): "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", "TỔ TRƯỞNG", "CHỦ TỊCH"
SIGNATURE_TITLE = regex.compile(
    # "… TRƯỞNG" is every head's title: HIỆU TRƯỞNG (a school), BỘ/THỨ/CỤC/VIỆN TRƯỞNG, TRƯỞNG PHÒNG/BAN/ĐOÀN
    r"\b(?:KT\.|TM\.|TL\.|TUQ\.|Q\.)|\b(?:TRƯỞNG|CHỦ TỊCH|GIÁM ĐỐC|BÍ THƯ|CHÁNH VĂN PHÒNG|CHỦ NHIỆM)\b"
)
RANK = r"(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy)\s+)"
NAME = regex.compile(rf"(?P<name>{RANK}?\p{{Lu}}\p{{Ll}}+(?:\s+\p{{Lu}}\p{{Ll}}*){{1,4}})\s*$")
CAMPAIGN = regex.compile(r"đợt cao điểm\s*[\"“][^\"”]{1,40}[\"”]")
# named things whose years are not the report's period: quoted project names, "Luật Cư trú năm 2020"
NOT_PERIOD = regex.compile(r"[\"“][^\"”]*[\"”]|\bLuật(?:\s+\p{Lu}\p{Ll}*)+(?:\s+\p{Ll}+){0,3}\s+năm\s+\d{4}")
TITLE_STOP = regex.compile(r"^(?:Kính gửi|Thực hiện|Căn cứ|Theo|\(Kèm theo|Phần\s|[IVX]+\s*\.)")
ISSUER_SKIP = regex.compile(r"CỘNG H(?:ÒA|OÀ)|Độc lập|^Số\b|ngày\b|^[-–—_=\s]+$|^V/v\b")
# rules drawn under the issuer ("––––", "-------", "______") left at the end of an issuer line
ISSUER_RULE = regex.compile(r"\s*[-–—_=]{3,}\s*$")
# a stray capital glued before an issuer's abbreviation by the layout ("DUBND TỈNH LÀO CAI": a "Đ"/"D" drop cap)
STRAY_LETTER = regex.compile(r"^[A-ZĐ](?=(?:UBND|HĐND|ỦY BAN|UỶ BAN|BỘ|SỞ)\b)")
# the subject of a Công văn, under its number line: "V/v đơn giá thuê đất"
SUBJECT_LINE = regex.compile(r"^\s*[Vv]/[Vv]\s*:?\s*(?P<subject>.+)$")
# what ends a subject wrapped over several lines: the other column's lines, a rule, the addressee, the number line
SUBJECT_END = regex.compile(r"CỘNG H(?:ÒA|OÀ)|Độc lập|^\s*Số\s*:|^[-–—_=\s]+$|^\s*Kính gửi|^\s*\(?Kèm theo")
SUBJECT_MAX_LINES = 6
# stamps printed or stamped above a title: "ĐẾN" (incoming mail: "CÔNG VĂN ĐẾN Số: … Ngày: …"), urgency and secrecy
# marks ("KHẨN", "HỎA TỐC", "MẬT")
STAMP = regex.compile(
    r"^\s*(?:CÔNG VĂN\s+)?(?:ĐẾN|KHẨN|THƯỢNG KHẨN|HỎA TỐC|HOẢ TỐC|MẬT|TỐI MẬT|TUYỆT MẬT)\s*(?:$|[:.]|Số\b|Ngày\b)"
)
# an issuer's name wrapped onto the next line: the line ends with a comma, "VÀ" or a hyphen ("CỤC ĐỔI MỚI SÁNG TẠO,"
# / "CHUYỂN ĐỔI XANH VÀ" / "KHUYẾN CÔNG"), or the next one starts with "VÀ" or a small letter; other lines are the
# levels of the issuer (parent body, then the body itself) and are joined with " - "
ISSUER_WRAPS = regex.compile(r"(?:,|\bV[ÀA]|[-–])\s*$")
ISSUER_CONTINUES = regex.compile(r"^\s*(?:V[ÀA]\b|\p{Ll})")

DOC_TYPES = {"BÁO CÁO": "Báo cáo", "ĐỀ CƯƠNG BÁO CÁO": "Đề cương báo cáo", "BÁO CÁO TÓM TẮT": "Báo cáo tóm tắt",
             "DỰ THẢO BÁO CÁO": "Báo cáo"}


def _lines(block: Block) -> list[str]:
    """The block's lines (table cells and header cells keep their paragraph breaks in ``original``)."""
    from .normalise import normalise_text

    if "\n" in block.original:
        lines = [t for t in (normalise_text(x) for x in block.original.split("\n")) if t]
    else:
        lines = [block.text] if block.text else []
    # a header written as lines with both columns on one ("Số: 09/2009/CT-UBND Thủ Dầu Một, ngày 15 tháng 4 năm
    # 2009", "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"): the right column is a line of its own
    return [part for line in lines for part in COLUMNS_ON_ONE_LINE.split(line, maxsplit=1) if part]


def _header_blocks(doc: Document) -> list[Block]:
    header = [b for b in doc.blocks if b.in_header]
    if header:
        return header
    # text exports: the header lines come before the type line
    out = []
    for b in doc.blocks[:12]:
        if TYPE_LINE.match(b.text):
            break
        out.append(b)
    return out


@functools.cache
def _title_words() -> dict[str, str]:
    """The document's type from the word in capitals on its title line ("THÔNG BÁO", "KẾ HOẠCH", "CHỈ THỊ"), for
    every type of ``rules/doc_types.yaml`` that a document can be ("Luật" and "Văn bản" are not title words here)."""
    words: dict[str, str] = {}
    for t in load_rules("doc_types.yaml")["types"]:
        if t["canonical"] in ("Luật", "Văn bản", "Công văn"):
            continue
        for w in t["words"]:
            words[w.upper()] = t["canonical"]
    return words


@functools.cache
def _symbol_types() -> dict[str, str]:
    return {a: t["canonical"] for t in load_rules("doc_types.yaml")["types"] for a in t.get("abbreviations") or []}


def _type_from_symbol(symbol: str) -> str | None:
    """The type code of the document's own symbol ("TB-SCT" → Thông báo, "2010/QĐ-UBND" → Quyết định); a symbol
    without one ("UBND-KT", "ĐCK-CTT") is a Công văn's (domain.md §2)."""
    parts = [p for p in regex.split(r"[-/]", symbol) if p and not regex.fullmatch(r"\d{4}", p)]
    if not parts:
        return None
    return _symbol_types().get(parts[0], "Công văn" if len(parts) >= 1 else None)


def _title_type(text: str) -> str | None:
    return _title_words().get(" ".join(text.replace("*", " ").split()).upper()) if mostly_capitals(text) else None


def _number_line(blocks: list[Block], meta: ReportMetadata) -> None:
    for b in blocks:
        for line in _lines(b):
            m = NUMBER_LINE.match(line)
            if m:
                meta.number = m.group("number")
                symbol = regex.sub(r"\s+", "", m.group("symbol")).replace("–", "-").rstrip(".-/")
                meta.symbol = symbol or None
                return


def _place_date(blocks: list[Block], meta: ReportMetadata) -> None:
    for b in blocks:
        for line in _lines(b):
            m = PLACE_DATE.search(line)
            if m:
                meta.place = m.group("place").strip()
                meta.issued_date = parse_date("ngày" + m.group("date"))
                return


def _date_source(doc: Document, header: list[Block], meta: ReportMetadata) -> None:
    """Mark a date read from the date line; without one (its day blank, handwritten or drawn by a stamp that could
    not be read), fall back to the signing time of the PDF's last digital signature (the one over the whole file,
    made when the office issued it), when that agrees with the month and year the date line shows."""
    if meta.issued_date is not None:
        meta.issued_date_source = "text"
        return
    signed = [s for s in doc.signatures if s.signed_at is not None]
    if not signed:
        return
    last = next((s for s in reversed(signed) if s.covers_whole_file), signed[-1])
    day = last.signed_at.date()
    shown = next((m for b in header for line in _lines(b) if (m := PLACE_DATE.search(line))), None)
    if shown:
        month = regex.search(r"tháng\s*(\d{1,2})\b", shown.group("date"))
        year = regex.search(r"năm\s*(\d{4})", shown.group("date"))
        if (month and int(month.group(1)) != day.month) or (year and int(year.group(1)) != day.year):
            return
    meta.issued_date, meta.issued_date_source = day, "signature"
    doc.warnings.append(
        f"ngày ban hành lấy từ thời điểm ký số ({last.signed_at.isoformat()}): ngày trên dòng địa danh, ngày tháng để "
        f"trống hoặc không đọc được / issued_date taken from the digital signature's signing time: the date line's "
        f"day is blank or unreadable"
    )


def _header_issuer(blocks: list[Block]) -> str | None:
    lines = []
    for b in blocks:
        if b.col not in (None, 0):
            continue
        for line in _lines(b):
            if NUMBER_LINE.match(line):
                return " - ".join(lines) or None
            if ISSUER_SKIP.search(line):
                continue
            line = STRAY_LETTER.sub("", ISSUER_RULE.sub("", line)).strip()
            if line and lines and (ISSUER_WRAPS.search(lines[-1]) or ISSUER_CONTINUES.match(line)):
                lines[-1] = f"{lines[-1]} {line}"
            elif line:
                lines.append(line)
    return None


def _subject_lines(blocks: list[Block]) -> tuple[list[str], list[Block]]:
    """The "V/v …" subject under the number line, with the lines it wraps onto in its column ("V/v tăng cường công
    tác quản" / "lý, giám sát hoạt động VLNCN," / "TCTN trên địa bàn tỉnh"): a subject ends at the other column,
    a rule, the date line, "Kính gửi" or after SUBJECT_MAX_LINES lines. Returns its lines and the blocks they are in."""
    parts: list[str] = []
    held: list[Block] = []
    col = None
    for b in blocks:
        if parts and b.col != col:
            break
        for line in _lines(b):
            if not parts:
                m = SUBJECT_LINE.match(line)
                if m:
                    parts, col, held = [m.group("subject")], b.col, [b]
                continue
            if len(parts) >= SUBJECT_MAX_LINES or SUBJECT_END.search(line) or PLACE_DATE.search(line):
                return parts, held
            parts.append(line)
            if held[-1] is not b:
                held.append(b)
    return parts, held


def _subject(blocks: list[Block]) -> str | None:
    parts, _ = _subject_lines(blocks)
    return _joined(parts) if parts else None


def subject_blocks(doc: Document) -> list[Block]:
    """The header blocks that hold the "V/v …" subject (extract/citations.py reads the documents it cites)."""
    return _subject_lines(_header_blocks(doc))[1]


def _joined(parts: list[str]) -> str | None:
    return " ".join(" ".join(parts).split()).strip(" *") or None


def _type_and_title(doc: Document, meta: ReportMetadata) -> None:
    for i, b in enumerate(doc.blocks[:40]):
        if b.in_header:
            continue
        m = TYPE_LINE.match(b.text)
        other = None if m else _title_type(b.text)
        if not m and not other:
            continue
        meta.doc_type = DOC_TYPES.get(m.group("type"), "Báo cáo") if m else other
        parts = []
        for nxt in doc.blocks[i + 1 : i + 6]:
            if (
                nxt.kind == TABLE_CELL
                or TITLE_STOP.match(nxt.text)
                or REPORTER.search(nxt.text)
                or nxt.text.endswith(":")
                or len(nxt.text) > 500
            ):
                break
            if STAMP.match(nxt.text):
                break  # an incoming-mail or urgency stamp, not a title
            if mostly_capitals(nxt.text) and (m or (parts and not all(mostly_capitals(x) for x in parts))):
                # a heading in capitals after a Báo cáo's title or after a title in small letters; a Kế hoạch's or
                # Thông báo's subject is itself in capitals and may wrap onto the next lines ("KẾT" / "LUẬN …")
                break
            parts.append(nxt.text)
        meta.title = " ".join(parts) or None
        return


def _issuer_from_opening(doc: Document) -> str | None:
    for b in doc.blocks[:30]:
        if b.in_header or b.kind == TABLE_CELL:
            continue
        m = REPORTER.search(b.text)
        if m:
            issuer = m.group("issuer").strip()
            if issuer.split()[0] not in ("Trên", "Nay", "Sau", "Đến"):
                return issuer
    return None


def _signature_start(doc: Document) -> int | None:
    """The block of the signature's title lines ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"), the last one of the document."""
    start = None
    for i in range(len(doc.blocks) - 1, -1, -1):
        text = doc.blocks[i].text
        if SIGNATURE_TITLE.search(text) and sum(c.isupper() for c in text) >= 6:
            start = i
            if not text.startswith("Nơi nhận"):
                break
    return start


def _signer(doc: Document) -> str | None:
    start = _signature_start(doc)
    if start is None:
        return _name_after_recipients(doc)
    # the name follows the titles; a text export may list it between two title lines ("TỔ TRƯỞNG TỔ ĐỀ ÁN 06" /
    # "Hồ Văn Thịnh" / "CHỦ TỊCH UBND XÃ"), so look just above the last title too
    for b in [*doc.blocks[start : start + 8], *doc.blocks[max(0, start - 2) : start]]:
        for line in _signature_lines(b):
            if line.startswith(("Nơi nhận", "-", "+")):
                continue
            m = NAME.search(line)
            if m and not SIGNATURE_TITLE.search(m.group("name")):
                return m.group("name")
    return None


def _signature_lines(block: Block) -> list[str]:
    """The block's lines, a line set as two columns with a tab ("- UBND các huyện, thị xã;\tNguyễn Văn Hiệp": the
    recipients on the left, the signature on the right, in .doc and text exports) giving its right column too."""
    from .normalise import normalise_text

    out = _lines(block)
    for raw in block.original.split("\n"):
        if "\t" in raw and (right := normalise_text(raw.rsplit("\t", 1)[1])):
            out.append(right)
    return out


def _name_after_recipients(doc: Document) -> str | None:
    """The signer of a scan whose title lines ("KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG") the red seal hid from OCR: the
    signature column comes after "Nơi nhận:" in reading order, and its last line is the name alone, as a whole line
    ("Trương Thanh Hoài"), never a "- " recipient."""
    recipients = next((i for i in range(len(doc.blocks) - 1, -1, -1)
                       if doc.blocks[i].text.startswith("Nơi nhận")), None)
    if recipients is None:
        return None
    for b in doc.blocks[recipients + 1 : recipients + 16]:
        m = NAME.fullmatch(b.text.strip())
        if m and not b.text.lstrip().startswith(("-", "+")) and not SIGNATURE_TITLE.search(b.text):
            return m.group("name")
    return None


def extract_metadata(doc: Document) -> ReportMetadata:
    meta = ReportMetadata()
    header = _header_blocks(doc)
    _number_line(header, meta)
    _place_date(header, meta)
    _type_and_title(doc, meta)
    _date_source(doc, header, meta)
    meta.issuer = _issuer_from_opening(doc) or _header_issuer(header)
    subject = _subject(header)
    if meta.doc_type is None and meta.symbol is not None and subject:
        # a Công văn has no title word: its number line and the "V/v …" subject under it (domain.md §2)
        meta.doc_type, meta.title = "Công văn", subject
    if meta.doc_type is None and meta.symbol:
        meta.doc_type = _type_from_symbol(meta.symbol)
    _draft_warnings(doc, meta)
    meta.signer = _signer(doc)
    if meta.signer is None and doc.ocr and _signature_start(doc) is not None:
        doc.warnings.append(
            "Không đọc được tên người ký dưới chức danh ký trên bản quét (chữ ký tay, dấu tên hoặc chữ kiểu), để trống"
            " / the signer's name under the signature title could not be read on the scan (a handwritten signature,"
            " a name stamp or a script font): signer left NULL"
        )
    source = meta.title or ""
    campaign = CAMPAIGN.search(source)
    period = parse_period(NOT_PERIOD.sub(" ", source)) if source else None
    if period:
        meta.period, meta.period_start, meta.period_end = period
    elif campaign:
        meta.period = campaign.group(0)
    if doc.ocr:
        _repair_ocr_fields(doc, meta)
    return meta


def _repair_ocr_fields(doc: Document, meta: ReportMetadata) -> None:
    """Tesseract's diacritic misreadings in an OCRed document's header fields ("vận chuyền" for "vận chuyển":
    rules/ocr.yaml ``correction``); the blocks keep the raw OCR text and a warning lists what was changed."""
    cfg = load_rules("ocr.yaml").get("correction") or {}
    for name in cfg.get("fields") or ():
        value = getattr(meta, name)
        changes = repairs(value or "", known_names(), real_word_ratio=cfg.get("real_word_ratio"))
        if not changes:
            continue
        setattr(meta, name, apply_changes(value, changes))
        listed = ", ".join(f"'{c.old}' → '{c.new}'" for c in changes)
        doc.warnings.append(f"Sửa dấu đọc sai của OCR trong trường {name}: {listed} / OCR diacritic misreadings "
                            f"repaired in {name} (raw OCR text kept in the document's blocks)")


@functools.cache
def known_names() -> NameIndex:
    """The proper names an OCRed header field is re-marked by as a whole (rules/ocr.yaml ``correction``): the
    provinces of rules/gazetteer.yaml (full, short and 2025 names) and the bodies of rules/issuers.yaml."""
    names: set[str] = set()
    for full, info in load_rules("gazetteer.yaml")["provinces"].items():
        names.update(n for n in (full, info.get("short"), info.get("new")) if n)
    issuers = load_rules("issuers.yaml")
    names.update((issuers.get("codes") or {}).values())
    names.update(issuers.get("names") or ())
    return NameIndex.from_names(sorted(names))


def _draft_warnings(doc: Document, meta: ReportMetadata) -> None:
    """A draft sent for signing has a blank number ("Số:      /BC-UBND") or day ("ngày   tháng   năm 2025"): the
    values stay NULL, and the document says why. A signed document is no draft: what its signatures give or cannot
    give is said by the signature fallback (_date_source)."""
    if doc.signatures:
        return
    if meta.symbol and not meta.number:
        doc.warnings.append(
            f"Số văn bản để trống (\"Số: /{meta.symbol}\"): bản dự thảo hoặc chưa cấp số; number left NULL "
            "(blank number on the number line: a draft or an unnumbered copy)."
        )
    if meta.place and meta.issued_date is None:
        doc.warnings.append(
            "Ngày ban hành để trống (\"ngày … tháng … năm …\"): issued_date left NULL (blank day on the date line)."
        )
