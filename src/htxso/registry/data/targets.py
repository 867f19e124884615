"""Provincial targets and reference figures, as data (loaded by ``load_targets``).

Each entry becomes one ``ProvinceTarget`` row (``province`` ``None`` = national).
``reference=True`` marks a figure a province *reported* (not a target it set itself):
the dashboard shows it as "reference" and compares the actual figure with it.

Sources (Vietnamese originals in ``shared/seeds``):

* 004 — Forum "Chuyển đổi số - Động lực phát triển kinh tế hợp tác, HTX" (2022),
  Thái Nguyên: "xác định mục tiêu đến năm 2030, toàn tỉnh có khoảng 5.000 tổ hợp tác
  với 77.000 thành viên, 1.000 HTX với 35.000 thành viên và 6 Liên hiệp HTX với 30
  thành viên; tỷ lệ tổ chức kinh tế tập thể đạt loại tốt, khá trên 60%, trong đó ít
  nhất 50% tham gia liên kết theo chuỗi giá trị; Có trên 100 HTX ứng dụng công nghệ cao
  vào sản xuất, tiêu thụ sản phẩm nông nghiệp."
  "khoảng" (about) is stored as ≥; "trên" (above) as >; "ít nhất" (at least) as ≥.
  The 30 member cooperatives of the 6 unions have no indicator code yet (not loaded).
* 002 — VCA conference in Nghệ An, 13 Oct 2025: "toàn tỉnh có 935 HTX, trong đó có 888
  HTX hoạt động hiệu quả … Doanh thu bình quân của một HTX đạt khoảng 2,6 tỷ đồng/năm,
  thu nhập bình quân của người lao động trên 5 triệu đồng/tháng."  Reported figures,
  stored as references for 2025: share effective 888/935 = 94.97 %.
"""

from __future__ import annotations

from decimal import Decimal

THAI_NGUYEN = "19"
NGHE_AN = "40"

SOURCE_004 = (
    "Mục tiêu đến năm 2030 của tỉnh Thái Nguyên thực hiện Nghị quyết 20-NQ/TW "
    "(Diễn đàn kinh tế hợp tác, HTX năm 2022)"
)
SOURCE_002 = "Số liệu tỉnh Nghệ An báo cáo tại Hội nghị của Liên minh HTX Việt Nam, 13/10/2025"

#: One dict per target: province (code or None), indicator, year, comparison, value,
#: source and, for reported figures, reference=True.
TARGETS: list[dict] = [
    # Thái Nguyên, targets to 2030 (source 004)
    {"province": THAI_NGUYEN, "indicator": "groups", "year": 2030, "comparison": ">=",
     "value": Decimal(5000), "source": SOURCE_004},
    {"province": THAI_NGUYEN, "indicator": "group_members", "year": 2030, "comparison": ">=",
     "value": Decimal(77000), "source": SOURCE_004},
    {"province": THAI_NGUYEN, "indicator": "cooperatives", "year": 2030, "comparison": ">=",
     "value": Decimal(1000), "source": SOURCE_004},
    {"province": THAI_NGUYEN, "indicator": "cooperative_members", "year": 2030,
     "comparison": ">=", "value": Decimal(35000), "source": SOURCE_004},
    {"province": THAI_NGUYEN, "indicator": "unions", "year": 2030, "comparison": ">=",
     "value": Decimal(6), "source": SOURCE_004},
    {"province": THAI_NGUYEN, "indicator": "share_good_or_fair", "year": 2030,
     "comparison": ">", "value": Decimal(60), "source": SOURCE_004},
    {"province": THAI_NGUYEN, "indicator": "share_value_chain", "year": 2030,
     "comparison": ">=", "value": Decimal(50), "source": SOURCE_004},
    {"province": THAI_NGUYEN, "indicator": "high_tech", "year": 2030, "comparison": ">",
     "value": Decimal(100), "source": SOURCE_004},
    # Nghệ An, reported figures of 2025 used as references (source 002)
    {"province": NGHE_AN, "indicator": "cooperatives", "year": 2025, "comparison": ">=",
     "value": Decimal(935), "source": SOURCE_002, "reference": True},
    {"province": NGHE_AN, "indicator": "share_effective", "year": 2025, "comparison": ">=",
     "value": (Decimal(888 * 100) / Decimal(935)).quantize(Decimal("0.01")),
     "source": SOURCE_002, "reference": True},
    {"province": NGHE_AN, "indicator": "revenue_per_cooperative", "year": 2025,
     "comparison": ">=", "value": Decimal(2_600_000_000), "source": SOURCE_002,
     "reference": True},
    {"province": NGHE_AN, "indicator": "income_per_worker", "year": 2025, "comparison": ">",
     "value": Decimal(5_000_000), "source": SOURCE_002, "reference": True},
]  # fmt: skip


def is_reference(province: str | None, indicator: str, year: int) -> bool:
    """Whether the stored target is a reported reference figure rather than a target."""
    return any(
        t.get("reference")
        and t["province"] == province
        and t["indicator"] == indicator
        and t["year"] == year
        for t in TARGETS
    )
