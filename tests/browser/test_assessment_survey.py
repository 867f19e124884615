"""A young DX lead answers the self-assessment on a phone (360 px): the answers save as
they are chosen, a part is saved and the next one opened, the round is submitted, and
the scores show with the median of five peer cooperatives.  The officer of the province
reads the same results on a desktop (1280 px).
Screenshots in test-artifacts/screenshots/survey-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from htxso.assessment import services_survey as services
from htxso.assessment.models import Answer, Assessment, Question
from htxso.registry.models import Organisation
from tests.assessment.factories import questionnaire_v1, submitted_assessment

from .conftest import assert_no_horizontal_overflow, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-rat-dai-2026"


def _sign_in(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def _shot(page, name):
    assert_no_horizontal_overflow(page)
    return shot(page, name)


def _answer_the_rest(a, user):
    """The parts not played in the browser, answered as the pages would."""
    answered = set(Answer.objects.filter(assessment=a).values_list("question_id", flat=True))
    for q in Question.objects.filter(questionnaire_id=a.questionnaire_id).prefetch_related(
        "options"
    ):
        if q.pk in answered:
            continue
        if q.kind == "number":
            services.save_answer(actor=user, assessment=a, question=q, number=q.number_full)
        else:
            options = sorted(q.options.all(), key=lambda o: o.order)
            services.save_answer(actor=user, assessment=a, question=q, choices=[options[1].value])


def test_dx_lead_answers_and_sees_scores_and_peers(live_server, world, page_factory):
    base = live_server.url
    questionnaire_v1()
    org, lead = world.orgs["a1"], world.users["member_a1"]
    services.lead_name(actor=world.users["manager_a1"], organisation=org, user=lead)
    for i in range(5):
        peer = Organisation.objects.create(
            kind="group", name=f"Tổ hợp tác Bạn {i}", province_id="04"
        )
        submitted_assessment(peer, {"dma_strategy": 30 + 5 * i}, default=40)

    phone = page_factory("360")
    _sign_in(phone, base, lead.username)
    phone.goto(f"{base}/chuyen-doi-so/")
    expect(phone.locator(f"#org-{org.pk}")).to_contain_text("HTX Nông nghiệp Hợp Giang")
    phone.get_by_role("button", name="Bắt đầu đánh giá").click()
    expect(phone.get_by_role("heading", name="Chiến lược kinh doanh số")).to_be_visible()
    a = Assessment.objects.get(organisation=org)

    # part 1: every answer saves as it is chosen (autosave)
    plan = phone.locator("fieldset.dx-q").nth(0)
    plan.get_by_label("Có, dùng một phần").check()
    expect(plan.locator(".dx-status")).to_have_text("✓ Đã lưu")
    phone.locator("fieldset.dx-q").nth(1).get_by_label("Từ 1% đến 3% doanh thu").check()
    phone.locator("fieldset.dx-q").nth(2).get_by_label("Có", exact=True).check()
    phone.locator("fieldset.dx-q").nth(3).get_by_label("Có", exact=True).check()
    support = phone.locator("fieldset.dx-q").nth(4)
    support.get_by_label("Vay vốn ưu đãi cho dự án số").check()
    support.get_by_label("Chưa tìm hiểu").check()
    expect(support.locator(".dx-status")).to_contain_text("Không thể chọn “Chưa có”")
    support.get_by_label("Chưa tìm hiểu").uncheck()
    expect(support.locator(".dx-status")).to_have_text("✓ Đã lưu")
    expect(phone.locator("#dx-left")).to_have_text("Còn 55 câu hỏi chưa trả lời.")
    assert Answer.objects.filter(assessment=a).count() == 5
    _shot(phone, "survey-answer-360")
    phone.get_by_role("button", name="Lưu và làm tiếp").click()
    expect(phone.get_by_role("heading", name="Mức sẵn sàng số")).to_be_visible()

    # part 2 with a bad number typed: refused precisely, the other answers kept
    _answer_the_rest(a, lead)
    phone.goto(f"{base}/chuyen-doi-so/danh-gia/{a.pk}/tra-loi/dma_human/")
    number = phone.locator("fieldset.dx-q").nth(1)
    number.locator("input").fill("20000")
    number.locator("input").blur()
    expect(number.locator(".dx-status")).to_have_text("Số phải từ 0 đến 10000.")
    number.locator("input").fill("8")
    number.locator("input").blur()
    expect(number.locator(".dx-status")).to_have_text("✓ Đã lưu")

    # review and submit
    phone.goto(f"{base}/chuyen-doi-so/danh-gia/{a.pk}/nop/")
    expect(phone.locator(".dx-review")).not_to_contain_text("chưa trả lời")
    phone.get_by_role("button", name="Nộp và xem điểm").click()
    expect(phone.get_by_role("heading", name="Mức độ chuyển đổi số của bạn")).to_be_visible()
    expect(phone.locator("#dx-scores li")).to_have_count(11)
    expect(phone.locator('#dx-scores li[data-key="dma_strategy"] .dx-median')).to_have_text(
        "trung vị nhóm 40"
    )
    expect(phone.locator("#dx-gaps li")).to_have_count(5)
    _shot(phone, "survey-results-360")
    a.refresh_from_db()
    assert a.status == "submitted" and a.level is not None

    # the officer of Cao Bằng reads it on a desktop; no other cooperative's answers shown
    desk = page_factory("1280")
    _sign_in(desk, base, world.users["officer_a"].username)
    desk.goto(f"{base}/chuyen-doi-so/danh-gia/")
    desk.get_by_role("link", name="HTX Nông nghiệp Hợp Giang").click()
    expect(desk.locator("#dx-overall")).to_be_visible()
    expect(desk.locator("body")).not_to_contain_text("Tổ hợp tác Bạn")
    _shot(desk, "survey-results-1280")
