"""Trace demo data: a coffee cooperative in Đắk Lắk with 30 member plots, one season of
harvests through processing, hulling, roasting, packing and shipping, and a batch of
stamps on the packaged coffee.

Every event has a fixed eventID, so a second run finds them all and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from decimal import Decimal

from django.utils import timezone

from htxso.core.actors import OPERATOR
from htxso.core.codes import gtin_check_digit
from htxso.core.demodata import DEMO_COFFEE_GTIN, DemoContext
from htxso.geo.models import Ward
from htxso.registry.models import Organisation, Person

from .models import Facility, Lot, Plot, StampBatch, TradeItem
from .services import events, master, stamps

ORDER = 60
PROVINCE = "66"
NAMESPACE = uuid.UUID("5b0c3f5e-8d1a-4a7e-9f0b-6a1f2d3c4e5f")
#: GS1 Vietnam prefix 893 + a demo company number.
COMPANY = "893860071"
PLOTS = 30
#: Centre of the demo plots (Buôn Ma Thuột's coffee belt).
CENTRE = (108.0377, 12.6797)


def _gtin(item_ref: str) -> str:
    body = f"{COMPANY}{item_ref}"
    return f"0{body}{gtin_check_digit(body)}"


PRODUCTS = [
    ("cherry", "001", "Cà phê quả tươi Robusta", "Fresh Robusta coffee cherry", None),
    ("parchment", "002", "Cà phê thóc Robusta", "Robusta parchment coffee", None),
    ("green", "003", "Cà phê nhân xanh Robusta", "Robusta green coffee beans", None),
    ("roasted", "004", "Cà phê rang mộc", "Roasted coffee beans", None),
    ("packaged", "005", "Cà phê rang xay Ea Tu 500 g", "Ea Tu ground coffee 500 g", 500),
]


def _eid(*parts) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(str(p) for p in parts))}"


def _fine(x: float) -> float:
    """Six decimals (GPS precision), never ending in 0 (so none is lost in JSON)."""
    x = round(x, 6)
    return x + 0.000001 if f"{x:.6f}".endswith("0") else x


def _square(lon: float, lat: float, ha: float) -> dict:
    """A closed square polygon of about ``ha`` hectares centred on (lon, lat)."""
    side_m = math.sqrt(ha * 10_000)
    dlat = side_m / 2 / 111_320
    dlon = side_m / 2 / (111_320 * math.cos(math.radians(lat)))
    ring = [
        [round(lon - dlon, 7), round(lat - dlat, 7)],
        [round(lon + dlon, 7), round(lat - dlat, 7)],
        [round(lon + dlon, 7), round(lat + dlat, 7)],
        [round(lon - dlon, 7), round(lat + dlat, 7)],
    ]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def seed(ctx: DemoContext) -> None:
    org = (
        Organisation.objects.filter(province_id=PROVINCE, kind="cooperative").order_by("id").first()
    )
    if org is None:
        ctx.log("trace demo: no cooperative in Đắk Lắk, skipped")
        return
    rng = random.Random(6620)
    items = _products(org)
    facilities = _facilities(org)
    plots = _plots(org, rng)
    season_end = timezone.localdate() - dt.timedelta(days=120)
    _season(org, items, facilities, plots, rng, season_end)
    _stamps(org, items)
    lots = Lot.objects.filter(organisation=org).count()
    ctx.log(f"trace demo: {org.name}: {len(plots)} plots, {lots} lots")


def _products(org) -> dict[str, TradeItem]:
    out = {}
    for kind, ref, name, name_en, grams in PRODUCTS:
        # the packaged coffee's GTIN is shared with the market demo, which sells it
        gtin = DEMO_COFFEE_GTIN if kind == "packaged" else _gtin(ref)
        item = TradeItem.objects.filter(gtin=gtin).first() or master.trade_item_add(
            actor=OPERATOR,
            organisation=org,
            gtin=gtin,
            name=name,
            name_en=name_en,
            lot_kind=kind,
            net_weight_g=grams,
            ocop_product=org.ocop_products.order_by("-stars").first()
            if kind == "packaged"
            else None,
        )
        out[kind] = item
    return out


def _facilities(org) -> dict[str, Facility]:
    wards = list(Ward.objects.filter(province_id=PROVINCE).order_by("code")[:3])
    specs = [
        ("processing", "Trạm sơ chế ướt Ea Tu", "893860071001"),
        ("warehouse", "Kho cà phê nhân Ea Tu", "893860071002"),
        ("roastery", "Xưởng rang xay Ea Tu", "893860071003"),
    ]
    out = {}
    for (kind, name, body), ward in zip(specs, wards or [None] * 3, strict=False):
        gln = f"{body}{gtin_check_digit(body)}"
        out[kind] = Facility.objects.filter(gln=gln).first() or master.facility_add(
            actor=OPERATOR, organisation=org, name=name, kind=kind, gln=gln, ward=ward
        )
    return out


def _plots(org, rng) -> list[Plot]:
    wards = list(Ward.objects.filter(province_id=PROVINCE).order_by("code")[:6])
    people = list(Person.objects.filter(organisation=org).order_by("id")[:PLOTS])
    existing = {p.code: p for p in Plot.objects.filter(organisation=org)}
    plots = []
    for i in range(PLOTS):
        code = f"EATU-{i + 1:03d}"
        if code in existing:
            plots.append(existing[code])
            continue
        lon = CENTRE[0] + rng.uniform(-0.08, 0.08)
        lat = CENTRE[1] + rng.uniform(-0.06, 0.06)
        ha = round(rng.uniform(0.4, 3.5), 2) if i % 6 else round(rng.uniform(4.5, 8.0), 2)
        point = i % 5 == 1 and ha <= 4
        geometry = (
            {"type": "Point", "coordinates": [_fine(lon), _fine(lat)]}
            if point
            else _square(lon, lat, ha)
        )
        member = people[i] if i < len(people) else None
        plots.append(
            master.plot_register(
                actor=OPERATOR,
                organisation=org,
                code=code,
                ward=wards[i % len(wards)],
                geometry=geometry,
                area_ha=Decimal(str(ha)),
                name=f"Rẫy {i + 1}",
                member=member,
                producer_name=member.full_name if member else f"Hộ thành viên {i + 1}",
                deforestation_free=None if i == 29 else True,
                deforestation_evidence=""
                if i == 29
                else "Đối chiếu ảnh vệ tinh 2020 (Global Forest Watch); giấy chứng nhận QSDĐ",
            )
        )
    return plots


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _season(org, items, fac, plots, rng, end: dt.date) -> None:
    start = end - dt.timedelta(days=100)
    cherries = []
    for i, plot in enumerate(plots):
        for h in range(2):
            day = start + dt.timedelta(days=5 + i + 20 * h)
            kg = Decimal(str(round(float(plot.area_ha) * rng.uniform(900, 1400) / 2)))
            ev = events.harvest_record(
                actor=OPERATOR,
                organisation=org,
                event_id=_eid("harvest", i, h),
                plot=plot,
                trade_item=items["cherry"],
                quantity_kg=kg,
                harvested_at=_at(day, 7 + h),
                facility=fac.get("processing"),
            )
            cherries.append(ev.lot_links.get().lot)
    cherries.sort(key=lambda lot: lot.produced_at)
    parchments = []
    for g in range(0, len(cherries), 10):
        group = cherries[g : g + 10]
        day = timezone.localtime(max(lot.produced_at for lot in group)).date() + dt.timedelta(
            days=2
        )
        total = sum(lot.quantity_kg for lot in group)
        ev = events.transformation_record(
            actor=OPERATOR,
            organisation=org,
            event_id=_eid("process", g),
            kind="processing",
            inputs=[(lot, lot.quantity_kg) for lot in group],
            outputs=[(items["parchment"], (total * Decimal("0.22")).quantize(Decimal("1")), None)],
            at=_at(day, 9),
            facility=fac.get("processing"),
            method=["washed", "natural", "honey"][g // 10 % 3],
        )
        parchments.append(ev.lot_links.get(role="output").lot)
    greens = []
    for g in range(0, len(parchments), 2):
        group = parchments[g : g + 2]
        day = timezone.localtime(max(lot.produced_at for lot in group)).date() + dt.timedelta(
            days=12
        )
        total = sum(lot.quantity_kg for lot in group)
        ev = events.transformation_record(
            actor=OPERATOR,
            organisation=org,
            event_id=_eid("hull", g),
            kind="hulling",
            inputs=[(lot, lot.quantity_kg) for lot in group],
            outputs=[(items["green"], (total * Decimal("0.80")).quantize(Decimal("1")), None)],
            at=_at(day, 10),
            facility=fac.get("warehouse"),
        )
        greens.append(ev.lot_links.get(role="output").lot)
    for n, lot in enumerate(greens):
        events.observation_record(
            actor=OPERATOR,
            organisation=org,
            event_id=_eid("store", n),
            kind="storage",
            lots=[lot],
            at=lot.produced_at + dt.timedelta(hours=4),
            facility=fac.get("warehouse"),
        )
    events.observation_record(
        actor=OPERATOR,
        organisation=org,
        event_id=_eid("cert", 0),
        kind="certification",
        lots=greens,
        at=greens[-1].produced_at + dt.timedelta(days=1),
        certification="4C (Common Code for the Coffee Community)",
        facility=fac.get("warehouse"),
    )
    # one green lot roasted and packed for the home market, the others exported
    green = greens[0]
    roast = (
        events.transformation_record(
            actor=OPERATOR,
            organisation=org,
            event_id=_eid("roast", 0),
            kind="roasting",
            inputs=[(green, Decimal("500"))],
            outputs=[(items["roasted"], Decimal("420"), None)],
            at=green.produced_at + dt.timedelta(days=3),
            facility=fac.get("roastery"),
        )
        .lot_links.get(role="output")
        .lot
    )
    pack = (
        events.transformation_record(
            actor=OPERATOR,
            organisation=org,
            event_id=_eid("pack", 0),
            kind="packing",
            inputs=[(roast, Decimal("420"))],
            outputs=[(items["packaged"], Decimal("418"), None)],
            at=roast.produced_at + dt.timedelta(days=1),
            facility=fac.get("roastery"),
        )
        .lot_links.get(role="output")
        .lot
    )
    events.observation_record(
        actor=OPERATOR,
        organisation=org,
        event_id=_eid("ship", "pack"),
        kind="shipping",
        lots=[pack],
        at=pack.produced_at + dt.timedelta(days=2),
        party="Cửa hàng Đặc sản Tây Nguyên, Buôn Ma Thuột",
    )
    exported = greens[1:]
    if exported:
        ship_at = max(lot.produced_at for lot in exported) + dt.timedelta(days=3)
        events.observation_record(
            actor=OPERATOR,
            organisation=org,
            event_id=_eid("inspect", 0),
            kind="inspection",
            lots=exported,
            at=ship_at - dt.timedelta(hours=5),
            note="Độ ẩm 12,5 %, hạt lỗi 2 %",
        )
        events.observation_record(
            actor=OPERATOR,
            organisation=org,
            event_id=_eid("ship", "export"),
            kind="shipping",
            lots=exported,
            at=ship_at,
            party="Công ty TNHH Xuất nhập khẩu Cà phê Tây Nguyên (xuất khẩu EU)",
            facility=fac.get("warehouse"),
        )


def _stamps(org, items) -> None:
    item = items["packaged"]
    if StampBatch.objects.filter(organisation=org, trade_item=item).exists():
        return
    lot = Lot.objects.filter(trade_item=item).order_by("produced_at").first()
    batch = stamps.stamp_batch_order(
        actor=OPERATOR, organisation=org, trade_item=item, quantity=200
    )
    if lot is not None:
        stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=lot)
