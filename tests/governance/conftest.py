"""Shared fixtures of the governance tests: members with accounts in the test world.

``gov`` adds to ``world``: in a1 (Cao Bằng) the manager and ``member_a1`` as official
members with their Person linked to their user, three more official members without
accounts, one associate with capital and one without; in b1 (Đắk Lắk) two official
members.  Capital is on ``registry.Membership.capital`` only: the register part's tests
record movements themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from htxso.registry.models import Membership, Person


@dataclass
class Gov:
    #: key → Membership: manager_a1, member_a1, a1_o1..a1_o3, a1_assoc_cap, a1_assoc,
    #: b1_o1, b1_o2
    members: dict[str, Membership] = field(default_factory=dict)


def make_member(org, key, kind="official", *, user=None, capital=0, joined=dt.date(2020, 3, 1)):
    person = Person.objects.create(
        organisation=org, full_name=f"Thành viên {key}", user=user, phone=""
    )
    return Membership.objects.create(
        organisation=org, person=person, kind=kind, joined_on=joined, capital=capital
    )


def build_gov(world) -> Gov:
    g = Gov()
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    g.members["manager_a1"] = make_member(
        a1, "manager_a1", user=world.users["manager_a1"], capital=20_000_000
    )
    g.members["member_a1"] = make_member(
        a1, "member_a1", user=world.users["member_a1"], capital=10_000_000
    )
    for i in (1, 2, 3):
        g.members[f"a1_o{i}"] = make_member(a1, f"a1_o{i}", capital=10_000_000)
    g.members["a1_assoc_cap"] = make_member(
        a1, "a1_assoc_cap", kind="capital_associate", capital=5_000_000
    )
    g.members["a1_assoc"] = make_member(a1, "a1_assoc", kind="service_associate")
    g.members["b1_o1"] = make_member(
        b1, "b1_o1", user=world.users["manager_b1"], capital=10_000_000
    )
    g.members["b1_o2"] = make_member(b1, "b1_o2", capital=10_000_000)
    return g


@pytest.fixture
def gov(world) -> Gov:
    return build_gov(world)
