"""Tokens for an external system carry a registry field scope (issue 19)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from htxso.accounts import services
from htxso.accounts.models import ApiToken
from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError

pytestmark = pytest.mark.django_db


def _post(client, user, **data):
    client.force_login(user)
    return client.post(reverse("accounts:api_token_create"), {"name": "OCOP", "days": 30, **data})


def test_an_officer_creates_a_full_token_on_the_profile_page(client, world):
    officer = world.users["officer_a"]
    client.force_login(officer)
    assert 'name="scope"' in client.get(reverse("accounts:profile")).content.decode()
    response = _post(client, officer, scope="full")
    assert response.status_code == 200
    token = ApiToken.objects.get(user=officer)
    assert token.scope == "full"
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Public fields, contacts and representative" in page or "liên hệ" in page


def test_a_department_viewer_may_not_create_a_full_token(client, world):
    viewer = world.users["viewer_a"]
    response = _post(client, viewer, scope="full")
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=viewer).exists()
    _post(client, viewer, scope="public")
    assert ApiToken.objects.get(user=viewer).scope == "public"


def test_an_unknown_scope_is_refused_and_no_scope_is_the_default(client, world):
    officer = world.users["officer_b"]
    _post(client, officer, scope="everything")
    assert not ApiToken.objects.filter(user=officer).exists()
    _post(client, officer)
    assert ApiToken.objects.get(user=officer).scope == ""
    with pytest.raises(ServiceError) as caught:
        services.api_token_create(actor=OPERATOR, user=officer, scope="secret")
    assert caught.value.code == "token_scope_invalid"


def test_the_command_makes_scoped_tokens(world):
    out = io.StringIO()
    call_command("api_token", "create", "u_vca", "--scope", "full", stdout=out)
    assert ApiToken.objects.get(user=world.users["vca"]).scope == "full"
    with pytest.raises(CommandError):
        call_command("api_token", "create", "u_viewer_b", "--scope", "full", stdout=out)
    assert not ApiToken.objects.filter(user=world.users["viewer_b"]).exists()


def test_a_public_token_reads_no_contacts_from_the_organisation_api(client, world):
    """The field scope holds on the older organisation API too, not only on the feed."""
    from tests.registry_sync.conftest import bearer

    org = world.orgs["a1"]
    type(org).objects.filter(pk=org.pk).update(phone="0912345678", email="htx@example.vn")
    url = f"/api/v1/registry/organisations/{org.pk}"
    full = client.get(url, **bearer(world.users["vca"], "full")).json()
    assert (full["phone"], full["email"]) == ("0912345678", "htx@example.vn")
    public = client.get(url, **bearer(world.users["vca"], "public")).json()
    assert (public["phone"], public["email"], public["address"]) == ("", "", "")
    assert public["name"] == full["name"]
    by_code = client.get(
        f"/api/v1/registry/organisations/by-tax-code/{org.tax_code}",
        **bearer(world.users["vca"], "public"),
    ).json()
    assert by_code["phone"] == ""
