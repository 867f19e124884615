"""Permission-test samples of the plans part (read by tests/permissions/samples.py).

member_a1 is a DX lead of a1 (public profile).  a1 (Cao Bằng) has a plan being written
(the samples of the youths' pages and operations); a2 (Cao Bằng) and b1 (Đắk Lắk) have
plans sent to the alliance (a2's is the sample of the review pages and is shown to the
youth network); each plan has one action.
"""

from __future__ import annotations

import datetime as dt

TITLES = {
    "a1": "Kế hoạch chuyển đổi số HopGiangMau",
    "a2": "Kế hoạch chuyển đổi số BaoLacMau",
    "b1": "Kế hoạch chuyển đổi số EaTuMau",
}


def _lead(w):
    from htxso.assessment.models import DxLead

    lead, _ = DxLead.objects.get_or_create(
        organisation=w.orgs["a1"],
        user=w.users["member_a1"],
        defaults={"named_by": w.users["manager_a1"]},
    )
    if not lead.public_profile or not lead.active:
        DxLead.objects.filter(pk=lead.pk).update(public_profile=True, active=True)
    return lead


def _plan(w, key):
    from django.utils import timezone

    from htxso.assessment.models import Plan, PlanAction

    org = w.orgs[key]
    found = Plan.objects.filter(organisation=org, title=TITLES[key]).first()
    if found is not None:
        return found
    plan = Plan.objects.create(
        organisation=org,
        province_id=org.province_id,
        title=TITLES[key],
        objectives="Bán hàng trực tuyến",
        status="draft" if key == "a1" else "submitted",
        submitted_at=None if key == "a1" else timezone.now(),
        is_public=key == "a2",
        budget=10_000_000,
    )
    PlanAction.objects.create(
        plan=plan,
        title=f"Mở gian hàng {key}",
        owner="Nguyễn Văn An",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        cost=10_000_000,
    )
    return plan


def _topic():
    from htxso.assessment.models import Topic

    topic, _ = Topic.objects.get_or_create(key="getting-started", defaults={"title": "Bắt đầu"})
    return topic


def WORLD(w):
    _lead(w)
    _plan(w, "a1")
    _plan(w, "a2")
    _plan(w, "b1")
    _topic()


def _pk(w):
    return {"pk": _plan(w, "a1").pk}


def _review(w):
    return {"pk": _plan(w, "a2").pk}


def _action(w):
    return {"pk": _plan(w, "a1").actions.first().pk}


SAMPLES = {
    "assessment:plan_propose": lambda w: ({"org_pk": w.orgs["a1"].pk}, None),
    "assessment:plan_detail": lambda w: (_pk(w), None),
    "assessment:plan_edit": lambda w: (_pk(w), None),
    "assessment:plan_action_add": lambda w: (_pk(w), None),
    "assessment:plan_submit": lambda w: (_pk(w), None),
    "assessment:plan_docx": lambda w: (_pk(w), None),
    "assessment:plan_action_edit": lambda w: (_action(w), None),
    "assessment:plan_action_delete": lambda w: (_action(w), None),
    "assessment:plan_action_progress": lambda w: (_action(w), None),
    "assessment:plan_action_comment": lambda w: (_action(w), None),
    "assessment:plan_return": lambda w: (_review(w), None),
    "assessment:plan_approve": lambda w: (_review(w), None),
    "assessment:plan_visit": lambda w: (_review(w), None),
    "assessment:network_profile": lambda w: ({"pk": _lead(w).pk}, None),
    "assessment:network_plan": lambda w: (_review(w), None),
    "assessment:network_topic": lambda w: ({"pk": _topic().pk}, None),
}

P = "/api/v1/assessment/plans"
API_SAMPLES = {
    P + "/{plan_id}": lambda w: {"plan_id": _plan(w, "a1").pk},
    P + "/{plan_id}/actions": lambda w: {"plan_id": _plan(w, "a1").pk},
    P + "/{plan_id}/submit": lambda w: {"plan_id": _plan(w, "a1").pk},
    P + "/{plan_id}/return": lambda w: {"plan_id": _plan(w, "a2").pk},
    P + "/{plan_id}/approve": lambda w: {"plan_id": _plan(w, "a2").pk},
    P + "/actions/{action_id}": lambda w: {"action_id": _action(w)["pk"]},
    P + "/actions/{action_id}/progress": lambda w: {"action_id": _action(w)["pk"]},
    P + "/actions/{action_id}/comments": lambda w: {"action_id": _action(w)["pk"]},
}
