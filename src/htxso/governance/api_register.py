"""API of the register part, mounted at ``/api/v1/governance``:

* ``GET /register/me`` — my capital in each cooperative I am a member of (a member);
* ``GET /register/organisations/{org_id}`` — the capital register of a cooperative
  (staff of the province and the manager read: holders, movements, limits broken);
* ``GET /register/certificates/{token}/verify`` — public: is a certificate current.
"""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema

from htxso.core import roles
from htxso.core.api import route
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id
from htxso.registry.models import Membership, Organisation

from . import checks_register, selectors_register
from .models.register import CapitalCertificate, CapitalMovement

router = Router(tags=["governance"])

MAX_MOVEMENTS = 500


class CapitalCertificateOut(Schema):
    id: int
    number: str
    issued_on: dt.date
    amount: int
    current: bool
    pdf_url: str


class MyCapitalOut(Schema):
    membership_id: int
    organisation_id: int
    organisation: str
    kind: str
    paid: int
    pledged_unpaid: int
    overdue: int
    share_pct: Decimal | None
    certificates: list[CapitalCertificateOut]


class HolderOut(Schema):
    membership_id: int
    name: str
    kind: str
    paid: int
    share_pct: Decimal | None


class MovementOut(Schema):
    number: int
    membership_id: int
    kind: str
    asset_kind: str
    amount: int
    on: dt.date
    due_on: dt.date | None
    reverses: int | None


class FindingOut(Schema):
    code: str
    message: str
    article: str
    share_pct: Decimal | None
    limit_pct: Decimal


class RegisterOut(Schema):
    organisation_id: int
    base: int
    holders: list[HolderOut]
    movements: list[MovementOut]
    over_limits: list[FindingOut]


class CapitalCertificateCheckOut(Schema):
    organisation: str
    number: str
    issued_on: dt.date
    current: bool


def _cert(c: CapitalCertificate) -> dict:
    from django.urls import reverse

    return {
        "id": c.pk,
        "number": c.number,
        "issued_on": c.issued_on,
        "amount": c.amount,
        "current": c.is_current,
        "pdf_url": reverse("governance:certificate_pdf", args=[c.pk]),
    }


@route(
    router.get,
    "/register/me",
    roles=roles.ORGANISATION_PEOPLE,
    response=list[MyCapitalOut],
    summary="My capital in each cooperative I am an active member of",
)
def my_capital(request):
    out = []
    for m in (
        Membership.objects.filter(person__user=request.user, left_on__isnull=True)
        .select_related("organisation")
        .order_by("pk")
    ):
        p = selectors_register.capital_position(m)
        out.append(
            {
                "membership_id": m.pk,
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "kind": m.kind,
                "paid": p.paid,
                "pledged_unpaid": p.pledged_unpaid,
                "overdue": p.overdue,
                "share_pct": p.share_pct,
                "certificates": [_cert(c) for c in selectors_register.certificates(m)],
            }
        )
    return out


@route(
    router.get,
    "/register/organisations/{org_id}",
    roles=roles.READERS,
    response=RegisterOut,
    summary="A cooperative's capital register (404 when missing or not yours)",
)
def register(request, org_id: Id):
    org = get_allowed_or_404(Organisation, request.user, "view", pk=org_id)
    if not CapitalMovement.policy.allows_at(
        request.user, "view", province=org.province_id, organisation=org.pk
    ):
        raise Http404
    moves = CapitalMovement.objects.filter(organisation=org).order_by("number")[:MAX_MOVEMENTS]
    return {
        "organisation_id": org.pk,
        "base": selectors_register.capital_base(org),
        "holders": [h.__dict__ for h in selectors_register.capital_holders(org)],
        "movements": [
            {
                "number": m.number,
                "membership_id": m.membership_id,
                "kind": m.kind,
                "asset_kind": m.asset_kind,
                "amount": m.amount,
                "on": m.on,
                "due_on": m.due_on,
                "reverses": m.reverses_id,
            }
            for m in moves
        ],
        "over_limits": [
            {
                "code": f.code,
                "message": f.message,
                "article": f.article,
                "share_pct": f.share,
                "limit_pct": f.limit,
            }
            for f in checks_register.organisation_findings(org)
        ],
    }


@route(
    router.get,
    "/register/certificates/{token}/verify",
    public=True,
    response=CapitalCertificateCheckOut,
    summary="Whether a capital certificate is current (no amount, no personal data)",
)
def verify(request, token: str):
    cert = (
        CapitalCertificate.objects.select_related("organisation").filter(token=token[:40]).first()
    )
    if cert is None:
        raise Http404
    return {
        "organisation": cert.organisation.name,
        "number": cert.number,
        "issued_on": cert.issued_on,
        "current": cert.is_current,
    }
