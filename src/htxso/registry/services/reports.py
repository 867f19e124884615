"""Annual reports (form VII-2, Circular 09/2024/TT-BKHĐT): every write and its rules.

Workflow: draft → submitted → accepted, or submitted → returned → submitted …
The manager of the organisation writes and submits; the officer of its province (or
VCA) accepts or returns with a comment.  Each transition is one ``AnnualReportEvent``
and one audit row; the row is locked (``select_for_update``) while it changes.

``submitted_at`` keeps the FIRST submission (it decides whether the report was late);
every later resubmission is in the events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.audit import ACTION_LABELS
from htxso.core.scoping import get_scope
from htxso.core.text import TextError, clean_text

from ..models import (
    YOUTH_AGE,
    AnnualReport,
    AnnualReportEvent,
    MemberKind,
    Membership,
    Organisation,
    ReportStatus,
    Worker,
    report_due_date,
)
from .reports_notify import notify_managers_of_review

ACTION_LABELS.update(
    {
        "annual_report.save": gettext_lazy("Annual report saved"),
        "annual_report.submit": gettext_lazy("Annual report submitted"),
        "annual_report.accept": gettext_lazy("Annual report accepted"),
        "annual_report.return": gettext_lazy("Annual report returned for changes"),
    }
)

#: Figures a manager types (besides notes).
INTEGER_FIELDS = (
    "members_official",
    "members_associate",
    "workers_total",
    "workers_youth",
    "workers_female",
)
MONEY_FIELDS = (
    "charter_capital",
    "total_assets",
    "revenue",
    "profit",
    "revenue_from_members",
    "average_income_month",
    "taxes_paid",
)
BOOL_FIELDS = ("operating_effectively", "uses_high_tech", "in_value_chain")
FIELDS = (*INTEGER_FIELDS, *MONEY_FIELDS, *BOOL_FIELDS, "notes")

#: Above these a figure is absurd (VND).
MAX_MONEY = 10**13
MAX_INCOME_MONTH = 10**9
MAX_PEOPLE = 1_000_000

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def today_local() -> dt.date:
    """Today on the server clock, in Asia/Ho_Chi_Minh."""
    return timezone.localdate()


def _now(today: dt.date | None) -> dt.datetime:
    now = timezone.localtime()
    if today is None or today == now.date():
        return now
    return now.replace(year=today.year, month=today.month, day=today.day)


def is_late(report: AnnualReport, *, today: dt.date | None = None) -> bool:
    """Submitted after 15 December, or still not submitted once it has passed."""
    due = report_due_date(report.year)
    if report.submitted_at is not None:
        return timezone.localtime(report.submitted_at).date() > due
    return (today or today_local()) > due


# ------------------------------------------------------------------------ reading


def report_prefill(*, organisation: Organisation, year: int) -> dict[str, Any]:
    """Figures the registry already knows on 31 December of ``year``."""
    end = dt.date(year, 12, 31)
    active_members = Membership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end), organisation=organisation, joined_on__lte=end
    )
    kinds = list(active_members.values_list("kind", flat=True))
    workers = list(
        Worker.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=end),
            organisation=organisation,
            started_on__lte=end,
        ).values_list("person__birth_date", "person__sex")
    )
    youth_born_after = dt.date(end.year - YOUTH_AGE, end.month, end.day)
    return {
        "members_official": sum(1 for k in kinds if k == MemberKind.OFFICIAL),
        "members_associate": sum(1 for k in kinds if k != MemberKind.OFFICIAL),
        "workers_total": len(workers),
        "workers_youth": sum(1 for b, _s in workers if b is not None and b > youth_born_after),
        "workers_female": sum(1 for _b, s in workers if s == "female"),
        "charter_capital": organisation.charter_capital,
    }


# --------------------------------------------------------------------- validation


def validate_year(year: int, *, today: dt.date | None = None) -> int:
    today = today or today_local()
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"year": ValidationError(_("Enter the year as four digits."), code="year_invalid")}
        ) from exc
    if year > today.year:
        raise ValidationError(
            {
                "year": ValidationError(
                    _("The year %(year)s has not started yet.") % {"year": year},
                    code="year_in_future",
                )
            }
        )
    if year < 1990:
        raise ValidationError(
            {"year": ValidationError(_("Reports start from 1990."), code="year_too_old")}
        )
    return year


def clean_figures(data: dict[str, Any]) -> dict[str, Any]:
    """Check the figures of a report; raise ValidationError with one message per field."""
    errors: dict[str, ValidationError] = {}
    cleaned: dict[str, Any] = {}
    for name in (*INTEGER_FIELDS, *MONEY_FIELDS):
        value = data.get(name)
        if value in (None, ""):
            cleaned[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = ValidationError(_("Enter a whole number."), code="not_integer")
            continue
        if value < 0 and name != "profit":
            errors[name] = ValidationError(_("This cannot be negative."), code="negative")
            continue
        limit = (
            MAX_PEOPLE
            if name in INTEGER_FIELDS
            else MAX_INCOME_MONTH
            if name == "average_income_month"
            else MAX_MONEY
        )
        if abs(value) > limit:
            errors[name] = ValidationError(
                _("This figure is implausibly large (above %(limit)s); check the zeros.")
                % {"limit": f"{limit:,}".replace(",", ".")},
                code="absurd",
            )
            continue
        cleaned[name] = value
    for name in BOOL_FIELDS:
        value = data.get(name)
        cleaned[name] = value if value in (True, False) else None
    try:
        cleaned["notes"] = clean_text(data.get("notes") or "", max_length=4000, multiline=True)
    except TextError as exc:
        errors["notes"] = ValidationError(exc.message, code=exc.code)
    total, youth, female = (
        cleaned.get("workers_total"),
        cleaned.get("workers_youth"),
        cleaned.get("workers_female"),
    )
    if total is not None and youth is not None and youth > total:
        errors["workers_youth"] = ValidationError(
            _("Workers under 35 cannot be more than all workers (%(total)s).") % {"total": total},
            code="youth_above_workers",
        )
    if total is not None and female is not None and female > total:
        errors["workers_female"] = ValidationError(
            _("Female workers cannot be more than all workers (%(total)s).") % {"total": total},
            code="female_above_workers",
        )
    revenue, from_members = cleaned.get("revenue"), cleaned.get("revenue_from_members")
    if revenue is not None and from_members is not None and from_members > revenue:
        errors["revenue_from_members"] = ValidationError(
            _("Revenue from members cannot be more than the whole revenue."),
            code="member_revenue_above_revenue",
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


# ------------------------------------------------------------------ permissions


def _require_manager(actor, organisation: Organisation) -> None:
    scope = get_scope(actor)
    if not (scope.national_edit or organisation.pk in scope.edit_organisations):
        raise PermissionDenied(_("Only the organisation's managers may change its report."))


def _require_reviewer(actor, organisation: Organisation) -> None:
    scope = get_scope(actor)
    if not (scope.national_edit or organisation.province_id in scope.edit_provinces):
        raise PermissionDenied(_("Only the officers of the province may review this report."))


def can_edit(user, report: AnnualReport | None, organisation: Organisation) -> bool:
    scope = get_scope(user)
    allowed = scope.national_edit or organisation.pk in scope.edit_organisations
    return allowed and (report is None or report.status in EDITABLE)


def can_review(user, report: AnnualReport) -> bool:
    scope = get_scope(user)
    allowed = scope.national_edit or report.organisation.province_id in scope.edit_provinces
    return allowed and report.status == ReportStatus.SUBMITTED


def locked_reason(report: AnnualReport) -> str:
    if report.status == ReportStatus.SUBMITTED:
        return _(
            "The report was submitted to the province and can no longer be changed. "
            "If something is wrong, ask the province to return it."
        )
    if report.status == ReportStatus.ACCEPTED:
        return _("The report was accepted by the province and can no longer be changed.")
    return ""


def _event(report, actor, from_status, to_status, comment=""):
    AnnualReportEvent.objects.create(
        report=report, actor=actor, from_status=from_status, to_status=to_status, comment=comment
    )
    # dashboards count submitted and accepted reports: drop cached figures on commit
    from htxso.registry import stats

    transaction.on_commit(stats.invalidate)


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)


# ------------------------------------------------------------------------ writing


def annual_report_save(
    *,
    actor,
    organisation: Organisation,
    year: int,
    data: dict[str, Any],
    today: dt.date | None = None,
) -> AnnualReport:
    """Create or update the draft of ``year``; refused once submitted or accepted."""
    _require_manager(actor, organisation)
    year = validate_year(year, today=today)
    figures = clean_figures(data)
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .filter(organisation=organisation, year=year)
            .first()
        )
        before = audit.snapshot(report)
        if report is None:
            report = AnnualReport(organisation=organisation, year=year)
        elif report.status not in EDITABLE:
            raise ValidationError(locked_reason(report), code="report_locked")
        for name, value in figures.items():
            setattr(report, name, value)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("The figures break a rule of the register; check them."), code="integrity"
            ) from exc
        if before is None:
            _event(report, actor, "", ReportStatus.DRAFT)
        audit.record(
            actor=actor,
            action="annual_report.save",
            instance=report,
            before=before,
            after=audit.snapshot(report),
        )
    return report


def annual_report_submit(
    *, actor, report: AnnualReport, today: dt.date | None = None
) -> AnnualReport:
    """Send the report to the province.  After 15 December it is accepted but late."""
    _require_manager(actor, report.organisation)
    with transaction.atomic():
        report = _lock(report)
        if report.status not in EDITABLE:
            raise ValidationError(locked_reason(report), code="report_locked")
        clean_figures({name: getattr(report, name) for name in FIELDS})
        if report.workers_total is None or report.members_official is None:
            raise ValidationError(
                _("Enter at least the members and the workers before submitting."),
                code="report_incomplete",
            )
        before = audit.snapshot(report)
        from_status = report.status
        now = _now(today)
        report.status = ReportStatus.SUBMITTED
        if report.submitted_at is None:
            report.submitted_at = now
        report.submitted_by = actor
        report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        late = is_late(report)
        _event(
            report,
            actor,
            from_status,
            ReportStatus.SUBMITTED,
            _("Submitted after the deadline.")
            if late and from_status == ReportStatus.DRAFT
            else "",
        )
        after = audit.snapshot(report)
        after["late"] = late
        audit.record(
            actor=actor, action="annual_report.submit", instance=report, before=before, after=after
        )
    return report


def _review(*, actor, report, to_status, comment, action, today=None) -> AnnualReport:
    _require_reviewer(actor, report.organisation)
    try:
        comment = clean_text(comment or "", max_length=4000, multiline=True)
    except TextError as exc:
        raise ValidationError({"comment": ValidationError(exc.message, code=exc.code)}) from exc
    if to_status == ReportStatus.RETURNED and not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say what must be changed: a comment is required to return a report."),
                    code="comment_required",
                )
            }
        )
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.SUBMITTED:
            raise ValidationError(
                _("Only a submitted report can be reviewed; this one is “%(status)s”.")
                % {"status": report.get_status_display()},
                code="report_not_submitted",
            )
        before = audit.snapshot(report)
        report.status = to_status
        report.reviewed_at = _now(today)
        report.reviewed_by = actor
        report.review_comment = comment
        report.save(
            update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
        )
        _event(report, actor, ReportStatus.SUBMITTED, to_status, comment)
        audit.record(
            actor=actor,
            action=action,
            instance=report,
            before=before,
            after=audit.snapshot(report),
        )
        notify_managers_of_review(report, to_status, comment)
    return report


def annual_report_accept(
    *, actor, report: AnnualReport, comment: str = "", today: dt.date | None = None
) -> AnnualReport:
    return _review(
        actor=actor,
        report=report,
        to_status=ReportStatus.ACCEPTED,
        comment=comment,
        action="annual_report.accept",
        today=today,
    )


def annual_report_return(
    *, actor, report: AnnualReport, comment: str, today: dt.date | None = None
) -> AnnualReport:
    return _review(
        actor=actor,
        report=report,
        to_status=ReportStatus.RETURNED,
        comment=comment,
        action="annual_report.return",
        today=today,
    )
