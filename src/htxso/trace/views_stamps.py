"""Stamps: order a batch, print the labels, activate it on a lot; suspicious scans."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core.access import access
from htxso.core.scoping import get_editable_or_404, get_visible_or_404

from .errors import TraceError
from .forms import StampActivateForm, StampOrderForm
from .labels import PER_FILE, label_sheet_pdf
from .models import StampBatch, StampReport, StampScan
from .qr import public_base_url
from .services import stamps as services
from .views_manage import EDITORS, VIEWERS, _org_editable, form_error


@access(roles=EDITORS)
def stamp_order(request, org_id: int):
    org = _org_editable(request, org_id)
    form = StampOrderForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.stamp_batch_order(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        except TraceError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(n)s stamps were made. Print them, then activate them on a lot.")
                % {"n": batch.quantity},
            )
            return redirect("trace:stamp_batch", batch_id=batch.pk)
    return render(
        request,
        "trace/form.html",
        {"organisation": org, "form": form, "title": _("Order anti-counterfeit stamps")},
    )


@access(roles=VIEWERS)
def stamp_batch(request, batch_id: int):
    batch = get_visible_or_404(
        StampBatch.objects.select_related("organisation", "trade_item", "lot"),
        request.user,
        pk=batch_id,
    )
    can_edit = StampBatch.objects.editable_by(request.user).filter(pk=batch.pk).exists()
    form = StampActivateForm(batch=batch) if can_edit and batch.activated_at is None else None
    return render(
        request,
        "trace/stamp_batch.html",
        {
            "batch": batch,
            "organisation": batch.organisation,
            "form": form,
            "stamps": list(batch.stamps.order_by("id")[:20]),
            "parts": [
                (start, min(start + PER_FILE, batch.quantity))
                for start in range(0, batch.quantity, PER_FILE)
            ],
        },
    )


@access(roles=EDITORS)
def stamp_activate(request, batch_id: int):
    batch = get_editable_or_404(
        StampBatch.objects.select_related("trade_item"), request.user, pk=batch_id
    )
    if request.method != "POST":
        return redirect("trace:stamp_batch", batch_id=batch.pk)
    form = StampActivateForm(request.POST, batch=batch)
    if form.is_valid():
        try:
            services.stamp_batch_activate(
                actor=request.user, batch=batch, lot=form.cleaned_data["lot"]
            )
        except TraceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("The stamps are active: consumers who scan them see this lot.")
            )
    else:
        messages.error(request, _("Pick a lot."))
    return redirect("trace:stamp_batch", batch_id=batch.pk)


@access(roles=VIEWERS)
def stamp_labels(request, batch_id: int):
    batch = get_visible_or_404(
        StampBatch.objects.select_related("trade_item", "organisation"), request.user, pk=batch_id
    )
    try:
        start = max(0, min(int(request.GET.get("tu", 0)), batch.quantity - 1))
    except ValueError:
        start = 0
    pdf = label_sheet_pdf(batch, base_url=public_base_url(request), start=start, limit=PER_FILE)
    response = HttpResponse(pdf, content_type="application/pdf")
    part = f"-{start + 1}" if batch.quantity > PER_FILE else ""
    response["Content-Disposition"] = f'attachment; filename="tem-{batch.pk}{part}.pdf"'
    return response


@access(roles=VIEWERS)
def stamp_scans(request):
    scans = list(
        StampScan.objects.visible_to(request.user)
        .filter(suspicious=True)
        .select_related("stamp__batch__organisation", "stamp__batch__trade_item")
        .order_by("-scanned_at")[:200]
    )
    reports = list(
        StampReport.objects.visible_to(request.user)
        .select_related("organisation", "province")
        .order_by("-created_at")[:200]
    )
    return render(request, "trace/stamp_scans.html", {"scans": scans, "reports": reports})
