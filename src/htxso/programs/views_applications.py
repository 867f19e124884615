"""An application: the manager fills and submits it, the province reviews it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core.access import access
from htxso.core.formatting import format_number
from htxso.core.scoping import get_scope, get_visible_or_404
from htxso.registry.models import Organisation

from . import selectors
from .forms import ReportForm, UploadForm
from .models import Application, ApplicationStatus, Attachment, Criterion
from .rules_text import describe
from .services import applications as services
from .services import attachments as attachment_services
from .services import review as review_services
from .views_calls import apply_errors, flash_error

READERS = ("vca_admin", "province_officer", "department_viewer", "coop_manager")
APPLICANTS = ("vca_admin", "coop_manager")
REVIEWERS = ("vca_admin", "province_officer")


def _get(request, application_id) -> Application:
    qs = Application.objects.select_related("call", "organisation", "organisation__province")
    return get_visible_or_404(qs, request.user, pk=application_id)


def _back(application):
    return redirect("programs:application_detail", application_id=application.pk)


def _run(request, application, action, success):
    try:
        action()
    except ValidationError as exc:
        flash_error(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Your role may not do this."))
    else:
        messages.success(request, success)
    return _back(application)


@access(roles=APPLICANTS)
@require_POST
def application_start(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    scope = get_scope(request.user)
    raw = request.POST.get("organisation") or ""
    managed = sorted(scope.edit_organisations)
    if not raw.isdigit() and len(managed) == 1:
        raw = str(managed[0])
    if not raw.isdigit():
        messages.error(request, _("Choose the organisation that applies."))
        return redirect("programs:call_detail", call_id=call.pk)
    organisation = Organisation.objects.filter(pk=int(raw)).first()
    if organisation is None or not (
        scope.national_edit or organisation.pk in scope.edit_organisations
    ):
        raise Http404
    try:
        application = services.application_start(
            actor=request.user, call=call, organisation=organisation
        )
    except ValidationError as exc:
        flash_error(request, exc)
        return redirect("programs:call_detail", call_id=call.pk)
    messages.success(
        request, _("Application started. Check the business report pre-filled from the registry.")
    )
    return redirect("programs:application_report", application_id=application.pk)


@access(roles=READERS)
def application_detail(request, application_id):
    application = _get(request, application_id)
    scope = get_scope(request.user)
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
    province_id = application.organisation.province_id
    is_applicant = scope.national_edit or application.organisation_id in scope.edit_organisations
    is_reviewer = scope.national_edit or province_id in scope.edit_provinces
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
        },
    )


@access(roles=APPLICANTS)
def application_report(request, application_id):
    application = _get(request, application_id)
    scope = get_scope(request.user)
    if not (scope.national_edit or application.organisation_id in scope.edit_organisations):
        raise PermissionDenied
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
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Business report saved."))
            return _back(application)
    return render(
        request, "programs/application_report.html", {"application": application, "form": form}
    )


@access(roles=APPLICANTS)
@require_POST
def application_upload(request, application_id):
    application = _get(request, application_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return _back(application)
    criterion = None
    if request.POST.get("criterion"):
        criterion = Criterion.objects.filter(
            pk=request.POST.get("criterion"), call=application.call
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


@access(roles=READERS)
def attachment_download(request, attachment_id):
    attachment = get_visible_or_404(Attachment, request.user, pk=attachment_id)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access(roles=APPLICANTS)
@require_POST
def attachment_delete(request, attachment_id):
    attachment = get_visible_or_404(
        Attachment.objects.defer("content"), request.user, pk=attachment_id
    )
    application = attachment.application
    return _run(
        request,
        application,
        lambda: attachment_services.attachment_delete(actor=request.user, attachment=attachment),
        _("Document removed."),
    )


@access(roles=APPLICANTS)
@require_POST
def application_declare(request, application_id, criterion_id):
    application = _get(request, application_id)
    criterion = Criterion.objects.filter(pk=criterion_id, call=application.call).first()
    if criterion is None:
        raise Http404
    return _run(
        request,
        application,
        lambda: services.declaration_save(
            actor=request.user,
            application=application,
            criterion=criterion,
            statement=request.POST.get("statement", ""),
        ),
        _("Answer saved."),
    )


@access(roles=APPLICANTS)
@require_POST
def application_submit(request, application_id):
    application = _get(request, application_id)
    return _run(
        request,
        application,
        lambda: services.application_submit(actor=request.user, application=application),
        _("Application submitted to the provincial alliance."),
    )


@access(roles=APPLICANTS)
@require_POST
def application_withdraw(request, application_id):
    application = _get(request, application_id)
    return _run(
        request,
        application,
        lambda: services.application_withdraw(
            actor=request.user, application=application, comment=request.POST.get("comment", "")
        ),
        _("Application withdrawn."),
    )


@access(roles=REVIEWERS)
@require_POST
def application_review(request, application_id):
    application = _get(request, application_id)
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
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


@access(roles=REVIEWERS)
@require_POST
def application_check(request, application_id, criterion_id):
    application = _get(request, application_id)
    criterion = Criterion.objects.filter(pk=criterion_id, call=application.call).first()
    if criterion is None:
        raise Http404
    accepted = request.POST.get("accepted") == "yes"
    return _run(
        request,
        application,
        lambda: review_services.declared_check(
            actor=request.user,
            application=application,
            criterion=criterion,
            accepted=accepted,
            note=request.POST.get("note", ""),
        ),
        _("Check recorded."),
    )
