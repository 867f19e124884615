"""Issue 13: the English product form said "e.g. 500 g at 120.000 đ": the example
price is now written the way the reader's language writes amounts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from htxso.core.formatting import format_vnd
from htxso.market.models import Store

pytestmark = pytest.mark.django_db


def test_format_vnd_per_language():
    assert format_vnd(120_000) == "120.000\u00a0₫"
    assert format_vnd(1_234_567, language="en") == "1,234,567\u00a0₫"
    assert format_vnd(-5, language="en") == "-5\u00a0₫"


@pytest.mark.parametrize(
    ("language", "price"), [("en", "120,000\u00a0₫"), ("vi", "120.000\u00a0₫")]
)
def test_product_form_help_shows_the_example_price_per_language(client, world, language, price):
    store = Store.objects.create(
        organisation=world.orgs["a1"],
        name="Gian hàng thử",
        slug="gian-hang-thu-13",
        bank_bin="970405",
        bank_account="0123456789",
    )
    user = world.users["manager_a1"]
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    client.cookies["django_language"] = language
    url = reverse("market:seller_product_create", args=[store.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    help_text = body.split('<p class="help">')[1].split("</p>")[0]
    assert price in help_text
    assert "120.000 đ" not in help_text
