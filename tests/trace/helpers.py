"""A small coffee chain for trace tests (organisation a1 of the ``world`` fixture)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from htxso.core.actors import OPERATOR
from htxso.core.codes import gtin_check_digit

#: A point inside Cao Bằng (province "04", organisation a1's).
CB_LON, CB_LAT = 106.252213, 22.665734


def gtin(ref: str, company: str = "893860099") -> str:
    body = f"{company}{ref}"
    return f"0{body}{gtin_check_digit(body)}"


def square(lon: float, lat: float, d: float = 0.004117) -> dict:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}


def at(days_ago: float, hour: int = 8) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@dataclass
class Chain:
    org: object
    items: dict = field(default_factory=dict)
    plots: list = field(default_factory=list)
    cherries: list = field(default_factory=list)
    parchment: object = None
    green: object = None
    packaged: object = None
    events: list = field(default_factory=list)


def _tagged(name: str, tag: str) -> str:
    """``name`` with ``tag`` after it (lists in the permission test look for the tag)."""
    return f"{name} {tag}" if tag else name


def make_items(org, company="893860099", *, tag=""):
    from htxso.trace.services import master

    return {
        kind: master.trade_item_add(
            actor=OPERATOR,
            organisation=org,
            gtin=gtin(ref, company),
            name=_tagged(name, tag),
            lot_kind=kind,
        )
        for kind, ref, name in [
            ("cherry", "001", "Cà phê quả tươi"),
            ("parchment", "002", "Cà phê thóc"),
            ("green", "003", "Cà phê nhân"),
            ("packaged", "005", "Cà phê rang xay 500 g"),
        ]
    }


def make_plot(org, code="P-001", *, lon=CB_LON, lat=CB_LAT, polygon=True, ward=None, tag="", **kw):
    from htxso.geo.models import Ward
    from htxso.trace.services import master

    ward = ward or Ward.objects.filter(province_id=org.province_id).order_by("code").first()
    geometry = square(lon, lat) if polygon else {"type": "Point", "coordinates": [lon, lat]}
    kw.setdefault("producer_name", _tagged("Nông Văn Mẫu", tag))
    kw.setdefault("deforestation_free", True)
    kw.setdefault("deforestation_evidence", "Ảnh vệ tinh 2020")
    return master.plot_register(
        actor=OPERATOR,
        organisation=org,
        code=code,
        ward=ward,
        geometry=geometry,
        area_ha=kw.pop("area_ha", None if polygon else Decimal("1.2")),
        **kw,
    )


def make_chain(org, *, plots=2, company="893860099", tag="") -> Chain:
    """Two harvests → processing → hulling → packing → shipping (``tag`` goes into the
    names of items, producers and the shop, for tests that look for them in lists)."""
    from htxso.trace.services import events

    c = Chain(org=org, items=make_items(org, company, tag=tag))
    for i in range(plots):
        c.plots.append(
            make_plot(org, f"P-{i + 1:03d}", lon=CB_LON + 0.01 * i, polygon=i % 2 == 0, tag=tag)
        )
    for i, plot in enumerate(c.plots):
        ev = events.harvest_record(
            actor=OPERATOR,
            organisation=org,
            plot=plot,
            trade_item=c.items["cherry"],
            quantity_kg=Decimal("1000"),
            harvested_at=at(30, 7 + i),
        )
        c.events.append(ev)
        c.cherries.append(ev.lot_links.get().lot)
    ev = events.transformation_record(
        actor=OPERATOR,
        organisation=org,
        kind="processing",
        inputs=[(lot, lot.quantity_kg) for lot in c.cherries],
        outputs=[(c.items["parchment"], Decimal(200 * plots * 2) / 2, None)],
        at=at(25),
        method="washed",
    )
    c.events.append(ev)
    c.parchment = ev.lot_links.get(role="output").lot
    ev = events.transformation_record(
        actor=OPERATOR,
        organisation=org,
        kind="hulling",
        inputs=[(c.parchment, c.parchment.quantity_kg)],
        outputs=[(c.items["green"], c.parchment.quantity_kg * Decimal("0.8"), None)],
        at=at(20),
    )
    c.events.append(ev)
    c.green = ev.lot_links.get(role="output").lot
    ev = events.transformation_record(
        actor=OPERATOR,
        organisation=org,
        kind="packing",
        inputs=[(c.green, Decimal("100"))],
        outputs=[(c.items["packaged"], Decimal("99"), None)],
        at=at(15),
    )
    c.events.append(ev)
    c.packaged = ev.lot_links.get(role="output").lot
    c.events.append(
        events.observation_record(
            actor=OPERATOR,
            organisation=org,
            kind="shipping",
            lots=[c.packaged],
            at=at(10),
            party=_tagged("Cửa hàng Mẫu", tag),
        )
    )
    return c
