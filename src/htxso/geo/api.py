
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core.api import ApiError, route
from htxso.core.text import fold

from .models import Province, Ward

router = Router(tags=["geo"])


class ProvinceOut(Schema):
    code: str
    name: str


class WardOut(Schema):
    code: str
    name: str
    province_code: str


class WardQuery(Schema):
    q: str = Field("", max_length=100, description="Part of the name; accents optional")
    limit: int = Field(50, ge=1, le=500)


@route(
    router.get, "/provinces", public=True, response=list[ProvinceOut], summary="Provinces (2025)"
)
def provinces(request):
    return list(Province.objects.order_by("code").values("code", "name"))


@route(
    router.get,
    "/provinces/{code}/wards",
    public=True,
    response=list[WardOut],
    summary="Wards of a province, searchable without accents",
)
def wards(request, code: str, filters: Query[WardQuery]):
    if not Province.objects.filter(pk=code).exists():
        raise ApiError("province_unknown", "Unknown province code.", status=404)
    qs = Ward.objects.filter(province_id=code)
    folded = fold(filters.q)
    if folded:
        qs = qs.filter(search_text__contains=folded)
    return [
        {"code": c, "name": n, "province_code": p}
        for c, n, p in qs.order_by("name").values_list("code", "name", "province_id")[
            : filters.limit
        ]
    ]
