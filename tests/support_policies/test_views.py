"""Pages: the public catalogue (accent-free search, filters), the staff's editor, the
matches of an organisation, the map; refused writes save nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from htxso.support.policies.models import PolicyStatus, SupportPolicy

from .helpers import give_facts, make_policy

pytestmark = pytest.mark.django_db


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_public_list_search_accent_free_and_filters(client, world):
    vca = world.users["vca"]
    make_policy(vca, name="Hỗ trợ tín dụng ưu đãi")
    make_policy(world.users["officer_b"], name="Cà phê Đắk Lắk", level="provincial", province="66")
    make_policy(vca, name="Bản nháp bí mật", publish=False)
    url = reverse("support_policies:list")
    page = client.get(url, {"q": "tin dung"}).content.decode()
    assert "Hỗ trợ tín dụng ưu đãi" in page and "Cà phê" not in page
    page = client.get(url).content.decode()
    assert "Bản nháp bí mật" not in page
    page = client.get(url, {"level": "provincial"}).content.decode()
    assert "Cà phê Đắk Lắk" in page and "Hỗ trợ tín dụng ưu đãi" not in page
    page = client.get(url, {"province": "04"}).content.decode()
    assert "Cà phê Đắk Lắk" not in page and "Hỗ trợ tín dụng ưu đãi" in page
    page = client.get(url, {"sector": "tourism"}).content.decode()
    assert "Hỗ trợ tín dụng ưu đãi" not in page  # its sector criterion names agriculture only
    assert "Bản nháp bí mật" in _client(client, vca).get(url).content.decode()


def test_detail_draft_hidden_from_public_and_other_province(client, world):
    draft = make_policy(world.users["officer_a"], level="provincial", province="04", publish=False)
    url = reverse("support_policies:detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert _client(client, world.users["officer_b"]).get(url).status_code == 404
    assert _client(client, world.users["officer_a"]).get(url).status_code == 200


def test_officer_creates_adds_criterion_and_publishes(client, world):
    c = _client(client, world.users["officer_a"])
    response = c.post(
        reverse("support_policies:create"),
        {
            "name": "Hỗ trợ thương mại điện tử",
            "level": "provincial",
            "province_id": "04",
            "legal_number": "12/KH-UBND",
            "benefit": "Mở gian hàng miễn phí",
        },
    )
    policy = SupportPolicy.objects.get(name="Hỗ trợ thương mại điện tử")
    assert response.status_code == 302
    url = reverse("support_policies:criteria", args=[policy.pk])
    bad = c.post(url, {"kind": "ocop", "label": "OCOP", "min_stars": "9"})
    assert bad.status_code == 400
    policy.refresh_from_db()
    assert policy.criteria == []
    assert c.get(url, {"kind": "grade"}, headers={"HX-Request": "true"}).status_code == 200
    ok = c.post(url, {"kind": "ocop", "label": "Có sản phẩm OCOP", "min_stars": "3"})
    assert ok.status_code == 302
    c.post(reverse("support_policies:publish", args=[policy.pk]))
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.PUBLISHED
    assert policy.criteria == [
        {"kind": "ocop", "label": "Có sản phẩm OCOP", "params": {"min_stars": 3}}
    ]


def test_officer_cannot_edit_or_publish_another_province(client, world):
    other = make_policy(world.users["officer_b"], level="provincial", province="66", publish=False)
    c = _client(client, world.users["officer_a"])
    for name in ("edit", "criteria", "publish", "retire"):
        response = c.post(
            reverse(f"support_policies:{name}", args=[other.pk]),
            {
                "name": "Đổi",
                "level": "provincial",
                "province_id": "04",
                "legal_number": "x",
                "benefit": "x",
                "kind": "ocop",
                "label": "x",
                "min_stars": "3",
            },
        )
        assert response.status_code == 404, name
    other.refresh_from_db()
    assert other.name != "Đổi" and other.status == "draft" and other.criteria


def test_officer_cannot_create_for_another_province(client, world):
    c = _client(client, world.users["officer_a"])
    before = SupportPolicy.objects.count()
    response = c.post(
        reverse("support_policies:create"),
        {
            "name": "X",
            "level": "provincial",
            "province_id": "66",
            "legal_number": "1",
            "benefit": "x",
        },
    )
    assert response.status_code == 200  # 66 is not a choice of officer_a's form
    assert SupportPolicy.objects.count() == before
    response = c.post(
        reverse("support_policies:create"),
        {"name": "X", "level": "national", "legal_number": "1", "benefit": "x"},
    )
    assert response.status_code == 403
    assert SupportPolicy.objects.count() == before


def test_manager_sees_own_matches_only(client, world):
    org = world.orgs["a1"]
    give_facts(org)
    make_policy(world.users["vca"], name="Tín dụng <script>alert(1)</script>")
    c = _client(client, world.users["manager_a1"])
    mine = c.get(reverse("support_policies:mine"))
    assert mine.status_code == 302 and mine["Location"].endswith(f"/to-chuc/{org.pk}/")
    page = c.get(mine["Location"]).content.decode()
    assert "sp-match--eligible" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    other = reverse("support_policies:organisation", args=[world.orgs["b1"].pk])
    assert c.get(other).status_code == 404
    assert c.get(f"/ho-tro/chinh-sach/to-chuc/{2**63}/").status_code == 404


def test_map_for_staff(client, world):
    give_facts(world.orgs["a1"])
    make_policy(world.users["vca"], name="Tín dụng")
    page = _client(client, world.users["officer_a"]).get(reverse("support_policies:map"))
    assert page.status_code == 200
    assert "Cao Bằng" in page.content.decode()
    client.logout()
    assert (
        _client(client, world.users["manager_a1"]).get(reverse("support_policies:map")).status_code
        == 403
    )
