"""Pages of completion and certificates.

* trainers and staff: the completion page of a course (the rule's checks per
  participant, results, bulk decisions), issuing and revoking certificates;
* the participant: their certificates, the PDF and the Open Badges credential;
* everyone: the public verification page of a code, the "check a credential" page, the
  issuer's profile and the published keys (JWKS).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import allowed, get_allowed_or_404

from . import badges, keys, selectors_certificates, services_certificates
from .certificates_pdf import certificate_pdf, verify_url
from .forms_certificates import CheckForm, DecisionForm, ResultForm, RevokeForm
from .models import Certificate, Course, Enrolment

TEACHERS = roles.REVIEWERS | {roles.Role.TRAINER}


# ------------------------------------------------------------------ trainer and staff


def _completion_context(request: HttpRequest, course: Course, **extra) -> dict:
    rows = selectors_certificates.completion_rows(request.user, course)
    return {
        "course": course,
        "rows": rows,
        "met": sum(1 for r in rows if r.result.ok),
        "hours": badges.format_hours(selectors_certificates.completion.course_hours(course)),
        "result_form": ResultForm(),
        **extra,
    }


@access(roles=TEACHERS)
def completion_page(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_allowed_or_404(Course, request.user, "teach", pk=pk)
    return render(
        request, "training/certificates/completion.html", _completion_context(request, course)
    )


@access(roles=TEACHERS)
@require_POST
def completion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_allowed_or_404(Course, request.user, "teach", pk=pk)
    form = DecisionForm(
        request.POST, queryset=allowed(Enrolment, request.user, "teach").filter(course=course)
    )
    if form.is_valid():
        chosen = list(form.cleaned_data["enrolments"])
        try:
            if form.cleaned_data["decision"] == DecisionForm.COMPLETE:
                issued = services_certificates.complete(
                    actor=request.user, course=course, enrolments=chosen
                )
                messages.success(
                    request,
                    _("%(n)s participants completed; %(c)s certificates issued.")
                    % {"n": len(chosen), "c": len(issued)},
                )
            else:
                changed = services_certificates.mark_not_completed(
                    actor=request.user, course=course, enrolments=chosen
                )
                messages.success(
                    request, _("%(n)s participants marked as not completed.") % {"n": changed}
                )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            return redirect("training:completion", course.pk)
    return render(
        request,
        "training/certificates/completion.html",
        _completion_context(request, course, decision_form=form),
        status=400,
    )


@access(roles=TEACHERS)
@require_POST
def result_record(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_allowed_or_404(Enrolment, request.user, "teach", pk=pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        try:
            services_certificates.record_result(
                actor=request.user,
                enrolment=enrolment,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"] or "",
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(
                request, _("Result of %(name)s saved.") % {"name": enrolment.person.full_name}
            )
            return redirect("training:completion", enrolment.course_id)
    for error in form.non_field_errors() + [e for f in form.errors.values() for e in f]:
        messages.error(request, error)
    return redirect("training:completion", enrolment.course_id)


@access(roles=TEACHERS)
@require_POST
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_allowed_or_404(Enrolment, request.user, "teach", pk=pk)
    try:
        certificate = services_certificates.issue_certificate(
            actor=request.user, enrolment=enrolment
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("training:completion", enrolment.course_id)
    messages.success(request, _("Certificate %(code)s issued.") % {"code": certificate.code})
    return redirect("training:certificate", certificate.pk)


@access(roles=roles.REVIEWERS)
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_allowed_or_404(Certificate, request.user, "change", pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services_certificates.revoke_certificate(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("training:certificate", certificate.pk)
    return render(
        request,
        "training/certificates/certificate.html",
        _certificate_context(request, certificate, revoke_form=form),
        status=400,
    )


# ------------------------------------------------------------------ the participant


@access(authenticated=True)
def my_certificates(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/certificates/mine.html",
        {"certificates": selectors_certificates.my_certificates(request.user)},
    )


def _certificate_context(request: HttpRequest, certificate: Certificate, **extra) -> dict:
    may_revoke = Certificate.policy.allows(request.user, "change", certificate)
    return {
        "certificate": certificate,
        "snap": certificate.snapshot,
        "verify_url": verify_url(certificate),
        "revoke_form": RevokeForm() if may_revoke else None,
        **extra,
    }


@access(authenticated=True)
def enrolment_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of an enrolment (the "my training" page links here): 404 when
    none was issued."""
    enrolment = get_allowed_or_404(Enrolment, request.user, "view", pk=pk)
    certificate = Certificate.objects.filter(enrolment=enrolment).only("pk").first()
    if certificate is None:
        raise Http404
    return redirect("training:certificate", certificate.pk)


@access(authenticated=True)
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_allowed_or_404(Certificate, request.user, "view", pk=pk)
    return render(
        request,
        "training/certificates/certificate.html",
        _certificate_context(request, certificate),
    )


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@access(authenticated=True)
def certificate_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_allowed_or_404(Certificate, request.user, "view", pk=pk)
    return _download(
        certificate_pdf(certificate), f"chung-chi-{certificate.code}.pdf", "application/pdf"
    )


@access(authenticated=True)
def certificate_jwt(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_allowed_or_404(Certificate, request.user, "view", pk=pk)
    return _download(
        certificate.credential, f"huy-hieu-{certificate.code}.jwt", "application/vc+jwt"
    )


def credential_wrapper(certificate: Certificate) -> dict:
    return {
        "format": "vc+jwt",
        "jwt": certificate.credential,
        "credential": badges.readable(certificate.credential),
        "verificationPage": verify_url(certificate),
        "keys": f"{badges.site(reverse('training:jwks'))}",
    }


@access(authenticated=True)
def certificate_json(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_allowed_or_404(Certificate, request.user, "view", pk=pk)
    body = json.dumps(credential_wrapper(certificate), ensure_ascii=False, indent=2)
    return _download(body, f"huy-hieu-{certificate.code}.json", "application/json")


# ------------------------------------------------------------------ public


@access(public=True)
def certificate_public(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors_certificates.public_certificate(code)
    if certificate is None:
        raise Http404
    if code != certificate.code:
        return redirect("training:certificate_public", certificate.code)
    return render(
        request,
        "training/certificates/public.html",
        {"certificate": certificate, "snap": certificate.snapshot},
    )


@access(public=True)
def certificate_check(request: HttpRequest) -> HttpResponse:
    checked = None
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        if form.is_valid():
            checked = selectors_certificates.verify_credential(form.cleaned_data["text"])
    else:
        form = CheckForm()
    status = 400 if request.method == "POST" and checked is None else 200
    return render(
        request,
        "training/certificates/check.html",
        {"form": form, "checked": checked},
        status=status,
    )


@access(public=True)
@cache_control(public=True, max_age=300)
def issuer_profile(request: HttpRequest) -> HttpResponse:
    return JsonResponse(badges.issuer_profile(), json_dumps_params={"ensure_ascii": False})


@access(public=True)
@cache_control(public=True, max_age=300)
def jwks(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(keys.jwks())
    response["Access-Control-Allow-Origin"] = "*"
    return response
