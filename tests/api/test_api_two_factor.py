"""The API asks a session for the same second factor as the pages do."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from htxso.accounts import services
from htxso.accounts.models import ApiToken
from htxso.core.actors import OPERATOR

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-rat-dai-2026"
ME = "/api/v1/accounts/me"
ORGS = "/api/v1/registry/organisations"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _code(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=offset)
    return f"{value:06d}"


def _password_only(client, user) -> None:
    response = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("url", [ME, ORGS])
def test_password_only_session_is_refused_by_the_api(client, world, url):
    user = world.users["officer_a"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _password_only(client, user)
    refused = client.get(url)
    assert refused.status_code == 403
    assert refused.json()["code"] == "two_factor_required"
    assert refused.json()["message"]
    # once the code is given, the same session may call the API
    assert client.post("/xac-thuc-2-buoc/", {"code": _code(device)}).status_code == 302
    assert client.get(url).status_code == 200


def test_staff_without_a_device_is_refused_when_two_factor_is_mandatory(client, world, settings):
    settings.HTXSO_REQUIRE_2FA_FOR_STAFF = True
    _password_only(client, world.users["officer_a"])
    refused = client.get(ME)
    assert refused.status_code == 403 and refused.json()["code"] == "two_factor_required"
    # a cooperative member is not staff
    client.logout()
    _password_only(client, world.users["member_a1"])
    assert client.get(ME).status_code == 200


def test_bearer_tokens_keep_working(client, world, settings):
    settings.HTXSO_REQUIRE_2FA_FOR_STAFF = True
    user = world.users["officer_a"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _token, raw = services.api_token_create(actor=OPERATOR, user=user, name="script", days=1)
    response = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["username"] == user.username


def test_password_only_session_cannot_create_a_token(client, world):
    user = world.users["officer_a"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _password_only(client, user)
    response = client.post("/tai-khoan/token/", {"name": "x", "days": "30"})
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc-2-buoc/")
    assert not ApiToken.objects.filter(user=user).exists()


def test_token_view_itself_refuses_an_unverified_session(world):
    """Defence in depth: the view checks too, not only the middleware in front of it."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from htxso.accounts.views import api_token_create

    user = world.users["officer_a"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    request = RequestFactory().post("/tai-khoan/token/", {"name": "x", "days": "30"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    user.is_verified = lambda: False
    request.user = user
    response = api_token_create(request)
    assert response.status_code in (302, 403)
    assert not ApiToken.objects.filter(user=user).exists()
