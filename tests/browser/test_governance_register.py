"""In Chromium at 360 and 1280 px: the manager sees the register with the cap warning,
checks a payment before saving and saves it; the member opens their capital and the
certificate's public verification page.  Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from htxso.governance import services_register
from htxso.governance.models import CapitalMovement
from htxso.registry.models import Membership
from tests.governance.conftest import build_gov

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize("width", ["360", "1280"])
def test_manager_records_capital_and_member_checks_certificate(
    live_server,
    world,
    page_factory,
    width,
):
    gov = build_gov(world)
    manager = world.users["manager_a1"]
    big = gov.members["manager_a1"]
    Membership.objects.filter(pk=big.pk).update(capital=40_000_000)  # over 30 % on purpose
    cert = services_register.issue_certificate(
        actor=manager,
        membership=gov.members["member_a1"],
        number="GCN-001",
        issued_on=dt.date(2025, 3, 1),
    )
    org = world.orgs["a1"]

    page = page_factory(width)
    _sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/quan-tri-htx/von/htx/{org.pk}/")
    assert page.locator("#gr-warnings").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, f"governance-register-{width}")
    page.get_by_role("link", name="Ghi biến động vốn góp").click()
    page.locator("#id_membership").select_option(str(gov.members["a1_o1"].pk))
    page.locator("#id_kind").select_option("payment")
    page.locator("#id_amount").fill("2000000")
    page.get_by_role("button", name="Kiểm tra").click()
    assert page.locator("#gr-check").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, f"governance-register-check-{width}")
    page.get_by_role("button", name="Lưu biến động").click()
    page.wait_for_url(f"{live_server.url}/quan-tri-htx/von/htx/{org.pk}/")
    assert CapitalMovement.objects.filter(membership=gov.members["a1_o1"]).count() == 1

    member = page_factory(width)
    _sign_in(member, live_server, world.users["member_a1"])
    member.goto(f"{live_server.url}/quan-tri-htx/von/cua-toi/")
    assert "GCN-001" in member.content()
    assert_no_horizontal_overflow(member)
    shot(member, f"governance-my-capital-{width}")
    member.goto(f"{live_server.url}/quan-tri-htx/von/xac-minh/{cert.token}/")
    assert member.locator("#gr-verdict.gr-valid").count() == 1
    shot(member, f"governance-certificate-verify-{width}")
