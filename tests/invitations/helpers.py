"""Register rows for invitation tests."""

from __future__ import annotations

import datetime as dt

from htxso.registry.models import Membership, Person

PHONES = ["0912345601", "0912345602", "0912345603", "0912345604", "0912345605"]


def member(org, name: str, phone: str = "", capital: int = 0, cert: str = "") -> Person:
    person = Person.objects.create(organisation=org, full_name=name, phone=phone)
    Membership.objects.create(
        organisation=org,
        person=person,
        kind="official",
        joined_on=dt.date(2020, 1, 15),
        capital=capital,
        capital_certificate_no=cert,
    )
    return person
