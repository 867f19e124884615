import datetime as dt

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import route
from htxso.core.schemas import Id, Offset, Text

from . import selectors, sync_feed

router = Router(tags=["registry"])


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    tax_code: str | None
    province_code: str
    province: str
    ward_code: str | None
    ward: str | None
    status: str
    sector: str = ""
    established_on: dt.date | None = None
    high_tech: bool = False
    grade: str | None = Field(None, description="Grade of the latest published classification")
    youth_share: float | None = Field(
        None, description="Percent of workers under 35 in the latest annual report sent"
    )
    has_ocop: bool = Field(False, description="Has an OCOP product valid today")
    in_value_chain: bool = Field(False, description="Has a value-chain link active today")


class OcopOut(Schema):
    name: str
    stars: int
    level: str
    certified_on: dt.date
    expires_on: dt.date
    expired: bool
    expires_soon: bool


class ValueChainOut(Schema):
    product: str
    role: str
    started_on: dt.date
    ended_on: dt.date | None


class WarningOut(Schema):
    code: str
    message: str
    law: str


class OrganisationDetailOut(OrganisationOut):
    address: str = ""
    main_products: str = ""
    description: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    charter_capital: int | None = None
    members_official: int = 0
    members_capital_associate: int = 0
    members_service_associate: int = 0
    workers: int = 0
    workers_youth: int = 0
    workers_youth_share: float | None = Field(
        None, description="Percent of current workers under 35 (worker register)"
    )
    ocop_products: list[OcopOut] = []
    value_chain_links: list[ValueChainOut] = []
    warnings: list[WarningOut] = Field(
        [], description="Legal-check warnings (empty on public endpoints)"
    )


class OrganisationQuery(Schema):
    q: Text = Field("", max_length=200, description="Name or tax code; accents optional")
    province: str = Field("", max_length=2, pattern=r"^(\d{2})?$")
    ward: str = Field("", max_length=5, pattern=r"^(\d{1,5})?$")
    kind: str = Field("", pattern=r"^(group|cooperative|union)?$")
    sector: str = Field("", max_length=20, pattern=r"^[a-z_]*$")
    status: str = Field("", pattern=r"^(active|suspended|dissolving|dissolved)?$")
    grade: str = Field("", pattern=r"^(good|fair|average|weak|not_graded)?$")
    ocop: bool = Field(False, description="Only organisations with a valid OCOP product")
    value_chain: bool = Field(False, description="Only organisations in an active value chain")
    high_tech: bool = Field(False, description="Only organisations applying high technology")
    youth_min: int | None = Field(
        None, ge=1, le=100, description="Youth share of the latest annual report, at least (%)"
    )
    limit: int = Field(50, ge=1, le=500)
    offset: Offset = 0

    def filters(self) -> selectors.OrganisationFilters:
        from .models import Sector

        return selectors.OrganisationFilters(
            q=self.q,
            province=self.province,
            ward=self.ward,
            kind=self.kind,
            sector=self.sector if self.sector in Sector.values else "",
            status=self.status,
            grade=self.grade,
            ocop=self.ocop,
            value_chain=self.value_chain,
            high_tech=self.high_tech,
            youth_min=self.youth_min,
        )


def _out(o) -> dict:
    pct = getattr(o, "youth_pct", None)
    return {
        "id": o.pk,
        "kind": o.kind,
        "name": o.name,
        "tax_code": o.tax_code,
        "province_code": o.province_id,
        "province": o.province.name,
        "ward_code": o.ward_id,
        "ward": o.ward.name if o.ward_id else None,
        "status": o.status,
        "sector": o.sector,
        "established_on": o.established_on,
        "high_tech": o.high_tech,
        "grade": getattr(o, "latest_grade", None) or None,
        "youth_share": round(pct, 1) if pct is not None else None,
        "has_ocop": bool(getattr(o, "has_ocop", False)),
        "in_value_chain": bool(getattr(o, "in_value_chain", False)),
    }


def _public_token(request) -> bool:
    """Did the request come with an API token whose field scope is ``public`` (issue 19)?
    Such a token reads no contact fields here either, whatever its user's role."""
    token = getattr(request.user, "htxso_api_token", None)
    return token is not None and token.scope == sync_feed.PUBLIC


def _detail(o, *, public: bool, contacts: bool = True) -> dict:
    day = selectors.today()
    data = _out(o)
    data.update(
        address=o.address if contacts else "",
        main_products=o.main_products,
        description=o.description,
        phone=o.phone if contacts else "",
        email=o.email if contacts else "",
        website=o.website,
        charter_capital=o.charter_capital,
        members_official=o.f_official_members,
        members_capital_associate=o.m_capital_associates,
        members_service_associate=o.m_service_associates,
        workers=o.w_total,
        workers_youth=o.w_youth,
        workers_youth_share=round(o.w_youth * 100 / o.w_total, 1) if o.w_total else None,
        ocop_products=[
            {
                "name": p.name,
                "stars": p.stars,
                "level": p.level,
                "certified_on": p.certified_on,
                "expires_on": p.expires_on,
                "expired": p.expires_on <= day,
                "expires_soon": p.expires_soon(day),
            }
            for p in o.ocop_products.all()
        ],
        value_chain_links=[
            {
                "product": v.product,
                "role": v.role,
                "started_on": v.started_on,
                "ended_on": v.ended_on,
            }
            for v in o.value_chain_links.all()
        ],
        warnings=[]
        if public
        else [
            {"code": w.code, "message": str(w.message), "law": w.law}
            for w in selectors.warnings_for(o, day)
        ],
    )
    return data


@route(
    router.get,
    "/organisations",
    roles=roles.STAFF_AND_ORGANISATIONS,
    response=list[OrganisationOut],
    summary="Organisations the caller may see, with the filters of the list page",
)
def organisation_list(request, filters: Query[OrganisationQuery]):
    qs = selectors.organisation_list(user=request.user, filters=filters.filters())
    page = selectors.figures_for(qs[filters.offset : filters.offset + filters.limit])
    return [_out(o) for o in page]


@route(
    router.get,
    "/organisations/by-tax-code/{tax_code}",
    roles=roles.STAFF_AND_ORGANISATIONS,
    response=OrganisationDetailOut,
    summary="One organisation by tax code (404 when missing or not yours)",
)
def organisation_by_tax_code(request, tax_code: str):
    if len(tax_code) > 14:
        raise Http404
    org = selectors.organisation_by_tax_code(user=request.user, tax_code=tax_code)
    return _detail(
        selectors.organisation_get_detailed(user=request.user, pk=org.pk),
        public=False,
        contacts=not _public_token(request),
    )


@route(
    router.get,
    "/organisations/{org_id}",
    roles=roles.STAFF_AND_ORGANISATIONS,
    response=OrganisationDetailOut,
    summary="One organisation (404 when missing or not yours)",
)
def organisation_detail(request, org_id: Id):
    return _detail(
        selectors.organisation_get_detailed(user=request.user, pk=org_id),
        public=False,
        contacts=not _public_token(request),
    )


@route(
    router.get,
    "/directory",
    public=True,
    response=list[OrganisationOut],
    summary="Public directory: every organisation, public fields only",
)
def directory_list(request, filters: Query[OrganisationQuery]):
    qs = selectors.public_directory(filters=filters.filters())
    page = selectors.figures_for(qs[filters.offset : filters.offset + filters.limit])
    return [_out(o) for o in page]


@route(
    router.get,
    "/directory/{key}",
    public=True,
    response=OrganisationDetailOut,
    summary="Public profile by tax code or id: public fields and counts, no personal data",
)
def directory_profile(request, key: str):
    return _detail(selectors.organisation_public_get(key=key), public=True)
