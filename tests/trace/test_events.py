"""Recording critical tracking events: chain, order, conservation, idempotency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError
from htxso.trace.models import Event, LedgerRow, Lot, LotEdge, LotPlot
from htxso.trace.services import events

from .helpers import at, make_chain, make_items, make_plot

pytestmark = pytest.mark.django_db


def test_chain_links_lots_plots_and_ledger(world):
    c = make_chain(world.orgs["a1"])
    assert Event.objects.count() == 6
    assert LedgerRow.objects.count() == 6
    assert list(LedgerRow.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
    # every output lot knows the plots it came from, through all transformations
    assert set(LotPlot.objects.filter(lot=c.packaged).values_list("plot_id", flat=True)) == {
        p.pk for p in c.plots
    }
    assert LotEdge.objects.filter(child=c.parchment).count() == 2
    harvest = c.events[0]
    assert harvest.event_hash.startswith("ni:///sha-256;") and harvest.event_hash.endswith(
        "?ver=CBV2.0"
    )
    assert harvest.body["bizStep"] == "commissioning"
    assert harvest.body["quantityList"][0]["epcClass"].startswith("https://id.gs1.org/01/0893")
    assert harvest.body["eventTimeZoneOffset"] == "+07:00"
    packaged = Lot.objects.get(pk=c.packaged.pk)
    assert packaged.shipped is True


def test_shipped_before_harvested_is_refused(world):
    org = world.orgs["a1"]
    items = make_items(org)
    plot = make_plot(org)
    ev = events.harvest_record(
        actor=OPERATOR,
        organisation=org,
        plot=plot,
        trade_item=items["cherry"],
        quantity_kg=500,
        harvested_at=at(5),
    )
    lot = ev.lot_links.get().lot
    with pytest.raises(ServiceError) as err:
        events.observation_record(
            actor=OPERATOR, organisation=org, kind="shipping", lots=[lot], at=at(6)
        )
    assert err.value.code == "event_before_lot_created"
    assert lot.code in str(err.value)
    assert Event.objects.count() == 1 and LedgerRow.objects.count() == 1


def test_receiving_needs_a_shipping_before(world):
    org = world.orgs["a1"]
    items = make_items(org)
    lot = (
        events.harvest_record(
            actor=OPERATOR,
            organisation=org,
            plot=make_plot(org),
            trade_item=items["cherry"],
            quantity_kg=500,
            harvested_at=at(5),
        )
        .lot_links.get()
        .lot
    )
    with pytest.raises(ServiceError) as err:
        events.observation_record(
            actor=OPERATOR, organisation=org, kind="receiving", lots=[lot], at=at(4)
        )
    assert err.value.code == "received_before_shipped"


def test_duplicate_event_id_returns_the_same_event(world):
    org = world.orgs["a1"]
    items = make_items(org)
    plot = make_plot(org)
    kwargs = {
        "actor": OPERATOR,
        "organisation": org,
        "plot": plot,
        "trade_item": items["cherry"],
        "quantity_kg": 300,
        "harvested_at": at(3),
        "event_id": "urn:uuid:11111111-2222-4333-8444-555555555555",
    }
    first = events.harvest_record(**kwargs)
    again = events.harvest_record(**kwargs)
    assert again.pk == first.pk
    assert Lot.objects.count() == 1 and LedgerRow.objects.count() == 1


def test_event_id_of_another_organisation_is_refused(world):
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    items = make_items(a1)
    eid = "urn:uuid:11111111-2222-4333-8444-666666666666"
    events.harvest_record(
        actor=OPERATOR,
        organisation=a1,
        plot=make_plot(a1),
        trade_item=items["cherry"],
        quantity_kg=300,
        harvested_at=at(3),
        event_id=eid,
    )
    with pytest.raises(ServiceError) as err:
        events.observation_record(
            actor=OPERATOR, organisation=b1, kind="storage", lots=[], at=at(1), event_id=eid
        )
    assert err.value.code == "event_id_taken"


def test_mass_not_conserved_is_refused_and_odd_yield_flagged(world):
    org = world.orgs["a1"]
    items = make_items(org)
    lot = (
        events.harvest_record(
            actor=OPERATOR,
            organisation=org,
            plot=make_plot(org),
            trade_item=items["cherry"],
            quantity_kg=1000,
            harvested_at=at(9),
        )
        .lot_links.get()
        .lot
    )
    with pytest.raises(ServiceError) as err:
        events.transformation_record(
            actor=OPERATOR,
            organisation=org,
            kind="processing",
            inputs=[(lot, Decimal(1000))],
            outputs=[(items["parchment"], Decimal(1100), None)],
            at=at(8),
        )
    assert err.value.code == "mass_not_conserved"
    with pytest.raises(ServiceError) as err:
        events.transformation_record(
            actor=OPERATOR,
            organisation=org,
            kind="processing",
            inputs=[(lot, Decimal(5000))],
            outputs=[(items["parchment"], Decimal(100), None)],
            at=at(8),
        )
    assert err.value.code == "input_exceeds_lot"
    ev = events.transformation_record(
        actor=OPERATOR,
        organisation=org,
        kind="processing",
        inputs=[(lot, Decimal(1000))],
        outputs=[(items["parchment"], Decimal(900), None)],
        at=at(8),
    )
    assert ev.flags == ["yield_implausible"]
    assert Lot.objects.count() == 2


def test_nothing_half_saved_when_refused(world):
    org = world.orgs["a1"]
    items = make_items(org)
    before = (Lot.objects.count(), Event.objects.count(), LedgerRow.objects.count())
    with pytest.raises(ServiceError):
        events.harvest_record(
            actor=OPERATOR,
            organisation=org,
            plot=make_plot(org),
            trade_item=items["cherry"],
            quantity_kg=-5,
            harvested_at=at(1),
        )
    with pytest.raises(ServiceError) as err:
        events.harvest_record(
            actor=OPERATOR,
            organisation=org,
            plot=make_plot(org, "P-2"),
            trade_item=items["cherry"],
            quantity_kg=5,
            harvested_at=at(-3),
        )
    assert err.value.code == "event_in_future"
    assert (Lot.objects.count(), Event.objects.count(), LedgerRow.objects.count()) == before


def test_other_organisations_plot_is_refused(world):
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    items = make_items(a1)
    from htxso.geo.models import Ward

    plot_b = make_plot(
        b1, lon=108.04, lat=12.68, ward=Ward.objects.filter(province_id="66").first()
    )
    with pytest.raises(ServiceError) as err:
        events.harvest_record(
            actor=OPERATOR,
            organisation=a1,
            plot=plot_b,
            trade_item=items["cherry"],
            quantity_kg=5,
            harvested_at=at(1),
        )
    assert err.value.code == "plot_not_yours"


def test_error_declaration_is_a_new_event_never_an_edit(client, world):
    c = make_chain(world.orgs["a1"], plots=1)
    shipping = c.events[-1]
    body_before = dict(shipping.body)
    client.force_login(world.users["manager_a1"])
    url = f"/truy-xuat/su-kien/{shipping.pk}/bao-loi/"
    assert client.post(url, {"reason": ""}).status_code == 302
    assert Event.objects.filter(correction_of=shipping).count() == 0
    assert client.post(url, {"reason": "Sai người mua"}).status_code == 302
    declaration = Event.objects.get(correction_of=shipping)
    shipping.refresh_from_db()
    assert shipping.body == body_before
    assert declaration.body["errorDeclaration"]["reason"] == "incorrect_data"
    assert declaration.event_id != shipping.event_id
    # EPCIS hashes leave errorDeclaration out: the declaration names the same event
    assert declaration.event_hash == shipping.event_hash
    assert LedgerRow.objects.count() == len(c.events) + 1
    page = client.get(f"/01/{c.packaged.gtin}/10/{c.packaged.code}").content.decode()
    assert "đã khai báo là sai" in page
    assert client.post(url, {"reason": "lần nữa"}).status_code == 302
    assert Event.objects.filter(correction_of=shipping).count() == 1
    client.force_login(world.users["manager_b1"])
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_lost_race_for_the_ledger_number_is_retried(world, monkeypatch):
    """Two writers read the same last row: the loser's insert fails and is retried."""
    from htxso.trace.services import ledger

    org = world.orgs["a1"]
    items = make_items(org)
    plot = make_plot(org)
    events.harvest_record(
        actor=OPERATOR,
        organisation=org,
        plot=plot,
        trade_item=items["cherry"],
        quantity_kg=10,
        harvested_at=at(3),
    )
    real = ledger.LedgerRow.objects.create
    calls = {"n": 0}

    def racing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:  # the other writer got there first with this number
            kwargs = {**kwargs, "seq": 1}
        return real(**kwargs)

    monkeypatch.setattr(ledger.LedgerRow.objects, "create", racing_create)
    ev = events.harvest_record(
        actor=OPERATOR,
        organisation=org,
        plot=plot,
        trade_item=items["cherry"],
        quantity_kg=11,
        harvested_at=at(2),
    )
    assert calls["n"] == 2 and ev.ledger_row.seq == 2
    assert Event.objects.count() == 2 and Lot.objects.count() == 2
