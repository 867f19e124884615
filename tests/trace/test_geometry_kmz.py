"""KMZ (zipped KML) plot boundaries: read through the archive guard, bombs refused."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from htxso.trace.forms import PlotForm
from htxso.trace.geometry import GeometryError, parse_plot_geometry

from ..core.bombs import MIB, Member, data, repeated, write_zip
from .test_geometry import KML, square


def _kml() -> bytes:
    return KML.format(coords=" ".join(f"{x},{y},0" for x, y in square(100))).encode()


def _code(content: bytes) -> str:
    started = time.perf_counter()
    with pytest.raises(GeometryError) as err:
        parse_plot_geometry(content, fmt="kmz")
    assert time.perf_counter() - started < 1
    assert str(err.value)
    return err.value.code


def test_a_kmz_from_google_earth_is_read(tmp_path):
    path = write_zip(
        tmp_path / "ray.kmz",
        [Member("doc.kml", data(_kml())), Member("files/icon.png", data(b"\x89PNG\r\n\x1a\n"))],
    )
    plot = parse_plot_geometry(path.read_bytes(), fmt="kmz")
    assert abs(plot.area_ha - 1) <= Decimal("0.01")


def test_the_form_sends_a_kmz_to_the_guard(tmp_path):
    path = write_zip(tmp_path / "ray.kmz", [Member("doc.kml", data(_kml()))])
    form = PlotForm.__new__(PlotForm)  # geometry() only reads cleaned_data
    form.cleaned_data = {"geometry_file": SimpleUploadedFile("ray.kmz", path.read_bytes())}
    content, fmt = form.geometry()
    assert fmt == "kmz" and parse_plot_geometry(content, fmt=fmt).kind == "polygon"


def test_kmz_bombs(tmp_path):
    big = write_zip(tmp_path / "a.kmz", [Member("doc.kml", repeated(b" ", 256 * MIB))])
    assert big.stat().st_size < MIB
    assert _code(big.read_bytes()) == "archive_part_too_large"
    dense = write_zip(tmp_path / "b.kmz", [Member("doc.kml", repeated(b" ", 4 * MIB))])
    assert _code(dense.read_bytes()) == "archive_ratio"
    lie = write_zip(
        tmp_path / "c.kmz",
        [Member("doc.kml", repeated(b" ", 64 * MIB, prefix=_kml()), declared_size=len(_kml()))],
    )
    assert _code(lie.read_bytes()) == "archive_corrupt"
    many = write_zip(tmp_path / "d.kmz", [Member(f"{i}.kml", data(b"<a/>")) for i in range(500)])
    assert _code(many.read_bytes()) == "archive_too_many_parts"
    nested = write_zip(tmp_path / "e.kmz", [Member("doc.kml", data(big.read_bytes()))])
    assert _code(nested.read_bytes()) == "archive_nested"
    empty = write_zip(tmp_path / "f.kmz", [Member("readme.txt", data(b"hi"))])
    assert _code(empty.read_bytes()) == "bad_kmz"


def test_a_kml_entity_bomb_inside_a_kmz_is_still_refused(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml>&b;</kml>'
    )
    path = write_zip(tmp_path / "g.kmz", [Member("doc.kml", data(laughs))])
    assert _code(path.read_bytes()) == "bad_kml"
