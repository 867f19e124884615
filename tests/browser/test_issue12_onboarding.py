"""A cooperative manager asks for access on a phone, the provincial officer approves.

Timed in steps (page loads and clicks that send something) and fields typed, with a
stated budget; screenshots at 360 and 1280 px in var/screenshots/issue12/."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from htxso.accounts import services
from htxso.accounts.models import RoleAssignment
from htxso.core.actors import OPERATOR
from htxso.core.roles import Role
from htxso.onboarding.models import AccessRequest, Status

from .conftest import assert_no_horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-rat-dai-2026"
OUT = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue12"

#: The budget of the journey (what a manager on a phone and the officer do).
MANAGER_STEPS, MANAGER_FIELDS = 6, 5
OFFICER_STEPS, OFFICER_FIELDS = 3, 0
SECONDS = 60


def _shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


def _sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def _paper_photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (900, 1200), (246, 244, 236)).save(buf, format="JPEG")
    return buf.getvalue()


class Meter:
    def __init__(self):
        self.steps = 0
        self.fields = 0
        self.started = time.monotonic()

    def step(self, n=1):
        self.steps += n

    def field(self, n=1):
        self.fields += n

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


@pytest.mark.parametrize("width", ["360", "1280"])
def test_manager_asks_for_access_and_the_officer_approves(live_server, world, page_factory, width):
    w = world
    services.user_create(
        actor=OPERATOR,
        username="u_hoang_thach",
        password=PASSWORD,
        validate=False,
        full_name="Hoàng Văn Thạch",
        email="thach@example.vn",
    )
    base = live_server.url
    page = page_factory(width)
    _sign_in(page, base, "u_hoang_thach")

    # --- the manager, on a phone ----------------------------------------------------
    manager = Meter()
    page.goto(f"{base}/tham-gia/")
    manager.step()
    expect(page.get_by_role("heading", name="Tham gia HTX Số")).to_be_visible()
    _shot(page, f"onboarding-join-{width}")
    page.get_by_role("link", name="Đề nghị quyền quản lý hợp tác xã của tôi").click()
    manager.step()
    page.get_by_label("Mã số thuế hoặc tên hợp tác xã của bạn").fill("hop giang")
    manager.field()
    page.get_by_role("button", name="Tìm kiếm").click()
    manager.step()
    expect(page.get_by_text("HTX Nông nghiệp Hợp Giang")).to_be_visible()
    _shot(page, f"onboarding-find-{width}")
    page.get_by_role("link", name="Đây là hợp tác xã của tôi").first.click()
    manager.step()
    expect(page.get_by_text("đã có người quản lý trên HTX Số")).to_be_visible()
    # the name comes from the account; phone, position, photo and consent are typed
    expect(page.locator("#id_full_name")).to_have_value("Hoàng Văn Thạch")
    page.get_by_label("Số điện thoại di động của bạn").fill("0912 345 678")
    page.get_by_label("Chức vụ của bạn trong hợp tác xã").fill("Giám đốc")
    page.get_by_label("Hoặc chụp ảnh giấy tờ ngay").set_input_files(
        files=[{"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": _paper_photo()}]
    )
    expect(page.locator(".js-file-name")).to_contain_text("anh.jpg")
    page.locator("#id_consent").check()
    manager.field(4)
    _shot(page, f"onboarding-form-{width}")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    manager.step()
    expect(page.locator("#req-status")).to_have_text("Chờ tỉnh xem xét")
    _shot(page, f"onboarding-sent-{width}")
    req = AccessRequest.objects.get()
    assert req.phone == "+84912345678" and req.document_type == "image/jpeg"

    # --- the officer of Cao Bằng -------------------------------------------------------
    officer_page = page_factory(width)
    _sign_in(officer_page, base, w.users["officer_a"].username)
    officer = Meter()
    officer_page.goto(f"{base}/yeu-cau-truy-cap/")
    officer.step()
    expect(officer_page.locator("#count-submitted")).to_have_text("1")
    _shot(officer_page, f"onboarding-queue-{width}")
    officer_page.get_by_role("link", name="HTX Nông nghiệp Hợp Giang").click()
    officer.step()
    expect(
        officer_page.get_by_text("Hợp tác xã này đã có người quản lý: Người dùng manager_a1.")
    ).to_be_visible()
    expect(officer_page.get_by_alt_text("Ảnh chụp giấy tờ")).to_be_visible()
    _shot(officer_page, f"onboarding-review-{width}")
    officer_page.get_by_role("button", name="Duyệt và cấp quyền").click()
    officer.step()
    expect(officer_page.locator("#req-status")).to_have_text("Đã duyệt")
    _shot(officer_page, f"onboarding-approved-{width}")

    req.refresh_from_db()
    assert req.status == Status.APPROVED
    assert RoleAssignment.objects.filter(
        user=req.requester, role=Role.COOP_MANAGER, organisation=w.orgs["a1"]
    ).exists()
    print(
        f"\n[{width}px] manager: {manager.steps} steps, {manager.fields} fields, "
        f"{manager.seconds:.1f} s; officer: {officer.steps} steps, {officer.fields} fields, "
        f"{officer.seconds:.1f} s"
    )
    assert manager.steps <= MANAGER_STEPS and manager.fields <= MANAGER_FIELDS
    assert officer.steps <= OFFICER_STEPS and officer.fields <= OFFICER_FIELDS
    assert manager.seconds + officer.seconds < SECONDS
