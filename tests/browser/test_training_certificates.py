"""Issue 16 on a phone: the trainer completes a participant from the completion page,
the participant opens their certificate and downloads the PDF and the badge, and anyone
opens the public verification page (360 and 1280 px, screenshots)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from htxso.training.models import Certificate
from tests.training.certificates.helpers import enrol, make_course

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize("width", ["360", "1280"])
def test_trainer_completes_and_participant_downloads(live_server, world, page_factory, width):
    course = make_course(
        trainer=world.users["trainer"], pass_score=70, title="Mở gian hàng và bán hàng trực tuyến"
    )
    hoa = enrol(course, "Nông Thị Hoa", user=world.users["member_a1"], attended=4, score=85)
    enrol(course, "Hoàng Văn Tư", attended=1, score=40)

    trainer = page_factory(width)
    _sign_in(trainer, live_server, world.users["trainer"])
    trainer.goto(f"{live_server.url}/dao-tao/khoa-hoc/{course.pk}/hoan-thanh/")
    assert_no_horizontal_overflow(trainer)
    assert trainer.locator(f"#enrolment-{hoa.pk} .check--ok").count() == 2
    assert "dưới mức 75% cần đạt" in trainer.content()
    shot(trainer, f"training-completion-{width}")
    trainer.get_by_role("button", name="Xác nhận hoàn thành cho người đã chọn").click()
    trainer.get_by_text("1 học viên hoàn thành; đã cấp 1 chứng chỉ.").wait_for()
    cert = Certificate.objects.get(enrolment=hoa)

    phone = page_factory(width)
    _sign_in(phone, live_server, world.users["member_a1"])
    phone.goto(f"{live_server.url}/dao-tao/chung-chi/cua-toi/")
    phone.get_by_role("link", name="Mở gian hàng và bán hàng trực tuyến").click()
    phone.locator("#dl-pdf").wait_for()
    assert_no_horizontal_overflow(phone)
    shot(phone, f"training-certificate-{width}")
    with phone.expect_download() as pdf:
        phone.locator("#dl-pdf").click()
    assert pdf.value.suggested_filename == f"chung-chi-{cert.code}.pdf"
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with phone.expect_download() as badge:
        phone.locator("#dl-json").click()
    wrapper = json.loads(Path(badge.value.path()).read_text(encoding="utf-8"))
    assert wrapper["jwt"] == cert.credential

    anyone = page_factory(width)
    anyone.goto(
        phone.locator("#share-link")
        .get_attribute("href")
        .replace(settings.SITE_URL, live_server.url)
    )
    assert anyone.locator("#cert-name").inner_text() == "Nông Thị Hoa"
    assert "Còn hiệu lực" in anyone.locator("#cert-status").inner_text()
    assert_no_horizontal_overflow(anyone)
    shot(anyone, f"training-verify-public-{width}")
    anyone.goto(f"{live_server.url}/dao-tao/chung-chi/kiem-tra/")
    anyone.locator("#id_file").set_input_files(badge.value.path())
    anyone.get_by_role("button", name="Kiểm tra", exact=True).click()
    anyone.locator("#verdict").wait_for()
    assert anyone.locator("#verdict").get_attribute("data-reason") == "valid"
    assert_no_horizontal_overflow(anyone)
    shot(anyone, f"training-verify-check-{width}")
