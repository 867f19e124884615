"""Privacy pages on a phone and a desktop: the public notice, and "Dữ liệu của tôi" of a
member with a register row (download link, requests), screenshots in
var/screenshots/issue12/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from htxso.core import consent
from htxso.registry.models import Person
from htxso.registry.services import members as member_services

from .conftest import assert_no_horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-rat-dai-2026"
OUT = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue12"


def _shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", ["360", "1280"])
def test_notice_and_my_data(live_server, world, page_factory, width):
    member = world.users["member_a1"]
    m = member_services.member_register(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        person=member_services.PersonData(
            full_name="Lò Văn Minh",
            citizen_id="004090001234",
            birth_date=dt.date(1990, 5, 5),
            ethnicity="01",
        ),
        kind="official",
        joined_on=dt.date(2024, 1, 1),
        capital=5_000_000,
    )
    Person.objects.filter(pk=m.person_id).update(user=member)
    consent.record_consent(user=member, purpose="invitation")
    base = live_server.url
    page = page_factory(width)
    page.goto(f"{base}/du-lieu-ca-nhan/thong-bao/")
    assert page.locator("h1").inner_text() == "HTX Số sử dụng dữ liệu cá nhân của bạn như thế nào"
    assert consent.NOTICE_VERSION in page.content()
    assert_no_horizontal_overflow(page)
    _shot(page, f"privacy-notice-{width}")

    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(member.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    page.goto(f"{base}/du-lieu-ca-nhan/")
    assert page.locator("h1").inner_text() == "Dữ liệu của tôi"
    body = page.content()
    assert "004090001234" in body and "5.000.000" in body
    assert_no_horizontal_overflow(page)
    _shot(page, f"privacy-my-data-{width}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải về (JSON)").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["data"]["register"][0]["citizen_id"] == "004090001234"
    page.goto(f"{base}/du-lieu-ca-nhan/xoa/")
    assert_no_horizontal_overflow(page)
    _shot(page, f"privacy-deletion-{width}")
