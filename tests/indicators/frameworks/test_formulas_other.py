"""Programmes, market and traceability formulas with hand-made data."""

import datetime as dt

import pytest
from django.utils import timezone

from htxso.indicators import formulas, periods
from htxso.market.models import Store
from htxso.programs.models import Application
from htxso.trace.models import Lot, TradeItem

from .helpers import org

pytestmark = pytest.mark.django_db


def run(key, period, province=None, params=None, by=()):
    return formulas.get(key).compute(
        period=periods.parse(period), province=province, params=params or {}, by=by
    )


def aware(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 10))


def test_cooperatives_selling_on_the_market():
    a, b, g = org(), org(province="66"), org(kind="group")
    assert run("market.cooperatives_selling", "2025").note == "no_data"
    for n, (o, status, when) in enumerate(
        [(a, "verified", aware(2025, 3, 1)), (a, "verified", aware(2025, 4, 1)),
         (b, "verified", aware(2025, 9, 1)), (g, "verified", aware(2025, 3, 1)),
         (b, "suspended", aware(2025, 2, 1))]
    ):  # fmt: skip
        Store.objects.create(
            organisation=o,
            name=f"Gian {n}",
            slug=f"gian-fw-{n}",
            status=status,
            verified_at=when,
            bank_bin="970405",
            bank_account="0123456789",
        )
    Store.objects.update(created_at=aware(2025, 1, 1))
    assert run("market.cooperatives_selling", "2025S1").value == 1  # a (twice), not the group
    result = run("market.cooperatives_selling", "2025", by=("province",))
    assert result.value == 2
    assert {k: v.value for k, v in result.cells.items()} == {"province=04": 1, "province=66": 1}


def test_cooperatives_with_traced_lots():
    a, b = org(), org(province="66")
    assert run("trace.cooperatives_with_lots", "2025").note == "no_data"
    item = TradeItem.objects.create(organisation=a, gtin="08938600710055", name="Cà phê")
    for n, (o, when) in enumerate(
        [(a, aware(2025, 2, 1)), (a, aware(2025, 3, 1)), (b, aware(2025, 8, 1))]
    ):
        Lot.objects.create(
            organisation=o,
            trade_item=item,
            code=f"L{n}",
            kind="green",
            quantity_kg=10,
            produced_at=when,
        )
    assert run("trace.cooperatives_with_lots", "2025S1").value == 1
    assert run("trace.cooperatives_with_lots", "2025").value == 2
    assert run("trace.cooperatives_with_lots", "2025", params={"since": "2025-06-01"}).value == 1


def test_organisations_and_provinces_selected_by_a_programme(world):
    from tests.programs.helpers import make_call

    call = make_call(world.users["vca"])
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    Application.objects.create(call=call, organisation=a1, status="selected")
    Application.objects.create(call=call, organisation=b1, status="not_selected")
    assert run("programs.selected_organisations", "2026S2").value == 1
    assert (
        run("programs.selected_provinces", "2026S2", params={"programme": "Thanh niên"}).value == 1
    )
    assert run("programs.selected_provinces", "2026S2", params={"programme": "khác"}).value == 0
