"""The exports API: staff only, the policy's scope, stable error codes, files."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from htxso.indicators import dhis2

from .helpers import EU_2025S1, framework, put

pytestmark = pytest.mark.django_db

BASE = "/api/v1/indicators/exports/frameworks"


@pytest.fixture
def eu(world):
    fw = framework()
    put(fw, "2025S1", EU_2025S1)
    return fw


@pytest.fixture
def cb(world):
    fw = framework("cb-2030", province="04")
    put(fw, "2025", {"share-good": {"": 55}, "youth-trained": {"": 9}, "coops-dx-plan": {"": 3}})
    return fw


def _client(world, key):
    client = Client()
    if key != "anon":
        client.force_login(world.users[key])
    return client


def test_dhis2_document_validates_and_is_json(world, eu):
    response = _client(world, "viewer_a").get(f"{BASE}/{eu.code}/2025S1/dhis2?data_set=HTX_EU")
    assert response.status_code == 200, response.content
    doc = response.json()
    assert dhis2.validate(doc) == []
    assert doc["dataSet"] == "HTX_EU" and doc["orgUnit"] == "VN"


def test_values_api(world, eu):
    response = _client(world, "officer_b").get(f"{BASE}/{eu.code}/2025S1/values?province=")
    assert response.status_code == 200
    body = response.json()
    assert body["org_unit"] == "VN" and body["province"] is None
    assert {v["indicator"] for v in body["values"]} == set(EU_2025S1)
    only = _client(world, "vca").get(f"{BASE}/{eu.code}/2025S1/values?indicators=share-good")
    assert [v["indicator"] for v in only.json()["values"]] == ["share-good"]


def test_csv_and_xlsx_files(world, eu):
    client = _client(world, "vca")
    response = client.get(f"{BASE}/{eu.code}/2025S1/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    assert "attachment" in response["Content-Disposition"]
    response = client.get(f"{BASE}/{eu.code}/2025S1/xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.active.max_row > 5


@pytest.mark.parametrize(
    "key, status",
    [
        ("anon", 401),
        ("manager_a1", 403),
        ("buyer", 403),
        ("norole", 403),
        ("officer_b", 404),
        ("viewer_b", 404),
        ("officer_a", 200),
        ("viewer_a", 200),
    ],
)
def test_who_may_export_a_provinces_framework(world, cb, key, status):
    response = _client(world, key).get(f"{BASE}/{cb.code}/2025/dhis2")
    assert response.status_code == status
    if status != 200:
        assert "dataValues" not in response.content.decode()


@pytest.mark.parametrize(
    "path, status, code",
    [
        ("eu-dx/2025S3/dhis2", 400, "period_invalid"),
        ("eu-dx/2024/dhis2", 400, "no_values"),
        ("eu-dx/2025S1/dhis2?province=99", 400, "province_unknown"),
        ("eu-dx/2025S1/dhis2?province=<s>", 422, "validation_error"),
        ("eu-dx/2025S1/dhis2?data_set=a%20b", 422, "validation_error"),
        ("eu-dx/2025S1/dhis2?indicators=nope", 400, "indicator_unknown"),
        ("nope/2025S1/dhis2", 404, "not_found"),
        ("cb-2030/2025/values?province=66", 400, "province_outside_framework"),
        ("9223372036854775808/2025/values", 404, "not_found"),
    ],
)
def test_bad_requests_answer_stable_codes(world, eu, cb, path, status, code):
    response = _client(world, "vca").get(f"{BASE}/{path}")
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_no_code_and_no_data_send_nothing(world, eu):
    eu.indicators.filter(code="coops-dx-plan").update(dhis2_code="")
    response = _client(world, "vca").get(f"{BASE}/{eu.code}/2025S1/dhis2")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "dhis2_no_code"
    assert body["details"] == {"indicators": ["coops-dx-plan"]}
    put(eu, "2024", {"share-good": {"": None}})
    response = _client(world, "vca").get(f"{BASE}/{eu.code}/2024/dhis2?indicators=share-good")
    assert response.status_code == 400 and response.json()["code"] == "dhis2_no_data"
