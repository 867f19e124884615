"""Helpers of the assemblies tests: an assembly of a1 in a given state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from htxso.governance.models import AgendaItem, Assembly


def make_assembly(world, org="a1", *, status="draft", when=None, **kw) -> Assembly:
    org = world.orgs[org]
    manager = world.users["manager_a1" if org.pk == world.orgs["a1"].pk else "manager_b1"]
    a = Assembly.objects.create(
        organisation=org,
        kind=kw.pop("kind", "annual"),
        year=kw.pop("year", timezone.localdate().year - 1),
        mode=kw.pop("mode", "hybrid"),
        title=kw.pop("title", "Đại hội thành viên thường niên"),
        scheduled_at=when or timezone.now() + dt.timedelta(hours=2),
        place=kw.pop("place", "Hội trường xã"),
        online_link=kw.pop("online_link", "https://meet.example.vn/dh"),
        status=status,
        created_by=manager,
        **kw,
    )
    AgendaItem.objects.create(assembly=a, position=1, title="Báo cáo kết quả năm")
    return a


@pytest.fixture
def assembly(world, gov):
    return make_assembly(world)
