"""The periodic market tasks through the Tasks API and the cron command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from htxso.market.models import Order
from htxso.market.tasks import expire_unpaid_orders

from .fixtures_market import add, new_cart, place

pytestmark = pytest.mark.django_db


def test_expiry_task_and_command(market):
    cart = new_cart()
    add(cart, market.coffee.variants.get(), 3)
    (order,) = place(cart)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    result = expire_unpaid_orders.enqueue()
    assert result.return_value == 1
    order.refresh_from_db()
    assert order.state == "expired"
    assert market.coffee.variants.get().stock == 20
    call_command("market_tick")  # nothing left to do, and no error
