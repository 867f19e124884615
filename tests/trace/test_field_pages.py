"""Field pages and the manager's forms: little typing, precise messages, no duplicates."""

from __future__ import annotations

import json

import pytest

from htxso.core.actors import OPERATOR
from htxso.trace.models import Event, Facility, Lot, Plot, TradeItem

from .helpers import CB_LAT, CB_LON, make_items, make_plot, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, world):
    client.force_login(world.users["manager_a1"])
    return client


def _ward(org):
    from htxso.geo.models import Ward

    return Ward.objects.filter(province_id=org.province_id).order_by("code").first()


def test_harvest_form_records_once_even_when_retried(manager, world):
    org = world.orgs["a1"]
    items = make_items(org)
    plot = make_plot(org)
    url = f"/truy-xuat/to-chuc/{org.pk}/ghi/harvest/"
    page = manager.get(url)
    assert page.status_code == 200
    data = {
        "event_id": "urn:uuid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
        "plot": plot.pk,
        "trade_item": items["cherry"].pk,
        "quantity_kg": "250,5".replace(",", "."),
        "at": "2026-01-05T07:30",
    }
    first = manager.post(url, data)
    assert first.status_code == 302
    retry = manager.post(url, data, HTTP_X_TRACE_QUEUE="1")  # the offline queue resends it
    assert retry.status_code == 200
    assert retry.json()["event_id"] == data["event_id"]
    assert Event.objects.filter(event_id=data["event_id"]).count() == 1
    assert Lot.objects.get().quantity_kg == pytest.approx(250.5)


def test_out_of_order_message_is_shown(manager, world):
    org = world.orgs["a1"]
    items = make_items(org)
    plot = make_plot(org)
    url = f"/truy-xuat/to-chuc/{org.pk}/ghi/"
    manager.post(
        url + "harvest/",
        {
            "event_id": "urn:uuid:1",
            "plot": plot.pk,
            "trade_item": items["cherry"].pk,
            "quantity_kg": "100",
            "at": "2026-01-05T07:30",
        },
    )
    lot = Lot.objects.get()
    response = manager.post(
        url + "shipping/", {"event_id": "urn:uuid:2", "lots": [lot.pk], "at": "2026-01-01T07:30"}
    )
    assert response.status_code == 200
    assert lot.code in response.content.decode()
    assert Event.objects.count() == 1
    queued = manager.post(
        url + "shipping/",
        {"event_id": "urn:uuid:3", "lots": [lot.pk], "at": "2026-01-01T07:30"},
        HTTP_X_TRACE_QUEUE="1",
    )
    assert queued.status_code == 400 and queued.json()["code"] == "event_before_lot_created"


def test_plot_form_explains_swapped_coordinates(manager, world):
    org = world.orgs["a1"]
    url = f"/truy-xuat/to-chuc/{org.pk}/vung-trong/them/"
    response = manager.post(
        url,
        {
            "code": "X1",
            "ward": _ward(org).pk,
            "crop": "coffee",
            "area_ha": "1",
            "latitude": str(CB_LON),
            "longitude": str(CB_LAT),
        },
    )
    assert response.status_code == 200
    assert Plot.objects.count() == 0
    response = manager.post(
        url,
        {
            "code": "X1",
            "ward": _ward(org).pk,
            "crop": "coffee",
            "geometry_text": json.dumps(square(CB_LON, CB_LAT)),
        },
    )
    assert response.status_code == 302
    plot = Plot.objects.get()
    assert plot.geometry_kind == "polygon" and plot.area_ha > 0


def test_open_ring_and_big_point_are_refused(manager, world):
    org = world.orgs["a1"]
    url = f"/truy-xuat/to-chuc/{org.pk}/vung-trong/them/"
    ring = square(CB_LON, CB_LAT)
    ring["coordinates"][0] = ring["coordinates"][0][:-1]
    r = manager.post(
        url,
        {"code": "X2", "ward": _ward(org).pk, "crop": "coffee", "geometry_text": json.dumps(ring)},
    )
    assert r.status_code == 200
    r = manager.post(
        url,
        {
            "code": "X3",
            "ward": _ward(org).pk,
            "crop": "coffee",
            "area_ha": "6",
            "latitude": str(CB_LAT),
            "longitude": str(CB_LON),
        },
    )
    assert r.status_code == 200 and Plot.objects.count() == 0


def test_product_and_facility_codes_are_checked(manager, world):
    org = world.orgs["a1"]
    r = manager.post(
        f"/truy-xuat/to-chuc/{org.pk}/san-pham/them/",
        {"gtin": "8936000000001", "name": "Cà phê", "lot_kind": "packaged"},
    )
    assert r.status_code == 200 and TradeItem.objects.count() == 0
    from htxso.core.codes import gtin_check_digit

    body = "893860099001"
    good = f"{body}{gtin_check_digit(body)}"
    bad = f"{body}{(gtin_check_digit(body) + 1) % 10}"
    url = f"/truy-xuat/to-chuc/{org.pk}/co-so/them/"
    r = manager.post(url, {"name": "Kho", "kind": "warehouse", "gln": bad})
    assert r.status_code == 200 and Facility.objects.count() == 0
    assert manager.post(url, {"name": "Kho", "kind": "warehouse", "gln": good}).status_code == 302
    assert Facility.objects.get().gln == good


def test_other_province_manager_gets_404(client, world):
    client.force_login(world.users["manager_b1"])
    assert client.get(f"/truy-xuat/to-chuc/{world.orgs['a1'].pk}/ghi/harvest/").status_code == 404


def test_partly_used_lot_is_offered_with_what_is_left(manager, world):
    from decimal import Decimal

    from htxso.trace.services import events

    from .helpers import at

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
    events.transformation_record(
        actor=OPERATOR,
        organisation=org,
        kind="processing",
        inputs=[(lot, Decimal(400))],
        outputs=[(items["parchment"], Decimal(90), None)],
        at=at(8),
    )
    url = f"/truy-xuat/to-chuc/{org.pk}/ghi/processing/"
    page = manager.get(url).content.decode()
    assert f"{lot.code} · Cà phê quả tươi · 600\u00a0kg" in page
    response = manager.post(
        url,
        {
            "event_id": "urn:uuid:p2",
            "inputs": [lot.pk],
            "trade_item": items["parchment"].pk,
            "quantity_kg": "130",
            "method": "natural",
            "at": at(7).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert lot.event_links.filter(role="input").count() == 2
    assert lot.code not in manager.get(url).content.decode()  # nothing left
