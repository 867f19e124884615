"""Issue 19 in the browser: a Cao Bằng officer uploads the business-registration extract
(1280 px), reviews the new, changed, dissolved and conflicting organisations, accepts
them, uploads the tax extract and accepts it; the organisation page, the province's
statistics and the legal warnings show the result.  The review page at 360 px too."""

from __future__ import annotations

import pytest

from htxso.registry.models import Organisation

from ..registry_extracts.helpers import (
    business_csv,
    cao_bang_registry,
    code,
    standard_rows,
    tax_csv,
)
from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(page, base, path, source):
    page.goto(f"{base}/doi-soat/tai-len/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("select[name=source]").select_option(source)
    page.locator("input[name=extract_date]").fill("2026-11-30")
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_selector(".ext-facts")


def _tab(page, category):
    """Open one tab of the review page and wait until the new page has loaded: the tabs
    are links, so counting right after the click would count the old page."""
    page.locator(f".ext-tab[data-cat={category}]").click()
    page.wait_for_selector(f".ext-tab.is-current[data-cat={category}]")


def test_officer_reconciles_and_the_registry_shows_it(live_server, world, page_factory, tmp_path):
    orgs = cao_bang_registry(world)
    a1 = world.orgs["a1"]
    from htxso.geo.models import Ward

    ward = Ward.objects.filter(province_id="04").order_by("code").first()
    business = tmp_path / "trich-xuat-dkkd-cao-bang.csv"
    business.write_bytes(business_csv(standard_rows(world, ward.name)))
    tax = tmp_path / "trich-xuat-thue.csv"
    tax.write_bytes(tax_csv([(a1.tax_code, a1.name, "Ngừng hoạt động", "")]))
    base = live_server.url
    page = page_factory("1280")
    sign_in(page, base, world.users["officer_a"].username)

    _upload(page, base, business, "business")
    review_url = page.url
    tabs = page.locator(".ext-tab")
    assert tabs.count() == 6
    _tab(page, "changed")
    changes = page.locator(".ext-item tr[data-field=charter_capital] .ext-new")
    assert "500.000.000" in changes.inner_text()
    shot(page, "extracts-review-changed-1280")
    _tab(page, "conflict")
    assert page.locator(".ext-item").count() == 4
    assert page.locator("[data-action=apply-all]").count() == 0  # conflicts never apply
    shot(page, "extracts-review-conflicts-1280")
    for category in ("new", "changed", "dissolved"):
        _tab(page, category)
        page.locator("[data-action=apply-all]").click()
        page.wait_for_selector(".ext-item--applied")
    shot(page, "extracts-review-applied-1280")

    # the 360 px review page (a signed-in phone)
    phone = page_factory("360")
    sign_in(phone, base, world.users["officer_a"].username)
    phone.goto(review_url + "?cat=changed")
    assert_no_horizontal_overflow(phone)
    shot(phone, "extracts-review-360")

    _upload(page, base, tax, "tax")
    page.locator("[data-action=apply-all]").click()
    page.wait_for_selector(".ext-item--applied")

    # the organisation page: new capital, the tax warning
    page.goto(f"{base}/to-chuc/{a1.pk}/")
    text = page.locator("main").inner_text()
    assert "500.000.000" in text
    assert "Cơ quan thuế ghi nhận tổ chức đã ngừng hoạt động" in text
    shot(page, "extracts-organisation-1280")
    new = Organisation.objects.get(tax_code=code(4))
    page.goto(f"{base}/to-chuc/{new.pk}/")
    assert "HTX Chè Shan tuyết Phìa Đén" in page.locator("main").inner_text()
    dissolved = Organisation.objects.get(pk=orgs["dissolving"].pk)
    assert dissolved.status == "dissolved"
    # the warnings list and the statistics
    page.goto(f"{base}/to-chuc/canh-bao/")
    assert "Cơ quan thuế ghi nhận" in page.locator("main").inner_text()
    page.goto(f"{base}/thong-ke/tinh/04/")
    assert page.locator("[data-figure=tax_problem] strong").inner_text() == "1"
    shot(page, "extracts-stats-1280")
    page.goto(f"{base}/doi-soat/")
    assert page.locator(".ext-history li").count() == 2
    shot(page, "extracts-history-1280")
