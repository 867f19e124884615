"""Issue 13, seller and officer side: the product form (hints, row-named errors, photos
kept across an error, origin province on edit, variant label width), the store logo on
the settings page, the seller's product preview and the officer's store review."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from htxso.market.models import ProductImage, Store, StoreStatus

from .fixtures_market import category, make_product, make_store, ward_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def jpeg(name="anh.jpg", color=(120, 80, 40), size=(640, 480)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path / "media"


@pytest.fixture
def seller(client, world, media):
    store = make_store(world, "a1", "Mật ong Hợp Giang", verify=False)
    sign_in_english(client, world.users["manager_a1"])
    return store


def sign_in_english(client, user) -> None:
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)


def form(**extra) -> dict:
    data = {
        "title": "Mật ong bạc hà",
        "category": category("mat-ong-nguyen-chat").pk,
        "unit": "chai",
        "variant_count": "3",
        "v0-label": "Chai 500 ml",
        "v0-price": "180000",
        "v0-stock": "10",
        "v1-label": "Chai 1 lít",
        "v1-price": "1 trăm nghìn",
        "v1-stock": "5",
    }
    data.update(extra)
    return data


def test_empty_variant_rows_show_no_lookalike_values(client, seller):
    html = client.get(reverse("market:seller_product_create", args=[seller.pk]), **EN)
    html = html.content.decode()
    assert 'placeholder="120.000"' not in html and 'placeholder="500 g"' not in html
    assert 'placeholder="30"' not in html
    assert "Variant 2" in html  # each row is numbered like its error messages


def test_variant_error_names_its_row_and_field(client, seller):
    url = reverse("market:seller_product_create", args=[seller.pk])
    r = client.post(url, form(), **EN)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Variant 2 — price: enter a number, e.g. 180000" in html
    assert 'id="v1-price" name="v1-price" value="1 trăm nghìn" inputmode="numeric"' in html
    assert 'aria-invalid="true"' in html
    # The API keeps its stable field key and code.
    from django.core.exceptions import ValidationError

    from htxso.market.services import catalogue

    with pytest.raises(ValidationError) as exc:
        catalogue.product_save(
            actor=seller.owner,
            store=seller,
            data=form(),
            variants=[{"label": "500 g", "price": "abc"}, {"label": "", "price": "5"}],
        )
    errs = exc.value.error_dict
    assert [e.code for e in errs["variants-0-price"]] == ["invalid_number"]
    assert [e.code for e in errs["variants-1-label"]] == ["required"]


def test_variant_label_input_takes_a_long_label(client, seller):
    url = reverse("market:seller_product_create", args=[seller.pk])
    html = client.get(url, **EN).content.decode()
    assert 'name="v0-label" value="" maxlength="40"' in html
    r = client.post(url, form(**{"v1-price": "350000"}), **EN)
    assert r.status_code == 302
    product = seller.products.get()
    assert sorted(product.variants.values_list("label", flat=True)) == ["Chai 1 lít", "Chai 500 ml"]
    html = client.get(r.url, **EN).content.decode()
    assert 'value="Chai 500 ml" maxlength="40"' in html


def test_chosen_photo_survives_a_form_error(client, seller, media):
    from htxso.market.models import HeldPhoto

    url = reverse("market:seller_product_create", args=[seller.pk])
    r = client.post(url, {**form(), "photos": jpeg()}, **EN)
    assert r.status_code == 400
    held = HeldPhoto.objects.get()
    html = r.content.decode()
    assert f'name="photo_token" value="{held.token}" checked' in html
    assert held.thumb.url in html and "Chosen" in html
    # Fixed without choosing the photo again: the held photo becomes the product's.
    r = client.post(url, {**form(**{"v1-price": "350000"}), "photo_token": held.token}, **EN)
    assert r.status_code == 302
    product = seller.products.get()
    image = product.images.get()
    assert image.width == 640 and image.image.size > 0 and image.thumb.size > 0
    assert not HeldPhoto.objects.exists()
    assert not (media / held.image.name).exists()


def test_held_photo_keeps_the_image_checks(client, seller):
    from htxso.market.models import HeldPhoto

    url = reverse("market:seller_product_create", args=[seller.pk])
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    r = client.post(url, {**form(), "photos": fake}, **EN)
    assert r.status_code == 400
    assert "This file is not a photo" in r.content.decode()
    assert not HeldPhoto.objects.exists()


def test_held_photo_is_only_its_sellers(client, world, seller):
    from htxso.market.models import HeldPhoto
    from htxso.market.services.held_photos import photo_hold

    other = make_store(world, "b1", "Cà phê Ea Tu", verify=False)
    theirs = photo_hold(actor=world.users["manager_b1"], store=other, upload=jpeg())
    url = reverse("market:seller_product_create", args=[seller.pk])
    r = client.post(url, {**form(**{"v1-price": "350000"}), "photo_token": theirs.token})
    assert r.status_code == 302
    assert not ProductImage.objects.exists()
    assert HeldPhoto.objects.filter(pk=theirs.pk).exists()


def test_held_photos_expire(world, seller, media):
    from htxso.market.models import HeldPhoto
    from htxso.market.services.held_photos import held_photos_expire, photo_hold

    old = photo_hold(actor=seller.owner, store=seller, upload=jpeg())
    new = photo_hold(actor=seller.owner, store=seller, upload=jpeg())
    HeldPhoto.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert held_photos_expire() == 1
    assert list(HeldPhoto.objects.all()) == [new]
    assert not (media / old.image.name).exists() and (media / new.image.name).exists()


def test_origin_province_shows_again_when_editing(client, seller):
    ward = ward_in("66")
    product = make_product(seller, "Cà phê", origin_ward=ward)
    html = client.get(reverse("market:seller_product_edit", args=[product.pk]), **EN)
    html = html.content.decode()
    assert '<option value="66" selected>' in html
    assert f'<option value="{ward}" selected>' in html


def test_store_settings_show_the_logo(client, seller):
    from htxso.market.services.stores import store_update

    store_update(
        actor=seller.owner,
        store=seller,
        data={
            "name": seller.name,
            "offers_pickup": "1",
            "pickup_address": "Thôn 1",
            "pickup_ward": seller.pickup_ward_id,
        },
        logo=jpeg("logo.jpg", (200, 30, 30), (300, 300)),
    )
    seller.refresh_from_db()
    assert seller.logo
    html = client.get(reverse("market:seller_store", args=[seller.pk]), **EN).content.decode()
    assert f'src="{seller.logo.url}"' in html


def test_seller_previews_a_product_before_verification(client, world, seller):
    product = make_product(seller, "Mật ong bạc hà", cat="mat-ong-nguyen-chat")
    assert seller.status != StoreStatus.VERIFIED
    assert client.get(reverse("market:product_detail", args=[product.pk])).status_code == 404
    edit = client.get(reverse("market:seller_product_edit", args=[product.pk]), **EN)
    preview_url = reverse("market:seller_product_preview", args=[product.pk])
    assert preview_url in edit.content.decode()
    r = client.get(preview_url, **EN)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Preview — buyers cannot see this yet" in html and "Mật ong bạc hà" in html
    assert "cart_add" not in html and 'name="variant"' not in html  # nothing to buy
    client.force_login(world.users["manager_b1"])
    assert client.get(preview_url).status_code == 404
    client.logout()
    assert client.get(preview_url).status_code in (302, 403)


# ------------------------------------------------------------------ officer review


def test_officer_review_shows_products_logo_and_bank_holder(client, world, seller, media):
    from htxso.market.services.catalogue import product_add_photo

    honey = make_product(seller, "Mật ong bạc hà", cat="mat-ong-nguyen-chat")
    image = product_add_photo(actor=seller.owner, product=honey, upload=jpeg())
    Store.objects.filter(pk=seller.pk).update(
        status=StoreStatus.PENDING,
        bank_account_name="NGUYEN VAN A",
        description="<p>Mật ong của bà con Hợp Giang.</p>",
    )
    sign_in_english(client, world.users["officer_a"])
    url = reverse("market:officer_store", args=[seller.pk])
    html = client.get(url, **EN).content.decode()
    assert "Mật ong bạc hà" in html and image.thumb.url in html
    assert "Mật ong của bà con Hợp Giang." in html
    assert seller.pickup_ward.name in html
    assert "NGUYEN VAN A" in html
    assert 'class="mismatch"' in html and "matches neither" in html
    Store.objects.filter(pk=seller.pk).update(bank_account_name="HTX NONG NGHIEP HOP GIANG")
    html = client.get(url, **EN).content.decode()
    assert "matches neither" not in html
    assert "The account holder matches “HTX Nông nghiệp Hợp Giang”" in html


@pytest.mark.parametrize(
    ("holder", "matched"),
    [
        ("HTX NONG NGHIEP HOP GIANG", "HTX Nông nghiệp Hợp Giang"),
        ("Hop tac xa Nong nghiep Hop Giang", "HTX Nông nghiệp Hợp Giang"),
        ("NONG NGHIEP HOP GIANG", "HTX Nông nghiệp Hợp Giang"),
        ("MAT ONG HOP GIANG", "Mật ong Hợp Giang"),
        ("NGUYEN VAN A", ""),
        ("HOP", ""),
    ],
)
def test_holder_check_folds_accents_and_abbreviations(world, seller, holder, matched):
    from htxso.market.selectors_review import holder_check

    seller.bank_account_name = holder
    result = holder_check(seller)
    assert result.matched == matched
    assert result.mismatch is (not matched)


def test_officer_review_query_count(client, world, seller, django_assert_max_num_queries):
    for i in range(8):
        make_product(seller, f"Sản phẩm {i}", cat="mat-ong-nguyen-chat")
    sign_in_english(client, world.users["officer_a"])
    url = reverse("market:officer_store", args=[seller.pk])
    with django_assert_max_num_queries(20):
        html = client.get(url, **EN).content.decode()
    assert "8 products" in html and html.count('class="review-products"') == 1
