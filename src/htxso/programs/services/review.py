"""The province's review: declared criteria, information requests, verification, the
compiled list forwarded to VCA."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.text import TextError, clean_text
from htxso.registry.rules import engine as rules

from ..models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    CriterionResult,
    ProvinceCompilation,
)
from .applications import evaluate_application
from .common import add_event, fail, managers_of, notify, require, vca_admins

REVIEWABLE = (ApplicationStatus.SUBMITTED,)


def _comment(text: str, *, required: bool, what: str) -> str:
    try:
        text = clean_text(text or "", max_length=4000, multiline=True)
    except TextError as exc:
        raise fail(exc.code, exc.message, "comment") from exc
    if required and not text:
        raise fail("comment_required", what, "comment")
    return text


def _only_reviewer(province_id: str) -> str:
    return _("Only the alliance of the organisation's province (%(code)s) may review it.") % {
        "code": province_id
    }


def _person(*, actor: Actor) -> Any:
    """The user to store as reviewer (none for a system actor)."""
    return None if isinstance(actor, SystemActor) else actor


def _lock_for_review(*, actor: Actor, application: Application) -> Application:
    require(
        "review", application, _only_reviewer(application.organisation.province_id), actor=actor
    )
    application = (
        Application.objects.select_for_update()
        .select_related("call", "organisation")
        .get(pk=application.pk)
    )
    if ProvinceCompilation.objects.filter(
        call=application.call, province_id=application.organisation.province_id
    ).exists():
        raise fail("already_forwarded", _("The province's list has already been forwarded to VCA."))
    return application


def _tell_applicant(application: Application, key: str) -> None:
    url = reverse("programs:application_detail", kwargs={"application_id": application.pk})
    notify(managers_of(application.organisation_id), key, {"title": application.call.title}, url)


@transaction.atomic
def declared_check(
    *, actor: Actor, application: Application, criterion, accepted: bool, note: str = ""
) -> CriterionResult:
    application = _lock_for_review(actor=actor, application=application)
    if application.status not in REVIEWABLE:
        raise fail("not_reviewable", _("Only submitted applications are reviewed."))
    result = CriterionResult.objects.filter(application=application, criterion=criterion).first()
    if result is None or not criterion.is_declared or not result.statement:
        raise fail("nothing_to_check", _("The applicant has not answered this criterion."))
    outcome = rules.declared(result.statement, rules.PASS if accepted else rules.FAIL)
    result.verdict = outcome.verdict
    result.data = {"code": outcome.code, **outcome.data}
    from .applications import _vi

    result.reason = _vi(outcome)
    result.officer_note = clean_text(note or "", max_length=500)
    result.checked_by = _person(actor=actor)
    result.checked_at = timezone.now()
    result.save()
    evaluate_application(application)
    audit.record(
        actor=actor,
        action="application.check",
        instance=application,
        after={"criterion": criterion.pk, "verdict": outcome.verdict},
    )
    return result


@transaction.atomic
def application_request_info(
    *, actor: Actor, application: Application, comment: str
) -> Application:
    application = _lock_for_review(actor=actor, application=application)
    if application.status not in REVIEWABLE:
        raise fail("not_reviewable", _("Only submitted applications are reviewed."))
    comment = _comment(comment, required=True, what=_("Say what information is missing."))
    application.status = ApplicationStatus.INFO_REQUESTED
    application.officer_comment = comment
    application.save(update_fields=["status", "officer_comment", "updated_at"])
    add_event(application, ApplicationStatus.SUBMITTED, actor=actor, comment=comment)
    audit.record(
        actor=actor,
        action="application.request_info",
        instance=application,
        after={"comment": comment},
    )
    _tell_applicant(application, "application.info_requested")
    return application


@transaction.atomic
def application_verify(*, actor: Actor, application: Application, comment: str = "") -> Application:
    """Verified = eligible: every criterion is met (declared ones checked)."""
    application = _lock_for_review(actor=actor, application=application)
    if application.status not in REVIEWABLE:
        raise fail("not_reviewable", _("Only submitted applications are reviewed."))
    eligible = evaluate_application(application)
    if eligible is not True:
        open_items = [
            r.criterion.label
            for r in application.results.select_related("criterion")
            if r.verdict != rules.PASS
        ]
        raise fail(
            "criteria_not_met",
            _("Not every criterion is met: %(list)s. Ask for information or mark it not eligible.")
            % {"list": "; ".join(open_items)},
        )
    comment = _comment(comment, required=False, what="")
    application.status = ApplicationStatus.VERIFIED
    application.officer_comment = comment
    application.reviewed_by = _person(actor=actor)
    application.reviewed_at = timezone.now()
    application.save(
        update_fields=["status", "officer_comment", "reviewed_by", "reviewed_at", "updated_at"]
    )
    add_event(application, ApplicationStatus.SUBMITTED, actor=actor, comment=comment)
    audit.record(
        actor=actor,
        action="application.verify",
        instance=application,
        after={"status": application.status},
    )
    _tell_applicant(application, "application.verified")
    return application


@transaction.atomic
def application_reject(*, actor: Actor, application: Application, comment: str) -> Application:
    application = _lock_for_review(actor=actor, application=application)
    if application.status not in (*REVIEWABLE, ApplicationStatus.VERIFIED):
        raise fail("not_reviewable", _("Only submitted applications are reviewed."))
    comment = _comment(
        comment, required=True, what=_("Give the reason: which criterion is not met.")
    )
    before = application.status
    application.status = ApplicationStatus.REJECTED
    application.eligible = False
    application.officer_comment = comment
    application.reviewed_by = _person(actor=actor)
    application.reviewed_at = timezone.now()
    application.save(
        update_fields=[
            "status",
            "eligible",
            "officer_comment",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ]
    )
    add_event(application, before, actor=actor, comment=comment)
    audit.record(
        actor=actor, action="application.reject", instance=application, after={"comment": comment}
    )
    _tell_applicant(application, "application.rejected")
    return application


@transaction.atomic
def compilation_forward(
    *, actor: Actor, call: Call, province_id: str, note: str = ""
) -> ProvinceCompilation:
    """Forward the province's verified applications to VCA (once)."""
    ProvinceCompilation.policy.require_at(
        actor, "forward", province=province_id, message=_only_reviewer(province_id)
    )
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status not in (CallStatus.OPEN, CallStatus.CLOSED):
        raise fail("call_not_open", _("The call no longer takes provincial lists."))
    if ProvinceCompilation.objects.filter(call=call, province_id=province_id).exists():
        raise fail("already_forwarded", _("The province's list has already been forwarded to VCA."))
    apps = Application.objects.select_for_update().filter(
        call=call, organisation__province_id=province_id
    )
    pending = apps.filter(
        status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.INFO_REQUESTED)
    ).count()
    if pending:
        raise fail(
            "reviews_pending",
            _(
                "%(n)s application(s) still await a decision (verify, or mark not eligible) "
                "or more information."
            )
            % {"n": pending},
        )
    verified = list(apps.filter(status=ApplicationStatus.VERIFIED))
    total = apps.exclude(status__in=(ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)).count()
    try:
        with transaction.atomic():
            compilation = ProvinceCompilation.objects.create(
                call=call,
                province_id=province_id,
                eligible_count=len(verified),
                applications_count=total,
                note=_comment(note, required=False, what=""),
                forwarded_by=_person(actor=actor),
            )
    except IntegrityError as exc:
        raise fail(
            "already_forwarded", _("The province's list has already been forwarded to VCA.")
        ) from exc
    for application in verified:
        application.status = ApplicationStatus.FORWARDED
        application.save(update_fields=["status", "updated_at"])
        add_event(application, ApplicationStatus.VERIFIED, actor=actor)
    audit.record(
        actor=actor,
        action="compilation.forward",
        instance=compilation,
        after={"eligible": len(verified), "applications": total},
    )
    url = reverse("programs:call_national", kwargs={"call_id": call.pk})
    province_name = compilation.province.name
    notify(
        vca_admins(),
        "compilation.forwarded",
        {"province": province_name, "n": len(verified), "title": call.title},
        url,
    )
    return compilation
