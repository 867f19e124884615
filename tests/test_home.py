"""Each role's home page: its own content, in Vietnamese or English, in few queries."""

from __future__ import annotations

import pytest

from .conftest import USER_KEYS

pytestmark = pytest.mark.django_db

EXPECTED = {
    "anon": "Đăng nhập",
    "vca": "Tổng quan toàn quốc",
    "officer_a": "Tỉnh: Cao Bằng",
    "viewer_a": "Bạn có thể xem hồ sơ và báo cáo của tỉnh",
    "manager_a1": "Tổ chức của bạn",
    "member_a1": "Hợp tác xã của bạn",
    "trainer": "Khóa học của bạn",
    "buyer": "Đơn hàng của bạn",
    "norole": "Tài khoản của bạn chưa có vai trò",
}


@pytest.mark.parametrize("key", USER_KEYS)
def test_home_page_per_role_in_at_most_10_queries(
    client, world, key, django_assert_max_num_queries
):
    if key != "anon":
        client.force_login(world.users[key])
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    if key in EXPECTED:
        assert EXPECTED[key] in body, key


def test_home_query_count_does_not_grow_with_data(client, world, django_assert_max_num_queries):
    from htxso.registry.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(kind="group", name=f"Tổ hợp tác số {i}", province_id="04", search_text="x")
        for i in range(200)
    )
    for key in ("vca", "officer_a"):
        client.force_login(world.users[key])
        with django_assert_max_num_queries(10):
            assert client.get("/").status_code == 200


def test_home_in_english(client, world):
    client.force_login(world.users["vca"])
    world.users["vca"].preferred_language = "en"
    world.users["vca"].save()
    body = client.get("/").content.decode()
    assert "National overview" in body and "Tổng quan toàn quốc" not in body


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-1", "page=99999", "q=" + "đ" * 5000, "kind=<script>", "q=%00%ff"]
)
def test_organisation_list_survives_malformed_queries(client, world, query):
    client.force_login(world.users["officer_a"])
    response = client.get(f"/to-chuc/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_organisation_list_partial_for_htmx(client, world, django_assert_max_num_queries):
    client.force_login(world.users["vca"])
    with django_assert_max_num_queries(8):
        response = client.get("/to-chuc/?q=hop giang", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "HTX Nông nghiệp Hợp Giang" in body and "<html" not in body


def test_organisation_pages_fixed_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.users["vca"])
    with django_assert_max_num_queries(8):
        assert client.get("/to-chuc/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/to-chuc/{world.orgs['a1'].pk}/").status_code == 200


def test_error_pages_are_friendly(client, world, settings):
    settings.DEBUG = False
    client.force_login(world.users["officer_a"])
    response = client.get(f"/to-chuc/{world.orgs['b1'].pk}/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    response = client.get("/to-chuc/999999/")
    assert response.status_code == 404
    client.force_login(world.users["buyer"])
    response = client.get("/nhat-ky/")
    assert response.status_code == 403 and "Không được phép" in response.content.decode()


def test_csrf_failure_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "u_vca", "password": "x"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


def test_static_assets_are_local(client, db):
    body = client.get("/").content.decode()
    import re

    for url in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert not url.startswith(("http://", "https://", "//")), url
