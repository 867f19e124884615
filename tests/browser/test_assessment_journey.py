"""Issue 15 "done when": at 360 px a young DX lead answers the last part of the
self-assessment, submits, sees the scores and the peer comparison, gets a plan proposed
from the gaps, edits it, downloads it as .docx (reopened here) and sends it; at 1280 px
the provincial alliance's officer reviews it (a comment on an action, approval, a
visit)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_overflow, shot, wait_until
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

#: the part the lead answers in the browser (the rest was answered earlier: autosaved)
PART = "dma_strategy"


@pytest.fixture
def journey(world):
    from htxso.assessment.models import Answer, DxLead, Question
    from htxso.registry.models import Organisation
    from tests.assessment.factories import (
        answer_all,
        draft_assessment,
        questionnaire_v1,
        submitted_assessment,
    )

    qn = questionnaire_v1()
    a1 = world.orgs["a1"]
    DxLead.objects.create(
        organisation=a1, user=world.users["member_a1"], named_by=world.users["manager_a1"]
    )
    for i in range(5):  # peers: same sector and province
        peer = Organisation.objects.create(
            kind="group", name=f"Tổ hợp tác Bạn {i}", province_id="04", sector=a1.sector
        )
        submitted_assessment(peer, {"coop_ecommerce": 40 + i, "dma_data": 50 + i}, default=55)
    draft = draft_assessment(a1, user=world.users["member_a1"], questionnaire=qn)
    answer_all(draft, pick=0.25, user=world.users["member_a1"])
    Answer.objects.filter(
        assessment=draft,
        question__in=Question.objects.filter(questionnaire=qn, dimension__key=PART),
    ).delete()
    return draft


def test_lead_answers_edits_the_plan_and_the_officer_reviews(
    live_server, world, journey, page_factory
):
    from htxso.assessment.models import Plan

    base = live_server.url
    page = page_factory("360")
    sign_in(page, base, world.users["member_a1"].username)

    # answers the part left, each answer autosaved
    page.goto(f"{base}/chuyen-doi-so/danh-gia/{journey.pk}/tra-loi/{PART}/")
    questions = page.locator("fieldset.dx-q")
    count = questions.count()
    assert count > 0
    for i in range(count):
        q = questions.nth(i)
        number = q.locator("input[type=number]")
        if number.count():
            number.fill("3")
            number.dispatch_event("change")
        else:
            q.locator("label.dx-option").last.click()
    wait_until(
        page,
        "[...document.querySelectorAll('fieldset.dx-q .dx-status')]"
        ".every(e => e.textContent.startsWith('✓'))",
    )
    shot(page, "assessment-journey-answer-360")
    page.goto(f"{base}/chuyen-doi-so/danh-gia/{journey.pk}/nop/")
    page.locator("#dx-submit").click()

    # scores, level, peer comparison, gaps
    expect(page.locator("#dx-overall")).to_be_visible()
    expect(page.locator("#dx-scores .dx-median").first).to_be_visible()
    expect(page.locator("#dx-gaps li").first).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "assessment-journey-scores-360")

    # the plan proposed from the gaps
    page.goto(f"{base}/chuyen-doi-so/ke-hoach/")
    page.locator(f"#propose-{world.orgs['a1'].pk}").click()
    expect(page.locator("#plan-status")).to_have_text("Đang soạn")
    plan = Plan.objects.get(organisation=world.orgs["a1"])
    assert plan.actions.count() >= 2

    page.locator("#edit-plan").click()
    page.get_by_label("Tiêu đề").fill("Kế hoạch chuyển đổi số của thanh niên HTX Hợp Giang")
    page.get_by_label("Mục tiêu").fill(
        "Bán 30% sản lượng qua sàn thương mại điện tử trong 12 tháng."
    )
    page.get_by_label("Chia sẻ kế hoạch này với mạng lưới thanh niên").check()
    page.locator("#save-plan").click()
    expect(page.locator("#plan-title")).to_have_text(
        "Kế hoạch chuyển đổi số của thanh niên HTX Hợp Giang"
    )

    # a negative cost is refused with its message, then each action gets its owner
    first = plan.actions.order_by("order").first()
    page.goto(f"{base}/chuyen-doi-so/ke-hoach/hanh-dong/{first.pk}/sua/")
    page.get_by_label("Chi phí (đồng)").fill("-500000")
    page.locator("#save-action").click()
    expect(page.locator(".field--error").first).to_contain_text("âm")
    assert_no_horizontal_overflow(page)
    shot(page, "assessment-journey-action-error-360")
    for i, action in enumerate(plan.actions.order_by("order")):
        page.goto(f"{base}/chuyen-doi-so/ke-hoach/hanh-dong/{action.pk}/sua/")
        page.get_by_label("Người phụ trách").fill(("Lò Thị Mai", "Nông Văn Tú")[i % 2])
        page.get_by_label("Chi phí (đồng)").fill(f"{action.cost:,}".replace(",", "."))
        page.locator("#save-action").click()
        expect(page.locator("#plan-title")).to_be_visible()

    with page.expect_download() as download:
        page.locator("#download-docx").click()
    data = Path(download.value.path()).read_bytes()
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kế hoạch chuyển đổi số của thanh niên HTX Hợp Giang" in text
    assert "Bán 30% sản lượng" in text
    owners = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Lò Thị Mai" in owners
    assert_no_horizontal_overflow(page)
    shot(page, "assessment-journey-plan-360")
    page.locator("#submit-plan").click()
    expect(page.locator("#plan-status")).to_have_text("Đã gửi Liên minh")

    # the provincial alliance at 1280 px
    office = page_factory("1280")
    sign_in(office, base, world.users["officer_a"].username)
    office.goto(f"{base}/chuyen-doi-so/ke-hoach/xem-xet/")
    expect(office.locator("#count-submitted")).to_have_text("1")
    shot(office, "assessment-journey-queue-1280")
    office.get_by_role("link", name=world.orgs["a1"].name).click()
    action = plan.actions.order_by("order").first()
    office.locator(f"#comment-{action.pk}").fill("Nên chọn sàn có hỗ trợ phí cho HTX.")
    office.locator(f"#action-{action.pk} .comment-form button").click()
    expect(office.locator(f"#action-{action.pk} .comments")).to_contain_text("Nên chọn sàn")
    office.locator("#decide textarea").first.fill("Thống nhất; bắt đầu từ tháng tới.")
    office.locator("#approve-plan").click()
    expect(office.locator("#plan-status")).to_have_text("Đã duyệt")
    office.locator("#visit-form textarea").fill("Làm việc với nhóm thanh niên tại HTX.")
    office.locator("#record-visit").click()
    expect(office.locator("#visits")).to_contain_text("Làm việc với nhóm thanh niên")
    assert_no_horizontal_overflow(office)
    shot(office, "assessment-journey-review-1280")

    # back at 360 px: progress of one action
    page.goto(f"{base}/chuyen-doi-so/ke-hoach/{plan.pk}/")
    page.locator(f"#progress-{action.pk}").fill("50")
    page.locator(f"#action-{action.pk} .progress-form button").click()
    expect(page.locator(f"#action-{action.pk} progress")).to_have_attribute("value", "50")
    assert_no_horizontal_overflow(page)
    shot(page, "assessment-journey-progress-360")

    # the youth network shows the plan marked public
    page.goto(f"{base}/chuyen-doi-so/ke-hoach/mang-luoi/")
    expect(page.locator("#public-plans")).to_contain_text("thanh niên HTX Hợp Giang")
    assert_no_horizontal_overflow(page)
    shot(page, "assessment-journey-network-360")
