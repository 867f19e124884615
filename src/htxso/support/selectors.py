"""Reads of service requests, each through ``ServiceRequest.policy``; the working-day
calendar and the SLA rules as data; the organisation's registry facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from htxso.accounts.models import RoleAssignment, User
from htxso.core import workdays as calendar
from htxso.core.cached import Versioned
from htxso.core.roles import Role
from htxso.geo.models import Province
from htxso.registry import selectors as registry_selectors
from htxso.registry.models import AnnualReport, Membership, Organisation

from .models import (
    ACTIVE,
    DEFAULT_SLA,
    OPEN,
    CalendarDay,
    DayKind,
    Entry,
    RequestType,
    ServiceRequest,
    SlaRule,
    Status,
)

#: "Due soon": the deadline is within this many working days.
DUE_SOON_DAYS = 1


def today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------ calendar and SLA


#: The working calendar (read on every page with deadlines), the officers of a
#: province and the queue's counts are kept per version of their tables; ``apps.py``
#: forgets them when a calendar day, a role, a user or a request is saved or deleted.
CALENDAR = Versioned("support:calendar", ttl=300)
OFFICERS = Versioned("support:officers", ttl=300)
OPEN_COUNTS = Versioned("support:open-counts", ttl=30)
PROVINCE_NAMES = Versioned("support:province-names", ttl=3600)


def working_calendar() -> calendar.WorkingCalendar:
    """Weekends and public holidays, with the government's changes from the table."""

    def build() -> calendar.WorkingCalendar:
        off: list[dt.date] = []
        work: list[dt.date] = []
        for day, kind in CalendarDay.objects.values_list("day", "kind"):
            (off if kind == DayKind.DAY_OFF else work).append(day)
        return calendar.WorkingCalendar.of(off, work)

    return CALENDAR.get_or_set(("all",), build)


def sla_for(request_type: str) -> tuple[int, int]:
    """(first response, resolution) in working days for a request type."""
    rule = SlaRule.objects.filter(request_type=request_type).first()
    if rule is not None:
        return rule.first_response_days, rule.resolution_days
    return DEFAULT_SLA.get(request_type, DEFAULT_SLA[RequestType.OTHER])


@dataclass(frozen=True)
class SlaState:
    """What the queue shows of a request's deadlines, on ``day``."""

    due: dt.date | None
    which: str  # "first_response" | "resolution" | ""
    overdue: bool
    due_soon: bool
    paused: bool


def sla_state(req: Any, day: dt.date, cal: calendar.WorkingCalendar = calendar.PLAIN) -> SlaState:
    """``req``: a request, or any row with its ``status``, ``first_responded_at``,
    ``first_response_due`` and ``resolution_due`` (the queue reads plain rows)."""
    if req.status not in OPEN:
        return SlaState(None, "", False, False, False)
    if req.status == Status.WAITING:
        return SlaState(req.resolution_due, "resolution", False, False, True)
    if req.first_responded_at is None:
        due, which = req.first_response_due, "first_response"
    else:
        due, which = req.resolution_due, "resolution"
    overdue = day > due
    soon = (
        not overdue
        and (due - day).days <= 7 * DUE_SOON_DAYS + 14  # no need to count far deadlines
        and calendar.working_days_between(day, due, cal) <= DUE_SOON_DAYS
    )
    return SlaState(due, which, overdue, soon, False)


def overdue_q(day: dt.date) -> Q:
    """Open requests past their deadline on ``day`` (waiting ones are paused)."""
    return Q(status__in=ACTIVE) & (
        Q(first_responded_at__isnull=True, first_response_due__lt=day) | Q(resolution_due__lt=day)
    )


# ------------------------------------------------------------------ registry facts


def organisation_facts(organisation: Organisation) -> dict[str, Any]:
    """The organisation's registry facts, as the request keeps them (JSON)."""
    org = Organisation.objects.select_related("province", "ward").get(pk=organisation.pk)
    [figures] = registry_selectors.figures_for([org])
    members = Membership.objects.filter(organisation=org, left_on__isnull=True).count()
    report = (
        AnnualReport.objects.filter(organisation=org)
        .order_by("-year")
        .values("year", "revenue", "workers_total")
        .first()
    )
    facts: dict[str, Any] = {
        "name": org.name,
        "tax_code": org.tax_code or "",
        "kind": org.kind,
        "kind_label": str(org.get_kind_display()),
        "sector": org.sector,
        "sector_label": str(org.get_sector_display()) if org.sector else "",
        "status": org.status,
        "status_label": str(org.get_status_display()),
        "province": org.province.name,
        "ward": org.ward.name if org.ward_id else "",
        "established_on": org.established_on.isoformat() if org.established_on else None,
        "charter_capital": org.charter_capital,
        "members": members,
        "main_products": org.main_products,
        "high_tech": bool(org.high_tech),
        "grade": figures.latest_grade or "",
        "ocop": bool(figures.has_ocop),
        "value_chain": bool(figures.in_value_chain),
        "taken_on": today().isoformat(),
    }
    if report:
        facts["report_year"] = report["year"]
        facts["revenue"] = report["revenue"]
        facts["workers"] = report["workers_total"]
    return facts


# ------------------------------------------------------------------ lists


def _list_qs(qs: QuerySet) -> QuerySet:
    return qs.select_related("organisation", "province", "assignee")


def my_requests(*, user: Any) -> QuerySet:
    """The requests of the organisations the user acts for (a manager's own)."""
    return (
        _list_qs(ServiceRequest.objects.allowed(user, "own"))
        .only(*QUEUE_FIELDS)
        .order_by("-created_at", "-pk")
    )


def own_organisations(*, user: Any) -> list[Organisation]:
    """The organisations the user may send a request for (a manager's own)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = RoleAssignment.objects.filter(user=user, role=Role.COOP_MANAGER).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).select_related("province"))


#: What a row of the queue shows (the description and the facts stay in the database).
QUEUE_FIELDS = (
    "id",
    "title",
    "status",
    "outcome",
    "request_type",
    "created_at",
    "first_response_due",
    "resolution_due",
    "first_responded_at",
    "rating",
    "organisation_id",
    "organisation__name",
    "province_id",
    "province__name",
    "assignee_id",
    "assignee__full_name",
    "assignee__username",
)


@dataclass
class QueueFilters:
    request_type: str = ""
    status: str = ""  # a Status, "open" (default) or "all"
    overdue: bool = False
    assignee: str = ""  # "", "me", "none" or a user id
    province: str = ""


def queue(*, user: Any, filters: QueueFilters, day: dt.date | None = None) -> QuerySet:
    """The centre's queue: sorted by the deadline that matters now (first response
    until answered, then resolution), the oldest first."""
    day = day or today()
    qs = ServiceRequest.objects.allowed(user, "queue")
    if filters.province:
        qs = qs.filter(province_id=filters.province)
    if filters.request_type:
        qs = qs.filter(request_type=filters.request_type)
    if filters.status == "all":
        pass
    elif filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    else:
        # "not closed" (= OPEN) is the condition of the queue's partial indexes
        qs = qs.exclude(status=Status.CLOSED)
    if filters.overdue:
        qs = qs.exclude(status=Status.CLOSED).filter(overdue_q(day))
    if filters.assignee == "me":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee.isdigit() and len(filters.assignee) < 19:
        qs = qs.filter(assignee_id=int(filters.assignee))
    return _list_qs(qs).only(*QUEUE_FIELDS).order_by("resolution_due", "first_response_due", "pk")


#: What one line of the queue shows (read as plain rows: no model instances to build).
QUEUE_ROW_FIELDS = (
    "id",
    "title",
    "status",
    "request_type",
    "created_at",
    "first_response_due",
    "resolution_due",
    "first_responded_at",
    "organisation__name",
    "province__name",
    "assignee_id",
    "assignee__full_name",
    "assignee__username",
)


def queue_key(*, user: Any, filters: QueueFilters, day: dt.date) -> tuple:
    """What a queue page depends on besides the requests themselves (whose changes
    forget every kept value): the scope of the user, the filters and the day."""
    everywhere, provinces, organisations = ServiceRequest.policy.reach(user, "queue")
    return (
        "queue",
        day.isoformat(),
        everywhere,
        ",".join(sorted(provinces)),
        sorted(organisations),
        filters.request_type,
        filters.status,
        filters.overdue,
        filters.assignee,
        filters.province,
        user.pk if filters.assignee == "me" else "",
    )


def queue_count(*, key: tuple, qs: QuerySet) -> int:
    """How many requests ``qs`` (the user's queue with its filters, ``key``) holds, kept
    with the open counts (forgotten when a request changes): counting the open requests
    of the whole country on every page costs more than the page of rows itself."""
    return OPEN_COUNTS.get_or_set(key, qs.count)


def queue_ids(qs: QuerySet) -> QuerySet:
    """The ids of the queue, in its order: paged on the request table alone (its partial
    indexes cover the order), so a deep page does not join the rows it skips."""
    return qs.values_list("id", flat=True)


def queue_rows(ids: list[int]) -> list[Any]:
    """The lines of one page (named rows of :data:`QUEUE_ROW_FIELDS`), in ``ids``' order."""
    found = {
        r.id: r
        for r in ServiceRequest.objects.filter(pk__in=ids).values_list(
            *QUEUE_ROW_FIELDS, named=True
        )
    }
    return [found[i] for i in ids if i in found]


def officers_for(province_id: str) -> list[User]:
    """Who may be given a request of ``province_id``: its officers (and the VCA's)."""

    def build() -> list[User]:
        ids = RoleAssignment.objects.filter(
            Q(role=Role.PROVINCE_OFFICER, province_id=province_id) | Q(role=Role.VCA_ADMIN)
        ).values("user_id")
        return list(
            User.objects.filter(pk__in=ids, is_active=True)
            .only("pk", "username", "full_name", "first_name", "last_name")
            .order_by("full_name", "pk")
        )

    return OFFICERS.get_or_set((province_id,), build)


def province_choices(*, user: Any) -> list[tuple[str, str]]:
    everywhere, provinces, _orgs = ServiceRequest.policy.reach(user, "queue")
    names = PROVINCE_NAMES.get_or_set(
        ("all",), lambda: list(Province.objects.order_by("name").values_list("code", "name"))
    )
    if everywhere:
        return names
    return [(code, name) for code, name in names if code in provinces]


# ------------------------------------------------------------------ one request


def timeline(*, user: Any, req: ServiceRequest) -> list[Entry]:
    """The request's entries the user may read (internal notes: the centre's staff)."""
    qs = req.entries.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=req.attachments.model.objects.order_by("pk"))
    )
    if not ServiceRequest.policy.allows(user, "queue", req):
        qs = qs.filter(internal=False)
    return list(qs)


def staff_sees(user: Any, req: ServiceRequest) -> bool:
    return ServiceRequest.policy.allows(user, "queue", req)


# ------------------------------------------------------------------ home cards


def open_requests(*, user: Any) -> QuerySet[ServiceRequest]:
    """The user's queue of requests not closed yet."""
    return ServiceRequest.objects.allowed(user, "queue").exclude(status=Status.CLOSED)


def _open_counts_key(user: Any, day: dt.date) -> tuple:
    everywhere, provinces, organisations = ServiceRequest.policy.reach(user, "queue")
    return (day.isoformat(), everywhere, ",".join(sorted(provinces)), sorted(organisations))


def open_counts(*, user: Any) -> dict[str, int]:
    """Open requests of the user's queue and how many are overdue (one query, then kept
    per scope and day until a request changes)."""
    day = today()
    return OPEN_COUNTS.get_or_set(
        _open_counts_key(user, day),
        lambda: (
            ServiceRequest.objects.allowed(user, "queue")
            .exclude(status=Status.CLOSED)
            .aggregate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(day)))
        ),
    )


def cached_open_counts(*, user: Any) -> dict[str, int] | None:
    """:func:`open_counts` when it is in the cache, else ``None`` (the home page then
    counts them inside its one query and hands them to :func:`remember_open_counts`)."""
    return OPEN_COUNTS.get(_open_counts_key(user, today()))


def remember_open_counts(*, user: Any, counts: dict[str, int]) -> None:
    OPEN_COUNTS.set(_open_counts_key(user, today()), counts)


def officer(province_id: str, pk: int | None) -> User | None:
    """The officer ``pk`` if they may be given a request of ``province_id``."""
    if pk is None:
        return None
    return next((u for u in officers_for(province_id) if u.pk == pk), None)
