"""Fixtures of the votes tests: an open assembly of a1 with attendance rows written
directly (the assemblies part's check-in services are not used here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from htxso.governance.models import Assembly, Attendance, Resolution

ACCOUNTS = ("manager_a1", "member_a1")


@dataclass
class Hall:
    assembly: Assembly
    gov: object
    world: object
    attending: list = field(default_factory=list)

    def resolution(self, *, secret=False, matter="other", status="open", quorum_met=True, **kw):
        r = Resolution.objects.create(
            assembly=self.assembly,
            title=kw.pop("title", "Kế hoạch sản xuất năm 2027"),
            text=kw.pop("text", "Thông qua kế hoạch sản xuất."),
            matter=matter,
            secret=secret,
        )
        if status != "draft":
            from htxso.governance import selectors_votes as sel

            majority, inclusive, article = sel.majority_rule(r)
            Resolution.objects.filter(pk=r.pk).update(
                status=status,
                opened_at=timezone.now(),
                quorum_met=quorum_met,
                quorum_present=len(self.attending),
                majority=majority,
                majority_inclusive=inclusive,
                majority_article=article,
            )
            r.refresh_from_db()
        return r


def open_assembly(world, org_key="a1", *, voters_total=5, status="open"):
    return Assembly.objects.create(
        organisation=world.orgs[org_key],
        kind="annual",
        year=2026,
        mode="hybrid",
        title="Đại hội thành viên thường niên 2026",
        scheduled_at=timezone.make_aware(dt.datetime(2026, 3, 20, 8, 0)),
        place="Hội trường HTX",
        status=status,
        voters_total=voters_total,
        created_by=world.users["manager_a1" if org_key == "a1" else "manager_b1"],
    )


def attend(assembly, membership, *, may_vote=None, by):
    return Attendance.objects.create(
        assembly=assembly,
        membership=membership,
        channel="online",
        may_vote=membership.kind == "official" if may_vote is None else may_vote,
        checked_in_by=by,
    )


@pytest.fixture
def hall(world, gov) -> Hall:
    """a1's annual assembly in session: 5 official members (manager_a1, member_a1,
    a1_o1..3); the officials and both associates checked in except a1_o3."""
    assembly = open_assembly(world)
    h = Hall(assembly=assembly, gov=gov, world=world)
    for key in ("manager_a1", "member_a1", "a1_o1", "a1_o2", "a1_assoc_cap", "a1_assoc"):
        h.attending.append(attend(assembly, gov.members[key], by=world.users["manager_a1"]))
    return h


def give_account(membership, key):
    """An account with the member role for a membership that has none."""
    from htxso.accounts.models import Role
    from htxso.accounts.services import role_assign, user_create
    from htxso.core.actors import OPERATOR

    user = user_create(actor=OPERATOR, username=f"v_{key}", password=None, validate=False)
    role_assign(
        actor=OPERATOR, user=user, role=Role.COOP_MEMBER, organisation=membership.organisation
    )
    person = membership.person
    person.user = user
    person.save(update_fields=["user"])
    return user


def voters(world, assembly, n, *, prefix="race"):
    """``n`` official members of a1 with an account each, checked in with a vote."""
    from htxso.accounts.models import Role, RoleAssignment, User
    from htxso.registry.models import Membership, Person

    org = world.orgs["a1"]
    users = User.objects.bulk_create(
        [User(username=f"{prefix}_{i}", full_name=f"Xã viên {i}") for i in range(n)]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.COOP_MEMBER, organisation=org) for u in users]
    )
    people = Person.objects.bulk_create(
        [Person(organisation=org, full_name=u.full_name, user=u, phone="") for u in users]
    )
    members = Membership.objects.bulk_create(
        [
            Membership(
                organisation=org,
                person=p,
                kind="official",
                joined_on=timezone.localdate(),
                capital=0,
            )
            for p in people
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                assembly=assembly,
                membership=m,
                channel="online",
                may_vote=True,
                checked_in_by=world.users["manager_a1"],
            )
            for m in members
        ]
    )
    return users
