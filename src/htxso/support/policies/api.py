"""API of the support-policy catalogue, mounted under /api/v1/support/policies/.

Published policies are public; the eligibility of an organisation answers to whoever may
see the organisation (404 otherwise).  Errors: ``not_found`` (404), ``validation_error``
(422, e.g. an id past 2^63).
"""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core.api import route
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Offset
from htxso.registry.models import Organisation

from . import selectors

router = Router(tags=["support policies"])


class PolicyCriterionOut(Schema):
    kind: str
    label: str
    params: dict


class PolicyOut(Schema):
    id: int
    name: str
    name_en: str
    level: str
    province_code: str | None
    legal_number: str
    legal_date: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    status: str
    sectors: list[str] = Field(description="Sectors named by a sector criterion; empty: all")
    apply_url: str


class PolicyDetailOut(PolicyOut):
    legal_title: str
    benefit: str
    eligible_text: str
    how_to_apply: str
    contact: str
    call_id: int | None
    criteria: list[PolicyCriterionOut]


class CriterionResultOut(Schema):
    label: str
    kind: str
    verdict: str = Field(description="pass | fail | no_data")
    reason: str
    missing: str = Field(description="What data is missing (no_data only)")


class MatchOut(Schema):
    policy_id: int
    policy: str
    verdict: str = Field(description="eligible | not_eligible | cannot_check")
    apply_url: str
    criteria: list[CriterionResultOut]


class EligibilityOut(Schema):
    organisation_id: int
    organisation: str
    province_code: str
    on: dt.date
    policies: list[MatchOut]


class PolicyListQuery(Schema):
    q: str = Field("", max_length=200)
    level: str = Field("", pattern=r"^(national|provincial)?$")
    province: str = Field("", max_length=10)
    sector: str = Field("", max_length=20)
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


def _policy(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "name_en": p.name_en,
        "level": p.level,
        "province_code": p.province_id,
        "legal_number": p.legal_number,
        "legal_date": p.legal_date,
        "valid_from": p.valid_from,
        "valid_until": p.valid_until,
        "status": p.status,
        "sectors": p.sectors,
        "apply_url": selectors.apply_url(p),
    }


@route(
    router.get,
    "/",
    public=True,
    response=list[PolicyOut],
    summary="Published support policies (search accent-free, filter by level/province/sector)",
)
def policy_list(request, filters: Query[PolicyListQuery]):
    qs = selectors.search(
        selectors.published(),
        q=filters.q,
        level=filters.level,
        province=filters.province,
        sector=filters.sector,
    ).order_by("-valid_until", "name", "pk")
    return [_policy(p) for p in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.get,
    "/{policy_id}",
    public=True,
    response=PolicyDetailOut,
    summary="One published policy with its criteria",
)
def policy_detail(request, policy_id: Id):
    p = selectors.published().filter(pk=policy_id).first()
    if p is None:
        raise Http404
    return {
        **_policy(p),
        "legal_title": p.legal_title,
        "benefit": p.benefit,
        "eligible_text": p.eligible_text,
        "how_to_apply": p.how_to_apply,
        "contact": p.contact,
        "call_id": p.call_id,
        "criteria": [
            {"kind": c.get("kind", ""), "label": c.get("label", ""), "params": c.get("params")}
            for c in p.criteria
            if isinstance(c, dict)
        ],
    }


@route(
    router.get,
    "/eligibility/{organisation_id}",
    authenticated=True,
    response=EligibilityOut,
    summary="The policies in force for an organisation, with the verdict of each criterion",
)
def eligibility(request, organisation_id: Id):
    org = get_allowed_or_404(Organisation, request.user, "view", pk=organisation_id)
    on = timezone.localdate()
    matches = selectors.policies_for(user=request.user, organisation=org, on=on)
    return {
        "organisation_id": org.pk,
        "organisation": org.name,
        "province_code": org.province_id,
        "on": on,
        "policies": [
            {
                "policy_id": m.policy.pk,
                "policy": m.policy.name,
                "verdict": m.verdict,
                "apply_url": m.apply_url,
                "criteria": [
                    {
                        "label": r.label,
                        "kind": r.kind,
                        "verdict": r.verdict,
                        "reason": r.reason,
                        "missing": r.missing,
                    }
                    for r in m.results
                ],
            }
            for m in matches
        ],
    }
