"""Results demo data (ORDER 95, after every domain app's demo, whose data it computes):

* the **EU youth-DX project** framework (source 000: 600 young people trained, 400
  building digital transformation plans, 450 members and workers of coffee cooperatives
  in the pilot, 120 trainers, 60 policymakers; 12–24 provinces; 42 months, 2024–2027),
  its values computed from the demo data of the training, programmes, market and
  traceability modules;
* **Thái Nguyên's 2030 framework** (source 004: about 5,000 groups with 77,000 members,
  1,000 cooperatives with 35,000 members, 6 unions with 30 members, > 60 % good or fair,
  ≥ 50 % in value chains, > 100 applying high technology), computed from the registry;
* **reference values** with their sources: Thái Nguyên 2030 and 2045 (004), Nghệ An 2025
  (002, incl. 4.8 % of GRDP), Hà Nội 2021 (003) — shown beside, never mixed.

Idempotent: frameworks, results and indicators are found by code, targets by period and
place, references by label, place and period; values are computed only for the periods
that have none yet.  The periodic reports' demo (``demo_reports``) runs after it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any

from django.utils import timezone

from htxso.core.actors import OPERATOR
from htxso.core.demodata import DemoContext
from htxso.registry.data.targets import SOURCE_002, SOURCE_004

ORDER = 95

SOURCE_000 = (
    "Dự án “Thanh niên trong HTX là chủ thể của chuyển đổi số tại địa phương” "
    "(Liên minh HTX tỉnh Cao Bằng, công văn 108/CV-LMHTX ngày 02/4/2024)"
)
SOURCE_003 = (
    "Liên minh HTX Việt Nam: đề xuất thành lập trung tâm hỗ trợ chuyển đổi số cho HTX "
    "(2022), số liệu Hà Nội đến cuối năm 2021"
)

EU_CODE = "eu-youth-dx"
TN_CODE = "thai-nguyen-2030"

EU_NODES = [
    # code, level, parent, title
    ("1", "goal", None, "Thanh niên trong HTX là chủ thể của chuyển đổi số tại địa phương"),
    (
        "1.1",
        "outcome",
        "1",
        "Thanh niên trong HTX có kỹ năng số và xây dựng kế hoạch chuyển đổi số",
    ),
    ("1.2", "outcome", "1", "HTX cà phê thí điểm chuyển đổi số trong chuỗi giá trị"),
    ("1.3", "outcome", "1", "Chính sách hỗ trợ chuyển đổi số cho HTX được đề xuất"),
    ("1.1.1", "output", "1.1", "Thanh niên được đào tạo trực tiếp về số hóa"),
    ("1.1.2", "output", "1.1", "Giảng viên nguồn được đào tạo (3 khóa ToT)"),
    ("1.2.1", "output", "1.2", "Thành viên, người lao động HTX cà phê tham gia thí điểm"),
    ("1.3.1", "output", "1.3", "Đại diện cơ quan, người ra quyết định dự hội thảo quốc gia"),
]

ALL = ["sex", "age_band", "ethnicity", "province"]

#: code, node, name, formula, params, unit, disaggregations, DHIS2 code, target
EU_INDICATORS: list[tuple[Any, ...]] = [
    ("youth-trained", "1.1.1", "Thanh niên trong HTX được đào tạo trực tiếp về số hóa",
     "training.people", {"youth": True, "completed": True, "funded_by": "EU"}, "people", ALL,
     "EU_YDX_YOUTH_TRAINED", 600),
    ("youth-dx-plans", "1.1", "Thanh niên tham gia xây dựng kế hoạch chuyển đổi số",
     "assessment.plan_youths", {}, "people", [], "EU_YDX_DX_PLANS", 400),
    ("trainers", "1.1.2", "Giảng viên nguồn hoàn thành khóa ToT",
     "training.trainers_trained", {"funded_by": "EU"}, "people", ALL, "EU_YDX_TRAINERS", 120),
    ("coffee-people", "1.2.1", "Thành viên, người lao động HTX cà phê tham gia thí điểm",
     "training.cooperative_people", {"kind": "value_chain"}, "people", ALL,
     "EU_YDX_COFFEE_PEOPLE", 450),
    ("coops-selling", "1.2", "HTX bán hàng trên chợ HTX Số",
     "market.cooperatives_selling", {}, "count", ["province"], "EU_YDX_COOPS_SELLING", None),
    ("coops-traced", "1.2", "HTX ghi nhận lô hàng truy xuất nguồn gốc",
     "trace.cooperatives_with_lots", {}, "count", ["province"], "EU_YDX_COOPS_TRACED", None),
    ("policymakers", "1.3.1", "Đại diện cơ quan, người ra quyết định được tiếp cận",
     "training.policymakers", {}, "people", ["sex", "province"], "EU_YDX_POLICYMAKERS", 60),
    ("provinces", "1", "Tỉnh, thành phố có HTX được chọn tham gia dự án",
     "programs.selected_provinces", {"programme": "Thanh niên"}, "count", [],
     "EU_YDX_PROVINCES", 12),
]  # fmt: skip

TN_NODES = [
    ("1", "goal", None, "Phát triển kinh tế tập thể, HTX tỉnh Thái Nguyên đến năm 2030"),
    ("1.1", "outcome", "1", "Số lượng tổ chức kinh tế tập thể và thành viên tăng"),
    ("1.2", "outcome", "1", "Chất lượng hoạt động, liên kết chuỗi giá trị và công nghệ cao"),
]

#: code, node, name, formula, unit, disaggregations, comparison, 2030 target, denominator
TN_INDICATORS: list[tuple[Any, ...]] = [
    ("groups", "1.1", "Tổ hợp tác", "registry.groups", "count", ["sector"], ">=", 5000),
    ("group-members", "1.1", "Thành viên tổ hợp tác", "registry.group_members", "people", [],
     ">=", 77000),
    ("cooperatives", "1.1", "Hợp tác xã", "registry.cooperatives", "count", ["sector"], ">=",
     1000),
    ("cooperative-members", "1.1", "Thành viên hợp tác xã", "registry.cooperative_members",
     "people", [], ">=", 35000),
    ("unions", "1.1", "Liên hiệp hợp tác xã", "registry.unions", "count", [], ">=", 6),
    ("union-members", "1.1", "Thành viên của liên hiệp HTX", "registry.union_members",
     "count", [], ">=", 30),
    ("good-or-fair", "1.2", "Tỷ lệ tổ chức kinh tế tập thể đạt loại tốt, khá",
     "registry.share_good_or_fair", "percent", [], ">", 60),
    ("value-chain", "1.2", "Tỷ lệ tham gia liên kết theo chuỗi giá trị",
     "registry.share_value_chain", "percent", [], ">=", 50),
    ("high-tech", "1.2", "HTX ứng dụng công nghệ cao", "registry.high_tech", "count", [], ">",
     100),
    ("effective", "1.2", "Tỷ lệ HTX hoạt động hiệu quả", "registry.share_effective", "percent",
     [], None, None),
    ("revenue", "1.2", "Doanh thu bình quân một HTX", "registry.revenue_per_cooperative",
     "vnd", [], None, None),
    ("income", "1.2", "Thu nhập bình quân người lao động (tháng)",
     "registry.income_per_worker", "vnd", [], None, None),
]  # fmt: skip

#: (indicator code in the TN framework or None, province, label, period, value, unit,
#: comparison, source)
REFERENCES: list[tuple[Any, ...]] = [
    # Thái Nguyên's own 2030 and 2045 targets, as published (source 004)
    ("groups", "19", "Thái Nguyên: tổ hợp tác (mục tiêu 2030)", "2030", 5000, "count", "≈",
     SOURCE_004),
    ("group-members", "19", "Thái Nguyên: thành viên tổ hợp tác (mục tiêu 2030)", "2030",
     77000, "people", "≈", SOURCE_004),
    ("cooperatives", "19", "Thái Nguyên: HTX (mục tiêu 2030)", "2030", 1000, "count", "≈",
     SOURCE_004),
    ("cooperative-members", "19", "Thái Nguyên: thành viên HTX (mục tiêu 2030)", "2030",
     35000, "people", "≈", SOURCE_004),
    ("unions", "19", "Thái Nguyên: liên hiệp HTX (mục tiêu 2030)", "2030", 6, "count", "≈",
     SOURCE_004),
    ("union-members", "19", "Thái Nguyên: thành viên của 6 liên hiệp HTX (mục tiêu 2030)",
     "2030", 30, "count", "≈", SOURCE_004),
    (None, "19", "Thái Nguyên: dân số tham gia tổ chức kinh tế tập thể (mục tiêu 2045)",
     "2045", 20, "percent", ">=", SOURCE_004),
    (None, "19", "Thái Nguyên: tổ chức kinh tế tập thể áp dụng chuyển đổi số (mục tiêu 2045)",
     "2045", 100, "percent", ">=", SOURCE_004),
    # Nghệ An 2025 (source 002)
    ("cooperatives", "40", "Nghệ An: số HTX", "2025", 935, "count", "", SOURCE_002),
    ("effective", "40", "Nghệ An: HTX hoạt động hiệu quả (888/935)", "2025",
     Decimal("94.97"), "percent", "", SOURCE_002),
    ("revenue", "40", "Nghệ An: doanh thu bình quân một HTX/năm", "2025", 2_600_000_000,
     "vnd", "≈", SOURCE_002),
    ("income", "40", "Nghệ An: thu nhập bình quân người lao động/tháng", "2025", 5_000_000,
     "vnd", ">", SOURCE_002),
    (None, "40", "Nghệ An: đóng góp của khu vực kinh tế tập thể vào GRDP", "2025",
     Decimal("4.8"), "percent", "≈", SOURCE_002),
    # Hà Nội 2021 (source 003)
    ("cooperatives", "01", "Hà Nội: số HTX cuối năm 2021", "2021", 1898, "count", "",
     SOURCE_003),
    ("revenue", "01", "Hà Nội: doanh thu bình quân một HTX/năm", "2021", 2_000_000_000,
     "vnd", "≈", SOURCE_003),
    (None, "01", "Hà Nội: lao động có việc làm trong HTX", "2021", 50000, "people", ">",
     SOURCE_003),
]  # fmt: skip


def _framework(code: str, **values: Any) -> Any:
    from .models import Framework
    from .services_frameworks import create_framework

    found = Framework.objects.filter(code=code).first()
    if found is not None:
        return found
    return create_framework(actor=OPERATOR, data={"code": code, **values})


def _nodes(framework: Any, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    from .services_frameworks import save_node

    out: dict[str, Any] = {n.code: n for n in framework.nodes.all()}
    for order, (code, level, parent, title) in enumerate(rows):
        if code in out:
            continue
        out[code] = save_node(
            actor=OPERATOR,
            framework=framework,
            data={
                "code": code,
                "level": level,
                "title": title,
                "parent": out.get(parent) if parent else None,
                "order": order,
            },
        )
    return out


def _indicator(framework: Any, data: dict[str, Any]) -> Any:
    from .services_frameworks import save_indicator

    found = framework.indicators.filter(code=data["code"]).first()
    if found is not None:
        return found
    return save_indicator(actor=OPERATOR, framework=framework, data=data)


def _target(
    indicator: Any, period: str, value: Any, comparison: str = ">=", note: str = ""
) -> None:
    from .models import Target
    from .services_frameworks import save_target

    if Target.objects.filter(indicator=indicator, period=period, province=None).exists():
        return
    save_target(
        actor=OPERATOR,
        indicator=indicator,
        data={"period": period, "value": Decimal(value), "comparison": comparison, "note": note},
    )


def eu_framework() -> Any:
    framework = _framework(
        EU_CODE,
        name="Dự án EU: Thanh niên trong HTX là chủ thể của chuyển đổi số tại địa phương",
        programme_label="Dự án EU (2024–2027, 42 tháng)",
        description=(
            "Khung kết quả của dự án do Liên minh Châu Âu tài trợ, thực hiện tại 12–24 tỉnh, "
            "thành phố trong 42 tháng. Chỉ tiêu theo tài liệu dự án (nguồn 000)."
        ),
        start_date=dt.date(2024, 7, 1),
        end_date=dt.date(2027, 12, 31),
        is_published=True,
    )
    nodes = _nodes(framework, EU_NODES)
    for order, (code, node, name, key, params, unit, dis, dhis2, target) in enumerate(
        EU_INDICATORS
    ):
        ind = _indicator(
            framework,
            {
                "code": code,
                "node": nodes[node],
                "name": name,
                "formula": key,
                "params": params,
                "unit": unit,
                "disaggregations": dis,
                "dhis2_code": dhis2,
                "order": order,
            },
        )
        if target is not None:
            note = "12–24 tỉnh, thành phố" if code == "provinces" else "Nguồn 000"
            _target(ind, "2027", target, note=note)
    return framework


def tn_framework() -> Any:
    framework = _framework(
        TN_CODE,
        name="Thái Nguyên: phát triển kinh tế tập thể, HTX đến năm 2030",
        province="19",
        programme_label="Nghị quyết 20-NQ/TW",
        description=(
            "Mục tiêu đến năm 2030 của tỉnh (nguồn 004). Tầm nhìn 2045: tối thiểu 20% dân số "
            "tham gia tổ chức kinh tế tập thể; tất cả áp dụng chuyển đổi số (xem số liệu "
            "tham chiếu)."
        ),
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2030, 12, 31),
        is_published=True,
    )
    nodes = _nodes(framework, TN_NODES)
    for order, (code, node, name, key, unit, dis, comparison, target) in enumerate(TN_INDICATORS):
        ind = _indicator(
            framework,
            {
                "code": code,
                "node": nodes[node],
                "name": name,
                "formula": key,
                "unit": unit,
                "disaggregations": dis,
                "dhis2_code": f"TN_{code.upper().replace('-', '_')}",
                "order": order,
            },
        )
        if target is not None:
            _target(ind, "2030", target, comparison, note="Nguồn 004")
    return framework


def references(tn: Any) -> int:
    from .models import ReferenceValue
    from .services_frameworks import save_reference

    by_code = {i.code: i for i in tn.indicators.all()}
    made = 0
    for code, province, label, period, value, unit, comparison, source in REFERENCES:
        if ReferenceValue.objects.filter(label=label, province_id=province, period=period).exists():
            continue
        save_reference(
            actor=OPERATOR,
            data={
                "indicator": by_code.get(code) if code else None,
                "province": province,
                "label": label,
                "period": period,
                "value": Decimal(value),
                "unit": unit,
                "comparison": comparison,
                "source": source,
            },
        )
        made += 1
    return made


def compute_missing(framework: Any, codes: list[str], provinces: list[Any] | None = None) -> int:
    """Compute the periods (for the scope and the provinces) that have no value yet."""
    from .compute import refresh
    from .models import IndicatorValue

    written = 0
    for province in [None, *(provinces or [])]:
        have = IndicatorValue.objects.filter(indicator__framework=framework)
        have = have.filter(province=province) if province else have.filter(province__isnull=True)
        done = set(have.values_list("period", flat=True))
        missing = [c for c in codes if c not in done]
        if missing:
            written += refresh(
                framework,
                periods=missing,
                provinces=[province] if province else None,
                actor=OPERATOR,
            )
    return written


def _periods(first_year: int, first_half: int) -> list[str]:
    from . import periods

    today = timezone.localdate()
    codes = [
        p.code
        for p in periods.half_years(first_year, today.year)
        if p.start <= today and (p.year, int(p.code[-1])) >= (first_year, first_half)
    ]
    codes += [str(y) for y in range(first_year, today.year + 1)]
    return codes


def seed(ctx: DemoContext) -> None:
    from htxso.geo.models import Province

    eu = eu_framework()
    tn = tn_framework()
    made = references(tn)
    n = compute_missing(eu, _periods(2024, 2), [Province.objects.get(pk="04")])
    n += compute_missing(tn, _periods(2025, 1))
    ctx.log(f"indicators: frameworks {eu.code}, {tn.code}; {made} references; {n} values")
    try:  # the periodic reports' demo, when that part is there
        reports = importlib.import_module("htxso.indicators.demo_reports")
    except ModuleNotFoundError as exc:
        if exc.name != "htxso.indicators.demo_reports":
            raise
        return
    reports.seed(ctx)
