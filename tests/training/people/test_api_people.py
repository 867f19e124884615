"""The people part's API: figures, the duplicates list and the decision."""

from __future__ import annotations

import json

import pytest

from htxso.training.models import DuplicateCandidate
from htxso.training.people import find_or_create_person

from .helpers import ACTOR, course, enrol, person

pytestmark = pytest.mark.django_db


def _pair(province):
    name = f"Bế Văn Tài {province}"
    find_or_create_person(
        actor=ACTOR, full_name=name, birth_year=1990, phone=f"09120000{province}", province=province
    )
    find_or_create_person(actor=ACTOR, full_name=name.lower(), birth_year=1990, province=province)
    return DuplicateCandidate.objects.get(province_id=province)


def test_figures(client, world):
    c = course("04")
    for i in range(6):
        enrol(c, person(f"Người {i}", ethnicity="01"), age=20)
    client.force_login(world.users["viewer_a"])
    data = client.get("/api/v1/training/figures").json()
    assert data["trained"] == 6 and data["youth_trained"] == 6
    assert data["ethnicity"][0]["trained"] == 6
    assert client.get("/api/v1/training/figures?kind=tot").json()["trained"] == 0
    assert client.get("/api/v1/training/figures?kind=nope").status_code == 422
    client.force_login(world.users["manager_a1"])
    assert client.get("/api/v1/training/figures").status_code == 403


def test_duplicates_and_decision(client, world):
    mine, other = _pair("04"), _pair("66")
    client.force_login(world.users["officer_a"])
    rows = client.get("/api/v1/training/duplicates").json()
    assert [r["id"] for r in rows] == [mine.pk]
    url = f"/api/v1/training/duplicates/{mine.pk}/decide"
    bad = client.post(url, "{}", content_type="application/json")
    assert bad.status_code == 400
    ok = client.post(url, json.dumps({"decision": "same"}), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "merged"
    again = client.post(url, json.dumps({"decision": "same"}), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    theirs = f"/api/v1/training/duplicates/{other.pk}/decide"
    refused = client.post(theirs, json.dumps({"decision": "same"}), content_type="application/json")
    assert refused.status_code == 404
    huge = client.post(
        "/api/v1/training/duplicates/9223372036854775808/decide",
        json.dumps({"decision": "same"}),
        content_type="application/json",
    )
    assert huge.status_code in (400, 404, 422)
    other.refresh_from_db()
    assert other.status == "open"
