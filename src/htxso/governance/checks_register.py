"""Live checks of the capital limits (Law on Cooperatives 2023, Art. 74 and 30), read from
the rule rows in force — never a number written here.

:func:`preview` answers, for a movement not yet saved, what each limit becomes and
whether the movement is refused (a contribution that takes a member or a group over a
limit) or only warned about (a refund that leaves someone else over a limit: the
capital went down, nobody contributed too much).  :func:`organisation_findings` gives
the limits broken today, for the registry's legal warnings (through its hook).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core.cached import Versioned
from htxso.registry.models import Membership, Organisation

from . import rules
from .models.register import CapitalMovement, ForeignMember, MovementKind
from .models.rules import RuleKey
from .selectors_register import share_pct

__all__ = ["Finding", "Preview", "organisation_findings", "preview"]

OFFICIAL = "official"
CAPITAL_ASSOCIATE = "capital_associate"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    article: str
    #: the share after the movement and the limit, in per cent
    share: Decimal | None
    limit: Decimal
    #: over the limit after the movement
    over: bool
    #: the movement is refused (it is the contribution that breaks the limit)
    blocking: bool


@dataclass(frozen=True)
class Preview:
    findings: list[Finding]
    base: int
    paid_after: int

    @property
    def refused(self) -> bool:
        return any(f.blocking for f in self.findings)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.over]


def _committed(organisation: Organisation) -> dict[int, tuple[str, int]]:
    """Active members: id → (kind, paid + pledged unpaid)."""
    pledged = dict(
        CapitalMovement.objects.filter(organisation=organisation, membership__left_on__isnull=True)
        .values("membership_id")
        .annotate(s=Sum("pledged_delta"))
        .values_list("membership_id", "s")
    )
    return {
        pk: (kind, int(capital or 0) + max(0, int(pledged.get(pk) or 0)))
        for pk, kind, capital in Membership.objects.filter(
            organisation=organisation, left_on__isnull=True
        ).values_list("pk", "kind", "capital")
    }


def _effects(kind: str, amount: int) -> int:
    """The change of committed capital (paid + pledged) a movement makes."""
    if kind in (MovementKind.PLEDGE, MovementKind.TRANSFER_IN):
        return amount
    if kind in (MovementKind.TRANSFER_OUT, MovementKind.WITHDRAWAL):
        return -amount
    return 0  # a payment turns pledged into paid (or adds capital with no pledge: below)


def _check(
    organisation: Organisation,
    committed: dict[int, tuple[str, int]],
    changed: dict[int, int],
    foreign: set[int],
    day: dt.date,
) -> tuple[list[Finding], int]:
    after = {pk: (k, max(0, v + changed.get(pk, 0))) for pk, (k, v) in committed.items()}
    total = sum(v for _k, v in after.values())
    base = int(organisation.charter_capital or 0) or total
    kind = organisation.kind
    grew = {pk for pk, d in changed.items() if d > 0 and pk in after}
    out: list[Finding] = []

    # a limit blocks only against a recorded charter capital: without one the base is
    # the capital paid so far, and the first contributors are always "over"
    firm = bool(organisation.charter_capital)

    def over(amount: int, limit: Decimal) -> bool:
        return base > 0 and Decimal(amount) * 100 > limit * base

    def add(code: str, key: RuleKey, amount: int, message: str, grown: list[int]) -> None:
        r = rules.rule(key, on=day, org_kind=kind)
        is_over = over(amount, r.value)
        blocking = firm and any(over(after[pk][1], r.value) for pk in grown)
        if code != "member_capital_max":
            blocking = firm and is_over and bool(grown)
        out.append(
            Finding(code, message, r.article, share_pct(amount, base), r.value, is_over, blocking)
        )

    official = [v for k, v in after.values() if k == OFFICIAL]
    if official:
        add(
            "member_capital_max",
            RuleKey.MEMBER_CAPITAL_MAX,
            max(official),
            _("Capital of one official member"),
            [pk for pk in grew if after[pk][0] == OFFICIAL],
        )
    associates = sum(v for k, v in after.values() if k == CAPITAL_ASSOCIATE)
    add(
        "associate_capital_max",
        RuleKey.ASSOCIATE_CAPITAL_MAX,
        associates,
        _("Capital of all associate members"),
        [pk for pk in grew if after[pk][0] == CAPITAL_ASSOCIATE],
    )
    if foreign:
        add(
            "foreign_capital_max",
            RuleKey.FOREIGN_CAPITAL_MAX,
            sum(v for pk, (_k, v) in after.items() if pk in foreign),
            _("Capital of foreign members"),
            [pk for pk in grew if pk in foreign],
        )
    return out, base


def preview(
    *,
    membership: Membership,
    kind: str,
    amount: int,
    target: Membership | None = None,
    on: dt.date | None = None,
) -> Preview:
    """What the limits become if this movement is recorded (nothing is saved).  The limits
    in force today apply (the register's state is checked now, whatever the movement's
    date; a movement dated before the 2023 law is checked against it too)."""
    day = max(on or timezone.localdate(), timezone.localdate())
    organisation = membership.organisation
    committed = _committed(organisation)
    changed: dict[int, int] = {}
    delta = _effects(kind, amount)
    if kind == MovementKind.PAYMENT:
        # a payment beyond the member's pledges adds capital
        pledged = (
            CapitalMovement.objects.filter(membership=membership).aggregate(s=Sum("pledged_delta"))[
                "s"
            ]
            or 0
        )
        delta = max(0, amount - max(0, pledged))
    changed[membership.pk] = delta
    if kind == MovementKind.TRANSFER_OUT and target is not None:
        changed[target.pk] = changed.get(target.pk, 0) + amount
    foreign = set(
        ForeignMember.objects.filter(membership__organisation=organisation).values_list(
            "membership_id", flat=True
        )
    )
    findings, base = _check(organisation, committed, changed, foreign, day)
    paid_after = int(membership.capital or 0) + (
        amount
        if kind in (MovementKind.PAYMENT, MovementKind.TRANSFER_IN)
        else -amount
        if kind in (MovementKind.TRANSFER_OUT, MovementKind.WITHDRAWAL)
        else 0
    )
    return Preview(findings, base, paid_after)


def organisation_findings(organisation: Organisation, day: dt.date | None = None) -> list[Finding]:
    """The limits broken today (over, whatever the cause)."""
    day = day or timezone.localdate()
    if organisation.kind == "group":
        return []
    committed = _committed(organisation)
    if not committed:
        return []
    foreign = set(
        ForeignMember.objects.filter(
            membership__organisation=organisation, membership__left_on__isnull=True
        ).values_list("membership_id", flat=True)
    )
    findings, _base = _check(organisation, committed, {}, foreign, day)
    out = [f for f in findings if f.over]
    officials = [pk for pk, (k, _v) in committed.items() if k == OFFICIAL]
    foreign_officials = [pk for pk in officials if pk in foreign]
    if foreign_officials and officials:
        r = rules.rule(RuleKey.FOREIGN_MEMBERS_MAX, on=day, org_kind=organisation.kind)
        share = share_pct(len(foreign_officials), len(officials))
        if Decimal(len(foreign_officials)) * 100 >= r.value * len(officials):
            out.append(
                Finding(
                    "foreign_members_max",
                    _("Foreign official members"),
                    r.article,
                    share,
                    r.value,
                    True,
                    False,
                )
            )
    return out


#: Whether an organisation's register has started (movements) or has foreign members,
#: per organisation: the others have nothing to check, so once known the registry's
#: warnings cost them no query.  A saved movement or foreign mark moves every key to a
#: new version (one indexed EXISTS per organisation the next time it is shown).
STARTED = Versioned("governance:register-started", ttl=600)


def _started(organisation_id: int) -> bool:
    return (
        Organisation.objects.filter(pk=organisation_id)
        .filter(
            Exists(CapitalMovement.objects.filter(organisation_id=OuterRef("pk")))
            | Exists(ForeignMember.objects.filter(membership__organisation_id=OuterRef("pk")))
        )
        .exists()
    )


def forget_started(*args, **kwargs) -> None:
    """Signal receiver: a movement or a foreign mark was saved (again after commit)."""
    STARTED.forget()
    transaction.on_commit(STARTED.forget)


def legal_warnings(organisation: Organisation, day: dt.date) -> list:
    """For the registry's legal warnings (``registry.selectors_figures.register_warnings``):
    pledges not paid by their deadline and the foreign members' limits.  No query for an
    organisation known to have no register yet (one the first time); one for a register;
    more only for a cooperative with foreign members.  (One member's and the associates'
    capital are checked by the registry itself from ``Membership.capital``.)"""
    from htxso.registry.checks import LegalWarning

    if organisation.kind == "group" or not STARTED.get_or_set(
        (organisation.pk,), lambda: _started(organisation.pk)
    ):
        return []
    rows = list(
        Membership.objects.filter(organisation=organisation, left_on__isnull=True)
        .annotate(
            outstanding=Sum("capital_movements__pledged_delta"),
            pledged_due=Sum(
                "capital_movements__pledged_delta",
                filter=Q(
                    capital_movements__kind=MovementKind.PLEDGE,
                    capital_movements__due_on__lt=day,
                ),
            ),
            pledged_all=Sum(
                "capital_movements__pledged_delta",
                filter=Q(capital_movements__kind=MovementKind.PLEDGE),
            ),
            foreign=Count("foreign_mark"),
        )
        .values_list("outstanding", "pledged_due", "pledged_all", "foreign")
    )
    out = []
    late = 0
    for outstanding, due, pledged, _foreign in rows:
        outstanding = max(0, outstanding or 0)
        settled = (pledged or 0) - outstanding
        if min(outstanding, max(0, (due or 0) - settled)) > 0:
            late += 1
    if late:
        r = rules.rule(RuleKey.CAPITAL_PAYMENT_MONTHS, on=day, org_kind=organisation.kind)
        out.append(
            LegalWarning(
                "capital_pledge_overdue",
                _(
                    "%(count)s members have not paid the capital they pledged within"
                    " %(months)s months."
                )
                % {"count": late, "months": int(r.value)},
                r.article,
            )
        )
    if any(f for *_x, f in rows):
        for f in organisation_findings(organisation, day):
            if f.code in ("foreign_capital_max", "foreign_members_max"):
                out.append(
                    LegalWarning(
                        f.code,
                        _("%(what)s: %(share)s %% — the law allows %(limit)s %%.")
                        % {"what": f.message, "share": f.share, "limit": f.limit.normalize()},
                        f.article,
                    )
                )
    return out


def connect() -> None:
    """Called from ``GovernanceConfig.ready()``: the register's checks join the
    registry's legal warnings, and a saved movement or foreign mark refreshes the set of
    organisations to check."""
    from django.db.models.signals import post_save

    from htxso.registry.selectors_figures import register_warnings

    register_warnings(legal_warnings)
    for model in (CapitalMovement, ForeignMember):
        post_save.connect(
            forget_started, sender=model, dispatch_uid=f"gov-started-{model.__name__}"
        )


#: Whether an organisation's capital is kept by the register (at least one movement),
#: per organisation, for the registry's capital hook (``registry.capital_owner``).
MANAGED = Versioned("governance:capital-managed", ttl=600)


def capital_managed(organisation_id: int) -> bool:
    """The register has started for this organisation: its capital is kept here."""
    return bool(
        MANAGED.get_or_set(
            (organisation_id,),
            lambda: CapitalMovement.objects.filter(organisation_id=organisation_id).exists(),
        )
    )


def register_page(organisation_id: int) -> str:
    from django.urls import reverse

    return reverse("governance:register", kwargs={"org_pk": organisation_id})


def forget_managed(*args, **kwargs) -> None:
    """Signal receiver: a movement was saved or deleted (again after commit)."""
    MANAGED.forget()
    transaction.on_commit(MANAGED.forget)


def connect_capital_owner() -> None:
    """Called from ``GovernanceConfig.ready()``: once a cooperative's register has
    started, the registry's forms and import leave its members' capital to the register."""
    from django.db.models.signals import post_delete, post_save

    from htxso.registry.capital_owner import register_capital_owner

    register_capital_owner(capital_managed, register_page)
    post_save.connect(forget_managed, sender=CapitalMovement, dispatch_uid="gov-managed-save")
    post_delete.connect(forget_managed, sender=CapitalMovement, dispatch_uid="gov-managed-del")
