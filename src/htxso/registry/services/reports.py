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

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import ServiceError, conflict
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


def field_error(field: str, code: str, message: Any) -> ServiceError:
    """A refusal of one input (``kind`` INVALID), shown on ``field``."""
    return ServiceError(code, message, fields={field: [ServiceError(code, message)]})


def validate_year(year: int, *, today: dt.date | None = None) -> int:
    today = today or today_local()
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise field_error("year", "year_invalid", _("Enter the year as four digits.")) from exc
    if year > today.year:
        raise field_error(
            "year",
            "year_in_future",
            _("The year %(year)s has not started yet.") % {"year": year},
        )
    if year < 1990:
        raise field_error("year", "year_too_old", _("Reports start from 1990."))
    return year


def clean_figures(data: dict[str, Any]) -> dict[str, Any]:
    """Check the figures of a report; raise ServiceError with one message per field."""
    errors: dict[str, ServiceError] = {}
    cleaned: dict[str, Any] = {}
    for name in (*INTEGER_FIELDS, *MONEY_FIELDS):
        value = data.get(name)
        if value in (None, ""):
            cleaned[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = ServiceError("not_integer", _("Enter a whole number."))
            continue
        if value < 0 and name != "profit":
            errors[name] = ServiceError("negative", _("This cannot be negative."))
            continue
        limit = (
            MAX_PEOPLE
            if name in INTEGER_FIELDS
            else MAX_INCOME_MONTH
            if name == "average_income_month"
            else MAX_MONEY
        )
        if abs(value) > limit:
            errors[name] = ServiceError(
                "absurd",
                _("This figure is implausibly large (above %(limit)s); check the zeros.")
                % {"limit": f"{limit:,}".replace(",", ".")},
            )
            continue
        cleaned[name] = value
    for name in BOOL_FIELDS:
        value = data.get(name)
        cleaned[name] = value if value in (True, False) else None
    try:
        cleaned["notes"] = clean_text(data.get("notes") or "", max_length=4000, multiline=True)
    except TextError as exc:
        errors["notes"] = ServiceError(exc.code, exc.message, exc.params)
    total, youth, female = (
        cleaned.get("workers_total"),
        cleaned.get("workers_youth"),
        cleaned.get("workers_female"),
    )
    if total is not None and youth is not None and youth > total:
        errors["workers_youth"] = ServiceError(
            "youth_above_workers",
            _("Workers under 35 cannot be more than all workers (%(total)s).") % {"total": total},
        )
    if total is not None and female is not None and female > total:
        errors["workers_female"] = ServiceError(
            "female_above_workers",
            _("Female workers cannot be more than all workers (%(total)s).") % {"total": total},
        )
    revenue, from_members = cleaned.get("revenue"), cleaned.get("revenue_from_members")
    if revenue is not None and from_members is not None and from_members > revenue:
        errors["revenue_from_members"] = ServiceError(
            "member_revenue_above_revenue",
            _("Revenue from members cannot be more than the whole revenue."),
        )
    if errors:
        first = next(iter(errors.values()))
        raise ServiceError(
            "figures_invalid",
            first.message,
            first.params,
            fields={k: [v] for k, v in errors.items()},
        )
    return cleaned


# ------------------------------------------------------------------ permissions


def _require(action: str, report: AnnualReport, message: Any, *, actor: Actor) -> None:
    """``AnnualReport.policy`` refuses ``actor`` (``not_found`` or ``forbidden``),
    saying ``message``."""
    try:
        AnnualReport.policy.require(actor, action, report)
    except ServiceError as exc:
        raise ServiceError(exc.code, message, kind=exc.kind) from None


def locked_reason(report: AnnualReport) -> str:
    if report.status == ReportStatus.SUBMITTED:
        return _(
            "The report was submitted to the province and can no longer be changed. "
            "If something is wrong, ask the province to return it."
        )
    if report.status == ReportStatus.ACCEPTED:
        return _("The report was accepted by the province and can no longer be changed.")
    return ""


def acting_user(*, actor: Actor) -> Any:
    """The user to name on a row (``submitted_by``, an event): none for the system."""
    return None if isinstance(actor, SystemActor) else actor


def _event(
    report: AnnualReport, from_status: str, to_status: str, comment: str = "", *, actor: Actor
) -> None:
    AnnualReportEvent.objects.create(
        report=report,
        actor=acting_user(actor=actor),
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    # dashboards count submitted and accepted reports: drop cached figures on commit
    from htxso.registry import stats

    transaction.on_commit(stats.invalidate)


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)


# ------------------------------------------------------------------------ writing


MAY_FILE = gettext_lazy("Only the organisation's managers may change its report.")
MAY_REVIEW = gettext_lazy("Only the officers of the province may review this report.")


def annual_report_save(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int,
    data: dict[str, Any],
    today: dt.date | None = None,
) -> AnnualReport:
    """Create or update the draft of ``year``; refused once submitted or accepted."""
    AnnualReport.policy.require_at(
        actor,
        "file",
        province=organisation.province_id,
        organisation=organisation.pk,
        message=MAY_FILE,
    )
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
            raise conflict(locked_reason(report), "report_locked")
        for name, value in figures.items():
            setattr(report, name, value)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as exc:
            raise ServiceError(
                "integrity", _("The figures break a rule of the register; check them.")
            ) from exc
        if before is None:
            _event(report, "", ReportStatus.DRAFT, actor=actor)
        audit.record(
            actor=actor,
            action="annual_report.save",
            instance=report,
            before=before,
            after=audit.snapshot(report),
        )
    return report


def annual_report_submit(
    *, actor: Actor, report: AnnualReport, today: dt.date | None = None
) -> AnnualReport:
    """Send the report to the province.  After 15 December it is accepted but late."""
    _require("file", report, MAY_FILE, actor=actor)
    with transaction.atomic():
        report = _lock(report)
        if report.status not in EDITABLE:
            raise conflict(locked_reason(report), "report_locked")
        clean_figures({name: getattr(report, name) for name in FIELDS})
        if report.workers_total is None or report.members_official is None:
            raise ServiceError(
                "report_incomplete",
                _("Enter at least the members and the workers before submitting."),
            )
        before = audit.snapshot(report)
        from_status = report.status
        now = _now(today)
        report.status = ReportStatus.SUBMITTED
        if report.submitted_at is None:
            report.submitted_at = now
        report.submitted_by = acting_user(actor=actor)
        report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        late = is_late(report)
        _event(
            report,
            from_status,
            ReportStatus.SUBMITTED,
            _("Submitted after the deadline.")
            if late and from_status == ReportStatus.DRAFT
            else "",
            actor=actor,
        )
        after = audit.snapshot(report)
        after["late"] = late
        audit.record(
            actor=actor, action="annual_report.submit", instance=report, before=before, after=after
        )
    return report


def clean_comment(comment: str) -> str:
    try:
        return clean_text(comment or "", max_length=4000, multiline=True)
    except TextError as exc:
        raise ServiceError(exc.code, exc.message, exc.params, fields={"comment": [exc]}) from exc


def _review(
    *,
    actor: Actor,
    report: AnnualReport,
    to_status: str,
    comment: str,
    action: str,
    today: dt.date | None = None,
) -> AnnualReport:
    _require("review", report, MAY_REVIEW, actor=actor)
    comment = clean_comment(comment)
    if to_status == ReportStatus.RETURNED and not comment:
        raise field_error(
            "comment",
            "comment_required",
            _("Say what must be changed: a comment is required to return a report."),
        )
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.SUBMITTED:
            raise conflict(
                _("Only a submitted report can be reviewed; this one is “%(status)s”.")
                % {"status": report.get_status_display()},
                "report_not_submitted",
            )
        before = audit.snapshot(report)
        report.status = to_status
        report.reviewed_at = _now(today)
        report.reviewed_by = acting_user(actor=actor)
        report.review_comment = comment
        report.save(
            update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
        )
        _event(report, ReportStatus.SUBMITTED, to_status, comment, actor=actor)
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
    *, actor: Actor, report: AnnualReport, comment: str = "", today: dt.date | None = None
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
    *, actor: Actor, report: AnnualReport, comment: str, today: dt.date | None = None
) -> AnnualReport:
    return _review(
        actor=actor,
        report=report,
        to_status=ReportStatus.RETURNED,
        comment=comment,
        action="annual_report.return",
        today=today,
    )
