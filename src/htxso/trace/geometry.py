"""Plot geometry: GeoJSON or KML in, one checked WGS84 point or polygon out.

:func:`parse_plot_geometry` accepts a GeoJSON ``Point``, ``Polygon`` or ``MultiPolygon``
(bare, as a ``Feature`` or as a ``FeatureCollection`` of one feature) or a KML
``Point``/``Polygon``/``MultiGeometry`` (plain, or zipped as KMZ); it refuses, with a
stable ``code``, anything an EUDR due-diligence statement would refuse: open rings, rings
of fewer than four positions, self-intersections, holes outside their shell, coordinates
outside Vietnam (with a specific code when latitude and longitude look swapped) and
implausible areas.

Area: geodetic coordinates are mapped to the authalic sphere of the WGS84 ellipsoid
(longitude kept, latitude → authalic latitude β) and then to the Lambert cylindrical
equal-area plane ``x = R·λ, y = R·sin β``: the mapping preserves area exactly, so the
planar area (holes subtracted) is the ellipsoidal area of the plot up to the shape of its
edges (well under 0.01 % for plots of a few km).  Output coordinates are ``[lon, lat]``
rounded to 6 decimals (≈ 0.1 m), exterior rings counter-clockwise (RFC 7946).
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from xml.etree.ElementTree import ParseError

import numpy as np
import shapely
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext_lazy as _
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

from htxso.core.archives import MIB, ArchiveLimits, ArchiveRejected, open_archive
from htxso.core.errors import ServiceError

__all__ = ["GeometryError", "PlotGeometry", "area_hectares", "in_vietnam", "parse_plot_geometry"]

MAX_INPUT_BYTES = 5 * 1024 * 1024
#: A KMZ (Google Earth's zipped KML) holds its KML and maybe a few icons; KML text
#: compresses 5-20 times, so 100 times is a bomb.
KMZ_LIMITS = ArchiveLimits(
    max_members=100,
    max_member_bytes=MAX_INPUT_BYTES,
    max_total_bytes=4 * MAX_INPUT_BYTES,
    max_ratio=100,
    ratio_from_bytes=1 * MIB,
)
DECIMALS = 6
# Vietnam's mainland bounding box and a margin for its islands (Phú Quốc, Thổ Chu and Côn
# Đảo are inside the mainland box; Lý Sơn, Hoàng Sa and Trường Sa are in the second one,
# which stops short of Palawan and Borneo).  A plausibility check, not a border test.
MAINLAND = (102.0, 8.0, 110.0, 23.5)  # lon_min, lat_min, lon_max, lat_max
ISLANDS = (109.0, 7.0, 116.0, 17.5)

# WGS84 ellipsoid and its authalic sphere.
_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)


def _q(sin_phi):
    e_sin = _E * sin_phi
    return (1 - _E2) * (
        sin_phi / (1 - _E2 * sin_phi * sin_phi) - (1 / (2 * _E)) * np.log((1 - e_sin) / (1 + e_sin))
    )


_QP = float(_q(np.float64(1.0)))
_RQ = _A * math.sqrt(_QP / 2)


class GeometryError(ServiceError):
    """Geometry that cannot be used; ``code`` is stable, ``message`` translatable."""


@dataclass(frozen=True)
class PlotGeometry:
    """A checked plot geometry; ``centroid`` is ``(lon, lat)``; ``area_ha`` None for points."""

    kind: Literal["point", "polygon"]
    geojson: dict
    area_ha: Decimal | None
    centroid: tuple[float, float]


def _equal_area(coords: np.ndarray) -> np.ndarray:
    lon = np.radians(coords[:, 0])
    lat = np.radians(coords[:, 1])
    return np.column_stack((_RQ * lon, _RQ * _q(np.sin(lat)) / _QP))


def area_hectares(geometry) -> Decimal:
    """The area of a shapely (Multi)Polygon in WGS84 lon/lat, in hectares (4 decimals)."""
    planar = shapely.transform(geometry, _equal_area)
    return Decimal(repr(planar.area / 10_000)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _in_box(lon: float, lat: float, box) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def in_vietnam(lon: float, lat: float) -> bool:
    """Whether ``(lon, lat)`` is inside Vietnam's bounding boxes (mainland or islands)."""
    return _in_box(lon, lat, MAINLAND) or _in_box(lon, lat, ISLANDS)


# ----------------------------------------------------------------------- input


def _load_geojson(data) -> dict:
    if isinstance(data, (bytes, bytearray)):
        data = data.decode("utf-8-sig", errors="replace")
    if isinstance(data, str):
        if len(data) > MAX_INPUT_BYTES:
            raise GeometryError("too_large", _("The file is too large (more than 5 MB)."))
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise GeometryError(
                "bad_json", _("This is not a valid GeoJSON file: it cannot be read as JSON.")
            ) from exc
    if not isinstance(data, dict):
        raise GeometryError(
            "bad_json", _("This is not a valid GeoJSON file: it cannot be read as JSON.")
        )
    return data


def _unwrap(data: dict) -> dict:
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise GeometryError(
                "not_one_feature",
                _("The file must contain exactly one plot (one feature); it contains %(count)s."),
                {"count": len(features) if isinstance(features, list) else 0},
            )
        data = features[0] if isinstance(features[0], dict) else {}
        kind = data.get("type")
    if kind == "Feature":
        data = data.get("geometry")
        if not isinstance(data, dict):
            raise GeometryError("no_geometry", _("The plot has no geometry (no point or polygon)."))
    if data.get("type") not in ("Point", "Polygon", "MultiPolygon"):
        raise GeometryError(
            "unsupported_type",
            _("Only a point or a polygon can be used for a plot (this is %(type)s)."),
            {"type": str(data.get("type"))[:40]},
        )
    return data


def _kml_coords(text: str | None) -> list[list[float]]:
    positions = []
    for chunk in (text or "").split():
        parts = chunk.split(",")
        try:
            positions.append([float(p) for p in parts])
        except ValueError as exc:
            raise GeometryError(
                "bad_coordinates", _("The coordinates of the plot are not numbers.")
            ) from exc
    return positions


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kml_polygon(el) -> list:
    rings = []
    for boundary in ("outerBoundaryIs", "innerBoundaryIs"):
        for b in el.iter():
            if _local(b.tag) != boundary:
                continue
            for c in b.iter():
                if _local(c.tag) == "coordinates":
                    rings.append(_kml_coords(c.text))
    return rings


def _kml_from_kmz(data: bytes) -> bytes:
    """The KML document of a KMZ: ``doc.kml`` or else its first ``.kml`` (as Google Earth
    reads it), through the archive guard."""
    if len(data) > MAX_INPUT_BYTES:
        raise GeometryError("too_large", _("The file is too large (more than 5 MB)."))
    try:
        with open_archive(io.BytesIO(data), limits=KMZ_LIMITS) as archive:
            documents = [n for n in archive.names if n.lower().endswith(".kml")]
            if not documents:
                raise GeometryError("bad_kmz", _("This KMZ file holds no KML document."))
            name = "doc.kml" if "doc.kml" in documents else documents[0]
            return archive.read(name, max_bytes=MAX_INPUT_BYTES)
    except ArchiveRejected as exc:
        raise GeometryError(exc.code, exc.message, exc.params) from None


def _load_kml(data) -> dict:
    if isinstance(data, (bytes, bytearray)):
        data = data.decode("utf-8-sig", errors="replace")
    if len(data) > MAX_INPUT_BYTES:
        raise GeometryError("too_large", _("The file is too large (more than 5 MB)."))
    data = re.sub(r"^\s*<\?xml[^>]*\?>", "", data)
    try:
        # defusedxml: no DTD at all, so no entity expansion and no external entities.
        root = safe_fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise GeometryError(
            "bad_kml", _("This KML file cannot be read (it declares a DTD).")
        ) from exc
    except ParseError as exc:
        raise GeometryError("bad_kml", _("This is not a valid KML file.")) from exc
    polygons = [el for el in root.iter() if _local(el.tag) == "Polygon"]
    points = [el for el in root.iter() if _local(el.tag) == "Point"]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": _kml_polygon(polygons[0])}
    if len(polygons) > 1:
        return {"type": "MultiPolygon", "coordinates": [_kml_polygon(p) for p in polygons]}
    if len(points) == 1:
        coords = [c for c in points[0].iter() if _local(c.tag) == "coordinates"]
        positions = _kml_coords(coords[0].text if coords else "")
        if len(positions) != 1:
            raise GeometryError("bad_coordinates", _("A point needs exactly one position."))
        return {"type": "Point", "coordinates": positions[0]}
    raise GeometryError(
        "no_geometry" if not points else "not_one_feature",
        _("The KML file must contain one point or one polygon."),
    )


# --------------------------------------------------------------------- checks


def _position(value) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) not in (2, 3):
        raise GeometryError("bad_coordinates", _("Each position must be [longitude, latitude]."))
    try:
        lon, lat = float(value[0]), float(value[1])
    except (TypeError, ValueError) as exc:
        raise GeometryError(
            "bad_coordinates", _("The coordinates of the plot are not numbers.")
        ) from exc
    if (
        isinstance(value[0], bool)
        or isinstance(value[1], bool)
        or not (math.isfinite(lon) and math.isfinite(lat))
    ):
        raise GeometryError("bad_coordinates", _("The coordinates of the plot are not numbers."))
    return lon, lat


def _check_location(positions: list[tuple[float, float]]) -> None:
    outside = [(lon, lat) for lon, lat in positions if not in_vietnam(lon, lat)]
    if not outside:
        return
    if all(in_vietnam(lat, lon) for lon, lat in positions):
        raise GeometryError(
            "swapped_coordinates",
            _(
                "Latitude and longitude seem to be swapped: GeoJSON writes [longitude, "
                "latitude], e.g. [108.05, 12.68] in Đắk Lắk."
            ),
        )
    lon, lat = outside[0]
    raise GeometryError(
        "outside_vietnam",
        _("The position (longitude %(lon)s, latitude %(lat)s) is outside Vietnam."),
        {"lon": f"{lon:.6f}", "lat": f"{lat:.6f}"},
    )


def _ring(value, number: int) -> list[tuple[float, float]]:
    if not isinstance(value, list):
        raise GeometryError("bad_coordinates", _("Each position must be [longitude, latitude]."))
    ring = [_position(p) for p in value]
    if len(ring) < 4:
        raise GeometryError(
            "too_few_points",
            _("A polygon ring needs at least 4 positions (3 corners and the first one again)."),
        )
    if ring[0] != ring[-1]:
        raise GeometryError(
            "ring_not_closed",
            _(
                "Ring %(number)s of the polygon is not closed: its last position must repeat "
                "the first."
            ),
            {"number": number},
        )
    return ring


_VALIDITY_CODES = (
    ("Self-intersection", "self_intersection"),
    ("Ring Self-intersection", "self_intersection"),
    ("Hole lies outside shell", "hole_outside_shell"),
    ("Nested shells", "nested_shells"),
    ("Interior is disconnected", "self_intersection"),
    ("Too few points", "too_few_points"),
)


def _check_valid(geometry) -> None:
    if geometry.is_valid:
        return
    reason = shapely.is_valid_reason(geometry)
    code = "invalid_polygon"
    for prefix, mapped in _VALIDITY_CODES:
        if reason.startswith(prefix):
            code = mapped
            break
    where = ""
    match = re.search(r"\[([-0-9.eE]+) ([-0-9.eE]+)\]", reason)
    if match:
        where = f"{float(match.group(1)):.6f}, {float(match.group(2)):.6f}"
    messages = {
        "self_intersection": _("The polygon's edges cross each other (near %(where)s)."),
        "hole_outside_shell": _(
            "A hole of the polygon lies outside its outer ring (near %(where)s)."
        ),
        "nested_shells": _("The parts of the plot overlap (near %(where)s)."),
        "too_few_points": _(
            "A polygon ring needs at least 4 positions (3 corners and the first one again)."
        ),
        "invalid_polygon": _("The polygon is not valid (near %(where)s)."),
    }
    raise GeometryError(code, messages[code], {"where": where or "?"})


def _polygon(rings_value, numbering_start: int = 1) -> Polygon:
    if not isinstance(rings_value, list) or not rings_value:
        raise GeometryError("bad_coordinates", _("Each position must be [longitude, latitude]."))
    rings = [_ring(r, numbering_start + i) for i, r in enumerate(rings_value)]
    return Polygon(rings[0], rings[1:])


def _round(value):
    if isinstance(value, float):
        return round(value, DECIMALS) + 0.0
    return [_round(v) for v in value]


def parse_plot_geometry(
    data: str | bytes | dict,
    *,
    fmt: Literal["geojson", "kml", "kmz"] = "geojson",
    max_area_ha: Decimal = Decimal("100"),
) -> PlotGeometry:
    """Parse and check one plot geometry; raise :class:`GeometryError` with a stable code.

    Codes: ``too_large``, ``bad_json``, ``bad_kml``, ``not_one_feature``, ``no_geometry``,
    ``unsupported_type``, ``bad_coordinates``, ``too_few_points``, ``ring_not_closed``,
    ``swapped_coordinates``, ``outside_vietnam``, ``self_intersection``,
    ``hole_outside_shell``, ``nested_shells``, ``invalid_polygon``, ``empty_area``,
    ``implausible_area``; for ``fmt="kmz"`` (bytes) also ``bad_kmz`` and the
    ``archive_*`` codes of :mod:`htxso.core.archives` (bombs are refused unread).
    """
    if fmt == "kmz":
        raw = _load_kml(_kml_from_kmz(data))
    elif fmt == "kml":
        raw = _load_kml(data)
    else:
        raw = _unwrap(_load_geojson(data))
    kind = raw["type"]
    coords = raw.get("coordinates")
    if kind == "Point":
        lon, lat = _position(coords)
        _check_location([(lon, lat)])
        point = [round(lon, DECIMALS) + 0.0, round(lat, DECIMALS) + 0.0]
        return PlotGeometry("point", {"type": "Point", "coordinates": point}, None, tuple(point))
    if kind == "Polygon":
        geometry = _polygon(coords)
    else:
        if not isinstance(coords, list) or not coords:
            raise GeometryError(
                "bad_coordinates", _("Each position must be [longitude, latitude].")
            )
        parts, number = [], 1
        for rings in coords:
            parts.append(_polygon(rings, number))
            number += len(rings)
        geometry = MultiPolygon(parts)
    positions = [tuple(c) for c in shapely.get_coordinates(geometry).tolist()]
    _check_location(positions)
    _check_valid(geometry)
    if isinstance(geometry, Polygon):
        geometry = orient(geometry, 1.0)
    else:
        geometry = MultiPolygon([orient(p, 1.0) for p in geometry.geoms])
    area = area_hectares(geometry)
    if area <= 0:
        raise GeometryError("empty_area", _("The polygon has no area."))
    if area > max_area_ha:
        raise GeometryError(
            "implausible_area",
            _("The plot measures %(area)s ha, more than the %(max)s ha a plot can plausibly have."),
            {"area": f"{area:.2f}", "max": f"{max_area_ha}"},
        )
    mapping = shapely.geometry.mapping(geometry)
    geojson = {"type": mapping["type"], "coordinates": _round(_to_lists(mapping["coordinates"]))}
    c = geometry.centroid
    centroid = (round(c.x, DECIMALS) + 0.0, round(c.y, DECIMALS) + 0.0)
    return PlotGeometry("polygon", geojson, area, centroid)


def _to_lists(value):
    if isinstance(value, (list, tuple)):
        return [_to_lists(v) for v in value]
    return float(value)


def point_geometry(lon: float, lat: float) -> PlotGeometry:
    """A checked point from two numbers (for forms with separate fields)."""
    return parse_plot_geometry({"type": "Point", "coordinates": [lon, lat]})


__all__ += ["point_geometry"]
