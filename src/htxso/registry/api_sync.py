"""The sync API for other national databases (issue 19): ``/api/v1/registry/changes``.

See ``sync_feed`` for the rules and ``docs/api/sync.md`` for how a system uses it.
Mounted by ``htxso.api`` with ``api.add_router("/registry", router)``.
"""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from htxso.core import roles
from htxso.core.api import ErrorOut, route
from htxso.core.schemas import Id

from . import sync_feed
from .sync_feed import DEFAULT_LIMIT, MAX_LIMIT, PERSONAL_FIELDS, PUBLIC_FIELDS

router = Router(tags=["registry sync"])

_EXAMPLE_RECORD: dict[str, Any] = {
    "id": 4182,
    "kind": "cooperative",
    "name": "Hợp tác xã Nông nghiệp Ea Tu",
    "tax_code": "6001234567",
    "province_code": "66",
    "province": "Tỉnh Đắk Lắk",
    "ward_code": "24121",
    "ward": "Phường Tân An",
    "status": "dissolved",
    "status_changed_on": "2026-11-02",
    "dissolved_on": "2026-11-02",
    "established_on": "2015-03-20",
    "sector": "agriculture",
    "main_products": "Cà phê nhân, hồ tiêu",
    "vsic_codes": ["0124", "4620"],
    "tax_status": "stopped",
    "tax_status_on": "2026-11-15",
    "charter_capital": 1500000000,
    "high_tech": False,
    "website": None,
    "updated_at": "2026-12-01T03:14:07.120533+00:00",
}
_EXAMPLE_PAGE: dict[str, Any] = {
    "schema_version": sync_feed.SCHEMA_VERSION,
    "scope": "public",
    "fields": list(PUBLIC_FIELDS),
    "as_of": "2026-12-06T09:59:00+00:00",
    "count": 2,
    "has_more": True,
    "cursor": "eyJ2IjoxLCJ0IjoxNzY0NTU4ODQ3MTIwNTMzLCJpIjo0MTgyfQ:1tQx…",
    "next": "https://htxso.vn/api/v1/registry/changes?cursor=eyJ2Ijox…&limit=200",
    "changes": [
        {
            "change": "updated",
            "id": 4182,
            "at": "2026-12-01T03:14:07.120533+00:00",
            "record": _EXAMPLE_RECORD,
        },
        {"change": "deleted", "id": 5120, "at": "2026-12-01T03:20:00+00:00", "record": None},
    ],
}


class ChangeOut(BaseModel):  # plain pydantic: no per-row ORM resolving (1,000 a page)
    change: str = Field(
        description="`updated` (created, changed, or a status change such as dissolved: the "
        "record is the organisation now) or `deleted` (removed by an import's undo or an "
        "administrator: drop it; `record` is null)",
        examples=["updated"],
    )
    id: int = Field(description="The organisation's id in HTX Số (stable)")
    at: str = Field(description="When the change happened (UTC, ISO 8601, microseconds)")
    record: dict[str, Any] | None = Field(
        description="The organisation's fields of the token's scope (see `fields`); "
        f"public scope: {', '.join(PUBLIC_FIELDS)}; the full scope adds "
        f"{', '.join(PERSONAL_FIELDS)} (null outside the province where the role may read "
        "personal data)",
        json_schema_extra={"example": _EXAMPLE_RECORD},
    )


class FeedPageOut(BaseModel):
    schema_version: int = Field(description="Bumped when a field is removed or changes meaning")
    scope: str = Field(description="`public` or `full`", examples=["public"])
    fields: list[str] = Field(description="The keys of each `record`")
    as_of: str = Field(
        description="The feed serves changes up to this time (a minute before now: writes "
        "still committing are not skipped)"
    )
    count: int
    has_more: bool = Field(description="True: fetch `next` now; false: poll `next` later")
    cursor: str = Field(description="Opaque, signed: where this page ended; store it")
    next: str = Field(description="The URL of the following page (the cursor and limit)")
    changes: list[ChangeOut]

    model_config = {"json_schema_extra": {"example": _EXAMPLE_PAGE}}


class ChangesQuery(Schema):
    updated_since: str = Field(
        "",
        max_length=40,
        description="Changes at or after this instant: ISO 8601 with an offset "
        "(`2026-12-01T08:00:00+07:00`, `…Z`) or a date (midnight in Vietnam). Ignored "
        "when `cursor` is given; neither = from the beginning.",
        examples=["2026-12-01T08:00:00+07:00"],
    )
    cursor: str = Field(
        "",
        max_length=400,
        description="The `cursor` of the previous page (exclusive); 400 `cursor_invalid` "
        "when changed or not from this server",
    )
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Changes per page (1–{MAX_LIMIT})"
    )


_HEADERS_DOC = {
    "parameters": [
        {
            "in": "header",
            "name": "If-None-Match",
            "required": False,
            "schema": {"type": "string"},
            "description": "The `ETag` of the same request made earlier: 304 when unchanged",
        }
    ],
}


def _finish(request: HttpRequest, response: HttpResponse, etag: str, last: Any) -> None:
    response["ETag"] = etag
    if last is not None:
        response["Last-Modified"] = http_date(last.timestamp())
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Authorization", "Cookie"))


def _not_modified(
    request: HttpRequest, etag: str, last: Any, *, by_date: bool
) -> HttpResponse | None:
    """304 when ``If-None-Match`` matches (or, with ``by_date``, ``If-Modified-Since``
    is not older).  A feed page is judged by its ETag only: a late-committing row may
    join a page without moving its newest time."""
    stamp = int(last.timestamp()) if by_date and last is not None else None
    got = get_conditional_response(request, etag=etag, last_modified=stamp)
    if got is None:
        return None
    _finish(request, got, etag, last)
    return got


@route(
    router.get,
    "/changes",
    roles=roles.STAFF,
    response={200: FeedPageOut, 304: None, 400: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Changes of the registry since a point, by pages (incremental sync)",
    description=(
        "Organisations created, changed, dissolved/suspended (status changes) or deleted "
        "after the point, in (time, id) order with an opaque signed cursor: rows sharing "
        "one timestamp are never lost or repeated across pages. Only organisations in the "
        "caller's reach (a province's staff: the province; the VCA: the nation) and only "
        "the fields of the token's scope. Sends `ETag` and `Last-Modified`; "
        "`If-None-Match` answers 304 when the page is unchanged. See docs/api/sync.md."
    ),
    openapi_extra=_HEADERS_DOC,
)
def changes(request: HttpRequest, response: HttpResponse, query: Query[ChangesQuery]):
    scope = sync_feed.feed_scope(request.user)
    sync_feed.check_rate(request.user)
    if query.cursor:
        start = sync_feed.decode_cursor(query.cursor)
    elif query.updated_since:
        start = sync_feed.parse_updated_since(query.updated_since)
    else:
        start = None
    page = sync_feed.read_page(user=request.user, scope=scope, start=start, limit=query.limit)
    etag, last = page.etag, page.last_modified
    cached = _not_modified(request, etag, last, by_date=False)
    if cached is not None:
        return cached
    cursor = sync_feed.encode_cursor(page.cursor)
    next_url = request.build_absolute_uri(
        f"{request.path}?{urlencode({'cursor': cursor, 'limit': query.limit})}"
    )
    _finish(request, response, etag, last)
    return {
        "schema_version": sync_feed.SCHEMA_VERSION,
        "scope": scope.name,
        "fields": list(scope.fields),
        "as_of": page.horizon.astimezone(dt.UTC).isoformat(),
        "count": len(page.records),
        "has_more": page.has_more,
        "cursor": cursor,
        "next": next_url,
        "changes": page.records,
    }


class RecordOut(Schema):
    scope: str
    record: dict[str, Any] = Field(json_schema_extra={"example": _EXAMPLE_RECORD})


@route(
    router.get,
    "/changes/organisations/{org_id}",
    roles=roles.STAFF,
    response={200: RecordOut, 304: None, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="One organisation as the sync feed shows it (ETag, 404 when not in reach)",
    openapi_extra=_HEADERS_DOC,
)
def change_record(request: HttpRequest, response: HttpResponse, org_id: Id):
    scope = sync_feed.feed_scope(request.user)
    sync_feed.check_rate(request.user)
    row = sync_feed.read_one(user=request.user, scope=scope, pk=org_id)
    etag = sync_feed.record_etag(row, scope)
    cached = _not_modified(request, etag, row["updated_at"], by_date=True)
    if cached is not None:
        return cached
    _finish(request, response, etag, row["updated_at"])
    return {"scope": scope.name, "record": sync_feed.record_values(row, scope)}
