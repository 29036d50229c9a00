"""Header values that wrap over several lines in genuine documents (corpus/real/, read off the rendered first page):
a Công văn's "V/v …" subject, an issuer's long name, a Kế hoạch's or Thông báo's subject in capitals."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import api
from extractor.model import Block, Document
from extractor.prepare.metadata import extract_metadata

REAL = Path(__file__).resolve().parent.parent / "corpus" / "real"


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        # three lines in the left column under "Số: 193 /UBND-KT"
        ("lc-cv193-ubnd.pdf", "tăng cường công tác quản lý, giám sát hoạt động VLNCN, TCTN trên địa bàn tỉnh"),
        (
            "bct-cv1178-dck.pdf",
            "hướng dẫn về công tác quản lý, phát triển cụm công nghiệp theo địa giới hành chính mới",
        ),
        # six lines, holding a citation and a date
        (
            "lc-cv7432-ubnd.pdf",
            "triển khai thực hiện Quyết định số 1074/QĐ-BXD ngày 29/6/2026 của Bộ Xây dựng ban hành các giải pháp kỹ "
            "thuật nâng cao an toàn phòng cháy, chữa cháy đối với các cơ sở, công trình không bảo đảm yêu cầu về "
            "phòng cháy và chữa cháy",
        ),
        # two lines; the right column (national motto, date line) comes after it in reading order
        ("lc-cv6791-snnmt.pdf", "tham gia ý kiến thẩm định hồ sơ đề nghị thành lập cụm công nghiệp Báo Đáp"),
    ],
)
def test_wrapped_subject_of_a_cong_van(name: str, subject: str) -> None:
    meta = api.read(REAL / name).metadata
    assert meta.doc_type == "Công văn"
    assert meta.title == subject


def test_issuer_name_wrapped_over_three_lines_is_one_level() -> None:
    # "BỘ CÔNG THƯƠNG" / "CỤC ĐỔI MỚI SÁNG TẠO," / "CHUYỂN ĐỔI XANH VÀ" / "KHUYẾN CÔNG"
    meta = api.read(REAL / "bct-cv1178-dck.pdf").metadata
    assert meta.issuer == "BỘ CÔNG THƯƠNG - CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG"


def test_issuer_levels_stay_levels() -> None:
    # two bodies, one under the other: not a wrapped name
    assert api.read(REAL / "lc-cv6791-snnmt.pdf").metadata.issuer == "UBND TỈNH LÀO CAI - SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"


def test_subject_in_capitals_holding_den_nam() -> None:
    # "ĐẾN NĂM 2030" in a Kế hoạch's subject is not the incoming-mail stamp "ĐẾN"
    meta = api.read(REAL / "tvpl-kh153-cantho.md").metadata
    assert meta.doc_type == "Kế hoạch"
    assert meta.title == (
        "TRIỂN KHAI, THỰC HIỆN CÁC DỰ ÁN, TIỂU DỰ ÁN THUỘC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA PHÒNG, CHỐNG MA TÚY ĐẾN "
        "NĂM 2030 TRÊN ĐỊA BÀN THÀNH PHỐ"
    )


def test_subject_in_capitals_split_after_one_word() -> None:
    # the portal copy breaks "KẾT" / "LUẬN PHIÊN HỌP …"
    meta = api.read(REAL / "tvpl-tb624-vpcp.md").metadata
    assert meta.doc_type == "Thông báo"
    assert meta.title == (
        "KẾT LUẬN PHIÊN HỌP LẦN THỨ NĂM CỦA BAN CHỈ ĐẠO CỦA CHÍNH PHỦ VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI "
        "SÁNG TẠO, CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06"
    )


def _doc(*lines: str, header: int) -> Document:
    blocks = [Block(original=t, text=t, in_header=i < header, col=0 if i < header else None)
              for i, t in enumerate(lines)]
    return Document(format="text", blocks=blocks)


def test_incoming_stamp_is_not_a_title() -> None:
    lines = ("ỦY BAN NHÂN DÂN", "Số: 12/KH-UBND", "KẾ HOẠCH", "ĐẾN Số: 345", "Ngày: 03/4")
    meta = extract_metadata(_doc(*lines, header=2))
    assert meta.doc_type == "Kế hoạch"
    assert meta.title is None


def test_subject_stops_at_the_addressee() -> None:
    meta = extract_metadata(_doc("SỞ CÔNG THƯƠNG", "Số: 45/SCT-QLCN", "V/v góp ý dự thảo", "Kế hoạch năm 2026",
                                 "Kính gửi: Sở Tài chính", header=5))
    assert meta.title == "góp ý dự thảo Kế hoạch năm 2026"


def test_signer_of_a_scan_whose_seal_hides_the_title_lines() -> None:
    # page 2: the red seal covers "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"; OCR keeps only the name under it
    meta = api.read(REAL / "bct-cv2265-atmt.pdf").metadata
    assert meta.signer == "Trương Thanh Hoài"


def test_a_recipient_is_never_the_signer() -> None:
    lines = ("SỞ CÔNG THƯƠNG", "Số: 45/SCT-QLCN", "Nội dung.", "Nơi nhận:", "- Ông Nguyễn Văn An", "- Lưu: VT.")
    assert extract_metadata(_doc(*lines, header=2)).signer is None
    assert extract_metadata(_doc(*lines, "Lê Thị Hoa", header=2)).signer == "Lê Thị Hoa"
