"""Reads of annual reports and classification scores, always scoped to the acting user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from htxso.core.scoping import get_scope, get_visible_or_404

from .models import (
    AnnualReport,
    ClassificationScore,
    Organisation,
    OrganisationStatus,
    ReportStatus,
    ScoreStatus,
)

DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def report_list(
    *, user, year: int | None = None, status: str = "", province: str = "", organisation=None
) -> QuerySet:
    qs = AnnualReport.objects.visible_to(user).select_related(
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


def report_get(*, user, pk: int) -> AnnualReport:
    return get_visible_or_404(
        AnnualReport.objects.select_related(
            "organisation", "organisation__province", "submitted_by", "reviewed_by"
        ),
        user,
        pk=pk,
    )


def report_events(report: AnnualReport) -> list:
    return list(report.events.select_related("actor").order_by("created_at", "id"))


def organisations_without_report(*, user, year: int, province: str = "") -> QuerySet:
    """Operating organisations the user may see with no submitted/accepted report."""
    done = AnnualReport.objects.filter(year=year, status__in=DONE).values("organisation_id")
    qs = (
        Organisation.objects.visible_to(user)
        .filter(status=OrganisationStatus.ACTIVE)
        .exclude(pk__in=done)
        .select_related("province")
    )
    if province:
        qs = qs.filter(province_id=province)
    return qs.order_by("name", "pk")


def report_counts(*, user, year: int, province: str = "") -> dict:
    qs = AnnualReport.objects.visible_to(user).filter(year=year)
    if province:
        qs = qs.filter(organisation__province_id=province)
    return qs.aggregate(
        total=Count("id"),
        **{s: Count("id", filter=Q(status=s)) for s in ReportStatus.values},
    )


def province_choices(user) -> list[tuple[str, str]]:
    from htxso.geo.models import Province

    scope = get_scope(user)
    qs = Province.objects.all()
    if not scope.national_view:
        qs = qs.filter(pk__in=sorted(scope.view_provinces))
    return list(qs.order_by("name").values_list("pk", "name"))


# ------------------------------------------------------------------ classification


def score_list(
    *, user, year: int | None = None, status: str = "", province: str = "", organisation=None
) -> QuerySet:
    qs = ClassificationScore.objects.visible_to(user).select_related(
        "organisation", "organisation__province", "scheme"
    )
    scope = get_scope(user)
    if not scope.is_staff_scope:
        # members see only published results; managers see their own organisation's
        qs = qs.filter(
            Q(status=ScoreStatus.PUBLISHED)
            | Q(organisation_id__in=sorted(scope.view_organisations))
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


def score_get(*, user, pk: int) -> ClassificationScore:
    return get_visible_or_404(score_list(user=user), user, pk=pk)
