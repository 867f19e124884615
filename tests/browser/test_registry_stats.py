"""The province dashboard and the national view in Chromium at 360 px and 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..registry.test_stats_world import build_stats_world
from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stats_world(world):
    from django.core.cache import cache

    cache.clear()
    build_stats_world(world)
    # English until the lead merges this module's translations into the catalogue
    for user in world.users.values():
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    return world


@pytest.mark.parametrize("width", ["360", "1280"])
def test_province_dashboard(live_server, stats_world, page_factory, width):
    page = page_factory(width)
    sign_in(page, live_server.url, stats_world.users["officer_a"].username)
    page.goto(f"{live_server.url}/thong-ke/tinh/04/")
    expect(page.get_by_role("heading", name="Statistics: Tỉnh Cao Bằng")).to_be_visible()
    assert page.locator("svg[role=img]").count() == 4
    assert page.locator("tr[data-indicator=revenue_per_cooperative] td").first.inner_text() == (
        "2.000.000.000\u00a0₫"
    )
    # charts stay readable: drawn at least 300 px wide on a phone, not upscaled past 440
    box = page.locator("svg[role=img]").first.bounding_box()
    assert 280 <= box["width"] <= 441
    assert_no_horizontal_overflow(page)
    shot(page, f"stats-province-{width}")
    # the data table behind a chart opens
    page.locator(".chart__data summary").nth(1).click()
    expect(page.locator(".chart__data table").nth(1)).to_be_visible()
    # the year selector reloads the page for another year
    page.select_option("#f-year", "2023")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**year=2023**")
    assert page.locator("#f-year").input_value() == "2023"
    assert_no_horizontal_overflow(page)


@pytest.mark.parametrize("width", ["360", "1280"])
def test_national_view(live_server, stats_world, page_factory, width):
    page = page_factory(width)
    sign_in(page, live_server.url, stats_world.users["vca"].username)
    page.goto(f"{live_server.url}/thong-ke/")
    page.wait_for_url("**/thong-ke/toan-quoc/")
    expect(page.get_by_role("heading", name="National statistics")).to_be_visible()
    compare = page.locator(".stats-compare")
    assert compare.locator("tbody tr").count() == 2
    wrap = page.locator(".table-wrap", has=compare)
    scroll, client = wrap.evaluate("e => [e.scrollWidth, e.clientWidth]")
    if width == "360":
        assert scroll > client  # the wide table scrolls inside its container…
    assert_no_horizontal_overflow(page)  # …and the page itself does not
    shot(page, f"stats-national-{width}")
    # sort by revenue per cooperative, descending
    compare.locator("thead a", has_text="Revenue per cooperative").click()
    page.wait_for_url("**sort=-revenue_per_cooperative**")
    first = page.locator(".stats-compare tbody tr").first.get_attribute("data-province")
    assert first == "66"


def test_empty_province_dashboard(live_server, world, page_factory):
    page = page_factory("360")
    sign_in(page, live_server.url, world.users["vca"].username)
    page.goto(f"{live_server.url}/thong-ke/tinh/19/")
    expect(page.locator(".empty").first).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "stats-province-empty-360")
