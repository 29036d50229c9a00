"""Held-out check of figure extraction and audits (issue 4): sentences written for this test, NOT taken from any
corpus report, in the style of Vietnamese administrative progress reports (domain.md §5, §8).

Each case gives the text, every figure expected in it as (kind, value, numerator, denominator, stated_percent, unit)
-- a ratio's value is the computed percentage 100·x/y, a money value is in đồng -- and the audit finding kinds it
must raise (an empty list: a right sentence raises nothing). Traps (dates, document numbers, "quý II/2024", "24/7",
article numbers, phone numbers, year ranges) expect no figure at all.

``python tests/test_figures_unseen.py`` prints precision/recall of figures and ratios, and the false alarms.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.audit import part_whole_in_text, ratio_findings, table_findings
from extractor.extract.figures import figures_in_text
from extractor.model import Figure, Table

Expected = tuple[str, float | None, float | None, float | None, float | None, str | None]


def R(n: float, d: float, stated: float | None = None, unit: str | None = None) -> Expected:
    """A ratio x/y; its value is the computed percentage."""
    return ("ratio", 100.0 * n / d if d else None, n, d, stated, unit)


def P(stated: float, n: float | None = None, d: float | None = None) -> Expected:
    """A percentage, with its count and the base stated earlier when the text gives them."""
    return ("percent", stated, n, d, stated, "%")


def C(value: float, unit: str) -> Expected:
    return ("count", value, None, None, None, unit)


def M(value: float) -> Expected:
    return ("money", value, None, None, None, "đồng")


@dataclass
class Case:
    text: str
    figures: list[Expected]
    findings: list[str] = field(default_factory=list)


RM, PW = "ratio_mismatch", "part_whole_mismatch"

CASES: list[Case] = [
    # --- ratios, right and wrong -------------------------------------------------------------------------------
    Case("- Tỷ lệ hồ sơ giải quyết đúng hạn: 1.245/1.260 hồ sơ, đạt 98,81%.", [R(1245, 1260, 98.81, "hồ sơ")]),
    Case(
        "Toàn huyện có 18/21 xã, thị trấn đã triển khai mô hình điểm, đạt tỷ lệ 85,71%.",
        [R(18, 21, 85.71, "xã")],
    ),
    Case(
        "Số hóa kết quả giải quyết thủ tục hành chính: 3.412/3.500 hồ sơ (tỷ lệ 97,49%).",
        [R(3412, 3500, 97.49, "hồ sơ")],
    ),
    Case(
        "Đã cấp tài khoản định danh điện tử mức 2 cho 8.120/10.000 công dân, đạt tỷ lệ 85%.",
        [R(8120, 10000, 85, "công dân")],
        [RM],
    ),
    Case("- Thu nhận hồ sơ cấp Căn cước: 540/600 hồ sơ, tỷ lệ 95%.", [R(540, 600, 95, "hồ sơ")], [RM]),
    Case(
        "Kích hoạt 15.320 tài khoản/18.000 chỉ tiêu được giao, đạt 85,11%.",
        [R(15320, 18000, 85.11, "tài khoản")],
    ),
    Case(
        "- Tổng số tài khoản đã kích hoạt so với chỉ tiêu: 25.600 / 20.000 = 128%.",
        [R(25600, 20000, 128)],
    ),
    Case("+ Chi trả không dùng tiền mặt cho người có công: 03/12 (tỷ lệ 25%).", [R(3, 12, 25)]),
    Case("Đã hoàn thành việc gắn biển số nhà cho 12/12 ấp trên địa bàn xã.", [R(12, 12, None, "ấp")]),
    Case("+ Rà soát dữ liệu công dân sai định dạng: 05/08.", [R(5, 8)]),
    Case("- Xã Tân Phú: 2.350/2.400 hồ sơ, đạt 97.92%.", [R(2350, 2400, 97.92, "hồ sơ")]),
    Case(
        "Cấp đổi giấy phép lái xe trực tuyến 312/320 trường hợp, đạt tỷ lệ 97,5%.",
        [R(312, 320, 97.5, "trường hợp")],
    ),
    Case("Số hóa 2.351/3.000 hồ sơ, đạt 78,3%.", [R(2351, 3000, 78.3, "hồ sơ")]),  # 78.37 truncated
    Case("Cấp 450/500 thẻ Căn cước, đạt 91%.", [R(450, 500, 91, "thẻ")], [RM]),  # exactly 90%
    Case(
        "Các cơ sở khám chữa bệnh đã đạt 100% (35/35 cơ sở) sử dụng thẻ Căn cước thay thẻ bảo hiểm y tế.",
        [R(35, 35, 100, "cơ sở")],
    ),
    Case("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 96,5% (193/200 hồ sơ).", [R(193, 200, 96.5, "hồ sơ")]),
    Case(
        "Tỷ lệ giải quyết trực tuyến của Bảo hiểm xã hội huyện đạt 98% (147/160 hồ sơ).",
        [R(147, 160, 98, "hồ sơ")],
        [RM],
    ),
    Case("- Cư trú: 45/45, tỷ lệ 100%; Căn cước: 30/32, tỷ lệ 93,75%.", [R(45, 45, 100), R(30, 32, 93.75)]),
    Case(
        "Đã xác minh 120/150 trường hợp; tỷ lệ hồ sơ trực tuyến đạt 70%.",
        [R(120, 150, None, "trường hợp"), P(70)],
    ),
    Case("- Kích hoạt: 12.345 / 15.000 tài khoản (82,3%).", [R(12345, 15000, 82.3, "tài khoản")]),
    Case("Hoàn thành 07/10 nhiệm vụ được giao trong quý.", [R(7, 10, None, "nhiệm vụ")]),
    Case(
        "Đối với 11/11 xã, thị trấn (gồm 09 xã và 02 thị trấn) đã triển khai thu phí không dùng tiền mặt.",
        [R(11, 11, None, "xã"), C(9, "xã"), C(2, "thị trấn")],
    ),
    # --- percentages, with their base stated earlier -----------------------------------------------------------
    Case(
        "Tổng số người trong độ tuổi lao động trên địa bàn là 4.500 người, trong đó đã cập nhật thông tin "
        "3.960 người, chiếm tỷ lệ 88%.",
        [C(4500, "người"), P(88, 3960, 4500)],
    ),
    Case(
        "Trên địa bàn có 1.250 hộ kinh doanh; đã có 1.000 hộ thanh toán không dùng tiền mặt, đạt 80%.",
        [C(1250, "hộ"), P(80, 1000, 1250)],
    ),
    Case("Tổng số 2.000 hồ sơ; đã giải quyết 1.500 hồ sơ, đạt 80%.", [C(2000, "hồ sơ"), P(80, 1500, 2000)], [RM]),
    Case("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 65,4%.", [P(65.4)]),
    Case("Tỷ lệ người dân hài lòng với việc giải quyết thủ tục hành chính đạt 99.5%.", [P(99.5)]),
    Case("Phấn đấu 100% hồ sơ thủ tục hành chính được số hóa.", [P(100)]),
    # --- money ---------------------------------------------------------------------------------------------------
    Case("Tổng kinh phí thực hiện Đề án năm 2024 là 2,5 tỷ đồng.", [M(2_500_000_000)]),
    Case("Ngân sách huyện bố trí 350 triệu đồng để mua sắm máy tính cho Bộ phận một cửa.", [M(350_000_000)]),
    Case("Hỗ trợ mỗi xã 12.500.000 đồng để trang bị thiết bị đọc mã QR.", [M(12_500_000)]),
    Case("Kinh phí tiết kiệm được ước tính 1.200 triệu đồng.", [M(1_200_000_000)]),
    Case("Thu học phí không dùng tiền mặt đạt 4,75 tỷ đồng, chiếm 62% tổng số thu.", [M(4_750_000_000), P(62)]),
    Case("Hỗ trợ 500 nghìn đồng cho mỗi cộng tác viên.", [M(500_000)]),
    # --- counts --------------------------------------------------------------------------------------------------
    Case("Công an xã đã thu nhận 1.234 hồ sơ cấp Căn cước.", [C(1234, "hồ sơ")]),
    Case("UBND huyện đã ban hành 05 kế hoạch và 12 văn bản chỉ đạo triển khai.", [C(5, "kế hoạch"), C(12, "văn bản")]),
    Case("Tổ chức 03 hội nghị tập huấn cho 250 cán bộ, công chức cấp xã.", [C(3, "hội nghị"), C(250, "cán bộ")]),
    Case("Tổng số tài khoản định danh mức 2 đã kích hoạt là 53.852 tài khoản.", [C(53852, "tài khoản")]),
    Case("Đã tiếp nhận 12,712 hồ sơ đăng ký thường trú trực tuyến.", [C(12712, "hồ sơ")]),  # Excel-style grouping
    Case("Tính đến 30/6, đã cấp 2.300 thẻ Căn cước cho công dân.", [C(2300, "thẻ")]),
    Case(
        "Trong 6 tháng đầu năm 2024, toàn xã tiếp nhận 00 hồ sơ đăng ký kinh doanh trực tuyến.",
        [C(0, "hồ sơ")],
    ),
    Case("Triển khai 11 dịch vụ công thiết yếu mức độ 3, 4 trên Cổng dịch vụ công.", [C(11, "dịch vụ công")]),
    Case("Cấp Căn cước cho trẻ em dưới 14 tuổi: 320 trường hợp.", [C(320, "trường hợp")]),
    # --- totals and their parts ----------------------------------------------------------------------------------
    Case("Đã cấp 1.000 hồ sơ (600 cấp mới, 300 cấp đổi, 90 cấp lại).", [C(1000, "hồ sơ")], [PW]),
    Case("Tiếp nhận 2.450 hồ sơ (1.800 trực tuyến, 650 trực tiếp).", [C(2450, "hồ sơ")]),
    Case(
        "Toàn xã có 1.520 hộ gia đình, trong đó 1.200 hộ đã cài đặt ứng dụng VNeID, còn lại 320 hộ chưa cài đặt.",
        [C(1520, "hộ"), C(1200, "hộ"), C(320, "hộ")],
    ),
    Case(
        "Tổng số 860 hồ sơ, trong đó 520 hồ sơ nộp trực tuyến, còn lại 300 hồ sơ nộp trực tiếp.",
        [C(860, "hồ sơ"), C(520, "hồ sơ"), C(300, "hồ sơ")],
        [PW],
    ),
    Case(
        "Có 15 nhiệm vụ, trong đó: 12 nhiệm vụ đã hoàn thành, 03 nhiệm vụ đang triển khai.",
        [C(15, "nhiệm vụ"), C(12, "nhiệm vụ"), C(3, "nhiệm vụ")],
    ),
    Case(
        "Có 20 nhiệm vụ, trong đó: 14 nhiệm vụ đã hoàn thành, 04 nhiệm vụ đang triển khai.",
        [C(20, "nhiệm vụ"), C(14, "nhiệm vụ"), C(4, "nhiệm vụ")],
        [PW],
    ),
    Case(
        "Trên địa bàn có 3.200 người trong độ tuổi cấp Căn cước; đã thu nhận 2.950 người, còn lại 200 người chưa "
        "thu nhận.",
        [C(3200, "người"), C(2950, "người"), C(200, "người")],
        [PW],
    ),
    Case(
        "Trên địa bàn có 3.200 người trong độ tuổi cấp Căn cước; đã thu nhận 2.950 người, còn lại 250 người chưa "
        "thu nhận.",
        [C(3200, "người"), C(2950, "người"), C(250, "người")],
    ),
    Case(
        "Thành lập 25 tổ công tác (gồm 10 tổ công tác cấp xã và 12 tổ công tác cấp thôn).",
        [C(25, "tổ công tác"), C(10, "tổ công tác"), C(12, "tổ công tác")],
        [PW],
    ),
    Case(
        "Cấp 5.600 thẻ Căn cước (trong đó: 4.200 thẻ cấp mới; 1.400 thẻ cấp đổi).",
        [C(5600, "thẻ"), C(4200, "thẻ"), C(1400, "thẻ")],
    ),
    # --- traps: no figure ----------------------------------------------------------------------------------------
    Case("Trong dịp nghỉ lễ 30/4 và 1/5, Bộ phận một cửa bố trí cán bộ trực.", []),
    Case("Từ ngày 1/5 đến ngày 15/5, Công an xã ra quân đợt cao điểm.", []),
    Case("Duy trì chế độ trực 24/7 tại Trung tâm điều hành.", []),
    Case("Thực hiện Báo cáo số 12/BC-UBND ngày 05/3/2024 của UBND huyện.", []),
    Case("Kết quả thực hiện quý II/2024 như sau:", []),
    Case("Căn cứ Điều 5 khoản 2 Nghị định số 59/2022/NĐ-CP của Chính phủ.", []),
    Case("Mọi vướng mắc liên hệ đồng chí Trần Văn Bình, điện thoại: 0912.345.678.", []),
    Case("Tổng đài hỗ trợ VNeID: 1900.0368.", []),
    Case("Số điện thoại liên hệ 0983 456 789 (đồng chí Hùng).", []),
    Case("Giai đoạn 2022-2025, huyện tập trung thực hiện các nhiệm vụ trọng tâm.", []),
    Case("Thực hiện Kế hoạch số 45/KH-UBND ngày 20/02/2024 về triển khai Đề án 06 năm 2024.", []),
    Case("Hội nghị sơ kết dự kiến tổ chức vào 15/10.", []),
    Case("Chiều 20/11, đoàn kiểm tra làm việc tại xã.", []),
    Case("Theo Chỉ thị số 18-CT/TU và Nghị quyết số 142/2022/NQ-HĐND của tỉnh.", []),
    Case("Kế hoạch thực hiện từ tháng 5/2024 đến tháng 12/2024.", []),
    # --- a second batch, written after the rules were fixed for the cases above and passed without any change ----
    Case("- Phường Hòa Thuận: 4.812/4.950 trường hợp, đạt 97,21%.", [R(4812, 4950, 97.21, "trường hợp")]),
    Case(
        "Toàn thị xã đã có 9/11 phường, xã triển khai thanh toán học phí không dùng tiền mặt.",
        [R(9, 11, None, "phường")],
    ),
    Case("Cấp mới 2.430/2.500 thẻ bảo hiểm y tế cho trẻ em, đạt 97,2%.", [R(2430, 2500, 97.2, "thẻ")]),
    Case("Đăng ký tạm trú trực tuyến: 875/1.000 hồ sơ, tỷ lệ 78,5%.", [R(875, 1000, 78.5, "hồ sơ")], [RM]),
    Case("+ Thu thập thông tin người cao tuổi: 06/06 ấp, tỷ lệ 100%.", [R(6, 6, 100, "ấp")]),
    Case(
        "Kết quả xác thực thông tin công dân với cơ sở dữ liệu quốc gia về dân cư 10.024 / 10.500 (95,47%).",
        [R(10024, 10500, 95.47)],
    ),
    Case("- Chi trả trợ cấp xã hội qua tài khoản: 02/10 (tỷ lệ 20%).", [R(2, 10, 20)]),
    Case("Tỷ lệ tiếp nhận hồ sơ trực tuyến đạt 46% (230/500 hồ sơ).", [R(230, 500, 46, "hồ sơ")]),
    Case("Có 28/30 cơ quan, đơn vị kết nối thành công, đạt 95%.", [R(28, 30, 95, "cơ quan")], [RM]),
    Case(
        "Tổng số hộ kinh doanh trên địa bàn là 640 hộ, trong đó 512 hộ đã sử dụng mã QR, chiếm 80%.",
        [C(640, "hộ"), P(80, 512, 640)],
    ),
    Case(
        "Đã tiếp nhận 3.600 hồ sơ, trong đó 2.700 hồ sơ trực tuyến (chiếm 75%).", [C(3600, "hồ sơ"), P(75, 2700, 3600)]
    ),
    Case("Tỷ lệ dân số trưởng thành có chữ ký số đạt 12,5%.", [P(12.5)]),
    Case("Dự toán kinh phí triển khai năm 2025 là 3,2 tỷ đồng.", [M(3_200_000_000)]),
    Case("Bố trí 180 triệu đồng cho công tác tuyên truyền.", [M(180_000_000)]),
    Case("Chi hỗ trợ 2.000.000 đồng/người cho lực lượng tham gia.", [M(2_000_000)]),
    Case(
        "UBND xã đã ban hành 04 kế hoạch, 09 công văn và 02 thông báo.",
        [C(4, "kế hoạch"), C(9, "công văn"), C(2, "thông báo")],
    ),
    Case("Tổ chức 15 cuộc tuyên truyền với 1.850 lượt người tham dự.", [C(15, "cuộc"), C(1850, "lượt người")]),
    Case("Rà soát 2.314 trường hợp sai lệch thông tin.", [C(2314, "trường hợp")]),
    Case(
        "Đã thu nhận 6.300 hồ sơ (5.100 hồ sơ cấp mới, 1.150 hồ sơ cấp đổi).",
        [C(6300, "hồ sơ"), C(5100, "hồ sơ"), C(1150, "hồ sơ")],
        [PW],
    ),
    Case(
        "Có 12 nhiệm vụ, trong đó: 10 nhiệm vụ hoàn thành, 02 nhiệm vụ chưa hoàn thành.",
        [C(12, "nhiệm vụ"), C(10, "nhiệm vụ"), C(2, "nhiệm vụ")],
    ),
    Case(
        "Tổng số 1.450 trường hợp cần làm sạch, đã làm sạch 1.300 trường hợp, còn lại 120 trường hợp.",
        [C(1450, "trường hợp"), C(1300, "trường hợp"), C(120, "trường hợp")],
        [PW],
    ),
    Case("Ngày 2/9, lực lượng Công an xã trực đảm bảo an ninh.", []),
    Case("Thực hiện Công văn số 315/UBND-VP ngày 12/3/2025 của UBND huyện.", []),
    Case("Số liệu tính đến hết quý III/2024.", []),
    Case("Theo quy định tại khoản 1 Điều 14 Luật Căn cước năm 2023.", []),
    Case("Điện thoại liên hệ: 0236.3891.234.", []),
    Case("Kế hoạch giai đoạn 2021 - 2025 của tỉnh.", []),
    Case("Phối hợp tổ chức ngày hội chuyển đổi số vào 10/10.", []),
    Case("Mô hình điểm trực 24/7 tại bộ phận một cửa.", []),
    Case("Thông tư số 48/2023/TT-BCA quy định việc thu nhận thông tin.", []),
]

# English-style columns pasted from Excel ("1,245" is 1245), with a "Tổng số" row: right, then one total off by 30
_ROWS = [
    ["STT", "Đơn vị", "Hồ sơ trực tuyến", "Hồ sơ trực tiếp"],
    ["1", "Xã An Phú", "1,245", "312"],
    ["2", "Xã Bình Hòa", "2,130", "1,004"],
    ["3", "Thị trấn Hòa Lạc", "3,480", "2,561"],
    ["", "Tổng số", "6,855", "3,877"],
]


def _key(f: Figure) -> Expected:
    def r(v: float | None) -> float | None:
        return None if v is None else round(float(v), 2)

    return (f.kind, r(f.value), r(f.numerator), r(f.denominator), r(f.stated_percent), (f.unit or "").lower() or None)


def _norm(e: Expected) -> Expected:
    kind, value, n, d, stated, unit = e
    r = [None if v is None else round(float(v), 2) for v in (value, n, d, stated)]
    return (kind, r[0], r[1], r[2], r[3], unit.lower() if unit else None)


def finding_kinds(text: str) -> list[str]:
    kinds = {f.kind for f in ratio_findings(figures_in_text(text))}
    kinds |= {PW for _ in part_whole_in_text(text)}
    return sorted(kinds)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:50])
def test_unseen_figures(case: Case) -> None:
    got = sorted(map(_key, figures_in_text(case.text)), key=repr)
    assert got == sorted(map(_norm, case.figures), key=repr)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:50])
def test_unseen_findings(case: Case) -> None:
    assert finding_kinds(case.text) == sorted(set(case.findings))


def test_english_style_table_totals() -> None:
    assert table_findings(Table(index=0, rows=[list(r) for r in _ROWS])) == []
    rows = [list(r) for r in _ROWS]
    rows[-1][2] = "6,885"
    [finding] = table_findings(Table(index=0, rows=rows))
    assert finding.kind == "table_total_mismatch"
    assert "add up to 6.855 but the total says 6.885" in finding.message_en


def scores() -> dict[str, float]:
    """Precision and recall of every figure and of ratios (x/y, or a percentage with its base), and the audits."""
    from collections import Counter

    def is_ratio(e: Expected) -> bool:
        return e[0] == "ratio" or (e[0] == "percent" and e[2] is not None and e[3] is not None)

    tp = fp = fn = rtp = rfp = rfn = 0
    alarms = missed = raised = 0
    for case in CASES:
        got = Counter(map(_key, figures_in_text(case.text)))
        want = Counter(map(_norm, case.figures))
        hit = got & want
        tp += sum(hit.values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
        rtp += sum(n for k, n in hit.items() if is_ratio(k))
        rfp += sum(n for k, n in (got - want).items() if is_ratio(k))
        rfn += sum(n for k, n in (want - got).items() if is_ratio(k))
        kinds = set(finding_kinds(case.text))
        raised += len(kinds)
        alarms += len(kinds - set(case.findings))
        missed += len(set(case.findings) - kinds)
    return {
        "figure_precision": tp / (tp + fp) if tp + fp else 1.0,
        "figure_recall": tp / (tp + fn) if tp + fn else 1.0,
        "ratio_precision": rtp / (rtp + rfp) if rtp + rfp else 1.0,
        "ratio_recall": rtp / (rtp + rfn) if rtp + rfn else 1.0,
        "findings_raised": raised,
        "false_alarms": alarms,
        "findings_missed": missed,
    }


def test_unseen_scores() -> None:
    s = scores()
    assert min(s["figure_precision"], s["figure_recall"], s["ratio_precision"], s["ratio_recall"]) >= 0.97
    assert s["false_alarms"] * 10 <= s["findings_raised"]


if __name__ == "__main__":
    for name, value in scores().items():
        print(f"{name:18s} {value:.3f}" if isinstance(value, float) else f"{name:18s} {value}")
    print(f"{len(CASES)} sentences")
