"""An application: the manager fills and submits it, the province reviews it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.formatting import format_number
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404
from htxso.registry.models import Organisation
from htxso.registry.rules.text import describe

from . import selectors
from .forms import (
    AttachForm,
    CheckForm,
    ReportForm,
    ReviewForm,
    StartForm,
    StatementForm,
    UploadForm,
    WithdrawForm,
)
from .models import Application, ApplicationStatus, Attachment, Criterion
from .services import applications as services
from .services import attachments as attachment_services
from .services import review as review_services


def _get(request: HttpRequest, application_id: Any, action: str = "view") -> Application:
    qs = Application.objects.select_related("call", "organisation", "organisation__province")
    return get_allowed_or_404(qs, request.user, action, pk=application_id)


def _back(application: Application) -> HttpResponse:
    return redirect("programs:application_detail", application_id=application.pk)


def _run(
    request: HttpRequest, application: Application, action: Callable[[], Any], success: str
) -> HttpResponse:
    """Run a service; its refusal of the input is a flash message, a refusal of the
    user a 403 or 404 (:func:`~htxso.core.forms.show_service_error`)."""
    try:
        action()
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, success)
    return _back(application)


@access(roles=roles.MANAGERS)
@require_POST
def application_start(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    form = StartForm(request.POST)
    chosen = form.cleaned_data["organisation"] if form.is_valid() else None
    managed = selectors.applicant_organisation_ids(request.user)
    if chosen is None and len(managed) == 1:
        chosen = managed[0]
    if chosen is None:
        messages.error(request, _("Choose the organisation that applies."))
        return redirect("programs:call_detail", call_id=call.pk)
    organisation = Organisation.objects.filter(pk=chosen).first()
    if organisation is None or not Application.policy.allows_at(
        request.user, "apply", organisation=organisation.pk
    ):
        raise Http404
    try:
        application = services.application_start(
            actor=request.user, call=call, organisation=organisation
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("programs:call_detail", call_id=call.pk)
    messages.success(
        request, _("Application started. Check the business report pre-filled from the registry.")
    )
    return redirect("programs:application_report", application_id=application.pk)


@access(roles=roles.READERS)
def application_detail(request, application_id):
    application = _get(request, application_id)
    criteria = list(application.call.criteria.all())
    results = {r.criterion_id: r for r in application.results.all()}
    rows = []
    for criterion in criteria:
        result = results.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "result": result,
                "reason": describe(result.data.get("code", ""), result.data)
                if result and result.data.get("code")
                else "",
            }
        )
    is_applicant = Application.policy.allows(request.user, "apply", application)
    is_reviewer = Application.policy.allows(request.user, "review", application)
    report = application.report or {}
    figures = [
        (_("Figures of the year"), report.get("report_year") or "—"),
        (
            _("Workers"),
            report.get("workers_total") if report.get("workers_total") is not None else "—",
        ),
        (
            _("Workers under 35"),
            report.get("workers_youth") if report.get("workers_youth") is not None else "—",
        ),
        (
            _("Revenue (VND)"),
            format_number(report["revenue"]) if report.get("revenue") is not None else "—",
        ),
        (
            _("Profit before tax (VND)"),
            format_number(report["profit"]) if report.get("profit") is not None else "—",
        ),
    ]
    texts = [
        (_("Business activities"), report.get("activities")),
        (_("Main products"), report.get("products")),
        (_("Value chain"), report.get("value_chain")),
        (_("Leadership and digital transformation"), report.get("dx_readiness")),
    ]
    return render(
        request,
        "programs/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "rows": rows,
            "figures": figures,
            "texts": texts,
            "attachments": list(
                application.attachments.defer("content").select_related("criterion")
            ),
            "declared_criteria": [c for c in criteria if c.is_declared],
            "events": list(application.events.select_related("actor")),
            "can_edit": is_applicant and application.is_editable,
            "can_withdraw": is_applicant and application.status in services.WITHDRAWABLE,
            "can_review": is_reviewer and application.status == ApplicationStatus.SUBMITTED,
            "can_reject": is_reviewer and application.status in ("submitted", "verified"),
            "upload_form": UploadForm(),
            "review_form": ReviewForm(),
        },
    )


@access(roles=roles.MANAGERS)
def application_report(request, application_id):
    application = _get(request, application_id, "apply")
    if not application.is_editable:
        messages.error(request, _("The application can no longer be changed."))
        return _back(application)
    initial = dict(application.report or {})
    for name in ("revenue", "profit"):
        if initial.get(name) is not None:
            initial[name] = format_number(initial[name])
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save_report(
                actor=request.user, application=application, data=form.cleaned_data
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("Business report saved."))
            return _back(application)
    return render(
        request, "programs/application_report.html", {"application": application, "form": form}
    )


@access(roles=roles.MANAGERS)
@require_POST
def application_upload(request, application_id):
    application = _get(request, application_id)
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return _back(application)
    criterion = None
    if form.cleaned_data["criterion"]:
        criterion = Criterion.objects.filter(
            pk=form.cleaned_data["criterion"], call=application.call
        ).first()
    return _run(
        request,
        application,
        lambda: attachment_services.attachment_add(
            actor=request.user,
            application=application,
            upload=form.cleaned_data["file"],
            criterion=criterion,
        ),
        _("Document attached."),
    )


@access(roles=roles.READERS)
def attachment_download(request, attachment_id):
    attachment = get_allowed_or_404(Attachment, request.user, "view", pk=attachment_id)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access(roles=roles.MANAGERS)
@require_POST
def attachment_delete(request, attachment_id):
    attachment = get_allowed_or_404(
        Attachment.objects.defer("content"), request.user, "view", pk=attachment_id
    )
    application = attachment.application
    return _run(
        request,
        application,
        lambda: attachment_services.attachment_delete(actor=request.user, attachment=attachment),
        _("Document removed."),
    )


@access(roles=roles.MANAGERS)
@require_POST
def application_declare(request, application_id, criterion_id):
    application = _get(request, application_id)
    criterion = Criterion.objects.filter(pk=criterion_id, call=application.call).first()
    if criterion is None:
        raise Http404
    form = StatementForm(request.POST)
    form.is_valid()  # one optional text: always valid
    return _run(
        request,
        application,
        lambda: services.declaration_save(
            actor=request.user,
            application=application,
            criterion=criterion,
            statement=form.cleaned_data.get("statement") or "",
        ),
        _("Answer saved."),
    )


@access(roles=roles.MANAGERS)
@require_POST
def application_submit(request, application_id):
    application = _get(request, application_id)
    return _run(
        request,
        application,
        lambda: services.application_submit(actor=request.user, application=application),
        _("Application submitted to the provincial alliance."),
    )


@access(roles=roles.MANAGERS)
@require_POST
def application_withdraw(request, application_id):
    application = _get(request, application_id)
    form = WithdrawForm(request.POST)
    form.is_valid()  # optional texts: always valid
    return _run(
        request,
        application,
        lambda: services.application_withdraw(
            actor=request.user,
            application=application,
            comment=form.cleaned_data.get("comment") or "",
        ),
        _("Application withdrawn."),
    )


@access(roles=roles.REVIEWERS)
@require_POST
def application_review(request, application_id):
    application = _get(request, application_id)
    form = ReviewForm(request.POST)
    valid = form.is_valid()
    decision = form.cleaned_data.get("decision") if valid else None
    comment = form.cleaned_data.get("comment") or "" if valid else ""
    actions = {
        "verify": (review_services.application_verify, _("Application verified: eligible.")),
        "reject": (review_services.application_reject, _("Application marked not eligible.")),
        "request_info": (
            review_services.application_request_info,
            _("Request sent to the cooperative."),
        ),
    }
    if decision not in actions:
        messages.error(request, _("Choose a decision."))
        return _back(application)
    service, success = actions[decision]
    return _run(
        request,
        application,
        lambda: service(actor=request.user, application=application, comment=comment),
        success,
    )


@access(roles=roles.REVIEWERS)
@require_POST
def application_check(request, application_id, criterion_id):
    application = _get(request, application_id)
    criterion = Criterion.objects.filter(pk=criterion_id, call=application.call).first()
    if criterion is None:
        raise Http404
    form = CheckForm(request.POST)
    form.is_valid()  # optional texts: always valid
    accepted = form.is_accepted()
    return _run(
        request,
        application,
        lambda: review_services.declared_check(
            actor=request.user,
            application=application,
            criterion=criterion,
            accepted=accepted,
            note=form.cleaned_data.get("note") or "",
        ),
        _("Check recorded."),
    )
