"""The public directory and profiles: anyone, no sign-in, no personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from htxso.registry.models import Membership, Organisation, Person

from .test_organisations import enrich, many_orgs

pytestmark = pytest.mark.django_db


def test_directory_partial_for_htmx(client, world):
    response = client.get("/danh-ba/", {"q": "ca phe"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "HTX Cà phê Ea Tu" in body and "/danh-ba/0100112437/" in body


def test_signed_in_member_sees_no_more_on_the_public_profile(client, world):
    a1 = world.orgs["a1"]
    person = Person.objects.create(
        organisation=a1,
        full_name="Lục Thị Hoa",
        citizen_id="004195001234",
        phone="0987654321",
        ethnicity="02",
        user=world.users["member_a1"],
    )
    Membership.objects.create(
        organisation=a1, person=person, kind="official", joined_on=dt.date(2020, 1, 1)
    )
    for key in (None, "member_a1", "vca"):
        client.logout()
        if key:
            client.force_login(world.users[key])
        body = client.get("/danh-ba/0100233488/").content.decode()
        for text in ("Lục Thị Hoa", "004195001234", "0987654321", "Tày"):
            assert text not in body, (key, text)
        assert "HTX Nông nghiệp Hợp Giang" in body


def test_profile_shows_public_fields_only(client, world):
    a1 = world.orgs["a1"]
    a1.main_products = "Miến dong"
    a1.website = "javascript:alert(1)"  # bypassing the service: never a link
    a1.save()
    body = client.get("/danh-ba/0100233488/").content.decode()
    assert "Miến dong" in body
    assert 'href="javascript:' not in body


def test_directory_query_count_with_many_rows(client, world, django_assert_max_num_queries):
    many_orgs(30)
    with django_assert_max_num_queries(4):
        assert client.get("/danh-ba/", {"ocop": "1", "youth_min": "40"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/danh-ba/", {"province": "66", "page": "2"}).status_code == 200


def test_profile_by_id_redirect_free_and_branch_codes(client, world):
    branch = Organisation.objects.create(
        kind="cooperative", name="HTX Chi nhánh", tax_code="0314409058-002", province_id="79"
    )
    enrich(branch, n_people=1)
    assert client.get("/danh-ba/0314409058-002/").status_code == 200
    assert client.get(f"/danh-ba/{branch.pk}/").status_code == 200


def test_manager_cannot_change_the_tax_code(client, world):
    a1 = world.orgs["a1"]
    client.force_login(world.users["manager_a1"])
    data = {"name": a1.name, "tax_code": "0101245486", "status": "active"}
    assert client.post(f"/to-chuc/{a1.pk}/sua/", data).status_code == 302
    a1.refresh_from_db()
    assert a1.tax_code == "0100233488"
    client.force_login(world.users["officer_a"])
    client.post(f"/to-chuc/{a1.pk}/sua/", data)
    a1.refresh_from_db()
    assert a1.tax_code == "0101245486"
