"""Two-factor sign-in on a phone: a password alone never reaches the enrolment page;
the owner replaces the authenticator with the password and a current code."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Mat-khau-rat-dai-2026"


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=drift):06d}"


@pytest.mark.parametrize("width", ["360", "1280"])
def test_password_alone_cannot_enrol_and_the_owner_replaces_the_device(
    live_server, world, page_factory, width
):
    user = world.users["officer_a"]
    owners = TOTPDevice.objects.create(user=user, name="Điện thoại cũ", confirmed=True)
    base = live_server.url
    page = page_factory(width)
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/xac-thuc-2-buoc/?next=*")
    # the attack: the enrolment page sends a password-only session back to the code page
    page.goto(f"{base}/xac-thuc-2-buoc/bat/")
    page.wait_for_url("**/xac-thuc-2-buoc/?next=*")
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    page.locator("input[name=code]").fill(_code(owners))
    page.locator("main button.btn--primary[type=submit]").click()
    # verified: sent on to where it asked to go (the enrolment page, now as the owner)
    page.wait_for_url("**/xac-thuc-2-buoc/bat/")
    page.goto(f"{base}/tai-khoan/")
    assert_no_horizontal_overflow(page)
    shot(page, f"two-factor-profile-on-{width}")
    # replace: password, a code of the current device and one of the new device
    page.goto(f"{base}/xac-thuc-2-buoc/bat/")
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert_no_horizontal_overflow(page)
    shot(page, f"two-factor-replace-{width}")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=current_code]").fill(_code(owners, 1))
    page.locator("input[name=code]").fill(_code(new))
    page.locator("main button.btn--primary[type=submit]").click()
    expect(page.locator(".messages, .message, [role=status]").first).to_be_visible()
    assert not TOTPDevice.objects.filter(pk=owners.pk).exists()
    assert TOTPDevice.objects.get(user=user, confirmed=True).pk == new.pk
    shot(page, f"two-factor-replaced-{width}")
