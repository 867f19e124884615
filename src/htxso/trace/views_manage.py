"""The cooperative's trace pages: its plots, facilities, products and lots."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Sum
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import allowed, get_allowed_or_404
from htxso.registry.models import Organisation

from . import selectors
from .forms import FacilityForm, PlotForm, TradeItemForm
from .models import EventKind, Facility, Lot, Plot, StampBatch, StampReport, TradeItem
from .qr import lot_url, public_base_url, qr_png, qr_svg
from .services import master as services
from .vocab import OBSERVATIONS, TRANSFORMATIONS

# Who may open the trace pages (roles.READERS) and who records events and manages
# trace data (roles.EDITORS): each object is then checked by its model's policy.


@access(roles=roles.READERS)
def trace_home(request: HttpRequest) -> HttpResponse:
    orgs = list(
        allowed(Organisation, request.user, "view")
        .filter(trace_lots__isnull=False)
        .distinct()
        .order_by("name")[:200]
    )
    editable = list(allowed(Organisation, request.user, "change").order_by("name")[:2])
    if len(editable) == 1:
        return redirect("trace:org_home", org_id=editable[0].pk)
    return render(request, "trace/home.html", {"organisations": orgs, "editable": editable})


def organisation_for(request: HttpRequest, org_id: int, action: str) -> Organisation:
    """The organisation of the page, if the user may ``action`` it (else 404/403)."""
    return get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, action, pk=org_id
    )


@access(roles=roles.READERS)
def org_home(request: HttpRequest, org_id: int) -> HttpResponse:
    org = organisation_for(request, org_id, "view")
    can_edit = Organisation.policy.allows(request.user, "change", org)
    lots = list(Lot.objects.filter(organisation=org).select_related("trade_item")[:30])
    plots = Plot.objects.filter(organisation=org)
    plot_stats = plots.aggregate(n=Count("id"), ha=Sum("area_ha"))
    context = {
        "organisation": org,
        "can_edit": can_edit,
        "lots": lots,
        "lot_count": Lot.objects.filter(organisation=org).count(),
        "plots": list(plots.select_related("ward")[:100]),
        "plot_stats": plot_stats,
        "facilities": list(Facility.objects.filter(organisation=org)),
        "items": list(TradeItem.objects.filter(organisation=org)),
        "batches": list(
            StampBatch.objects.filter(organisation=org).select_related("trade_item", "lot")[:10]
        ),
        "reports": list(allowed(StampReport, request.user, "view").filter(organisation=org)[:10]),
        "transformations": [(k, EventKind(k).label) for k in TRANSFORMATIONS],
        "observations": [(k, EventKind(k).label) for k in OBSERVATIONS],
    }
    return render(request, "trace/org_home.html", context)


def _form_page(
    request: HttpRequest, org: Organisation, form: Form, title: str, multipart: bool = False
) -> HttpResponse:
    return render(
        request,
        "trace/form.html",
        {"organisation": org, "form": form, "title": title, "multipart": multipart},
    )


@access(roles=roles.EDITORS)
def plot_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = organisation_for(request, org_id, "change")
    form = PlotForm(request.POST or None, request.FILES or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            geometry, fmt = form.geometry()
            plot = services.plot_register(
                actor=request.user,
                organisation=org,
                code=data["code"],
                ward=data["ward"],
                geometry=geometry,
                fmt=fmt,
                area_ha=data.get("area_ha"),
                name=data.get("name", ""),
                producer_name=data.get("producer_name", ""),
                crop=data["crop"],
                deforestation_free=data.get("deforestation_free"),
                deforestation_evidence=data.get("deforestation_evidence", ""),
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("Plot %(code)s was registered.") % {"code": plot.code})
            return redirect("trace:plot_detail", plot_id=plot.pk)
    return _form_page(request, org, form, _("Register a plot"), multipart=True)


@access(roles=roles.READERS)
def plot_detail(request: HttpRequest, plot_id: int) -> HttpResponse:
    plot = get_allowed_or_404(
        Plot.objects.select_related("ward", "organisation"), request.user, "view", pk=plot_id
    )
    return render(
        request, "trace/plot_detail.html", {"plot": plot, "organisation": plot.organisation}
    )


@access(roles=roles.EDITORS)
def facility_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = organisation_for(request, org_id, "change")
    form = FacilityForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.facility_add(actor=request.user, organisation=org, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The facility was added."))
            return redirect("trace:org_home", org_id=org.pk)
    return _form_page(request, org, form, _("Add a facility"))


@access(roles=roles.EDITORS)
def product_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = organisation_for(request, org_id, "change")
    form = TradeItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trade_item_add(actor=request.user, organisation=org, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The product was added."))
            return redirect("trace:org_home", org_id=org.pk)
    return _form_page(request, org, form, _("Add a product (GTIN)"))


@access(roles=roles.READERS)
def lot_detail(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = get_allowed_or_404(
        Lot.objects.select_related("trade_item", "organisation__province"),
        request.user,
        "view",
        pk=lot_id,
    )
    page = selectors.trace_page(lot=lot)
    can_edit = Lot.policy.allows(request.user, "change", lot)
    return render(
        request,
        "trace/lot_detail.html",
        {
            "lot": lot,
            "page": page,
            "can_edit": can_edit,
            "organisation": lot.organisation,
            "public_url": public_base_url(request) + lot_url(lot),
        },
    )


@access(roles=roles.READERS)
def lot_qr(request: HttpRequest, lot_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("svg", "png"):
        raise Http404
    lot = get_allowed_or_404(Lot, request.user, "view", pk=lot_id)
    url = public_base_url(request) + lot_url(lot)
    if fmt == "png":
        return HttpResponse(qr_png(url), content_type="image/png")
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")
