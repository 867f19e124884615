"""Writes to stores: open, edit, ask for verification; verify, reject, suspend."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.codes import CodeError, validate_vn_phone
from htxso.core.errors import ServiceError, refused
from htxso.core.policy import holds
from htxso.core.roles import VCA, Role
from htxso.core.scoping import get_scope
from htxso.core.text import fold
from htxso.geo.models import Ward
from htxso.registry.models import Organisation, OrganisationKind, OrganisationStatus

from .. import search
from ..banks import bank_by_bin
from ..models import SellerKind, Store, StoreStatus
from .common import Errors, int_value, rich_text, snap, text

ACTION_LABELS.update(
    {
        "store.create": _("Store opened"),
        "store.update": _("Store changed"),
        "store.submit": _("Store sent for verification"),
        "store.verify": _("Store verified"),
        "store.reject": _("Store rejected"),
        "store.suspend": _("Store suspended"),
    }
)

_ACCOUNT_RE = re.compile(r"[0-9A-Za-z]{4,19}")


def _organisations_as(user: Any, role: Role) -> frozenset[int]:
    """The organisations where ``user`` holds ``role`` (an organisation role)."""
    return get_scope(user).organisations_by_role.get(role, frozenset())


def seller_organisations(user: Any) -> list[Organisation]:
    """Organisations the user may open a store for: managed ones, and (for a member
    household) the cooperatives the user is a member of."""
    ids = _organisations_as(user, Role.COOP_MANAGER) | _organisations_as(user, Role.COOP_MEMBER)
    if not ids:
        return []
    return list(
        Organisation.objects.filter(pk__in=ids)
        .exclude(kind=OrganisationKind.UNION)
        .select_related("province")
        .order_by("name")
    )


@dataclass(frozen=True)
class _Place:
    """Where a store is: its province and the name it is known by there (the
    organisation's, or an independent producer's store name)."""

    province: Any
    name: str

    @classmethod
    def of_store(cls, store: Store) -> _Place:
        if store.organisation_id is not None:
            return cls(store.organisation.province, store.organisation.name)
        return cls(store.province, store.name)

    @classmethod
    def of_organisation(cls, organisation: Organisation) -> _Place:
        return cls(organisation.province, organisation.name)


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(fold(name))[:120] or "gian-hang"
    slug, n = base, 2
    while Store.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _pickup_ward(errors: Errors, data: dict, place: _Place, offers_pickup: bool):
    """The pickup ward from ``data["pickup_ward"]`` (a ward code from the picker).

    The ward must lie in the store's province: the organisation's, or an independent
    producer's own (scoping, the provincial officer who verifies it, the market's
    province filter), so a pickup point elsewhere would sit outside the province that
    vouches for the store.  A cooperative selling across a border uses delivery.
    """
    code = str(data.get("pickup_ward") or "").strip()
    ward = None
    if code:
        if code.isascii() and code.isdigit() and len(code) <= 5:
            ward = Ward.objects.select_related("province").filter(pk=code).first()
        if ward is None:
            errors.add(
                "pickup_ward",
                _("This ward is not in the list. Choose the ward or commune again."),
                "invalid_choice",
            )
        elif ward.province_id != place.province.pk:
            errors.add(
                "pickup_ward",
                _(
                    "%(ward)s is in %(ward_province)s. The pickup place must be in "
                    "%(province)s, the province of %(organisation)s."
                ),
                "ward_other_province",
                {
                    "ward": ward.name,
                    "ward_province": ward.province.name,
                    "province": place.province.name,
                    "organisation": place.name,
                },
            )
            ward = None
    elif offers_pickup:
        errors.add(
            "pickup_ward",
            _("Choose the ward or commune where buyers pick up their goods."),
            "required",
        )
    return ward


def pickup_suggestion(organisation: Organisation) -> dict:
    """Form values suggested for a new store's pickup place: the organisation's
    registered ward (when in its province) and the street part of its address
    ("Thôn 3, Xã Hòa An, Tỉnh Cao Bằng" → "Thôn 3"), so the ward and province are not
    written twice.  The seller sees and confirms them."""
    ward = organisation.ward if organisation.ward_id else None
    if ward is not None and ward.province_id != organisation.province_id:
        ward = None
    tails = {fold(organisation.province.name), fold(organisation.province.short_name)}
    if ward is not None:
        tails.add(fold(ward.name))
    parts = [p.strip() for p in (organisation.address or "").split(",") if p.strip()]
    while parts and fold(parts[-1]) in tails:
        parts.pop()
    return {"pickup_address": ", ".join(parts)[:255], "pickup_ward": ward.pk if ward else ""}


def _store_values(errors: Errors, data: dict, place: _Place) -> dict:
    values = {
        "name": text(errors, "name", data.get("name"), max_length=120, required=True),
        "description": rich_text(
            text(errors, "description", data.get("description"), max_length=8000, multiline=True)
        ),
        "pickup_address": text(
            errors, "pickup_address", data.get("pickup_address"), max_length=255
        ),
        "delivery_note": text(errors, "delivery_note", data.get("delivery_note"), max_length=255),
        "bank_account_name": text(
            errors, "bank_account_name", data.get("bank_account_name"), max_length=100
        ).upper(),
        "offers_pickup": bool(data.get("offers_pickup")),
        "offers_delivery": bool(data.get("offers_delivery")),
    }
    fee = int_value(
        errors, "delivery_fee", data.get("delivery_fee") or 0, minimum=0, maximum=5_000_000
    )
    values["delivery_fee"] = fee or 0
    if not values["offers_pickup"] and not values["offers_delivery"]:
        errors.add(
            "offers_delivery",
            _("Offer pickup, delivery or both, so buyers can receive their goods."),
            "no_fulfilment",
        )
    if values["offers_pickup"] and not values["pickup_address"]:
        errors.add("pickup_address", _("Enter where buyers pick up their goods."), "required")
    values["pickup_ward"] = _pickup_ward(errors, data, place, values["offers_pickup"])
    phone = data.get("phone") or ""
    if phone.strip():
        try:
            values["phone"] = validate_vn_phone(phone)
        except CodeError as exc:
            errors.add("phone", exc.message, exc.code, exc.params)
    else:
        values["phone"] = ""
    values["bank_bin"], values["bank_account"] = bank_account_values(errors, data)
    return values


def bank_account_values(errors: Errors, data: dict) -> tuple[str, str]:
    """The bank (BIN) and account number a store is paid to by VietQR: both or neither,
    the bank from the list, the number 4 to 19 digits or letters (spaces, dots and
    dashes as people type them are dropped).  One rule for every kind of store."""
    bin_ = str(data.get("bank_bin") or "").strip()
    account = re.sub(r"[\s.-]", "", str(data.get("bank_account") or ""))
    if bin_ and bank_by_bin(bin_) is None:
        errors.add("bank_bin", _("Choose a bank from the list."), "unknown_bank")
    if account and not _ACCOUNT_RE.fullmatch(account):
        errors.add(
            "bank_account",
            _("An account number has 4 to 19 digits or letters, without spaces."),
            "bad_account",
        )
    if bool(bin_) != bool(account):
        errors.add(
            "bank_account" if bin_ else "bank_bin",
            _("Give both the bank and the account number, or neither."),
            "bank_incomplete",
        )
    return bin_, account


@transaction.atomic
def store_create(*, actor: Actor, organisation: Organisation, data: dict, logo=None) -> Store:
    """Open a draft store for ``organisation`` (managed by ``actor``, or a member
    household of it when ``data["kind"] == "household"``)."""
    kind = data.get("kind") or SellerKind.COOPERATIVE
    errors = Errors()
    if kind not in SellerKind.values or kind == SellerKind.INDEPENDENT:
        # an independent producer's store is opened by an approved store request
        errors.add("kind", _("Choose who sells."), "invalid_choice")
    # Who opens a store acts for the organisation: the VCA or its manager; a member
    # opens only their household's store.
    manages = (
        isinstance(actor, SystemActor)
        or holds(actor, VCA)
        or organisation.pk in _organisations_as(actor, Role.COOP_MANAGER)
    )
    member = organisation.pk in _organisations_as(actor, Role.COOP_MEMBER)
    if not manages and not (member and kind == SellerKind.HOUSEHOLD):
        raise refused(_("Your role may not do this."))
    if organisation.kind == OrganisationKind.UNION:
        errors.add("organisation", _("A union of cooperatives cannot open a store."), "union")
    if kind == SellerKind.GROUP and organisation.kind != OrganisationKind.GROUP:
        kind = SellerKind.COOPERATIVE
    if organisation.kind == OrganisationKind.GROUP and kind == SellerKind.COOPERATIVE:
        kind = SellerKind.GROUP
    household = text(errors, "household_name", data.get("household_name"), max_length=120)
    if kind == SellerKind.HOUSEHOLD and not household:
        errors.add("household_name", _("Enter the household's name."), "required")
    values = _store_values(errors, data, _Place.of_organisation(organisation))
    logo_file = _logo(errors, logo)
    errors.raise_if_any()
    store = Store(
        organisation=organisation,
        province_id=organisation.province_id,
        kind=kind,
        household_name=household if kind == SellerKind.HOUSEHOLD else "",
        owner=None if isinstance(actor, SystemActor) else actor,
        slug=_unique_slug(values["name"]),
        **values,
    )
    if logo_file is not None:
        store.logo.save(f"logo-{store.slug}.{logo_file[1]}", logo_file[0], save=False)
    store.save()
    audit.record(actor=actor, action="store.create", instance=store, after=snap(store))
    return store


def _logo(errors: Errors, upload):
    if upload is None:
        return None
    from django.core.files.base import ContentFile

    from ..images import ImageRejected, process_upload

    try:
        processed = process_upload(upload)
    except ImageRejected as exc:
        errors.add("logo", exc.message, exc.code)
        return None
    ext = "webp" if processed.content_type == "image/webp" else "jpg"
    return ContentFile(processed.thumb), ext


@transaction.atomic
def store_update(*, actor: Actor, store: Store, data: dict, logo=None) -> Store:
    Store.policy.require(actor, "change", store)
    store = Store.objects.select_for_update(of=("self",)).get(pk=store.pk)
    before = snap(store)
    errors = Errors()
    values = _store_values(errors, data, _Place.of_store(store))
    if store.kind == SellerKind.HOUSEHOLD:
        household = text(
            errors, "household_name", data.get("household_name"), max_length=120, required=True
        )
        values["household_name"] = household
    logo_file = _logo(errors, logo)
    errors.raise_if_any()
    renamed = values.get("name", store.name) != store.name
    for name, value in values.items():
        setattr(store, name, value)
    if logo_file is not None:
        store.logo.save(f"logo-{store.slug}.{logo_file[1]}", logo_file[0], save=False)
    store.save()
    if renamed:  # the products' stored search columns hold the store's name
        search.reindex_products(store.products.all())
    audit.record(
        actor=actor,
        action="store.update",
        instance=store,
        before=before,
        after=snap(store),
    )
    return store


def registry_problems(store: Store) -> list[str]:
    """Why the registry does not back this store (empty when it does; an independent
    producer's store has no registry record: its store request was verified)."""
    org = store.organisation
    if org is None:
        return []
    problems = []
    if org.status != OrganisationStatus.ACTIVE:
        problems.append(
            _("The organisation is not operating in the registry (%(status)s).")
            % {"status": org.get_status_display()}
        )
    if org.kind != OrganisationKind.GROUP and not org.tax_code:
        problems.append(_("The organisation has no tax code in the registry."))
    if org.tax_code:
        from htxso.core.codes import validate_tax_code

        try:
            validate_tax_code(org.tax_code)
        except CodeError:
            problems.append(_("The tax code in the registry is not valid."))
    return problems


@transaction.atomic
def store_submit(*, actor: Actor, store: Store) -> Store:
    """Ask the provincial alliance to verify the store."""
    Store.policy.require(actor, "change", store)
    store = Store.objects.select_for_update(of=("self",)).get(pk=store.pk)
    if store.status not in (StoreStatus.DRAFT, StoreStatus.REJECTED):
        raise ServiceError("store_not_draft", _("This store has already been sent."))
    store.status = StoreStatus.PENDING
    store.submitted_at = timezone.now()
    store.status_reason = ""
    store.save(update_fields=["status", "submitted_at", "status_reason", "updated_at"])
    audit.record(actor=actor, action="store.submit", instance=store)
    return store


@transaction.atomic
def store_verify(*, actor: Actor, store: Store) -> Store:
    Store.policy.require(actor, "verify", store)
    store = (
        Store.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=store.pk)
    )
    if store.status not in (StoreStatus.PENDING, StoreStatus.SUSPENDED, StoreStatus.REJECTED):
        raise ServiceError(
            "store_not_pending", _("Only a store waiting for verification can be verified.")
        )
    problems = registry_problems(store)
    if problems:
        raise ServiceError("registry_mismatch", " ".join(str(p) for p in problems))
    store.status = StoreStatus.VERIFIED
    store.status_reason = ""
    store.verified_at = timezone.now()
    store.verified_by = None if isinstance(actor, SystemActor) else actor
    store.save(
        update_fields=["status", "status_reason", "verified_at", "verified_by", "updated_at"]
    )
    audit.record(actor=actor, action="store.verify", instance=store)
    _notify_owner(store, _("Your store %(name)s is verified and open to buyers."))
    return store


def _decide(*, actor: Actor, store: Store, status: str, reason: str, action: str, allowed) -> Store:
    Store.policy.require(actor, "verify", store)
    errors = Errors()
    reason = text(errors, "reason", reason, max_length=500, required=True)
    errors.raise_if_any()
    store = Store.objects.select_for_update(of=("self",)).get(pk=store.pk)
    if store.status not in allowed:
        raise ServiceError("store_bad_state", _("This store is not in a state that allows it."))
    store.status = status
    store.status_reason = reason
    store.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(actor=actor, action=action, instance=store, after={"reason": reason})
    return store


@transaction.atomic
def store_reject(*, actor: Actor, store: Store, reason: str) -> Store:
    store = _decide(
        actor=actor,
        store=store,
        status=StoreStatus.REJECTED,
        reason=reason,
        action="store.reject",
        allowed=(StoreStatus.PENDING,),
    )
    _notify_owner(store, _("Your store %(name)s was not verified: %(reason)s"))
    return store


@transaction.atomic
def store_suspend(*, actor: Actor, store: Store, reason: str) -> Store:
    return _decide(
        actor=actor,
        store=store,
        status=StoreStatus.SUSPENDED,
        reason=reason,
        action="store.suspend",
        allowed=(StoreStatus.VERIFIED,),
    )


def _notify_owner(store: Store, template) -> None:
    from htxso.core.notify import email_after_commit

    recipients = []
    if store.owner_id and store.owner.email:
        recipients.append(store.owner.email)
    if store.organisation_id and store.organisation.email:
        recipients.append(store.organisation.email)
    email_after_commit(
        subject=str(_("HTX Số market: your store")),
        body=str(template) % {"name": store.name, "reason": store.status_reason},
        recipients=recipients,
    )
