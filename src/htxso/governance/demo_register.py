"""Demo registers and capital for the Cao Bằng and Đắk Lắk demo cooperatives (the ones
the demo managers ``ql.<province>`` run).  Idempotent: a cooperative whose register has
started is left alone.

For each: the demo member ``tv.<province>`` becomes an official member (Person linked to
the account); every member's capital from the registry is carried over as an opening
balance; then a pledge (due in the rule's months), a payment towards it, a transfer
between two members, and a capital certificate for every holder.  In Cao Bằng one
official member holds more than the law's cap on purpose (carried over from the paper
register): the register page and the registry's legal warnings show it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from htxso.accounts.models import User
from htxso.core.actors import Actor
from htxso.core.demodata import DEMO_PROVINCES
from htxso.core.errors import ServiceError
from htxso.registry.models import Membership, Organisation, Person

from . import rules, services_register
from .models.register import CapitalMovement
from .models.rules import RuleKey

OVER_CAP_PROVINCE = "04"


def _org(code: str) -> Organisation | None:
    return Organisation.objects.filter(province_id=code, kind="cooperative").order_by("id").first()


def _member_for(org: Organisation, username: str, *, capital: int) -> Membership | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    found = Membership.objects.filter(
        organisation=org, person__user=user, left_on__isnull=True
    ).first()
    if found:
        return found
    person = Person.objects.filter(user=user).first()
    if person is None:
        from .demo_assemblies import demo_identity

        person = Person.objects.create(
            organisation=org,
            full_name=user.full_name or "Thành viên mẫu",
            user=user,
            **demo_identity(org, 999, block=8),
        )
    return Membership.objects.create(
        organisation=org,
        person=person,
        kind="official",
        joined_on=dt.date(2021, 3, 1),
        capital=capital,
    )


def _over_cap(org: Organisation) -> None:
    """Raise one official member's carried-over capital above the cap (35 % of the
    charter capital, or a third of all capital when none is recorded)."""
    members = list(
        Membership.objects.filter(organisation=org, left_on__isnull=True, kind="official")
        .exclude(person__user__isnull=False)
        .order_by("-capital", "pk")
    )
    if not members:
        return
    top = members[0]
    cap = rules.value(RuleKey.MEMBER_CAPITAL_MAX, org_kind=org.kind)
    if org.charter_capital:
        amount = int(org.charter_capital * (cap + 5) / 100)
    else:
        others = sum(
            Membership.objects.filter(organisation=org, left_on__isnull=True)
            .exclude(pk=top.pk)
            .values_list("capital", flat=True)
        )
        amount = max(int(others * (cap + 5) / (100 - cap - 5)), 1_000_000)
    Membership.objects.filter(pk=top.pk).update(capital=amount)


def _try(service, **kwargs) -> None:
    """A demo movement the limits refuse (another demo's data) is skipped, not fatal."""
    try:
        with transaction.atomic():
            service(**kwargs)
    except ServiceError:
        pass


@transaction.atomic
def _seed_org(org: Organisation, slug: str, *, actor: Actor, over_cap: bool) -> None:
    if CapitalMovement.objects.filter(organisation=org).exists():
        return
    member = _member_for(org, f"tv.{slug}", capital=10_000_000)
    if over_cap:
        _over_cap(org)
    active = list(
        Membership.objects.filter(organisation=org, left_on__isnull=True)
        .exclude(kind="service_associate")
        .order_by("joined_on", "pk")
    )
    for m in active:
        if m.capital > 0:
            services_register.record_opening_balance(
                actor=actor, membership=m, note="Số dư chuyển từ sổ thành viên cũ"
            )
    today = timezone.localdate()
    officials = [
        m for m in active if m.kind == "official" and (member is None or m.pk != member.pk)
    ]
    small = sorted(officials, key=lambda m: (m.capital, m.pk))
    if member is not None:
        _try(
            services_register.record_movement,
            actor=actor,
            membership=member,
            kind="pledge",
            amount=4_000_000,
            on=today - dt.timedelta(days=60),
            note="Góp thêm theo nghị quyết đại hội",
        )
        _try(
            services_register.record_movement,
            actor=actor,
            membership=member,
            kind="payment",
            amount=1_500_000,
            on=today - dt.timedelta(days=20),
            note="Nộp đợt 1",
        )
    if len(small) >= 2:
        giver, taker = small[-1], small[0]
        giver.refresh_from_db()
        amount = min(2_000_000, giver.capital)
        if amount > 0:
            _try(
                services_register.record_movement,
                actor=actor,
                membership=giver,
                kind="transfer_out",
                amount=amount,
                target=taker,
                on=today - dt.timedelta(days=10),
                note="Chuyển nhượng vốn góp trong gia đình",
            )
    for n, m in enumerate(
        Membership.objects.filter(organisation=org, left_on__isnull=True, capital__gt=0).order_by(
            "joined_on", "pk"
        ),
        start=1,
    ):
        services_register.issue_certificate(
            actor=actor, membership=m, number=f"{org.pk}-{n:03d}/GCNGV", issued_on=today
        )


def seed(*, actor: Actor) -> None:
    for code, slug in DEMO_PROVINCES.items():
        org = _org(code)
        if org is None:
            continue
        _seed_org(org, slug, actor=actor, over_cap=code == OVER_CAP_PROVINCE)
