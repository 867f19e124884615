"""Exports read the dashboard's cache rows: DHIS2 JSON, CSV, XLSX, and their refusals."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from htxso.core.errors import ServiceError
from htxso.indicators import compute, dhis2, exports

from .helpers import EU_2025S1, framework, put

pytestmark = pytest.mark.django_db


@pytest.fixture
def eu(world):
    fw = framework()
    put(fw, "2025S1", EU_2025S1)
    put(fw, "2025S1", {"youth-trained": {"": 40, "sex=female": 22}}, province="04")
    return fw


def _doc(user, fw, period="2025S1", province=""):
    scope = exports.resolve(user=user, framework=fw.code, period=period, province=province)
    return exports.dhis2_document(scope)


def test_dhis2_values_equal_the_cache_the_dashboard_reads(world, eu):
    doc = _doc(world.users["viewer_b"], eu)
    assert dhis2.validate(doc) == []
    got = {
        (v["dataElement"], v["orgUnit"], v["categoryOptionCombo"]): v["value"]
        for v in doc["dataValues"]
    }
    # the dashboard's numbers: the same cache rows, through the same mapping
    expected = {}
    indicators = {i.pk: i for i in eu.indicators.all()}
    for (indicator_id, cell), row in compute.values(eu, period="2025S1").items():
        if row.value is None:
            continue
        place, combo = dhis2.split_cell(cell, "VN")
        expected[(indicators[indicator_id].dhis2_code, place, combo)] = dhis2.format_value(
            row.value
        )
    assert got == expected
    assert got[("HTX_YOUTH_TRAINED", "VN", "default")] == "600"
    assert got[("HTX_YOUTH_TRAINED", "VN", "SEX_F__AGE_15_24")] == "120"
    assert ("HTX_YOUTH_TRAINED", "VN", "SEX_M__AGE_15_24") not in got, "no data is left out"
    assert got[("HTX_SHARE_GOOD", "VN", "default")] == "62.5"
    assert got[("HTX_COOPS_DX_PLAN", "04", "default")] == "12"
    assert doc["orgUnit"] == "VN" and doc["period"] == "2025S1"


def test_one_province_of_a_national_framework(world, eu):
    doc = _doc(world.users["officer_a"], eu, province="04")
    assert doc["orgUnit"] == "04"
    assert {(v["categoryOptionCombo"], v["value"]) for v in doc["dataValues"]} == {
        ("default", "40"),
        ("SEX_F", "22"),
    }


def test_a_provinces_framework_uses_its_province_as_org_unit(world):
    fw = framework("cb-2030", province="04")
    put(fw, "2025", {"share-good": {"": 55}, "youth-trained": {"": 9}, "coops-dx-plan": {}})
    scope = exports.resolve(user=world.users["officer_a"], framework=fw.code, period="2025")
    assert scope.org_unit == "04"
    assert exports.dhis2_document(scope)["orgUnit"] == "04"
    # asking for its own province is the same; another province is refused
    same = exports.resolve(
        user=world.users["officer_a"], framework=fw.code, period="2025", province="04"
    )
    assert same.province is None
    with pytest.raises(ServiceError) as err:
        exports.resolve(user=world.users["vca"], framework=fw.code, period="2025", province="66")
    assert err.value.code == "province_outside_framework"


def test_another_provinces_framework_is_not_found(world):
    fw = framework("cb-2030", province="04")
    put(fw, "2025", {"share-good": {"": 55}})
    for key in ("officer_b", "viewer_b", "manager_a1", "buyer"):
        with pytest.raises(ServiceError) as err:
            exports.resolve(user=world.users[key], framework=fw.code, period="2025")
        assert err.value.code == "not_found"


@pytest.mark.parametrize(
    "period, province, code",
    [
        ("2025S3", "", "period_invalid"),
        ("25", "", "period_invalid"),
        ("<script>", "", "period_invalid"),
        ("1999", "", "period_invalid"),
        ("2025", "99", "province_unknown"),
        ("2025", "0" * 300, "province_unknown"),
    ],
)
def test_bad_requests(world, eu, period, province, code):
    with pytest.raises(ServiceError) as err:
        exports.resolve(
            user=world.users["vca"], framework=eu.code, period=period, province=province
        )
    assert err.value.code == code


def test_a_period_never_computed_and_a_period_with_no_data(world, eu):
    scope = exports.resolve(user=world.users["vca"], framework=eu.code, period="2024")
    with pytest.raises(ServiceError) as err:
        exports.dhis2_document(scope)
    assert err.value.code == "no_values"
    with pytest.raises(ServiceError):
        exports.csv_bytes(scope)
    put(eu, "2024", {"youth-trained": {"": None, "sex=female": None}, "share-good": {"": None}})
    with pytest.raises(ServiceError) as err:
        exports.dhis2_document(scope)
    assert err.value.code == "dhis2_no_data"
    # the table still says "no data" row by row
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(scope).decode("utf-8-sig"))))
    assert len(rows) == 4 and all(r[8] == "" for r in rows[1:])


def test_an_indicator_without_a_dhis2_code_refuses_the_whole_document(world, eu):
    eu.indicators.filter(code="share-good").update(dhis2_code="")
    scope = exports.resolve(user=world.users["vca"], framework=eu.code, period="2025S1")
    with pytest.raises(ServiceError) as err:
        exports.dhis2_document(scope)
    assert err.value.code == "dhis2_no_code"
    assert err.value.details == {"indicators": ["share-good"]}
    # the others can still be exported by name
    scope = exports.resolve(
        user=world.users["vca"],
        framework=eu.code,
        period="2025S1",
        indicators=["youth-trained", "coops-dx-plan"],
    )
    doc = exports.dhis2_document(scope)
    assert {v["dataElement"] for v in doc["dataValues"]} == {
        "HTX_YOUTH_TRAINED",
        "HTX_COOPS_DX_PLAN",
    }
    with pytest.raises(ServiceError) as err:
        exports.resolve(
            user=world.users["vca"], framework=eu.code, period="2025S1", indicators=["nope"]
        )
    assert err.value.code == "indicator_unknown"


def test_csv_has_a_bom_the_same_numbers_and_inert_formulas(world, eu):
    eu.indicators.filter(code="share-good").update(name='=HYPERLINK("http://x")')
    scope = exports.resolve(user=world.users["vca"], framework=eu.code, period="2025S1")
    data = exports.csv_bytes(scope)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(body) == sum(len(c) for c in EU_2025S1.values())
    by = {(r[0], r[6]): r for r in body}
    assert header[0] == "Mã chỉ số"
    share = next(r for r in body if r[0] == "share-good")
    assert share[1].startswith("'=") and share[8] == "62.5"
    total = next(r for r in body if r[0] == "youth-trained" and r[7] == "default")
    assert total[8] == "600"
    missing = next(r for r in body if r[7] == "SEX_M__AGE_15_24")
    assert missing[8] == "" and missing[9]
    assert by  # every row has its disaggregation label


def test_xlsx_reopens_with_the_same_numbers(world, eu):
    scope = exports.resolve(user=world.users["vca"], framework=eu.code, period="2025S1")
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(scope)))
    ws = book.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == eu.name
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Mã chỉ số")
    body = [r for r in rows[header_at + 1 :] if r[0]]
    values = {(r[0], r[5], r[7]): r[8] for r in body}
    assert values[("youth-trained", "VN", "default")] == 600
    assert values[("share-good", "VN", "default")] == pytest.approx(62.5)
    assert values[("youth-trained", "VN", "SEX_M__AGE_15_24")] is None
    assert values[("coops-dx-plan", "VN", "default")] == 37
    assert values[("coops-dx-plan", "04", "default")] == 12
    # every number of the workbook is the dashboard's cache row
    codes = {i.pk: i.code for i in eu.indicators.all()}
    cached = {
        (codes[iid], *dhis2.split_cell(cell, "VN")): row.value
        for (iid, cell), row in compute.values(eu, period="2025S1").items()
    }
    assert set(values) == set(cached)
    for key, value in values.items():
        expected = cached[key]
        assert (value is None and expected is None) or Decimal(str(value)) == expected, key


def test_values_payload(world, eu):
    scope = exports.resolve(user=world.users["vca"], framework=eu.code, period="2025S1")
    body = exports.values_payload(scope)
    assert body["framework"] == eu.code and body["org_unit"] == "VN"
    first = body["values"][0]
    assert first["indicator"] == "youth-trained" and first["cell"] == ""
    assert first["value"] == "600"
    empty = next(v for v in body["values"] if v["cell"] == "sex=male|age_band=15_24")
    assert empty["value"] is None and empty["note"] == "no_data"
