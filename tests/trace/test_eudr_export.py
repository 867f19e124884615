"""The EUDR geolocation file of a lot: every plot through all transformations."""

from __future__ import annotations

import json

import pytest

from htxso.trace.eudr_export import lot_eudr

from .helpers import make_chain

pytestmark = pytest.mark.django_db


def _coords(geometry):
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    return [pt for ring in geometry["coordinates"] for pt in ring]


def test_export_walks_back_to_every_plot(world):
    c = make_chain(world.orgs["a1"], plots=3)
    export = lot_eudr(lot=c.packaged)
    fc = export.collection
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == 3
    for feature in fc["features"]:
        for lon, lat in _coords(feature["geometry"]):
            assert 102 < lon < 110 and 8 < lat < 24  # [longitude, latitude] in Vietnam
        props = feature["properties"]
        assert props["ProducerCountry"] == "VN"
        assert "ProducerName" in props and "ProductionPlace" in props and "Area" in props
        if feature["geometry"]["type"] == "Polygon":
            ring = feature["geometry"]["coordinates"][0]
            assert ring[0] == ring[-1]
    assert export.ready, export.problems


def test_missing_declaration_blocks_the_statement(world):
    c = make_chain(world.orgs["a1"], plots=2)
    c.plots[0].deforestation_free = None
    c.plots[0].save(update_fields=["deforestation_free"])
    export = lot_eudr(lot=c.packaged)
    assert not export.ready
    assert (
        any(c.plots[0].code in (p.path + str(p.message)) for p in export.problems)
        or export.problems
    )


def test_download_and_report_pages(client, world):
    c = make_chain(world.orgs["a1"], plots=2)
    client.force_login(world.users["manager_a1"])
    response = client.get(f"/truy-xuat/lo/{c.packaged.pk}/eudr.geojson")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert len(data["features"]) == 2
    page = client.get(f"/truy-xuat/lo/{c.packaged.pk}/eudr/")
    assert page.status_code == 200
    client.force_login(world.users["manager_b1"])
    assert client.get(f"/truy-xuat/lo/{c.packaged.pk}/eudr.geojson").status_code == 404
