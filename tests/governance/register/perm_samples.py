"""Permission-test samples of the capital register (read by tests/permissions/samples.py).

member_a1 is an official member of a1 (Cao Bằng; the Person linked to the account is
reused when another part made it first) with one payment (movement no. 1 of a1) and a
capital certificate; the URL samples are a1, that movement, member_a1's membership and
certificate.
"""

from __future__ import annotations

import datetime as dt


def _member(w):
    from htxso.registry.models import Membership, Person

    user, org = w.users["member_a1"], w.orgs["a1"]
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            organisation=org, full_name="Thành viên member_a1", user=user
        )
    m = Membership.objects.filter(organisation=org, person=person, left_on__isnull=True).first()
    return m or Membership.objects.create(
        organisation=org, person=person, kind="official", joined_on=dt.date(2020, 1, 1)
    )


def _movement(w):
    from htxso.core.actors import OPERATOR
    from htxso.governance import services_register
    from htxso.governance.models import CapitalMovement

    m = _member(w)
    found = CapitalMovement.objects.filter(membership=m, kind="payment").first()
    return found or services_register.record_movement(
        actor=OPERATOR, membership=m, kind="payment", amount=1_000, on=dt.date(2024, 8, 1)
    )


def _certificate(w):
    from htxso.core.actors import OPERATOR
    from htxso.governance import services_register
    from htxso.governance.models import CapitalCertificate

    m = _member(w)
    _movement(w)
    m.refresh_from_db()
    found = CapitalCertificate.objects.filter(membership=m).first()
    return found or services_register.issue_certificate(
        actor=OPERATOR, membership=m, number="MAU-1/GCNGV", issued_on=dt.date(2024, 8, 2)
    )


def WORLD(w):
    _certificate(w)


SAMPLES = {
    "governance:register": lambda w: ({"org_pk": w.orgs["a1"].pk}, None),
    "governance:movement_new": lambda w: ({"org_pk": w.orgs["a1"].pk}, None),
    "governance:movement_reverse": lambda w: ({"pk": _movement(w).pk}, None),
    "governance:member_capital": lambda w: ({"pk": _member(w).pk}, None),
    "governance:certificate_new": lambda w: ({"pk": _member(w).pk}, None),
    "governance:foreign_mark": lambda w: ({"pk": _member(w).pk}, None),
    "governance:certificate_pdf": lambda w: ({"pk": _certificate(w).pk}, None),
    "governance:certificate_verify": lambda w: ({"token": _certificate(w).token}, None),
}

API_SAMPLES = {
    "/api/v1/governance/register/organisations/{org_id}": lambda w: {"org_id": w.orgs["a1"].pk},
    "/api/v1/governance/register/certificates/{token}/verify": lambda w: {
        "token": _certificate(w).token
    },
}
