"""Annual report and self-classification in the browser, at 360 px and 1280 px."""

from __future__ import annotations

import importlib

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_overflow
from .conftest import shot as _shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = 2025


def shot(page, name):
    """Full-page screenshot from the top, so sticky bars sit where a person sees them."""
    page.evaluate("window.scrollTo(0, 0)")
    return _shot(page, name)


@pytest.fixture
def schemes(transactional_db):
    """A transactional test's flush empties the schemes shipped by migration 0004."""
    from htxso.registry.models import ClassificationScheme

    data = importlib.import_module("htxso.registry.migrations.0004_classification_schemes")
    for row in data.SCHEMES:
        ClassificationScheme.objects.update_or_create(code=row["code"], defaults=row)


def _fill_report(page, revenue="2.600.000.000"):
    for name, value in {
        "members_official": "12",
        "members_associate": "3",
        "workers_total": "10",
        "workers_youth": "4",
        "workers_female": "5",
        "charter_capital": "1.500.000.000",
        "total_assets": "2.000.000.000",
        "revenue": revenue,
        "revenue_from_members": "800.000.000",
        "profit": "120.000.000",
        "average_income_month": "5.200.000",
        "taxes_paid": "12.000.000",
    }.items():
        page.fill(f"#id_{name}", value)
    page.select_option("#id_operating_effectively", "yes")
    page.select_option("#id_in_value_chain", "yes")


def _status(page):
    return page.locator("#report-status").get_attribute("data-status")


@pytest.mark.parametrize("width", ["360", "1280"])
def test_annual_report_round_trip(live_server, world, page_factory, width):
    base = live_server.url
    org = world.orgs["a1"]
    manager = page_factory(width)
    sign_in(manager, base, world.users["manager_a1"].username)
    manager.goto(f"{base}/to-chuc/{org.pk}/bao-cao-nam/")
    assert_no_horizontal_overflow(manager)
    shot(manager, f"report-org-list-{width}")
    manager.goto(f"{base}/to-chuc/{org.pk}/bao-cao-nam/{YEAR}/")
    _fill_report(manager, revenue="-5")
    manager.click("button[name=then][value=submit]")
    expect(manager.locator(".field--error #id_revenue")).to_be_visible()
    assert_no_horizontal_overflow(manager)
    shot(manager, f"report-form-errors-{width}")
    _fill_report(manager)
    manager.click("button[name=then][value=submit]")
    manager.wait_for_url("**/bao-cao-nam/*/")
    assert _status(manager) == "submitted"
    detail_url = manager.url
    assert_no_horizontal_overflow(manager)
    shot(manager, f"report-submitted-{width}")

    officer = page_factory(width)
    sign_in(officer, base, world.users["officer_a"].username)
    officer.goto(f"{base}/bao-cao-nam/?year={YEAR}")
    assert_no_horizontal_overflow(officer)
    shot(officer, f"report-queue-{width}")
    officer.goto(detail_url)
    officer.fill("#id_comment", "Doanh thu chưa khớp với báo cáo tài chính.")
    officer.click("button[name=decision][value=return]")
    officer.wait_for_load_state()
    assert _status(officer) == "returned"
    shot(officer, f"report-returned-{width}")

    manager.goto(f"{base}/to-chuc/{org.pk}/bao-cao-nam/{YEAR}/")
    expect(manager.get_by_text("Doanh thu chưa khớp").first).to_be_visible()
    manager.fill("#id_revenue", "2.700.000.000")
    shot(manager, f"report-form-returned-{width}")
    manager.click("button[name=then][value=submit]")
    manager.wait_for_url("**/bao-cao-nam/*/")
    assert _status(manager) == "submitted"

    officer.goto(detail_url)
    officer.click("button[name=decision][value=accept]")
    officer.wait_for_load_state()
    assert _status(officer) == "accepted"
    assert officer.locator(".timeline li").count() == 5
    assert_no_horizontal_overflow(officer)
    shot(officer, f"report-accepted-{width}")


@pytest.mark.parametrize("width", ["360", "1280"])
def test_self_classification(live_server, world, schemes, page_factory, width):
    base = live_server.url
    org = world.orgs["a1"]
    manager = page_factory(width)
    sign_in(manager, base, world.users["manager_a1"].username)
    manager.goto(f"{base}/to-chuc/{org.pk}/xep-loai/{YEAR}/tt01-2020/")
    points = {"F1": 6, "F2": 5, "F3": 9, "F4": 5, "G1": 7, "G2": 6, "G3": 4, "G4": 5}
    points.update({"G5": 3, "M1": 7, "M2": 6, "M3": 7, "M4": 4, "M5": 5, "M6": 2})
    for code, value in points.items():
        manager.fill(f"#id_c_{code}", str(value))
    assert manager.locator("#running-total").inner_text() == "81"
    assert_no_horizontal_overflow(manager)
    shot(manager, f"classification-form-{width}")
    manager.click("button[name=then][value=submit]")
    manager.wait_for_url("**/xep-loai/*/")
    assert manager.locator("#score-grade").get_attribute("data-grade") == "good"
    detail_url = manager.url
    shot(manager, f"classification-submitted-{width}")

    officer = page_factory(width)
    sign_in(officer, base, world.users["officer_a"].username)
    officer.goto(detail_url)
    officer.fill("#rv-F3", "7")
    officer.fill("#id_comment", "Lợi nhuận thấp hơn kê khai.")
    officer.click("button[name=decision][value=reviewed]")
    officer.wait_for_load_state()
    assert officer.locator("#score-total").inner_text() == "79"
    assert officer.locator("#score-grade").get_attribute("data-grade") == "fair"
    officer.click("form[action$='/cong-bo/'] button")
    officer.wait_for_load_state()
    assert officer.locator("#score-status").get_attribute("data-status") == "published"
    assert_no_horizontal_overflow(officer)
    shot(officer, f"classification-published-{width}")
    officer.goto(f"{base}/xep-loai/?year={YEAR}")
    assert_no_horizontal_overflow(officer)
    shot(officer, f"classification-queue-{width}")
