"""The export page: the form, downloads, refusals shown on the page."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from htxso.indicators import dhis2

from .helpers import EU_2025S1, framework, put

pytestmark = pytest.mark.django_db
URL = "indicators:export"


@pytest.fixture
def eu(world):
    fw = framework(name="Dự án EU <script>alert(1)</script>")
    put(fw, "2025S1", EU_2025S1)
    return fw


def test_staff_see_the_form_with_their_frameworks(client, world, eu):
    framework("dl-2030", province="66", name="Khung Đắk Lắk")
    client.force_login(world.users["officer_a"])
    response = client.get(reverse(URL))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xuất số liệu chỉ số" in html
    assert "&lt;script&gt;alert(1)" in html and "<script>alert(1)" not in html
    assert "Khung Đắk Lắk" not in html
    assert "2025S1" in html


@pytest.mark.parametrize(
    "fmt, content_type",
    [("dhis2", "application/json"), ("csv", "text/csv"), ("xlsx", "application/vnd.openxml")],
)
def test_downloads(client, world, eu, fmt, content_type):
    client.force_login(world.users["viewer_a"])
    response = client.get(reverse(URL), {"framework": eu.code, "period": "2025S1", "format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert f"{eu.code}-2025S1-vn." in response["Content-Disposition"]
    if fmt == "dhis2":
        assert dhis2.validate(json.loads(response.content)) == []


def test_refusals_are_shown_on_the_page(client, world, eu):
    eu.indicators.filter(code="share-good").update(dhis2_code="")
    client.force_login(world.users["vca"])
    response = client.get(
        reverse(URL), {"framework": eu.code, "period": "2025S1", "format": "dhis2"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "chưa có mã DHIS2" in html and "share-good" in html
    response = client.get(reverse(URL), {"framework": eu.code, "period": "2025S1", "format": "csv"})
    assert response.status_code == 200, "CSV needs no DHIS2 code"


def test_bad_input_on_the_page(client, world, eu):
    client.force_login(world.users["vca"])
    for params in (
        {"framework": "nope", "period": "2025S1", "format": "csv"},
        {"framework": eu.code, "period": "2025S9", "format": "csv"},
        {"framework": eu.code, "period": "2025S1", "format": "pdf"},
        {"framework": eu.code, "period": "2025S1", "format": "dhis2", "data_set": "=x y"},
        {"framework": eu.code, "period": "2025S1", "format": "csv", "province": "9" * 30},
    ):
        response = client.get(reverse(URL), params)
        assert response.status_code == 400, params
        assert "attachment" not in response.get("Content-Disposition", "")


def test_a_period_never_computed(client, world, eu):
    client.force_login(world.users["vca"])
    year = str(__import__("django.utils.timezone").utils.timezone.localdate().year)
    response = client.get(reverse(URL), {"framework": eu.code, "period": year, "format": "csv"})
    assert response.status_code == 400
    assert "Chưa tính số liệu" in response.content.decode()


@pytest.mark.parametrize("key, status", [("manager_a1", 403), ("buyer", 403), ("trainer", 403)])
def test_people_of_organisations_may_not(client, world, eu, key, status):
    client.force_login(world.users[key])
    assert client.get(reverse(URL)).status_code == status


def test_post_is_not_allowed(client, world):
    client.force_login(world.users["vca"])
    assert client.post(reverse(URL)).status_code == 405
