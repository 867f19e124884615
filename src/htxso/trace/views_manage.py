"""The cooperative's trace pages: its plots, facilities, products and lots."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.accounts.models import Role
from htxso.core.access import access
from htxso.core.scoping import get_editable_or_404, get_visible_or_404
from htxso.registry.models import Organisation

from . import selectors
from .errors import TraceError
from .forms import FacilityForm, PlotForm, TradeItemForm
from .models import EventKind, Facility, Lot, Plot, StampBatch, StampReport, TradeItem
from .qr import lot_url, public_base_url, qr_png, qr_svg
from .services import master as services
from .vocab import OBSERVATIONS, TRANSFORMATIONS

#: Who records events and manages trace data (scoped to editable organisations).
EDITORS = [Role.VCA_ADMIN, Role.PROVINCE_OFFICER, Role.COOP_MANAGER]
#: Who may see an organisation's trace data.
VIEWERS = [*EDITORS, Role.DEPARTMENT_VIEWER]


def form_error(form, exc: TraceError) -> None:
    field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
    form.add_error(field if field in form.fields else None, str(exc.message))


@access(roles=VIEWERS)
def trace_home(request):
    orgs = list(
        Organisation.objects.visible_to(request.user)
        .filter(trace_lots__isnull=False)
        .distinct()
        .order_by("name")[:200]
    )
    editable = list(Organisation.objects.editable_by(request.user).order_by("name")[:2])
    if len(editable) == 1:
        return redirect("trace:org_home", org_id=editable[0].pk)
    return render(request, "trace/home.html", {"organisations": orgs, "editable": editable})


def _org_visible(request, org_id: int) -> Organisation:
    return get_visible_or_404(
        Organisation.objects.select_related("province"), request.user, pk=org_id
    )


def _org_editable(request, org_id: int) -> Organisation:
    return get_editable_or_404(
        Organisation.objects.select_related("province"), request.user, pk=org_id
    )


@access(roles=VIEWERS)
def org_home(request, org_id: int):
    org = _org_visible(request, org_id)
    can_edit = Organisation.objects.editable_by(request.user).filter(pk=org.pk).exists()
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
        "reports": list(StampReport.objects.visible_to(request.user).filter(organisation=org)[:10]),
        "transformations": [(k, EventKind(k).label) for k in TRANSFORMATIONS],
        "observations": [(k, EventKind(k).label) for k in OBSERVATIONS],
    }
    return render(request, "trace/org_home.html", context)


def _form_page(request, org, form, title, multipart=False):
    return render(
        request,
        "trace/form.html",
        {"organisation": org, "form": form, "title": title, "multipart": multipart},
    )


@access(roles=EDITORS)
def plot_add(request, org_id: int):
    org = _org_editable(request, org_id)
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
        except TraceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Plot %(code)s was registered.") % {"code": plot.code})
            return redirect("trace:plot_detail", plot_id=plot.pk)
    return _form_page(request, org, form, _("Register a plot"), multipart=True)


@access(roles=VIEWERS)
def plot_detail(request, plot_id: int):
    plot = get_visible_or_404(
        Plot.objects.select_related("ward", "organisation"), request.user, pk=plot_id
    )
    return render(
        request, "trace/plot_detail.html", {"plot": plot, "organisation": plot.organisation}
    )


@access(roles=EDITORS)
def facility_add(request, org_id: int):
    org = _org_editable(request, org_id)
    form = FacilityForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.facility_add(actor=request.user, organisation=org, **form.cleaned_data)
        except TraceError as exc:
            form_error(form, exc if not exc.code.startswith("gln") else _gln_error(exc))
        else:
            messages.success(request, _("The facility was added."))
            return redirect("trace:org_home", org_id=org.pk)
    return _form_page(request, org, form, _("Add a facility"))


def _gln_error(exc: TraceError) -> TraceError:
    exc.details = {"field": "gln"}
    return exc


@access(roles=EDITORS)
def product_add(request, org_id: int):
    org = _org_editable(request, org_id)
    form = TradeItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trade_item_add(actor=request.user, organisation=org, **form.cleaned_data)
        except TraceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The product was added."))
            return redirect("trace:org_home", org_id=org.pk)
    return _form_page(request, org, form, _("Add a product (GTIN)"))


@access(roles=VIEWERS)
def lot_detail(request, lot_id: int):
    lot = get_visible_or_404(
        Lot.objects.select_related("trade_item", "organisation__province"), request.user, pk=lot_id
    )
    page = selectors.trace_page(lot=lot)
    can_edit = Lot.objects.editable_by(request.user).filter(pk=lot.pk).exists()
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


@access(roles=VIEWERS)
def lot_qr(request, lot_id: int, fmt: str):
    if fmt not in ("svg", "png"):
        raise Http404
    lot = get_visible_or_404(Lot, request.user, pk=lot_id)
    url = public_base_url(request) + lot_url(lot)
    if fmt == "png":
        return HttpResponse(qr_png(url), content_type="image/png")
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")
