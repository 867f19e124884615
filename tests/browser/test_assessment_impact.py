"""The impact pages in Chromium at 360 px and 1280 px: Cao Bằng's maturity map (heat
table by ward and sector, models to replicate), the EU cohort with its
difference-in-differences, and one cooperative's change T0 → T1."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..assessment.impact.helpers import coop, questionnaire, scored, submitted
from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def impact(world):
    from htxso.assessment.models import Cohort, CohortMember
    from htxso.geo.models import Ward

    vca = world.users["vca"]
    wards = list(Ward.objects.filter(province_id="04").order_by("code")[:4])
    qn = questionnaire("browser")
    cohort = Cohort.objects.create(
        code="eu-youth-dx", name="Dự án EU: Thanh niên dẫn dắt chuyển đổi số", created_by=vca
    )
    for i in range(12):
        m = coop(f"HTX Thanh Niên Số {i}", ward=wards[i % 4].code,
                 sector="agriculture" if i % 3 else "trade")  # fmt: skip
        CohortMember.objects.create(cohort=cohort, organisation=m, added_by=vca)
        scored(m, qn, 0, 30 + 3 * i, user=vca)
        scored(m, qn, 1, 40 + 3 * i + i % 4, user=vca)
        c = coop(f"HTX Đối Chứng {i}", ward=wards[(i + 1) % 4].code,
                 sector="agriculture" if i % 3 else "trade")  # fmt: skip
        scored(c, qn, 0, 30 + 3 * i, user=vca)
        scored(c, qn, 1, 33 + 3 * i + i % 3, user=vca)
    late = coop("HTX Mới Có T0", ward=wards[0].code)
    CohortMember.objects.create(cohort=cohort, organisation=late, added_by=vca)
    scored(late, qn, 0, 25, user=vca)
    v1 = questionnaire("browser-q", 1)
    v2 = questionnaire(
        "browser-q", 2, renamed={"strategy_q1": "strategy_plan"}, not_comparable=("data_q2",)
    )
    org = world.orgs["a1"]
    submitted(org, v1, 0, {"strategy_q0": 0, "strategy_q1": 50, "data_q0": 50}, user=vca)
    submitted(org, v2, 1, {"strategy_q0": 100, "strategy_plan": 100, "data_q0": 50,
                           "data_q2": 100}, user=vca)  # fmt: skip
    return cohort


@pytest.mark.parametrize("width", ["360", "1280"])
def test_impact_pages(live_server, world, impact, page_factory, width):
    page = page_factory(width)
    sign_in(page, live_server.url, world.users["officer_a"].username)
    page.goto(f"{live_server.url}/chuyen-doi-so/tac-dong/")
    expect(page.locator("h1")).to_contain_text("Cao Bằng")
    expect(page.locator("#map-places tbody tr")).to_have_count(5)  # 4 wards and a1 (no ward)
    expect(page.locator("#map-sectors")).to_contain_text("Nông nghiệp")
    expect(page.locator("#models")).to_contain_text("HTX Thanh Niên Số 11")
    assert_no_horizontal_overflow(page)
    shot(page, f"assessment-impact-map-{width}")

    page.get_by_role("link", name="Nhóm tham gia và tác động").click()
    page.get_by_role("link", name="Dự án EU: Thanh niên dẫn dắt chuyển đổi số").click()
    expect(page.locator("#did")).to_have_attribute("data-status", "ok")
    expect(page.locator("#did-n")).to_have_text("12")
    expect(page.locator("#did-ci")).to_contain_text("95")
    expect(page.locator("[data-state=no_t1]")).to_contain_text("chưa có T1")
    assert_no_horizontal_overflow(page)
    shot(page, f"assessment-impact-cohort-{width}")

    page.goto(f"{live_server.url}/chuyen-doi-so/tac-dong/htx/{world.orgs['a1'].pk}/")
    expect(page.locator("#comparable-note")).to_be_visible()
    expect(page.locator("[data-qid=data_q2]")).to_contain_text("không so sánh được")
    expect(page.locator("[data-qid=strategy_plan]")).to_contain_text("strategy_q1")
    assert_no_horizontal_overflow(page)
    shot(page, f"assessment-impact-change-{width}")
