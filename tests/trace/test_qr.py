"""QR codes of lots: SVG and PNG open, and encode the lot's Digital Link."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from htxso.trace.qr import lot_url, qr

from .helpers import make_chain

pytestmark = pytest.mark.django_db


def test_lot_qr_svg_and_png(client, world):
    c = make_chain(world.orgs["a1"], plots=1)
    client.force_login(world.users["manager_a1"])
    png = client.get(f"/truy-xuat/lo/{c.packaged.pk}/qr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.size[0] == image.size[1] > 100
    svg = client.get(f"/truy-xuat/lo/{c.packaged.pk}/qr.svg")
    assert svg.status_code == 200 and svg.content.lstrip().startswith(b"<svg")
    url = lot_url(c.packaged)
    assert url == f"/01/{c.packaged.gtin}/10/{c.packaged.code}"
    code = qr(f"http://testserver{url}")
    assert code.error == "M" and code.version <= 5
    assert client.get(f"/truy-xuat/lo/{c.packaged.pk}/qr.gif").status_code == 404


def _decoded(image) -> list[str]:
    import zxingcpp

    return sorted(r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "QRCode")


@pytest.mark.parametrize("site_url", [None, "https://htxso.example.vn"])
def test_lot_qr_carries_the_public_address(client, world, settings, site_url):
    """A printed code outlives the page that made it: with SITE_URL set it carries the
    platform's address, not the host the manager happened to use."""
    if site_url:
        settings.SITE_URL, settings.SITE_URL_SET = site_url, True
    else:
        settings.SITE_URL_SET = False
    c = make_chain(world.orgs["a1"], plots=1)
    client.force_login(world.users["manager_a1"])
    png = client.get(f"/truy-xuat/lo/{c.packaged.pk}/qr.png", HTTP_HOST="localhost:8123")
    expected = (site_url or "http://localhost:8123") + lot_url(c.packaged)
    assert _decoded(Image.open(io.BytesIO(png.content))) == [expected]
    page = client.get(f"/truy-xuat/lo/{c.packaged.pk}/", HTTP_HOST="localhost:8123")
    assert expected in page.content.decode()
