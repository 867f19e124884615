"""Reviews by verified buyers; reports by anyone; moderation by the province."""

from __future__ import annotations

import pytest

from htxso.core.actors import PUBLIC
from htxso.core.errors import ServiceError
from htxso.market.models import Product, Review
from htxso.market.services import reviews as review_svc
from htxso.market.services.orders import order_transition

from .fixtures_market import add, new_cart, place, refused

pytestmark = pytest.mark.django_db


def _delivered(market):
    seller = market.world.users["manager_b1"]
    cart = new_cart()
    add(cart, market.coffee.variants.get())
    (order,) = place(cart)
    review_ok = False
    for state in ("confirmed", "paid", "shipped", "delivered"):
        with pytest.raises(ServiceError) if not review_ok else _noop():
            review_svc.review_create(
                actor=PUBLIC,
                order=order,
                product_id=market.coffee.pk,
                rating=5,
                text_value="",
                author_name="",
            )
        order = order_transition(actor=seller, order=order, to_state=state)
    return order


class _noop:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def test_only_received_orders_review_once(market):
    order = _delivered(market)
    with pytest.raises(ServiceError):
        review_svc.review_create(
            actor=PUBLIC,
            order=order,
            product_id=market.honey.pk,
            rating=5,
            text_value="",
            author_name="",
        )
    for bad in (0, 6, "x"):
        with pytest.raises(Exception):
            review_svc.review_create(
                actor=PUBLIC,
                order=order,
                product_id=market.coffee.pk,
                rating=bad,
                text_value="",
                author_name="",
            )
    review = review_svc.review_create(
        actor=PUBLIC,
        order=order,
        product_id=market.coffee.pk,
        rating=4,
        text_value="<img src=x onerror=alert(1)>Ngon",
        author_name="Nguyễn Văn An",
    )
    assert review.text == "Ngon" and review.author_name == "An N."
    p = Product.objects.get(pk=market.coffee.pk)
    assert p.rating == 4.0 and p.rating_count == 1
    with pytest.raises(ServiceError) as exc:
        review_svc.review_create(
            actor=PUBLIC,
            order=order,
            product_id=market.coffee.pk,
            rating=3,
            text_value="",
            author_name="",
        )
    assert exc.value.code == "review_exists"


def test_report_and_moderation(market):
    order = _delivered(market)
    review = review_svc.review_create(
        actor=PUBLIC,
        order=order,
        product_id=market.coffee.pk,
        rating=1,
        text_value="Quảng cáo",
        author_name="",
    )
    report = review_svc.report_create(
        actor=PUBLIC, review=review, reason="spam", detail="<b>spam</b>"
    )
    assert report.province_id == "66" and report.detail == "spam"
    with refused():
        review_svc.report_resolve(
            actor=market.world.users["officer_a"], report=report, uphold=True, note="x"
        )
    review_svc.report_resolve(
        actor=market.world.users["officer_b"], report=report, uphold=True, note="Nội dung quảng cáo"
    )
    assert Review.objects.get(pk=review.pk).status == "hidden"
    assert Product.objects.get(pk=market.coffee.pk).rating_count == 0
    with pytest.raises(ServiceError):
        review_svc.report_resolve(
            actor=market.world.users["officer_b"], report=report, uphold=False, note="again"
        )
    report2 = review_svc.report_create(actor=PUBLIC, product=market.coffee, reason="counterfeit")
    review_svc.report_resolve(
        actor=market.world.users["vca"], report=report2, uphold=True, note="Giả chứng nhận"
    )
    assert Product.objects.get(pk=market.coffee.pk).status == "blocked"
    from htxso.market.services.catalogue import product_set_status

    with pytest.raises(ServiceError) as exc:
        product_set_status(
            actor=market.world.users["manager_b1"],
            product=Product.objects.get(pk=market.coffee.pk),
            status="active",
        )
    assert exc.value.code == "product_blocked"
