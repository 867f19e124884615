"""Reads of annual reports and classification scores, always scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from htxso.core.policy import get_allowed_or_404
from htxso.core.scoping import get_scope

from .models import (
    AnnualReport,
    ClassificationScore,
    Organisation,
    OrganisationStatus,
    ReportStatus,
)

#: The annual reports whose figures count — in the statistics, the eligibility rules of
#: programmes and support policies, and the indicators: received by the province
#: (submitted) or accepted.  A draft, or a report returned for changes, is the
#: organisation's unchecked work: its figures count nowhere.
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
DONE = COUNTED


def counted(prefix: str = "") -> Q:
    """The filter of counted reports, through the relation ``prefix`` (for example
    ``"annual_reports__"`` from an organisation)."""
    return Q(**{f"{prefix}status__in": COUNTED})


def counted_reports(
    reports: QuerySet[AnnualReport] | None = None,
    *,
    year: int | None = None,
    min_year: int | None = None,
) -> QuerySet[AnnualReport]:
    """The figures of organisations for a year: their counted annual reports.

    The one reading of "the figures of an organisation for year Y", shared by the
    statistics (``stats_queries``), the eligibility rules (``rules.facts``) and the
    indicators, so that they never disagree.  ``reports`` narrows the rows (a policy
    scoped queryset, say); ``year`` or ``min_year`` the years.
    """
    qs = (AnnualReport.objects.all() if reports is None else reports).filter(counted())
    if year is not None:
        qs = qs.filter(year=year)
    if min_year is not None:
        qs = qs.filter(year__gte=min_year)
    return qs


def organisation_figures(organisation: Organisation | int, year: int) -> AnnualReport | None:
    """The counted report of ``organisation`` for ``year`` (at most one), else ``None``."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return counted_reports(year=year).filter(organisation_id=pk).first()


def report_list(
    *,
    user: Any,
    year: int | None = None,
    status: str = "",
    province: str = "",
    organisation: Organisation | None = None,
) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.allowed(user, "view").select_related(
        "organisation", "organisation__province"
    )
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if province:
        qs = qs.filter(organisation__province_id=province)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("organisation__name", "-year", "pk")


def report_get(*, user: Any, pk: int, action: str = "view") -> AnnualReport:
    """The report ``pk`` for ``action``: 404 when the user may not see it, 403 when they
    may see it but not do this."""
    return get_allowed_or_404(
        AnnualReport.objects.select_related(
            "organisation", "organisation__province", "submitted_by", "reviewed_by"
        ),
        user,
        action,
        pk=pk,
    )


def report_events(report: AnnualReport) -> list[Any]:
    return list(report.events.select_related("actor").order_by("created_at", "id"))


def organisations_without_report(
    *, user: Any, year: int, province: str = ""
) -> QuerySet[Organisation]:
    """Operating organisations the user may see with no submitted/accepted report."""
    done = AnnualReport.objects.filter(year=year, status__in=DONE).values("organisation_id")
    qs = (
        Organisation.objects.allowed(user, "view")
        .filter(status=OrganisationStatus.ACTIVE)
        .exclude(pk__in=done)
        .select_related("province")
    )
    if province:
        qs = qs.filter(province_id=province)
    return qs.order_by("name", "pk")


def report_counts(*, user: Any, year: int, province: str = "") -> dict[str, int]:
    qs = AnnualReport.objects.allowed(user, "view").filter(year=year)
    if province:
        qs = qs.filter(organisation__province_id=province)
    return qs.aggregate(
        total=Count("id"),
        **{s: Count("id", filter=Q(status=s)) for s in ReportStatus.values},
    )


def province_choices(user: Any) -> list[tuple[str, str]]:
    """The provinces offered in a queue's filter: every one to national staff, their
    own to provincial staff (a choice of what to show; the rows are the policy's)."""
    from htxso.geo.models import Province

    scope = get_scope(user)
    qs = Province.objects.all()
    if not scope.national_view:
        qs = qs.filter(pk__in=sorted(scope.view_provinces))
    return list(qs.order_by("name").values_list("pk", "name"))


# ------------------------------------------------------------------ classification


def score_list(
    *,
    user: Any,
    year: int | None = None,
    status: str = "",
    province: str = "",
    organisation: Organisation | None = None,
) -> QuerySet[ClassificationScore]:
    """Scores the user may see (members: published ones, see the model's policy)."""
    qs = ClassificationScore.objects.allowed(user, "view").select_related(
        "organisation", "organisation__province", "scheme"
    )
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if province:
        qs = qs.filter(organisation__province_id=province)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("organisation__name", "-year", "scheme__code", "pk")


def score_get(*, user: Any, pk: int, action: str = "view") -> ClassificationScore:
    """The score ``pk`` for ``action``: 404 when the user may not see it, 403 when they
    may see it but not do this."""
    return get_allowed_or_404(
        ClassificationScore.objects.select_related(
            "organisation", "organisation__province", "scheme"
        ),
        user,
        action,
        pk=pk,
    )
