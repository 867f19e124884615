"""Builders shared by the support-policy tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

CRITERIA = [
    {
        "kind": "operating_months",
        "label": "Đang hoạt động ít nhất 12 tháng",
        "params": {"min_months": 12},
    },
    {
        "kind": "finance",
        "label": "Có lãi 2 năm gần nhất",
        "params": {"field": "profit", "mode": "positive", "years": 2},
    },
    {"kind": "sector", "label": "HTX nông nghiệp", "params": {"sectors": ["agriculture"]}},
]


def make_policy(actor, *, level="national", province=None, criteria=CRITERIA, publish=True, **kw):
    from htxso.support.policies import services

    data = {
        "name": kw.pop("name", "Cho vay ưu đãi từ Quỹ hỗ trợ phát triển HTX"),
        "level": level,
        "province_id": province,
        "legal_number": "45/2021/NĐ-CP",
        "legal_date": dt.date(2021, 3, 31),
        "benefit": "Vay vốn lãi suất ưu đãi.",
        "criteria": criteria,
        **kw,
    }
    policy = services.policy_create(actor=actor, data=data)
    if publish:
        policy = services.policy_publish(actor=actor, policy=policy)
    return policy


def give_facts(organisation, *, profits=(50_000_000, 80_000_000), sector="agriculture"):
    """An organisation founded three years ago with annual reports of the last years."""
    from htxso.registry.models import AnnualReport

    today = timezone.localdate()
    organisation.established_on = today.replace(year=today.year - 3)
    organisation.sector = sector
    organisation.status = "active"
    organisation.save()
    year = today.year
    for offset, profit in zip((2, 1), profits, strict=False):
        AnnualReport.objects.update_or_create(
            organisation=organisation,
            year=year - offset,
            defaults={
                "profit": profit,
                "revenue": 900_000_000,
                "workers_total": 10,
                "status": "accepted",
            },
        )
