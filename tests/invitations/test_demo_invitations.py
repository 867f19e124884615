"""The invitations demo: each state in Cao Bằng's demo cooperative, and the demo member
linked to her register row so she sees her membership."""

from __future__ import annotations

import pytest

from htxso.core.demodata import DemoContext
from htxso.invitations.models import Invitation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _seed():
    from htxso.accounts import demo as accounts_demo
    from htxso.invitations import demo
    from htxso.registry import demo as registry_demo

    ctx = DemoContext()
    for module in (registry_demo, accounts_demo, demo):
        module.seed(ctx)


def test_demo_invitations_and_linked_member(client):
    _seed()
    from htxso.accounts.models import User
    from htxso.registry.models import Person

    member = User.objects.get(username="tv.caobang")
    person = Person.objects.get(user=member)
    org = Invitation.objects.filter(organisation__province_id="04").first().organisation
    states = {i.current_state for i in Invitation.objects.filter(organisation=org)}
    assert states == {"pending", "accepted", "expired", "revoked"}
    count = Invitation.objects.count()
    _seed()  # idempotent
    assert Invitation.objects.count() == count
    client.force_login(member)
    page = client.get("/loi-moi/chao-mung/").content.decode()
    assert person.memberships.first().organisation.name in page and "₫" in page
    members = client.get(f"/to-chuc/{org.pk}/thanh-vien/").content.decode()
    assert "liên kết với tài khoản" not in members and person.full_name in members
    client.force_login(User.objects.get(username="ql.caobang"))
    listing = client.get(f"/to-chuc/{org.pk}/loi-moi/").content.decode()
    for label in ("Đang chờ", "Đã tham gia", "Đã hết hạn", "Đã thu hồi"):
        assert label in listing
