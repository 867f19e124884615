"""Applications: started, filled and submitted by the cooperative's manager.

``evaluate_application`` (re)computes every criterion's verdict from the registry and
stores one ``CriterionResult`` per criterion; it runs on submission and on review.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.errors import ServiceError
from htxso.core.text import TextError, clean_text
from htxso.registry.models import AnnualReport, OrganisationStatus, Worker
from htxso.registry.rules import engine as rules
from htxso.registry.rules.facts import facts_for

from ..models import (
    Application,
    ApplicationStatus,
    Call,
    CallProvince,
    CallStatus,
    CriterionResult,
)
from .common import add_event, fail, notify, officers_of, require

#: The short business report: integer figures and texts (limits in characters).
REPORT_NUMBERS = ("report_year", "workers_total", "workers_youth", "revenue", "profit")
REPORT_TEXTS = {"activities": 4000, "products": 1000, "value_chain": 2000, "dx_readiness": 2000}
MAX_MONEY = 10**13


#: Why someone else than the organisation's manager is refused.
ONLY_APPLICANT = gettext_lazy("Only the organisation's manager may change its application.")


def deadline_for(call: Call, publication: CallProvince | None) -> dt.datetime:
    return publication.effective_deadline if publication else call.deadline


def publication_of(call: Call, province_id: str) -> CallProvince | None:
    return (
        CallProvince.objects.filter(call=call, province_id=province_id)
        .select_related("call")
        .first()
    )


def report_prefill(organisation) -> dict[str, Any]:
    """The short business report, pre-filled from the registry."""
    report = (
        AnnualReport.objects.filter(organisation=organisation)
        .exclude(revenue__isnull=True, workers_total__isnull=True)
        .order_by("-year")
        .first()
    )
    today = timezone.localdate()
    workers = list(
        Worker.objects.filter(organisation=organisation, ended_on__isnull=True).values_list(
            "person__birth_date", flat=True
        )
    )
    data: dict[str, Any] = {
        "report_year": report.year if report else None,
        "revenue": report.revenue if report else None,
        "profit": report.profit if report else None,
        "workers_total": report.workers_total if report else None,
        "workers_youth": report.workers_youth if report else None,
    }
    if workers and all(workers):
        data["workers_total"] = len(workers)
        data["workers_youth"] = sum(1 for b in workers if rules._age(b, today) < 35)
    products = [organisation.main_products] if organisation.main_products else []
    products += [
        f"{p.name} (OCOP {p.stars}★)"
        for p in organisation.ocop_products.all()
        if p.is_valid_on(today)
    ]
    data["products"] = "; ".join(products)
    data["value_chain"] = "; ".join(
        f"{link.product} — {link.partner_name} ({link.get_role_display()})"
        for link in organisation.value_chain_links.filter(ended_on__isnull=True)
    )
    data["activities"] = report.notes if report and report.notes else ""
    data["dx_readiness"] = ""
    return data


def clean_report(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[ServiceError]] = {}
    out: dict[str, Any] = {}
    for name in REPORT_NUMBERS:
        value = data.get(name)
        if value in (None, ""):
            out[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = [ServiceError("not_integer", _("Enter a whole number."))]
        elif name != "profit" and value < 0:
            errors[name] = [ServiceError("negative", _("This cannot be negative."))]
        elif abs(value) > MAX_MONEY:
            errors[name] = [ServiceError("absurd", _("This figure is implausibly large."))]
        elif name == "report_year" and not 1990 <= value <= timezone.localdate().year:
            errors[name] = [ServiceError("year_invalid", _("Enter a past year."))]
        else:
            out[name] = value
    if (
        out.get("workers_total") is not None
        and out.get("workers_youth") is not None
        and out["workers_youth"] > out["workers_total"]
    ):
        errors["workers_youth"] = [
            ServiceError(
                "youth_above_workers", _("Workers under 35 cannot be more than all workers.")
            )
        ]
    for name, limit in REPORT_TEXTS.items():
        try:
            out[name] = clean_text(data.get(name) or "", max_length=limit, multiline=True)
        except TextError as exc:
            errors[name] = [ServiceError(exc.code, exc.message)]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(first.code, first.message, fields=errors)
    return out


def check_can_apply(call: Call, organisation, *, now: dt.datetime | None = None) -> CallProvince:
    """Why ``organisation`` may not apply to ``call`` (ServiceError), else its publication."""
    now = now or timezone.now()
    if call.status != CallStatus.OPEN:
        raise fail("call_not_open", _("This call is not open for applications."))
    if organisation.kind not in (call.audience_kinds or []):
        raise fail("audience", _("This call is not open to this kind of organisation."))
    if organisation.status != OrganisationStatus.ACTIVE:
        raise fail("not_operating", _("Only operating organisations may apply."))
    publication = publication_of(call, organisation.province_id)
    if publication is None:
        raise fail(
            "not_published",
            _("The provincial alliance has not published this call in your province yet."),
        )
    deadline = deadline_for(call, publication)
    if now > deadline:
        raise fail(
            "deadline_passed",
            _("The deadline (%(date)s) has passed.")
            % {"date": timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")},
        )
    return publication


@transaction.atomic
def application_start(*, actor: Actor, call: Call, organisation) -> Application:
    Application.policy.require_at(
        actor,
        "apply",
        province=organisation.province_id,
        organisation=organisation.pk,
        message=ONLY_APPLICANT,
    )
    call = Call.objects.select_for_update().get(pk=call.pk)
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    if existing is not None:
        raise fail(
            "already_applied",
            _("%(name)s has already applied to this call (status: %(status)s).")
            % {"name": organisation.name, "status": existing.get_status_display()},
        )
    check_can_apply(call, organisation)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                organisation=organisation,
                report=report_prefill(organisation),
                created_by=None if isinstance(actor, SystemActor) else actor,
            )
    except IntegrityError as exc:
        raise fail("already_applied", _("This organisation has already applied.")) from exc
    add_event(application, "", actor=actor)
    audit.record(actor=actor, action="application.create", instance=application)
    return application


def _lock_editable(*, actor: Actor, application: Application) -> Application:
    require("apply", application, ONLY_APPLICANT, actor=actor)
    application = (
        Application.objects.select_for_update()
        .select_related("call", "organisation")
        .get(pk=application.pk)
    )
    if not application.is_editable:
        raise fail(
            "not_editable",
            _("The application is %(status)s and can no longer be changed.")
            % {"status": application.get_status_display().lower()},
        )
    return application


@transaction.atomic
def application_save_report(*, actor: Actor, application: Application, data: dict) -> Application:
    application = _lock_editable(actor=actor, application=application)
    before = dict(application.report)
    application.report = clean_report(data)
    application.save(update_fields=["report", "updated_at"])
    audit.record(
        actor=actor,
        action="application.save",
        instance=application,
        before={"report": before},
        after={"report": application.report},
    )
    return application


@transaction.atomic
def declaration_save(
    *, actor: Actor, application: Application, criterion, statement: str
) -> CriterionResult:
    application = _lock_editable(actor=actor, application=application)
    if criterion.call_id != application.call_id or not criterion.is_declared:
        raise fail("criterion_invalid", _("This criterion is not declared by applicants."))
    try:
        statement = clean_text(statement or "", max_length=4000, multiline=True)
    except TextError as exc:
        raise fail(exc.code, exc.message, "statement") from exc
    outcome = rules.declared(statement, None)
    result, _created = CriterionResult.objects.update_or_create(
        application=application,
        criterion=criterion,
        defaults={
            "statement": statement,
            "verdict": outcome.verdict,
            "reason": _vi(outcome),
            "data": {"code": outcome.code, **outcome.data},
            "checked_by": None,
            "checked_at": None,
            "officer_note": "",
        },
    )
    audit.record(
        actor=actor, action="application.save", instance=application, after={"statement": statement}
    )
    return result


def _vi(outcome: rules.Outcome) -> str:
    from django.utils import translation

    with translation.override("vi"):
        return outcome.reason[:500]


def evaluate_application(application: Application, *, on: dt.date | None = None) -> bool | None:
    """Store every criterion's verdict for ``application``; returns eligibility."""
    call = application.call
    criteria = list(call.criteria.all())
    on = on or timezone.localdate(min(timezone.now(), call.deadline))
    computed = [c for c in criteria if not c.is_declared]
    facts = facts_for(application.organisation, [c.kind for c in computed])
    existing = {r.criterion_id: r for r in application.results.all()}
    verdicts = []
    for criterion in criteria:
        result = existing.get(criterion.pk) or CriterionResult(
            application=application, criterion=criterion
        )
        if criterion.is_declared:
            officer = result.verdict if result.checked_by_id or result.checked_at else None
            outcome = rules.declared(result.statement, officer)
        else:
            day = rules.reference_date(criterion.params, on)
            outcome = rules.evaluate(criterion.kind, facts, criterion.params, day)
        result.verdict = outcome.verdict
        result.reason = _vi(outcome)
        result.data = {"code": outcome.code, **outcome.data}
        result.save()
        if criterion.kind == "youth_share" and outcome.code == "youth_share":
            application.youth_share = outcome.data["share"]
        verdicts.append(outcome.verdict)
    application.eligible = rules.combine(verdicts)
    application.save(update_fields=["eligible", "youth_share", "updated_at"])
    return application.eligible


@transaction.atomic
def application_submit(
    *, actor: Actor, application: Application, now: dt.datetime | None = None
) -> Application:
    application = _lock_editable(actor=actor, application=application)
    now = now or timezone.now()
    publication = publication_of(application.call, application.organisation.province_id)
    if application.status == ApplicationStatus.DRAFT:
        if application.call.status != CallStatus.OPEN:
            raise fail("call_not_open", _("This call is no longer open."))
        deadline = deadline_for(application.call, publication)
        if now > deadline:
            raise fail(
                "deadline_passed",
                _("The deadline (%(date)s, Vietnam time) has passed; the application was not sent.")
                % {"date": timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")},
            )
    from ..models import ProvinceCompilation

    if ProvinceCompilation.objects.filter(
        call=application.call, province_id=application.organisation.province_id
    ).exists():
        raise fail(
            "already_forwarded",
            _("The provincial alliance has already forwarded its list to VCA; it is too late."),
        )
    missing = [
        c.label
        for c in application.call.criteria.filter(kind="declared")
        if not application.results.filter(criterion=c).exclude(statement="").exists()
    ]
    if missing:
        raise fail(
            "declaration_missing",
            _("Answer every declared criterion first: %(list)s") % {"list": "; ".join(missing)},
        )
    before = application.status
    application.status = ApplicationStatus.SUBMITTED
    if application.submitted_at is None:
        application.submitted_at = now
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    evaluate_application(application)
    add_event(application, before, actor=actor)
    audit.record(
        actor=actor,
        action="application.submit",
        instance=application,
        after={"status": application.status},
    )
    url = reverse("programs:application_detail", kwargs={"application_id": application.pk})
    notify(
        officers_of(application.organisation.province_id),
        "application.submitted",
        {"name": application.organisation.name, "title": application.call.title},
        url,
    )
    return application


WITHDRAWABLE = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.VERIFIED,
)


@transaction.atomic
def application_withdraw(
    *, actor: Actor, application: Application, comment: str = ""
) -> Application:
    require("apply", application, ONLY_APPLICANT, actor=actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in WITHDRAWABLE:
        raise fail(
            "not_withdrawable",
            _("The application is %(status)s; it can no longer be withdrawn.")
            % {"status": application.get_status_display().lower()},
        )
    before = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    add_event(
        application,
        before,
        actor=actor,
        comment=clean_text(comment or "", max_length=1000, multiline=True),
    )
    audit.record(
        actor=actor,
        action="application.withdraw",
        instance=application,
        after={"status": application.status},
    )
    return application
