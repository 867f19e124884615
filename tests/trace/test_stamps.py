"""Stamps: order, print, activate; checks say genuine / warning / not genuine; rate limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError
from htxso.trace.models import Stamp, StampScan
from htxso.trace.services import stamps

from .helpers import make_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(world):
    cache.clear()
    c = make_chain(world.orgs["a1"])
    b = stamps.stamp_batch_order(
        actor=OPERATOR, organisation=c.org, trade_item=c.items["packaged"], quantity=30
    )
    b.chain = c
    return b


def _url(b, serial):
    return f"/01/{b.trade_item.gtin}/21/{serial}"


def test_batch_serials_are_unique_and_well_formed(batch):
    serials = list(batch.stamps.values_list("serial", flat=True))
    assert len(serials) == len(set(serials)) == 30
    from htxso.trace.serials import well_formed

    assert all(well_formed(s, key=stamps.stamp_key()) for s in serials)


def test_not_active_then_genuine_then_warning(client, batch):
    serial = batch.stamps.first().serial
    response = client.get(_url(batch, serial))
    assert response.status_code == 200
    assert "stamp-banner--warn" in response.content.decode()  # not put on a product yet
    with pytest.raises(ServiceError) as err:
        stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=batch.chain.green)
    assert err.value.code == "lot_mismatch"
    stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=batch.chain.packaged)
    response = client.get(_url(batch, serial))
    body = response.content.decode()
    assert "stamp-banner--ok" in body and batch.chain.packaged.code in body
    for _ in range(stamps.WARN_AFTER_SCANS):
        response = client.get(_url(batch, serial))
    assert "stamp-banner--warn" in response.content.decode()
    stamp = Stamp.objects.get(serial=serial)
    assert stamp.scan_count == stamps.WARN_AFTER_SCANS + 1 and stamp.suspicious
    assert StampScan.objects.filter(stamp=stamp, suspicious=True).exists()


def test_far_apart_checks_warn(batch):
    stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=batch.chain.packaged)
    serial = batch.stamps.last().serial
    gtin = batch.trade_item.gtin
    first = stamps.stamp_check(gtin=gtin, serial=serial, lat="21.03", lon="105.85")  # Hà Nội
    assert first.status == "genuine"
    second = stamps.stamp_check(gtin=gtin, serial=serial, lat="10.78", lon="106.70")  # TP HCM
    assert second.status == "warning" and second.reason == "far_apart"


def test_guessed_and_unknown_serials_are_not_genuine(client, batch, django_assert_num_queries):
    stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=batch.chain.packaged)
    real = batch.stamps.first().serial
    guessed = real[:-1] + ("A" if real[-1] != "A" else "B")
    with django_assert_num_queries(0):
        result = stamps.stamp_check(gtin=batch.trade_item.gtin, serial=guessed)
    assert result.status == "not_genuine" and result.reason == "malformed"
    response = client.get(_url(batch, "HELLO-WORLD"))
    assert response.status_code == 200 and "stamp-banner--bad" in response.content.decode()
    # a real serial under another GTIN is not genuine either
    response = client.get(f"/01/08936000000000/21/{real}")
    assert "stamp-banner--bad" in response.content.decode()


def test_checks_are_rate_limited(client, batch):
    from htxso.trace.views_public import STAMP_RATE

    for _ in range(STAMP_RATE):
        assert client.get(_url(batch, "GUESS")).status_code == 200
    assert client.get(_url(batch, "GUESS")).status_code == 429


def test_label_sheet_pdf_has_every_stamp(client, world, batch):
    client.force_login(world.users["manager_a1"])
    response = client.get(f"/truy-xuat/tem/{batch.pk}/nhan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2  # 30 labels, 24 a page
    text = "".join(page.extract_text() for page in reader.pages)
    for serial in batch.stamps.values_list("serial", flat=True):
        assert serial in text
    assert "Quét để kiểm tra hàng thật" in text  # Vietnamese letters survive the font
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts


def test_label_qr_codes_read_back_as_the_stamps_public_addresses(client, world, batch, settings):
    """The sheet is rendered to pixels and every QR code on it is read, as a phone would:
    each is the platform's public address of one stamp of the batch, and opening it
    answers for that stamp."""
    import pypdfium2
    import zxingcpp

    settings.SITE_URL, settings.SITE_URL_SET = "https://htxso.example.vn", True
    client.force_login(world.users["manager_a1"])
    response = client.get(f"/truy-xuat/tem/{batch.pk}/nhan.pdf", HTTP_HOST="localhost:8123")
    pdf = pypdfium2.PdfDocument(response.content)
    image = pdf[0].render(scale=200 / 72).to_pil()  # 200 dpi
    urls = sorted(r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "QRCode")
    serials = sorted(batch.stamps.order_by("id").values_list("serial", flat=True)[:24])
    assert urls == sorted(f"https://htxso.example.vn{_url(batch, s)}" for s in serials)
    path = urls[0].removeprefix("https://htxso.example.vn")
    page = client.get(path).content.decode()
    assert path.rsplit("/", 1)[1] in page


def test_province_sees_suspicious_scans_of_its_province_only(client, world, batch):
    stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=batch.chain.packaged)
    serial = batch.stamps.first().serial
    for _ in range(stamps.WARN_AFTER_SCANS + 1):
        stamps.stamp_check(gtin=batch.trade_item.gtin, serial=serial)
    client.force_login(world.users["officer_a"])
    assert serial in client.get("/truy-xuat/tem/dang-ngo/").content.decode()
    client.force_login(world.users["officer_b"])
    assert serial not in client.get("/truy-xuat/tem/dang-ngo/").content.decode()


def test_shared_place_goes_to_the_same_check(client, batch):
    stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=batch.chain.packaged)
    serial = batch.stamps.first().serial
    first = client.get(_url(batch, serial)).content.decode()
    assert "data-share-place" in first
    page = client.get(_url(batch, serial) + "?lat=12.68&lon=108.04").content.decode()
    stamp = Stamp.objects.get(serial=serial)
    assert stamp.scan_count == 1
    scan = stamp.scans.get()
    assert (float(scan.lat), float(scan.lon)) == (12.7, 108.0)
    assert "12,7" in page or "12.7" in page
    assert "data-share-place" not in page


def test_big_batches_print_in_parts(client, world, batch, monkeypatch):
    import io

    from pypdf import PdfReader

    from htxso.trace import views_stamps

    monkeypatch.setattr(views_stamps, "PER_FILE", 12)
    client.force_login(world.users["manager_a1"])
    page = client.get(f"/truy-xuat/tem/{batch.pk}/").content.decode()
    assert "?tu=24" in page and "25–30" in page
    response = client.get(f"/truy-xuat/tem/{batch.pk}/nhan.pdf?tu=24")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    serials = list(batch.stamps.order_by("id").values_list("serial", flat=True))
    assert serials[24] in text and serials[23] not in text
    assert client.get(f"/truy-xuat/tem/{batch.pk}/nhan.pdf?tu=abc").status_code == 200
