"""API of the exports part (mounted under ``/api/v1/indicators``): a framework's cached
values for a period as JSON, as a DHIS2 ``dataValueSets`` document, as CSV or Excel.

The caller must be staff (a session or an API token); the framework must be one the
caller may see (else 404).  Errors are JSON with a stable ``code`` (see ``exports.py``
and ``docs/api/dhis2.md``); a refused export sends nothing else.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, route

from . import exports
from .views_exports import file_response

router = Router(tags=["indicators"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
BASE = "/exports/frameworks/{code}/{period}"


class ExportQuery(Schema):
    province: str = Field(
        "",
        max_length=2,
        pattern=r"^(\d{2})?$",
        description="A province's code (`04`): that province's values of a national "
        "framework. Empty: the framework's whole scope (the country, or the province of "
        "a province's framework).",
    )
    indicators: str = Field(
        "",
        max_length=2000,
        description="Comma-separated indicator codes to export (default: all of the framework's)",
    )

    def codes(self) -> list[str]:
        return [c.strip() for c in self.indicators.split(",") if c.strip()]


class Dhis2Query(ExportQuery):
    data_set: str = Field(
        "",
        max_length=50,
        pattern=r"^([A-Za-z0-9][A-Za-z0-9_.\-]{0,49})?$",
        description="The DHIS2 data set code to put in `dataSet` (optional)",
    )


class ValueOut(Schema):
    indicator: str = Field(description="The indicator's code in the framework")
    dhis2_code: str = Field(description="Its DHIS2 data element code (empty: none)")
    unit: str = Field(description="`count`, `percent`, `vnd` or `people`")
    cell: str = Field(description="`` = total; else `key=value|key=value`")
    disaggregation: dict[str, str]
    value: str | None = Field(description="The value as text; null = no data (never 0)")
    numerator: str | None
    denominator: str | None
    note: str = Field(description="Why there is no value (`no_data`, `suppressed`…)")
    computed_at: str


class ExportValuesOut(Schema):
    framework: str
    period: str
    province: str | None = Field(description="The province of the values (null: the country)")
    org_unit: str = Field(description="The DHIS2 org unit code of the values")
    values: list[ValueOut]


def _scope(request: HttpRequest, code: str, period: str, query: ExportQuery):
    return exports.resolve(
        user=request.user,
        framework=code,
        period=period,
        province=query.province,
        indicators=query.codes(),
    )


@route(
    router.get,
    f"{BASE}/values",
    roles=roles.STAFF,
    response={200: ExportValuesOut, **ERRORS},
    summary="A framework's indicator values for a period",
    description="The cached values the dashboard shows: every indicator and disaggregation "
    "cell, numbers as text, null for no data. Errors: `not_found`, `period_invalid`, "
    "`province_unknown`, `province_outside_framework`, `indicator_unknown`, `no_values`.",
)
def values(request: HttpRequest, code: str, period: str, query: Query[ExportQuery]):
    return exports.values_payload(_scope(request, code, period, query))


@route(
    router.get,
    f"{BASE}/dhis2",
    roles=roles.STAFF,
    response={200: dict[str, Any], **ERRORS},
    summary="A framework's values as a DHIS2 dataValueSets document",
    description="JSON for DHIS2's `POST /api/dataValueSets`, CODE identifier scheme, "
    "validated against the format before it is sent (see docs/api/dhis2.md for the "
    "org unit and category option combo codes). No data is left out, never sent as 0. "
    "Errors: those of `values`, and `dhis2_no_code` (indicators without a DHIS2 code, "
    "named in `details.indicators`), `dhis2_no_data`, `dhis2_conflict`, `dhis2_bad_code`, "
    "`dhis2_bad_cell`, `dhis2_unknown_disaggregation`, `dhis2_invalid`.",
)
def dhis2_export(request: HttpRequest, code: str, period: str, query: Query[Dhis2Query]):
    return exports.dhis2_document(_scope(request, code, period, query), data_set=query.data_set)


@route(
    router.get,
    f"{BASE}/csv",
    roles=roles.STAFF,
    response={200: None, **ERRORS},
    summary="A framework's values as CSV (UTF-8 with BOM)",
    description="The rows of `values` as a CSV file for Excel; same errors.",
)
def csv_export(request: HttpRequest, code: str, period: str, query: Query[ExportQuery]):
    scope = _scope(request, code, period, query)
    response: HttpResponse = file_response(scope, "csv")
    return response


@route(
    router.get,
    f"{BASE}/xlsx",
    roles=roles.STAFF,
    response={200: None, **ERRORS},
    summary="A framework's values as an Excel workbook",
    description="The rows of `values` as an .xlsx file; same errors.",
)
def xlsx_export(request: HttpRequest, code: str, period: str, query: Query[ExportQuery]):
    scope = _scope(request, code, period, query)
    response: HttpResponse = file_response(scope, "xlsx")
    return response
