"""The provincial alliance's pages of a call: publish, letter, review queue, forward."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.geo.models import Province

from . import selectors
from .documents import LetterUnavailable, province_letter, province_workbook
from .forms import ForwardForm, PublishForm
from .models import (
    ApplicationStatus,
    CallProvince,
    CallStatus,
    ProvinceCompilation,
    PublicationState,
)
from .services import calls as call_services
from .services import review as review_services
from .views_calls import DOCX, XLSX, download


def _province_or_404(user: Any, code: str) -> Province:
    """A province whose lists ``user`` may see (404 for the others and for no province)."""
    if not ProvinceCompilation.policy.allows_at(user, "view", province=code):
        raise Http404
    try:
        return Province.objects.get(pk=code)
    except Province.DoesNotExist as exc:
        raise Http404 from exc


@access(roles=roles.STAFF)
def province_page(request, call_id, province_code):
    call = selectors.call_visible_or_404(request.user, call_id)
    province = _province_or_404(request.user, province_code)
    publication = selectors.publication(call, province.pk)
    applications = list(selectors.province_applications(request.user, call, province.pk))
    compilation = ProvinceCompilation.objects.filter(call=call, province=province).first()
    counts = {
        "total": len(applications),
        "eligible": sum(1 for a in applications if a.eligible),
        "pending": sum(1 for a in applications if a.status in ("submitted", "info_requested")),
        "verified": sum(
            1 for a in applications if a.status in ("verified", "forwarded", "selected")
        ),
    }
    form = PublishForm(
        initial={
            "letter_number": publication.letter_number if publication else "",
            "contact": publication.contact if publication else "",
            "address": publication.address if publication else "",
            "deadline": publication.deadline if publication else None,
        }
    )
    return render(
        request,
        "programs/province.html",
        {
            "call": call,
            "province": province,
            "publication": publication,
            "publication_state": PublicationState.of(
                published=publication is not None, forwarded=compilation is not None
            ),
            "applies_here": selectors.call_applies_in(call, province.pk),
            "applications": applications,
            "compilation": compilation,
            "counts": counts,
            "missing": max(call.min_eligible - counts["verified"], 0),
            "form": form,
            "forward_form": ForwardForm(),
            "can_edit": CallProvince.policy.allows_at(
                request.user, "publish", province=province.pk
            ),
            "qualifies": counts["verified"] >= call.min_eligible,
            "CallStatus": CallStatus,
            "ApplicationStatus": ApplicationStatus,
        },
    )


@access(roles=roles.REVIEWERS)
@require_POST
def province_publish(request, call_id, province_code):
    call = selectors.call_visible_or_404(request.user, call_id)
    province = _province_or_404(request.user, province_code)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            call_services.call_publish(
                actor=request.user, call=call, province_id=province.pk, **form.cleaned_data
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(
                request,
                _("Published to the cooperatives of the province. Download the letter below."),
            )
    return redirect("programs:province_page", call_id=call.pk, province_code=province.pk)


@access(roles=roles.STAFF)
def province_letter_docx(request, call_id, province_code):
    call = selectors.call_visible_or_404(request.user, call_id)
    province = _province_or_404(request.user, province_code)
    try:
        content = province_letter(call, selectors.publication(call, province.pk), province)
    except LetterUnavailable as exc:
        show_service_error(request, exc)
        return redirect("programs:province_page", call_id=call.pk, province_code=province.pk)
    return download(content, f"cong-van-dot-{call.pk}-tinh-{province.pk}.docx", DOCX)


@access(roles=roles.STAFF)
def province_xlsx(request, call_id, province_code):
    call = selectors.call_visible_or_404(request.user, call_id)
    province = _province_or_404(request.user, province_code)
    applications = list(selectors.province_applications(request.user, call, province.pk))
    content = province_workbook(call, province, applications)
    return download(content, f"danh-sach-dot-{call.pk}-tinh-{province.pk}.xlsx", XLSX)


@access(roles=roles.REVIEWERS)
@require_POST
def province_forward(request, call_id, province_code):
    call = selectors.call_visible_or_404(request.user, call_id)
    province = _province_or_404(request.user, province_code)
    form = ForwardForm(request.POST)
    form.is_valid()  # optional texts: always valid
    try:
        compilation = review_services.compilation_forward(
            actor=request.user,
            call=call,
            province_id=province.pk,
            note=form.cleaned_data.get("note") or "",
        )
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(
            request,
            _("The list was forwarded to VCA: %(n)s eligible cooperative(s).")
            % {"n": compilation.eligible_count},
        )
    return redirect("programs:province_page", call_id=call.pk, province_code=province.pk)
