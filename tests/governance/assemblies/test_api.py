"""The assemblies API: a member's list, one assembly, check-in; officers read."""

from __future__ import annotations

import pytest

from htxso.governance import checkin_assemblies as codes
from htxso.governance.models import Attendance

from .conftest import make_assembly

pytestmark = pytest.mark.django_db
BASE = "/api/v1/governance/assemblies"


def test_member_lists_reads_and_checks_in(client, world, gov):
    a = make_assembly(world, status="open", voters_total=5)
    make_assembly(world, "b1", status="open")
    client.force_login(world.users["member_a1"])
    rows = client.get(f"{BASE}/").json()
    assert [r["id"] for r in rows] == [a.pk]
    one = client.get(f"{BASE}/{a.pk}").json()
    assert one["quorum"]["required"] == 3 and one["my_attendance"] is None
    token = one["my_checkin_token"]
    assert token == codes.personal_token(a.pk, gov.members["member_a1"].pk)
    r = client.post(f"{BASE}/checkin", {"token": token}, content_type="application/json")
    assert r.status_code == 200 and r.json()["channel"] == "online"
    r = client.post(f"{BASE}/checkin", {"token": token}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_checked_in"
    r = client.post(f"{BASE}/checkin", {"token": "x" * 500}, content_type="application/json")
    assert r.status_code == 400
    assert client.get(f"{BASE}/{a.pk}/attendance").status_code == 403
    assert Attendance.objects.count() == 1


def test_officers_read_attendance_in_their_province_only(client, world, gov):
    a = make_assembly(world, status="open")
    Attendance.objects.create(
        assembly=a,
        membership=gov.members["a1_o1"],
        channel="desk",
        may_vote=True,
        checked_in_by=world.users["manager_a1"],
    )
    client.force_login(world.users["officer_a"])
    rows = client.get(f"{BASE}/{a.pk}/attendance").json()
    assert [r["membership_id"] for r in rows] == [gov.members["a1_o1"].pk]
    client.force_login(world.users["officer_b"])
    assert client.get(f"{BASE}/{a.pk}/attendance").status_code == 404
    assert client.get(f"{BASE}/{2**63}/attendance").status_code in (404, 422)
