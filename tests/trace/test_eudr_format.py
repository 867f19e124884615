"""EUDR geolocation file: format rules and the blocking-problems report."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from htxso.trace.eudr import (
    CUTOFF_DATE,
    MAX_BYTES,
    EudrPlot,
    feature_collection,
    problems,
    serialise,
)
from htxso.trace.geometry import parse_plot_geometry

from .test_geometry import square


def polygon_plot(pid="P-01", side=250) -> EudrPlot:
    geometry = parse_plot_geometry({"type": "Polygon", "coordinates": [square(side)]})
    return EudrPlot(
        plot_id=pid,
        producer_name="Y Bhơ Niê",
        producer_country="VN",
        production_place="Xã Ea Tu, Đắk Lắk",
        area_ha=geometry.area_ha,
        geojson=geometry.geojson,
        production_start=date(2025, 10, 1),
        production_end=date(2025, 12, 31),
        quantity_kg=Decimal("4200.5"),
        deforestation_free=True,
        evidence=["https://htxso.example.vn/bang-chung/P-01-sentinel2.pdf"],
    )


def point_plot(pid="P-02", area="1.5") -> EudrPlot:
    return replace(
        polygon_plot(pid),
        area_ha=Decimal(area),
        geojson={"type": "Point", "coordinates": [108.051234, 12.681234]},
    )


def test_feature_collection_shape():
    plots = [polygon_plot(), point_plot()]
    fc = feature_collection(plots)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 2
    props = fc["features"][0]["properties"]
    assert props["ProducerName"] == "Y Bhơ Niê"
    assert props["ProducerCountry"] == "VN"
    assert props["ProductionPlace"] == "Xã Ea Tu, Đắk Lắk"
    assert abs(props["Area"] - 6.25) < 0.07
    assert props["HSCode"] == "0901"
    assert props["ProductionStartDate"] == "2025-10-01"
    assert props["Quantity"] == 4200.5
    assert props["DeforestationFree"] is True
    assert props["DeforestationCutOffDate"] == CUTOFF_DATE.isoformat() == "2020-12-31"
    assert props["Evidence"]
    assert fc["features"][1]["geometry"]["type"] == "Point"
    assert problems(plots) == []


def test_serialised_file():
    data = serialise(feature_collection([polygon_plot(), point_plot()]))
    text = data.decode("utf-8")
    assert "Y Bhơ Niê" in text  # ensure_ascii=False
    assert ": " not in text and ", " not in text.replace("Xã Ea Tu, Đắk Lắk", "")  # compact
    doc = json.loads(text)
    # every coordinate written with at least 6 decimals, [lon, lat] order
    numbers = re.findall(r"-?\d+\.\d+", text.split('"coordinates":', 1)[1].split("]]]", 1)[0])
    assert numbers and all(len(n.split(".")[1]) >= 6 for n in numbers)
    lon, lat = doc["features"][1]["geometry"]["coordinates"]
    assert 102 < lon < 110 and 8 < lat < 23.5
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) >= 4
    assert '"coordinates":[108.051234,12.681234]' in text
    assert serialise({"type": "Point", "coordinates": [108.05, 12.68]}) == (
        b'{"type":"Point","coordinates":[108.050000,12.680000]}'
    )


def codes(plots) -> set[str]:
    return {p.code for p in problems(plots)}


def test_blocking_problems():
    assert codes([replace(point_plot(), geojson=None)]) == {"missing_geometry"}
    assert codes([point_plot(area="4.5")]) == {"point_over_4ha"}
    assert codes([point_plot(area="4")]) == set()
    assert codes([replace(point_plot(), area_ha=None)]) == {"missing_area"}
    low = replace(point_plot(), geojson={"type": "Point", "coordinates": [108.05, 12.68]})
    assert codes([low]) == {"low_precision"}
    plot = polygon_plot()
    open_ring = {"type": "Polygon", "coordinates": [plot.geojson["coordinates"][0][:-1]]}
    assert codes([replace(plot, geojson=open_ring)]) == {"open_ring"}
    assert codes([replace(plot, deforestation_free=None)]) == {"missing_declaration"}
    assert codes([replace(plot, deforestation_free=False)]) == {"not_deforestation_free"}
    assert codes([replace(plot, evidence=[])]) == {"missing_evidence"}
    assert codes([replace(plot, production_start=None)]) == {"missing_production_date"}
    assert codes([replace(plot, production_end=date(2025, 1, 1))]) == {"bad_production_dates"}
    assert codes([replace(plot, quantity_kg=None)]) == {"missing_quantity"}
    assert codes([replace(plot, producer_country="Vietnam")]) == {"bad_country"}
    assert codes([replace(plot, producer_name=" ")]) == {"missing_producer"}
    swapped = {"type": "Point", "coordinates": [12.681234, 108.051234]}
    assert codes([replace(point_plot(), geojson=swapped)]) == {"outside_country"}
    assert codes([polygon_plot("A"), polygon_plot("A")]) == {"duplicate_plot"}
    assert codes([]) == {"no_plots"}
    report = problems([replace(plot, deforestation_free=None)])
    assert report[0].path == "P-01.DeforestationFree" and str(report[0].message)


def test_file_over_25_mb_is_refused():
    # 2,000 vertices per plot, ~48 kB each: 600 plots ≈ 29 MB
    import math

    ring = [
        [
            108.05 + 0.004 * math.cos(t / 2000 * 2 * math.pi),
            12.68 + 0.004 * math.sin(t / 2000 * 2 * math.pi),
        ]
        for t in range(2000)
    ]
    ring.append(ring[0])
    base = replace(polygon_plot(), geojson={"type": "Polygon", "coordinates": [ring]})
    plots = [replace(base, plot_id=f"P-{i}") for i in range(600)]
    size = len(serialise(feature_collection(plots)))
    assert size > MAX_BYTES
    assert codes(plots) == {"file_too_large"}
