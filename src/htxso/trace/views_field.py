"""Field pages: record one critical tracking event on a cheap phone (lists to pick
from, numbers, one button).  The form carries a client-made eventID, so a submission
retried by the offline queue (static/js/trace-queue.js) is not recorded twice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import Kind, ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404
from htxso.registry.models import Organisation

from .forms import EventErrorForm, RecordForm
from .models import Event, EventKind
from .services import events as services
from .views_manage import organisation_for
from .vocab import OBSERVATIONS, TRANSFORMATIONS

KINDS = ["harvest", *TRANSFORMATIONS, *OBSERVATIONS]


def _record(request: HttpRequest, org: Organisation, kind: str, data: dict[str, Any]) -> Event:
    common = {
        "actor": request.user,
        "organisation": org,
        "event_id": data["event_id"],
        "facility": data.get("facility"),
    }
    if kind == "harvest":
        return services.harvest_record(
            **common,
            plot=data["plot"],
            trade_item=data["trade_item"],
            quantity_kg=data["quantity_kg"],
            harvested_at=data["at"],
        )
    if kind in TRANSFORMATIONS:
        inputs = [(lot, lot.left_kg) for lot in data["inputs"]]
        return services.transformation_record(
            **common,
            kind=kind,
            inputs=inputs,
            outputs=[(data["trade_item"], data["quantity_kg"], None)],
            at=data["at"],
            method=data.get("method", ""),
        )
    return services.observation_record(
        **common,
        kind=kind,
        lots=list(data["lots"]),
        at=data["at"],
        party=data.get("party", ""),
        certification=data.get("certification", ""),
        note=data.get("note", ""),
    )


@access(roles=roles.EDITORS)
def record(request: HttpRequest, org_id: int, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    org = organisation_for(request, org_id, "change")
    form = RecordForm(request.POST or None, organisation=org, kind=kind)
    wants_json = request.headers.get("X-Trace-Queue") == "1"
    if request.method == "POST":
        if form.is_valid():
            try:
                event = _record(request, org, kind, form.cleaned_data)
            except ServiceError as exc:
                if wants_json and exc.kind not in (Kind.FORBIDDEN, Kind.NOT_FOUND):
                    return JsonResponse({"code": exc.code, "message": exc.text}, status=400)
                show_service_error(request, exc, form)
            else:
                if wants_json:
                    return JsonResponse(
                        {"event_id": event.event_id, "event_hash": event.event_hash}
                    )
                text = _("Recorded: %(what)s.") % {
                    "what": event.summary or event.get_kind_display()
                }
                if "yield_implausible" in (event.flags or []):
                    messages.warning(
                        request, _("Check the quantities: the yield is unusual for this step.")
                    )
                messages.success(request, text)
                return redirect("trace:record", org_id=org.pk, kind=kind)
        elif wants_json:
            return JsonResponse(
                {
                    "code": "invalid",
                    "message": _("Check the form."),
                    "details": form.errors.get_json_data(),
                },
                status=400,
            )
    return render(
        request,
        "trace/record.html",
        {
            "organisation": org,
            "form": form,
            "kind": kind,
            "kind_label": EventKind(kind).label,
            "kinds": [(k, EventKind(k).label) for k in KINDS],
        },
    )


@require_POST
@access(roles=roles.EDITORS)
def event_error(request: HttpRequest, event_id: int) -> HttpResponse:
    """Declare an event wrong: a new event says so; the original stays as it was."""
    event = get_allowed_or_404(
        Event.objects.select_related("organisation"), request.user, "change", pk=event_id
    )
    lot_link = event.lot_links.select_related("lot").first()
    form = EventErrorForm(request.POST)
    form.is_valid()  # one optional text: always valid; the service checks the reason
    try:
        services.event_error_declare(
            actor=request.user, event=event, reason=form.cleaned_data.get("reason", "")
        )
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(
            request, _("The error was declared; the original event is kept as recorded.")
        )
    if lot_link is not None:
        return redirect("trace:lot_detail", lot_id=lot_link.lot_id)
    return redirect("trace:org_home", org_id=event.organisation_id)
