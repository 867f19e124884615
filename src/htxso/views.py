"""Pages that belong to no single app: the role-aware home page, health, errors."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from htxso import __version__
from htxso.accounts.models import Role
from htxso.accounts.selectors import role_assignments
from htxso.core import roles
from htxso.core.access import access
from htxso.core.policy import holds
from htxso.core.scoping import get_scope
from htxso.registry import selectors as registry
from htxso.registry.models import Organisation
from htxso.support.knowledge.selectors import latest_for


@access(public=True)
def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/anonymous.html", {"whats_new": latest_for(user, limit=3)})
    scope = get_scope(user)
    assignments = list(role_assignments(user))
    context: dict = {"assignments": assignments, "scope": scope, "sections": []}
    sections = context["sections"]
    if scope.national_view:
        sections.append("national")
        # one query: the national figures are the sum of the provinces' rows
        by_province = registry.organisation_counts_by_province(user=user)
        context["national_counts"] = registry.sum_counts(by_province)
        context["by_province"] = by_province
    elif scope.view_provinces:
        sections.append("province")
        context["province_counts"] = registry.organisation_counts(user=user)
        context["province_names"] = sorted(
            {a.province.short_name for a in assignments if a.province_id}
        )
        context["recent"] = list(
            Organisation.objects.allowed(user, "view")
            .only("id", "name", "kind", "tax_code")
            .order_by("-created_at")[:5]
        )
        context["can_edit_province"] = bool(scope.edit_provinces)
    if holds(user, roles.REVIEWERS):
        context["requests_waiting"] = requests_waiting(user)
    managed = [a.organisation for a in assignments if a.role == Role.COOP_MANAGER]
    member_of = [a.organisation for a in assignments if a.role == Role.COOP_MEMBER]
    if managed:
        sections.append("manager")
        context["managed"] = managed
    if member_of:
        sections.append("member")
        context["member_of"] = member_of
    if scope.trainer:
        sections.append("trainer")
        from htxso.training import selectors_attendance as training_attendance

        # the sessions to run next (one query), each with its check-in page
        context["sessions_to_teach"] = training_attendance.sessions_to_teach(
            user, since=timezone.now()
        )[:5]
    if scope.has_role(Role.BUYER):
        sections.append("buyer")
    if not sections:
        sections.append("no_role")
    if not ({"national", "province"} & set(sections)):
        # news, guides and model cases for the people they are written for; the staff who
        # write them find them under "Model cases, news and guides" (and their home page
        # stays within its query budget: 10 on a cold cache)
        context["whats_new"] = latest_for(user, limit=3)
    return render(request, "home/home.html", context)


def requests_waiting(user) -> dict[str, int]:
    """What waits for this reviewer: access requests and household store requests to
    decide (counted by the database in one query: the home page's query budget is small),
    open support requests of the queue and how many of them are overdue (cached)."""
    from django.db.models import Count, IntegerField, Value

    from htxso.market.models import StoreRequest
    from htxso.market.models.household_stores import StoreRequestStatus
    from htxso.onboarding.models import AccessRequest, Status
    from htxso.support import selectors as support

    def counted(qs, kind: int):
        return (
            qs.annotate(kind=Value(kind, output_field=IntegerField()))
            .values("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
            .order_by()
        )

    parts = [
        counted(AccessRequest.objects.allowed(user, "decide").filter(status=Status.SUBMITTED), 1),
        counted(
            StoreRequest.objects.allowed(user, "decide").filter(
                status=StoreRequestStatus.SUBMITTED
            ),
            2,
        ),
    ]
    # the support queue's counts are kept until a request changes (counting a national
    # queue of 100,000 requests on every home page took 0.4 s); on a cold cache they are
    # counted in the same query and kept
    support_counts = support.cached_open_counts(user=user)
    if support_counts is None:
        parts += [
            counted(support.open_requests(user=user), 3),
            counted(support.open_requests(user=user).filter(support.overdue_q(support.today())), 4),
        ]
    found = dict(parts[0].union(*parts[1:], all=True))
    if support_counts is None:
        support_counts = {"open": found.get(3, 0), "overdue": found.get(4, 0)}
        support.remember_open_counts(user=user, counts=support_counts)
    return {
        "access": found.get(1, 0),
        "stores": found.get(2, 0),
        "support_open": support_counts["open"],
        "support_overdue": support_counts["overdue"],
    }


@access(public=True)
@never_cache
def healthz(request):
    """Database, cache and task backlog, as JSON, for monitors and load balancers.

    503 only when the database cannot be reached (this process can serve nothing). A
    cache that is down, or tasks piling up, answer 200 with ``"status": "degraded"``:
    every process shares the same Redis and workers, so a load balancer dropping the
    processes would take the whole site down for a fault it can ride out. Two
    queries and one cache round trip, never cached; no personal data.
    """
    from django.conf import settings

    from htxso.core.metrics import ready_tasks

    body: dict = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = "ok"
    except Exception:
        body["database"] = "error"
    body["cache"] = _cache_round_trip()
    body["tasks"] = "error"
    if body["database"] == "ok":
        try:
            ready, oldest = ready_tasks()
        except Exception:
            ready = oldest = None
        if ready is not None and oldest is not None:
            backlog = (
                ready > settings.HTXSO_HEALTH_TASKS_MAX_READY
                or oldest > settings.HTXSO_HEALTH_TASKS_MAX_AGE_SECONDS
            )
            body.update(
                tasks="backlog" if backlog else "ok",
                tasks_ready=ready,
                tasks_oldest_seconds=round(oldest),
            )
    if body["database"] != "ok":
        body["status"] = "error"
    elif "error" in (body["cache"], body["tasks"]) or body["tasks"] == "backlog":
        body["status"] = "degraded"
    body["database_vendor"] = connection.vendor
    body["version"] = __version__
    return JsonResponse(body, status=503 if body["database"] != "ok" else 200)


def _cache_round_trip() -> str:
    """Set and read back a short-lived key (one per process: no two processes race)."""
    import os
    import uuid

    from django.core.cache import cache

    key = f"htxso:healthz:{os.getpid()}"
    value = uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=30)
        return "ok" if cache.get(key) == value else "error"
    except Exception:
        return "error"
