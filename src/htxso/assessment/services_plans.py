"""Every write of the plans part: the catalogue, proposing a plan from the gaps, the
youths' edits, submitting, the alliance's review (comments, return, approval, visits),
progress action by action, and the youth network (profiles, posts).

Each service checks ``Plan.policy`` (the DX leads reach their organisation's plans by
the policy's hooks), refuses bad input with a ``ServiceError`` whose ``code`` is stable
(the API answers it as JSON), changes rows in one transaction with one audit row, and
writes nothing when it refuses.  Text is plain: markup (``<script>``, any tag) is refused
with ``text_markup``, and every page escapes what it shows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit, roles
from htxso.core.actors import Actor, SystemActor, require_actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors, text
from htxso.core.errors import ServiceError, conflict, not_found, refused
from htxso.core.policy import holds_at, reach_of

from .catalogue_plans import ACTIONS, ALIASES, TOPICS
from .models import Assessment, AssessmentStatus, DxLead
from .models.plans import (
    EDITABLE,
    OPEN,
    ActionComment,
    CatalogueAction,
    Plan,
    PlanAction,
    PlanStatus,
    PlanVisit,
    Post,
    Topic,
)

ACTION_LABELS.update(
    {
        "dx_plan.catalogue": _("DX action catalogue loaded"),
        "dx_plan.propose": _("DX plan proposed"),
        "dx_plan.update": _("DX plan changed"),
        "dx_plan.action_add": _("DX plan: action added"),
        "dx_plan.action_update": _("DX plan: action changed"),
        "dx_plan.action_remove": _("DX plan: action removed"),
        "dx_plan.progress": _("DX plan: progress updated"),
        "dx_plan.submit": _("DX plan sent to the alliance"),
        "dx_plan.return": _("DX plan returned for changes"),
        "dx_plan.approve": _("DX plan approved"),
        "dx_plan.comment": _("DX plan: comment on an action"),
        "dx_plan.visit": _("DX plan: visit recorded"),
        "dx_network.profile": _("Youth network profile changed"),
        "dx_network.post": _("Youth network: message posted"),
    }
)

#: Dimensions (largest gaps first) a proposed plan works on, and actions per dimension.
PROPOSE_DIMENSIONS = 3
ACTIONS_PER_DIMENSION = 2
#: Points a proposed objective adds to a dimension's score (capped at 100).
TARGET_STEP = Decimal(20)
#: Upper bound of a cost or a budget (VND): ten thousand billion is a typing error.
MAX_VND = 10**13
#: Dates a plan may name (a typing error outside).
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
#: A repeated identical post within this time is a double click (refused).
REPEAT_WINDOW = dt.timedelta(minutes=2)
#: Markup in plain text: a tag or a ``javascript:`` link.
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|javascript\s*:", re.IGNORECASE)

MSG_MARKUP = _("Write plain text: tags such as <script> are not allowed.")
MSG_NOT_EDITABLE = _(
    "The plan was sent to the alliance: it can be changed again only when the alliance returns it."
)
MSG_APPROVED = _("The plan is approved: only the progress of its actions can be updated.")


# ------------------------------------------------------------------ helpers


def _raise(errors: Errors) -> None:
    """Raise the collected field errors with the first problem's code (stable for the
    API: ``cost_negative``, ``dates_reversed``, ``text_markup``…)."""
    if errors:
        first = next(iter(errors.errors.values()))[0]
        joined = "; ".join(m for errs in errors.errors.values() for e in errs for m in e.messages)
        raise ServiceError(first.code or "invalid", joined, fields=dict(errors.errors))


def _plain(
    errors: Errors,
    field: str,
    value: Any,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = True,
) -> str:
    result = text(
        errors,
        field,
        value if value is None or isinstance(value, str) else str(value),
        max_length=max_length,
        required=required,
        multiline=multiline,
    )
    if result and _MARKUP.search(result):
        errors.add(field, MSG_MARKUP, "text_markup")
        return ""
    return result


def _vnd(errors: Errors, field: str, value: Any, *, required: bool = True) -> int:
    if value is None or value == "":
        if required:
            errors.add(field, _("Give an amount in VND (0 if nothing)."), "required")
        return 0
    try:
        amount = (
            int(str(value).replace(".", "").replace(" ", "")) if isinstance(value, str) else value
        )
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValueError
    except (TypeError, ValueError):
        errors.add(field, _("Write the amount as a whole number of VND."), "amount_invalid")
        return 0
    if amount < 0:
        errors.add(field, _("The amount cannot be negative."), "cost_negative")
        return 0
    if amount > MAX_VND:
        errors.add(field, _("The amount is too large."), "amount_too_large")
        return 0
    return amount


def _date(errors: Errors, field: str, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str) and value:
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                value = dt.datetime.strptime(value, fmt).date()
                break
            except ValueError:
                continue
    if not isinstance(value, dt.date):
        if value in (None, ""):
            errors.add(field, _("Give a date."), "required")
        else:
            errors.add(field, _("Write the date as dd/mm/yyyy."), "date_invalid")
        return None
    if not FIRST_DAY <= value <= LAST_DAY:
        errors.add(field, _("The date is outside 2000–2100."), "date_out_of_range")
        return None
    return value


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)


def _is_lead_of(user: Any, organisation_id: int) -> bool:
    if isinstance(user, SystemActor):
        return False
    return DxLead.objects.filter(user=user, organisation_id=organisation_id, active=True).exists()


def may_write_plan_for(user: Any, organisation_id: int) -> bool:
    """Whether ``user`` may start or edit ``organisation_id``'s plan (its manager, its
    DX leads, the VCA)."""
    return Plan.policy.allows_at(user, "edit", organisation=organisation_id) or _is_lead_of(
        user, organisation_id
    )


def _require_editable(plan: Plan) -> None:
    if plan.status == PlanStatus.APPROVED:
        raise conflict(MSG_APPROVED, "plan_approved")
    if plan.status not in EDITABLE:
        raise conflict(MSG_NOT_EDITABLE, "plan_not_editable")


def _audit(instance: Any, *, actor: Actor, action: str, plan: Plan, **after: Any) -> None:
    audit.record(
        actor=actor,
        action=action,
        instance=instance,
        after={"plan": plan.pk, "status": plan.status, **after},
        province=plan.province_id,
        organisation_id=plan.organisation_id,
    )


# ------------------------------------------------------------------ catalogue


def catalogue_load(*, actor: Actor) -> int:
    """Load (or refresh) the action catalogue and the network's topics from
    ``catalogue_plans``; returns how many actions were created or changed."""
    require_actor(actor)
    CatalogueAction.policy.require_at(actor, "change")
    changed = 0
    with transaction.atomic():
        for order, item in enumerate(ACTIONS):
            values = {
                "dimension_key": item["dimension"],
                "title": item["title"],
                "title_en": item["title_en"],
                "description": item.get("description", ""),
                "description_en": item.get("description_en", ""),
                "cost_min": item["cost"][0],
                "cost_max": item["cost"][1],
                "months": item["months"],
                "doer": item["doer"],
                "funding": list(item["funding"]),
                "order": order,
            }
            row = CatalogueAction.objects.filter(code=item["code"]).first()
            if row is None:
                CatalogueAction.objects.create(code=item["code"], **values)
                changed += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.save()
                changed += 1
        for order, topic in enumerate(TOPICS):
            Topic.objects.update_or_create(
                key=topic["key"],
                defaults={"title": topic["title"], "title_en": topic["title_en"], "order": order},
            )
        if changed:
            audit.record(actor=actor, action="dx_plan.catalogue", after={"changed": changed})
    return changed


def _ensure_catalogue() -> None:
    if not CatalogueAction.objects.exists() or not Topic.objects.exists():
        catalogue_load(actor=SystemActor("dx_catalogue", _("DX action catalogue")))


# ------------------------------------------------------------------ propose


@dataclass
class _Pick:
    key: str
    name: str
    score: Decimal
    target: Decimal


def _vnd_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def plan_propose(*, actor: Actor, organisation: Any, assessment: Assessment | None = None) -> Plan:
    """A draft plan from the gaps of ``organisation``'s latest submitted assessment:
    objectives for the largest gaps and actions from the catalogue that lift them."""
    require_actor(actor)
    if not may_write_plan_for(actor, organisation.pk):
        if Plan.policy.allows_at(actor, "view", organisation=organisation.pk) or holds_at(
            actor, roles.READERS, province=organisation.province_id
        ):
            raise refused(_("Only the cooperative's manager or its DX leads write its plan."))
        raise not_found(_("Not found."))
    from . import selectors_survey

    if assessment is None:
        assessment = selectors_survey.latest_submitted(organisation.pk)
    if (
        assessment is None
        or assessment.organisation_id != organisation.pk
        or assessment.status != AssessmentStatus.SUBMITTED
    ):
        raise conflict(
            _("Submit the self-assessment first: the plan is proposed from its gaps."),
            "no_submitted_assessment",
        )
    if Plan.objects.filter(organisation=organisation, status__in=OPEN).exists():
        raise conflict(
            _("This cooperative already has a plan being worked on: open it instead."),
            "plan_exists",
        )
    _ensure_catalogue()
    today = timezone.localdate()
    start = _add_months(today.replace(day=1), 1)
    year = start.year
    picks: list[_Pick] = []
    rows: list[PlanAction] = []
    used: set[int] = set()
    for gap in selectors_survey.gaps(assessment):
        if len(picks) >= PROPOSE_DIMENSIONS:
            break
        if gap.gap <= 0:
            continue
        key = gap.dimension.key
        items = [
            item
            for item in CatalogueAction.objects.filter(
                dimension_key__in={key, ALIASES.get(key, key)}, active=True
            )
            if item.pk not in used
        ][:ACTIONS_PER_DIMENSION]
        if not items:
            continue
        score = Decimal(gap.score)
        picks.append(
            _Pick(
                key=key,
                name=gap.dimension.name,
                score=score,
                target=min(Decimal(100), score + TARGET_STEP),
            )
        )
        for item in items:
            used.add(item.pk)
            begin = _add_months(start, len(rows))
            end = _add_months(begin, max(1, item.months)) - dt.timedelta(days=1)
            mid = (item.cost_min + item.cost_max) // 2
            rows.append(
                PlanAction(
                    catalogue=item,
                    dimension_key=key,
                    title=item.title,
                    start=begin,
                    end=end,
                    cost=round(mid, -5),
                    order=len(rows),
                )
            )
    objectives = "\n".join(
        f"- {p.name}: nâng điểm từ {p.score:.0f} lên {p.target:.0f}/100." for p in picks
    )
    strategy = (
        "Thanh niên HTX dẫn dắt, Ban quản trị chỉ đạo; ưu tiên "
        + ", ".join(p.name for p in picks)
        + ". Làm thí điểm, đo kết quả sau mỗi quý, nhân rộng những việc có hiệu quả."
        if picks
        else ""
    )
    risks = (
        "- Thành viên lớn tuổi ngại dùng điện thoại: thanh niên kèm cặp theo nhóm.\n"
        "- Thiếu vốn: đăng ký các chính sách và đợt hỗ trợ ghi ở từng hành động."
    )
    budget = sum(r.cost for r in rows)
    with transaction.atomic():
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    organisation=organisation,
                    province_id=organisation.province_id,
                    assessment=assessment,
                    title=f"Kế hoạch chuyển đổi số {year}–{year + 1}",
                    objectives=objectives,
                    strategy=strategy,
                    budget=budget,
                    risks=risks,
                    created_by=None if isinstance(actor, SystemActor) else actor,
                )
        except IntegrityError:
            raise conflict(
                _("This cooperative already has a plan being worked on: open it instead."),
                "plan_exists",
            ) from None
        for row in rows:
            row.plan = plan
        PlanAction.objects.bulk_create(rows)
        _audit(
            plan,
            actor=actor,
            action="dx_plan.propose",
            plan=plan,
            assessment=assessment.pk,
            actions=len(rows),
        )
    return plan


# ------------------------------------------------------------------ the youths edit


def plan_update(
    *,
    actor: Actor,
    plan: Plan,
    title: str | None = None,
    objectives: str | None = None,
    strategy: str | None = None,
    budget: Any = None,
    budget_note: str | None = None,
    risks: str | None = None,
    is_public: bool | None = None,
) -> Plan:
    """Change the plan's text, budget and visibility (``None`` keeps a field)."""
    require_actor(actor)
    Plan.policy.require(actor, "edit", plan)
    errors = Errors()
    values: dict[str, Any] = {}
    if title is not None:
        values["title"] = _plain(
            errors, "title", title, max_length=200, required=True, multiline=False
        )
    for name, value in (
        ("objectives", objectives),
        ("strategy", strategy),
        ("budget_note", budget_note),
        ("risks", risks),
    ):
        if value is not None:
            limit = 2000 if name == "budget_note" else 4000
            values[name] = _plain(errors, name, value, max_length=limit)
    if budget is not None:
        values["budget"] = _vnd(errors, "budget", budget)
    if is_public is not None:
        values["is_public"] = bool(is_public)
    _raise(errors)
    with transaction.atomic():
        plan = _lock(plan)
        _require_editable(plan)
        before = {k: getattr(plan, k) for k in values}
        for k, v in values.items():
            setattr(plan, k, v)
        plan.save()
        changed = sorted(k for k in values if before[k] != values[k])
        _audit(plan, actor=actor, action="dx_plan.update", plan=plan, fields=changed)
    return plan


def _action_values(
    errors: Errors,
    *,
    title: Any,
    owner: Any,
    start: Any,
    end: Any,
    cost: Any,
) -> dict[str, Any]:
    values = {
        "title": _plain(errors, "title", title, max_length=200, required=True, multiline=False),
        "owner": _plain(errors, "owner", owner, max_length=150, multiline=False),
        "start": _date(errors, "start", start),
        "end": _date(errors, "end", end),
        "cost": _vnd(errors, "cost", cost),
    }
    if values["start"] and values["end"] and values["end"] < values["start"]:
        errors.add(
            "end",
            _("The end date (%(end)s) is before the start date (%(start)s)."),
            "dates_reversed",
            {
                "end": values["end"].strftime("%d/%m/%Y"),
                "start": values["start"].strftime("%d/%m/%Y"),
            },
        )
    return values


def action_add(
    *,
    actor: Actor,
    plan: Plan,
    title: Any,
    owner: Any = "",
    start: Any,
    end: Any,
    cost: Any,
    catalogue: CatalogueAction | None = None,
) -> PlanAction:
    require_actor(actor)
    Plan.policy.require(actor, "edit", plan)
    errors = Errors()
    values = _action_values(errors, title=title, owner=owner, start=start, end=end, cost=cost)
    _raise(errors)
    with transaction.atomic():
        plan = _lock(plan)
        _require_editable(plan)
        last = plan.actions.order_by("-order").values_list("order", flat=True).first()
        action = PlanAction.objects.create(
            plan=plan,
            catalogue=catalogue,
            dimension_key=catalogue.dimension_key if catalogue else "",
            order=(last or 0) + 1,
            **values,
        )
        _audit(action, actor=actor, action="dx_plan.action_add", plan=plan, title=action.title)
    return action


def action_update(
    *, actor: Actor, action: PlanAction, title: Any, owner: Any, start: Any, end: Any, cost: Any
) -> PlanAction:
    require_actor(actor)
    Plan.policy.require(actor, "edit", action.plan)
    errors = Errors()
    values = _action_values(errors, title=title, owner=owner, start=start, end=end, cost=cost)
    _raise(errors)
    with transaction.atomic():
        plan = _lock(action.plan)
        _require_editable(plan)
        action = PlanAction.objects.get(pk=action.pk)
        for k, v in values.items():
            setattr(action, k, v)
        action.save()
        _audit(
            action,
            actor=actor,
            action="dx_plan.action_update",
            plan=plan,
            cost=action.cost,
            start=action.start.isoformat(),
            end=action.end.isoformat(),
        )
    return action


def action_remove(*, actor: Actor, action: PlanAction) -> None:
    require_actor(actor)
    Plan.policy.require(actor, "edit", action.plan)
    with transaction.atomic():
        plan = _lock(action.plan)
        _require_editable(plan)
        if ActionComment.objects.filter(action=action).exists():
            raise conflict(
                _("The alliance commented on this action: change it instead of removing it."),
                "action_has_comments",
            )
        _audit(action, actor=actor, action="dx_plan.action_remove", plan=plan, title=action.title)
        PlanAction.objects.filter(pk=action.pk).delete()


def action_progress(
    *, actor: Actor, action: PlanAction, progress: Any, note: Any = ""
) -> PlanAction:
    """Record how far one action of an approved plan has got (0–100 %)."""
    require_actor(actor)
    Plan.policy.require(actor, "edit", action.plan)
    errors = Errors()
    value = 0
    if isinstance(progress, bool) or progress in (None, ""):
        errors.add("progress", _("Give the progress in percent (0–100)."), "required")
    else:
        try:
            value = int(progress)
        except (TypeError, ValueError):
            errors.add("progress", _("Give the progress in percent (0–100)."), "progress_invalid")
        else:
            if not 0 <= value <= 100:
                errors.add(
                    "progress", _("The progress must be between 0 and 100 %."), "progress_range"
                )
    clean_note = _plain(errors, "note", note, max_length=500, multiline=False)
    _raise(errors)
    with transaction.atomic():
        plan = _lock(action.plan)
        if plan.status != PlanStatus.APPROVED:
            raise conflict(
                _("Progress is recorded once the alliance has approved the plan."),
                "plan_not_approved",
            )
        action = PlanAction.objects.get(pk=action.pk)
        before = action.progress
        action.progress = value
        action.progress_note = clean_note
        action.progress_at = timezone.now()
        action.save(update_fields=["progress", "progress_note", "progress_at"])
        _audit(
            action,
            actor=actor,
            action="dx_plan.progress",
            plan=plan,
            before_progress=before,
            progress=value,
        )
    return action


def plan_submit(*, actor: Actor, plan: Plan) -> Plan:
    """Send the plan to the provincial alliance (from draft or returned)."""
    require_actor(actor)
    Plan.policy.require(actor, "edit", plan)
    with transaction.atomic():
        plan = _lock(plan)
        if plan.status == PlanStatus.SUBMITTED:
            raise conflict(
                _("The plan was already sent to the alliance on %(day)s."),
                "plan_already_submitted",
                {"day": timezone.localtime(plan.submitted_at).strftime("%d/%m/%Y")},
            )
        _require_editable(plan)
        errors = Errors()
        if not plan.objectives.strip():
            errors.add("objectives", _("Write the plan's objectives."), "objectives_missing")
        actions = list(plan.actions.all())
        if not actions:
            errors.add("actions", _("Add at least one action."), "actions_missing")
        unowned = [a.title for a in actions if not a.owner]
        if unowned:
            errors.add(
                "actions",
                _("Say who is responsible for: %(titles)s."),
                "owner_missing",
                {"titles": "; ".join(unowned[:5])},
            )
        _raise(errors)
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_at = timezone.now()
        plan.submitted_by = None if isinstance(actor, SystemActor) else actor
        plan.save()
        _audit(plan, actor=actor, action="dx_plan.submit", plan=plan, actions=len(actions))
    return plan


# ------------------------------------------------------------------ the alliance


def _require_submitted(plan: Plan) -> None:
    if plan.status != PlanStatus.SUBMITTED:
        raise conflict(
            _(
                "Only a plan sent to the alliance can be returned or approved; this one is "
                "“%(status)s”."
            ),
            "plan_not_submitted",
            {"status": str(plan.get_status_display())},
        )


def plan_return(*, actor: Actor, plan: Plan, note: Any) -> Plan:
    require_actor(actor)
    Plan.policy.require(actor, "review", plan)
    errors = Errors()
    clean = _plain(errors, "note", note, max_length=2000)
    if not clean and not errors:
        errors.add("note", _("Say what the youths should change."), "note_required")
    _raise(errors)
    with transaction.atomic():
        plan = _lock(plan)
        _require_submitted(plan)
        plan.status = PlanStatus.RETURNED
        plan.decision_note = clean
        plan.decided_at = timezone.now()
        plan.decided_by = None if isinstance(actor, SystemActor) else actor
        plan.save()
        _audit(plan, actor=actor, action="dx_plan.return", plan=plan, note=clean)
    return plan


def plan_approve(*, actor: Actor, plan: Plan, note: Any = "") -> Plan:
    require_actor(actor)
    Plan.policy.require(actor, "review", plan)
    errors = Errors()
    clean = _plain(errors, "note", note, max_length=2000)
    _raise(errors)
    with transaction.atomic():
        plan = _lock(plan)
        _require_submitted(plan)
        plan.status = PlanStatus.APPROVED
        plan.decision_note = clean
        plan.decided_at = timezone.now()
        plan.decided_by = None if isinstance(actor, SystemActor) else actor
        plan.approved_on = timezone.localdate()
        plan.save()
        _audit(plan, actor=actor, action="dx_plan.approve", plan=plan)
    return plan


def comment_add(*, actor: Actor, action: PlanAction, body: Any) -> ActionComment:
    """A comment on one action: the alliance's advice or the youths' answer."""
    require_actor(actor)
    plan = action.plan
    Plan.policy.require(actor, "comment", plan)
    errors = Errors()
    clean = _plain(errors, "body", body, max_length=2000, required=True)
    _raise(errors)
    staff = holds_at(actor, roles.REVIEWERS, province=plan.province_id)
    with transaction.atomic():
        comment = ActionComment.objects.create(
            action=action,
            author=None if isinstance(actor, SystemActor) else actor,
            by_staff=staff,
            body=clean,
        )
        _audit(comment, actor=actor, action="dx_plan.comment", plan=plan, action_id=action.pk)
    return comment


def visit_record(*, actor: Actor, plan: Plan, visited_on: Any, note: Any) -> PlanVisit:
    """The alliance's visit to the cooperative about its plan."""
    require_actor(actor)
    Plan.policy.require(actor, "review", plan)
    errors = Errors()
    day = _date(errors, "visited_on", visited_on)
    if day and day > timezone.localdate():
        errors.add("visited_on", _("A visit is recorded after it took place."), "visit_future")
    clean = _plain(errors, "note", note, max_length=4000, required=True)
    _raise(errors)
    with transaction.atomic():
        plan = _lock(plan)
        if plan.status == PlanStatus.DRAFT:
            raise conflict(
                _("The plan is still being written: visits are recorded once it is sent."),
                "plan_draft",
            )
        visit = PlanVisit.objects.create(
            plan=plan,
            visited_on=day,
            visitor=None if isinstance(actor, SystemActor) else actor,
            note=clean,
        )
        _audit(visit, actor=actor, action="dx_plan.visit", plan=plan, day=str(day))
    return visit


# ------------------------------------------------------------------ the youth network


def may_post(user: Any) -> bool:
    """DX leads and reviewers write in the network."""
    if isinstance(user, SystemActor):
        return True
    everywhere, provinces, _orgs = reach_of(user, roles.REVIEWERS)
    return everywhere or bool(provinces) or DxLead.objects.filter(user=user, active=True).exists()


def profile_update(*, actor: Actor, public_profile: bool, bio: Any) -> int:
    """The actor's own network profile (on each organisation they lead)."""
    require_actor(actor)
    leads = (
        DxLead.objects.filter(user=actor, active=True)
        if not isinstance(actor, SystemActor)
        else None
    )
    if leads is None or not leads.exists():
        raise refused(_("Only a cooperative's DX lead has a network profile."), "not_a_lead")
    errors = Errors()
    clean = _plain(errors, "bio", bio, max_length=500)
    _raise(errors)
    with transaction.atomic():
        count = leads.update(public_profile=bool(public_profile), bio=clean)
        audit.record(
            actor=actor,
            action="dx_network.profile",
            after={"public_profile": bool(public_profile), "leads": count},
        )
    return count


def post_add(*, actor: Actor, topic: Topic, body: Any) -> Post:
    require_actor(actor)
    if not may_post(actor):
        raise refused(
            _("DX leads and the alliance write in the network; others read."), "not_in_network"
        )
    errors = Errors()
    clean = _plain(errors, "body", body, max_length=2000, required=True)
    _raise(errors)
    lead = (
        DxLead.objects.filter(user=actor, active=True).select_related("organisation").first()
        if not isinstance(actor, SystemActor)
        else None
    )
    with transaction.atomic():
        recent = Post.objects.filter(
            topic=topic, body=clean, created_at__gte=timezone.now() - REPEAT_WINDOW
        )
        if lead is not None and recent.filter(author=actor).exists():
            raise conflict(_("This message was just posted."), "post_repeated")
        post = Post.objects.create(
            topic=topic,
            author=None if isinstance(actor, SystemActor) else actor,
            organisation=lead.organisation if lead else None,
            province_id=lead.organisation.province_id if lead else None,
            body=clean,
        )
        audit.record(
            actor=actor,
            action="dx_network.post",
            instance=post,
            after={"topic": topic.key},
            province=post.province_id,
            organisation_id=post.organisation_id,
        )
    return post
