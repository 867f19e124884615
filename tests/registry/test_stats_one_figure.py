"""Issue 13: on /thong-ke/ the indicators table said 46 cooperatives and the chart beside
it 48 — the chart counted every status (suspended, dissolving…), the table the operating
ones.  Both now read the same figure."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from htxso.registry.demo_data import valid_tax_code
from htxso.registry.models import Organisation

from .test_stats_world import build_stats_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _indicator(html: str, code: str) -> str:
    row = re.search(rf'data-indicator="{code}">.*?</tr>', html, re.S).group(0)
    return re.search(r'data-label="Actual"[^>]*>([^<]*)<', row).group(1).strip()


def _kind_chart(html: str) -> str:
    """The chart of organisations by kind, whatever its title."""
    for figure in html.split('<figure class="chart">')[1:]:
        if '<th scope="row">Union of cooperatives</th>' in figure:
            return figure.split("</figure>")[0]
    raise AssertionError("no chart by kind")


def _chart_row(chart: str, label: str) -> str:
    return re.search(rf'<th scope="row">{label}</th><td class="num">([^<]*)<', chart).group(1)


def test_indicator_table_and_kind_chart_show_the_same_figures(client, world):
    build_stats_world(world)
    # like the demo: beside the operating cooperatives, a suspended and a dissolving one
    prefix = 31_440_0000
    for i, status in enumerate(("suspended", "dissolving")):
        tax_code, prefix = valid_tax_code(prefix + 1)
        Organisation.objects.create(
            kind="cooperative",
            name=f"HTX tạm dừng {i}",
            tax_code=tax_code,
            province_id="04",
            status=status,
        )
    user = world.users["officer_a"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    html = client.get(reverse("registry:stats_province", kwargs={"code": "04"})).content.decode()
    chart = _kind_chart(html)
    for code, label in (
        ("cooperatives", "Cooperative"),
        ("groups", "Cooperative group"),
        ("unions", "Union of cooperatives"),
    ):
        assert _indicator(html, code) == _chart_row(chart, label), code
    operating = Organisation.objects.filter(
        province_id="04", kind="cooperative", status="active"
    ).count()
    assert _indicator(html, "cooperatives") == str(operating)
