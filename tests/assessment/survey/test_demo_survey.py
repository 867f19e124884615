"""The survey demo: questionnaire v1, T0 and T1 in Cao Bằng and Đắk Lắk, peers for a
median, seeded once."""

from __future__ import annotations

import pytest

from htxso.accounts import services as accounts
from htxso.accounts.models import Role, User
from htxso.assessment import demo_survey
from htxso.assessment import selectors_survey as sel
from htxso.assessment.models import Assessment, DxLead, Questionnaire
from htxso.core.actors import OPERATOR
from htxso.registry.demo_plan import demo_tax_code
from htxso.registry.models import Organisation

pytestmark = pytest.mark.django_db


def _user(username, role=None, **where):
    user = accounts.user_create(
        actor=OPERATOR, username=username, password="Mat-khau-rat-dai-2026", validate=False
    )
    if role:
        accounts.role_assign(actor=OPERATOR, user=user, role=role, **where)
    return user


@pytest.fixture
def demo_world(world):
    _user("vca.admin", Role.VCA_ADMIN)
    for code, slug, key in (("04", "caobang", "a1"), ("66", "daklak", "b1")):
        org = world.orgs[key]
        Organisation.objects.filter(pk=org.pk).update(sector="agriculture")
        _user(f"ql.{slug}", Role.COOP_MANAGER, organisation=org)
        _user(f"tv.{slug}", Role.COOP_MEMBER, organisation=org)
        for i in range(10):
            Organisation.objects.create(
                kind="cooperative",
                name=f"HTX Mẫu {code}-{i}",
                tax_code=demo_tax_code(code, 200 + i),
                province_id=code,
                sector="agriculture",
            )
    return world


def test_demo_seeds_rounds_and_peers_once(demo_world):
    made = demo_survey.seed(actor=OPERATOR)
    assert made["questionnaires"] == 1 and made["leads"] == 2
    count = Assessment.objects.count()
    again = demo_survey.seed(actor=OPERATOR)
    assert again == {"questionnaires": 0, "rounds": 0, "leads": 0}
    assert Assessment.objects.count() == count == 2 * (2 + 8 + 4 + 1)
    assert Questionnaire.objects.get().status == "published"
    for key, slug in (("a1", "caobang"), ("b1", "daklak")):
        org = demo_world.orgs[key]
        rounds = list(Assessment.objects.filter(organisation=org).order_by("round"))
        assert [(r.round, r.status) for r in rounds] == [(0, "submitted"), (1, "submitted")]
        assert rounds[0].submitted_at < rounds[1].submitted_at
        assert rounds[1].overall_score > rounds[0].overall_score
        assert DxLead.objects.get(organisation=org).user == User.objects.get(username=f"tv.{slug}")
        latest = sel.latest_submitted(org.pk)
        assert latest == rounds[1]
        medians = sel.peer_medians(latest)
        assert medians is not None and len(medians) == 17
    assert Assessment.objects.filter(status="draft").count() == 2
