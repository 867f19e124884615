"""Someone who is not signed in may only send a small body: a larger one is refused
with 413 before Django parses it; signed-in users keep the per-form limits."""

from __future__ import annotations

import io
import random

import pytest
from django.http import multipartparser
from PIL import Image

from htxso.core.actors import OPERATOR

pytestmark = pytest.mark.django_db

TWO_MB = 2 * 1024 * 1024


@pytest.fixture
def parses(monkeypatch):
    """Counts the multipart bodies Django parses."""
    calls = []
    original = multipartparser.MultiPartParser.parse

    def parse(self):
        calls.append(1)
        return original(self)

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", parse)
    return calls


def _photo(size_bytes: int = TWO_MB) -> bytes:
    rng = random.Random(4)
    side = 1400
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    data = out.getvalue()
    assert len(data) > size_bytes * 0.9
    return data


def test_anonymous_large_multipart_is_refused_unparsed(client, parses):
    body = {"username": "a", "password": "b", "file": io.BytesIO(b"x" * TWO_MB)}
    body["file"].name = "big.bin"
    response = client.post("/dang-nhap/", body)
    assert response.status_code == 413
    assert parses == []
    assert "text/html" in response["Content-Type"]


def test_anonymous_large_api_body_is_a_json_413(client):
    response = client.post(
        "/api/v1/trace/capture",
        data=b"{" + b" " * TWO_MB + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_anonymous_small_posts_still_work(client, world, parses):
    response = client.post("/dang-nhap/", {"username": "u_buyer", "password": "nope"})
    assert response.status_code in (200, 302, 403, 429)
    assert parses == [1] or response.status_code != 413


def test_anonymous_chunked_body_is_refused(client):
    response = client.generic(
        "POST",
        "/dang-nhap/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411
    api = client.generic(
        "POST", "/api/v1/trace/capture", data=b"", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert api.status_code == 411 and api.json()["code"] == "length_required"


def test_invalid_content_length_is_refused_for_anonymous(client):
    response = client.generic("POST", "/dang-nhap/", data=b"a=b", CONTENT_LENGTH="abc")
    assert response.status_code == 411


def test_forged_session_cookie_does_not_lift_the_limit(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "forged-session-key"
    response = client.post("/dang-nhap/", {"x": "y" * TWO_MB})
    assert response.status_code == 413


def test_signed_in_seller_uploads_a_2_mb_photo(client, world, settings, tmp_path, parses):
    from tests.market.fixtures_market import make_product, make_store

    settings.MEDIA_ROOT = tmp_path
    store = make_store(world, "a1", "Hợp Giang")
    product = make_product(store, "Gạo tám", cat="gao")
    variant = product.variants.get()
    client.force_login(world.users["manager_a1"])
    raw = _photo()
    assert len(raw) > settings.HTXSO_ANONYMOUS_MAX_BODY
    photo = io.BytesIO(raw)
    photo.name = "gao.jpg"
    data = {
        "title": product.title,
        "unit": product.unit,
        "category": product.category_id,
        "shelf_life_days": product.shelf_life_days or "",
        "variant_count": "1",
        "v0-id": variant.pk,
        "v0-label": variant.label,
        "v0-price": variant.price,
        "v0-stock": variant.stock,
        "photos": photo,
    }
    response = client.post(f"/cho/ban-hang/san-pham/{product.pk}/", data)
    assert response.status_code == 302, response.content[:500]
    assert product.images.count() == 1
    assert parses


def test_api_token_lifts_the_limit(client, world):
    from htxso.accounts import services

    _token, raw = services.api_token_create(actor=OPERATOR, user=world.users["manager_a1"])
    response = client.post(
        "/api/v1/trace/capture",
        data=b"{" + b" " * TWO_MB + b"}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code not in (411, 413), response.content[:300]
    bogus = client.post(
        "/api/v1/trace/capture",
        data=b"{" + b" " * TWO_MB + b"}",
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer htx_not-a-token",
    )
    assert bogus.status_code == 413
