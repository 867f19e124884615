"""Browser (360 px): the trainer shows the rotating QR code, a participant's phone reads it
(zxing-cpp on a screenshot) and checks in, the trainer's roster shows them; a roster tick
taken offline is queued on the phone and sent when the network is back."""

from __future__ import annotations

import datetime as dt

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from htxso.training.models import Attendance
from tests.browser.conftest import (
    SCREENSHOTS,
    assert_no_horizontal_overflow,
    shot,
    wait_until,
)
from tests.training.attendance.helpers import course, enrol, session

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-rat-dai-2026"


def sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def read_qr(path) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(path)) if r.format.name == "QRCode"]


def test_rotating_qr_checkin_roster_and_offline_queue(live_server, world, page_factory):
    base = live_server.url
    c = course(world)
    s = session(c, start=timezone.now() - dt.timedelta(minutes=5))
    participant = enrol(c, world.users["norole"], name="Nông Thị Lan")
    no_phone = enrol(c, name="Lò Văn Páo")

    # The trainer opens the session on a phone and shows the code.
    trainer = page_factory("360")
    sign_in(trainer, base, world.users["trainer"].username)
    trainer.goto(f"{base}/dao-tao/diem-danh/")
    trainer.get_by_role("link", name=s.title).click()
    trainer.get_by_role("button", name="Mở điểm danh và hiện mã QR").click()
    qr = trainer.locator("[data-qr] svg")
    expect(qr).to_be_visible()
    assert_no_horizontal_overflow(trainer)
    path = shot(trainer, "training-attendance-trainer-qr-360")
    urls = read_qr(path)
    assert len(urls) == 1 and urls[0].startswith(f"{base}/dao-tao/diem-danh/"), urls
    first_url = trainer.locator("[data-qr]").get_attribute("data-url")
    assert urls[0] == first_url

    # A participant's phone opens what the camera read, and checks in with one tap.
    phone = page_factory("360")
    sign_in(phone, base, world.users["norole"].username)
    phone.goto(urls[0])
    expect(phone.get_by_role("heading", name=s.title)).to_be_visible()
    shot(phone, "training-attendance-participant-360")
    phone.get_by_role("button", name="Điểm danh").click()
    expect(phone.get_by_role("heading", name="Bạn đã điểm danh")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "training-attendance-participant-done-360")
    att = Attendance.objects.get(session=s, enrolment=participant)
    assert att.method == "qr"

    # The roster shows who checked in without a reload (it is read every 10 s), and the
    # code changes (at most 30 s).
    row = trainer.locator(f'.roster__row[data-enrolment="{participant.pk}"]')
    expect(row).to_have_class("roster__row is-present", timeout=25_000)
    wait_until(
        trainer,
        f"document.querySelector('[data-qr]').dataset.url !== {first_url!r}",
        timeout_ms=40_000,
    )
    new_urls = read_qr(shot(trainer, "training-attendance-trainer-rotated-360"))
    assert new_urls and new_urls[0] != urls[0]

    # No network in the hall: the tick is kept on the phone, then sent.
    trainer.context.set_offline(True)
    trainer.locator(f'.roster__row[data-enrolment="{no_phone.pk}"] button').click()
    queued = trainer.locator(f'.roster__row[data-enrolment="{no_phone.pk}"]')
    expect(queued).to_have_class("roster__row is-queued")
    shot(trainer, "training-attendance-trainer-offline-360")
    assert not Attendance.objects.filter(enrolment=no_phone).exists()
    trainer.context.set_offline(False)
    trainer.evaluate("window.dispatchEvent(new Event('online'))")
    expect(queued).to_have_class("roster__row is-present", timeout=15_000)
    offline = Attendance.objects.get(enrolment=no_phone)
    assert offline.method == "offline" and offline.client_id.startswith("web-")
    assert trainer.evaluate("window.htxsoAttendanceQueue.load().length") == 0

    # The wide screen: the same page and the course's attendance.
    wide = page_factory("1280")
    sign_in(wide, base, world.users["trainer"].username)
    wide.goto(f"{base}/dao-tao/diem-danh/buoi/{s.pk}/")
    expect(wide.locator("[data-qr] svg")).to_be_visible()
    assert read_qr(shot(wide, "training-attendance-trainer-qr-1280"))
    wide.goto(f"{base}/dao-tao/diem-danh/khoa/{c.pk}/")
    expect(wide.get_by_text("Nông Thị Lan")).to_be_visible()
    shot(wide, "training-attendance-course-1280")
    assert SCREENSHOTS.exists()
