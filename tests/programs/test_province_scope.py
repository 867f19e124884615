"""Issue 13: a call limited by its criteria to some provinces shows only there; the
province page says in words what the province still needs and shows each criterion;
a call's state in a province has one name on every page."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from htxso.programs import selectors
from htxso.programs.models import CallProvince, PublicationState
from htxso.programs.services import calls

from .helpers import YOUTH_DX, apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db

DAK_LAK_ONLY = [("province", "HTX đăng ký trên địa bàn tỉnh Đắk Lắk", {"provinces": ["66"]})]


def english(client, world, key):
    user = world.users[key]
    user.preferred_language = "en"  # a signed-in user's saved language wins
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    client.cookies["htxso_language"] = "en"
    return {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def limited(world):
    call = make_call(world.users["vca"], criteria=YOUTH_DX + DAK_LAK_ONLY)
    call.title = "Vay vốn chuyển đổi số chỉ cho Đắk Lắk"
    call.save()
    return call


def test_a_call_limited_to_one_province_is_hidden_from_the_others(client, world, limited):
    # the officer of another province: no to-do on the home page, no row, no API entry
    for key in ("officer_a", "viewer_a"):
        client.force_login(world.users[key])
        assert limited.title not in client.get("/").content.decode(), key
        assert limited.title not in client.get("/chuong-trinh/").content.decode(), key
        rows = client.get("/api/v1/programs/calls").json()
        assert limited.pk not in {r["id"] for r in rows}, key
        assert client.get(f"/chuong-trinh/dot/{limited.pk}/").status_code == 404
        page = f"/chuong-trinh/dot/{limited.pk}/tinh/04/"
        assert client.get(page).status_code == 404, key
    # the province the call is for sees it, as a to-do
    client.force_login(world.users["officer_b"])
    assert limited.title in client.get("/").content.decode()
    assert limited.title in client.get("/chuong-trinh/").content.decode()
    assert limited.pk in {r["id"] for r in client.get("/api/v1/programs/calls").json()}


def test_it_cannot_be_announced_elsewhere_nor_offered_to_managers_elsewhere(client, world, limited):
    with pytest.raises(ValidationError):
        calls.call_publish(actor=world.users["officer_a"], call=limited, province_id="04")
    # even a publication written before the rule is not offered to the managers there
    CallProvince.objects.create(call=limited, province_id="04")
    client.force_login(world.users["manager_a1"])
    assert limited.title not in client.get("/").content.decode()
    assert limited.title not in client.get("/chuong-trinh/").content.decode()
    assert selectors.calls_for_organisations(world.users["manager_a1"], [world.orgs["a1"]]) == []
    # VCA sees the province page but no publish form there
    headers = english(client, world, "vca")
    body = client.get(f"/chuong-trinh/dot/{limited.pk}/tinh/04/", **headers).content.decode()
    assert 'id="not-applicable"' in body
    assert "/cong-bo/" not in body


def test_province_page_says_what_is_missing_and_shows_each_criterion(client, world):
    call = make_call(world.users["vca"], min_eligible=5)
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    make_eligible(world.orgs["a1"])
    apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    headers = english(client, world, "officer_a")
    body = client.get(f"/chuong-trinh/dot/{call.pk}/tinh/04/", **headers).content.decode()
    assert (
        "5 more eligible cooperatives are needed for the province to reach the minimum of 5."
        in body
    )
    # each criterion's own text, not only numbered chips with a hover tooltip
    for _kind, label, _params in YOUTH_DX:
        assert label in body
    assert 'title="' not in body.split('id="h-review"')[1].split("</table>")[0]
    call.min_eligible = 1
    call.save(update_fields=["min_eligible"])
    # nothing verified yet: still one missing
    body = client.get(f"/chuong-trinh/dot/{call.pk}/tinh/04/", **headers).content.decode()
    assert "1 more eligible cooperative is needed" in body


def test_a_province_state_has_one_name_on_every_page(client, world):
    call = make_call(world.users["vca"])
    headers = english(client, world, "officer_a")
    with translation.override("en"):
        label = str(PublicationState.NOT_PUBLISHED.label)
    for url in ("/", "/chuong-trinh/", f"/chuong-trinh/dot/{call.pk}/tinh/04/"):
        assert label in client.get(url, **headers).content.decode(), url
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    with translation.override("en"):
        label = str(PublicationState.PUBLISHED.label)
    for url in ("/", "/chuong-trinh/", f"/chuong-trinh/dot/{call.pk}/tinh/04/"):
        body = client.get(url, **headers).content.decode()
        assert label in body, url
        for other in ("Announced in your province", ">Published<", "Not published"):
            assert other not in body, (url, other)
