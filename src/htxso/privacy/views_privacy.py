"""Personal-data pages: the notice, "my data" (page and JSON), requests, consents, and
for reviewers the request queue and the log of sensitive exports.

No page takes a person's id: "my data" is always the signed-in user's.  The request
queue takes a request's id, fetched through its policy (404 outside the reviewer's
province)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from htxso.core import consent, roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.models import ConsentRecord, SensitiveExport
from htxso.core.policy import allowed, get_allowed_or_404

from . import collectors, services
from .forms import CorrectionForm, DecisionForm, DeletionForm, WithdrawForm
from .models import PrivacyRequest, RequestStatus

PAGE_SIZE = 50


@access(public=True)
@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/notice.html",
        {"version": consent.NOTICE_VERSION},
    )


@access(authenticated=True)
@never_cache
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "privacy/my_data.html",
        {
            "sections": collectors.sections(user),
            "open_requests": PrivacyRequest.objects.filter(
                user=user, status=RequestStatus.SUBMITTED
            ),
            "self_service": services.self_service(user),
            "version": consent.NOTICE_VERSION,
        },
    )


@access(authenticated=True)
@never_cache
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = {
        "generated_at": timezone.now().isoformat(),
        "notice_version": consent.NOTICE_VERSION,
        "data": collectors.collect_all(request.user),
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@access(authenticated=True)
@never_cache
def correction(request: HttpRequest) -> HttpResponse:
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_request(
                actor=request.user,
                user=request.user,
                field=form.cleaned_data["field"],
                text=form.cleaned_data["text"],
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(
                request,
                _("Your request was sent. You will see the answer on this page."),
            )
            return redirect("privacy:my_data")
    return render(request, "privacy/correction.html", {"form": form})


@access(authenticated=True)
@never_cache
def deletion(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = DeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome, _req = services.deletion_request(
                actor=user, user=user, text=form.cleaned_data.get("text") or ""
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            if outcome == "review":
                messages.success(
                    request,
                    _("Your request was sent for review. You will see the answer on this page."),
                )
                return redirect("privacy:my_data")
            logout(request)
            if outcome == "deleted":
                messages.success(request, _("Your account and its data were deleted."))
            else:
                messages.success(
                    request,
                    _(
                        "Your account was closed and your personal data removed. Orders "
                        "keep their amounts without your name."
                    ),
                )
            return redirect("privacy:notice")
    return render(
        request,
        "privacy/deletion.html",
        {
            "form": form,
            "self_service": services.self_service(user),
            "keeps": services.must_keep(user),
            "open_orders": services.open_orders(user),
            "open_request": PrivacyRequest.objects.filter(
                user=user, kind="deletion", status=RequestStatus.SUBMITTED
            ).first(),
        },
    )


@access(authenticated=True)
@never_cache
def consents(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.consent_withdraw(
                    actor=request.user, user=request.user, purpose=form.cleaned_data["purpose"]
                )
            except ServiceError as exc:
                show_service_error(request, exc)
            else:
                messages.success(request, _("Your consent was withdrawn."))
        else:
            messages.error(request, _("Choose a consent you gave."))
        return redirect("privacy:consents")
    rows = ConsentRecord.objects.filter(user=request.user).order_by("-given_at", "-pk")
    return render(
        request,
        "privacy/consents.html",
        {
            "rows": [(r, WithdrawForm(initial={"purpose": r.purpose})) for r in rows],
        },
    )


@access(roles=roles.PRIVACY_REVIEWERS)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("tat-ca") == "1"
    qs = allowed(PrivacyRequest, request.user, "decide").select_related("province")
    if not show_all:
        qs = qs.filter(status=RequestStatus.SUBMITTED)
    page = Paginator(qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/requests.html", {"page": page, "show_all": show_all})


@access(roles=roles.PRIVACY_REVIEWERS)
@never_cache
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_allowed_or_404(
        PrivacyRequest.objects.select_related("user", "province"),
        request.user,
        "decide",
        hide=True,
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                actor=request.user,
                request=req,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data.get("reason") or "",
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The request was decided."))
            return redirect("privacy:requests")
    person = None
    if req.user is not None and req.user.is_active:
        person = collectors._register(req.user)
    return render(
        request,
        "privacy/request_decide.html",
        {"req": req, "form": form, "register": person},
    )


@access(roles=roles.PRIVACY_REVIEWERS)
@require_GET
def export_log(request: HttpRequest) -> HttpResponse:
    qs = allowed(SensitiveExport, request.user, "view").select_related("province")
    page = Paginator(qs.order_by("-at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/export_log.html", {"page": page})
