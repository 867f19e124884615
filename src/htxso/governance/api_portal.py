"""API of the portal part, mounted at ``/api/v1/governance``:

* ``GET /portal/me`` — my membership(s): capital, certificate, services used, my profit
  share, upcoming assemblies and open votes (a member);
* ``GET /portal/me/profit`` — my shares of the approved profit distributions;
* ``POST /portal/organisations/{org_id}/questions`` — ask the board a question;
* ``GET /portal/organisations/{org_id}/disclosures`` — the disclosures I may read
  (members: what is posted; the manager and staff: all);
* ``GET /disclosures/organisations/{org_id}/due`` — due, overdue and posted late (staff
  of the province and the manager);
* ``GET /disclosures/provinces/{code}/on-time`` — which cooperatives of a province post
  on time in a year (staff).
"""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from htxso.core import roles
from htxso.core.api import route
from htxso.core.policy import get_allowed_or_404, holds_at
from htxso.core.schemas import Id, Text
from htxso.registry.models import Organisation

from . import selectors_disclosures, selectors_portal, services_portal
from .models.disclosures import Disclosure
from .models.portal import DistributionStatus, ProfitShare

router = Router(tags=["governance"])

MAX_ROWS = 200


class ShareOut(Schema):
    year: int
    distribution_id: int
    services_used: int
    capital: int
    by_services: int
    by_capital: int
    total: int


class AssemblyRef(Schema):
    id: int
    title: str
    scheduled_at: dt.datetime
    mode: str
    status: str


class VoteRef(Schema):
    id: int
    title: str
    secret: bool


class PortalOut(Schema):
    membership_id: int
    organisation_id: int
    organisation: str
    kind: str
    joined_on: dt.date
    capital_paid: int
    capital_share_pct: Decimal | None
    certificate_number: str | None
    services_year: int | None
    services_used: int | None
    profit_share: ShareOut | None
    assemblies: list[AssemblyRef]
    open_votes: list[VoteRef]


class DisclosureOut(Schema):
    id: int
    kind: str
    title: str
    event_on: dt.date
    due_on: dt.date
    posted_on: dt.date | None
    keep_until: dt.date | None
    withdrawn_on: dt.date | None
    late: bool
    has_file: bool


class QuestionIn(Schema):
    #: required (the service refuses an empty question: 400 ``invalid``)
    text: Text = Field(default="", max_length=2000)


class QuestionOut(Schema):
    id: int
    text: str
    created_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class DueOut(Schema):
    organisation_id: int
    due: list[DisclosureOut]
    overdue: list[DisclosureOut]
    posted_late: list[DisclosureOut]


class OnTimeRowOut(Schema):
    organisation_id: int
    name: str
    due: int
    on_time: int
    late: int
    open: int
    share_pct: Decimal | None


class OnTimeOut(Schema):
    province: str
    year: int
    share_pct: Decimal | None
    organisations: list[OnTimeRowOut]


class YearQuery(Schema):
    year: int | None = Field(default=None, ge=2000, le=2100)


def _share(s: ProfitShare | None) -> dict | None:
    if s is None:
        return None
    return {
        "year": s.distribution.year,
        "distribution_id": s.distribution_id,
        "services_used": s.services_used,
        "capital": s.capital,
        "by_services": s.by_services,
        "by_capital": s.by_capital,
        "total": s.total,
    }


def _disclosure(d: Disclosure) -> dict:
    return {
        "id": d.pk,
        "kind": d.kind,
        "title": d.title,
        "event_on": d.event_on,
        "due_on": d.due_on,
        "posted_on": d.posted_on,
        "keep_until": d.keep_until,
        "withdrawn_on": d.withdrawn_on,
        "late": d.is_late,
        "has_file": bool(d.file),
    }


@route(
    router.get,
    "/portal/me",
    roles=roles.ORGANISATION_PEOPLE,
    response=list[PortalOut],
    summary="My membership in each cooperative: capital, services, profit, assemblies, votes",
)
def portal_me(request):
    out = []
    today = timezone.localdate()
    for m in selectors_portal.memberships_of(request.user):
        p = selectors_portal.portal(request.user, m, on=today)
        out.append(
            {
                "membership_id": m.pk,
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "kind": m.kind,
                "joined_on": m.joined_on,
                "capital_paid": p.position.paid if p.position else int(m.capital or 0),
                "capital_share_pct": p.position.share_pct if p.position else None,
                "certificate_number": p.certificate.number if p.certificate else None,
                "services_year": p.services_year,
                "services_used": p.services_used,
                "profit_share": _share(p.share),
                "assemblies": [
                    {
                        "id": a.pk,
                        "title": a.title,
                        "scheduled_at": a.scheduled_at,
                        "mode": a.mode,
                        "status": a.status,
                    }
                    for a in ([p.assembly] if p.assembly else [])
                ],
                "open_votes": [
                    {"id": r.pk, "title": r.title, "secret": r.secret} for r in p.open_votes
                ],
            }
        )
    return out


@route(
    router.get,
    "/portal/me/profit",
    roles=roles.ORGANISATION_PEOPLE,
    response=list[ShareOut],
    summary="My shares of the approved profit distributions",
)
def portal_my_profit(request):
    shares = (
        ProfitShare.objects.filter(
            membership__person__user=request.user,
            distribution__status=DistributionStatus.APPROVED,
        )
        .select_related("distribution")
        .order_by("-distribution__year", "id")[:MAX_ROWS]
    )
    return [_share(s) for s in shares]


@route(
    router.post,
    "/portal/organisations/{org_id}/questions",
    roles=roles.ORGANISATION_PEOPLE,
    response={201: QuestionOut},
    summary="Ask the board of my cooperative a question",
)
def portal_ask(request, org_id: Id, payload: QuestionIn):
    org = get_allowed_or_404(Organisation, request.user, "view", pk=org_id)
    membership = next(
        (m for m in selectors_portal.memberships_of(request.user) if m.organisation_id == org.pk),
        None,
    )
    if membership is None:
        raise Http404
    q = services_portal.question_ask(actor=request.user, membership=membership, text=payload.text)
    return Status(
        201,
        {
            "id": q.pk,
            "text": q.text,
            "created_at": q.created_at,
            "answer": q.answer,
            "answered_at": q.answered_at,
        },
    )


@route(
    router.get,
    "/portal/organisations/{org_id}/disclosures",
    roles=roles.STAFF_AND_ORGANISATIONS,
    response=list[DisclosureOut],
    summary="A cooperative's disclosures (members: what is posted)",
)
def portal_disclosures(request, org_id: Id):
    org = get_allowed_or_404(Organisation, request.user, "view", pk=org_id)
    sees_all = Disclosure.policy.allows_at(request.user, "change", organisation=org.pk) or holds_at(
        request.user, roles.STAFF, province=org.province_id
    )
    if sees_all:
        qs = Disclosure.policy.queryset(request.user, "view").filter(organisation=org)
    else:
        qs = selectors_disclosures.posted_for(request.user, org)
    return [_disclosure(d) for d in qs.order_by("-event_on", "-id")[:MAX_ROWS]]


@route(
    router.get,
    "/disclosures/organisations/{org_id}/due",
    roles=roles.READERS,
    response=DueOut,
    summary="Disclosures due, overdue and posted late (the manager and staff)",
)
def disclosures_due(request, org_id: Id):
    org = get_allowed_or_404(Organisation, request.user, "view", pk=org_id)
    if not holds_at(request.user, roles.READERS, province=org.province_id, organisation=org.pk):
        raise Http404
    due = selectors_disclosures.due_and_late(org)
    return {
        "organisation_id": org.pk,
        "due": [_disclosure(d) for d in due.due],
        "overdue": [_disclosure(d) for d in due.overdue],
        "posted_late": [_disclosure(d) for d in due.posted_late],
    }


@route(
    router.get,
    "/disclosures/provinces/{code}/on-time",
    roles=roles.STAFF,
    response=OnTimeOut,
    summary="Which cooperatives of a province post their disclosures on time in a year",
)
def disclosures_on_time(request, code: str, query: Query[YearQuery]):
    code = code[:2]
    if not holds_at(request.user, roles.STAFF, province=code):
        raise Http404
    year = query.year or timezone.localdate().year
    table = selectors_disclosures.on_time_table(code, year)
    return {
        "province": code,
        "year": year,
        "share_pct": selectors_disclosures.on_time_share(code, year),
        "organisations": [
            {
                "organisation_id": r.organisation_id,
                "name": r.name,
                "due": r.due,
                "on_time": r.on_time,
                "late": r.late,
                "open": r.open,
                "share_pct": r.share,
            }
            for r in table
        ],
    }
