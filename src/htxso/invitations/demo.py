"""Demo invitations (one in each state, in each demo province's first cooperative) and
the demo member accounts linked to their register rows, so a demo member sees her own
membership and capital."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from htxso.accounts.models import User
from htxso.core.demodata import DEMO_PROVINCES, DemoContext
from htxso.core.errors import ServiceError
from htxso.core.roles import Role
from htxso.registry.models import Membership, Organisation, Person

from . import services
from .models import Invitation, InvitationChannel, InvitationState, hash_token, new_token

ORDER = 75


def _members(org: Organisation):
    active = Membership.objects.filter(person=OuterRef("pk"), organisation=org, left_on=None)
    return Person.objects.filter(Exists(active), user__isnull=True).order_by("pk")


def _link_member(org: Organisation, username: str) -> Person | None:
    """Link the demo member account to a register row of the cooperative (the first
    member with capital), the row taking the account's name."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    linked = Person.objects.filter(user=user).first()
    if linked is not None:
        return linked
    with_capital = Membership.objects.filter(
        person=OuterRef("pk"), organisation=org, left_on=None, capital__gt=0
    )
    person = _members(org).filter(Exists(with_capital)).first() or _members(org).first()
    if person is None:
        return None
    person.user = user
    person.full_name = user.full_name or person.full_name
    person.save(update_fields=["user", "full_name"])
    return person


def _invite(org: Organisation, manager: User, person: Person, channel: str) -> Invitation | None:
    try:
        return services.invitation_create(
            actor=manager,
            role=Role.COOP_MEMBER,
            organisation=org,
            person=person,
            channel=channel,
        )
    except ServiceError:
        try:  # a register row without a usable mobile: a printed card
            return services.invitation_create(
                actor=manager,
                role=Role.COOP_MEMBER,
                organisation=org,
                person=person,
                channel=InvitationChannel.PRINT,
            )
        except ServiceError:
            return None


def _invitations(org: Organisation, manager: User, member: Person | None) -> int:
    if Invitation.objects.filter(organisation=org).exists():
        return 0
    now = timezone.now()
    people = list(_members(org)[:6])
    plan = [
        ("pending", InvitationChannel.SMS),
        ("pending", InvitationChannel.PRINT),
        ("expired", InvitationChannel.ZALO),
        ("revoked", InvitationChannel.SMS),
    ]
    made = 0
    for (state, channel), person in zip(plan, people, strict=False):
        inv = _invite(org, manager, person, channel)
        if inv is None:
            continue
        made += 1
        Invitation.objects.filter(pk=inv.pk).update(sent_count=1, last_sent_at=now)
        if state == "expired":
            Invitation.objects.filter(pk=inv.pk).update(
                created_at=now - dt.timedelta(days=20), expires_at=now - dt.timedelta(days=6)
            )
        elif state == "revoked":
            services.invitation_revoke(actor=manager, invitation=inv)
    if member is not None and member.user_id:
        # the demo member joined through an invitation
        Invitation.objects.create(
            token_hash=hash_token(new_token()),
            role=Role.COOP_MEMBER,
            province_id=org.province_id,
            organisation=org,
            person=member,
            full_name=member.full_name,
            to_phone=member.user.phone or "",
            channel=InvitationChannel.SMS,
            inviter=manager,
            state=InvitationState.ACCEPTED,
            expires_at=now + dt.timedelta(days=10),
            accepted_by=member.user,
            accepted_at=now - dt.timedelta(days=3),
            sent_count=1,
            last_sent_at=now - dt.timedelta(days=4),
        )
        made += 1
    return made


def seed(ctx: DemoContext) -> None:
    linked = invited = 0
    for code, slug in DEMO_PROVINCES.items():
        org = (
            Organisation.objects.filter(province_id=code, kind="cooperative").order_by("id").first()
        )
        manager = User.objects.filter(username=f"ql.{slug}").first()
        if org is None or manager is None:
            continue
        member = _link_member(org, f"tv.{slug}")
        linked += member is not None
        invited += _invitations(org, manager, member)
    ctx.log(
        f"invitations: {linked} demo members linked to their register rows, {invited} invitations"
    )
