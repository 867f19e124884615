"""Stamps: order a batch, print the labels, activate it on a lot; suspicious scans."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import allowed, get_allowed_or_404

from .forms import StampActivateForm, StampOrderForm
from .labels import PER_FILE, label_sheet_pdf
from .models import StampBatch, StampReport, StampScan
from .qr import public_base_url
from .services import stamps as services
from .views_manage import organisation_for


@access(roles=roles.EDITORS)
def stamp_order(request: HttpRequest, org_id: int) -> HttpResponse:
    org = organisation_for(request, org_id, "change")
    form = StampOrderForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.stamp_batch_order(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
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


@access(roles=roles.READERS)
def stamp_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_allowed_or_404(
        StampBatch.objects.select_related("organisation", "trade_item", "lot"),
        request.user,
        "view",
        pk=batch_id,
    )
    can_edit = StampBatch.policy.allows(request.user, "change", batch)
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


@access(roles=roles.EDITORS)
def stamp_activate(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_allowed_or_404(
        StampBatch.objects.select_related("trade_item"), request.user, "change", pk=batch_id
    )
    if request.method != "POST":
        return redirect("trace:stamp_batch", batch_id=batch.pk)
    form = StampActivateForm(request.POST, batch=batch)
    if form.is_valid():
        try:
            services.stamp_batch_activate(
                actor=request.user, batch=batch, lot=form.cleaned_data["lot"]
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(
                request, _("The stamps are active: consumers who scan them see this lot.")
            )
    else:
        messages.error(request, _("Pick a lot."))
    return redirect("trace:stamp_batch", batch_id=batch.pk)


@access(roles=roles.READERS)
def stamp_labels(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_allowed_or_404(
        StampBatch.objects.select_related("trade_item", "organisation"),
        request.user,
        "view",
        pk=batch_id,
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


@access(roles=roles.READERS)
def stamp_scans(request: HttpRequest) -> HttpResponse:
    scans = list(
        allowed(StampScan, request.user, "view")
        .filter(suspicious=True)
        .select_related("stamp__batch__organisation", "stamp__batch__trade_item")
        .order_by("-scanned_at")[:200]
    )
    reports = list(
        allowed(StampReport, request.user, "view")
        .select_related("organisation", "province")
        .order_by("-created_at")[:200]
    )
    return render(request, "trace/stamp_scans.html", {"scans": scans, "reports": reports})
