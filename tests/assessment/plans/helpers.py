"""Helpers of the plans tests: a DX lead, a plan proposed from a submitted round."""

from __future__ import annotations

import datetime as dt

from htxso.assessment import services_plans as services
from htxso.assessment.models import DxLead
from tests.assessment.factories import submitted_assessment

#: a1's scores: e-commerce, data and green digitalisation are the largest gaps
SCORES = {"coop_ecommerce": 10, "dma_data": 20, "dma_green": 30}


def make_lead(world, key="member_a1", org="a1", **kw) -> DxLead:
    lead, _ = DxLead.objects.get_or_create(
        organisation=world.orgs[org],
        user=world.users[key],
        defaults={"named_by": world.users["manager_a1"], **kw},
    )
    return lead


def proposed(world, org="a1", actor_key="manager_a1", scores=None):
    submitted_assessment(world.orgs[org], scores or SCORES, default=80)
    return services.plan_propose(actor=world.users[actor_key], organisation=world.orgs[org])


def own_all(plan, actor, owner="Nguyễn Văn An"):
    for a in plan.actions.all():
        services.action_update(
            actor=actor, action=a, title=a.title, owner=owner, start=a.start, end=a.end, cost=a.cost
        )


def submitted_plan(world, org="a1", actor_key="manager_a1"):
    plan = proposed(world, org, actor_key)
    own_all(plan, world.users[actor_key])
    return services.plan_submit(actor=world.users[actor_key], plan=plan)


D = dt.date
