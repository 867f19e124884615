"""Plot geometry: hand-computed areas, every refusal code, KML, normalised output."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from itertools import pairwise

import pytest

from htxso.trace.geometry import GeometryError, area_hectares, parse_plot_geometry

# Buôn Ma Thuột, Đắk Lắk
LON0, LAT0 = 108.05, 12.68


def _metres_to_degrees(lat: float) -> tuple[float, float]:
    """Degrees of latitude and longitude per metre at ``lat`` on WGS84 (meridian and
    prime-vertical radii of curvature), computed independently of the module."""
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    phi = math.radians(lat)
    m = a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5
    n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    return 180 / (math.pi * m), 180 / (math.pi * n * math.cos(phi))


def square(side_m: float, lon: float = LON0, lat: float = LAT0) -> list[list[float]]:
    dlat, dlon = _metres_to_degrees(lat)
    dy, dx = side_m * dlat, side_m * dlon
    return [[lon, lat], [lon + dx, lat], [lon + dx, lat + dy], [lon, lat + dy], [lon, lat]]


def polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def test_one_hectare_square():
    plot = parse_plot_geometry(polygon(square(100)))
    assert plot.kind == "polygon"
    assert abs(plot.area_ha - Decimal(1)) <= Decimal("0.01")
    lon, lat = plot.centroid
    assert abs(lon - LON0) < 0.001 and abs(lat - LAT0) < 0.001


@pytest.mark.parametrize(("side", "lat"), [(200, 12.68), (50, 21.0), (300, 8.7)])
def test_other_squares(side, lat):
    plot = parse_plot_geometry(polygon(square(side, lat=lat)), max_area_ha=Decimal(50))
    expected = Decimal(side * side) / 10_000
    assert abs(plot.area_ha - expected) <= expected / 100


def test_hole_is_subtracted_and_rings_oriented():
    outer = square(200)
    hole = square(50, LON0 + 0.0005, LAT0 + 0.0005)
    plot = parse_plot_geometry(polygon(outer, list(reversed(hole))))
    assert abs(plot.area_ha - Decimal("3.75")) <= Decimal("0.0375")
    # RFC 7946: exterior counter-clockwise (positive signed area), hole clockwise
    ext, inner = plot.geojson["coordinates"]

    def signed(ring):
        return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))

    assert signed(ext) > 0 and signed(inner) < 0


def test_feature_collection_and_six_decimals():
    ring = [[round(x, 9), round(y, 9)] for x, y in square(100)]
    fc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": polygon(ring)}],
    }
    plot = parse_plot_geometry(json.dumps(fc))
    for x, y in plot.geojson["coordinates"][0]:
        assert round(x, 6) == x and round(y, 6) == y


def test_point():
    plot = parse_plot_geometry(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.0512345678, 12.68]}}
    )
    assert plot.kind == "point" and plot.area_ha is None
    assert plot.geojson == {"type": "Point", "coordinates": [108.051235, 12.68]}


def test_multipolygon_area_adds_up():
    a = square(100)
    b = square(100, LON0 + 0.01)
    plot = parse_plot_geometry({"type": "MultiPolygon", "coordinates": [[a], [b]]})
    assert abs(plot.area_ha - 2) <= Decimal("0.02")
    assert plot.geojson["type"] == "MultiPolygon"


def code_of(data, **kwargs) -> str:
    with pytest.raises(GeometryError) as exc:
        parse_plot_geometry(data, **kwargs)
    assert str(exc.value)  # a message renders
    return exc.value.code


def test_refusals():
    ring = square(100)
    assert code_of(polygon(ring[:-1])) == "ring_not_closed"
    assert code_of(polygon(ring[:3])) == "too_few_points"
    bowtie = [ring[0], ring[2], ring[1], ring[3], ring[0]]
    assert code_of(polygon(bowtie)) == "self_intersection"
    far_hole = square(20, LON0 + 0.01, LAT0)
    assert code_of(polygon(ring, far_hole)) == "hole_outside_shell"
    swapped = [[y, x] for x, y in ring]
    assert code_of(polygon(swapped)) == "swapped_coordinates"
    assert code_of({"type": "Point", "coordinates": [12.68, 108.05]}) == "swapped_coordinates"
    assert code_of({"type": "Point", "coordinates": [2.35, 48.85]}) == "outside_vietnam"
    assert code_of(polygon(square(1200))) == "implausible_area"  # 144 ha
    assert code_of(polygon(square(300)), max_area_ha=Decimal(5)) == "implausible_area"
    assert code_of({"type": "LineString", "coordinates": [[1, 2], [3, 4]]}) == "unsupported_type"
    assert code_of("{not json") == "bad_json"
    assert code_of({"type": "FeatureCollection", "features": []}) == "not_one_feature"
    assert code_of({"type": "Point", "coordinates": ["a", "b"]}) == "bad_coordinates"
    assert code_of({"type": "Point", "coordinates": [float("nan"), 12.0]}) == "bad_coordinates"
    assert code_of({"type": "Feature", "geometry": None}) == "no_geometry"


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Rẫy A</name>
<Polygon><outerBoundaryIs><LinearRing><coordinates>
{coords}
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>"""


def test_kml_polygon_and_point():
    coords = " ".join(f"{x},{y},0" for x, y in square(100))
    plot = parse_plot_geometry(KML.format(coords=coords), fmt="kml")
    assert abs(plot.area_ha - 1) <= Decimal("0.01")
    point = parse_plot_geometry(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Point>'
        "<coordinates>108.05,12.68</coordinates></Point></Placemark></kml>",
        fmt="kml",
    )
    assert point.kind == "point"


def test_kml_refuses_entities_and_garbage():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml>&b;</kml>'
    )
    assert code_of(bomb, fmt="kml") == "bad_kml"
    external = '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml>&x;</kml>'
    assert code_of(external, fmt="kml") == "bad_kml"
    assert code_of("<kml><unclosed>", fmt="kml") == "bad_kml"
    assert code_of("<kml></kml>", fmt="kml") == "no_geometry"


def test_area_function_on_degree_cell():
    """A 0.01° × 0.01° cell at the equator: 1,113.19 m of equator (a·π/18000) by 1,105.74 m
    of meridian (WGS84 meridian arc at the equator) ≈ 123.09 ha."""
    from shapely.geometry import box

    cell = area_hectares(box(105.0, 0.0, 105.01, 0.01))
    assert abs(cell - Decimal("123.08")) < Decimal("0.2")


def test_junk_is_refused_with_a_code():
    junk = [
        5,
        [],
        "null",
        "[]",
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": 5},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "Polygon", "coordinates": [[[108.05, 12.68], "x", [1], [2]]]},
        {"type": "Polygon", "coordinates": [[[True, False]] * 4]},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": [[5]]},
        {"type": "Point", "coordinates": [108.05]},
        {"type": "Point", "coordinates": [108.05, 12.68, 0, 1]},
        {"type": "Feature"},
        {"type": "FeatureCollection", "features": [5]},
    ]
    for data in junk:
        with pytest.raises(GeometryError):
            parse_plot_geometry(data)
    for text in ("", "<kml", "<kml><Point><coordinates>a,b</coordinates></Point></kml>"):
        with pytest.raises(GeometryError):
            parse_plot_geometry(text, fmt="kml")
