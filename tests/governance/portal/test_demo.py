"""demo_portal.seed: disclosures on time and late, a question answered, a distribution;
idempotent."""

from __future__ import annotations

import pytest

from htxso.accounts import services as accounts
from htxso.accounts.models import Role
from htxso.core.actors import OPERATOR
from htxso.governance import demo_portal, selectors_disclosures
from htxso.governance.models import Disclosure, ProfitDistribution, Question
from htxso.registry.models import Person

pytestmark = pytest.mark.django_db


def test_demo_portal(world, gov):
    a1 = world.orgs["a1"]
    manager = accounts.user_create(
        actor=OPERATOR, username="ql.caobang", password="Mat-khau-rat-dai-2026", validate=False
    )
    accounts.role_assign(actor=OPERATOR, user=manager, role=Role.COOP_MANAGER, organisation=a1)
    member = accounts.user_create(
        actor=OPERATOR, username="tv.caobang", password="Mat-khau-rat-dai-2026", validate=False
    )
    Person.objects.filter(pk=gov.members["a1_o1"].person_id).update(user=member)
    demo_portal.seed(actor=OPERATOR)
    n = Disclosure.objects.filter(organisation=a1).count()
    assert n >= 5
    due = selectors_disclosures.due_and_late(a1)
    assert due.overdue and due.due and due.posted_late
    assert Question.objects.filter(answered_at__isnull=False).count() == 1
    assert ProfitDistribution.objects.filter(organisation=a1).count() == 1
    demo_portal.seed(actor=OPERATOR)
    assert Disclosure.objects.filter(organisation=a1).count() == n
    assert Question.objects.count() == 2
