"""Issue 17 leftovers in Chromium: the province's officer changes a report template
(the rule is on the page; due date and offices change, a section is renamed) at 360 px
and 1280 px; the ward office's report shows its ward's indicators (not the province's).

Screenshots in test-artifacts/screenshots/indicators-template-*.png and
indicators-ward-indicators-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from htxso.indicators.models import Framework, Indicator
from tests.indicators.reports.conftest import build

from .conftest import assert_no_horizontal_overflow, shot
from .test_indicators_reports import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", ["360", "1280"])
def test_officer_changes_a_template_and_ward_sees_its_indicators(
    live_server, world, page_factory, width
):
    rep = build(world)
    fw = Framework.objects.create(code="cb-ward-ui", name="Khung Cao Bằng", province_id="04")
    Indicator.objects.create(
        framework=fw, code="coops", name="Số hợp tác xã", formula="registry.cooperatives"
    )
    Indicator.objects.create(
        framework=fw, code="trained", name="Người được đào tạo", formula="training.people"
    )
    rep.template.framework = fw
    rep.template.save(update_fields=["framework"])
    base = live_server.url

    page = page_factory(width)
    _sign_in(page, base, world.users["officer_a"].username)
    page.goto(f"{base}/ket-qua/bao-cao/mau/{rep.template.pk}/")
    expect(page.locator("#template-rule")).to_contain_text("sao chép")
    page.locator("#template-edit summary").click()
    page.locator("#template-edit input[name=due_day]").fill("20")
    page.locator("#template-save").click()
    expect(page.locator(".page-title")).to_have_text(rep.template.name)
    expect(page.locator("main")).to_contain_text("20/6")
    assert_no_horizontal_overflow(page)
    shot(page, f"indicators-template-{width}")
    rep.template.refresh_from_db()
    assert rep.template.due_day == 20

    ward = page_factory(width)
    _sign_in(ward, base, world.users["viewer_a"].username)
    ward.goto(f"{base}/ket-qua/bao-cao/ky/{rep.cycle.pk}/don-vi/{rep.ward_office.pk}/")
    box = ward.locator("#office-indicators")
    expect(box).to_contain_text(rep.ward_office.ward.name)
    expect(box.locator("[data-indicator=coops] .n")).to_have_text("1")
    expect(box.locator("[data-indicator=trained]")).to_contain_text("phường")
    assert_no_horizontal_overflow(ward)
    shot(ward, f"indicators-ward-indicators-{width}")
