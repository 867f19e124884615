"""The portal part's API: my membership and profit, questions, disclosures, due/late
and the province's on-time table, with other cooperatives' and provinces' ids refused."""

from __future__ import annotations

import pytest
from django.utils import timezone

from htxso.governance import services_disclosures
from htxso.governance.models import Question

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"


def login(client, world, key):
    client.logout()
    client.force_login(world.users[key])
    return client


def _disclosure(world, **kw):
    args = {
        "actor": world.users["manager_a1"],
        "organisation": world.orgs["a1"],
        "kind": "financial",
        "title": "Báo cáo tài chính",
        "event_on": timezone.localdate(),
    }
    args.update(kw)
    return services_disclosures.record(**args)


def test_portal_me(client, world, gov):
    r = login(client, world, "member_a1").get(f"{API}/portal/me")
    assert r.status_code == 200
    [me] = r.json()
    assert me["organisation_id"] == world.orgs["a1"].pk and me["capital_paid"] == 10_000_000
    assert login(client, world, "officer_a").get(f"{API}/portal/me").status_code == 403


def test_ask_a_question(client, world, gov):
    c = login(client, world, "member_a1")
    r = c.post(
        f"{API}/portal/organisations/{world.orgs['a1'].pk}/questions",
        {"text": "<b>Bao giờ họp?</b>"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["text"] == "<b>Bao giờ họp?</b>"
    for org_id in (world.orgs["b1"].pk, 2**63, 0):
        r = c.post(
            f"{API}/portal/organisations/{org_id}/questions",
            {"text": "x"},
            content_type="application/json",
        )
        assert r.status_code in (404, 422), org_id
    assert Question.objects.count() == 1


def test_disclosures_for_members_and_managers(client, world, gov):
    _disclosure(world)
    _disclosure(world, title="Bản nháp", post=False)
    url = f"{API}/portal/organisations/{world.orgs['a1'].pk}/disclosures"
    assert len(login(client, world, "member_a1").get(url).json()) == 1
    assert len(login(client, world, "manager_a1").get(url).json()) == 2
    assert login(client, world, "manager_b1").get(url).status_code == 404


def test_due_and_on_time(client, world, gov):
    _disclosure(world, post=False)
    url = f"{API}/disclosures/organisations/{world.orgs['a1'].pk}/due"
    r = login(client, world, "officer_a").get(url)
    assert r.status_code == 200 and len(r.json()["due"]) == 1
    assert login(client, world, "officer_b").get(url).status_code == 404
    assert login(client, world, "member_a1").get(url).status_code == 403
    r = login(client, world, "officer_a").get(f"{API}/disclosures/provinces/04/on-time")
    assert r.status_code == 200 and r.json()["province"] == "04"
    assert (
        login(client, world, "officer_a").get(f"{API}/disclosures/provinces/66/on-time").status_code
        == 404
    )
    r = login(client, world, "officer_a").get(
        f"{API}/disclosures/provinces/04/on-time?year={2**63}"
    )
    assert r.status_code == 422
