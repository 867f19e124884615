from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core.api import route
from htxso.core.schemas import Text

from . import selectors

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


class OrganisationQuery(Schema):
    q: Text = Field("", max_length=200, description="Name or tax code; accents optional")
    province: str = Field("", max_length=2, pattern=r"^(\d{2})?$")
    kind: str = Field("", pattern=r"^(group|cooperative|union)?$")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def _out(o) -> dict:
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
    }


@route(
    router.get,
    "/organisations",
    authenticated=True,
    response=list[OrganisationOut],
    summary="Organisations the caller may see",
)
def organisation_list(request, filters: Query[OrganisationQuery]):
    qs = selectors.organisation_list(
        user=request.user, q=filters.q, province=filters.province, kind=filters.kind
    )
    return [_out(o) for o in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.get,
    "/organisations/{org_id}",
    authenticated=True,
    response=OrganisationOut,
    summary="One organisation (404 when missing or not yours)",
)
def organisation_detail(request, org_id: int):
    return _out(selectors.organisation_get(user=request.user, pk=org_id))
