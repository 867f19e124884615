"""API: published policies (public), eligibility of an organisation (its seers only)."""

from __future__ import annotations

import pytest

from .helpers import give_facts, make_policy

pytestmark = pytest.mark.django_db

BASE = "/api/v1/support/policies"


def test_list_and_detail_public(client, world):
    published = make_policy(world.users["vca"], name="Hỗ trợ tín dụng")
    draft = make_policy(world.users["vca"], name="Nháp", publish=False)
    rows = client.get(f"{BASE}/", {"q": "ho tro tin"}).json()
    assert [r["id"] for r in rows] == [published.pk]
    assert rows[0]["sectors"] == ["agriculture"]
    detail = client.get(f"{BASE}/{published.pk}").json()
    assert [c["kind"] for c in detail["criteria"]] == ["operating_months", "finance", "sector"]
    missing = client.get(f"{BASE}/{draft.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    huge = client.get(f"{BASE}/{2**63}")
    assert huge.status_code == 422 and huge.json()["code"] == "validation_error"
    assert client.get(f"{BASE}/", {"level": "moon"}).status_code == 422


def test_eligibility_for_seers_only(client, world):
    org = world.orgs["a1"]
    give_facts(org)
    make_policy(world.users["vca"], name="Tín dụng")
    assert client.get(f"{BASE}/eligibility/{org.pk}").status_code == 401
    client.force_login(world.users["manager_a1"])
    data = client.get(f"{BASE}/eligibility/{org.pk}").json()
    assert data["policies"][0]["verdict"] == "eligible"
    assert {c["verdict"] for c in data["policies"][0]["criteria"]} == {"pass"}
    other = client.get(f"{BASE}/eligibility/{world.orgs['b1'].pk}")
    assert other.status_code == 404 and other.json()["code"] == "not_found"
