"""Training, people part, in Chromium at 360 px and 1280 px: Cao Bằng's officer sees a
likely duplicate side by side, merges it, and reads the figures (no page wider than the
screen, no CSP violation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people_world(world):
    from htxso.core.actors import OPERATOR
    from htxso.training.people import find_or_create_person
    from tests.training.people.helpers import course, enrol

    c = course("04", title="Kỹ năng số cho thanh niên")
    for i in range(7):
        p = find_or_create_person(
            actor=OPERATOR,
            full_name=f"Học Viên Số {i}",
            birth_year=2000,
            phone=f"09126000{i:02d}",
            ethnicity="01" if i < 5 else "02",
            sex="female" if i % 2 else "male",
        )
        enrol(c, p, age=26, status="completed" if i < 3 else "enrolled")
    a = find_or_create_person(
        actor=OPERATOR, full_name="Nguyễn Văn An", birth_year=1996, phone="0912 000 011",
        citizen_id="004196000011", province="04",
    )  # fmt: skip
    b = find_or_create_person(
        actor=OPERATOR, full_name="nguyen  van an", birth_year=1996, province="04"
    )
    enrol(c, a, age=30)
    enrol(c, b, age=30)  # the same man twice: counted once after the merge
    for user in world.users.values():
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    return world


@pytest.mark.parametrize("width", ["360", "1280"])
def test_review_and_figures(live_server, people_world, page_factory, width):
    page = page_factory(width)
    sign_in(page, live_server.url, people_world.users["officer_a"].username)
    page.goto(f"{live_server.url}/dao-tao/trung-lap/")
    expect(page.get_by_role("heading", name="Possible duplicate people")).to_be_visible()
    assert page.locator(".person-card").count() == 2
    assert_no_horizontal_overflow(page)
    shot(page, f"training-duplicates-{width}")
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Same person: merge").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Merged into")).to_be_visible()
    expect(page.get_by_text("No possible duplicate is waiting")).to_be_visible()
    page.goto(f"{live_server.url}/dao-tao/so-lieu/")
    expect(page.locator("#fig-trained")).to_have_text("8")
    expect(page.locator("#fig-completed")).to_have_text("3")
    assert_no_horizontal_overflow(page)
    shot(page, f"training-figures-{width}")
