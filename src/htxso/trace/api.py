"""API of the trace app, mounted under /api/v1/trace/: EPCIS 2.0 capture and query."""

import datetime as dt
import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from htxso.core import roles
from htxso.core.api import route
from htxso.core.errors import Kind, ServiceError, not_found
from htxso.core.policy import allowed, get_allowed_or_404
from htxso.core.schemas import Id, Int64
from htxso.registry.models import Organisation

from . import selectors
from .epcis.documents import query_document
from .models import Lot
from .services.capture import capture_document
from .vocab import HTX_NS

router = Router(tags=["trace"])

#: 5 MB is plenty for 5,000 events.
MAX_BODY = 5 * 1024 * 1024


class CaptureOut(Schema):
    captured: int
    duplicates: int
    event_ids: list[str]
    event_hashes: list[str]


class EventOut(Schema):
    event_id: str
    kind: str
    event_type: str
    biz_step: str
    event_time: dt.datetime
    event_hash: str
    organisation_id: int
    body: dict


class EventFilters(Schema):
    gtin: str = ""
    lot: str = ""
    kind: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: Int64 = 100
    format: str = Field("", description="`epcis` answers an EPCISQueryDocument (JSON-LD)")


def writable_organisation(user: Any, organisation_id: int | None) -> Organisation:
    """The organisation the caller records for: the one given, or their only one."""
    qs = allowed(Organisation, user, "change")
    if organisation_id is not None:
        org = qs.filter(pk=organisation_id).first()
        if org is None:
            raise not_found(_("Not found."))
        return org
    orgs = list(qs[:2])
    if len(orgs) != 1:
        raise ServiceError(
            "organisation_required",
            _("Say which organisation records these events (?organisation=<id>)."),
        )
    return orgs[0]


def _too_large() -> ServiceError:
    return ServiceError(
        "too_large", _("The document is too large (at most 5 MB)."), kind=Kind.TOO_LARGE
    )


@route(
    router.post,
    "/capture",
    roles=roles.EDITORS,
    response={200: CaptureOut},
    summary="Capture an EPCIS 2.0 JSON-LD document",
    description=(
        "Send an `EPCISDocument` (JSON-LD, EPCIS 2.0). It is validated first; a document "
        "with problems is refused with code `epcis_invalid` and the list of problems "
        "(`path`, `code`, `message`) in `details`. Events already stored under the same "
        "`eventID` are not stored twice (`duplicates`). Events are stored all or none."
    ),
)
def capture(request: HttpRequest, organisation: Id | None = None):
    try:
        raw = request.body
    except RequestDataTooBig as exc:
        raise _too_large() from exc
    if len(raw) > MAX_BODY:
        raise _too_large()
    try:
        doc = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError("invalid_json", _("The body is not valid JSON.")) from exc
    if not isinstance(doc, dict):
        raise ServiceError("invalid_json", _("The body must be a JSON object (an EPCISDocument)."))
    org = writable_organisation(request.user, organisation)
    result = capture_document(actor=request.user, organisation=org, doc=doc)
    stored = result.captured + result.duplicates
    return {
        "captured": len(result.captured),
        "duplicates": len(result.duplicates),
        "event_ids": [e.event_id for e in stored],
        "event_hashes": [e.event_hash for e in stored],
    }


@route(
    router.get,
    "/events",
    roles=roles.API_ROLES,
    response=list[EventOut],
    summary="Query events (newest first) of the organisations you may see",
)
def events(request: HttpRequest, filters: Query[EventFilters]):
    rows = list(
        selectors.events_query(
            user=request.user,
            gtin=filters.gtin.strip(),
            lot=filters.lot.strip(),
            kind=filters.kind.strip(),
            since=filters.since,
            until=filters.until,
            limit=filters.limit,
        )
    )
    if filters.format == "epcis":
        doc = query_document(
            [e.body for e in reversed(rows)], creation_date=timezone.now(), context={"htx": HTX_NS}
        )
        return JsonResponse(doc, content_type="application/ld+json")
    return rows


@route(
    router.get,
    "/lots/{lot_id}/epcis",
    roles=roles.API_ROLES,
    summary="A lot's history (one step back and forward) as an EPCIS 2.0 document",
    openapi_extra={"responses": {200: {"description": "EPCISDocument (application/ld+json)"}}},
)
def lot_epcis(request: HttpRequest, lot_id: Id, depth: Int64 = 1):
    lot = get_allowed_or_404(Lot, request.user, "view", pk=lot_id)
    doc = selectors.lot_document(lot=lot, depth=max(1, min(depth, 20)))
    return JsonResponse(doc, content_type="application/ld+json")
