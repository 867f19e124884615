"""Stores: opening (cooperative, group, member household), verification against the
registry, rejection with a reason; products with photos and bad input."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from htxso.core.errors import ServiceError
from htxso.market.models import Product, Store, Variant
from htxso.market.services import catalogue as catalogue_svc
from htxso.market.services import stores as store_svc
from htxso.registry.models import Organisation

from .fixtures_market import STORE_DATA, category, make_product, make_store, refused

pytestmark = pytest.mark.django_db


def test_open_submit_verify(world):
    store = store_svc.store_create(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        data={
            **STORE_DATA,
            "name": "Hợp Giang <b>xanh</b>",
            "description": "<script>x</script><p>Chào</p>",
        },
    )
    assert store.status == "draft" and store.slug.startswith("hop-giang")
    assert store.description == "<p>Chào</p>"
    assert store.delivery_fee == 30000
    store = store_svc.store_submit(actor=world.users["manager_a1"], store=store)
    assert store.status == "pending"
    with refused():
        store_svc.store_verify(actor=world.users["officer_b"], store=store)
    with pytest.raises(ValidationError):
        store_svc.store_reject(actor=world.users["officer_a"], store=store, reason="  ")
    store = store_svc.store_reject(actor=world.users["officer_a"], store=store, reason="Thiếu ảnh")
    assert store.status == "rejected" and store.status_reason == "Thiếu ảnh"
    store = store_svc.store_submit(actor=world.users["manager_a1"], store=store)
    store = store_svc.store_verify(actor=world.users["officer_a"], store=store)
    assert store.status == "verified" and store.verified_by == world.users["officer_a"]


def test_registry_mismatch_blocks_verification(world):
    store = make_store(world, "a1", "HTX tạm ngừng", verify=False)
    store_svc.store_submit(actor=world.users["manager_a1"], store=store)
    Organisation.objects.filter(pk=world.orgs["a1"].pk).update(status="suspended")
    with pytest.raises(ServiceError) as exc:
        store_svc.store_verify(actor=world.users["officer_a"], store=Store.objects.get(pk=store.pk))
    assert exc.value.code == "registry_mismatch"


def test_member_household_store_and_limits(world):
    member = world.users["member_a1"]
    with refused():  # a member cannot open the cooperative's store
        store_svc.store_create(
            actor=member, organisation=world.orgs["a1"], data={**STORE_DATA, "name": "X"}
        )
    with pytest.raises(ValidationError) as exc:
        store_svc.store_create(
            actor=member,
            organisation=world.orgs["a1"],
            data={**STORE_DATA, "name": "Hộ A", "kind": "household"},
        )
    assert "household_name" in exc.value.error_dict
    store = store_svc.store_create(
        actor=member,
        organisation=world.orgs["a1"],
        data={
            **STORE_DATA,
            "name": "Hộ Lục Thị Mai",
            "kind": "household",
            "household_name": "Hộ bà Lục Thị Mai",
        },
    )
    assert store.kind == "household" and store.owner == member
    assert Store.objects.allowed(member, "change").filter(pk=store.pk).exists()
    assert Store.objects.allowed(world.users["manager_a1"], "change").filter(pk=store.pk).exists()
    assert (
        not Store.objects.allowed(world.users["manager_b1"], "change").filter(pk=store.pk).exists()
    )
    with refused():
        store_svc.store_create(
            actor=member,
            organisation=world.orgs["b1"],
            data={**STORE_DATA, "name": "Y", "kind": "household", "household_name": "Y"},
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"offers_pickup": "", "offers_delivery": ""}, "offers_delivery"),
        ({"bank_bin": "123456"}, "bank_bin"),
        ({"bank_account": ""}, "bank_account"),
        ({"bank_account": "12 34-ab!"}, "bank_account"),
        ({"phone": "+33 6 12 34 56 78"}, "phone"),
        ({"delivery_fee": "-5"}, "delivery_fee"),
        ({"name": "   "}, "name"),
    ],
)
def test_store_bad_input(world, data, field):
    with pytest.raises(ValidationError) as exc:
        store_svc.store_create(
            actor=world.users["manager_a1"],
            organisation=world.orgs["a1"],
            data={**STORE_DATA, "name": "Ổn", **data},
        )
    assert field in exc.value.error_dict
    assert not Store.objects.exists()


def _jpeg(size=(600, 400)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buf, "JPEG")
    buf.seek(0)
    buf.name = "a.jpg"
    return buf


def test_product_bad_input_and_photos(world):
    store = make_store(world, "a1", "Hợp Giang")
    seller = world.users["manager_a1"]
    for variants, code in (
        ([{"label": "1 kg", "price": 0, "stock": 1}], "too_small"),
        ([{"label": "1 kg", "price": -1000, "stock": 1}], "too_small"),
        ([{"label": "1 kg", "price": 1000, "stock": -1}], "too_small"),
        ([{"label": "1 kg", "price": "1.5", "stock": 1}], "invalid_number"),
        ([], "no_variant"),
        (
            [{"label": "1 kg", "price": 1, "stock": 1}, {"label": "1 KG", "price": 2, "stock": 1}],
            "duplicate_variant",
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            catalogue_svc.product_save(
                actor=seller,
                store=store,
                data={"title": "Gạo", "category": category("gao").pk},
                variants=variants,
            )
        codes = {e.code for errs in exc.value.error_dict.values() for e in errs}
        assert code in codes, (variants, codes)
    assert not Product.objects.exists()
    with pytest.raises(ValidationError) as exc:  # fresh goods need a shelf life
        catalogue_svc.product_save(
            actor=seller,
            store=store,
            data={"title": "Rau", "category": category("rau-tuoi").pk},
            variants=[{"label": "1 bó", "price": 10000, "stock": 5}],
        )
    assert "shelf_life_days" in exc.value.error_dict
    p = make_product(store, "Gạo tám", cat="gao")
    image = catalogue_svc.product_add_photo(actor=seller, product=p, upload=_jpeg())
    assert image.width == 600 and image.thumb.name
    fake = io.BytesIO(b"<?php echo 1; ?>" * 100)
    fake.name = "anh.jpg"
    with pytest.raises(ServiceError) as exc:
        catalogue_svc.product_add_photo(actor=seller, product=p, upload=fake)
    assert exc.value.code == "image_not_image"
    big = io.BytesIO(b"\xff\xd8\xff" + b"0" * (30 * 1024 * 1024))
    big.name = "to.jpg"
    with pytest.raises(ServiceError) as exc:
        catalogue_svc.product_add_photo(actor=seller, product=p, upload=big)
    assert exc.value.code == "image_too_big"
    assert p.images.count() == 1
    with refused():
        catalogue_svc.product_add_photo(actor=world.users["manager_b1"], product=p, upload=_jpeg())


def test_variant_constraints_in_the_database(world):
    from django.db import IntegrityError, transaction

    store = make_store(world, "a1", "Hợp Giang")
    p = make_product(store, "Gạo tám", cat="gao")
    v = p.variants.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=v.pk).update(stock=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=v.pk).update(price=0)


def test_edit_product_keeps_variants_in_orders(world):
    store = make_store(world, "a1", "Hợp Giang")
    seller = world.users["manager_a1"]
    p = make_product(
        store,
        "Gạo tám",
        cat="gao",
        variants=[
            {"label": "1 kg", "price": 30000, "stock": 5},
            {"label": "5 kg", "price": 140000, "stock": 5},
        ],
    )
    one, five = p.variants.order_by("price")
    catalogue_svc.product_save(
        actor=seller,
        store=store,
        product=p,
        data={"title": "Gạo tám thơm", "category": category("gao").pk},
        variants=[{"id": one.pk, "label": "1 kg", "price": 32000, "stock": 9}],
    )
    p.refresh_from_db()
    assert p.title == "Gạo tám thơm" and p.min_price == 32000
    assert not Variant.objects.filter(pk=five.pk).exists()
    assert " gao tam thom " in p.search_text


def test_plain_text_descriptions_become_paragraphs(world):
    from htxso.market.services.common import editable_text, rich_text

    html = rich_text("Cà phê ngon.\nRang mộc.\n\nGiao <nhanh> & tận nơi")
    assert html == "<p>Cà phê ngon.<br>Rang mộc.</p><p>Giao &lt;nhanh&gt; &amp; tận nơi</p>"
    assert editable_text(html) == "Cà phê ngon.\nRang mộc.\n\nGiao <nhanh> & tận nơi"
    assert rich_text("<p>a<script>x</script></p>") == "<p>a</p>"
    assert editable_text("<p><strong>a</strong></p>") == "<p><strong>a</strong></p>"
