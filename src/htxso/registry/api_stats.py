import datetime as dt

from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, route

from . import stats

router = Router(tags=["registry"])


class StatisticsQuery(Schema):
    province: str = Field(
        "", pattern=r"^(\d{2})?$", description="Province code; empty: everything you may see"
    )
    year: int | None = Field(
        None, ge=1990, le=2100, description="Year of the annual reports; empty: the latest"
    )


class TargetOut(Schema):
    value: float
    comparison: str
    year: int
    source: str
    reference: bool


class IndicatorOut(Schema):
    code: str
    label: str
    unit: str = Field(description="count, percent or vnd")
    actual: float | None
    target: TargetOut | None
    gap: float | None = Field(description="actual − target (percentage points for shares)")
    status: str = Field(description="met, not_met, no_data or no_target")


class KindCountOut(Schema):
    kind: str
    total: int
    by_status: dict[str, int]


class ProvinceStatisticsOut(Schema):
    code: str
    name: str
    indicators: dict[str, float | None]


class StatisticsOut(Schema):
    province_code: str | None
    province: str | None
    year: int
    years: list[int]
    as_of: dt.date
    reports: int
    organisations: list[KindCountOut]
    indicators: list[IndicatorOut]
    ocop_by_stars: dict[str, int]
    grades: dict[str, int]
    provinces: list[ProvinceStatisticsOut]


def _indicator(r) -> dict:
    return {
        "code": r.code,
        "label": str(r.label),
        "unit": r.unit,
        "actual": None if r.actual is None else float(r.actual),
        "target": None
        if r.target is None
        else {
            "value": float(r.target.value),
            "comparison": r.target.comparison,
            "year": r.target.year,
            "source": r.target.source,
            "reference": r.target.reference,
        },
        "gap": None if r.gap is None else float(r.gap),
        "status": r.status,
    }


@route(
    router.get,
    "/statistics",
    roles=roles.STAFF,
    response={200: StatisticsOut, 404: ErrorOut},
    summary="Indicators with targets: one province, or everything the caller may see",
)
def statistics(request, filters: Query[StatisticsQuery]):
    board = stats.dashboard(user=request.user, province=filters.province or None, year=filters.year)
    statuses = [s.value for s in stats.STATUS_ORDER]
    return {
        "province_code": board.province_code,
        "province": board.province_name,
        "year": board.year,
        "years": board.years,
        "as_of": board.as_of,
        "reports": board.figures.reports,
        "organisations": [
            {
                "kind": row["kind"].value,
                "total": row["total"],
                "by_status": dict(zip(statuses, row["counts"], strict=True)),
            }
            for row in board.by_kind_and_status
        ],
        "indicators": [_indicator(r) for r in board.indicators],
        "ocop_by_stars": {str(stars): n for stars, n in board.ocop_by_stars},
        "grades": {code: n for code, _label, n in board.grades},
        "provinces": [
            {
                "code": p.code,
                "name": p.name,
                "indicators": {k: None if v is None else float(v) for k, v in p.values.items()},
            }
            for p in board.provinces
        ],
    }
