"""The plans demo: plans in every state in Cao Bằng and Đắk Lắk, idempotent."""

from __future__ import annotations

import pytest

from htxso.assessment import demo_plans
from htxso.assessment.models import Plan, PlanVisit, Post
from htxso.core.actors import OPERATOR
from htxso.registry.models import Organisation
from tests.assessment.factories import submitted_assessment

from .helpers import SCORES, make_lead

pytestmark = pytest.mark.django_db


def test_demo_seeds_plans_in_every_state_once(world):
    make_lead(world)
    for province, orgs in (("04", [world.orgs["a1"]]), ("66", [world.orgs["b1"]])):
        for i in range(5 - len(orgs)):
            orgs.append(
                Organisation.objects.create(
                    kind="group", name=f"Tổ hợp tác Mẫu {province}-{i}", province_id=province
                )
            )
        for org in orgs:
            submitted_assessment(org, SCORES, default=70)
    result = demo_plans.seed(actor=OPERATOR)
    for province in ("04", "66"):
        states = set(Plan.objects.filter(province_id=province).values_list("status", flat=True))
        assert states == {"draft", "submitted", "returned", "approved"}, (province, states)
    assert PlanVisit.objects.exists() and Post.objects.exists()
    assert result["plans"]["approved"] == 4
    before = Plan.objects.count()
    demo_plans.seed(actor=OPERATOR)
    assert Plan.objects.count() == before
