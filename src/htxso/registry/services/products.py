"""Writes to OCOP products, value-chain links and union memberships."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.codes import CodeError, validate_tax_code
from htxso.core.errorlist import Errors, text
from htxso.core.errors import refused

from ..models import OcopProduct, Organisation, OrganisationKind, UnionMembership, ValueChainLink
from .organisations import date_value, field_error

ACTION_LABELS.update(
    {
        "ocop.add": _("OCOP product added"),
        "ocop.update": _("OCOP product changed"),
        "value_chain.add": _("Value-chain link added"),
        "value_chain.end": _("Value-chain link ended"),
        "union_membership.add": _("Cooperative joined a union"),
        "union_membership.end": _("Cooperative left a union"),
    }
)

#: An OCOP certificate is valid for 36 months; accept up to 5 years to be safe.
OCOP_MAX_YEARS = 5


def _ocop_values(errors: Errors, data: dict) -> dict:
    values = {
        "name": text(errors, "name", data.get("name"), max_length=200, required=True),
        "decision_number": text(
            errors, "decision_number", data.get("decision_number"), max_length=60
        ),
        "certified_on": date_value(errors, "certified_on", data.get("certified_on"), required=True),
        "expires_on": date_value(
            errors, "expires_on", data.get("expires_on"), required=True, allow_future=True
        ),
        "level": data.get("level") or OcopProduct.Level.PROVINCE,
    }
    stars = data.get("stars")
    if isinstance(stars, bool) or not isinstance(stars, int) or not 3 <= stars <= 5:
        errors.add("stars", _("An OCOP product has 3, 4 or 5 stars."), "ocop_stars")
    values["stars"] = stars
    if values["level"] not in OcopProduct.Level.values:
        errors.add("level", _("Choose a level from the list."), "invalid_choice")
    certified, expires = values["certified_on"], values["expires_on"]
    if certified and expires:
        if expires <= certified:
            errors.add(
                "expires_on",
                _("The expiry date must be after the certification date."),
                "dates_order",
            )
        elif expires > certified.replace(
            year=certified.year + OCOP_MAX_YEARS, day=min(certified.day, 28)
        ):
            errors.add(
                "expires_on",
                _("An OCOP certificate is valid for at most %(years)s years."),
                "ocop_too_long",
                {"years": OCOP_MAX_YEARS},
            )
    return values


def ocop_product_add(*, actor: Actor, organisation: Organisation, data: dict) -> OcopProduct:
    Organisation.policy.require(actor, "change", organisation)
    errors = Errors()
    values = _ocop_values(errors, data)
    errors.raise_if_any()
    with transaction.atomic():
        product = OcopProduct.objects.create(organisation=organisation, **values)
        audit.record(
            actor=actor, action="ocop.add", instance=product, after=audit.snapshot(product)
        )
    return product


def ocop_product_update(*, actor: Actor, product: OcopProduct, data: dict) -> OcopProduct:
    OcopProduct.policy.require(actor, "change", product)
    errors = Errors()
    values = _ocop_values(errors, data)
    errors.raise_if_any()
    with transaction.atomic():
        locked = OcopProduct.objects.select_for_update().get(pk=product.pk)
        before = audit.snapshot(locked)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        audit.record(
            actor=actor,
            action="ocop.update",
            instance=locked,
            before=before,
            after=audit.snapshot(locked),
        )
    return locked


def value_chain_link_add(*, actor: Actor, organisation: Organisation, data: dict) -> ValueChainLink:
    Organisation.policy.require(actor, "change", organisation)
    errors = Errors()
    values = {
        "product": text(errors, "product", data.get("product"), max_length=150, required=True),
        "partner_name": text(
            errors, "partner_name", data.get("partner_name"), max_length=255, required=True
        ),
        "contract_reference": text(
            errors, "contract_reference", data.get("contract_reference"), max_length=100
        ),
        "started_on": date_value(errors, "started_on", data.get("started_on"), required=True),
        "ended_on": date_value(errors, "ended_on", data.get("ended_on"), allow_future=True),
        "role": data.get("role") or "",
        "partner_tax_code": "",
    }
    if values["role"] not in ValueChainLink.Role.values:
        errors.add("role", _("Choose a role in the chain from the list."), "invalid_choice")
    raw_code = (data.get("partner_tax_code") or "").strip()
    if raw_code:
        try:
            values["partner_tax_code"] = validate_tax_code(raw_code[:30])
        except CodeError as exc:
            errors.add("partner_tax_code", exc.message, exc.code, exc.params)
    if values["started_on"] and values["ended_on"] and values["ended_on"] < values["started_on"]:
        errors.add("ended_on", _("The end date is before the start date."), "dates_order")
    errors.raise_if_any()
    with transaction.atomic():
        link = ValueChainLink.objects.create(organisation=organisation, **values)
        audit.record(
            actor=actor, action="value_chain.add", instance=link, after=audit.snapshot(link)
        )
    return link


def value_chain_link_end(
    *, actor: Actor, link: ValueChainLink, ended_on: dt.date | None
) -> ValueChainLink:
    ValueChainLink.policy.require(actor, "change", link)
    errors = Errors()
    ended = date_value(errors, "ended_on", ended_on, required=True)
    if link.ended_on is not None:
        errors.add("ended_on", _("This link has already ended."), "already_ended")
    elif ended and ended < link.started_on:
        errors.add("ended_on", _("The end date is before the start date."), "dates_order")
    errors.raise_if_any()
    with transaction.atomic():
        locked = ValueChainLink.objects.select_for_update().get(pk=link.pk)
        before = audit.snapshot(locked)
        locked.ended_on = ended
        locked.save(update_fields=["ended_on"])
        audit.record(
            actor=actor,
            action="value_chain.end",
            instance=locked,
            before=before,
            after=audit.snapshot(locked),
        )
    return locked


def _require_either_side(*, actor: Actor, union: Organisation, member: Organisation) -> None:
    """A union membership is recorded by whoever may change the union or the member
    (``UnionMembership.policy``'s rule for a row that does not exist yet)."""
    sides = Organisation.policy.queryset(actor, "change").filter(pk__in=[union.pk, member.pk])
    if not sides.exists():
        raise refused(_("Your role may not do this."))


def union_membership_add(
    *, actor: Actor, union: Organisation, member: Organisation, joined_on: dt.date | None = None
) -> UnionMembership:
    """Record that a cooperative belongs to a union (the actor edits either side)."""
    _require_either_side(actor=actor, union=union, member=member)
    errors = Errors()
    if union.kind != OrganisationKind.UNION:
        errors.add(
            "union", _("Only a union of cooperatives has member cooperatives."), "not_a_union"
        )
    if member.kind != OrganisationKind.COOPERATIVE:
        errors.add(
            "member", _("Only a cooperative can be a member of a union."), "not_a_cooperative"
        )
    if union.pk == member.pk:
        errors.add("member", _("A union cannot be its own member."), "union_self")
    joined = date_value(errors, "joined_on", joined_on)
    errors.raise_if_any()
    duplicate = field_error(
        "member",
        _("This cooperative is already recorded in the union."),
        "union_member_duplicate",
    )
    with transaction.atomic():
        if UnionMembership.objects.filter(union=union, member=member).exists():
            raise duplicate
        row = UnionMembership(union=union, member=member, joined_on=joined)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:
            raise duplicate from exc
        audit.record(
            actor=actor, action="union_membership.add", instance=row, after=audit.snapshot(row)
        )
    return row


def union_membership_end(
    *, actor: Actor, membership: UnionMembership, left_on: dt.date | None
) -> UnionMembership:
    UnionMembership.policy.require(actor, "change", membership)
    errors = Errors()
    left = date_value(errors, "left_on", left_on, required=True)
    if membership.left_on is not None:
        errors.add("left_on", _("The cooperative has already left the union."), "already_left")
    elif left and membership.joined_on and left < membership.joined_on:
        errors.add("left_on", _("The leaving date is before the joining date."), "dates_order")
    errors.raise_if_any()
    with transaction.atomic():
        locked = UnionMembership.objects.select_for_update().get(pk=membership.pk)
        before = audit.snapshot(locked)
        locked.left_on = left
        locked.save(update_fields=["left_on"])
        audit.record(
            actor=actor,
            action="union_membership.end",
            instance=locked,
            before=before,
            after=audit.snapshot(locked),
        )
    return locked
