"""Audit trail API: staff read what they may see."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core.api import route
from htxso.core.roles import STAFF

from .models import AuditEvent

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    time: dt.datetime
    actor: str
    action: str
    object_type: str | None
    object_id: str
    object: str
    province: str | None
    before: dict | None
    after: dict | None


class AuditQuery(Schema):
    action: str = Field("", max_length=80)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@route(router.get, "/events", roles=STAFF, response=list[AuditOut], summary="Audit trail")
def events(request: HttpRequest, filters: Query[AuditQuery]) -> list[dict[str, Any]]:
    qs = AuditEvent.objects.allowed(request.user, "view").select_related("content_type")
    if filters.action:
        qs = qs.filter(action=filters.action)
    rows = qs[filters.offset : filters.offset + filters.limit]
    return [
        {
            "id": e.pk,
            "time": e.created_at,
            "actor": e.actor_label,
            "action": e.action,
            "object_type": e.content_type.model if e.content_type_id else None,
            "object_id": e.object_id,
            "object": e.object_repr,
            "province": e.province_id,
            "before": e.before,
            "after": e.after,
        }
        for e in rows
    ]
