"""Shared pieces of the account-management tests."""

from __future__ import annotations

from htxso.accounts import services
from htxso.accounts.models import Role
from htxso.core.actors import OPERATOR
from htxso.core.models import AuditEvent


def two_province_member(w):
    """A person who is a member of a1 (Cao Bằng) and of b1 (Đắk Lắk)."""
    user = services.user_create(
        actor=OPERATOR,
        username="u_hai_tinh",
        password=None,
        full_name="Nguyễn Thị Hai Tỉnh",
        phone="+84912345678",
    )
    services.role_assign(
        actor=OPERATOR, user=user, role=Role.COOP_MEMBER, organisation=w.orgs["a1"]
    )
    services.role_assign(
        actor=OPERATOR, user=user, role=Role.COOP_MEMBER, organisation=w.orgs["b1"]
    )
    return user


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def fresh(user):
    """The user as the next request sees it (no cached scope)."""
    return type(user).objects.get(pk=user.pk)
