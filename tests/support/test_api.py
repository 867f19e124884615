"""API of service requests: stable JSON error codes, nothing half-saved."""

from __future__ import annotations

import pytest

from htxso.support import services
from htxso.support.models import Entry, ServiceRequest

from .helpers import send

pytestmark = pytest.mark.django_db
BASE = "/api/v1/support"


def _c(client, world, key):
    client.force_login(world.users[key])
    return client


def _body(org, **kw):
    data = {
        "organisation_id": org.pk,
        "request_type": "credit",
        "title": "Vay vốn <b>máy sấy</b>",
        "description": "Cần vay 500 triệu.",
    }
    data.update(kw)
    return data


def test_create_follow_and_reply(client, world):
    c = _c(client, world, "manager_a1")
    answer = c.post(
        f"{BASE}/requests",
        _body(world.orgs["a1"], client_key="k-1"),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["facts"]["name"] == world.orgs["a1"].name and data["status"] == "new"
    assert data["entries"][0]["kind"] == "sent"
    again = c.post(
        f"{BASE}/requests",
        _body(world.orgs["a1"], client_key="k-1"),
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "request_duplicate"
    assert again.json()["details"] == {"id": data["id"]}
    mine = c.get(f"{BASE}/requests/mine").json()
    assert [r["id"] for r in mine] == [data["id"]]
    o = _c(client, world, "officer_a")
    reply = o.post(
        f"{BASE}/requests/{data['id']}/messages",
        {"message": "Đã nhận."},
        content_type="application/json",
    )
    assert reply.status_code == 200 and reply.json()["status"] == "in_progress"
    queue = o.get(f"{BASE}/queue", {"request_type": "credit"}).json()
    assert [r["id"] for r in queue] == [data["id"]]
    assert o.get(f"{BASE}/queue", {"province": "1; drop"}).status_code == 422


def test_refusals_have_stable_codes_and_save_nothing(client, world):
    c = _c(client, world, "manager_a1")
    other = c.post(f"{BASE}/requests", _body(world.orgs["b1"]), content_type="application/json")
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    huge = c.post(
        f"{BASE}/requests",
        {**_body(world.orgs["a1"]), "organisation_id": 2**63},
        content_type="application/json",
    )
    assert huge.status_code == 400 and huge.json()["code"] == "validation_error"
    bad = c.post(
        f"{BASE}/requests",
        _body(world.orgs["a1"], request_type="x"),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert (
        c.post(f"{BASE}/requests", b"{not json", content_type="application/json").status_code == 400
    )
    assert ServiceRequest.objects.count() == 0
    assert c.get(f"{BASE}/requests/9223372036854775808").status_code in (404, 422)
    req = send(world.users["manager_b1"], world.orgs["b1"])
    assert c.get(f"{BASE}/requests/{req.pk}").status_code == 404
    services.request_close(
        actor=world.users["officer_b"], service_request=req, outcome="resolved", note="Xong"
    )
    m = _c(client, world, "manager_b1")
    before = Entry.objects.count()
    closed = m.post(
        f"{BASE}/requests/{req.pk}/messages",
        {"message": "Còn nữa"},
        content_type="application/json",
    )
    assert closed.status_code == 409 and closed.json()["code"] == "request_closed"
    assert Entry.objects.count() == before
