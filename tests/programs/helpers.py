"""Builders shared by the programs tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

YOUTH_DX = [
    (
        "youth_share",
        "Có trên 40% thanh niên (dưới 35 tuổi) đang làm việc tại HTX",
        {"threshold": 40},
    ),
    (
        "finance",
        "HTX hoạt động sản xuất, kinh doanh hiệu quả, ổn định",
        {"field": "profit", "years": 2},
    ),
    ("value_chain", "HTX tham gia sản xuất theo chuỗi giá trị sản phẩm", {"min_links": 1}),
    ("declared", "Ban lãnh đạo năng động, sẵn sàng tiếp nhận kiến thức về chuyển đổi số", {}),
]


def make_call(
    vca,
    *,
    open_=True,
    criteria=YOUTH_DX,
    min_eligible=5,
    provinces_min=12,
    provinces_max=24,
    days=10,
):
    from htxso.programs.services import calls

    call = calls.call_create(
        actor=vca,
        data={
            "title": "Lựa chọn HTX tham gia dự án thanh niên chuyển đổi số",
            "programme": "Dự án “Thanh niên trong HTX là chủ thể của chuyển đổi số tại địa phương”",
            "donor": "Liên minh châu Âu (EU)",
            "period": "2024–2027 (42 tháng)",
            "audience_kinds": ["cooperative"],
            "deadline": timezone.now() + dt.timedelta(days=days),
            "min_eligible": min_eligible,
            "provinces_min": provinces_min,
            "provinces_max": provinces_max,
            "ranking": "eligible_count",
            "reference": "205/CQLMHTXVN-HTQT",
            "contact": "Ban Hợp tác quốc tế, 024 0000 0000",
        },
    )
    for kind, label, params in criteria:
        calls.criterion_add(actor=vca, call=call, kind=kind, label=label, params=params)
    if open_:
        calls.call_open(actor=vca, call=call)
    call.refresh_from_db()
    return call


def make_eligible(organisation, *, youth=6, total=10, profits=None, year=None, status="accepted"):
    """Registry data making ``organisation`` meet the youth-DX computed criteria (its
    annual reports ``accepted`` by default: only submitted or accepted ones count)."""
    from htxso.registry.models import AnnualReport, ValueChainLink

    year = year or timezone.localdate().year
    profits = profits or {year - 2: 50_000_000, year - 1: 80_000_000}
    for y, profit in profits.items():
        AnnualReport.objects.update_or_create(
            organisation=organisation,
            year=y,
            defaults={
                "status": status,
                "profit": profit,
                "revenue": 900_000_000,
                "workers_total": total,
                "workers_youth": youth,
            },
        )
    ValueChainLink.objects.get_or_create(
        organisation=organisation,
        product="Cà phê nhân",
        partner_name="Công ty CP Cà phê Tây Nguyên",
        role="supplier",
        started_on=dt.date(2022, 1, 1),
    )


def apply_and_submit(
    manager, call, organisation, statement="Ban lãnh đạo trẻ, đã dùng sổ sách điện tử"
):
    from htxso.programs.services import applications

    application = applications.application_start(
        actor=manager, call=call, organisation=organisation
    )
    criterion = call.criteria.get(kind="declared")
    applications.declaration_save(
        actor=manager, application=application, criterion=criterion, statement=statement
    )
    return applications.application_submit(actor=manager, application=application)
