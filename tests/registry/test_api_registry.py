"""Registry API for organisations: filters, detail, by tax code, public directory."""

from __future__ import annotations

import pytest

from tests.registry.test_organisations import enrich, many_orgs

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(world):
    enrich(world.orgs["b1"], youth_share=45, grade="good", ocop=True, chain=True)
    enrich(world.orgs["a1"], youth_share=20)
    return world


def names(response):
    assert response.status_code == 200, response.content
    return [o["name"] for o in response.json()]


def test_list_filters_like_the_page(client, rich):
    client.force_login(rich.users["vca"])
    base = "/api/v1/registry/organisations"
    assert names(client.get(base, {"youth_min": 40})) == ["HTX Cà phê Ea Tu"]
    assert names(client.get(base, {"ocop": "true", "value_chain": "true"})) == ["HTX Cà phê Ea Tu"]
    assert names(client.get(base, {"grade": "good"})) == ["HTX Cà phê Ea Tu"]
    assert "HTX Cà phê Ea Tu" not in names(client.get(base, {"province": "04"}))
    row = client.get(base, {"q": "ea tu"}).json()[0]
    assert row["youth_share"] == 45.0 and row["has_ocop"] and row["in_value_chain"]
    assert row["grade"] == "good"


@pytest.mark.parametrize(
    "query",
    ["youth_min=0", "youth_min=101", "grade=best", "status=x", "ward=abc", "sector=" + "a" * 30],
)
def test_bad_filters_are_422(client, world, query):
    client.force_login(world.users["vca"])
    r = client.get(f"/api/v1/registry/organisations?{query}")
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


def test_detail_and_by_tax_code_are_scoped(client, rich):
    client.force_login(rich.users["officer_b"])
    mine = client.get("/api/v1/registry/organisations/by-tax-code/0100112437")
    assert mine.status_code == 200
    body = mine.json()
    assert body["members_official"] == 3 and body["workers"] == 3
    # 3 official members with 1/3 of the capital each
    assert {w["code"] for w in body["warnings"]} == {
        "members_too_few",
        "member_capital_above_limit",
    }
    assert [p["expires_soon"] for p in body["ocop_products"]].count(True) == 1
    theirs = client.get("/api/v1/registry/organisations/by-tax-code/0100233488")
    missing = client.get("/api/v1/registry/organisations/by-tax-code/0101245486")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    long = client.get("/api/v1/registry/organisations/by-tax-code/" + "9" * 40)
    assert long.status_code == 404


def test_public_directory_api_has_no_personal_data(client, rich):
    rows = client.get("/api/v1/registry/directory", {"q": "ca phe"}).json()
    assert [r["name"] for r in rows] == ["HTX Cà phê Ea Tu"]
    profile = client.get("/api/v1/registry/directory/0100112437")
    assert profile.status_code == 200
    text = profile.content.decode()
    assert profile.json()["warnings"] == []
    for personal in ("Người ", "0912345678", "citizen", "ethnicity", "Công ty Xuất khẩu"):
        assert personal not in text
    assert client.get("/api/v1/registry/directory/nope").status_code == 404


def test_api_list_query_count_is_fixed(client, world, django_assert_max_num_queries):
    many_orgs(20)
    client.force_login(world.users["vca"])
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/registry/organisations", {"limit": 100}).status_code == 200
