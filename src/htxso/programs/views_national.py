"""VCA's national view of a call: provinces, qualification, ranking and selection."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error

from . import selectors
from .documents import LetterUnavailable, result_letter, results_workbook
from .forms import SelectionForm
from .models import CallStatus
from .services import selection as services
from .views_calls import DOCX, XLSX, download


@access(roles=roles.VCA)
def call_national(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    if request.method == "POST":
        form = SelectionForm(request.POST)
        form.is_valid()  # lists and texts: the service checks them
        data = form.cleaned_data
        try:
            services.selection_decide(
                actor=request.user,
                call=call,
                provinces=data.get("province") or [],
                province_reasons=data.get("province_reasons") or {},
                excluded_applications=data.get("excluded") or {},
                note=data.get("note") or "",
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(
                request, _("Selection recorded. Provinces and cooperatives are notified.")
            )
        return redirect("programs:call_national", call_id=call.pk)
    summary = selectors.national_summary(call)
    return render(
        request,
        "programs/national.html",
        {
            "call": call,
            "summary": summary,
            "decided": call.status == CallStatus.DECIDED,
            "selectable": call.status in (CallStatus.OPEN, CallStatus.CLOSED),
            "selection_form": SelectionForm(),
        },
    )


@access(roles=roles.VCA)
def call_results_xlsx(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    content = results_workbook(call, selectors.national_summary(call))
    return download(content, f"ket-qua-dot-{call.pk}.xlsx", XLSX)


@access(roles=roles.VCA)
def call_result_letter(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    try:
        content = result_letter(call, selectors.national_summary(call))
    except LetterUnavailable as exc:
        show_service_error(request, exc)
        return redirect("programs:call_national", call_id=call.pk)
    return download(content, f"cong-van-ket-qua-dot-{call.pk}.docx", DOCX)
