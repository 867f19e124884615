"""Browser (360 px, issue 14): a member votes in a secret ballot in two taps and checks
the receipt; the chair sees no result while the vote is open, closes it and the result
appears, publishes it with its number; the minutes .docx is downloaded and reopened."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from htxso.governance import services_votes as svc
from htxso.governance.models import Ballot, Resolution
from tests.browser.conftest import assert_no_horizontal_overflow, shot
from tests.governance.conftest import build_gov
from tests.governance.votes.conftest import Hall, attend, give_account, open_assembly

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-rat-dai-2026"


def sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def test_secret_ballot_receipt_close_and_minutes(live_server, world, page_factory):
    base = live_server.url
    gov = build_gov(world)
    assembly = open_assembly(world)
    hall = Hall(assembly=assembly, gov=gov, world=world)
    for key in ("manager_a1", "member_a1", "a1_o1", "a1_o2", "a1_assoc_cap"):
        hall.attending.append(attend(assembly, gov.members[key], by=world.users["manager_a1"]))
    r = hall.resolution(secret=True, matter="election", title="Bầu Hội đồng quản trị")
    svc.cast(actor=world.users["manager_a1"], resolution=r, choice="yes")
    svc.cast(actor=give_account(gov.members["a1_o1"], "o1"), resolution=r, choice="yes")

    # The member: the votes page → tap "Biểu quyết" → tap "Tán thành".
    phone = page_factory("360")
    sign_in(phone, base, world.users["member_a1"].username)
    phone.goto(f"{base}/quan-tri-htx/bieu-quyet/")
    expect(phone.get_by_text("Bầu Hội đồng quản trị")).to_be_visible()
    shot(phone, "governance-votes-open-360")
    phone.get_by_role("link", name="Biểu quyết", exact=True).click()  # tap 1
    expect(phone.get_by_role("button", name="Tán thành", exact=True)).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "governance-votes-ballot-360")
    phone.get_by_role("button", name="Tán thành", exact=True).click()  # tap 2
    expect(phone.get_by_role("heading", name="Phiếu của bạn đã được tính")).to_be_visible()
    code = phone.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    assert_no_horizontal_overflow(phone)
    shot(phone, "governance-votes-receipt-360")
    assert Ballot.objects.filter(resolution=r).count() == 3

    phone.get_by_role("link", name="Kiểm tra mã phiếu của tôi").click()
    phone.get_by_label("Mã xác nhận phiếu").fill(code.lower().replace("-", " "))
    phone.get_by_role("button", name="Kiểm tra", exact=True).click()
    result = phone.locator("#receipt-result")
    expect(result).to_contain_text("Đã tính")
    assert "Tán thành" not in result.inner_text()
    shot(phone, "governance-votes-receipt-check-360")

    # The chair: no result while open; close → the result; publish → the number.
    chair = page_factory("360")
    sign_in(chair, base, world.users["manager_a1"].username)
    chair.goto(f"{base}/quan-tri-htx/bieu-quyet/{r.pk}/")
    expect(chair.locator("#result-hidden")).to_be_visible()
    expect(chair.locator("#result")).to_have_count(0)
    shot(chair, "governance-votes-chair-open-360")
    chair.locator("#close-vote").click()
    expect(chair.locator("#result")).to_have_text("Thông qua")
    expect(chair.get_by_text("3 tán thành trên 4 thành viên")).to_be_visible()
    chair.locator("#publish").click()
    expect(chair.locator("#resolution-number")).to_have_text(re.compile(r"01/\d{4}/NQ-ĐHTV"))
    assert_no_horizontal_overflow(chair)
    shot(chair, "governance-votes-chair-result-360")
    assert Resolution.objects.get(pk=r.pk).passed is True

    # The minutes as Word, reopened here.
    with chair.expect_download() as info:
        chair.locator("#minutes-link").click()
    data = Path(info.value.path()).read_bytes()
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BIÊN BẢN" in text and "Bầu Hội đồng quản trị" in text
    assert "THÔNG QUA" in text and "tán thành 3/4" in text

    wide = page_factory("1280")
    sign_in(wide, base, world.users["manager_a1"].username)
    wide.goto(f"{base}/quan-tri-htx/bieu-quyet/{r.pk}/")
    expect(wide.locator("#result")).to_be_visible()
    shot(wide, "governance-votes-chair-result-1280")
    wide.goto(f"{base}/quan-tri-htx/bieu-quyet/{r.pk}/bo-phieu/")
    shot(wide, "governance-votes-ballot-1280")
