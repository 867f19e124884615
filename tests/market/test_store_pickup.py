"""A store's pickup place: street + ward (2025 units) in the organisation's province.

Opening and editing a store require the ward when pickup is on; a ward of another
province or a forged code is refused with a specific Vietnamese message and nothing is
saved.  The place is shown on the store page, at checkout and on pickup orders as
"Nhận tại: <street>, <ward>, <province>".
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from htxso.geo.models import Ward
from htxso.market.models import Order, Store
from htxso.market.services import stores as store_svc

from .fixtures_market import STORE_DATA, add, make_product, make_store, new_cart, place, ward_in

pytestmark = pytest.mark.django_db

CAO_BANG_WARD = "01273"  # Phường Thục Phán, Tỉnh Cao Bằng (province "04", the "a" orgs)


def _create(world, **data):
    return store_svc.store_create(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        data={**STORE_DATA, "name": "HTX Hợp Giang", **data},
    )


def _error(exc: pytest.ExceptionInfo, field: str) -> tuple[str, str]:
    (err,) = exc.value.error_dict[field]
    return err.code, " ".join(err.messages)


def test_open_with_ward_shows_street_ward_province(world):
    store = _create(world, pickup_address="Thôn 3, cạnh chợ xã", pickup_ward=CAO_BANG_WARD)
    store = Store.objects.select_related("pickup_ward__province").get(pk=store.pk)
    ward = Ward.objects.select_related("province").get(pk=CAO_BANG_WARD)
    assert store.pickup_ward_id == CAO_BANG_WARD
    assert store.pickup_place == f"Thôn 3, cạnh chợ xã, {ward.name}, {ward.province.name}"
    assert ward.province.name in store.pickup_place and "Cao Bằng" in store.pickup_place


def test_ward_of_another_province_is_refused(world):
    other = ward_in("66")  # Đắk Lắk
    with pytest.raises(ValidationError) as exc:
        _create(world, pickup_ward=other)
    code, message = _error(exc, "pickup_ward")
    assert code == "ward_other_province"
    ward = Ward.objects.select_related("province").get(pk=other)
    assert ward.name in message and "Đắk Lắk" in message and "Cao Bằng" in message
    assert "Nơi nhận hàng phải ở" in message
    assert not Store.objects.exists()


def test_missing_ward_with_pickup_on_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, pickup_ward="")
    assert _error(exc, "pickup_ward") == (
        "required",
        "Chọn xã/phường nơi người mua đến nhận hàng.",
    )
    assert not Store.objects.exists()


def test_no_ward_needed_without_pickup(world):
    store = _create(world, offers_pickup="", pickup_address="", pickup_ward="")
    assert store.pickup_ward_id is None and store.pickup_place == ""


@pytest.mark.parametrize(
    "forged", ["99999", "abc", "01273' OR '1'='1", "1" * 500, "-1", "0127.3", "０１２７３"]
)
def test_forged_ward_is_refused(world, forged):
    with pytest.raises(ValidationError) as exc:
        _create(world, pickup_ward=forged)
    assert _error(exc, "pickup_ward") == (
        "invalid_choice",
        "Xã/phường này không có trong danh sách. Hãy chọn lại xã/phường.",
    )
    assert not Store.objects.exists()


def test_update_with_bad_ward_changes_nothing(world):
    store = make_store(world, "a1", "HTX Hợp Giang", verify=False)
    before = Store.objects.values().get(pk=store.pk)
    manager = world.users["manager_a1"]
    for ward, code in (
        (ward_in("66"), "ward_other_province"),
        ("", "required"),
        ("x", "invalid_choice"),
    ):
        with pytest.raises(ValidationError) as exc:
            store_svc.store_update(
                actor=manager,
                store=store,
                data={**STORE_DATA, "name": "Tên mới", "pickup_ward": ward},
            )
        assert _error(exc, "pickup_ward")[0] == code
        assert Store.objects.values().get(pk=store.pk) == before


def test_household_store_of_member_uses_the_cooperative_province(world):
    member = world.users["member_a1"]
    with pytest.raises(ValidationError):
        store_svc.store_create(
            actor=member,
            organisation=world.orgs["a1"],
            data={
                **STORE_DATA,
                "name": "Hộ bà Mai",
                "kind": "household",
                "household_name": "Hộ bà Mai",
                "pickup_ward": ward_in("66"),
            },
        )
    assert not Store.objects.exists()


def test_suggestion_takes_street_and_registered_ward(world):
    org = world.orgs["a1"]
    ward = Ward.objects.get(pk=CAO_BANG_WARD)
    org.ward = ward
    org.address = f"Thôn 5, {ward.name.lower()}, tỉnh Cao Bằng"
    org.save()
    assert store_svc.pickup_suggestion(org) == {
        "pickup_address": "Thôn 5",
        "pickup_ward": CAO_BANG_WARD,
    }
    org.ward = Ward.objects.get(pk=ward_in("66"))  # inconsistent registry data: no ward
    assert store_svc.pickup_suggestion(org)["pickup_ward"] == ""


def test_demo_pickup_always_has_a_ward_in_the_province(world):
    from htxso.market.demo import _pickup

    org = world.orgs["b1"]  # no ward, no address in the registry
    values = _pickup(org)
    assert Ward.objects.get(pk=values["pickup_ward"]).province_id == "66"
    assert values["pickup_address"] == org.name


# --- pages -------------------------------------------------------------------------


def test_store_form_pages_bad_and_good(client, world):
    client.force_login(world.users["manager_a1"])
    url = reverse("market:store_create")
    page = client.get(url).content.decode()
    assert 'name="pickup_ward"' in page and f'value="{CAO_BANG_WARD}"' in page
    assert ward_in("66") not in page  # only the organisation's province is offered
    post = {**STORE_DATA, "name": "HTX Hợp Giang", "organisation": world.orgs["a1"].pk}
    r = client.post(url, {**post, "pickup_ward": ward_in("66")})
    assert r.status_code == 400 and "Nơi nhận hàng phải ở" in r.content.decode()
    r = client.post(url, {**post, "pickup_ward": ""})
    assert r.status_code == 400
    assert "Chọn xã/phường nơi người mua đến nhận hàng." in r.content.decode()
    r = client.post(url, {**post, "pickup_ward": "99999"})
    assert r.status_code == 400 and "Hãy chọn lại xã/phường" in r.content.decode()
    assert not Store.objects.exists()
    r = client.post(url, {**post, "pickup_ward": CAO_BANG_WARD})
    assert r.status_code == 302
    store = Store.objects.get()
    assert store.pickup_ward_id == CAO_BANG_WARD

    # the edit form shows the chosen ward selected, and refuses another province
    edit = reverse("market:seller_store", args=[store.pk])
    page = client.get(edit).content.decode()
    assert f'value="{CAO_BANG_WARD}" selected' in page
    r = client.post(edit, {**STORE_DATA, "name": "HTX Hợp Giang", "pickup_ward": ward_in("66")})
    assert r.status_code == 400
    store.refresh_from_db()
    assert store.pickup_ward_id == CAO_BANG_WARD


def test_store_without_ward_is_asked_for_it(client, world):
    store = make_store(world, "a1", "HTX cũ", verify=False)
    Store.objects.filter(pk=store.pk).update(pickup_ward=None)  # opened before the picker
    client.force_login(world.users["manager_a1"])
    page = client.get(reverse("market:seller_store", args=[store.pk])).content.decode()
    assert "Chọn xã/phường của nơi nhận hàng" in page
    store.refresh_from_db()
    assert store.pickup_place == "Thôn 1, Tỉnh Cao Bằng"  # street and province still shown


def test_pickup_place_on_store_checkout_and_order_pages(client, world):
    store = make_store(world, "a1", "Mật ong Hợp Giang")
    ward = Ward.objects.select_related("province").get(pk=store.pickup_ward_id)
    expected = f"Nhận tại: Thôn 1, {ward.name}, {ward.province.name}"
    product = make_product(store, "Mật ong bạc hà", cat="mat-ong-nguyen-chat")

    page = client.get(reverse("market:store_detail", args=[store.slug])).content.decode()
    assert expected in page

    client.post(reverse("market:cart_add"), {"variant": product.variants.get().pk})
    page = client.get(reverse("market:checkout")).content.decode()
    assert expected in page

    cart = new_cart()
    add(cart, product.variants.get())
    (pickup,) = place(cart, actor=world.users["buyer"], fulfilment="pickup")
    cart = new_cart()
    add(cart, product.variants.get())
    (delivery,) = place(
        cart,
        actor=world.users["buyer"],
        fulfilment="delivery",
        ward=CAO_BANG_WARD,
        address="Số 2 Hàng Bài",
    )
    client.force_login(world.users["buyer"])
    page = client.get(reverse("market:order_detail", args=[pickup.code])).content.decode()
    assert expected in page
    page = client.get(reverse("market:order_detail", args=[delivery.code])).content.decode()
    assert "Nhận tại:" not in page

    client.force_login(world.users["manager_a1"])
    page = client.get(reverse("market:seller_order", args=[pickup.pk])).content.decode()
    assert expected in page
    assert Order.objects.count() == 2


def test_store_api_gives_the_pickup_ward_and_place(client, world, django_assert_max_num_queries):
    store = make_store(world, "a1", "Mật ong Hợp Giang")
    ward = Ward.objects.select_related("province").get(pk=store.pickup_ward_id)
    other = make_store(world, "b1", "Cà phê Ea Tu")
    Store.objects.filter(pk=other.pk).update(offers_pickup=False, offers_delivery=True)

    body = client.get(f"/api/v1/market/stores/{store.slug}").json()
    assert body["pickup_ward_code"] == ward.pk
    assert body["pickup_place"] == f"Thôn 1, {ward.name}, {ward.province.name}"

    with django_assert_max_num_queries(2):
        listed = {s["slug"]: s for s in client.get("/api/v1/market/stores").json()}
    assert listed[store.slug]["pickup_place"] == body["pickup_place"]
    assert listed[other.slug]["pickup_ward_code"] is None
    assert listed[other.slug]["pickup_place"] == ""
