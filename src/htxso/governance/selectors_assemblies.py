"""Reads of the assemblies part: who votes, the quorum, attendance, what is coming.

Published for the other parts (votes, portal) — keep the signatures:

* :func:`voters` — the memberships with a vote at an assembly (official and active on
  the assembly's day; in a delegate assembly, its elected delegates);
* :func:`quorum` — present voters against the rule of the assembly's call;
* :func:`attendance_of` — a member's check-in, or ``None``;
* :func:`upcoming_for` — the announced or open assemblies of the user's cooperatives
  (:func:`upcoming_in` — the same of any assemblies, one cooperative's).

The thresholds are rows of :mod:`htxso.governance.rules`: no number of the law is
written here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from htxso.core.policy import allowed
from htxso.registry.models import Membership, Organisation

from . import rules
from .models.assemblies import (
    Assembly,
    AssemblyKind,
    AssemblyStatus,
    Attendance,
    Delegate,
    Petition,
    PetitionSignature,
)
from .models.rules import RuleKey

OFFICIAL = "official"
#: the rule of each call's quorum
QUORUM_RULES = {1: RuleKey.QUORUM_1, 2: RuleKey.QUORUM_2, 3: RuleKey.QUORUM_3}
#: statuses in which an assembly is still to come or under way
UPCOMING = (AssemblyStatus.ANNOUNCED, AssemblyStatus.OPEN)


def assembly_day(assembly: Assembly) -> dt.date:
    """The assembly's day in Vietnam (never a UTC date)."""
    return timezone.localdate(assembly.scheduled_at)


def _active_on(day: dt.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def official_members(organisation: Organisation | int, on: dt.date | None = None) -> QuerySet:
    """Official members active on ``on`` (default today)."""
    day = on or timezone.localdate()
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return Membership.objects.filter(_active_on(day), organisation_id=org_id, kind=OFFICIAL)


def voters(assembly: Assembly) -> QuerySet[Membership]:
    """The memberships with a vote at ``assembly``: the official members active on its
    day; in a delegate assembly, the elected delegates (still official and active)."""
    qs = official_members(assembly.organisation_id, assembly_day(assembly))
    if assembly.is_delegate:
        qs = qs.filter(pk__in=Delegate.objects.filter(assembly=assembly).values("membership_id"))
    return qs


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int
    required_pct: Decimal
    required: int
    met: bool
    article: str


def quorum(assembly: Assembly) -> Quorum:
    """Voters present against the rule of the assembly's call.  ``total`` is fixed when
    the assembly opens (``voters_total``); before that it is counted now."""
    total = assembly.voters_total if assembly.voters_total is not None else voters(assembly).count()
    present = Attendance.objects.filter(assembly=assembly, may_vote=True).count()
    r = rules.rule(
        QUORUM_RULES[assembly.call_no],
        on=assembly_day(assembly),
        org_kind=assembly.organisation.kind,
    )
    pct = r.value
    required = math.ceil(Decimal(total) * pct / Decimal(100)) if pct else 0
    return Quorum(
        present=present,
        total=total,
        required_pct=pct,
        required=required,
        met=present >= required,
        article=r.article,
    )


def attendance_of(assembly: Assembly, membership: Membership | None) -> Attendance | None:
    if membership is None:
        return None
    return Attendance.objects.filter(assembly=assembly, membership=membership).first()


def membership_of(user, organisation_id: int) -> Membership | None:
    """The active membership behind ``user`` in an organisation (or ``None``)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(
            organisation_id=organisation_id, person__user=user, left_on__isnull=True
        )
        .select_related("person")
        .first()
    )


def upcoming_for(user) -> list[Assembly]:
    """Announced or open assemblies of the cooperatives where ``user`` is an active
    member, soonest first (a closed or draft one is not "upcoming"); an announced one
    cancelled before its day stays listed (as cancelled) until that day has passed, so
    members see it was called off (after the assemblies still to come)."""
    if not getattr(user, "is_authenticated", False):
        return []
    orgs = Membership.objects.filter(person__user=user, left_on__isnull=True).values(
        "organisation_id"
    )
    return list(
        upcoming_in(Assembly.objects.filter(organisation_id__in=orgs)).select_related(
            "organisation"
        )
    )


def upcoming_in(assemblies: QuerySet[Assembly]) -> QuerySet[Assembly]:
    """The upcoming ones of ``assemblies``, in the order of :func:`upcoming_for` (the
    member portal asks for those of one cooperative)."""
    since = timezone.now() - dt.timedelta(days=1)
    return (
        assemblies.filter(
            Q(status__in=UPCOMING) | Q(status=AssemblyStatus.CANCELLED, announced_at__isnull=False)
        )
        .filter(Q(status=AssemblyStatus.OPEN) | Q(scheduled_at__gte=since))
        .annotate(
            called_off=Case(
                When(status=AssemblyStatus.CANCELLED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("called_off", "scheduled_at", "id")
    )


def may_vote(assembly: Assembly, membership: Membership) -> bool:
    """Whether the member would vote at ``assembly`` (official; a delegate in a delegate
    assembly)."""
    return voters(assembly).filter(pk=membership.pk).exists()


# --- delegates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DelegateNeed:
    official: int
    #: the official members from which a delegate assembly may be held
    threshold: int
    allowed: bool
    #: delegates the law asks at least (None: no band covers the number)
    required: int | None
    article: str


def delegate_need(organisation: Organisation, on: dt.date | None = None) -> DelegateNeed:
    day = on or timezone.localdate()
    n = official_members(organisation, day).count()
    start = rules.rule(RuleKey.DELEGATE_ASSEMBLY_FROM, on=day, org_kind=organisation.kind)
    row = rules.band(RuleKey.DELEGATES, n, on=day, org_kind=organisation.kind)
    required: int | None = None
    article = start.article
    if row is not None:
        article = row.article
        if row.unit == "percent":
            required = math.ceil(Decimal(n) * row.value / Decimal(100))
        else:
            required = min(int(row.value), n)
    return DelegateNeed(
        official=n,
        threshold=int(start.value),
        allowed=n >= start.value,
        required=required,
        article=article,
    )


# --- petitions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionState:
    petition: Petition
    signed: int
    required: int
    enough: bool
    signed_by_me: bool
    article: str


def petition_required(assembly: Assembly) -> tuple[int, str]:
    day = assembly_day(assembly)
    r = rules.rule(RuleKey.PETITION_SHARE, on=day, org_kind=assembly.organisation.kind)
    n = official_members(assembly.organisation_id, day).count()
    return math.ceil(Decimal(n) * r.value / Decimal(100)), r.article


def petitions(assembly: Assembly, membership: Membership | None = None) -> list[PetitionState]:
    required, article = petition_required(assembly)
    mine: set[int] = set()
    if membership is not None:
        mine = set(
            PetitionSignature.objects.filter(
                petition__assembly=assembly, membership=membership
            ).values_list("petition_id", flat=True)
        )
    rows = (
        Petition.objects.filter(assembly=assembly)
        .annotate(n=Count("signatures"))
        .select_related("agenda_item")
        .order_by("id")
    )
    return [PetitionState(p, p.n, required, p.n >= required, p.pk in mine, article) for p in rows]


def unanswered_petitions(assembly: Assembly) -> list[PetitionState]:
    """Petitions with enough signatures the manager has not answered yet."""
    return [s for s in petitions(assembly) if s.enough and not s.petition.decision]


# --- the annual assembly's deadline ------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class AnnualStatus:
    year: int
    due_on: dt.date
    held: Assembly | None
    late: bool
    article: str

    @property
    def days_left(self) -> int | None:
        if self.held is not None:
            return None
        return (self.due_on - timezone.localdate()).days


def annual_due(organisation: Organisation, year: int) -> tuple[dt.date, str]:
    """The last day of the annual assembly reviewing ``year``."""
    year_end = dt.date(year, 12, 31)
    r = rules.rule(
        RuleKey.ANNUAL_ASSEMBLY_MONTHS,
        on=year_end + dt.timedelta(days=1),
        org_kind=organisation.kind,
    )
    return add_months(year_end, int(r.value)), r.article


def annual_status(organisation: Organisation, on: dt.date | None = None) -> AnnualStatus:
    """The annual assembly for the last financial year: held, still due, or late."""
    day = on or timezone.localdate()
    year = day.year - 1
    due_on, article = annual_due(organisation, year)
    held = (
        Assembly.objects.filter(
            organisation=organisation,
            kind=AssemblyKind.ANNUAL,
            year=year,
            status=AssemblyStatus.CLOSED,
        )
        .order_by("closed_at")
        .first()
    )
    late = held is None and day > due_on
    if held is not None and held.closed_at is not None:
        late = timezone.localdate(held.closed_at) > due_on
    return AnnualStatus(year=year, due_on=due_on, held=held, late=late, article=article)


def late_annual(user, on: dt.date | None = None, limit: int = 300) -> list[tuple]:
    """Cooperatives the user reaches (as staff) whose annual assembly is late:
    ``(organisation, AnnualStatus)``, for the province's list.  Only cooperatives and
    unions that keep a member register here (an active official member)."""
    day = on or timezone.localdate()
    year = day.year - 1
    orgs = (
        allowed(Organisation, user, "view")
        .filter(kind__in=("cooperative", "union"), status="active")
        .filter(memberships__kind=OFFICIAL, memberships__left_on__isnull=True)
        .distinct()
        .order_by("name", "id")
    )
    held_ids = set(
        Assembly.objects.filter(
            kind=AssemblyKind.ANNUAL, year=year, status=AssemblyStatus.CLOSED
        ).values_list("organisation_id", flat=True)
    )
    out = []
    for org in orgs[: limit * 2]:
        if org.pk in held_ids:
            status = annual_status(org, day)
            if status.late:
                out.append((org, status))
            continue
        due_on, article = annual_due(org, year)
        if day > due_on:
            out.append((org, AnnualStatus(year, due_on, None, True, article)))
        if len(out) >= limit:
            break
    return out


def assemblies_for(user) -> QuerySet[Assembly]:
    """The assemblies the user may see (policy), newest first."""
    return allowed(Assembly, user, "view").select_related("organisation", "organisation__province")
