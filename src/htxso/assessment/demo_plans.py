"""Demo data of the plans part: DX plans in every state in Cao Bằng (04) and Đắk Lắk (66),
the catalogue, the network's topics and a few posts.

Run after the survey and impact parts' demos (plans are proposed from submitted rounds):
for each province, the first cooperatives with a submitted round and no plan get, in
turn, a plan being written, one sent to the alliance, one returned with a comment, one
approved with progress, comments and a visit (shown to the network), and a second
approved one.  The cooperative's manager (or a DX lead) writes, the province's officer
reviews; without such accounts the services act as ``actor``.  Idempotent: a province
that already has plans is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from htxso.core.actors import Actor
from htxso.core.errors import ServiceError
from htxso.core.roles import Role

from . import selectors_survey
from . import services_plans as services
from .models import Assessment, AssessmentStatus, DxLead
from .models.plans import Plan, Topic

PROVINCES = ("04", "66")
STATES = ("draft", "submitted", "returned", "approved", "approved")
POSTS = [
    ("getting-started", "Nhóm mình bắt đầu bằng việc số hóa sổ thành viên, mất 2 tuần là xong."),
    ("ecommerce", "HTX mình mở gian hàng trên sàn được 3 tháng, đơn đều nhất là mật ong."),
    ("traceability", "Tem QR truy xuất nguồn gốc nên in theo lô, đừng in theo hộp."),
]


def _writer(org: Any, *, actor: Actor) -> Any:
    from htxso.accounts.models import RoleAssignment

    lead = DxLead.objects.filter(organisation=org, active=True).select_related("user").first()
    if lead is not None:
        return lead.user
    ra = (
        RoleAssignment.objects.filter(organisation=org, role=Role.COOP_MANAGER)
        .select_related("user")
        .first()
    )
    return ra.user if ra else actor


def _officer(province: str, *, actor: Actor) -> Any:
    from htxso.accounts.models import RoleAssignment

    ra = (
        RoleAssignment.objects.filter(province_id=province, role=Role.PROVINCE_OFFICER)
        .select_related("user")
        .first()
    )
    return ra.user if ra else actor


def _ready(plan: Plan, writer: Any) -> Plan:
    for i, action in enumerate(plan.actions.all()):
        services.action_update(
            actor=writer,
            action=action,
            title=action.title,
            owner=("Nông Thị Hoa", "Lò Văn Minh", "Hoàng Văn Tú")[i % 3],
            start=action.start,
            end=action.end,
            cost=action.cost,
        )
    return plan


def _one(state: str, org: Any, assessment: Any, writer: Any, officer: Any) -> None:
    """One plan brought to ``state``, in one transaction (all or nothing)."""
    with transaction.atomic():
        plan = services.plan_propose(actor=writer, organisation=org, assessment=assessment)
        if state == "draft":
            return
        _ready(plan, writer)
        services.plan_update(actor=writer, plan=plan, is_public=state == "approved")
        services.plan_submit(actor=writer, plan=plan)
        first = plan.actions.order_by("order").first()
        if first is not None:
            services.comment_add(
                actor=officer,
                action=first,
                body="Nên hỏi Liên minh về đợt hỗ trợ chuyển đổi số trước khi mua.",
            )
        if state == "returned":
            services.plan_return(
                actor=officer,
                plan=plan,
                note="Ghi rõ nguồn kinh phí đối ứng của HTX và người phụ trách từng việc.",
            )
        elif state == "approved":
            services.plan_approve(actor=officer, plan=plan, note="Thống nhất kế hoạch.")
            if first is not None:
                services.action_progress(
                    actor=writer, action=first, progress=40, note="Đã làm xong bước đầu"
                )
            services.visit_record(
                actor=officer,
                plan=plan,
                visited_on=timezone.localdate(),
                note="Làm việc với Ban quản trị và nhóm thanh niên; kế hoạch khả thi.",
            )


def seed(*, actor: Actor) -> dict[str, Any]:
    """Plans in every state in Cao Bằng and Đắk Lắk (idempotent)."""
    services.catalogue_load(actor=actor)
    made: dict[str, int] = {}
    for province in PROVINCES:
        if Plan.objects.filter(province_id=province).exists():
            continue
        officer = _officer(province, actor=actor)
        org_ids = list(
            Assessment.objects.filter(province_id=province, status=AssessmentStatus.SUBMITTED)
            .order_by("organisation_id")
            .values_list("organisation_id", flat=True)
            .distinct()[:20]
        )
        states = list(STATES)
        for org_id in org_ids:
            if not states:
                break
            assessment = selectors_survey.latest_submitted(org_id)
            if assessment is None:
                continue
            org = assessment.organisation
            try:
                _one(states[0], org, assessment, _writer(org, actor=actor), officer)
            except ServiceError:
                continue  # e.g. no gap to work on: the next cooperative takes this state
            state = states.pop(0)
            made[state] = made.get(state, 0) + 1
        leads = list(DxLead.objects.filter(organisation__province_id=province, active=True)[:3])
        for lead, (key, body) in zip(leads, POSTS, strict=False):
            topic = Topic.objects.filter(key=key).first()
            if topic is not None:
                DxLead.objects.filter(pk=lead.pk).update(public_profile=True)
                services.post_add(actor=lead.user, topic=topic, body=body)
    return {"plans": made}
