"""Fifty buyers race for the last ten units: exactly ten orders, stock never negative.

Each buyer runs in its own thread with its own database connection and places its order
through the real service (conditional UPDATE ``stock = stock - q WHERE stock >= q``).
On PostgreSQL the race is real (row locks, concurrent transactions).  On SQLite writers
are serialised by the database (``BEGIN IMMEDIATE``; the shared in-memory test database
answers "locked" to a waiting writer, which retries): the test checks the same outcome.
"""

from __future__ import annotations

import random
import secrets
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from htxso.core.actors import PUBLIC
from htxso.core.errors import ServiceError
from htxso.market.models import Order, Variant

from .fixtures_market import BUYER, add, make_product, make_store, new_cart

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 50
STOCK = 10


def _race(world, *, buyers=BUYERS, stock=STOCK, same_key_pairs=False):
    from htxso.market.services.orders import checkout_place

    store = make_store(world, "b1", "Cà phê cuối vụ")
    product = make_product(
        store, "Cà phê cuối vụ", variants=[{"label": "1 kg", "price": 200000, "stock": 100}]
    )
    variant = product.variants.get()
    carts = []
    for _ in range(buyers):
        cart = new_cart()
        add(cart, variant, 1)
        carts.append(cart)
    Variant.objects.filter(pk=variant.pk).update(stock=stock)
    barrier = threading.Barrier(buyers)
    results: list[str] = []
    lock = threading.Lock()

    def buy(cart):
        outcome = "error"
        try:
            barrier.wait(timeout=30)
            # SQLite's shared in-memory test database answers "locked" at once (no busy
            # timeout there): keep retrying for a while, however slow the machine is.
            give_up = time.monotonic() + 90
            attempt = 0
            while time.monotonic() < give_up:
                attempt += 1
                try:
                    checkout_place(
                        actor=PUBLIC,
                        cart=cart,
                        data=dict(BUYER),
                        idempotency_key=secrets.token_hex(12),
                    )
                    outcome = "ok"
                    break
                except OperationalError:  # SQLite: "database is locked" → retry
                    time.sleep(random.uniform(0.005, 0.02) * min(attempt, 10))
                    continue
        except ServiceError as exc:
            outcome = exc.code
        except Exception as exc:  # reported in the assertion message
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=buy, args=(c,)) for c in carts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=150)
    return variant, results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_fifty_buyers_ten_units_postgresql(world):
    variant, results = _race(world)
    assert results.count("ok") == STOCK, results
    assert results.count("not_enough_stock") == BUYERS - STOCK
    assert Order.objects.count() == STOCK
    assert Variant.objects.get(pk=variant.pk).stock == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite variant")
def test_fifty_buyers_ten_units_sqlite(world):
    variant, results = _race(world)
    assert results.count("ok") == STOCK, results
    assert results.count("not_enough_stock") == BUYERS - STOCK, results
    assert Order.objects.count() == STOCK
    assert Variant.objects.get(pk=variant.pk).stock == 0
