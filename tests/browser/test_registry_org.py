"""Organisation pages in the browser: public directory search and profile, a manager
editing the organisation and registering a member.  Screenshots ``org-*``."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..registry.test_organisations import enrich
from .conftest import assert_no_horizontal_overflow, shot, wait_until
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", ["360", "1280"])
def test_anonymous_finds_a_coffee_cooperative(live_server, world, page_factory, width):
    enrich(world.orgs["b1"], youth_share=45, grade="good", ocop=True, chain=True)
    page = page_factory(width)
    page.goto(live_server.url + "/danh-ba/")
    assert_no_horizontal_overflow(page)
    page.locator("#f-q").fill("ca phe")
    expect(page.locator("#org-rows .org-row")).to_have_count(1)
    expect(page.locator("#org-rows .org-row")).to_contain_text("HTX Cà phê Ea Tu")
    assert "q=ca+phe" in page.url or "q=ca%20phe" in page.url
    shot(page, f"org-directory-search-{width}")
    page.locator(".org-filters__more > summary").click()
    page.locator("input[name=ocop]").check()
    page.wait_for_url("**ocop=1**")
    expect(page.locator("#org-rows .org-row")).to_have_count(1)
    assert_no_horizontal_overflow(page)
    shot(page, f"org-directory-filters-{width}")
    page.locator("#org-rows .org-row__name").first.click()
    page.wait_for_url("**/danh-ba/0100112437/")
    body = page.content()
    assert "HTX Cà phê Ea Tu" in body and "Cà phê bột" in body
    assert "0912345678" not in body
    from htxso.registry.models import Person

    for full_name in Person.objects.values_list("full_name", flat=True):
        assert full_name not in body, full_name  # no member names on the public profile
    assert_no_horizontal_overflow(page)
    shot(page, f"org-public-profile-{width}")


@pytest.mark.parametrize("width", ["360", "1280"])
def test_manager_edits_and_registers_a_member(live_server, world, page_factory, width):
    from htxso.registry.models import Membership, Organisation

    a1 = world.orgs["a1"]
    page = page_factory(width)
    sign_in(page, live_server.url, world.users["manager_a1"].username)
    page.goto(f"{live_server.url}/to-chuc/{a1.pk}/")
    assert_no_horizontal_overflow(page)
    shot(page, f"org-detail-manager-{width}")
    page.locator(f"a[href='/to-chuc/{a1.pk}/sua/']").first.click()
    page.wait_for_url(f"**/to-chuc/{a1.pk}/sua/")
    page.locator("#ward-q").fill("hoa")
    wait_until(
        page,
        "document.querySelectorAll('#id_ward option').length > 1"
        " && document.querySelectorAll('#id_ward option').length < 20",
    )
    ward_value = page.locator("#id_ward option").nth(1).get_attribute("value")
    page.locator("#id_ward").select_option(ward_value)
    page.locator("#id_address").fill("Xóm Nà Mè")
    page.locator("#id_charter_capital").fill("1.500.000.000")
    page.locator("#id_phone").fill("abc")
    page.locator("button[type=submit].btn--primary").click()
    page.locator(".field--error").first.wait_for()
    assert_no_horizontal_overflow(page)
    shot(page, f"org-edit-errors-{width}")
    page.locator("#id_phone").fill("0206 3852 123")
    page.locator("button[type=submit].btn--primary").click()
    page.wait_for_url(f"**/to-chuc/{a1.pk}/")
    a1 = Organisation.objects.get(pk=a1.pk)
    assert a1.ward_id == ward_value and a1.charter_capital == 1_500_000_000
    # register a member
    page.goto(f"{live_server.url}/to-chuc/{a1.pk}/thanh-vien/them/")
    page.locator("#id_full_name").fill("Nông Văn Dũng")
    page.locator("#id_citizen_id").fill("004090001234")
    page.locator("#id_sex").select_option("male")
    page.locator("#id_birth_date").fill("1990-05-01")
    page.locator("#id_ethnicity").select_option("02")
    page.locator("#id_kind").select_option("official")
    page.locator("#id_joined_on").fill("2024-03-01")
    page.locator("#id_capital").fill("20.000.000")
    assert_no_horizontal_overflow(page)
    shot(page, f"org-member-form-{width}")
    page.locator("button[type=submit].btn--primary").click()
    page.wait_for_url(f"**/to-chuc/{a1.pk}/thanh-vien/")
    assert "Nông Văn Dũng" in page.content() and "004090001234" in page.content()
    assert Membership.objects.filter(organisation=a1).count() == 1
    shot(page, f"org-members-{width}")


@pytest.mark.parametrize("width", ["360", "1280"])
def test_officer_sees_the_list_and_the_warnings(live_server, world, page_factory, width):
    enrich(world.orgs["a1"], youth_share=45, grade="fair", ocop=True, chain=True)
    page = page_factory(width)
    sign_in(page, live_server.url, world.users["officer_a"].username)
    page.goto(f"{live_server.url}/to-chuc/")
    assert "HTX Cà phê Ea Tu" not in page.content()
    assert_no_horizontal_overflow(page)
    shot(page, f"org-staff-list-{width}")
    page.goto(f"{live_server.url}/to-chuc/canh-bao/")
    expect(page.locator(".org-warning").first).to_be_visible()
    assert "HTX Cà phê Ea Tu" not in page.content()
    assert_no_horizontal_overflow(page)
    shot(page, f"org-warnings-{width}")
