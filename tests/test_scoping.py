"""The one scoping mechanism: each model's policy (core.policy) — lists, one object, 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from htxso.core import audit
from htxso.core.models import AuditEvent
from htxso.core.policy import get_allowed_or_404
from htxso.registry.models import Organisation

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(o.name for o in qs)


def test_visible_to_each_role(world):
    all_orgs = names(Organisation.objects.all())
    a = ["HTX Nông nghiệp Hợp Giang", "Tổ hợp tác Dệt thổ cẩm Bảo Lạc"]
    expected = {
        "vca": all_orgs,
        "officer_a": a,
        "viewer_a": a,
        "officer_b": ["HTX Cà phê Ea Tu"],
        "manager_a1": ["HTX Nông nghiệp Hợp Giang"],
        "member_a1": ["HTX Nông nghiệp Hợp Giang"],
        "trainer": [],
        "buyer": [],
        "norole": [],
    }
    for key, want in expected.items():
        assert names(Organisation.objects.allowed(world.users[key], "view")) == want, key
    assert names(Organisation.objects.allowed(AnonymousUser(), "view")) == []
    assert names(Organisation.objects.allowed(None, "view")) == []


def test_editable_by_each_role(world):
    expected = {
        "vca": 3,
        "officer_a": 2,
        "viewer_a": 0,  # department viewers change nothing
        "manager_a1": 1,
        "member_a1": 0,
        "trainer": 0,
    }
    for key, count in expected.items():
        assert Organisation.objects.allowed(world.users[key], "change").count() == count, key


def test_inactive_user_sees_nothing(world):
    user = world.users["vca"]
    user.is_active = False
    assert Organisation.objects.allowed(user, "view").count() == 0


def test_get_visible_or_404_hides_other_provinces(world):
    b1 = world.orgs["b1"]
    assert get_allowed_or_404(Organisation, world.users["officer_b"], "view", pk=b1.pk) == b1
    for key in ("officer_a", "viewer_a", "manager_a1", "buyer"):
        with pytest.raises(Http404):
            get_allowed_or_404(Organisation, world.users[key], "view", pk=b1.pk)
    with pytest.raises(Http404):
        get_allowed_or_404(Organisation, world.users["vca"], "view", pk=987654321)
    with pytest.raises(Http404):
        get_allowed_or_404(Organisation, world.users["vca"], "view", pk="not-a-number")


def test_get_editable_or_404(world):
    a1 = world.orgs["a1"]
    assert get_allowed_or_404(Organisation, world.users["manager_a1"], "change", pk=a1.pk) == a1
    with pytest.raises(PermissionDenied):
        get_allowed_or_404(Organisation, world.users["viewer_a"], "change", pk=a1.pk)
    with pytest.raises(Http404):
        get_allowed_or_404(Organisation, world.users["officer_b"], "change", pk=a1.pk)


def test_audit_records_before_and_after_and_is_scoped(world):
    org = world.orgs["a1"]
    before = audit.snapshot(org)
    org.name = "HTX Hợp Giang (đổi tên)"
    org.save()
    event = audit.record(
        actor=world.users["officer_a"],
        action="organisation.update",
        instance=org,
        before=before,
        after=audit.snapshot(org),
    )
    assert event.province_id == "04" and event.organisation_id == org.pk
    assert ("name", "HTX Nông nghiệp Hợp Giang", "HTX Hợp Giang (đổi tên)") in event.changes
    assert "search_text" not in event.after
    assert event in AuditEvent.objects.allowed(world.users["viewer_a"], "view")
    assert event not in AuditEvent.objects.allowed(world.users["officer_b"], "view")
    # cooperative members do not browse the audit trail of their cooperative
    assert event not in AuditEvent.objects.allowed(world.users["member_a1"], "view")


def test_services_write_audit_rows(world):
    # build_world assigned roles through the service: each assignment left a row
    assert AuditEvent.objects.filter(action="role.assign").count() >= 10
    assert AuditEvent.objects.filter(action="user.create").count() == len(world.users)
    row = AuditEvent.objects.filter(action="user.create").first()
    assert "password" not in row.after


def test_audit_page_lists_only_what_the_user_may_see(client, world):
    client.force_login(world.users["officer_b"])
    body = client.get("/nhat-ky/").content.decode()
    assert "Đắk Lắk" in body and "Cao Bằng" not in body
    partial = client.get("/nhat-ky/?action=role.assign", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
