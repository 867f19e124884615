"""A consumer at 360 and 1280 px: the lot page shows the journey first, the fake-stamp
page gives something to do (the producer's contact and a report form), and the
cooperative's stamp batch page links each serial to its public page.  Screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from htxso.core.actors import OPERATOR
from tests.trace.helpers import make_chain

from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chain(world):
    from htxso.trace.services import stamps

    c = make_chain(world.orgs["a1"], plots=12)
    c.org.phone = "0206 3851 234"
    c.org.save(update_fields=["phone"])
    batch = stamps.stamp_batch_order(
        actor=OPERATOR, organisation=c.org, trade_item=c.items["packaged"], quantity=5
    )
    stamps.stamp_batch_activate(actor=OPERATOR, batch=batch, lot=c.packaged)
    c.batch = batch
    return c


def _top(page, selector) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize("width", ["360", "1280"])
def test_lot_page_journey_first_and_diacritics(live_server, chain, page_factory, width):
    page = page_factory(width)
    page.goto(f"{live_server.url}/01/{chain.parchment.gtin}/10/{chain.parchment.code}")
    page.evaluate("async () => { await document.fonts.ready; return true; }")
    journey = _top(page, ".trace-journey")
    assert journey < _top(page, ".trace-origin") < _top(page, ".trace-tech")
    if width == "360":
        assert journey < 780, "the journey starts on the first screen of a phone"
    expect(page.locator(".plot-list")).to_be_hidden()
    expect(page.locator(".trace-tech .hash").first).to_be_hidden()
    # the subset font has every Vietnamese letter in both weights
    for weight in ("400", "600"):
        assert page.evaluate(
            f"document.fonts.check('{weight} 16px \"Be Vietnam Pro\"', 'ệ ữ ặ ỹ Đ ơ ư ₫')"
        )
    assert_no_horizontal_overflow(page)
    shot(page, f"trace2-lot-{width}")
    page.locator(".plot-details > summary").click()
    page.locator(".trace-tech > summary").click()
    expect(page.locator(".plot-list")).to_be_visible()
    expect(page.locator(".trace-tech .hash").first).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, f"trace2-lot-open-{width}")


@pytest.mark.parametrize("width", ["360", "1280"])
def test_fake_stamp_page_report(live_server, chain, page_factory, width):
    from htxso.trace.models import StampReport

    page = page_factory(width)
    page.goto(f"{live_server.url}/01/{chain.packaged.gtin}/21/KHONG-CO-THAT")
    expect(page.locator(".stamp-banner--bad")).to_be_visible()
    expect(page.locator(".stamp-contact")).to_contain_text(chain.org.name)
    expect(page.locator(".stamp-contact a[href^='tel:']")).to_be_visible()
    expect(page.locator(".hp input")).not_to_be_in_viewport()
    assert_no_horizontal_overflow(page)
    shot(page, f"trace2-stamp-fake-{width}")
    page.locator("textarea[name=what_happened]").fill("Niêm phong bị rách, giá rẻ bất thường")
    page.locator("input[name=where_bought]").fill("Chợ Xanh, TP Cao Bằng")
    page.locator("input[name=phone]").fill("0912 345 678")
    page.locator(".stamp-report button[type=submit]").click()
    expect(page.locator(".stamp-banner--ok")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, f"trace2-stamp-reported-{width}")
    report = StampReport.objects.get()
    assert report.where_bought == "Chợ Xanh, TP Cao Bằng" and report.organisation == chain.org


@pytest.mark.parametrize("width", ["360", "1280"])
def test_stamp_batch_page_links_serials(live_server, world, chain, page_factory, width):
    page = page_factory(width)
    sign_in(page, live_server.url, world.users["manager_a1"].username)
    page.goto(f"{live_server.url}/truy-xuat/tem/{chain.batch.pk}/")
    serial = chain.batch.stamps.first().serial
    link = page.get_by_role("link", name=serial)
    expect(link).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, f"trace2-stamp-batch-{width}")
    link.click()
    expect(page.locator(".stamp-banner--ok")).to_be_visible()
    assert page.url.endswith(f"/01/{chain.packaged.gtin}/21/{serial}")
    # the cooperative's trace page lists the consumers' reports, text escaped
    from htxso.trace.services.reports import stamp_report_create

    stamp_report_create(
        gtin=chain.packaged.gtin,
        serial="KHONG-CO-THAT",
        what_happened="Niêm phong bị rách <b>giá rẻ</b>",
        where_bought="Chợ Xanh, TP Cao Bằng",
        phone="0912 345 678",
    )
    page.goto(f"{live_server.url}/truy-xuat/to-chuc/{chain.org.pk}/#bao-cao")
    expect(page.locator("#bao-cao")).to_contain_text("<b>giá rẻ</b>")
    assert_no_horizontal_overflow(page)
    page.locator("#bao-cao").screenshot(path=str(shot(page, f"trace2-org-reports-{width}")))
