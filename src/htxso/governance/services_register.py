"""Every write to the member register's capital: record a movement (pledge, payment,
transfer pair, refund on leaving), reverse one, issue a capital certificate, mark a
foreign member.

Movements are numbered per organisation under a lock of the organisation's row, never
changed or deleted; ``registry.Membership.capital`` is kept equal to the paid capital.
A contribution that takes a member (or the associates, or the foreign members) over a
limit of the law is refused; a refund that leaves someone over a limit is recorded with
a warning (nobody contributed too much).  One audit row per service call.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import ServiceError, conflict
from htxso.core.forms import fits_int64
from htxso.registry.models import Membership, Organisation

from . import rules
from .checks_register import Preview, preview
from .models.register import (
    AssetKind,
    CapitalCertificate,
    CapitalMovement,
    ForeignMember,
    MovementKind,
)
from .models.rules import RuleKey

ACTION_LABELS.update(
    {
        "capital.movement": gettext_lazy("Capital movement recorded"),
        "capital.reversal": gettext_lazy("Capital movement corrected"),
        "capital.opening": gettext_lazy("Opening capital balance recorded"),
        "capital.certificate": gettext_lazy("Capital certificate issued"),
        "capital.foreign": gettext_lazy("Member recorded as foreign"),
    }
)

#: kinds a manager records with the form (a transfer's "in" leg and reversals are made
#: by the service)
RECORDABLE = (
    MovementKind.PLEDGE,
    MovementKind.PAYMENT,
    MovementKind.TRANSFER_OUT,
    MovementKind.WITHDRAWAL,
)
_MARKUP = set("<>{}\\")


def _err(code: str, message: Any, field: str, details: Any = None) -> ServiceError:
    """A refusal of one field's value (the message on the field and as the text)."""
    return ServiceError(code, message, fields={field: [message]}, details=details)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _user(*, actor: Actor) -> Any:
    return None if isinstance(actor, SystemActor) else actor


def _require_manager(*, actor: Actor, organisation: Organisation) -> None:
    CapitalMovement.policy.require_at(actor, "change", province=None, organisation=organisation.pk)


def _lock(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _next_number(organisation: Organisation) -> int:
    top = CapitalMovement.objects.filter(organisation=organisation).aggregate(m=Max("number"))
    return (top["m"] or 0) + 1


def _outstanding_pledge(membership: Membership) -> int:
    s = CapitalMovement.objects.filter(membership=membership).aggregate(s=Sum("pledged_delta"))
    return max(0, s["s"] or 0)


def _insert(
    organisation: Organisation,
    membership: Membership,
    *,
    actor: Actor,
    kind: str,
    amount: int,
    on: dt.date,
    asset_kind: str,
    note: str,
    paid_delta: int,
    pledged_delta: int,
    due_on: dt.date | None = None,
    reverses: CapitalMovement | None = None,
    touch_capital: bool = True,
) -> CapitalMovement:
    row = CapitalMovement.objects.create(
        organisation=organisation,
        number=_next_number(organisation),
        membership=membership,
        kind=kind,
        asset_kind=asset_kind,
        amount=amount,
        paid_delta=paid_delta,
        pledged_delta=pledged_delta,
        on=on,
        due_on=due_on,
        reverses=reverses,
        note=note,
        recorded_by=_user(actor=actor),
    )
    if paid_delta and touch_capital:
        Membership.objects.filter(pk=membership.pk).update(
            capital=membership.capital + paid_delta, updated_at=timezone.now()
        )
        membership.capital = membership.capital + paid_delta
    return row


def _check_input(
    *, membership: Membership, kind: str, amount: Any, on: Any, asset_kind: str, note: str
) -> tuple[int, dt.date, str]:
    if kind not in RECORDABLE:
        raise _err("capital_kind", _("Choose what kind of movement this is."), field="kind")
    if asset_kind not in AssetKind.values:
        raise _err("capital_asset", _("Choose the kind of asset contributed."), field="asset_kind")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise _err("capital_amount", _("Write the amount in đồng."), field="amount")
    if amount <= 0 or not fits_int64(amount):
        raise _err(
            "capital_amount",
            _("The amount must be a positive number of đồng."),
            field="amount",
        )
    if not isinstance(on, dt.date):
        raise _err("capital_date", _("Write the date."), field="on")
    today = timezone.localdate()
    if on > today:
        raise _err("capital_future", _("The date may not be in the future."), field="on")
    if on < membership.joined_on:
        raise _err(
            "capital_before_joining",
            _("The date is before the member joined."),
            field="on",
        )
    note = (note or "").strip()
    if len(note) > 300 or (_MARKUP & set(note)):
        raise _err(
            "capital_note",
            _("Write the note in plain words (at most 300 characters, no < > { })."),
            field="note",
        )
    return amount, on, note


def check_movement(
    *,
    membership: Membership,
    kind: str,
    amount: int,
    target: Membership | None = None,
    on: dt.date | None = None,
) -> Preview:
    """The preview the form shows before saving (no write)."""
    return preview(membership=membership, kind=kind, amount=amount, target=target, on=on)


@transaction.atomic
def record_movement(
    *,
    actor: Actor,
    membership: Membership,
    kind: str,
    amount: int,
    on: dt.date,
    asset_kind: str = AssetKind.CASH,
    note: str = "",
    target: Membership | None = None,
) -> CapitalMovement:
    """Record one movement (a transfer records its pair and returns the "out" leg)."""
    organisation = membership.organisation
    _require_manager(actor=actor, organisation=organisation)
    amount, on, note = _check_input(
        membership=membership, kind=kind, amount=amount, on=on, asset_kind=asset_kind, note=note
    )
    organisation = _lock(organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None and kind != MovementKind.WITHDRAWAL:
        raise _err(
            "capital_member_left",
            _("This member has left the cooperative."),
            field="membership",
        )
    if membership.kind == "service_associate":
        raise _err(
            "capital_no_capital_member",
            _("An associate member without capital contributes no capital."),
            field="membership",
        )
    if kind == MovementKind.TRANSFER_OUT:
        if (
            target is None
            or target.organisation_id != organisation.pk
            or target.pk == membership.pk
        ):
            raise _err(
                "capital_transfer_target",
                _("Choose the member of this cooperative who receives the capital."),
                field="target",
            )
        target = Membership.objects.select_for_update().get(pk=target.pk)
        if target.left_on is not None or target.kind == "service_associate":
            raise _err(
                "capital_transfer_target",
                _("This member may not receive capital."),
                field="target",
            )
    if kind in (MovementKind.TRANSFER_OUT, MovementKind.WITHDRAWAL) and amount > membership.capital:
        raise _err(
            "capital_more_than_paid",
            _("The member has paid only %(paid)s đồng.") % {"paid": f"{membership.capital:,}"},
            field="amount",
        )
    checked = preview(membership=membership, kind=kind, amount=amount, target=target, on=on)
    if checked.refused:
        broken = [f for f in checked.findings if f.blocking]
        raise _err(
            "capital_limit",
            _("This would break a limit of the law: %(what)s.")
            % {
                "what": "; ".join(
                    f"{f.message} {f.share} % > {f.limit} % ({f.article})" for f in broken
                )
            },
            field="amount",
            details={"limits": [f.code for f in broken]},
        )
    common = {"actor": actor, "on": on, "asset_kind": asset_kind, "note": note}
    if kind == MovementKind.PLEDGE:
        try:
            months = int(
                rules.value(RuleKey.CAPITAL_PAYMENT_MONTHS, on=on, org_kind=organisation.kind)
            )
        except ServiceError:  # a pledge dated before the rules: today's rule
            months = int(rules.value(RuleKey.CAPITAL_PAYMENT_MONTHS, org_kind=organisation.kind))
        row = _insert(
            organisation,
            membership,
            kind=kind,
            amount=amount,
            paid_delta=0,
            pledged_delta=amount,
            due_on=add_months(on, months),
            **common,
        )
    elif kind == MovementKind.PAYMENT:
        settles = min(amount, _outstanding_pledge(membership))
        row = _insert(
            organisation,
            membership,
            kind=kind,
            amount=amount,
            paid_delta=amount,
            pledged_delta=-settles,
            **common,
        )
    elif kind == MovementKind.WITHDRAWAL:
        row = _insert(
            organisation,
            membership,
            kind=kind,
            amount=amount,
            paid_delta=-amount,
            pledged_delta=0,
            **common,
        )
    else:  # transfer: the pair
        assert target is not None
        row = _insert(
            organisation,
            membership,
            kind=MovementKind.TRANSFER_OUT,
            amount=amount,
            paid_delta=-amount,
            pledged_delta=0,
            **common,
        )
        leg = _insert(
            organisation,
            target,
            kind=MovementKind.TRANSFER_IN,
            amount=amount,
            paid_delta=amount,
            pledged_delta=0,
            **common,
        )
        _link(row, leg)
    audit.record(
        actor=actor,
        action="capital.movement",
        instance=row,
        after={
            "number": row.number,
            "membership": membership.pk,
            "kind": row.kind,
            "amount": amount,
            "on": on.isoformat(),
            "warnings": [f.code for f in checked.warnings],
        },
        organisation_id=organisation.pk,
    )
    return row


def _link(out_leg: CapitalMovement, in_leg: CapitalMovement) -> None:
    """Pair a transfer's legs (the only write after insert, in the same transaction,
    through the table so the append-only ``save`` stays closed)."""
    from django.db.models import QuerySet

    QuerySet.update(CapitalMovement.objects.filter(pk=out_leg.pk), counterpart=in_leg)
    QuerySet.update(CapitalMovement.objects.filter(pk=in_leg.pk), counterpart=out_leg)
    out_leg.counterpart, in_leg.counterpart = in_leg, out_leg


@transaction.atomic
def reverse_movement(*, actor: Actor, movement: CapitalMovement, note: str = "") -> CapitalMovement:
    """Correct a mistake: a new movement with the opposite effect (a transfer's both
    legs are reversed)."""
    _require_manager(actor=actor, organisation=movement.organisation)
    organisation = _lock(movement.organisation)
    note = (note or "").strip()
    if not note or len(note) > 300 or (_MARKUP & set(note)):
        raise _err(
            "capital_note", _("Say in plain words why the movement is corrected."), field="note"
        )
    legs = [movement]
    if movement.counterpart_id:
        legs.append(CapitalMovement.objects.get(pk=movement.counterpart_id))
    for leg in legs:
        if leg.kind == MovementKind.REVERSAL:
            raise conflict(
                _("A correction is not corrected again."), "capital_reversal_of_reversal"
            )
        if CapitalMovement.objects.filter(reverses=leg).exists():
            raise conflict(_("This movement was already corrected."), "capital_already_reversed")
    rows = []
    day = timezone.localdate()
    for leg in legs:
        member = Membership.objects.select_for_update().get(pk=leg.membership_id)
        if member.capital - leg.paid_delta < 0:
            raise conflict(
                _("The correction would leave a member with less than no capital."),
                "capital_reversal_negative",
            )
        try:
            with transaction.atomic():
                rows.append(
                    _insert(
                        organisation,
                        member,
                        actor=actor,
                        kind=MovementKind.REVERSAL,
                        amount=leg.amount,
                        on=day,
                        asset_kind=leg.asset_kind,
                        note=note,
                        paid_delta=-leg.paid_delta,
                        pledged_delta=-leg.pledged_delta,
                        reverses=leg,
                    )
                )
        except IntegrityError:
            raise conflict(
                _("This movement was already corrected."), "capital_already_reversed"
            ) from None
    audit.record(
        actor=actor,
        action="capital.reversal",
        instance=rows[0],
        after={"reverses": [leg.number for leg in legs], "note": note},
        organisation_id=organisation.pk,
    )
    return rows[0]


@transaction.atomic
def record_opening_balance(
    *, actor: Actor, membership: Membership, note: str = ""
) -> CapitalMovement:
    """Start the register of a member from the capital already recorded for them (an
    imported or paper register): one "opening balance" movement of that amount, dated
    the day they joined, which leaves ``Membership.capital`` as it is.  The limits are not
    checked (a past state is recorded as it is; the warnings show it)."""
    organisation = membership.organisation
    _require_manager(actor=actor, organisation=organisation)
    organisation = _lock(organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if CapitalMovement.objects.filter(membership=membership).exists():
        raise conflict(_("This member's register has already started."), "capital_opening_exists")
    if membership.capital <= 0:
        raise _err(
            "capital_amount", _("The member has no capital to carry over."), field="membership"
        )
    row = _insert(
        organisation,
        membership,
        actor=actor,
        kind=MovementKind.OPENING,
        amount=membership.capital,
        on=membership.joined_on,
        asset_kind=AssetKind.CASH,
        note=(note or "").strip()[:300],
        paid_delta=membership.capital,
        pledged_delta=0,
        touch_capital=False,
    )
    audit.record(
        actor=actor,
        action="capital.opening",
        instance=row,
        after={"number": row.number, "membership": membership.pk, "amount": row.amount},
        organisation_id=organisation.pk,
    )
    return row


@transaction.atomic
def issue_certificate(
    *, actor: Actor, membership: Membership, number: str, issued_on: dt.date | None = None
) -> CapitalCertificate:
    """Issue the member's capital certificate for the paid capital; the current one (if
    any) is marked replaced."""
    organisation = membership.organisation
    _require_manager(actor=actor, organisation=organisation)
    number = (number or "").strip()
    if not number or len(number) > 30 or (_MARKUP & set(number)) or "\n" in number:
        raise _err(
            "certificate_number",
            _("Write the certificate number (at most 30 characters, no < > { })."),
            field="number",
        )
    day = issued_on or timezone.localdate()
    if day > timezone.localdate():
        raise _err("certificate_future", _("The date may not be in the future."), field="issued_on")
    _lock(organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.capital <= 0:
        raise _err(
            "certificate_no_capital",
            _("The member has no paid capital to certify."),
            field="membership",
        )
    if CapitalCertificate.objects.filter(organisation=organisation, number=number).exists():
        raise conflict(
            _("Certificate number %(number)s is already used in this cooperative.")
            % {"number": number},
            "certificate_number_used",
        )
    old = CapitalCertificate.objects.filter(membership=membership, replaced_on__isnull=True).first()
    if old is not None:
        CapitalCertificate.objects.filter(pk=old.pk).update(replaced_on=day)
    try:
        with transaction.atomic():
            cert = CapitalCertificate.objects.create(
                organisation=organisation,
                membership=membership,
                number=number,
                issued_on=day,
                amount=membership.capital,
                issued_by=_user(actor=actor),
            )
    except IntegrityError:
        raise conflict(
            _("Certificate number %(number)s is already used in this cooperative.")
            % {"number": number},
            "certificate_number_used",
        ) from None
    if old is not None:
        CapitalCertificate.objects.filter(pk=old.pk).update(replaced_by=cert)
    Membership.objects.filter(pk=membership.pk).update(
        capital_certificate_no=number, capital_certificate_date=day, updated_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action="capital.certificate",
        instance=cert,
        after={"number": number, "membership": membership.pk, "amount": cert.amount},
        organisation_id=organisation.pk,
    )
    return cert


@transaction.atomic
def mark_foreign(*, actor: Actor, membership: Membership, country: str) -> ForeignMember:
    _require_manager(actor=actor, organisation=membership.organisation)
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isascii() or not country.isalpha() or country == "VN":
        raise _err("foreign_country", _("Choose the member's country."), field="country")
    row, _created = ForeignMember.objects.update_or_create(
        membership=membership, defaults={"country": country, "recorded_by": _user(actor=actor)}
    )
    audit.record(
        actor=actor,
        action="capital.foreign",
        instance=row,
        after={"membership": membership.pk, "country": country},
        organisation_id=membership.organisation_id,
    )
    return row
