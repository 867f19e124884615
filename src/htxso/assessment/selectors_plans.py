"""Reads of the plans part (through ``Plan.policy``), and what it publishes for the
results indicators (issue 17): ``approved_plan_organisations`` and ``plan_youths``.

Who counts as a young DX lead (``plan_youths``): an active DX lead whose user account is
linked to a registry ``Person`` (``Person.user``) that is under 35 on the day asked —
from the date of birth when it is known; from the year of birth alone only when the
person is surely under 35 that day (``year(until) − birth_year ≤ 34``); a lead whose age
the registry does not know is NOT counted (the figure is a floor, never a guess).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from htxso.core import roles
from htxso.core.policy import reach_of
from htxso.core.scoping import get_scope

from .models import DxLead
from .models.plans import (
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

#: Youth: under this age (Vietnam's Law on Youth: 16 to 30; the EU project counts
#: young people up to 35, which we follow).
YOUTH_AGE = 35


# ------------------------------------------------------------------ for the results app


def approved_plan_organisations(*, province: str | None = None, until: dt.date) -> QuerySet:
    """Ids of the organisations with a DX plan approved on or before ``until`` (in
    ``province`` when given), each once."""
    qs = Plan.objects.filter(status=PlanStatus.APPROVED, approved_on__lte=until)
    if province:
        qs = qs.filter(province_id=province)
    return qs.order_by().values_list("organisation_id", flat=True).distinct()


def _under(until: dt.date, age: int) -> Q:
    """Persons under ``age`` on ``until``: born after the day ``age`` years before."""
    try:
        born_after = until.replace(year=until.year - age)
    except ValueError:  # 29 February
        born_after = until.replace(year=until.year - age, day=28)
    return Q(birth_date__gt=born_after) | Q(
        birth_date__isnull=True, birth_year__gte=until.year - (age - 1)
    )


def plan_youths(*, province: str | None = None, until: dt.date, age: int = YOUTH_AGE) -> QuerySet:
    """User ids of the young DX leads behind the plans approved on or before ``until``
    (in ``province`` when given): active leads named by then, of those organisations,
    under ``age`` that day by the registry (see the module's docstring), each once."""
    from htxso.registry.models import Person

    young = Person.objects.filter(_under(until, age), user_id=OuterRef("user_id"))
    return (
        DxLead.objects.filter(
            active=True,
            named_at__date__lte=until,
            organisation_id__in=approved_plan_organisations(province=province, until=until),
        )
        .filter(Exists(young))
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )


# ------------------------------------------------------------------ plans


def led_organisations(user: Any) -> list[Any]:
    """Organisations whose plan ``user`` writes: those they manage and those they lead."""
    from htxso.registry.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return []
    _everywhere, _provinces, orgs = reach_of(user, roles.MANAGERS)
    lead_ids = set(
        DxLead.objects.filter(user=user, active=True).values_list("organisation_id", flat=True)
    )
    ids = set(orgs) | lead_ids
    if not ids:
        return []
    return list(Organisation.objects.filter(pk__in=ids).select_related("province").order_by("name"))


def current_plan(organisation_id: int) -> Plan | None:
    """The plan being worked on, else the latest approved one."""
    plans = Plan.objects.filter(organisation_id=organisation_id)
    return plans.filter(status__in=OPEN).first() or plans.filter(status=PlanStatus.APPROVED).first()


def plan_get(user: Any, pk: Any, action: str = "view") -> Plan:
    qs = Plan.objects.select_related("organisation", "province", "assessment")
    return Plan.policy.get_or_404(user, action, qs, pk=pk)


def action_get(user: Any, pk: Any) -> PlanAction:
    """One action of a plan ``user`` may see (404 otherwise)."""
    qs = PlanAction.objects.select_related("plan", "plan__organisation", "catalogue")
    return PlanAction.policy.get_or_404(user, "view", qs, pk=pk)


def plan_actions(plan: Plan) -> list[PlanAction]:
    actions = list(plan.actions.select_related("catalogue").order_by("order", "pk"))
    comments: dict[int, list[ActionComment]] = {}
    for c in ActionComment.objects.filter(action__plan=plan).select_related("author"):
        comments.setdefault(c.action_id, []).append(c)
    for a in actions:
        a.comment_list = comments.get(a.pk, [])  # type: ignore[attr-defined]
    return actions


def plan_visits(plan: Plan) -> QuerySet:
    return PlanVisit.objects.filter(plan=plan).select_related("visitor")


@dataclass
class PlanTotals:
    cost: int
    actions: int
    progress: int  # mean progress of the actions, %
    done: int


def plan_totals(actions: list[PlanAction]) -> PlanTotals:
    cost = sum(a.cost for a in actions)
    n = len(actions)
    progress = round(sum(a.progress for a in actions) / n) if n else 0
    return PlanTotals(
        cost=cost, actions=n, progress=progress, done=sum(1 for a in actions if a.progress >= 100)
    )


def review_queue(user: Any, *, status: str = PlanStatus.SUBMITTED) -> QuerySet:
    """Plans of the provinces ``user`` reviews, in ``status`` (the oldest sent first)."""
    qs = Plan.policy.queryset(user, "review").select_related("organisation", "province")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("submitted_at", "pk")


def dimension_names() -> dict[str, str]:
    """``Dimension.key -> name`` of the published questionnaires (the newest wins), in
    the active language."""
    from django.utils.translation import get_language

    from .models import Dimension

    english = (get_language() or "vi").startswith("en")
    names: dict[str, str] = {}
    rows = Dimension.objects.filter(questionnaire__status="published").order_by(
        "questionnaire__version"
    )
    for key, name, name_en in rows.values_list("key", "name", "name_en"):
        names[key] = (name_en or name) if english else name
    return names


def catalogue() -> QuerySet:
    return CatalogueAction.objects.filter(active=True).order_by("order", "code")


# ------------------------------------------------------------------ the youth network


def user_province(user: Any) -> str | None:
    """The province a person belongs to: of an organisation they lead or are in, or of
    their province role."""
    lead = DxLead.objects.filter(user=user, active=True).select_related("organisation").first()
    if lead is not None:
        return lead.organisation.province_id
    scope = get_scope(user)
    for provinces in scope.provinces_by_role.values():
        for code in sorted(provinces):
            return code
    from htxso.registry.models import Organisation

    for orgs in scope.organisations_by_role.values():
        for pk in sorted(orgs):
            return Organisation.objects.filter(pk=pk).values_list("province_id", flat=True).first()
    return None


def network_profiles(*, province: str | None = None) -> QuerySet:
    qs = DxLead.objects.filter(active=True, public_profile=True).select_related(
        "user", "organisation", "organisation__province"
    )
    if province:
        qs = qs.filter(organisation__province_id=province)
    return qs.order_by("organisation__province__name", "organisation__name", "pk")


def network_plans(*, province: str | None = None) -> QuerySet:
    """Plans marked public (not those still being written)."""
    qs = Plan.objects.filter(is_public=True).exclude(status=PlanStatus.DRAFT)
    if province:
        qs = qs.filter(province_id=province)
    return qs.select_related("organisation", "province").order_by("-updated_at", "-pk")


def network_profile(pk: Any) -> DxLead:
    from django.http import Http404

    try:
        return network_profiles().get(pk=pk)
    except (DxLead.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def network_plan(pk: Any) -> Plan:
    from django.http import Http404

    try:
        return network_plans().get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def topics() -> list[Topic]:
    return list(Topic.objects.order_by("order", "key"))


def topic_posts(topic: Topic, *, province: str | None = None) -> QuerySet:
    qs = Post.objects.filter(topic=topic).select_related("author", "organisation", "province")
    if province:
        qs = qs.filter(province_id=province)
    return qs.order_by("-created_at", "-pk")


def today() -> dt.date:
    return timezone.localdate()
