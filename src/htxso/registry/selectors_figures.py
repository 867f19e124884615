"""Figures of organisations computed in SQL: legal-check facts, workforce counts and
the warning flags of the legal checks (see :mod:`htxso.registry.checks`).

Every function adds subqueries to an organisation queryset, so a page reads the figures
of any number of organisations in one query.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import checks
from .models import (
    YOUTH_AGE,
    AnnualReport,
    MemberKind,
    Membership,
    Organisation,
    UnionMembership,
    Worker,
)


def today() -> dt.date:
    return timezone.localdate()


def _latest_report():
    return AnnualReport.objects.filter(
        organisation=OuterRef("pk"),
        status__in=checks.REPORT_SENT_STATUSES,
    ).order_by("-year")


def _int_subquery(qs, expression) -> Coalesce:
    return Coalesce(
        Subquery(
            qs.order_by().values("organisation").annotate(v=expression).values("v")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _active_members(**extra):
    return Membership.objects.filter(organisation=OuterRef("pk"), left_on__isnull=True, **extra)


def with_check_facts(qs: QuerySet, day: dt.date) -> QuerySet:
    """Annotate what :mod:`checks` needs (``f_*`` fields), subqueries only."""
    year = checks.reference_report_year(day)
    return qs.annotate(
        f_members_recorded=_int_subquery(_active_members(), Count("pk")),
        f_official_members=_int_subquery(_active_members(kind=MemberKind.OFFICIAL), Count("pk")),
        f_max_official_capital=_int_subquery(
            _active_members(kind=MemberKind.OFFICIAL), Max("capital")
        ),
        f_associate_capital=_int_subquery(
            _active_members(kind=MemberKind.CAPITAL_ASSOCIATE), Sum("capital")
        ),
        f_total_capital=_int_subquery(_active_members(), Sum("capital")),
        f_union_members=Coalesce(
            Subquery(
                UnionMembership.objects.filter(union=OuterRef("pk"), left_on__isnull=True)
                .order_by()
                .values("union")
                .annotate(v=Count("pk"))
                .values("v")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        f_report_official_members=Subquery(
            _latest_report().values("members_official")[:1], output_field=IntegerField()
        ),
        f_report_status=Subquery(
            AnnualReport.objects.filter(organisation=OuterRef("pk"), year=year).values("status")[:1]
        ),
    )


def youth_cutoff(day: dt.date) -> dt.date:
    """People born after this day are under :data:`YOUTH_AGE` on ``day``."""
    try:
        return day.replace(year=day.year - YOUTH_AGE)
    except ValueError:  # 29 February
        return day.replace(year=day.year - YOUTH_AGE, day=28)


def with_workforce(qs: QuerySet, day: dt.date) -> QuerySet:
    """Annotate active workers, youth and unknown ages from the worker register,
    and member counts by kind."""
    workers = Worker.objects.filter(organisation=OuterRef("pk"), ended_on__isnull=True)
    return qs.annotate(
        w_total=_int_subquery(workers, Count("pk")),
        w_youth=_int_subquery(
            workers.filter(person__birth_date__gt=youth_cutoff(day)), Count("pk")
        ),
        w_unknown_age=_int_subquery(workers.filter(person__birth_date__isnull=True), Count("pk")),
        w_managers=_int_subquery(workers.filter(is_manager=True), Count("pk")),
        m_capital_associates=_int_subquery(
            _active_members(kind=MemberKind.CAPITAL_ASSOCIATE), Count("pk")
        ),
        m_service_associates=_int_subquery(
            _active_members(kind=MemberKind.SERVICE_ASSOCIATE), Count("pk")
        ),
    )


def warning_flags(qs: QuerySet, day: dt.date) -> QuerySet:
    """Annotate one boolean per check (``w_*``), mirroring :mod:`checks` in SQL, so a
    page can filter the organisations with warnings before paginating."""
    due = checks.report_due_date(checks.reference_report_year(day))
    base = Case(
        When(charter_capital__gt=0, then=F("charter_capital")),
        default=F("f_total_capital"),
        output_field=IntegerField(),
    )
    limit = Case(
        When(kind="union", then=Value(checks.CAPITAL_LIMIT_PERCENT_UNION)),
        default=Value(checks.CAPITAL_LIMIT_PERCENT),
        output_field=IntegerField(),
    )
    qs = qs.annotate(
        w_base=base,
        w_limit=limit,
        w_report_members=Coalesce(F("f_report_official_members"), Value(0)),
    )
    needed = checks.MIN_MEMBERS
    members = (
        Q(kind="union", f_union_members__lt=needed["union"])
        | Q(kind="group", f_members_recorded__gt=0, f_members_recorded__lt=needed["group"])
        | Q(kind="group", f_members_recorded=0, w_report_members__lt=needed["group"])
        | Q(
            kind="cooperative",
            f_members_recorded__gt=0,
            f_official_members__lt=needed["cooperative"],
        )
        | Q(kind="cooperative", f_members_recorded=0, w_report_members__lt=needed["cooperative"])
    )
    capital = Q(w_base__gt=0) & ~Q(kind="group")
    member_capital = capital & Q(**{"w_cap_x100__gt": F("w_limit") * F("w_base")})
    associates = capital & Q(**{"w_assoc_x100__gt": F("w_limit") * F("w_base")})
    report = (Q(established_on__isnull=True) | Q(established_on__lte=due)) & (
        Q(f_report_status__isnull=True) | ~Q(f_report_status__in=checks.REPORT_SENT_STATUSES)
    )
    qs = qs.annotate(
        w_cap_x100=F("f_max_official_capital") * 100,
        w_assoc_x100=F("f_associate_capital") * 100,
    )
    checked = ~Q(status__in=checks.NOT_CHECKED_STATUSES)

    def flag(q):
        return ExpressionWrapper(checked & q, output_field=BooleanField())

    return qs.annotate(
        w_members=flag(members),
        w_member_capital=flag(member_capital),
        w_associates=flag(associates),
        w_report=flag(report),
        w_tax=flag(Q(tax_status__in=checks.TAX_PROBLEM_STATUSES)),
    )


def organisations_with_warnings(*, user, province: str = "", day: dt.date | None = None):
    """Organisations the user may see that fail at least one legal check."""
    day = day or today()
    qs = Organisation.objects.allowed(user, "view").select_related("province", "ward")
    if province:
        qs = qs.filter(province_id=province)
    qs = warning_flags(with_check_facts(qs, day), day)
    return qs.filter(
        Q(w_members=True)
        | Q(w_member_capital=True)
        | Q(w_associates=True)
        | Q(w_report=True)
        | Q(w_tax=True)
    ).order_by("province_id", "name", "pk")


#: Checks other apps add from their ``AppConfig.ready()`` (governance: the capital
#: register's limits): ``check(organisation, day) -> list[LegalWarning]``.
EXTRA_WARNINGS: list = []


def register_warnings(check) -> None:
    """Add ``check(organisation, day)`` to every organisation's legal warnings (once)."""
    if check not in EXTRA_WARNINGS:
        EXTRA_WARNINGS.append(check)


def warnings_for(organisation, day: dt.date | None = None) -> list[checks.LegalWarning]:
    day = day or today()
    found = checks.check_organisation(checks.facts_from(organisation), day)
    if organisation.status in checks.NOT_CHECKED_STATUSES:
        return found
    return found + [w for check in EXTRA_WARNINGS for w in check(organisation, day)]
