"""Reading PDF signature dictionaries (extractor/formats/pdf/signatures.py): dates, PDF strings, and files without
signatures. The real e-signed PDFs are in tests/test_real_pdf.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pypdfium2 as pdfium
from hypothesis import given
from hypothesis import strategies as st

from extractor.formats.pdf.signatures import _der_length, _entry, _literal, _top_level, pdf_datetime, read_signatures


def test_pdf_dates():
    assert pdf_datetime("D:20260110095958+07'00'") == datetime(2026, 1, 10, 9, 59, 58,
                                                               tzinfo=timezone(timedelta(hours=7)))
    assert pdf_datetime("D:20250709140022Z") == datetime(2025, 7, 9, 14, 0, 22, tzinfo=UTC)
    assert pdf_datetime("D:2025") == datetime(2025, 1, 1)
    assert pdf_datetime("D:20251345") is None  # month 13
    assert pdf_datetime("") is None and pdf_datetime("yesterday") is None


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)),
       st.integers(min_value=-11, max_value=12))
def test_pdf_dates_round_trip(moment, hours):
    moment = moment.replace(microsecond=0, tzinfo=timezone(timedelta(hours=hours)))
    sign = "+" if hours >= 0 else "-"
    text = f"D:{moment:%Y%m%d%H%M%S}{sign}{abs(hours):02d}'00'"
    assert pdf_datetime(text) == moment


def test_literal_strings_and_escapes():
    data = b"(a\\(b\\) (nested) \\101\\n)rest"
    raw, end = _literal(data, 0)
    assert raw == b"a(b) (nested) A\n" and data[end:] == b"rest"
    utf16 = "Lào Cai".encode("utf-16-be")
    assert _entry(b"/Location(\xfe\xff" + utf16.replace(b"(", b"\\(") + b")/M(D:2026)", b"Location") == "Lào Cai"
    assert _entry(b"/Reason<FEFF004C00E0006F>", b"Reason") == "Lào"
    assert _entry(b"/Reason()", b"Reason") is None
    assert _entry(b"/Name(x)", b"Location") is None


def test_nested_dictionaries_are_not_the_signatures_own_entries():
    d = b"obj <</Type/Sig/Prop_Build<</App<</Name(iText)>>>>/M(D:2026)>>"
    assert _entry(_top_level(d), b"Name") is None
    assert _entry(_top_level(b"<</Name(Nguyen Van A)/Prop_Build<</App<</Name(iText)>>>>>>"), b"Name") == "Nguyen Van A"


def test_der_length_drops_the_zero_padding():
    assert _der_length(b"\x30\x03abc" + b"\x00" * 10) == 5
    assert _der_length(b"\x30\x82\x01\x00" + b"x" * 256 + b"\x00" * 4) == 260


def test_an_unsigned_pdf_has_no_signatures():
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    import io

    buf = io.BytesIO()
    pdf.save(buf)
    data = buf.getvalue()
    assert read_signatures(pdfium.PdfDocument(data), data) == []


def _dated(line: str, signed: datetime | None, covers: bool = True):
    from extractor.model import Block, Document, Signature
    from extractor.prepare.metadata import extract_metadata

    doc = Document(format="pdf", blocks=[Block(original=line, text=line, in_header=True, col=1)],
                   signatures=[Signature(index=0, signed_at=signed, covers_whole_file=covers)] if signed else [])
    return extract_metadata(doc), doc.warnings


def test_the_signing_time_fills_a_blank_day_only_when_month_and_year_agree():
    vn = timezone(timedelta(hours=7))
    meta, warnings = _dated("Lào Cai, ngày tháng 7 năm 2026", datetime(2026, 7, 17, 16, 10, tzinfo=vn))
    assert (meta.issued_date, meta.issued_date_source) == (datetime(2026, 7, 17).date(), "signature")
    assert len(warnings) == 1
    # signed in another month than the date line shows: no date rather than a wrong one
    meta, warnings = _dated("Lào Cai, ngày tháng 8 năm 2026", datetime(2026, 7, 17, 16, 10, tzinfo=vn))
    assert (meta.issued_date, meta.issued_date_source, warnings) == (None, None, [])
    meta, _ = _dated("Lào Cai, ngày tháng năm 2025", datetime(2026, 1, 2, tzinfo=vn))
    assert meta.issued_date is None
    # a date on the line wins over any signature
    meta, warnings = _dated("Lào Cai, ngày 09 tháng 7 năm 2026", datetime(2026, 7, 17, tzinfo=vn))
    assert (meta.issued_date, meta.issued_date_source, warnings) == (datetime(2026, 7, 9).date(), "text", [])
    # no signature: nothing to fall back on
    meta, _ = _dated("Lào Cai, ngày tháng 7 năm 2026", None)
    assert (meta.issued_date, meta.issued_date_source) == (None, None)
