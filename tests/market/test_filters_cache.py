"""The market's filter panel is cached per language and per filter values: a cached
panel never shows another visitor's selection or another language."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _selected(html: str, select_id: str) -> str:
    block = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    found = re.search(r'<option value="([^"]*)"[^>]*selected', block)
    return found.group(1) if found else ""


def test_each_filter_value_has_its_own_panel(client):
    first = client.get("/cho/?tinh=04").content.decode()
    second = client.get("/cho/?tinh=66").content.decode()
    again = client.get("/cho/?tinh=04").content.decode()
    assert _selected(first, "f-prov") == "04"
    assert _selected(second, "f-prov") == "66"
    assert _selected(again, "f-prov") == "04"
    assert _selected(client.get("/cho/").content.decode(), "f-prov") == ""


def test_sort_and_stars_are_kept(client):
    html = client.get("/cho/?ocop=4&sap_xep=gia_tang").content.decode()
    assert _selected(html, "f-ocop") == "4"
    html = client.get("/cho/?ocop=3").content.decode()
    assert _selected(html, "f-ocop") == "3"


def test_languages_do_not_share_a_panel(client):
    client.cookies["htxso_language"] = "vi"
    vi = client.get("/cho/").content.decode()
    client.cookies["htxso_language"] = "en"
    en = client.get("/cho/").content.decode()
    assert "Tất cả tỉnh" in vi or "Tất cả các tỉnh" in vi
    assert "All provinces" in en
    assert "All provinces" not in vi


def test_product_sizes_follow_stock_and_price(client, market):
    """The sizes block of a product page is cached per sizes, prices and stock: a
    sold-out size or a new price shows at once."""
    from htxso.market.models import Variant

    product = market.honey
    variant = product.variants.filter(is_active=True).order_by("position").first()
    url = f"/cho/san-pham/{product.pk}/"
    first = client.get(url).content.decode()
    assert f'value="{variant.pk}"' in first and "variant--out" not in first
    Variant.objects.filter(pk=variant.pk).update(stock=0, price=123456)
    again = client.get(url).content.decode()
    assert "variant--out" in again and "123.456" in again
    client.cookies["htxso_language"] = "en"
    english = client.get(url).content.decode()
    assert "sold out" in english
