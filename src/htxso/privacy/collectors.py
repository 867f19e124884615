"""What HTX Số holds about one person, gathered app by app.

Each collector takes the signed-in user and returns JSON-ready data about that user
only: rows the user *is* (the account, the register row linked to the account), rows
the user *owns* (their orders as a buyer, their store, their requests), and the trail
of what the user did (audit events as actor: when, what, which kind of record — never
the record's content, which may be someone else's).  Nothing is reached through an id
taken from a request: the user is the only input, so no URL can ask for another
person's data.

A new app adds its collector with :func:`register` (``privacy`` sits above every
domain app and may import them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import FileField
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from htxso.accounts.models import RoleAssignment
from htxso.core.models import AuditEvent, ConsentRecord
from htxso.market.models import Order, Review, Store
from htxso.registry.data.ethnicities import ETHNICITIES
from htxso.registry.models import Membership, Person, Worker

from .models import PrivacyRequest

ETHNICITY_NAMES = dict(ETHNICITIES)


@dataclass(frozen=True)
class Collector:
    key: str
    label: str | Promise
    collect: Callable[[Any], Any]


COLLECTORS: list[Collector] = []


def register(key: str, label: str | Promise) -> Callable[[Callable[[Any], Any]], Any]:
    def decorate(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        if any(c.key == key for c in COLLECTORS):
            raise ValueError(f"privacy collector {key!r} registered twice")
        COLLECTORS.append(Collector(key, label, fn))
        return fn

    return decorate


def _v(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def _row(**values: Any) -> dict[str, Any]:
    return {k: _v(v) for k, v in values.items()}


def collect_all(user: Any) -> dict[str, Any]:
    """Every section, in registration order: ``{key: data}``."""
    return {c.key: c.collect(user) for c in COLLECTORS}


def sections(user: Any) -> list[tuple[Collector, Any]]:
    return [(c, c.collect(user)) for c in COLLECTORS]


# ------------------------------------------------------------------- accounts ---
@register("account", _("Account"))
def _account(user: Any) -> dict[str, Any]:
    return _row(
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        phone=user.phone,
        preferred_language=user.preferred_language,
        date_joined=user.date_joined,
        last_login=user.last_login,
    )


@register("roles", _("Roles"))
def _roles(user: Any) -> list[dict[str, Any]]:
    rows = RoleAssignment.objects.filter(user=user).select_related("province", "organisation")
    return [
        _row(
            role=a.role,
            role_label=a.get_role_display(),
            province=a.province.name if a.province else "",
            organisation=a.organisation.name if a.organisation else "",
            since=a.created_at,
        )
        for a in rows.order_by("created_at", "pk")
    ]


@register("consents", _("Consents"))
def _consents(user: Any) -> list[dict[str, Any]]:
    return [
        _row(
            purpose=c.purpose,
            purpose_label=c.get_purpose_display(),
            notice_version=c.notice_version,
            given_at=c.given_at,
            withdrawn_at=c.withdrawn_at,
        )
        for c in ConsentRecord.objects.filter(user=user).order_by("given_at", "pk")
    ]


# ------------------------------------------------------------------- registry ---
@register("register", _("Cooperative register"))
def _register(user: Any) -> list[dict[str, Any]]:
    out = []
    for p in Person.objects.filter(user=user).select_related("organisation"):
        memberships = Membership.objects.filter(person=p).select_related("organisation")
        jobs = Worker.objects.filter(person=p).select_related("organisation")
        out.append(
            _row(
                full_name=p.full_name,
                sex=p.get_sex_display() if p.sex else "",
                birth_date=p.birth_date,
                ethnicity=ETHNICITY_NAMES.get(p.ethnicity, ""),
                citizen_id=p.citizen_id or "",
                phone=p.phone,
                recorded_by=p.organisation.name if p.organisation_id else "",
                memberships=[
                    _row(
                        organisation=m.organisation.name,
                        kind=m.get_kind_display(),
                        joined_on=m.joined_on,
                        left_on=m.left_on,
                        capital_vnd=m.capital,
                        capital_certificate_no=m.capital_certificate_no,
                        capital_certificate_date=m.capital_certificate_date,
                    )
                    for m in memberships.order_by("joined_on", "pk")
                ],
                jobs=[
                    _row(
                        organisation=w.organisation.name,
                        position=w.position,
                        in_management=w.is_manager,
                        started_on=w.started_on,
                        ended_on=w.ended_on,
                        monthly_income_vnd=w.monthly_income,
                    )
                    for w in jobs.order_by("started_on", "pk")
                ],
            )
        )
    return out


# --------------------------------------------------------------------- market ---
@register("orders", _("Market orders"))
def _orders(user: Any) -> list[dict[str, Any]]:
    orders = Order.objects.filter(buyer=user).select_related("store", "ward")
    return [
        _row(
            code=o.code,
            store=o.store.name,
            placed_at=o.placed_at,
            state=o.get_state_display(),
            buyer_name=o.buyer_name,
            buyer_phone=o.buyer_phone,
            buyer_email=o.buyer_email,
            ward=o.ward.name if o.ward_id else "",
            address=o.address,
            note=o.note,
            fulfilment=o.get_fulfilment_display(),
            payment=o.get_payment_method_display(),
            total_vnd=o.total,
            lines=[
                _row(
                    product=line.title,
                    size=line.variant_label,
                    quantity=line.quantity,
                    unit_price_vnd=line.unit_price,
                    amount_vnd=line.line_total,
                )
                for line in o.lines.order_by("pk")
            ],
        )
        for o in orders.order_by("placed_at", "pk")
    ]


@register("reviews", _("Reviews you wrote"))
def _reviews(user: Any) -> list[dict[str, Any]]:
    return [
        _row(
            product=r.product.title if r.product_id else "",
            name_shown=r.author_name,
            rating=r.rating,
            text=r.text,
            written_at=r.created_at,
        )
        for r in Review.objects.filter(author=user).select_related("product").order_by("pk")
    ]


@register("stores", _("Your market store"))
def _stores(user: Any) -> list[dict[str, Any]]:
    return [
        _row(
            name=s.name,
            address=s.slug,
            kind=s.get_kind_display(),
            phone=s.phone,
            pickup_address=s.pickup_address,
            bank_account=s.bank_account,
            bank_account_name=s.bank_account_name,
            status=s.get_status_display(),
            created_at=s.created_at,
        )
        for s in Store.objects.filter(owner=user).order_by("pk")
    ]


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:  # the app has not defined it (yet)
        return None


#: Fields never written into a download (secrets, search keys, internal links).
_SKIP = {"id", "search_text", "token_hash", "password", "requester", "decided_by", "store"}


def _own_rows(model: Any, **lookup: Any) -> list[dict[str, Any]]:
    """Every concrete field of the rows of ``model`` that are the user's own (a
    request the user made), choices shown as their labels, links as their text."""
    if model is None:
        return []
    out = []
    for obj in model._default_manager.filter(**lookup).order_by("pk"):
        row: dict[str, Any] = {}
        for f in obj._meta.concrete_fields:
            if f.name in _SKIP or f.name.endswith("_hash"):
                continue
            if f.is_relation:
                target = getattr(obj, f.name, None)
                row[f.name] = str(target) if target is not None else ""
            elif f.choices:
                row[f.name] = str(getattr(obj, f"get_{f.name}_display")())
            elif isinstance(f, FileField):
                # a private file has no URL: the download says a file is kept, by name
                row[f.name] = Path(getattr(obj, f.attname).name or "").name
            else:
                row[f.name] = _v(getattr(obj, f.attname))
        out.append(row)
    return out


@register("store_requests", _("Store requests"))
def _store_requests(user: Any) -> list[dict[str, Any]]:
    return _own_rows(_model("market.StoreRequest"), requester=user)


# ---------------------------------------------------------- onboarding, invitations ---
@register("access_requests", _("Access requests"))
def _access_requests(user: Any) -> list[dict[str, Any]]:
    model = _model("onboarding.AccessRequest")
    if model is None:
        return []
    names = {f.name for f in model._meta.concrete_fields}
    for owner in ("requester", "user", "created_by"):
        if owner in names:
            return _own_rows(model, **{owner: user})
    return []


@register("invitations", _("Invitations you accepted"))
def _invitations(user: Any) -> list[dict[str, Any]]:
    model = _model("invitations.Invitation")
    if model is None:
        return []
    rows = model._default_manager.filter(accepted_by=user).select_related("organisation")
    return [
        _row(
            role=str(i.get_role_display()),
            organisation=i.organisation.name if i.organisation_id else "",
            accepted_at=i.accepted_at,
        )
        for i in rows.order_by("pk")
    ]


# ------------------------------------------------------------------- programmes ---
@register("applications", _("Programme applications you started"))
def _applications(user: Any) -> list[dict[str, Any]]:
    model = _model("programs.Application")
    if model is None:
        return []
    rows = model._default_manager.filter(created_by=user).select_related("call", "organisation")
    return [
        _row(
            call=str(a.call),
            organisation=a.organisation.name,
            status=str(a.get_status_display()),
            created_at=a.created_at,
            submitted_at=a.submitted_at,
        )
        for a in rows.order_by("pk")
    ]


# ---------------------------------------------------------------------- privacy ---
@register("privacy_requests", _("Your personal-data requests"))
def _requests(user: Any) -> list[dict[str, Any]]:
    return [
        _row(
            kind=r.get_kind_display(),
            field=r.get_field_display() if r.field else "",
            text=r.text,
            status=r.get_status_display(),
            reason=r.reason,
            submitted_at=r.created_at,
            decided_at=r.decided_at,
        )
        for r in PrivacyRequest.objects.filter(user=user).order_by("pk")
    ]


@register("activity", _("What you did (audit trail)"))
def _activity(user: Any) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(actor=user).select_related("content_type")
    return [
        _row(
            at=e.created_at,
            action=e.action,
            action_label=e.action_label,
            record_kind=str(e.content_type.model_class()._meta.verbose_name)
            if e.content_type_id and e.content_type.model_class()
            else "",
            record_id=e.object_id,
        )
        for e in events.order_by("created_at", "pk")[:5000]
    ]
