"""Fixtures of the portal part's tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

_numbers = iter(range(1, 10**6))


def make_profit_resolution(org, user, *, passed=True, matter="profit"):
    from htxso.governance.models import Assembly, Resolution

    assembly = Assembly.objects.create(
        organisation=org,
        kind="annual",
        year=2025,
        mode="in_person",
        title="Đại hội thường niên 2025",
        scheduled_at=timezone.now() - dt.timedelta(days=10),
        status="closed",
        created_by=user,
    )
    return Resolution.objects.create(
        assembly=assembly,
        title="Phân phối lợi nhuận năm 2025",
        text="Thông qua phương án phân phối",
        matter=matter,
        status="closed",
        passed=passed,
        number=f"{next(_numbers):02d}/2026/NQ-ĐHTV",
        closed_at=timezone.now() - dt.timedelta(days=10),
    )


@pytest.fixture
def profit_resolution(world, gov):
    return make_profit_resolution(world.orgs["a1"], world.users["manager_a1"])
