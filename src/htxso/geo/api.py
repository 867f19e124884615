from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core.api import route
from htxso.core.errors import not_found
from htxso.core.schemas import Text

from . import selectors
from .models import Province

router = Router(tags=["geo"])


class ProvinceOut(Schema):
    code: str
    name: str


class WardOut(Schema):
    code: str
    name: str
    province_code: str


class WardQuery(Schema):
    q: Text = Field("", max_length=100, description="Part of the name; accents optional")
    limit: int = Field(50, ge=1, le=500)


@route(
    router.get, "/provinces", public=True, response=list[ProvinceOut], summary="Provinces (2025)"
)
def provinces(request):
    return list(selectors.provinces().values("code", "name"))


@route(
    router.get,
    "/provinces/{code}/wards",
    public=True,
    response=list[WardOut],
    summary="Wards of a province, searchable without accents",
)
def wards(request, code: str, filters: Query[WardQuery]):
    if not Province.objects.filter(pk=code).exists():
        raise not_found(_("Unknown province code."), "province_unknown")
    qs = selectors.wards_of(code, filters.q)
    return [
        {"code": c, "name": n, "province_code": p}
        for c, n, p in qs.order_by("name").values_list("code", "name", "province_id")[
            : filters.limit
        ]
    ]
