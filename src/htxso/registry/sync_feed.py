"""The incremental sync feed of the registry: what other national databases read (issue 19).

A system first takes the bulk export (``exports_bulk``), then asks for the changes since
the position it reached.  The feed is the organisations (and the tombstones of deleted
ones, ``models.sync``) in ``(updated_at, id)`` order, read by pages with a **signed
opaque cursor** holding the last ``(updated_at, id)`` served: rows sharing one timestamp
are split across pages without a loss or a repeat, whatever the page size.

Rules (``docs/api/sync.md`` tells the external systems):

* ``updated_since`` is inclusive (a row changed exactly then comes again: upserts are
  harmless, a lost change is not); the cursor is exclusive and wins over it.
* The feed stops ``HTXSO_SYNC_SETTLE_SECONDS`` (default 60) before now: ``updated_at``
  is set before the writing transaction commits, so a row stamped a moment ago may still
  be invisible; a feed that served up to "now" could step over it for good.
* **Scopes** (``accounts.ApiToken.scope``): ``public`` = :data:`PUBLIC_FIELDS` only;
  ``full`` adds :data:`PERSONAL_FIELDS` (address, contact phone and e-mail, legal
  representative: personal data for groups and small cooperatives) and is allowed only
  to a user holding a role of ``roles.SENSITIVE_READERS`` that is also staff (the VCA
  everywhere, a provincial officer in the province); on rows outside that reach the
  personal fields are ``null``.  A department viewer reads public fields of the
  province.  A signed-in session reads the widest scope its roles allow; a token without
  a scope is refused (``token_scope_missing``).
* Which organisations: ``Organisation.policy`` ``view`` (province staff: the province;
  the VCA: the nation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.errors import Kind, ServiceError
from htxso.core.schemas import MAX_INT64
from htxso.core.scoping import get_scope

from .models import Organisation, OrganisationTombstone

#: Bumped when a field is removed or changes meaning (adding one does not).
SCHEMA_VERSION = 1
DEFAULT_LIMIT = 200
MAX_LIMIT = 1000
PUBLIC = "public"
FULL = "full"

#: Public registry fields, in order (the bulk export's columns too).
PUBLIC_FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "name",
    "tax_code",
    "province_code",
    "province",
    "ward_code",
    "ward",
    "status",
    "status_changed_on",
    "dissolved_on",
    "established_on",
    "sector",
    "main_products",
    "vsic_codes",
    "tax_status",
    "tax_status_on",
    "charter_capital",
    "high_tech",
    "website",
    "updated_at",
)
#: Personal data for groups and small cooperatives: the ``full`` scope only.
PERSONAL_FIELDS: tuple[str, ...] = ("address", "phone", "email", "representative")

_CURSOR_SALT = "htxso.registry.sync_feed.cursor"
_CURSOR_MAX_LENGTH = 300
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --- scopes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedScope:
    """What one caller reads: the field set and where personal fields are filled."""

    name: str
    personal_national: bool = False
    personal_provinces: frozenset[str] = frozenset()

    @property
    def fields(self) -> tuple[str, ...]:
        return PUBLIC_FIELDS + PERSONAL_FIELDS if self.name == FULL else PUBLIC_FIELDS

    def personal_for(self, province_code: str) -> bool:
        return self.name == FULL and (
            self.personal_national or province_code in self.personal_provinces
        )

    @property
    def key(self) -> str:
        where = "*" if self.personal_national else ",".join(sorted(self.personal_provinces))
        return f"{self.name}:{where}"


def _personal_reach(user: Any) -> tuple[bool, frozenset[str]]:
    """Where ``user`` may read personal fields: staff roles among the sensitive readers."""
    scope = get_scope(user)
    allowed = roles.SENSITIVE_READERS & roles.STAFF
    national = bool(scope.national_roles & allowed)
    provinces: set[str] = set()
    for role, codes in scope.provinces_by_role.items():
        if role in allowed:
            provinces |= codes
    return national, frozenset(provinces)


def feed_scope(user: Any) -> FeedScope:
    """The scope of the caller: its token's, or for a session the widest its roles allow."""
    national, provinces = _personal_reach(user)
    token = getattr(user, "htxso_api_token", None)
    if token is None:
        name = FULL if national or provinces else PUBLIC
    else:
        name = token.scope
        if name not in (PUBLIC, FULL):
            raise ServiceError(
                "token_scope_missing",
                _(
                    "This API token has no registry field scope. Create a token for the "
                    "external system with the scope “public” or “full”."
                ),
                kind=Kind.FORBIDDEN,
            )
        if name == FULL and not (national or provinces):
            raise ServiceError(
                "token_scope_not_allowed",
                _(
                    "The token's scope “full” includes personal data, which your role may "
                    "not read. Use a token with the scope “public”."
                ),
                kind=Kind.FORBIDDEN,
            )
    if name == PUBLIC:
        return FeedScope(PUBLIC)
    return FeedScope(FULL, personal_national=national, personal_provinces=provinces)


def may_have_full_scope(user: Any) -> bool:
    """For the token form: may ``user`` make a token of scope ``full``."""
    national, provinces = _personal_reach(user)
    return national or bool(provinces)


# --- positions and cursors -------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Position:
    """A point of the feed: after every row ``(at, pk)`` at or before it."""

    at: dt.datetime
    pk: int


def _micros(value: dt.datetime) -> int:
    delta = value.astimezone(dt.UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_micros(value: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=value)


def _signer() -> signing.Signer:
    # no timestamp (``signing.dumps`` adds one): the same position is the same cursor
    return signing.Signer(salt=_CURSOR_SALT)


def encode_cursor(position: Position) -> str:
    return _signer().sign_object({"v": 1, "t": _micros(position.at), "i": position.pk})


def _bad_cursor() -> ServiceError:
    return ServiceError(
        "cursor_invalid",
        _("The cursor is not one this feed gave out (changed, cut or from another server)."),
    )


def decode_cursor(raw: str) -> Position:
    """The position of a cursor; 400 ``cursor_invalid`` for anything this server did not
    sign (tampered, truncated, from another server or another feed)."""
    if not raw or len(raw) > _CURSOR_MAX_LENGTH:
        raise _bad_cursor()
    try:
        data = _signer().unsign_object(raw)
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise _bad_cursor() from exc
    if not isinstance(data, dict) or data.get("v") != 1:
        raise _bad_cursor()
    micros, pk = data.get("t"), data.get("i")
    if not (isinstance(micros, int) and isinstance(pk, int)) or isinstance(micros, bool):
        raise _bad_cursor()
    if not (0 <= pk <= MAX_INT64) or not (0 <= micros < 253_402_300_800_000_000):
        raise _bad_cursor()
    return Position(_from_micros(micros), pk)


def parse_updated_since(raw: str, *, now: dt.datetime | None = None) -> Position:
    """``2026-01-31T08:00:00+07:00`` (an offset or ``Z`` is required) or a date
    ``2026-01-31`` (midnight in Vietnam); inclusive.  400 when malformed or in the future."""
    now = now or timezone.now()
    text = raw.strip()
    at: dt.datetime | None = None
    try:
        if len(text) == 10:
            day = parse_date(text)
            if day is not None:
                at = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        else:
            at = parse_datetime(text)
    except ValueError:
        at = None
    if at is None:
        raise ServiceError(
            "updated_since_invalid",
            _("“updated_since” must be an ISO 8601 date or date and time, e.g. %(example)s."),
            {"example": "2026-01-31T08:00:00+07:00"},
        )
    if timezone.is_naive(at):
        raise ServiceError(
            "updated_since_timezone",
            _("“updated_since” needs a time zone offset, e.g. +07:00 or Z."),
        )
    if at > now:
        raise ServiceError(
            "updated_since_in_future", _("“updated_since” is in the future: nothing changed yet.")
        )
    # inclusive: every row at ``at`` has an id above 0; nothing is older than 1970 (and a
    # cursor holds no negative time)
    return Position(max(at, _EPOCH), 0)


def settle_horizon(now: dt.datetime | None = None) -> dt.datetime:
    """The feed serves rows changed at or before this time (see the module's note)."""
    seconds = int(getattr(settings, "HTXSO_SYNC_SETTLE_SECONDS", 60))
    return (now or timezone.now()) - dt.timedelta(seconds=max(seconds, 0))


# --- reading ---------------------------------------------------------------------------


@dataclass
class Change:
    """One item of a page: an organisation (``updated``) or a tombstone (``deleted``)."""

    position: Position
    row: dict[str, Any] | None = None
    tombstone: OrganisationTombstone | None = None


@dataclass
class Page:
    scope: FeedScope
    changes: list[Change]
    has_more: bool
    cursor: Position
    horizon: dt.datetime
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def last_modified(self) -> dt.datetime | None:
        return max((c.position.at for c in self.changes), default=None)

    @property
    def etag(self) -> str:
        """Strong validator of the page: scope, its rows (id and time) and continuation."""
        digest = hashlib.sha256()
        digest.update(f"v{SCHEMA_VERSION}|{self.scope.key}|{int(self.has_more)}|".encode())
        digest.update(f"{_micros(self.cursor.at)}.{self.cursor.pk}|".encode())
        for c in self.changes:
            kind = "d" if c.tombstone is not None else "u"
            digest.update(f"{kind}{c.position.pk}.{_micros(c.position.at)};".encode())
        return f'"sync-{digest.hexdigest()[:40]}"'


def _after(position: Position, at_field: str, pk_field: str) -> Q:
    """Rows after ``position`` in (time, id) order.  Written ``at >= t AND (at > t OR
    id > pk)`` rather than ``at > t OR (at = t AND id > pk)``: the first half is a range
    the (time, id) index serves on SQLite and PostgreSQL alike; the OR form made SQLite
    scan the table."""
    return Q(**{f"{at_field}__gte": position.at}) & (
        Q(**{f"{at_field}__gt": position.at}) | Q(**{f"{pk_field}__gt": position.pk})
    )


def organisations_in_reach(user: Any):
    return Organisation.policy.queryset(user, "view")


def read_page(
    *,
    user: Any,
    scope: FeedScope,
    start: Position | None,
    limit: int,
    now: dt.datetime | None = None,
) -> Page:
    """One page of changes after ``start`` (``None``: from the beginning).  Two queries
    (organisations, tombstones), whatever the page size."""
    horizon = settle_horizon(now)
    orgs = organisations_in_reach(user).filter(updated_at__lte=horizon).order_by("updated_at", "id")
    stones = (
        OrganisationTombstone.policy.queryset(user, "view")
        .filter(deleted_at__lte=horizon)
        .order_by("deleted_at", "organisation_id")
    )
    if start is not None:
        orgs = orgs.filter(_after(start, "updated_at", "id"))
        stones = stones.filter(_after(start, "deleted_at", "organisation_id"))
    orgs = organisation_rows(orgs, personal=scope.name == FULL)
    merged = [Change(Position(r["updated_at"], r["id"]), row=r) for r in orgs[: limit + 1]]
    merged += [
        Change(Position(t.deleted_at, t.organisation_id), tombstone=t) for t in stones[: limit + 1]
    ]
    merged.sort(key=lambda c: (c.position, c.tombstone is not None))
    changes = merged[:limit]
    has_more = len(merged) > limit
    if changes:
        cursor = changes[-1].position
    elif start is not None:
        cursor = start
    else:
        cursor = Position(_EPOCH, 0)
    page = Page(scope, changes, has_more, cursor, horizon)
    page.records = [serialise(c, scope) for c in changes]
    return page


def read_one(*, user: Any, scope: FeedScope, pk: int) -> dict[str, Any]:
    """One organisation's row in the caller's reach (404 ``not_found`` otherwise)."""
    qs = organisations_in_reach(user).filter(pk=pk)
    row = organisation_rows(qs, personal=scope.name == FULL).first()
    if row is None:
        raise ServiceError("not_found", _("Not found."), kind=Kind.NOT_FOUND)
    return row


def record_etag(row: dict[str, Any], scope: FeedScope) -> str:
    personal = int(scope.personal_for(row["province_id"]))
    text = f"v{SCHEMA_VERSION}|{scope.name}|{personal}|{row['id']}|{_micros(row['updated_at'])}"
    return f'"org-{hashlib.sha256(text.encode()).hexdigest()[:40]}"'


# --- records ---------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


_PUBLIC_COLUMNS = (
    "id",
    "kind",
    "name",
    "tax_code",
    "province_id",
    "ward_id",
    "status",
    "established_on",
    "sector",
    "main_products",
    "charter_capital",
    "high_tech",
    "website",
    "updated_at",
)
#: Columns the extracts (issue 19, ``registry.extracts``) add: read when the model has them.
_EXTRACT_COLUMNS = (
    "status_changed_on",
    "dissolved_on",
    "vsic_codes",
    "tax_status",
    "tax_status_on",
)
_PERSONAL_COLUMNS = ("address", "phone", "email", "representative")


def _present(names: Iterable[str]) -> tuple[str, ...]:
    fields = {f.name for f in Organisation._meta.get_fields()}
    return tuple(n for n in names if n in fields)


def organisation_rows(qs: QuerySet[Organisation], *, personal: bool) -> QuerySet[Any]:
    """``qs`` as dicts of the columns a record needs (no model instances: a page of
    1,000 rows costs half as much).  Personal columns are not even read unless
    ``personal``."""
    columns = _PUBLIC_COLUMNS + _present(_EXTRACT_COLUMNS)
    if personal:
        columns += _present(_PERSONAL_COLUMNS)
    return qs.values(*columns, province_name=F("province__name"), ward_name=F("ward__name"))


def public_values(row: dict[str, Any]) -> dict[str, Any]:
    """The public fields of one organisation row (JSON-ready).  Columns the extracts add
    (``dissolved_on``, ``tax_status``…) are read with a default."""
    return {
        "id": row["id"],
        "kind": row["kind"],
        "name": row["name"],
        "tax_code": row["tax_code"] or None,
        "province_code": row["province_id"],
        "province": row["province_name"],
        "ward_code": row["ward_id"],
        "ward": row["ward_name"],
        "status": row["status"],
        "status_changed_on": _iso(row.get("status_changed_on")),
        "dissolved_on": _iso(row.get("dissolved_on")),
        "established_on": _iso(row["established_on"]),
        "sector": row["sector"] or None,
        "main_products": row["main_products"],
        "vsic_codes": list(row.get("vsic_codes") or []),
        "tax_status": row.get("tax_status") or None,
        "tax_status_on": _iso(row.get("tax_status_on")),
        "charter_capital": row["charter_capital"],
        "high_tech": row["high_tech"],
        "website": row["website"] or None,
        "updated_at": row["updated_at"].astimezone(dt.UTC).isoformat(),
    }


def personal_values(row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return dict.fromkeys(PERSONAL_FIELDS)
    return {name: row.get(name) or None for name in PERSONAL_FIELDS}


def serialise(change: Change, scope: FeedScope) -> dict[str, Any]:
    """``{"change": "updated"|"deleted", "id", "at", "record"}`` with the scope's fields."""
    if change.tombstone is not None:
        t = change.tombstone
        return {
            "change": "deleted",
            "id": t.organisation_id,
            "at": t.deleted_at.astimezone(dt.UTC).isoformat(),
            "record": None,
        }
    row = change.row
    assert row is not None  # a change is one or the other
    return {
        "change": "updated",
        "id": row["id"],
        "at": row["updated_at"].astimezone(dt.UTC).isoformat(),
        "record": record_values(row, scope),
    }


def record_values(row: dict[str, Any], scope: FeedScope) -> dict[str, Any]:
    data = public_values(row)
    if scope.name == FULL:
        data.update(personal_values(row if scope.personal_for(row["province_id"]) else None))
    return data


def fields_of(scope_name: str) -> Iterable[str]:
    return PUBLIC_FIELDS + PERSONAL_FIELDS if scope_name == FULL else PUBLIC_FIELDS


# --- rate ------------------------------------------------------------------------------


def check_rate(user: Any) -> None:
    """At most ``HTXSO_SYNC_RATE_PER_MINUTE`` (default 120) feed requests per user and
    minute (a fixed window in the cache; no database query): 429 ``throttled``."""
    per_minute = int(getattr(settings, "HTXSO_SYNC_RATE_PER_MINUTE", 120))
    if per_minute <= 0:
        return
    window = int(timezone.now().timestamp() // 60)
    key = f"htxso:sync-rate:{getattr(user, 'pk', '-')}:{window}"
    if cache.add(key, 1, timeout=90):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=90)
        return
    if count > per_minute:
        raise ServiceError(
            "throttled",
            _("Too many requests to the sync feed: at most %(n)s a minute. Try again shortly."),
            {"n": per_minute},
            kind=Kind.THROTTLED,
        )


def as_json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
