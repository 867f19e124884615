"""A consumer whose stamp check fails or warns can report it: the cooperative whose
barcode the package carries and its province see the report and are e-mailed; the
page shows the cooperative's contact.  Robots and floods are kept out."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from htxso.core.actors import OPERATOR
from htxso.trace.models import StampReport, StampScan
from htxso.trace.services import stamps

from .helpers import make_chain

pytestmark = pytest.mark.django_db

REPORT_URL = "/truy-xuat/tem/bao-cao/"


@pytest.fixture
def batch(world):
    cache.clear()
    c = make_chain(world.orgs["a1"])
    org = c.org
    org.phone = "0206 3851 234"
    org.save(update_fields=["phone"])
    b = stamps.stamp_batch_order(
        actor=OPERATOR, organisation=org, trade_item=c.items["packaged"], quantity=5
    )
    stamps.stamp_batch_activate(actor=OPERATOR, batch=b, lot=c.packaged)
    b.chain = c
    return b


def _english(client):
    client.cookies["django_language"] = "en"
    return {"HTTP_ACCEPT_LANGUAGE": "en"}


def _report(client, gtin, serial, **fields):
    data = {
        "gtin": gtin,
        "serial": serial,
        "what_happened": "The seal was broken <script>alert(1)</script>",
        "where_bought": "Chợ Xanh, Cao Bằng",
        "phone": "0912 345 678",
        "website": "",
        **fields,
    }
    return client.post(REPORT_URL, data, **_english(client))


def test_fake_stamp_page_offers_a_report_and_the_producers_contact(client, batch):
    gtin = batch.trade_item.gtin
    body = client.get(f"/01/{gtin}/21/FAKE-123", **_english(client)).content.decode()
    assert "stamp-banner--bad" in body
    assert f'action="{REPORT_URL}"' in body
    assert 'name="what_happened"' in body and 'name="where_bought"' in body
    assert 'name="website"' in body  # the honeypot
    assert batch.organisation.name in body
    assert 'href="tel:02063851234"' in body
    assert batch.organisation.province.name in body


def test_warning_stamp_page_offers_the_report_too(client, batch):
    serial = batch.stamps.first().serial
    for _ in range(stamps.WARN_AFTER_SCANS + 1):
        response = client.get(f"/01/{batch.trade_item.gtin}/21/{serial}", **_english(client))
    body = response.content.decode()
    assert "stamp-banner--warn" in body
    assert f'action="{REPORT_URL}"' in body and f'value="{serial}"' in body


def test_report_is_stored_as_plain_text_and_seen_by_coop_and_province(
    client, world, batch, django_capture_on_commit_callbacks
):
    from htxso.accounts.models import RoleAssignment

    for key in ("manager_a1", "officer_a", "officer_b"):
        user = world.users[key]
        user.email = f"{key}@example.vn"
        user.save(update_fields=["email"])
    gtin = batch.trade_item.gtin
    with django_capture_on_commit_callbacks(execute=True):
        response = _report(client, gtin, "FAKE-123")
    assert response.status_code == 200
    report = StampReport.objects.get()
    assert report.organisation == batch.organisation
    assert report.province_id == batch.organisation.province_id
    assert report.status == "not_genuine" and report.phone == "0912 345 678"
    assert report.what_happened == "The seal was broken <script>alert(1)</script>"
    recipients = {r for m in mail.outbox for r in m.to}
    assert recipients == {"manager_a1@example.vn", "officer_a@example.vn"}
    assert RoleAssignment.objects.filter(user=world.users["officer_b"]).exists()
    # the province's screen of suspicious checks, and the cooperative's trace page
    client.force_login(world.users["officer_a"])
    body = client.get("/truy-xuat/tem/dang-ngo/").content.decode()
    assert "Chợ Xanh, Cao Bằng" in body and "FAKE-123" in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    client.force_login(world.users["manager_a1"])
    body = client.get(f"/truy-xuat/to-chuc/{batch.organisation.pk}/").content.decode()
    assert "Chợ Xanh, Cao Bằng" in body and "<script>alert(1)" not in body
    # another province does not see it
    client.force_login(world.users["officer_b"])
    assert "Chợ Xanh" not in client.get("/truy-xuat/tem/dang-ngo/").content.decode()


def test_honeypot_long_bodies_and_floods_are_refused(client, batch):
    gtin = batch.trade_item.gtin
    assert _report(client, gtin, "FAKE-1", website="http://spam.example").status_code == 200
    assert StampReport.objects.count() == 0
    assert _report(client, gtin, "FAKE-1", what_happened="x" * 13_000).status_code == 413
    response = _report(client, gtin, "FAKE-1", what_happened="")
    assert response.status_code == 400 and 'name="what_happened"' in response.content.decode()
    assert _report(client, gtin, "FAKE-1", phone="call me maybe").status_code == 400
    assert StampReport.objects.count() == 0
    from htxso.trace.views_public import REPORT_RATE

    cache.clear()
    for _ in range(REPORT_RATE):
        assert _report(client, gtin, "FAKE-1").status_code == 200
    response = _report(client, gtin, "FAKE-1")
    assert response.status_code == 429 and "Too many reports" in response.content.decode()
    assert StampReport.objects.count() == REPORT_RATE
    assert client.get(REPORT_URL).status_code == 405


def test_report_status_is_read_on_the_server_not_taken_from_the_form(client, batch):
    serial = batch.stamps.first().serial
    _report(client, batch.trade_item.gtin, serial, status="not_genuine")
    report = StampReport.objects.get()
    assert report.status == "genuine" and report.stamp.serial == serial


def test_batch_page_links_serials_to_their_public_pages_without_counting(client, world, batch):
    client.force_login(world.users["manager_a1"])
    body = client.get(f"/truy-xuat/tem/{batch.pk}/").content.decode()
    serial = batch.stamps.first().serial
    url = f"/01/{batch.trade_item.gtin}/21/{serial}"
    assert f'href="{url}"' in body
    response = client.get(url)
    assert response.status_code == 200 and "stamp-banner--ok" in response.content.decode()
    assert StampScan.objects.count() == 0
    assert batch.stamps.get(serial=serial).scan_count == 0


def test_a_full_vietnamese_report_fits_the_body_limit(client, batch):
    text = "Niêm phong bị rách, bao bì khác hẳn, giá rẻ bất thường. " * 20
    response = _report(client, batch.trade_item.gtin, "FAKE-2", what_happened=text[:1000])
    assert response.status_code == 200
    assert StampReport.objects.get().what_happened == text[:1000].strip()
