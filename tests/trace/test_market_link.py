"""The market's product and the trace page link to each other through the GTIN."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from htxso.trace.qr import lot_url
from tests.market.fixtures_market import make_product, make_store

from .helpers import make_chain

pytestmark = pytest.mark.django_db


def test_product_page_and_trace_page_link_both_ways(world, client):
    chain = make_chain(world.orgs["a1"])
    lot = chain.packaged
    store = make_store(world, "a1", "Cà phê Hợp Giang")
    # typed as the 13 digits printed under the barcode; stored as GTIN-14
    product = make_product(store, "Cà phê rang xay Hợp Giang", gtin=lot.gtin.lstrip("0"))
    assert product.gtin == lot.gtin

    page = client.get(product.get_absolute_url())
    assert page.status_code == 200
    assert lot_url(lot) in page.content.decode()

    trace = client.get(lot_url(lot))
    assert trace.status_code == 200
    assert product.get_absolute_url() in trace.content.decode()


def test_a_hidden_product_is_not_linked_from_the_trace_page(world, client):
    from django.core.cache import cache

    from htxso.market.services.catalogue import product_set_status

    cache.clear()  # anonymous trace pages are cached for a few minutes
    chain = make_chain(world.orgs["a1"])
    store = make_store(world, "a1", "Cà phê Hợp Giang")
    product = make_product(store, "Cà phê rang xay", gtin=chain.packaged.gtin)
    product_set_status(actor=store.owner, product=product, status="hidden")
    trace = client.get(lot_url(chain.packaged))
    assert product.get_absolute_url() not in trace.content.decode()


def test_product_without_lots_has_no_trace_link(world, client):
    store = make_store(world, "a1", "Cà phê Hợp Giang")
    product = make_product(store, "Cà phê rang xay", gtin="8938600990051")
    assert "/01/" not in client.get(product.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("value", "code"),
    [("8938600990052", "gtin_check_digit"), ("89386009A0051", "gtin_format")],
)
def test_a_wrong_barcode_is_refused_and_nothing_is_saved(world, value, code):
    from htxso.market.models import Product

    store = make_store(world, "a1", "Cà phê Hợp Giang")
    with pytest.raises(ValidationError) as exc:
        make_product(store, "Cà phê rang xay", gtin=value)
    assert code in str(exc.value.error_dict["gtin"][0].code)
    assert not Product.objects.filter(store=store).exists()


def test_the_demo_coffee_gtin_is_the_trace_demo_numbering():
    """The market demo sells the packaged coffee under ``DEMO_COFFEE_GTIN``; the trace
    demo numbers its other products in the same GS1 company prefix."""
    from htxso.core.demodata import DEMO_COFFEE_GTIN
    from htxso.trace.demo import PRODUCTS, _gtin

    assert [ref for kind, ref, *_ in PRODUCTS if kind == "packaged"] == ["005"]
    assert _gtin("005") == DEMO_COFFEE_GTIN
