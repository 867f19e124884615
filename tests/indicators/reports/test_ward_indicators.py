"""A ward office's report shows the framework's indicators for ITS ward (the
province's department sees the province's), and "not available for a ward" for a
formula that only counts provinces — never the province's number."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from htxso.indicators import selectors_reports as sel
from htxso.indicators.models import Framework, Indicator
from htxso.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_framework(rep):
    fw = Framework.objects.create(code="cb-ward", name="Khung Cao Bằng", province_id="04")
    Indicator.objects.create(
        framework=fw, code="coops", name="Số hợp tác xã", formula="registry.cooperatives", order=1
    )
    Indicator.objects.create(
        framework=fw,
        code="trained",
        name="Số người được đào tạo",
        formula="training.people",
        order=2,
    )
    rep.template.framework = fw
    rep.template.save(update_fields=["framework"])
    # two more cooperatives in the province, outside the ward office's ward
    from htxso.registry.demo_plan import demo_tax_code

    for n in range(2):
        Organisation.objects.create(
            kind="cooperative",
            name=f"HTX Khác {n}",
            province_id="04",
            tax_code=demo_tax_code("90", 7000 + n),
        )
    return fw


def _values(rep, office):
    return {v["code"]: v for v in sel.indicator_values(rep.template, "2026S1", office)}


def test_ward_office_gets_its_wards_figures(rep, with_framework):
    ward = _values(rep, rep.ward_office)
    province = _values(rep, rep.department)
    assert province["coops"]["value"] == 3  # a1 and the two others
    assert ward["coops"]["value"] == 1  # a1 only: the ward's, not the province's
    assert ward["trained"]["value"] is None and ward["trained"]["note"] == "not_for_ward"
    assert province["trained"]["note"] != "not_for_ward"


def test_the_ward_offices_page_shows_the_wards_indicators(client, rep, with_framework):
    client.force_login(rep.w.users["viewer_a"])
    url = reverse("indicators:report_fill", args=[rep.cycle.pk, rep.ward_office.pk])
    with translation.override("vi"):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="office-indicators"' in body
    assert rep.ward_office.ward.name in body
    coops = body.split('data-indicator="coops"')[1].split("</li>")[0]
    assert '<span class="n">1</span>' in coops  # not 3
    trained = body.split('data-indicator="trained"')[1].split("</li>")[0]
    assert "—" in trained and ("phường" in trained or "ward" in trained)
