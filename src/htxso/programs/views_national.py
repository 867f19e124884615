"""VCA's national view of a call: provinces, qualification, ranking and selection."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core.access import access
from htxso.core.forms import fits_int64

from . import selectors
from .documents import LetterUnavailable, result_letter, results_workbook
from .models import CallStatus
from .services import selection as services
from .views_calls import DOCX, XLSX, download, flash_error

VCA = ("vca_admin",)


@access(roles=VCA)
def call_national(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    if request.method == "POST":
        provinces = request.POST.getlist("province")
        province_reasons = {p: request.POST.get(f"reason_{p}", "") for p in provinces}
        excluded = {
            int(k[len("exclude_") :]): request.POST.get(f"why_{k[len('exclude_') :]}", "")
            for k in request.POST
            if k.startswith("exclude_")
            and k[len("exclude_") :].isdigit()
            and fits_int64(int(k[len("exclude_") :]))
        }
        try:
            services.selection_decide(
                actor=request.user,
                call=call,
                provinces=provinces,
                province_reasons=province_reasons,
                excluded_applications=excluded,
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            flash_error(request, exc)
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
        },
    )


@access(roles=VCA)
def call_results_xlsx(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    content = results_workbook(call, selectors.national_summary(call))
    return download(content, f"ket-qua-dot-{call.pk}.xlsx", XLSX)


@access(roles=VCA)
def call_result_letter(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    try:
        content = result_letter(call, selectors.national_summary(call))
    except LetterUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("programs:call_national", call_id=call.pk)
    return download(content, f"cong-van-ket-qua-dot-{call.pk}.docx", DOCX)
