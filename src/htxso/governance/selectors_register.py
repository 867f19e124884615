"""Reads of the member register's capital (the register part).

Published for the other parts (the portal codes against these names):

* :func:`capital_position` — one member's paid, pledged-but-unpaid and overdue capital
  and share of the charter capital;
* :func:`capital_holders` — the members holding capital with their shares (disclosed to
  members: names and amounts only, no ID numbers, no phones);
* :func:`certificates` — a member's capital certificates, newest first.

The paid capital is ``registry.Membership.capital`` (the register's services keep it
equal to the sum of the movements' ``paid_delta``; imported registers without movements
still have it).  A share is measured against the charter capital, or the paid capital of
all active members when the charter capital is not recorded (as the registry's checks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from htxso.registry.models import Membership, Organisation

from .models.register import CapitalCertificate, CapitalMovement, ForeignMember, MovementKind

__all__ = [
    "Holder",
    "Position",
    "capital_base",
    "capital_holders",
    "capital_position",
    "certificates",
    "foreign_ids",
    "movements_of",
    "pledge_sums",
    "position_from",
    "share_pct",
]

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Position:
    paid: int
    pledged_unpaid: int
    overdue: int
    share_pct: Decimal | None


@dataclass(frozen=True)
class Holder:
    membership_id: int
    name: str
    kind: str
    paid: int
    share_pct: Decimal | None


def share_pct(amount: int, base: int) -> Decimal | None:
    """``amount`` in per cent of ``base``, two decimals (None when the base is 0)."""
    if base <= 0:
        return None
    return (Decimal(amount) * 100 / Decimal(base)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _active_on(day: dt.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def capital_base(organisation: Organisation, *, paid_total: int | None = None) -> int:
    """The capital shares are measured against: the charter capital, else all active
    members' paid capital."""
    if organisation.charter_capital:
        return int(organisation.charter_capital)
    if paid_total is None:
        paid_total = (
            Membership.objects.filter(organisation=organisation, left_on__isnull=True).aggregate(
                s=Sum("capital")
            )["s"]
            or 0
        )
    return int(paid_total)


def pledge_sums(day: dt.date) -> dict[str, Sum]:
    """The sums of a member's movements behind :func:`position_from` (an aggregate, or
    subqueries of a query that reads more at once, as the member portal's)."""
    return {
        "outstanding": Sum("pledged_delta"),
        "pledged_due": Sum("pledged_delta", filter=Q(kind=MovementKind.PLEDGE, due_on__lt=day)),
        "pledged_all": Sum("pledged_delta", filter=Q(kind=MovementKind.PLEDGE)),
    }


def position_from(membership: Membership, sums: Mapping[str, int | None]) -> Position:
    """The member's position from the :func:`pledge_sums` of their movements."""
    outstanding = max(0, sums["outstanding"] or 0)
    # payments settle the earliest pledges first (the pledges fall due in order)
    settled = (sums["pledged_all"] or 0) - outstanding
    overdue = max(0, (sums["pledged_due"] or 0) - settled)
    paid = int(membership.capital or 0)
    return Position(
        paid=paid,
        pledged_unpaid=outstanding,
        overdue=min(overdue, outstanding),
        share_pct=share_pct(paid, capital_base(membership.organisation)),
    )


def capital_position(membership: Membership, *, on: dt.date | None = None) -> Position:
    day = on or timezone.localdate()
    sums = CapitalMovement.objects.filter(membership=membership).aggregate(**pledge_sums(day))
    return position_from(membership, sums)


def capital_holders(organisation: Organisation, on: dt.date | None = None) -> list[Holder]:
    """Active members with paid capital, largest first (names and amounts only).

    Today: ``Membership.capital``.  A past day: the movements recorded up to that day."""
    today = timezone.localdate()
    day = on or today
    members = Membership.objects.filter(organisation=organisation).filter(_active_on(day))
    if day >= today:
        rows = [
            (m.pk, m.person.full_name, m.kind, int(m.capital or 0))
            for m in members.select_related("person").only(
                "pk", "kind", "capital", "person__full_name"
            )
        ]
    else:
        paid = dict(
            CapitalMovement.objects.filter(organisation=organisation, on__lte=day)
            .values("membership_id")
            .annotate(s=Sum("paid_delta"))
            .values_list("membership_id", "s")
        )
        rows = [
            (m.pk, m.person.full_name, m.kind, int(paid.get(m.pk) or 0))
            for m in members.select_related("person").only("pk", "kind", "person__full_name")
        ]
    rows = [r for r in rows if r[3] > 0]
    base = capital_base(organisation, paid_total=sum(r[3] for r in rows))
    rows.sort(key=lambda r: (-r[3], r[1], r[0]))
    return [Holder(pk, name, kind, paid, share_pct(paid, base)) for pk, name, kind, paid in rows]


def certificates(membership: Membership) -> QuerySet[CapitalCertificate]:
    """The member's capital certificates, the current one first."""
    return CapitalCertificate.objects.filter(membership=membership).order_by(
        F("replaced_on").asc(nulls_first=True), "-issued_on", "-id"
    )


def current_certificate(membership: Membership) -> CapitalCertificate | None:
    return certificates(membership).filter(replaced_on__isnull=True).first()


def movements_of(membership: Membership) -> QuerySet[CapitalMovement]:
    return CapitalMovement.objects.filter(membership=membership).order_by("number")


def foreign_ids(organisation: Organisation) -> set[int]:
    return set(
        ForeignMember.objects.filter(membership__organisation=organisation).values_list(
            "membership_id", flat=True
        )
    )
