"""Plots, facilities and products (GTIN) of an organisation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.codes import CodeError, is_vietnam_gtin, to_gtin14
from htxso.core.errors import ServiceError
from htxso.core.text import clean_text
from htxso.registry.models import Organisation
from htxso.trace.geometry import GeometryError, parse_plot_geometry
from htxso.trace.models import Facility, Plot, TradeItem
from htxso.trace.models.master import validate_gln

MAX_PLOT_HA = Decimal("100")


def _decimal(value, code: str, message) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise ServiceError(code, message) from exc
    if not number.is_finite():
        raise ServiceError(code, message)
    return number


def plot_geometry(data: str | dict, *, fmt: str = "geojson"):
    """Parse an uploaded or drawn geometry; a precise error for every bad case."""
    try:
        return parse_plot_geometry(data, fmt=fmt)
    except GeometryError as exc:
        raise ServiceError(
            exc.code, exc.message, exc.params, fields={"geometry": [exc.text]}
        ) from exc


def point_geometry(lat, lon) -> dict:
    lat_d = _decimal(lat, "latitude_invalid", _("Enter the latitude as a number, e.g. 12.6797."))
    lon_d = _decimal(lon, "longitude_invalid", _("Enter the longitude as a number, e.g. 108.0377."))
    if lat_d is None or lon_d is None:
        raise ServiceError("geometry_missing", _("Give the plot's position: a point or a polygon."))
    return {"type": "Point", "coordinates": [float(lon_d), float(lat_d)]}


def plot_register(
    *,
    actor: Actor,
    organisation: Organisation,
    code: str,
    ward,
    geometry: str | dict,
    fmt: str = "geojson",
    area_ha=None,
    name: str = "",
    member=None,
    producer_name: str = "",
    crop: str = "coffee",
    deforestation_free: bool | None = None,
    deforestation_evidence: str = "",
) -> Plot:
    Organisation.policy.require(actor, "change", organisation)
    code = clean_text(code or "")[:40]
    if not code:
        raise ServiceError("plot_code_missing", _("Give the plot a code."))
    if Plot.objects.filter(organisation=organisation, code=code).exists():
        raise ServiceError("plot_code_taken", _("Plot %(code)s already exists.") % {"code": code})
    if ward is None or ward.province_id != organisation.province_id:
        raise ServiceError(
            "ward_invalid", _("Pick a commune or ward of the organisation's province.")
        )
    if member is not None and member.organisation_id != organisation.pk:
        raise ServiceError(
            "member_not_yours", _("This person is not recorded by the organisation.")
        )
    parsed = plot_geometry(geometry, fmt=fmt)
    given = _decimal(area_ha, "area_invalid", _("Enter the area in hectares, e.g. 1.5."))
    if parsed.kind == "polygon" and parsed.area_ha is not None:
        area = Decimal(parsed.area_ha).quantize(Decimal("0.0001"))
    else:
        area = given
    if area is None or area <= 0:
        raise ServiceError("area_missing", _("Enter the plot's area in hectares."))
    if area > MAX_PLOT_HA:
        raise ServiceError(
            "area_implausible",
            _("%(ha)s ha is too large for one smallholder plot (at most %(max)s ha).")
            % {"ha": area, "max": MAX_PLOT_HA},
        )
    if parsed.kind == "point" and area > 4:
        raise ServiceError(
            "polygon_required",
            _("A plot larger than 4 ha needs its boundary (a polygon), not a point."),
        )
    with transaction.atomic():
        plot = Plot.objects.create(
            organisation=organisation,
            code=code,
            name=clean_text(name or "")[:120],
            member=member,
            producer_name=clean_text(producer_name or (member.full_name if member else ""))[:150],
            ward=ward,
            crop=crop,
            area_ha=area,
            geometry=parsed.geojson,
            geometry_kind=parsed.kind,
            centroid_lon=Decimal(str(round(parsed.centroid[0], 7))),
            centroid_lat=Decimal(str(round(parsed.centroid[1], 7))),
            deforestation_free=deforestation_free,
            deforestation_evidence=clean_text(deforestation_evidence or "")[:2000],
        )
        audit.record(
            actor=actor, action="trace.plot.register", instance=plot, after=audit.snapshot(plot)
        )
    return plot


def facility_add(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    kind: str,
    gln: str = "",
    ward=None,
) -> Facility:
    Organisation.policy.require(actor, "change", organisation)
    name = clean_text(name or "")[:150]
    if not name:
        raise ServiceError("name_missing", _("Give the facility a name."))
    gln = (gln or "").strip().replace(" ", "")
    if gln:
        try:
            gln = validate_gln(gln)
        except ValidationError as exc:
            message = exc.messages[0]
            raise ServiceError(
                exc.code or "gln_invalid", message, fields={"gln": [message]}
            ) from exc
        if Facility.objects.filter(gln=gln).exists():
            message = _("This GLN is already registered.")
            raise ServiceError("gln_taken", message, fields={"gln": [message]})
    with transaction.atomic():
        facility = Facility.objects.create(
            organisation=organisation, name=name, kind=kind, gln=gln or None, ward=ward
        )
        audit.record(
            actor=actor,
            action="trace.facility.add",
            instance=facility,
            after=audit.snapshot(facility),
        )
    return facility


def trade_item_add(
    *,
    actor: Actor,
    organisation: Organisation,
    gtin: str,
    name: str,
    name_en: str = "",
    lot_kind: str = "packaged",
    net_weight_g: int | None = None,
    own_prefix: str = "",
    ocop_product=None,
) -> TradeItem:
    Organisation.policy.require(actor, "change", organisation)
    try:
        gtin14 = to_gtin14(gtin)
    except CodeError as exc:
        raise ServiceError(exc.code, str(exc), fields={"gtin": [str(exc)]}) from exc
    own = (own_prefix or "").strip()
    if not is_vietnam_gtin(gtin14) and not (own and gtin14.lstrip("0").startswith(own)):
        message = _(
            "This GTIN does not start with GS1 Vietnam's prefix 893 nor with the "
            "cooperative's own company prefix."
        )
        raise ServiceError("gtin_prefix", message, fields={"gtin": [message]})
    if TradeItem.objects.filter(gtin=gtin14).exists():
        message = _("This GTIN is already registered.")
        raise ServiceError("gtin_taken", message, fields={"gtin": [message]})
    name = clean_text(name or "")[:200]
    if not name:
        raise ServiceError("name_missing", _("Give the product a name."))
    if ocop_product is not None and ocop_product.organisation_id != organisation.pk:
        ocop_product = None
    with transaction.atomic():
        item = TradeItem.objects.create(
            organisation=organisation,
            gtin=gtin14,
            name=name,
            name_en=clean_text(name_en or "")[:200],
            lot_kind=lot_kind,
            net_weight_g=net_weight_g,
            ocop_product=ocop_product,
        )
        audit.record(
            actor=actor, action="trace.product.add", instance=item, after=audit.snapshot(item)
        )
    return item
