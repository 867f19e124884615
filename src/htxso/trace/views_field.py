"""Field pages: record one critical tracking event on a cheap phone (lists to pick
from, numbers, one button).  The form carries a client-made eventID, so a submission
retried by the offline queue (static/js/trace-queue.js) is not recorded twice."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core.access import access
from htxso.core.scoping import get_editable_or_404

from .errors import TraceError
from .forms import RecordForm
from .models import Event, EventKind
from .services import events as services
from .views_manage import EDITORS, _org_editable, form_error
from .vocab import OBSERVATIONS, TRANSFORMATIONS

KINDS = ["harvest", *TRANSFORMATIONS, *OBSERVATIONS]


def _record(request, org, kind, data):
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


@access(roles=EDITORS)
def record(request, org_id: int, kind: str):
    if kind not in KINDS:
        raise Http404
    org = _org_editable(request, org_id)
    form = RecordForm(request.POST or None, organisation=org, kind=kind)
    wants_json = request.headers.get("X-Trace-Queue") == "1"
    if request.method == "POST":
        if form.is_valid():
            try:
                event = _record(request, org, kind, form.cleaned_data)
            except TraceError as exc:
                if wants_json:
                    return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=400)
                form_error(form, exc)
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
@access(roles=EDITORS)
def event_error(request, event_id: int):
    """Declare an event wrong: a new event says so; the original stays as it was."""
    event = get_editable_or_404(
        Event.objects.select_related("organisation"), request.user, pk=event_id
    )
    lot_link = event.lot_links.select_related("lot").first()
    try:
        services.event_error_declare(
            actor=request.user, event=event, reason=request.POST.get("reason", "")
        )
    except TraceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("The error was declared; the original event is kept as recorded.")
        )
    if lot_link is not None:
        return redirect("trace:lot_detail", lot_id=lot_link.lot_id)
    return redirect("trace:org_home", org_id=event.organisation_id)
