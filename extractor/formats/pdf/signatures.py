"""Digital signatures of a PDF (chữ ký số, Nghị định 30/2020): who signed, for which body, when, and whether the
signed bytes are the whole file.

Read offline, with no validation of the certificate chain: pdfium lists the signature dictionaries (``/Contents``,
``/ByteRange``, ``/M``, ``/Reason``), the PKCS#7 blob is parsed with ``cryptography`` for the signer's certificate
(its subject: CN, O, OU, e-mail), and what pdfium does not expose (``/Location``, ``/Name``, the field's ``/T``) is
read from the signature dictionary's own bytes, which the PDF format keeps uncompressed at a known offset (the
``/ByteRange`` gap). The field that holds each signature is found through its ``/V`` reference, in the file's
objects or in its compressed object streams.

The e-office systems sign a document several times: the person who signs (an individual certificate) and then the
office's seal (an organisation certificate) on the number, on the day and on the signature block; only the last
signature's byte range covers the whole file, the earlier ones cover the file as it was when they were made.
"""

from __future__ import annotations

import ctypes
import warnings
import zlib
from datetime import UTC, datetime, timedelta, timezone

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import regex

from ...model import Signature

__all__ = ["Signature", "pdf_datetime", "place", "read_signatures"]


# "D:20260110095958+07'00'"
_PDF_DATE = regex.compile(
    r"D:(?P<y>\d{4})(?P<mo>\d{2})?(?P<d>\d{2})?(?P<h>\d{2})?(?P<mi>\d{2})?(?P<s>\d{2})?"
    r"(?:(?P<z>Z)|(?P<sign>[+-])(?P<oh>\d{2})'?(?P<om>\d{2})?'?)?"
)


def pdf_datetime(text: str | None) -> datetime | None:
    """A PDF date string ("D:20260110095958+07'00'") as a datetime (aware when it gives its offset)."""
    if not text:
        return None
    m = _PDF_DATE.search(text)
    if not m:
        return None
    tz = None
    if m.group("z"):
        tz = UTC
    elif m.group("sign"):
        delta = timedelta(hours=int(m.group("oh")), minutes=int(m.group("om") or 0))
        tz = timezone(delta if m.group("sign") == "+" else -delta)
    try:
        return datetime(int(m.group("y")), int(m.group("mo") or 1), int(m.group("d") or 1), int(m.group("h") or 0),
                        int(m.group("mi") or 0), int(m.group("s") or 0), tzinfo=tz)
    except ValueError:
        return None


# -- pdfium's signature objects -------------------------------------------------------------------------------------


def _bytes(getter, obj) -> bytes:
    n = getter(obj, None, 0)
    if n <= 0:
        return b""
    buf = ctypes.create_string_buffer(n)
    getter(obj, buf, n)
    return buf.raw[:n]


def _byte_range(obj) -> tuple[int, ...]:
    n = pdfium_c.FPDFSignatureObj_GetByteRange(obj, None, 0)
    if n <= 0:
        return ()
    arr = (ctypes.c_int * n)()
    pdfium_c.FPDFSignatureObj_GetByteRange(obj, arr, n)
    return tuple(arr)


def _reason(obj) -> str | None:
    raw = _bytes(pdfium_c.FPDFSignatureObj_GetReason, obj)
    text = raw.decode("utf-16-le", "replace").rstrip("\x00").strip()
    return text or None


def _ascii(raw: bytes) -> str | None:
    text = raw.rstrip(b"\x00").decode("latin-1").strip()
    return text or None


# -- the PKCS#7 blob -----------------------------------------------------------------------------------------------


def _der_length(blob: bytes) -> int:
    """Length of the DER value at the start of ``blob`` (header included): /Contents is padded with zeros."""
    if len(blob) < 2 or blob[0] != 0x30:
        return len(blob)
    first = blob[1]
    if first < 0x80:
        return 2 + first
    n = first & 0x7F
    if n == 0 or len(blob) < 2 + n:  # indefinite length (BER): let the parser find the end
        return len(blob)
    return 2 + n + int.from_bytes(blob[2 : 2 + n], "big")


def _attribute(name, oid) -> str | None:
    values = [a.value for a in name.get_attributes_for_oid(oid)]
    return ", ".join(str(v) for v in values) if values else None


def _signer_certificate(certs):
    """The end-entity certificate: not a CA, and not the issuer of another certificate in the blob."""
    from cryptography import x509

    def is_ca(cert) -> bool:
        try:
            return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
        except x509.ExtensionNotFound:
            return False

    issuers = {c.issuer.rfc4514_string() for c in certs if c.issuer != c.subject}  # roots issue themselves
    leaves = [c for c in certs if not is_ca(c) and c.subject.rfc4514_string() not in issuers]
    return (leaves or certs)[0]


def _read_pkcs7(blob: bytes, sig: Signature) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    blob = blob[: _der_length(blob)]
    try:
        with warnings.catch_warnings():  # BER fallbacks and over-long attributes of Vietnamese CAs' certificates
            warnings.simplefilter("ignore")
            certs = pkcs7.load_der_pkcs7_certificates(blob)
            if not certs:
                sig.error = "the signature holds no certificate"
                return
            cert = _signer_certificate(certs)
            subject = cert.subject
            sig.subject = subject.rfc4514_string()
            sig.signer = _attribute(subject, NameOID.COMMON_NAME)
            sig.organisation = _attribute(subject, NameOID.ORGANIZATION_NAME)
            sig.unit = _attribute(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)
            sig.email = _attribute(subject, NameOID.EMAIL_ADDRESS)
            sig.cert_issuer = _attribute(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string()
    except (ValueError, TypeError) as err:  # not PKCS#7 (a timestamp-only or damaged blob)
        sig.error = f"the signature's PKCS#7 data could not be read: {err}"


# -- the raw signature dictionary --------------------------------------------------------------------------------

_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """The bytes of the PDF literal string opening at ``data[start] == '('``, escapes resolved; and its end."""
    out = bytearray()
    depth, i = 0, start
    while i < len(data):
        ch = data[i]
        if ch == 0x5C and i + 1 < len(data):  # backslash
            nxt = data[i + 1]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
            elif 0x30 <= nxt <= 0x37:
                j = i + 1
                while j < min(i + 4, len(data)) and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i + 1 : j], 8) & 0xFF)
                i = j
            elif nxt in (0x0A, 0x0D):  # a line continuation
                i += 2
            else:
                out.append(nxt)
                i += 2
            continue
        if ch == 0x28:
            depth += 1
            if depth > 1:
                out.append(ch)
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return bytes(out), i


def _text_string(raw: bytes) -> str:
    """A PDF text string: UTF-16BE with its byte-order mark, UTF-8 with its BOM, else PDFDocEncoding (~Latin-1)."""
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _entry(dictionary: bytes, key: bytes) -> str | None:
    """The text string value of ``/key`` in the raw bytes of one dictionary (literal or hex string)."""
    m = regex.search(rb"/" + key + rb"\s*([(<])", dictionary)
    if not m:
        return None
    if m.group(1) == b"(":
        raw, _ = _literal(dictionary, m.start(1))
    else:
        end = dictionary.find(b">", m.end(1))
        hexdigits = regex.sub(rb"\s+", b"", dictionary[m.end(1) : end if end > 0 else len(dictionary)])
        try:
            raw = bytes.fromhex((hexdigits + b"0" * (len(hexdigits) % 2)).decode("ascii"))
        except ValueError:
            return None
    text = _text_string(raw).strip()
    return text or None


def _top_level(dictionary: bytes) -> bytes:
    """The bytes of a dictionary without its nested dictionaries (/Prop_Build has its own /Name)."""
    out, depth, i = bytearray(), 0, 0
    while i < len(dictionary):
        pair = dictionary[i : i + 2]
        if pair == b"<<":
            depth += 1
            i += 2
            continue
        if pair == b">>":
            depth -= 1
            i += 2
            continue
        if depth <= 1:
            out.append(dictionary[i])
        i += 1
    return bytes(out)


_OBJ_HEADER = regex.compile(rb"(\d+)\s+(\d+)\s+obj\b")


def _sig_dictionary(data: bytes, byte_range: tuple[int, ...]) -> tuple[bytes, int | None]:
    """The raw bytes of the signature dictionary around the /Contents gap, and its object number."""
    if len(byte_range) < 4:
        return b"", None
    gap_start, gap_end = byte_range[0] + byte_range[1], byte_range[2]
    head = data.rfind(b"obj", max(0, gap_start - 20000), gap_start)
    tail = data.find(b"endobj", gap_end, gap_end + 20000)
    if head < 0:
        return b"", None
    # the dictionary without the signature's hex blob (it may hold any bytes)
    dictionary = data[head:gap_start] + data[gap_end : tail if tail > 0 else gap_end + 4000]
    number = None
    for m in _OBJ_HEADER.finditer(data, max(0, head - 40), head + 3):
        number = int(m.group(1))
    return dictionary, number


_STREAM = regex.compile(rb"/Type\s*/ObjStm\b.{0,400}?stream\r?\n", regex.DOTALL)
_FIELD_V = regex.compile(rb"/V\s+(\d+)\s+\d+\s+R")


def _object_streams(data: bytes) -> list[bytes]:
    out = []
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            continue
        try:
            out.append(zlib.decompressobj().decompress(data[m.end() : end]))
        except zlib.error:
            continue
    return out


def _dictionaries(data: bytes):
    """The raw bytes of every outermost ``<< … >>`` dictionary holding a ``/V n g R`` reference."""
    for m in _FIELD_V.finditer(data):
        # walk back to the dictionary's opening "<<" at depth 0
        depth, i = 0, m.start()
        while i > 0 and i > m.start() - 4000:
            if data[i - 1 : i + 1] == b">>":
                depth += 1
                i -= 2
                continue
            if data[i - 1 : i + 1] == b"<<":
                if depth == 0:
                    break
                depth -= 1
                i -= 2
                continue
            i -= 1
        start = i - 1
        depth, j = 0, start
        while j < len(data) - 1 and j < start + 8000:
            pair = data[j : j + 2]
            if pair == b"<<":
                depth += 1
                j += 2
            elif pair == b">>":
                depth -= 1
                j += 2
                if depth == 0:
                    break
            else:
                j += 1
        yield int(m.group(1)), data[start:j]


def _field_names(data: bytes) -> dict[int, str]:
    """Signature dictionary object number → the name (/T) of the field whose value (/V) it is."""
    names: dict[int, str] = {}
    for chunk in [data, *_object_streams(data)]:
        if b"/V" not in chunk:
            continue
        for number, dictionary in _dictionaries(chunk):
            if b"/T" not in dictionary or number in names:
                continue
            name = _entry(dictionary, b"T")
            if name:
                names[number] = name
    return names


def _widget_pages(pdf: pdfium.PdfDocument) -> dict[str, int]:
    """Signature field name → page (1-based) of its widget."""
    pages: dict[str, int] = {}
    form = pdf.formenv.raw if getattr(pdf, "formenv", None) else None
    if form is None:
        return pages
    for i in range(len(pdf)):
        page = pdf[i]
        try:
            for k in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
                annot = pdfium_c.FPDFPage_GetAnnot(page.raw, k)
                try:
                    if pdfium_c.FPDFAnnot_GetFormFieldType(form, annot) != pdfium_c.FPDF_FORMFIELD_SIGNATURE:
                        continue
                    n = pdfium_c.FPDFAnnot_GetFormFieldName(form, annot, None, 0)
                    buf = (ctypes.c_ushort * max(1, n // 2))()
                    pdfium_c.FPDFAnnot_GetFormFieldName(form, annot, buf, n)
                    name = bytes(memoryview(buf).cast("B")).decode("utf-16-le", "replace").rstrip("\x00")
                    pages.setdefault(name, i + 1)
                finally:
                    pdfium_c.FPDFPage_CloseAnnot(annot)
        finally:
            page.close()
    return pages


def read_signatures(pdf: pdfium.PdfDocument, data: bytes, find_pages: bool = True) -> list[Signature]:
    """Every signature of an open PDF (``data``: its bytes), in the order of the document's form. Call it before
    flattening any page (flattening removes the form). With ``find_pages`` the page of each field's widget is
    looked up on a second handle; without, the caller sets it (``place``) from the widgets it read itself."""
    count = pdfium_c.FPDF_GetSignatureCount(pdf.raw)
    if count <= 0:
        return []
    out: list[Signature] = []
    names = _field_names(data)
    for i in range(count):
        obj = pdfium_c.FPDF_GetSignatureObject(pdf.raw, i)
        sig = Signature(index=i, byte_range=_byte_range(obj))
        sig.sub_filter = _ascii(_bytes(pdfium_c.FPDFSignatureObj_GetSubFilter, obj))
        sig.signed_at = pdf_datetime(_ascii(_bytes(pdfium_c.FPDFSignatureObj_GetTime, obj)))
        sig.reason = _reason(obj)
        br = sig.byte_range
        # the signed bytes are [0, a) and [b, b + c): the whole file when they start at 0 and end at its last byte
        sig.covers_whole_file = len(br) == 4 and br[0] == 0 and br[2] + br[3] == len(data)
        _read_pkcs7(_bytes(pdfium_c.FPDFSignatureObj_GetContents, obj), sig)
        dictionary, number = _sig_dictionary(data, br)
        if dictionary:
            dictionary = _top_level(dictionary)
            sig.location = _entry(dictionary, b"Location")
            sig.name = _entry(dictionary, b"Name")
        if number is not None:
            sig.field = names.get(number)
        out.append(sig)
    if find_pages and any(s.field for s in out):
        place(out, _widget_pages_of(data))
    return out


def place(signatures: list[Signature], widgets: dict[str, int]) -> None:
    """Set each signature's page from field name → page of its widget."""
    for s in signatures:
        s.page = widgets.get(s.field or "")


def _widget_pages_of(data: bytes) -> dict[str, int]:
    """Field name → page, from a second handle on the file (a form environment must exist before any page is
    loaded, and the caller's handle has loaded its pages)."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return {}
    try:
        pdf.init_forms()
        return _widget_pages(pdf)
    except pdfium.PdfiumError:
        return {}
    finally:
        pdf.close()
