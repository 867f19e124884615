"""The demo of the assemblies part: idempotent, with what the issue asks."""

from __future__ import annotations

import pytest

from htxso.accounts import services as accounts
from htxso.accounts.models import Role
from htxso.core.actors import OPERATOR
from htxso.governance import demo_assemblies
from htxso.governance import selectors_assemblies as sel
from htxso.governance.models import Assembly

pytestmark = pytest.mark.django_db


def test_demo_seeds_past_and_upcoming_delegate_assembly_once(world, gov):
    for slug, org in (("caobang", "a1"), ("daklak", "b1")):
        user = accounts.user_create(
            actor=OPERATOR, username=f"ql.{slug}", password="x" * 20, validate=False
        )
        accounts.role_assign(
            actor=OPERATOR, user=user, role=Role.COOP_MANAGER, organisation=world.orgs[org]
        )
    demo_assemblies.seed(actor=OPERATOR)
    n = Assembly.objects.count()
    demo_assemblies.seed(actor=OPERATOR)
    assert Assembly.objects.count() == n == 4
    past = Assembly.objects.filter(status="closed")
    assert past.count() == 2
    for a in past:
        assert sel.quorum(a).met and a.attendance.exists()
    b1 = world.orgs["b1"]
    assert sel.annual_status(b1).late and not sel.annual_status(world.orgs["a1"]).late
    up = Assembly.objects.get(organisation=b1, status="announced")
    assert up.is_delegate and up.mode == "hybrid"
    need = sel.delegate_need(b1, sel.assembly_day(up))
    assert need.official > 50 and up.delegates.count() >= need.required
    assert sel.voters(up).count() == up.delegates.count()
    assert up.documents.count() == 1 and up.agenda.count() == 3
