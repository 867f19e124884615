"""Annual reports in the API: list with filters, detail, by tax code; scoped."""

from __future__ import annotations

import pytest

from htxso.registry.models import AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world):
    a = AnnualReport.objects.create(
        organisation=world.orgs["a1"], year=2025, status="submitted", revenue=2_600_000_000
    )
    AnnualReport.objects.create(organisation=world.orgs["a1"], year=2024, status="accepted")
    b = AnnualReport.objects.create(organisation=world.orgs["b1"], year=2025, status="draft")
    a.events.create(to_status="submitted", comment="<b>x</b>")
    return a, b


def test_list_is_scoped_and_filtered(client, world, reports):
    client.force_login(world.users["officer_a"])
    rows = client.get("/api/v1/registry/annual-reports").json()
    assert {r["organisation"] for r in rows} == {"HTX Nông nghiệp Hợp Giang"}
    rows = client.get("/api/v1/registry/annual-reports?year=2025&status=submitted").json()
    assert len(rows) == 1 and rows[0]["revenue"] == 2_600_000_000 and rows[0]["late"] is not None
    assert client.get("/api/v1/registry/annual-reports?province=66").json() == []
    client.force_login(world.users["vca"])
    assert len(client.get("/api/v1/registry/annual-reports?province=66").json()) == 1
    bad = client.get("/api/v1/registry/annual-reports?status=<x>")
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_detail_and_history(client, world, reports):
    a, b = reports
    client.force_login(world.users["manager_a1"])
    body = client.get(f"/api/v1/registry/annual-reports/{a.pk}").json()
    assert body["year"] == 2025 and body["events"][0]["comment"] == "<b>x</b>"
    missing = client.get(f"/api/v1/registry/annual-reports/{b.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_by_tax_code(client, world, reports):
    client.force_login(world.users["viewer_a"])
    rows = client.get("/api/v1/registry/organisations/by-tax-code/0100233488/annual-reports").json()
    assert [r["year"] for r in rows] == [2025, 2024]
    other = client.get("/api/v1/registry/organisations/by-tax-code/0100112437/annual-reports")
    assert other.status_code == 404
    junk = client.get("/api/v1/registry/organisations/by-tax-code/%3Cscript%3E/annual-reports")
    assert junk.status_code == 404
    client.force_login(world.users["member_a1"])
    denied = client.get("/api/v1/registry/organisations/by-tax-code/0100233488/annual-reports")
    assert denied.status_code == 403
