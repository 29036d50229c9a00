"""Input formats: recognise a file by its bytes (never its extension) and parse it into the document model.

Each format module exposes ``parse(data: bytes, path: str | None) -> Document`` returning blocks and footnotes with
their *original* text; normalisation and segmentation happen afterwards (``extractor.pipeline``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from ..errors import EmptyDocument, UnsupportedFormat
from ..model import Document

# What a file's leading bytes say it is: (magic, format, human description)
_MAGIC: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "pdf", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "an OLE compound file"),
    (b"\x89PNG\r\n\x1a\n", "png", "a PNG image"),
    (b"\xff\xd8\xff", "jpeg", "a JPEG image"),
    (b"GIF87a", "gif", "a GIF image"),
    (b"GIF89a", "gif", "a GIF image"),
    (b"II*\x00", "tiff", "a TIFF image"),
    (b"MM\x00*", "tiff", "a TIFF image"),
    (b"BM", "bmp", "a BMP image"),
    (b"{\\rtf", "rtf", "an RTF document"),
    (b"Rar!\x1a\x07", "rar", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "a 7-Zip archive"),
    (b"\x1f\x8b", "gzip", "a gzip archive"),
    (b"PK\x03\x04", "zip", "a ZIP archive"),
    (b"PK\x05\x06", "zip", "an empty ZIP archive"),
]

DESCRIPTIONS = {fmt: desc for _, fmt, desc in _MAGIC}


def _ole_kind(data: bytes) -> str:
    """An OLE file is a Word 97-2003 .doc, an encrypted OOXML package, or something else (xls, msg ...)."""
    try:
        import olefile  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - olefile ships with the project's dependencies
        return "doc" if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data else "ole"
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return "encrypted-ooxml"
            if ole.exists("WordDocument"):
                return "doc"
    except Exception:
        return "ole"
    return "ole"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        # a truncated Word package still shows its part names in the first local headers
        return "corrupt-docx" if b"word/" in data[:65536] else "corrupt-zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "content.xml" in names and "mimetype" in names:
        return "odf"
    return "zip"


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as err:
        if err.start >= len(sample) - 4:  # a multi-byte character cut by the sample boundary
            return True
    # 8-bit legacy text (TCVN3, VNI, Windows-1258): mostly printable bytes
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return control / max(1, len(sample)) < 0.01


def _utf16_text(data: bytes) -> str | None:
    """The start of a UTF-16 text export (with a byte-order mark, or without one: the zero high bytes of ASCII
    characters at every other position), or None when the bytes are not UTF-16 text. Such files hold NUL bytes, so
    the UTF-8 test above rejects them; Notepad's "Unicode" save writes them."""
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if max(odd, even) < len(sample) // 4 or min(odd, even) > len(sample) // 20:
            return None  # zeros on both sides: binary, not the high bytes of text
        encoding = "utf-16-le" if odd >= even else "utf-16-be"
    else:
        return None
    text = sample[: len(sample) // 2 * 2].decode(encoding, errors="replace")
    if not text:
        return None
    bad = sum(1 for ch in text if ch == "\ufffd" or (not ch.isprintable() and ch not in "\t\n\r\f\ufeff"))
    return text if bad <= len(text) // 100 and any(ch.isalpha() for ch in text) else None


def _text_kind(data: bytes | str) -> str:
    head = data if isinstance(data, str) else data[:200000].decode("utf-8", errors="replace")
    markdown_signals = ("<sup>", "**", "\n# ", "\n## ", "\n---")
    return "md" if any(sig in head for sig in markdown_signals) else "txt"


def sniff(data: bytes) -> str:
    """The format the bytes are: docx, pdf, doc, txt, md, or a name for what docmine does not read."""
    if not data:
        return "empty"
    for magic, fmt, _ in _MAGIC:
        if data.startswith(magic):
            if fmt == "zip":
                return _zip_kind(data)
            if fmt == "ole":
                return _ole_kind(data)
            return fmt
    # a PDF header may follow some junk (allowed within the first 1024 bytes)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    utf16 = _utf16_text(data)
    if utf16 is not None:
        return _text_kind(utf16)
    if _looks_like_text(data):
        stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not stripped:
            return "empty"
        if stripped[:5].lower() in (b"<html", b"<!doc"):
            return "html"
        return _text_kind(data)
    return "unknown"


_WHAT_TO_DO = {
    "empty": "The file is empty (0 bytes or only whitespace): re-export or re-send the report.",
    "png": "It is a PNG image, not a report: if it is a scanned page, combine the pages into a PDF and ingest that.",
    "jpeg": "It is a JPEG image, not a report: if it is a scanned page, combine the pages into a PDF and ingest that.",
    "gif": "It is a GIF image, not a report.",
    "tiff": "It is a TIFF image: convert the scanned pages to a PDF and ingest that.",
    "bmp": "It is a BMP image, not a report.",
    "zip": "It is a ZIP archive that is not a Word document: extract it and ingest the files inside.",
    "corrupt-docx": "It is a Word (DOCX) package, but damaged or truncated (the ZIP archive cannot be opened): ask "
    "the sender for the file again, or open it in Word and use 'Open and Repair'.",
    "corrupt-zip": "It starts like a ZIP/DOCX package but the archive is damaged or truncated: ask the sender for "
    "the file again.",
    "rar": "It is a RAR archive: extract it and ingest the files inside.",
    "7z": "It is a 7-Zip archive: extract it and ingest the files inside.",
    "gzip": "It is a gzip archive: extract it and ingest the file inside.",
    "xlsx": "It is an Excel workbook, not a report: docmine reads DOCX, DOC, PDF and text exports.",
    "pptx": "It is a PowerPoint presentation, not a report.",
    "odf": "It is an OpenDocument file: convert it to DOCX or PDF (LibreOffice) and ingest that.",
    "rtf": "It is an RTF document: open it in Word or LibreOffice, save as DOCX, and ingest that.",
    "html": "It is an HTML page: save the report as DOCX or PDF and ingest that.",
    "ole": "It is an OLE compound file that is not a Word document (perhaps an old Excel file or e-mail).",
    "encrypted-ooxml": "It is a password-protected Office document: ask the sender for an unprotected copy.",
    "unknown": "Its bytes match no format docmine reads (DOCX, DOC, PDF, TXT/MD): check that the file is a report "
    "and not damaged.",
}


def describe_unsupported(fmt: str) -> str:
    return _WHAT_TO_DO.get(fmt, f"Format {fmt!r} is not supported.")


Parser = Callable[[bytes, "str | None"], Document]


def parser_for(fmt: str) -> Parser:
    """The parse function for a sniffed format; raises UnsupportedFormat with advice for anything else."""
    if fmt == "docx":
        from .docx import parse as parse_docx

        return parse_docx
    if fmt == "pdf":
        from .pdf import parse as parse_pdf

        return parse_pdf
    if fmt in ("txt", "md"):
        from .text import parse as parse_text

        return parse_text
    if fmt == "doc":
        from .doc import parse as parse_doc  # Word 97-2003 through LibreOffice (MissingTool when it is absent)

        return parse_doc
    if fmt == "empty":
        raise EmptyDocument(describe_unsupported(fmt))
    if fmt in ("corrupt-docx", "corrupt-zip"):
        from ..errors import CorruptDocument

        raise CorruptDocument(describe_unsupported(fmt))
    if fmt == "encrypted-ooxml":
        from ..errors import EncryptedDocument

        raise EncryptedDocument(describe_unsupported(fmt))
    raise UnsupportedFormat(describe_unsupported(fmt))


def parse_bytes(data: bytes, path: str | None = None) -> Document:
    """Sniff and parse; the returned Document still needs ``pipeline.prepare`` (normalise, segment, metadata)."""
    fmt = sniff(data)
    doc = parser_for(fmt)(data, path)
    doc.format = doc.format or fmt
    doc.path = path
    return doc
