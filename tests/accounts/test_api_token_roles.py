"""Issue 13: the account page offered API tokens to everybody.  Only roles that use the
API (staff, cooperative managers, sellers) see the section and may create a token."""

from __future__ import annotations

import pytest

from htxso.accounts.models import ApiToken
from htxso.market.models import Store

pytestmark = pytest.mark.django_db

PROFILE = "/tai-khoan/"
CREATE = "/tai-khoan/token/"


def _profile(client, world, key):
    client.force_login(world.users[key])
    return client.get(PROFILE).content.decode()


@pytest.mark.parametrize("key", ["member_a1", "buyer"])
def test_member_and_buyer_see_no_token_section_and_cannot_create_one(client, world, key):
    body = _profile(client, world, key)
    assert 'id="h-tokens"' not in body
    assert CREATE not in body
    response = client.post(CREATE, {"name": "x", "days": "30"})
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=world.users[key]).exists()


@pytest.mark.parametrize("key", ["vca", "officer_a", "viewer_a", "manager_a1"])
def test_staff_and_managers_keep_their_tokens(client, world, key):
    body = _profile(client, world, key)
    assert 'id="h-tokens"' in body and CREATE in body
    response = client.post(CREATE, {"name": "script", "days": "30"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=world.users[key]).count() == 1


def test_a_member_household_that_sells_may_use_the_api(client, world):
    member = world.users["member_a1"]
    Store.objects.create(
        organisation=world.orgs["a1"],
        owner=member,
        name="Gian hàng hộ thành viên",
        slug="gian-hang-ho-thanh-vien-13",
        bank_bin="970405",
        bank_account="0123456789",
    )
    body = _profile(client, world, "member_a1")
    assert 'id="h-tokens"' in body
    assert client.post(CREATE, {"name": "shop", "days": "30"}).status_code == 200
