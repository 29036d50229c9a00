"""Report metadata of the five real reports, the same from every format that reads them."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.pipeline import read

EXPECTED = {
    "binh-son-6-thang-2023": dict(
        doc_type="Báo cáo", number=None, symbol="BC-TCTĐA06", issuer="Tổ Công tác Đề án 06 huyện Bình Sơn",
        place="Bình Sơn", issued_date=None, period="06 tháng đầu năm 2023", period_start=date(2023, 1, 1),
        period_end=date(2023, 6, 30),
        title="Kết quả thực hiện Đề án 06 trên địa bàn huyện Bình Sơn trong 06 tháng đầu năm 2023",
        signer="Nguyễn Tường Duy",
    ),
    "nga-bay-2022": dict(
        doc_type="Báo cáo", number=None, symbol="BC-UBND", issuer="UBND thành phố Ngã Bảy", place="Ngã Bảy",
        issued_date=None, period="năm 2022", period_start=date(2022, 1, 1), period_end=date(2022, 12, 31),
        title="Tình hình, kết quả thực hiện Đề án “Phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện "
        "tử phục vụ chuyển đối số quốc gia giai đoạn 2022 - 2025, tầm nhìn đến năm 2030” năm 2022 trên địa bàn "
        "thành phố Ngã Bảy",
        signer=None,
    ),
    "tuyen-quang-cao-diem-2023": dict(
        doc_type="Báo cáo", number="154", symbol="BC-CAT-QLHC", issuer="Công an tỉnh Tuyên Quang",
        place="Tuyên Quang", issued_date=date(2023, 1, 8), period='đợt cao điểm "90 ngày, đêm"', period_start=None,
        period_end=None, signer="Đại tá Đỗ Tiến Thùy",
    ),
    "son-tra-2024": dict(
        doc_type="Báo cáo", number=None, symbol="BC-TCTĐA06", issuer="Tổ Công tác Đề án 06/CP xã Sơn Trà",
        place="Sơn Trà", issued_date=date(2025, 3, 17), period="năm 2024", period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        title="Kết quả thực hiện Đề án 06/CP năm 2024 và triển khai phương hướng, nhiệm vụ năm 2025",
        signer="Hồ Văn Thịnh",
    ),
    "de-cuong-so-ket-lam-dong-2023": dict(
        doc_type="Đề cương báo cáo", number=None, symbol=None, issuer=None, place=None, issued_date=None,
        period="02 năm (2022-2023)", period_start=date(2022, 1, 1), period_end=date(2023, 12, 31),
        title="Sơ kết 02 năm (2022-2023) triển khai, thực hiện Đề án 06", signer=None,
    ),
}
FORMATS = {"docx": "docx/{}.docx", "pdf": "pdf/{}.pdf", "text": "text/{}.txt"}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", list(EXPECTED))
def test_metadata(shared_corpus, name, fmt):
    doc = read(shared_corpus / FORMATS[fmt].format(name))
    got = {field: getattr(doc.metadata, field) for field in EXPECTED[name]}
    assert got == EXPECTED[name]


def test_tuyen_quang_title_stops_before_the_incoming_mail_stamp(shared_corpus):
    doc = read(shared_corpus / "docx" / "tuyen-quang-cao-diem-2023.docx")
    assert doc.metadata.title.startswith('Kết quả triển khai thực hiện đợt cao điểm "90 ngày, đêm"')
    assert doc.metadata.title.endswith("Đề án 06 của Chính phủ trên địa bàn tỉnh Tuyên Quang")
    assert "SỞ TƯ PHÁP" not in doc.metadata.title
