"""A consumer at 360 px scans a lot QR and a stamp QR; a field worker records a harvest
offline and the queue sends it once the network is back.  Screenshots at 360 and 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from htxso.core.actors import OPERATOR
from tests.trace.helpers import make_chain, make_plot

from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chain(world):
    from htxso.trace.services import stamps

    c = make_chain(world.orgs["a1"], plots=3)
    batch = stamps.stamp_batch_order(
        actor=OPERATOR, organisation=c.org, trade_item=c.items["packaged"], quantity=5
    )
    stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=c.packaged)
    c.batch = batch
    return c


@pytest.mark.parametrize("width", ["360", "1280"])
def test_consumer_opens_lot_and_stamp(live_server, chain, page_factory, width):
    page = page_factory(width)
    page.goto(f"{live_server.url}/01/{chain.packaged.gtin}/10/{chain.packaged.code}")
    expect(page.get_by_role("heading", name="Hành trình của lô hàng")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, f"trace-lot-{width}")
    serial = chain.batch.stamps.first().serial
    page.goto(f"{live_server.url}/01/{chain.packaged.gtin}/21/{serial}")
    expect(page.locator(".stamp-banner--ok")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, f"trace-stamp-{width}")
    page.goto(f"{live_server.url}/01/{chain.packaged.gtin}/21/KHONG-CO-THAT")
    expect(page.locator(".stamp-banner--bad")).to_be_visible()
    shot(page, f"trace-stamp-fake-{width}")
    page.goto(f"{live_server.url}/truy-xuat/so-cai/?kiem-tra=1")
    expect(page.locator(".msg--success")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, f"trace-ledger-{width}")


def test_field_worker_records_offline_then_syncs(live_server, world, page_factory):
    from htxso.trace.models import Event
    from tests.trace.helpers import make_items

    org = world.orgs["a1"]
    items = make_items(org)
    make_plot(org)
    page = page_factory("360")
    sign_in(page, live_server.url, world.users["manager_a1"].username)
    page.goto(f"{live_server.url}/truy-xuat/to-chuc/{org.pk}/")
    assert_no_horizontal_overflow(page)
    shot(page, "trace-org-home-360")
    page.goto(f"{live_server.url}/truy-xuat/to-chuc/{org.pk}/ghi/harvest/")
    assert_no_horizontal_overflow(page)
    page.context.set_offline(True)
    page.get_by_label("Thửa đất").select_option(index=1)
    page.get_by_label("Khối lượng (kg)").fill("320")
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_selector("[data-trace-queue-status]:not([hidden])")
    shot(page, "trace-record-offline-360")
    assert Event.objects.count() == 0
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # (no wait_for_function: Playwright evaluates its string with eval, which the CSP
    # forbids) the status says so once the queue is sent
    expect(page.locator("[data-trace-queue-status]")).to_contain_text("Đã gửi", timeout=10_000)
    assert page.evaluate("window.htxsoTraceQueue.load().length") == 0
    shot(page, "trace-record-synced-360")
    assert "Đã gửi" in page.locator("[data-trace-queue-status]").inner_text()
    assert Event.objects.filter(kind="harvest").count() == 1
    assert items["cherry"].lots.count() == 1


@pytest.mark.parametrize("width", ["360", "1280"])
def test_manager_pages_fit(live_server, world, chain, page_factory, width):
    page = page_factory(width)
    sign_in(page, live_server.url, world.users["manager_a1"].username)
    for name, path in [
        ("lot", f"/truy-xuat/lo/{chain.packaged.pk}/"),
        ("eudr", f"/truy-xuat/lo/{chain.packaged.pk}/eudr/"),
        ("stamps", f"/truy-xuat/tem/{chain.batch.pk}/"),
        ("plot-add", f"/truy-xuat/to-chuc/{chain.org.pk}/vung-trong/them/"),
        ("processing", f"/truy-xuat/to-chuc/{chain.org.pk}/ghi/processing/"),
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("h1").first).to_be_visible()
        assert_no_horizontal_overflow(page)
        shot(page, f"trace-manage-{name}-{width}")
